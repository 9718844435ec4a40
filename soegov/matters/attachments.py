"""Writes on a matter's attachments: uploading one into the file store, withdrawing one not yet submitted."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from soegov.audit.services import acting_user, audit_record, snapshot
from soegov.core.errors import InputError, TransitionRefused
from soegov.core.files import file_scope, file_store
from soegov.matters import workflow
from soegov.matters.models import Attachment, Matter
from soegov.matters.selectors import attachment_label
from soegov.matters.transitions import AUDIT_FIELDS, WRITER_GATE, matter_lock, transition_save
from soegov.user_input import clean_text


def attachment_upload(*, actor: Any, matter: Matter, kind: str, name: str, data: bytes,
                      version: int | None = None) -> Attachment:
    """Check size and content, store the file by its hash, record a new version; nothing half-saved on failure."""
    from soegov.policy.catalogue import ATTACHMENTS

    if kind not in ATTACHMENTS:
        raise InputError("invalid_kind", "请选择材料类别", "kind", "choose an attachment kind")
    with file_scope(), transaction.atomic():
        stored = file_store(data, label=attachment_label(kind))
        m = matter_lock(matter, version)
        WRITER_GATE.check(actor, m.enterprise)
        if m.status not in workflow.EDITABLE:
            raise TransitionRefused("not_editable", f"事项当前状态为“{m.get_status_display()}”，不能上传材料", "status",
                                    "attachments cannot be changed in this state")
        last = m.attachments.filter(kind=kind).order_by("-version").first()
        base = Path(str(name or "")).stem[:200] or attachment_label(kind)
        att = Attachment.objects.create(
            matter=m, kind=kind, version=(last.version + 1) if last else 1, original_name=f"{base}.{stored.extension}",
            content_type=stored.content_type, extension=stored.extension, size=stored.size, sha256=stored.sha256,
            uploaded_by=acting_user(actor),
        )
        before = snapshot(m, AUDIT_FIELDS)
        transition_save(m, before, actor=actor, action="attach", comment=f"{attachment_label(kind)} 第{att.version}版：{att.original_name}")
        audit_record(actor=actor, action="matter.attachment_upload", obj=att,
                     after={"matter": m.pk, "kind": kind, "version": att.version, "sha256": stored.sha256,
                            "size": stored.size})
    return att


def submitted_attachment_ids(matter: Matter) -> set[int]:
    """The attachments some submission of the matter carried (the supervisor has seen them)."""
    return {int(a["id"]) for snap in matter.submissions.values_list("snapshot", flat=True)
            for a in (snap.get("attachments") or {}).values()}


def attachment_withdraw(*, actor: Any, attachment: Attachment, version: int | None = None, reason: str = "") -> Attachment:
    """Withdraw a wrong upload before it is submitted: it no longer counts, its version and file are kept."""
    reason = clean_text(reason, "reason", "撤回原因", 200, required=False)
    with transaction.atomic():
        m = matter_lock(attachment.matter, version)
        WRITER_GATE.check(actor, m.enterprise)
        a = Attachment.objects.select_for_update().get(pk=attachment.pk, matter=m)
        label = f"{attachment_label(a.kind)} 第{a.version}版（{a.original_name}）"
        if m.status not in workflow.EDITABLE:
            raise TransitionRefused("not_editable", f"事项当前状态为“{m.get_status_display()}”，不能撤回材料", "status",
                                    "attachments cannot be withdrawn in this state")
        if a.withdrawn_at is not None:
            raise TransitionRefused("already_withdrawn", f"{label}已于 {timezone.localtime(a.withdrawn_at):%Y-%m-%d %H:%M} 撤回",
                                    "attachment", "the attachment is already withdrawn")
        if a.pk in submitted_attachment_ids(m):
            raise TransitionRefused("already_submitted", f"{label}已随报送提交监管机构，不能撤回；如需更正，请上传新版本", "attachment",
                                    "the attachment was submitted; upload a new version instead")
        a.withdrawn_at = timezone.now()
        a.withdrawn_by = acting_user(actor)
        a.save(update_fields=["withdrawn_at", "withdrawn_by"])
        before = snapshot(m, AUDIT_FIELDS)
        transition_save(m, before, actor=actor, action="withdraw_attachment", comment=f"{label}" + (f"：{reason}" if reason else ""))
        audit_record(actor=actor, action="matter.attachment_withdraw", obj=a, before={"withdrawn_at": None},
                     after={"matter": m.pk, "kind": a.kind, "version": a.version, "sha256": a.sha256,
                            "withdrawn_at": a.withdrawn_at.isoformat(), "reason": reason})
    return a
