"""Registry services: levels from the tree, moves, history, validation, permissions, audit."""

import pytest
from django.core.exceptions import PermissionDenied

from soegov.accounts.roles import Role
from soegov.audit.models import AuditEntry
from soegov.core.errors import InputError
from soegov.enterprises import services
from soegov.enterprises.models import EnterpriseChange
from tests.factories import BodyFactory, EnterpriseFactory, JurisdictionFactory, UserFactory, uscc

pytestmark = pytest.mark.django_db


def test_level_is_the_depth_in_the_tree() -> None:
    a = EnterpriseFactory()
    b = EnterpriseFactory(parent=a)
    c = EnterpriseFactory(parent=b)
    assert (a.level, b.level, c.level) == (1, 2, 3)
    assert c.path == f"/{a.pk}/{b.pk}/{c.pk}/"


def test_moving_an_enterprise_relevels_its_subtree_and_records_history() -> None:
    a, other = EnterpriseFactory(), EnterpriseFactory()
    b = EnterpriseFactory(parent=a)
    c = EnterpriseFactory(parent=b)
    reviewer = UserFactory(role=Role.SUPERVISOR_REVIEWER, jurisdiction=a.jurisdiction)
    other.jurisdiction = a.jurisdiction
    other.save()
    services.enterprise_update(actor=reviewer, enterprise=a, name=a.name, uscc=a.uscc, ownership=a.ownership,
                               status=a.status, parent=other)
    c.refresh_from_db()
    assert c.level == 4
    change = EnterpriseChange.objects.filter(enterprise=a, action="update").get()
    assert change.before["parent_id"] is None and change.after["parent_id"] == other.pk
    assert change.actor == reviewer
    entry = AuditEntry.objects.filter(action="enterprise.update").get()
    assert entry.actor == reviewer and entry.before["level"] == 1 and entry.after["level"] == 2


def test_an_enterprise_cannot_move_below_itself() -> None:
    a = EnterpriseFactory()
    b = EnterpriseFactory(parent=a)
    with pytest.raises(InputError) as exc:
        services.enterprise_update(actor=None, enterprise=a, name=a.name, uscc=a.uscc, ownership="sole",
                                   status="active", parent=b)
    assert exc.value.message == "上级企业不能是本企业或其下级企业"
    assert exc.value.path == "parent"


def test_invalid_uscc_is_refused_with_the_field_named() -> None:
    j = JurisdictionFactory()
    with pytest.raises(InputError) as exc:
        services.enterprise_create(actor=None, jurisdiction=j, parent=None, name="某公司", uscc="91350100M000100Y44",
                                   ownership="sole")
    assert exc.value.path == "uscc"


def test_duplicate_uscc_is_refused() -> None:
    a = EnterpriseFactory()
    with pytest.raises(InputError) as exc:
        services.enterprise_create(actor=None, jurisdiction=a.jurisdiction, parent=None, name="另一公司", uscc=a.uscc,
                                   ownership="sole")
    assert exc.value.message == f"统一社会信用代码 {a.uscc} 已登记"


def test_ownership_accepts_chinese_label_and_rejects_nonsense() -> None:
    j = JurisdictionFactory()
    e = services.enterprise_create(actor=None, jurisdiction=j, parent=None, name="甲公司", uscc=uscc(900),
                                   ownership="国有控股")
    assert e.ownership == "controlled"
    with pytest.raises(InputError) as exc:
        services.enterprise_create(actor=None, jurisdiction=j, parent=None, name="乙公司", uscc=uscc(901),
                                   ownership="集体")
    assert exc.value.path == "ownership"
    assert exc.value.message.startswith("持股类型“集体”无效")


def test_enterprise_filer_cannot_register_enterprises() -> None:
    a = EnterpriseFactory()
    filer = UserFactory(role=Role.ENTERPRISE_FILER, enterprise=a)
    with pytest.raises(PermissionDenied):
        services.enterprise_create(actor=filer, jurisdiction=a.jurisdiction, parent=a, name="子公司", uscc=uscc(902),
                                   ownership="sole")


def test_reviewer_cannot_register_in_another_jurisdiction() -> None:
    a = EnterpriseFactory()
    reviewer = UserFactory(role=Role.SUPERVISOR_REVIEWER, jurisdiction=JurisdictionFactory())
    with pytest.raises(PermissionDenied):
        services.enterprise_create(actor=reviewer, jurisdiction=a.jurisdiction, parent=None, name="子公司",
                                   uscc=uscc(903), ownership="sole")


def test_members_principal_attendees_and_terms() -> None:
    body = BodyFactory()
    services.member_add(actor=None, body=body, name="王", role="chair", is_principal=True)
    with pytest.raises(InputError) as exc:
        services.member_add(actor=None, body=body, name="李", role="director", is_principal=True)
    assert exc.value.message == "该决策机构已有主要负责人"
    with pytest.raises(InputError) as exc:
        services.member_add(actor=None, body=body, name="监事", role="attendee", voting=True)
    assert exc.value.message == "列席人员没有表决权"
    with pytest.raises(InputError) as exc:
        services.member_add(actor=None, body=body, name="张", term_start="2026-01-01", term_end="2025-01-01")
    assert exc.value.path == "term_end"
    with pytest.raises(InputError) as exc:
        services.member_add(actor=None, body=body, name="赵", term_start="2026-13-01")
    assert exc.value.message == "任期开始“2026-13-01”不是有效日期（应为 YYYY-MM-DD）"
    m = services.member_add(actor=None, body=body, name="监事", role="attendee", voting=False)
    assert not m.voting
    assert AuditEntry.objects.filter(action="member.add").count() == 2


def test_one_body_of_each_kind() -> None:
    body = BodyFactory()
    with pytest.raises(InputError) as exc:
        services.body_create(actor=None, enterprise=body.enterprise, kind="board")
    assert exc.value.message == "该企业已有董事会"
