"""Law in layers: the overlay packs a local pack sits under, and how a verdict names each layer.

A local pack lists the overlays above it (pack.yaml `overlays`, e.g. [national]); an overlay is a pack
with `layer: national` whose rules bind the same bodies whatever the local text says. Both classify and
meeting_check apply every layer and say which one decided.
"""

from __future__ import annotations

from soegov.core.errors import InputError
from soegov.policy.dates import date
from soegov.policy.loader import get_registry
from soegov.policy.model import Pack

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs `soegov classify` start-up time
if TYPE_CHECKING:
    from typing import Any

LOCAL = "local"


def overlays_of(pack: Pack) -> tuple[Pack, ...]:
    """The overlay packs a local pack sits under, in the order it names them."""
    registry = get_registry()
    return tuple(registry.get(overlay_id) for overlay_id in pack.overlays)


def local_pack(policy: str) -> Pack:
    """The local pack a verdict is asked of; an overlay alone is refused (it only sits above a local pack)."""
    pack = get_registry().get(policy)
    if pack.is_overlay:
        raise InputError("overlay_pack", f"{pack.id} 是上位规则层（{pack.title}），须与地方政策包一同适用，请指定地方政策包",
                         "policy", f"{pack.id} is an overlay layer; give a local pack, which applies it")
    return pack


def layer_head(pack: Pack, day: date) -> dict[str, Any]:
    """One layer of a verdict: which pack, which layer, and whether (and in which version) it binds on the day."""
    version = pack.version_on(day)
    return {"id": pack.id, "layer": pack.layer, "title": pack.title, "in_force": version is not None,
            "version": version.version if version else None}


def not_in_force_note(pack: Pack, day: date, lang: str) -> dict[str, Any]:
    """A layer that does not bind on the day: say so, with its dates of force."""
    if lang == "zh":
        # Dates a person reads: the version's own code (2024.1) means nothing to him.
        spans = "；".join(f"{v.in_force_from} 至 {v.in_force_until or '今'}" for v in pack.versions)
        return {"code": "policy_not_in_force", "layer": pack.layer,
                "message": f"《{pack.title}》在 {day} 不在施行期内（施行期：{spans}），未套用任何规则"}
    # The English reader too is given the regulation's own title and its dates, not the pack id and version code.
    spans = "; ".join(f"{v.in_force_from} to {v.in_force_until or 'now'}" for v in pack.versions)
    return {"code": "policy_not_in_force", "layer": pack.layer,
            "message": f"《{pack.title}》 is not in force on {day} (in force {spans}); no rule was applied"}
