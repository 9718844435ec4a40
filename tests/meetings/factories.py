"""Factories for meetings tests; other apps may import them (MeetingFactory, TopicFactory, make_body, ...)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import factory
from django.test import Client
from django.utils import timezone
from factory.django import DjangoModelFactory

from soegov.enterprises import services as ent_services
from soegov.enterprises.models import BodyMember, DecisionBody, Enterprise
from soegov.exchange import exports, imports
from soegov.exchange.meeting_export import meeting_record
from soegov.meetings import results, sessions, topics, voting
from soegov.meetings.models import AgendaItem, Meeting, Topic
from soegov.meetings.preparation import STEPS
from tests.factories import PDF, EnterpriseFactory, JurisdictionFactory


def logged_in(user: Any) -> Client:
    """A test client with the user logged in."""
    c = Client()
    c.force_login(user)
    return c


def xundian_enterprise(**kwargs: Any) -> Enterprise:
    """An enterprise of a jurisdiction whose pack has meeting rules (xundian-2020)."""
    jurisdiction = JurisdictionFactory(code="xundian-test", name="寻甸测试县", policy_packs=["xundian-2020"])
    return EnterpriseFactory(jurisdiction=jurisdiction, **kwargs)


def make_body(enterprise: Enterprise | None = None, kind: str = "party_committee", names: list[str] | None = None,
              principal: str | None = None) -> DecisionBody:
    """A body with voting members (the first is the principal unless `principal` names another)."""
    enterprise = enterprise or xundian_enterprise()
    body = ent_services.body_create(actor=None, enterprise=enterprise, kind=kind)
    names = names or ["张书记", "李委员", "王委员", "赵委员", "钱委员"]
    principal = principal or names[0]
    for name in names:
        ent_services.member_add(actor=None, body=body, name=name, is_principal=name == principal)
    return body


def member(body: DecisionBody, name: str) -> BodyMember:
    """The member of the body with that name."""
    return BodyMember.objects.get(body=body, name=name)


class TopicFactory(DjangoModelFactory):
    class Meta:
        model = Topic

    enterprise = factory.LazyFunction(xundian_enterprise)
    title = factory.Sequence(lambda n: f"测试议题{n}")
    category = "major_decision"

    @classmethod
    def _create(cls, model_class: type, *args: Any, **kwargs: Any) -> Topic:
        return topics.topic_create(actor=None, **kwargs)


def prepared_topic(enterprise: Enterprise, title: str = "年度投资计划", category: str = "major_decision",
                   body_kind: str = "party_committee", **kwargs: Any) -> Topic:
    """A topic with every art. 11 step done and a material uploaded, ready for a `body_kind` agenda."""
    route = kwargs.pop("route", None) or ([body_kind] if body_kind == "party_committee" else ["party_committee", body_kind])
    topic = topics.topic_create(actor=None, enterprise=enterprise, title=title, category=category, route=route, **kwargs)
    for step in STEPS:
        topic = topics.topic_step_mark(actor=None, topic=topic, step=step)
    topics.material_upload(actor=None, topic=topic, name="方案.pdf", data=PDF)
    topic.refresh_from_db()
    return topic


class MeetingFactory(DjangoModelFactory):
    class Meta:
        model = Meeting

    body = factory.LazyFunction(make_body)
    title = factory.Sequence(lambda n: f"第{n}次会议")
    # Within the hour before it, so run_meeting may open it (earlier openings are refused).
    held_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(minutes=30))

    @classmethod
    def _create(cls, model_class: type, *args: Any, **kwargs: Any) -> Meeting:
        return sessions.meeting_create(actor=None, **kwargs)


class AgendaItemFactory(DjangoModelFactory):
    """A prepared topic put on the meeting's agenda."""

    class Meta:
        model = AgendaItem

    meeting = factory.SubFactory(MeetingFactory)
    category = "major_decision"
    voting_method: Any = None

    @classmethod
    def _create(cls, model_class: type, *args: Any, **kwargs: Any) -> AgendaItem:
        meeting = kwargs["meeting"]
        topic = kwargs.get("topic") or prepared_topic(meeting.enterprise, title=kwargs.get("title", "议题"),
                                                      category=kwargs.get("category", "major_decision"),
                                                      body_kind=meeting.body.kind)
        return sessions.item_add(actor=None, meeting=meeting, topic=topic, voting_method=kwargs.get("voting_method"),
                                 ad_hoc=kwargs.get("ad_hoc", False))


def run_meeting(meeting: Meeting, present: list[str], votes: dict[Any, dict[str, str]],
                statements: dict[Any, list[str]] | None = None) -> Meeting:
    """Notice, materials, open, attendance (others absent), statements and votes per item; results computed."""
    meeting = sessions.notice_send(actor=None, meeting=meeting)
    meeting = sessions.materials_distribute(actor=None, meeting=meeting)
    meeting = sessions.meeting_open(actor=None, meeting=meeting)
    for m in meeting.body.members.all():
        sessions.attendance_record(actor=None, meeting=meeting, member=m, present=m.name in present,
                                   absence_reason="" if m.name in present else "出差")
    for item, by_name in votes.items():
        if statements and item in statements:
            sessions.statements_record(actor=None, meeting=meeting, item=item,
                                       order=[member(meeting.body, n) for n in statements[item]])
        for name, choice in by_name.items():
            voting.vote_record(actor=None, meeting=meeting, item=item, member=member(meeting.body, name), choice=choice)
    results.results_compute(actor=None, meeting=meeting)
    meeting.refresh_from_db()
    return meeting


def xundian_meeting(names: list[str], **kwargs: Any) -> Meeting:
    """A meeting of a xundian party committee whose voting members are `names` (the first the principal)."""
    return MeetingFactory(body=make_body(xundian_enterprise(), names=names), **kwargs)


def voted_meeting(names: list[str], title: str = "年度投资计划") -> tuple[Meeting, AgendaItem]:
    """A meeting in session with one item every member attended and voted for (the engine finds nothing)."""
    meeting = xundian_meeting(names)
    item = AgendaItemFactory(meeting=meeting, title=title)
    run_meeting(meeting, present=names, votes={item: dict.fromkeys(names, "for")})
    return Meeting.objects.get(pk=meeting.pk), item


def report_meeting(meeting: Meeting, reviewer: Any) -> list[Any]:
    """The enterprise sends its items (0004) and the meeting's 0006; `reviewer` imports them; the results."""
    ent = meeting.enterprise
    files = [(name.replace(".zip", f"_{i}.zip"), data) for i, (name, data, _) in
             enumerate(exports.items_export(actor=None, enterprise=ent, day=timezone.localdate()))]
    files.append(exports.export_zip(actor=None, enterprise=ent, record=meeting_record(meeting)))
    return imports.import_packages(actor=reviewer, files=files)
