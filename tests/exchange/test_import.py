"""The supervisor's import: round trip, refusals storing nothing, anomalies stored, scope and audit."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from soegov.accounts.roles import Role
from soegov.audit.models import AuditEntry
from soegov.exchange import anomalies, imports
from soegov.exchange import packages as p
from soegov.exchange import records as rec
from soegov.exchange.models import (
    ReceivedItem,
    ReceivedMeeting,
    ReceivedPackage,
    ReceivedRegulation,
    ReceivedSubject,
    SubjectAnomaly,
)
from tests.exchange import samples
from tests.factories import EnterpriseFactory, UserFactory

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 11, 20)


@pytest.fixture
def ent():
    return EnterpriseFactory()


@pytest.fixture
def reviewer(ent):
    return UserFactory(role=Role.SUPERVISOR_REVIEWER, jurisdiction=ent.jurisdiction)


def _zip(ent, record, day=DAY):
    return rec.zip_name(rec.kind_of(record), day, ent.uscc), p.build_zip(record, day)


def _import(reviewer, ent, *records):
    return imports.import_packages(actor=reviewer, files=[_zip(ent, r) for r in records])


def test_items_regulation_and_meeting_import_in_order_and_the_meeting_round_trips(reviewer, ent):
    meeting = samples.meeting(subjects=[samples.subject(codes=("F01-001",))])
    results = _import(reviewer, ent, meeting, samples.regulation(), samples.item(meetings=("党委会",)))
    assert [r.ok for r in results] == [True, True, True], [r.message for r in results]
    assert [r.package.kind for r in results] == ["0004", "0005", "0006"]
    stored = ReceivedMeeting.objects.get(enterprise=ent)
    back = anomalies.as_record(stored)
    assert back.attendees == meeting.attendees
    assert [(s.subject_name, s.deliberations, s.relations) for s in back.subjects] == [
        (s.subject_name, s.deliberations, s.relations) for s in meeting.subjects]
    assert SubjectAnomaly.objects.count() == 0
    assert AuditEntry.objects.filter(action="exchange.import").count() == 3


def test_a_refused_package_stores_nothing_and_names_the_field(reviewer, ent):
    bad = samples.meeting(subjects=[samples.subject(codes=("F09-009",))])
    [result] = _import(reviewer, ent, bad)
    assert not result.ok and "F09-009" in result.message and "0006_1000_20261120.zip" in result.message
    assert ReceivedPackage.objects.count() == ReceivedMeeting.objects.count() == ReceivedSubject.objects.count() == 0


def test_duplicates_on_add_and_edit_of_unknown_are_refused(reviewer, ent):
    assert _import(reviewer, ent, samples.item())[0].ok
    another = samples.item()
    another.item_id = "id-another"  # another item under a code in use (the same item sent again goes as 修改)
    again = _import(reviewer, ent, another)[0]
    assert not again.ok and "已存在" in again.message
    edit = samples.item()
    edit.oper_type = "edit"
    edit.item_name = "新名称"
    assert _import(reviewer, ent, edit)[0].ok
    assert list(ReceivedItem.objects.filter(active=True).values_list("name", flat=True)) == ["新名称"]
    ghost = samples.item(code="F01-002")
    ghost.oper_type = "del"
    gone = _import(reviewer, ent, ghost)[0]
    assert gone.message == f"数据包“{gone.file_name}”：要删除的事项 {ghost.item_id} 未入库"


def test_duplicate_meeting_same_day_and_name(reviewer, ent):
    _import(reviewer, ent, samples.item(meetings=("党委会",)))
    assert _import(reviewer, ent, samples.meeting())[0].ok
    second = _import(reviewer, ent, samples.meeting())[0]
    assert not second.ok and "同日同名" in second.message


def test_anomalies_are_raised_and_settled_by_a_later_decision(reviewer, ent):
    _import(reviewer, ent, samples.item(meetings=("党委会", "董事会")))
    party = samples.meeting(name="党委会前置研究", subjects=[samples.subject(sid="p1", name="研究购置设备", counsel=False)])
    [r] = _import(reviewer, ent, party)
    assert r.ok and r.anomalies
    types = set(SubjectAnomaly.objects.values_list("type", flat=True))
    assert {1, 3} <= types
    board = samples.meeting(name="董事会决策", type_name="董事会", subjects=[
        samples.subject(sid="b1", name="购置设备", relations=(("党委会前置研究", "研究购置设备"),))])
    assert _import(reviewer, ent, board)[0].ok
    party_types = set(SubjectAnomaly.objects.filter(subject__sid="p1").values_list("type", flat=True))
    assert 3 not in party_types and 1 in party_types
    # Retiring the board's meeting unsettles the pre-study again (X5: stored findings are what is stored now).
    board.oper_type = "del"
    assert _import(reviewer, ent, board)[0].ok
    assert 3 in set(SubjectAnomaly.objects.filter(subject__sid="p1").values_list("type", flat=True))


def test_enterprise_outside_the_jurisdiction_or_unknown_is_refused(reviewer):
    other = EnterpriseFactory()  # another jurisdiction
    [r] = _import(reviewer, other, samples.item())
    assert not r.ok and "不是本辖区登记的企业" in r.message


def test_only_reviewers_import(ent):
    filer = UserFactory(role=Role.ENTERPRISE_FILER, enterprise=ent)
    with pytest.raises(PermissionDenied):
        imports.import_package(actor=filer, name=_zip(ent, samples.item())[0], data=_zip(ent, samples.item())[1])


def test_engine_findings_when_soegov_holds_the_body():
    from soegov.enterprises import services as ent_services
    from tests.factories import JurisdictionFactory

    ent = EnterpriseFactory(jurisdiction=JurisdictionFactory(policy_packs=["xundian-2020"]))
    body = ent_services.body_create(actor=None, enterprise=ent, kind="party_committee")
    for name in samples.MEMBERS:
        ent_services.member_add(actor=None, body=body, name=name, is_principal=name == "张书记")
    reviewer = UserFactory(role=Role.SUPERVISOR_REVIEWER, jurisdiction=ent.jurisdiction)
    _import(reviewer, ent, samples.item(meetings=("党委会",)))
    [r] = _import(reviewer, ent, samples.meeting(present=2))  # no 议事规则 received: only the engine can judge
    assert r.ok
    causes = list(SubjectAnomaly.objects.filter(type=4).values_list("cause", flat=True))
    assert len(causes) == 1 and "引擎判定" in causes[0]


def test_regulation_add_twice_is_refused_and_del_retires_it(reviewer, ent):
    assert _import(reviewer, ent, samples.regulation())[0].ok
    again = _import(reviewer, ent, samples.regulation())[0]
    assert not again.ok and "制度“党委会议事规则”已存在" in again.message
    renamed = samples.regulation()
    renamed.regulation_name = "党委会议事规则（修订）"  # the same id under another name: still the same regulation
    assert not _import(reviewer, ent, renamed)[0].ok
    assert ReceivedRegulation.objects.filter(active=True).count() == 1
    gone = samples.regulation()
    gone.oper_type = "del"
    gone.formal_files = {}
    assert _import(reviewer, ent, gone)[0].ok
    assert not ReceivedRegulation.objects.filter(active=True).exists()
