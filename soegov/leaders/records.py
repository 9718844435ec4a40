"""Writes on leader records: the listed level-2 groups, leaders, and the documents their steps rest on.

Writes are keyword-only, one transaction each, the acting user checked and an audit entry inside."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from soegov.audit.services import acting_user, audit_record, snapshot
from soegov.core.errors import InputError
from soegov.core.files import file_scope, file_store
from soegov.enterprises.models import Enterprise
from soegov.leaders.checks import SUPERVISOR_GATE, post_value, term_check
from soegov.leaders.models import Document, GroupListing, Leader
from soegov.user_input import clean_date, clean_text


@SUPERVISOR_GATE.on("enterprise")
def listing_set(*, actor: Any, enterprise: Enterprise, listed: bool, basis: str = "") -> GroupListing:
    """Mark a level-2 group as listed (or not) among those whose leaders the city party committee decides."""
    if listed and enterprise.level != 2:
        raise InputError("not_level2", "只有二级企业集团可以列入市委研究决定的名单（伊宁办法第七条第一项第2目）", "listed",
                         "only level-2 groups can be listed")
    basis = clean_text(basis, "basis", "依据文件", 200, required=False)
    with transaction.atomic():
        listing, _ = GroupListing.objects.select_for_update().get_or_create(enterprise=enterprise)
        before = snapshot(listing, ["listed", "basis"])
        listing.listed, listing.basis = listed, basis
        listing.updated_by, listing.updated_at = acting_user(actor), timezone.now()
        listing.save()
        audit_record(actor=actor, action="leaders.listing_set", obj=listing, before=before,
                     after=snapshot(listing, ["listed", "basis"]))
    return listing


def is_listed(enterprise: Enterprise) -> bool:
    """Whether the enterprise is a listed level-2 group."""
    return GroupListing.objects.filter(enterprise=enterprise, listed=True).exists()


LEADER_FIELDS = ["name", "post", "term_start", "term_end", "active", "user", "body_member"]


@SUPERVISOR_GATE.on("enterprise")
def leader_create(*, actor: Any, enterprise: Enterprise, name: str, post: str, term_start: Any = None,
                  term_end: Any = None, user: Any = None) -> Leader:
    """Record a serving leader (for teams in post before the system; new ones come through an appointment)."""
    leader = Leader(enterprise=enterprise, name=clean_text(name, "name", "姓名", 50), post=post_value(post),
                    term_start=clean_date(term_start, "term_start", "任期开始日期", required=False),
                    term_end=clean_date(term_end, "term_end", "任期结束日期", required=False), user=user)
    term_check(leader.term_start, leader.term_end)
    with transaction.atomic():
        leader.save()
        audit_record(actor=actor, action="leaders.leader_create", obj=leader, after=snapshot(leader, LEADER_FIELDS))
    return leader


@SUPERVISOR_GATE.on("leader.enterprise")
def leader_update(*, actor: Any, leader: Leader, name: str, term_start: Any, term_end: Any, active: bool) -> Leader:
    """Change a leader record's name, term or serving flag (the group's HR sync keeps them in step)."""
    name = clean_text(name, "name", "姓名", 50)
    start = clean_date(term_start, "term_start", "任期开始日期", required=False)
    end = clean_date(term_end, "term_end", "任期结束日期", required=False)
    term_check(start, end)
    with transaction.atomic():
        locked = Leader.objects.select_for_update().get(pk=leader.pk)
        before = snapshot(locked, LEADER_FIELDS)
        locked.name, locked.term_start, locked.term_end, locked.active = name, start, end, bool(active)
        after = snapshot(locked, LEADER_FIELDS)
        if after != before:
            locked.version += 1
            locked.updated_at = timezone.now()
            locked.save()
            audit_record(actor=actor, action="leaders.leader_update", obj=locked, before=before, after=after)
    return locked


@contextmanager
def upload_scope() -> Iterator[None]:
    """Upload a document and record what rests on it as one: a refusal leaves neither the record nor the file."""
    with file_scope(), transaction.atomic():
        yield


def document_upload(*, actor: Any, enterprise: Enterprise, title: str, name: str, data: bytes,
                    doc_number: str = "") -> Document:
    """Store an uploaded document by its hash, typed by its content (the core file store)."""
    title = clean_text(title, "title", "文件名称", 200)
    doc_number = clean_text(doc_number, "doc_number", "文号", 60, required=False)
    with file_scope(), transaction.atomic():
        stored = file_store(data, label=title or "文件")
        doc = Document.objects.create(
            enterprise=enterprise, title=title, doc_number=doc_number,
            original_name=f"{Path(str(name or '')).stem[:200] or title}.{stored.extension}",
            content_type=stored.content_type, extension=stored.extension, size=stored.size, sha256=stored.sha256,
            uploaded_by=acting_user(actor))
        audit_record(actor=actor, action="leaders.document_upload", obj=doc,
                     after={"title": title, "doc_number": doc_number, "sha256": stored.sha256, "size": stored.size})
    return doc
