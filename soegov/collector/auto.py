"""Automatic reporting: the system queues what the collector has not got in its present form, as 报送 would.

Run by the periodic job `collector.autoreport` (jobs.py) where a collector is configured and
SOEGOV_COLLECTOR_AUTO is on. A deployment reports for one enterprise: the one its key was issued to, whose USCC
begins the key id (the collector refuses any other enterprise's package). Queued, in this order, so the
supervisor checks a meeting against the items and rules it already holds:

- the 0004 decision list, when its items differ from the last package of it the collector accepted;
- each regulation (0005) never queued, or changed since its last package (a withdrawn one goes as del, and
  only when the collector holds it);
- each closed or archived meeting (0006) never queued (a correction is re-reported by hand, as an edit).

A record whose earlier package still waits for its receipt is left for a later run; a record the export
refuses is not queued, and the run says which and why.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.conf import settings

from soegov.collector import outbox
from soegov.collector.env import switch
from soegov.collector.error_codes import CollectorError
from soegov.collector.fingerprints import items_fingerprint, regulation_fingerprint
from soegov.collector.models import OutboxPackage, OutboxState
from soegov.core.errors import SoegovError
from soegov.enterprises.models import Enterprise
from soegov.exchange.models import Regulation

log = logging.getLogger("soegov.collector")
HELD = (OutboxState.ACCEPTED, OutboxState.PARTIAL)


@dataclass
class Found:
    """What one run queued, left waiting and could not queue (each a record's name, the last with why)."""

    queued: list[str] = field(default_factory=list)
    waiting: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)

    def said(self) -> str:
        """The run in words (the job's message); long lists are cut (the first run may queue years of meetings)."""
        parts = [f"已自动加入报送队列 {len(self.queued)} 个数据包" + (f"（{_some(self.queued, '、')}）" if self.queued else "")]
        if self.waiting:
            parts.append(f"{_some(self.waiting, '、')}的上一个数据包尚未收到回执，下次再报送")
        if self.refused:
            parts.append("未能报送：" + _some(self.refused, "；"))
        return "；".join(parts)


def _some(names: list[str], sep: str, shown: int = 10) -> str:
    return sep.join(names[:shown]) + (f"等 {len(names)} 项" if len(names) > shown else "")


def enabled() -> bool:
    """Whether the system queues packages by itself (a collector configured, SOEGOV_COLLECTOR_AUTO on)."""
    return outbox.configured() and bool(switch(str(settings.SOEGOV_COLLECTOR_AUTO_RAW)))


def reporting_uscc() -> str:
    """The USCC of the enterprise this deployment reports for: the key id's part before its last "-"."""
    return str(settings.SOEGOV_COLLECTOR_KEY_ID).rpartition("-")[0]


def reporting_enterprise() -> Enterprise | None:
    """The enterprise this deployment reports for, if it is in the registry."""
    uscc = reporting_uscc()
    return Enterprise.objects.filter(uscc=uscc).first() if uscc else None


def queue_due() -> Found:
    """Queue every record of the reporting enterprise the collector has not got in its present form."""
    found = Found()
    enterprise = reporting_enterprise()
    if enterprise is None:
        found.refused.append(f"本系统的企业名录中没有统一社会信用代码为 {reporting_uscc() or '（空）'} 的企业"
                             f"（报送密钥 {settings.SOEGOV_COLLECTOR_KEY_ID} 的企业）")
        return found
    latest, held = _sent(enterprise)
    if _changed("items", items_fingerprint(enterprise), latest, held):
        _queue(found, "事项清单", partial(outbox.report_items, actor=None, enterprise=enterprise, auto=True))
    for reg in Regulation.objects.filter(enterprise=enterprise).order_by("created_at", "id"):
        key = f"regulation:{reg.sid}"
        # A withdrawal is news only to a collector that holds the regulation.
        if (reg.active or key in held) and _changed(key, regulation_fingerprint(reg), latest, held):
            _queue(found, f"制度“{reg.name}”", partial(outbox.report_regulation, actor=None, regulation=reg, auto=True))
    for meeting in _meetings_never_queued(enterprise, latest):
        _queue(found, f"会议“{meeting.title}”", partial(outbox.report_meeting, actor=None, meeting=meeting, auto=True))
    return found


def _sent(enterprise: Enterprise) -> tuple[dict[str, str], dict[str, str]]:
    """Per record, the fingerprint of its latest package, and of its latest package the collector accepted."""
    latest: dict[str, str] = {}
    held: dict[str, str] = {}
    rows = (OutboxPackage.objects.filter(enterprise=enterprise).exclude(record="")
            .order_by("created_at", "id").values_list("record", "fingerprint", "state"))
    for record, fingerprint, state in rows:
        latest[record] = fingerprint
        if state in HELD:
            held[record] = fingerprint
    return latest, held


def _changed(record: str, fingerprint: str, latest: dict[str, str], held: dict[str, str]) -> bool:
    # Never sent, or different from both what the collector holds and what was last sent (a package refused
    # is not sent again unchanged: it would be refused again).
    return record not in latest or fingerprint not in {latest[record], held.get(record)}


def _meetings_never_queued(enterprise: Enterprise, latest: dict[str, str]) -> Any:
    from soegov.meetings.models import Meeting, MeetingStatus

    queued = [int(r.partition(":")[2]) for r in latest if r.startswith("meeting:") and r.partition(":")[2].isdigit()]
    return (Meeting.objects.filter(enterprise=enterprise, status__in=[MeetingStatus.CLOSED, MeetingStatus.ARCHIVED])
            .exclude(pk__in=queued).select_related("enterprise", "body", "host").order_by("held_at", "id"))


def _queue(found: Found, what: str, report: Callable[[], OutboxPackage]) -> None:
    """Queue one record; a refusal is said in the run's result, and the next record is still tried."""
    try:
        report()
    except SoegovError as exc:
        if exc.code == CollectorError.WAITING:
            found.waiting.append(what)
        elif exc.code != CollectorError.NOTHING:
            found.refused.append(f"{what}：{exc.message}")
        return
    except Exception:
        # One record's unforeseen failure must not stop every later record from being reported, run after run.
        log.exception("collector: the automatic reporting could not queue %s", what)
        found.refused.append(f"{what}：导出时出错（详见服务器日志）")
        return
    found.queued.append(what)
