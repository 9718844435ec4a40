"""Writes of the enterprise's outbox: a package made by the export code (0004/0005/0006) and kept to be sent.

The zip is the one a download would give (the same functions make it), kept in the file store until its
receipt comes back; adding one starts a send on the task queue at once, the schedule sends the rest.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from soegov.audit.services import acting_user, audit_record, snapshot
from soegov.collector.audit_actions import CollectorAction
from soegov.collector.env import SEND_KIND
from soegov.collector.error_codes import CollectorError
from soegov.collector.fingerprints import items_fingerprint, regulation_fingerprint
from soegov.collector.models import OutboxPackage, OutboxState
from soegov.core.files import file_scope, file_store
from soegov.enterprises.models import Enterprise
from soegov.enterprises.selectors import in_scope
from soegov.exchange import exports, imports, meeting_export
from soegov.exchange import records as rec
from soegov.exchange.bundles import items_bundle
from soegov.exchange.models import Regulation

REPORTERS = exports.REGULATION_WRITERS
# Who queued a package the automatic reporting queued (the audit trail's actor; no user pressed 报送).
AUTO_ACTOR = "系统（自动报送）"


def configured() -> bool:
    """Whether this deployment reports to a collector (the start-up check has vetted the settings)."""
    from django.conf import settings

    return bool(settings.SOEGOV_COLLECTOR_URL and settings.SOEGOV_COLLECTOR_KEY_ID and settings.SOEGOV_COLLECTOR_KEY_FILE)


def require_configured() -> None:
    """Refuse (collector_not_configured) where this deployment reports to no collector."""
    if not configured():
        raise CollectorError.NOT_CONFIGURED.error()


def _check(actor: Any, enterprise: Enterprise) -> None:
    if actor is not None and (actor.role not in REPORTERS or not in_scope(actor, enterprise.pk)):
        raise PermissionDenied("只有本企业的填报人、秘书或负责人可以报送本企业的数据包")
    require_configured()


def operation(enterprise: Enterprise, record: str, what: str) -> str:
    """"edit" when the collector already holds the record (an earlier package of it was received), else "add";
    refused while an earlier package of it still waits for its receipt (the two could arrive out of order)."""
    earlier = OutboxPackage.objects.select_for_update().filter(enterprise=enterprise, record=record)
    waiting = earlier.filter(state__in=[OutboxState.PENDING, OutboxState.SENDING, OutboxState.RETRYING]).first()
    if waiting is not None:
        raise CollectorError.WAITING.error(path="record", what=what, what_en=record, state=waiting.get_state_display(),
                                           state_en=waiting.state)
    return "edit" if earlier.filter(state__in=[OutboxState.ACCEPTED, OutboxState.PARTIAL]).exists() else "add"


def outbox_add(*, actor: Any, enterprise: Enterprise, name: str, data: bytes, source: str,
               record: str = "", fingerprint: str = "", auto: bool = False) -> OutboxPackage:
    """Keep one package to be sent (audited); the caller's transaction covers it. A package the automatic
    reporting queues (`auto`) is audited as 系统 and sent by its own job, which starts no send per package."""
    with file_scope(), transaction.atomic():
        rec.parse_zip_name(name)  # a name the collector could not read is refused here, before it is queued
        stored = file_store(data, accept=None, limit=imports.MAX_ZIP_BYTES, field="package", label=name)
        pkg = OutboxPackage.objects.create(
            enterprise=enterprise, file_name=name[:255], sha256=stored.sha256, size=len(data), source=source[:200],
            record=record, fingerprint=fingerprint, created_by=acting_user(actor))
        audit_record(actor=actor, actor_name=AUTO_ACTOR if auto else None, action=CollectorAction.OUTBOX_ADD,
                     obj=pkg, after={**snapshot(pkg), "auto": auto})
        if not auto:
            transaction.on_commit(lambda: send_soon(actor))
    return pkg


def send_now(actor: Any) -> None:
    """Send every package due now (the page's button), refused where no collector is configured."""
    require_configured()
    send_soon(actor)


def send_soon(actor: Any) -> None:
    """Start a send on the task queue now (the button, the CLI, a package just added)."""
    from soegov.jobs.services import job_start

    job_start(actor=actor, kind=SEND_KIND, label="报送数据包到国资委采集端")


def report_items(*, actor: Any, enterprise: Enterprise, auto: bool = False) -> OutboxPackage:
    """Queue the enterprise's 0004 packages (one bundle, as the download)."""
    _check(actor, enterprise)
    with transaction.atomic():
        # Items choose add/edit/del themselves (ExportedItem); only the waiting check applies.
        operation(enterprise, "items", "事项清单")
        fingerprint = items_fingerprint(enterprise)
        name, data, count = items_bundle(actor=actor, enterprise=enterprise)
        if not count:
            raise CollectorError.NOTHING.error(what="事项清单", what_en="the decision list")
        return outbox_add(actor=actor, enterprise=enterprise, name=name, data=data, source=f"事项清单（{count} 项）",
                          record="items", fingerprint=fingerprint, auto=auto)


def report_regulation(*, actor: Any, regulation: Regulation, auto: bool = False) -> OutboxPackage:
    """Queue the 0005 package of one regulation."""
    _check(actor, regulation.enterprise)
    key = f"regulation:{regulation.sid}"
    with transaction.atomic():
        package = exports.regulation_package(regulation)
        oper = operation(regulation.enterprise, key, f"制度“{regulation.name}”")
        if package.oper_type == "add":  # a regulation withdrawn goes as del whatever was sent
            package.oper_type = oper
        name, data = exports.export_zip(actor=actor, enterprise=regulation.enterprise, record=package)
        return outbox_add(actor=actor, enterprise=regulation.enterprise, name=name, data=data,
                          source=f"有关制度：{regulation.name}", record=key,
                          fingerprint=regulation_fingerprint(regulation), auto=auto)


def report_meeting(*, actor: Any, meeting: Any, auto: bool = False) -> OutboxPackage:
    """Queue the 0006 package of one closed meeting (those who may export it only)."""
    _check(actor, meeting.enterprise)
    key = f"meeting:{meeting.pk}"
    with transaction.atomic():
        oper = operation(meeting.enterprise, key, f"会议“{meeting.title}”")
        name, data = meeting_export.meeting_export(actor=actor, meeting=meeting, oper_type=oper)
        return outbox_add(actor=actor, enterprise=meeting.enterprise, name=name, data=data,
                          source=f"会议决策：{meeting.title}", record=key, auto=auto)
