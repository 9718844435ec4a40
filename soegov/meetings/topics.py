"""Writes on topics: creating one (or from a matter), its preparation steps, dispute and emergency flags,
the party committee's pre-study, its materials.

Writes are keyword-only, one transaction each, the actor checked (meetings.gates), audited. Meeting writes
lock the meeting row (select_for_update) and, where a form carries it, check the version the actor saw, so
two people recording at once never lose an update.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from soegov.audit.services import acting_user, audit_record, snapshot
from soegov.core.errors import InputError, SoegovError
from soegov.core.files import file_scope, file_store
from soegov.enterprises.models import Enterprise
from soegov.meetings import preparation
from soegov.meetings.gates import ORGANISER_GATE
from soegov.meetings.models import AgendaItem, Category, Topic, TopicMaterial, TopicStatus
from soegov.meetings.saving import TOPIC_FIELDS, choice_value, topic_lock, topic_ready_status, topic_save
from soegov.user_input import clean_money, clean_text


@ORGANISER_GATE.on("enterprise")
@transaction.atomic
def topic_create(*, actor: Any, enterprise: Enterprise, title: str, category: str, description: str = "",
                 matter: Any = None, amount: Any = None, staff_interests: bool = False,
                 route: list[str] | None = None) -> Topic:
    """A new topic (议题) by hand or from a matter; the route comes from the enterprise's decision list."""
    if matter is not None and matter.enterprise_id != enterprise.pk:
        raise InputError("wrong_enterprise", "该事项不属于本企业", "matter", "the matter belongs to another enterprise")
    topic = Topic(enterprise=enterprise, title=clean_text(title, "title", "议题名称", 200),
                  category=choice_value(category, Category, "category", "事项类别"), description=str(description or "").strip(),
                  matter=matter, amount=(clean_money(amount, "amount", "金额", required=False) if amount not in ("", None)
                                        else getattr(matter, "amount", None)),
                  staff_interests=bool(staff_interests), created_by=acting_user(actor))
    if route is None:
        from soegov.meetings.decision_lists import route_for

        route = route_for(enterprise, topic.category, topic.amount, getattr(matter, "matter_type", None))
    topic.route = list(route)
    topic.save()
    audit_record(actor=actor, action="topic.create", obj=topic, after=snapshot(topic, TOPIC_FIELDS))
    return topic


@transaction.atomic
def topic_from_matter(*, actor: Any, matter: Any, category: str = "major_decision") -> Topic:
    """A topic for a matter that needs a collective decision, carrying its title, amount and description."""
    return topic_create(actor=actor, enterprise=matter.enterprise, title=matter.title, category=category,
                        description=matter.description, matter=matter, amount=matter.amount)


@ORGANISER_GATE.on("topic.enterprise")
@transaction.atomic
def topic_step_mark(*, actor: Any, topic: Topic, step: str, done: bool = True, note: str = "", version: Any = None) -> Topic:
    """Record one art. 11 preparation step of a topic as done (or undone), who and when."""
    topic = topic_lock(topic, version)
    if step not in preparation.STEPS:
        raise InputError("unknown_step", f"未知的准备步骤：{step!r}", "step", f"unknown step {step!r}")
    if topic.status in (TopicStatus.SCHEDULED, TopicStatus.DECIDED):
        raise SoegovError("topic_locked", f"议题已{topic.get_status_display()}，准备记录不能再改", "status", "topic is locked")
    before = snapshot(topic, TOPIC_FIELDS)
    prep = dict(topic.preparation or {})
    prep[step] = {"done": bool(done), "at": timezone.localtime().isoformat(), "by": getattr(actor, "username", "system"),
                  "note": str(note or "").strip()[:500]}
    topic.preparation = prep
    topic.status = topic_ready_status(topic)
    return topic_save(topic, before, actor=actor, action="prepare_step")


@ORGANISER_GATE.on("topic.enterprise")
@transaction.atomic
def dispute_set(*, actor: Any, topic: Topic, disputed: bool, emergency: bool = False, version: Any = None) -> Topic:
    """Record that a topic is seriously disputed; without an emergency it is postponed (art. 15)."""
    topic = topic_lock(topic, version)
    before = snapshot(topic, TOPIC_FIELDS)
    topic.disputed, topic.emergency = bool(disputed), bool(emergency)
    if topic.disputed and not topic.emergency and topic.status in (TopicStatus.DRAFT, TopicStatus.PREPARED):
        topic.status = TopicStatus.POSTPONED
    elif not topic.disputed and topic.status == TopicStatus.POSTPONED:
        topic.status = topic_ready_status(topic)
    return topic_save(topic, before, actor=actor, action="dispute")


@ORGANISER_GATE.on("topic.enterprise")
@transaction.atomic
def prestudy_link(*, actor: Any, topic: Topic, item: AgendaItem, version: Any = None) -> Topic:
    """Link the party committee's pre-study item (its conclusion) to this later board / GM office topic."""
    topic = topic_lock(topic, version)
    if item.meeting.body.kind != "party_committee" or item.meeting.enterprise_id != topic.enterprise_id:
        raise InputError("not_prestudy", "只能关联本企业党委（党工委）会的前置研究议题", "prestudy",
                         "only the enterprise's party committee item can be the pre-study")
    if item.passed is not True:
        # The link is what the later pages read as "党委前置研究：研究通过": it may only record a pass that happened.
        said = "未通过" if item.passed is False else "尚未计票"
        raise InputError("prestudy_not_passed", f"该党委会议题{said}，不能作为前置研究关联（须经党委会研究通过）",
                         "prestudy", "only an item the party committee passed can be the pre-study")
    before = snapshot(topic, TOPIC_FIELDS)
    topic.prestudy = item
    topic.status = TopicStatus.PREPARED if preparation.is_ready(topic) else topic.status
    return topic_save(topic, before, actor=actor, action="link_prestudy")


@ORGANISER_GATE.on("topic.enterprise")
def material_upload(*, actor: Any, topic: Topic, name: str, data: bytes) -> Any:
    """Store a topic's material by its hash (same store and content checks as matter attachments)."""
    from pathlib import Path

    with file_scope(), transaction.atomic():
        stored = file_store(data, label="决策材料")
        locked = topic_lock(topic)
        if locked.status == TopicStatus.DECIDED:
            raise SoegovError("topic_locked", "议题已决策，材料不能再改", "status", "topic is decided")
        before = snapshot(locked, TOPIC_FIELDS)
        base = Path(str(name or "")).stem[:200] or "决策材料"
        material = TopicMaterial.objects.create(topic=locked, original_name=f"{base}.{stored.extension}",
                                                content_type=stored.content_type, size=stored.size,
                                                sha256=stored.sha256, uploaded_by=acting_user(actor))
        if locked.status == TopicStatus.DRAFT and preparation.is_ready(locked):
            locked.status = TopicStatus.PREPARED
        topic_save(locked, before, actor=actor, action="material")
        audit_record(actor=actor, action="topic.material_upload", obj=material,
                     after={"topic": locked.pk, "sha256": stored.sha256, "size": stored.size})
    return material
