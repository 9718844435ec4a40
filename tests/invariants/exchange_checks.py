"""The exchange import's invariants of docs/invariants.md (X1–X6) as checks, each returning what breaks it.

The database-wide ones take no argument (like `checks.py`); a batch's take the job that imported it and what was
sent; the pages' take a supervisor who sees the enterprise."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

from soegov.exchange import anomalies, imports
from soegov.exchange.models import (
    ReceivedItem,
    ReceivedMeeting,
    ReceivedPackage,
    ReceivedRegulation,
    ReceivedSubject,
)


def one_active_row_per_item_and_code() -> list[str]:
    """X2: a re-sent item updates its row: one active row per item id, and one per item code (meetings cite codes)."""
    rows = list(ReceivedItem.objects.filter(active=True).values_list("enterprise_id", "sid", "code"))
    out = [f"item {k} has {n} active rows" for k, n in Counter((e, s) for e, s, _ in rows).items() if n > 1]
    return out + [f"code {k} has {n} active items" for k, n in Counter((e, c) for e, _, c in rows).items() if n > 1]


def one_active_row_per_regulation_and_meeting() -> list[str]:
    """X2: one active row per regulation id and per meeting id; a retired meeting has no active subject."""
    out = [f"regulation {k} has {n} active rows" for k, n in Counter(ReceivedRegulation.objects.filter(
        active=True).values_list("enterprise_id", "sid")).items() if n > 1]
    out += [f"meeting {k} has {n} active rows" for k, n in Counter(ReceivedMeeting.objects.filter(
        active=True).values_list("enterprise_id", "sid")).items() if n > 1]
    return out + [f"subject {s} active under retired meeting {m}" for s, m in ReceivedSubject.objects.filter(
        active=True, meeting__active=False).values_list("pk", "meeting_id")]


def stored_anomalies_are_the_computation() -> list[str]:
    """X5: every active received meeting's stored anomalies are what the one computation
    (`anomalies.meeting_anomalies`) finds now, with the items, rules and meetings now stored."""
    out = []
    for m in ReceivedMeeting.objects.filter(active=True).select_related("enterprise__jurisdiction"):
        sids = set(m.subjects.filter(active=True).values_list("sid", flat=True))
        stored = set(m.subjects.filter(active=True).values_list("sid", "anomalies__type").exclude(anomalies=None))
        now = {(a.subject_id, a.type) for a in anomalies.meeting_anomalies(m) if a.subject_id in sids}
        if stored != now:
            out.append(f"meeting {m.name}: stored {sorted(stored)}, computed now {sorted(now)}")
    return out


EXCHANGE: list[Callable[[], list[str]]] = [
    one_active_row_per_item_and_code, one_active_row_per_regulation_and_meeting, stored_anomalies_are_the_computation,
]


def batch_accounts_for_every_package(job: Any, sent: list[str], stored_before: int) -> list[str]:
    """X1: the job lists every zip sent, each applied (stored whole) or refused with a message naming it; the new
    packages are exactly the applied ones; the outcome and its sentence say all / some / none."""
    result = job.result
    items = result.get("items", [])
    out = []
    if sorted(i["file"] for i in items) != sorted(sent):
        out.append(f"job lists {sorted(i['file'] for i in items)}, sent {sorted(sent)}")
    applied = [i for i in items if i["ok"]]
    if (result.get("received"), result.get("refused")) != (len(applied), len(items) - len(applied)):
        out.append(f"job says {result.get('received')}/{result.get('refused')} for {len(applied)} of {len(items)}")
    new = ReceivedPackage.objects.count() - stored_before
    if new != len(applied):
        out.append(f"{new} packages stored, {len(applied)} said applied")
    out += [f"refusal of {i['file']} does not name it: {i['message']}" for i in items
            if not i["ok"] and i["file"].rsplit("/", 1)[-1] not in i["message"]]
    outcome, said = imports.batch_outcome([i["ok"] for i in items])
    if (result.get("outcome"), result.get("message")) != (outcome, said) or not said.startswith(
            {"applied": "全部接收", "partial": "部分接收", "refused": "全部退回", "empty": "没有"}[outcome]):
        out.append(f"job outcome {result.get('outcome')} {result.get('message')}, its items give {outcome}")
    return out


def pages_show_the_stored_anomalies(user: Any) -> list[str]:
    """X6: 三重一大数据 counts each meeting's stored anomalies, and the dashboard's 决策违规 lists each flagged
    subject once (the figure equals its rows)."""
    from soegov.exchange.models import SubjectAnomaly
    from soegov.exchange.selectors import received_meetings
    from soegov.oversight import dashboard

    out = []
    for m in received_meetings(user=user):
        stored = SubjectAnomaly.objects.filter(subject__meeting=m, subject__active=True).count()
        if m.anomaly_count != stored:
            out.append(f"三重一大数据 shows {m.anomaly_count} for {m.name}, {stored} stored")
    flagged = ReceivedSubject.objects.filter(active=True, meeting__active=True).exclude(anomalies=None).distinct().count()
    rows = dashboard.rows(user=user, kind="decision_violations")
    if len(rows) != flagged:
        out.append(f"决策违规 lists {len(rows)} rows, {flagged} subjects flagged")
    return out
