"""Writing to the audit trail and verifying its chain against its keyed codes and outside anchors."""

from __future__ import annotations

import hmac
import json
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from soegov.audit.audit_actions import AuditLogAction
from soegov.audit.chain import GENESIS, entry_hash
from soegov.audit.context import current_ip
from soegov.audit.models import AuditEntry, AuditHead
from soegov.audit.sealing import (
    Anchor,
    anchor_after_commit,
    anchor_dir,
    chain_key,
    checkpoint_json,
    entry_mac,
    read_anchors,
)
from soegov.core.personal_data import EncryptedDecimalField
from soegov.signatures.keystore import KeyStoreError


def _jsonable(value: Any) -> Any:
    """Plain JSON data for before/after snapshots (Decimal and dates as strings)."""
    if value is None:
        return None
    return json.loads(json.dumps(value, ensure_ascii=False, default=_default))


def _default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    return str(value)


def snapshot(instance: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """The values of a model instance's concrete fields, as JSON data for before/after."""
    data: dict[str, Any] = {}
    for f in instance._meta.concrete_fields:
        if fields is not None and f.name not in fields:
            continue
        if f.name in {"password"}:
            continue
        # Personal data sealed in its table (pay, scores, a sanction's amounts) is not copied in clear into the
        # audit trail: the entry names the field, not the amount.
        data[f.attname] = "***" if isinstance(f, EncryptedDecimalField) else f.value_from_object(instance)
    result: dict[str, Any] = _jsonable(data)
    return result


def acting_user(actor: Any) -> Any:
    """The actor as the user to store on a row ("recorded by", "uploaded by"): None for the system or demo."""
    return actor if getattr(actor, "pk", None) else None


def audit_record(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    before: Any = None,
    after: Any = None,
    actor_name: str | None = None,
    ip: str | None = None,
) -> AuditEntry:
    """Append one entry to the chain; call it inside the transaction of the change it records."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:255]
    actor_obj = actor if getattr(actor, "is_authenticated", False) else None
    name = actor_name if actor_name is not None else (actor_obj.get_username() if actor_obj else "")
    address = ip if ip is not None else (current_ip.get() or "")
    with transaction.atomic():
        head, _ = AuditHead.objects.select_for_update().get_or_create(id=1, defaults={"hash": GENESIS})
        seq = head.seq + 1
        at = timezone.now()
        # The same fields are hashed and stored, so a stored row can always be re-hashed to check it.
        fields: dict[str, Any] = {
            "seq": seq, "at": at, "actor_name": name, "ip": address, "action": action, "object_type": object_type,
            "object_id": object_id, "object_repr": object_repr, "before": _jsonable(before), "after": _jsonable(after),
            "prev_hash": head.hash,
        }
        digest = entry_hash(actor_id=actor_obj.pk if actor_obj else None, **fields)
        code = entry_mac(chain_key(create=True), seq, digest)
        entry = AuditEntry.objects.create(actor=actor_obj, hash=digest, mac=code, **fields)
        AuditHead.objects.filter(id=1).update(seq=seq, hash=digest)
        # Anchored only once committed: a rolled-back entry must not leave an anchor naming it.
        transaction.on_commit(partial(anchor_after_commit, seq, digest))
    return entry


@dataclass
class VerifyResult:
    """What `soegov audit verify` found: entries checked, every break in the chain, and notes that are not breaks."""

    checked: int = 0
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    anchors: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


def _when(at: Any) -> str:
    return timezone.localtime(at).strftime("%Y-%m-%d %H:%M:%S") if at is not None else "?"


def _span(first: int, last: int) -> str:
    return str(first) if first == last else f"{first}–{last}"


def _ranges(found: list[tuple[int, Any]]) -> list[tuple[str, str]]:
    """Consecutive sequence numbers grouped: ("5" or "5–9", when the first was written)."""
    groups: list[tuple[int, int, Any]] = []
    for seq, at in found:
        if groups and groups[-1][1] == seq - 1:
            groups[-1] = (groups[-1][0], seq, groups[-1][2])
        else:
            groups.append((seq, seq, at))
    return [(str(a), f"记于 {_when(at)}") if a == b else (f"{a}–{b}", f"最早一条记于 {_when(at)}") for a, b, at in groups]


# Each kind of break, worded for the audit administrator: which rows, and since when.
_BREAKS = {
    "altered": "第 {r} 号记录的内容已被改动（SM3 哈希不符；{t}）",
    "relinked": "第 {r} 号记录的前序哈希与链不符（{t}）",
    "forged": "第 {r} 号记录的密钥校验码不符：在数据库中被改写或伪造（{t}）",
    "unkeyed": "第 {r} 号记录没有密钥校验码，而它写于启用密钥之后：在数据库中被直接插入、改写或抹去了校验码（{t}）",
    "anchored": "第 {r} 号记录与库外锚点记下的哈希不符：这些记录或其前的记录被改写（{t}）",
}


def audit_verify(*, checkpoints: list[Path] | None = None) -> VerifyResult:
    """Recompute every hash, link and keyed code, and hold the chain against the anchors kept outside the database."""
    result = VerifyResult()
    key_problem = ""
    try:
        key: bytes | None = chain_key()
    except KeyStoreError as exc:
        key = None
        key_problem = str(exc)
    anchors, anchor_problems = read_anchors(key, checkpoints) if key is not None else ([], [])
    result.problems.extend(anchor_problems)
    result.anchors = len(anchors)
    pending: dict[int, list[Anchor]] = defaultdict(list)
    for a in anchors:
        pending[a.seq].append(a)
    walk = _walk_chain(result, key, pending)
    _check_tail(result, pending, walk)
    if key is None and walk.keyed_seen:
        result.problems.append(f"无法读取审计密钥，密钥校验码与锚点均未校验：{key_problem}")
    if walk.legacy:
        result.notes.append(f"第 1–{walk.legacy} 号记录写于审计链启用密钥之前，只受 SM3 链与其后的锚点保护")
    if result.checked and not anchors:
        result.notes.append(f"锚点文件夹 {anchor_dir()} 中没有锚点：末尾记录被删除将无法发现；请检查该文件夹是否可写")
    return result


@dataclass
class _Walk:
    """How far the walk along the chain got: the last entry's hash, number and time, and what it saw of keys."""

    hash: str = GENESIS
    seq: int = 0
    at: Any = None
    keyed_seen: bool = False
    legacy: int = 0


def _walk_chain(result: VerifyResult, key: bytes | None, pending: dict[int, list[Anchor]]) -> _Walk:
    """Every entry in order: its number, link, hash, keyed code and anchor; the anchors met are taken from pending."""
    walk = _Walk()
    breaks: dict[str, list[tuple[int, Any]]] = defaultdict(list)
    first_anchored = min(pending) if pending else None
    for e in AuditEntry.objects.order_by("seq").iterator(chunk_size=2000):
        result.checked += 1
        if e.seq != walk.seq + 1:
            result.problems.append(f"第 {_span(walk.seq + 1, e.seq - 1)} 号记录缺失（被删除；其前一条记于 {_when(walk.at)}）")
        if e.prev_hash != walk.hash:
            breaks["relinked"].append((e.seq, e.at))
        actual = entry_hash(
            seq=e.seq, at=e.at, actor_id=e.actor_id, actor_name=e.actor_name, ip=e.ip, action=e.action,
            object_type=e.object_type, object_id=e.object_id, object_repr=e.object_repr, before=e.before,
            after=e.after, prev_hash=e.prev_hash,
        )
        if actual != e.hash:
            breaks["altered"].append((e.seq, e.at))
        if e.mac:
            walk.keyed_seen = True
            if key is not None and not hmac.compare_digest(entry_mac(key, e.seq, e.hash), e.mac):
                breaks["forged"].append((e.seq, e.at))
        elif walk.keyed_seen or (first_anchored is not None and e.seq >= first_anchored):
            # Anchors exist only since the chain was keyed, so an anchored row without a code lost it.
            breaks["unkeyed"].append((e.seq, e.at))
        else:
            walk.legacy += 1
        if any(a.hash != e.hash for a in pending.pop(e.seq, [])):
            breaks["anchored"].append((e.seq, e.at))
        walk.hash, walk.seq, walk.at = e.hash, e.seq, e.at
    for kind, found in breaks.items():
        result.problems.extend(_BREAKS[kind].format(r=r, t=t) for r, t in _ranges(found))
    return walk


def _check_tail(result: VerifyResult, pending: dict[int, list[Anchor]], walk: _Walk) -> None:
    """Entries deleted from the end: anchors beyond the last entry, or a chain head that names another."""
    beyond = [a for seq, group in pending.items() if seq > walk.seq for a in group]
    if beyond:
        top = max(beyond, key=lambda a: a.seq)
        if result.checked == 0:
            result.problems.append(
                f"全部审计记录已被删除（表被清空或 TRUNCATE）：{top.when} 的锚点显示当时已有第 1–{top.seq} 号记录"
            )
        else:
            result.problems.append(
                f"第 {_span(walk.seq + 1, top.seq)} 号记录已被删除（末尾删除）：{top.when} 的锚点显示链尾已到第 {top.seq} 号，"
                f"数据库中最后一条为第 {walk.seq} 号（记于 {_when(walk.at)}）"
            )
    head = AuditHead.objects.filter(id=1).first()
    if head is not None and (head.seq != walk.seq or head.hash != walk.hash):
        result.problems.append(f"链尾应为第 {head.seq} 号记录，实际为第 {walk.seq} 号：末尾记录被删除或改动")
    if head is None and result.checked:
        result.problems.append("链头记录缺失")


def audit_checkpoint(*, actor: Any = None) -> str:
    """A keyed checkpoint of the chain head (JSON text) to keep outside the system; only of a chain that verifies."""
    result = audit_verify()
    if not result.ok:
        raise ChainBroken(result.problems)
    last = AuditEntry.objects.order_by("-seq").first()
    seq, digest = (last.seq, last.hash) if last is not None else (0, GENESIS)
    text = checkpoint_json(chain_key(create=True), seq, digest)
    audit_record(actor=actor, action=AuditLogAction.CHECKPOINT, object_type="audit.auditentry",
                 after={"seq": seq, "hash": digest})
    return text


class ChainBroken(Exception):
    """The chain does not verify, so no checkpoint is issued for it."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("审计链未通过校验，不能导出检查点：" + "；".join(problems[:5]))
        self.problems = problems
