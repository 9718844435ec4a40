"""Batch actions: one service call per chosen record, each in its own transaction, each outcome reported.

A reviewer who files twenty alike matters ticks them and acts once; each still goes through the single
action's service (its gate, its checks, its audit entry, its transaction), so one refusal neither stops
nor undoes the others, and the result page names every record with what happened to it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from soegov.core.errors import InputError, SoegovError

# Records one batch may hold: the largest list page.
MAX_BATCH = 200


@dataclass(frozen=True)
class Pick:
    """One ticked row: the record's id and the version the user saw (a record changed since is refused)."""

    pk: int
    version: int | None


@dataclass(frozen=True)
class ItemOutcome:
    """What the batch did to one record: done (with what to say) or refused (with the reason)."""

    label: str
    url: str
    ok: bool
    message: str


def read_picks(values: Sequence[str]) -> list[Pick]:
    """The ticked rows posted as "id:version" (version optional), in order, once each; InputError if none or too many."""
    picks: dict[int, Pick] = {}
    for raw in values:
        head, _, tail = str(raw).strip().partition(":")
        if not head.isdigit() or (tail and not tail.isdigit()):
            raise InputError("invalid_pick", f"所选记录有误：{str(raw)[:40]}", "pick", "a ticked row is malformed")
        picks.setdefault(int(head), Pick(int(head), int(tail) if tail else None))
    if not picks:
        raise InputError("nothing_picked", "请先勾选要办理的记录", "pick", "tick at least one row")
    if len(picks) > MAX_BATCH:
        raise InputError("too_many_picked", f"一次最多办理 {MAX_BATCH} 条，已勾选 {len(picks)} 条", "pick",
                         f"at most {MAX_BATCH} rows at once")
    return list(picks.values())


def run_each(picks: Iterable[Pick], records: dict[int, Any], act: Callable[[Any, Pick], str], *,
             label: Callable[[Any], str], url: Callable[[Any], str], missing: str) -> list[ItemOutcome]:
    """act(record, pick) for each pick in its own transaction; a refusal (SoegovError, PermissionDenied) is its
    outcome's reason and the next record goes on. `records` holds those the user may see; others are `missing`."""
    out = []
    for pick in picks:
        record = records.get(pick.pk)
        if record is None:
            # Named by the number the user ticked, so he can tell which of his rows it was.
            out.append(ItemOutcome(_("（无法查看的记录 %(pk)s）") % {"pk": pick.pk}, "", False, missing))
            continue
        try:
            with transaction.atomic():
                done = act(record, pick)
        except SoegovError as exc:
            out.append(ItemOutcome(label(record), url(record), False, exc.message))
        except PermissionDenied as exc:
            out.append(ItemOutcome(label(record), url(record), False, str(exc) or "您无权办理"))
        else:
            out.append(ItemOutcome(label(record), url(record), True, done))
    return out


def result_page(request: HttpRequest, outcomes: Sequence[ItemOutcome], *, title: str, what: str, back_url: str,
                back_label: str) -> HttpResponse:
    """The batch's result page: how many were done and refused, then every record with its outcome."""
    done = sum(o.ok for o in outcomes)
    return render(request, "web/batch_result.html", {
        "title": title, "what": what, "outcomes": outcomes, "done": done, "refused": len(outcomes) - done,
        "back_url": back_url, "back_label": back_label})
