"""Execution tracking (arts. 11, 20): actions on passed items, overdue on both sides, freeze until re-decision."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils import timezone

from soegov.accounts.roles import Role
from soegov.audit.models import AuditEntry
from soegov.core.errors import InputError, SoegovError
from soegov.enterprises.selectors import enterprise_scope_q
from soegov.followup import selectors, services
from soegov.followup.models import ActionStatus
from tests.factories import PDF, UserFactory
from tests.followup.factories import body, decided_item

pytestmark = pytest.mark.django_db


@pytest.fixture
def item():
    return decided_item()


def _action(item, **kw):
    kw.setdefault("due_date", timezone.localdate() + dt.timedelta(days=10))
    return services.action_create(actor=None, agenda_item=item, title="签订采购合同", owner_name="王经理", **kw)


def test_only_a_passed_item_of_a_real_meeting_is_a_basis():
    with pytest.raises(InputError, match="未通过"):
        _action(decided_item(passed=False))


@pytest.mark.parametrize(("delta", "overdue"), [(-1, True), (0, False), (1, False)])
def test_overdue_on_both_sides_of_the_due_date(item, delta, overdue):
    today = timezone.localdate()
    a = _action(item)
    a.due_date = today + dt.timedelta(days=delta)
    a.save()
    assert a.is_overdue(today) is overdue
    scope = enterprise_scope_q(UserFactory(role=Role.ENTERPRISE_FILER, enterprise=item.meeting.enterprise))
    assert (a in selectors.overdue_actions(scope, today)) is overdue
    assert a in selectors.open_actions(scope)


def test_due_in_working_days_uses_the_calendar(item):
    from soegov.calendar import add_working_days

    a = _action(item, due_date=None, due_working_days=5)
    assert a.due_date == add_working_days(item.meeting.held_at, 5).due.date()
    assert a.due_date.weekday() < 5


def test_done_actions_are_not_overdue(item):
    a = _action(item)
    a = services.action_complete(actor=None, action=a, note="合同已签", evidence_name="合同.pdf", evidence=PDF)
    assert a.status == ActionStatus.DONE and a.evidence_name == "合同.pdf" and a.evidence_type == "application/pdf"
    a.due_date = timezone.localdate() - dt.timedelta(days=3)
    assert not a.is_overdue()


def test_evidence_is_typed_by_content(item):
    with pytest.raises(InputError, match="无法从文件内容识别类型"):
        services.action_complete(actor=None, action=_action(item), note="x", evidence_name="合同.pdf", evidence=b"plain")


def test_frozen_item_refuses_change_until_the_body_decides_again(item):
    a = _action(item)
    services.action_report(actor=None, action=a, text="已完成招标", percent=40)
    services.report_change(actor=None, action=a, cause="conditions", description="供应商破产")
    a.refresh_from_db()
    assert a.status == ActionStatus.FROZEN
    with pytest.raises(services.Frozen, match="第二十条"):
        services.action_adjust(actor=None, action=a, due_date="2030-01-01")
    with pytest.raises(services.Frozen):
        services.action_stop(actor=None, action=a)
    # Execution goes on meanwhile: progress can still be reported.
    services.action_report(actor=None, action=a, text="与备选供应商洽谈", percent=50)
    # The original item is not a re-decision; nor is an item from before the report.
    with pytest.raises(InputError, match="重新决策"):
        services.redecide(actor=None, action=a, agenda_item=item, outcome="continue")
    new = decided_item(item.meeting.body, held_at=timezone.now() + dt.timedelta(minutes=5), title="调整采购方案")
    a = services.redecide(actor=None, action=a, agenda_item=new, outcome="continue", due_date="2030-06-30")
    assert a.status == ActionStatus.OPEN and a.due_date == dt.date(2030, 6, 30)
    assert a.changes.get().redecision == new
    a = services.action_adjust(actor=None, action=a, owner_name="赵经理")
    assert a.owner_name == "赵经理"
    assert AuditEntry.objects.filter(action__startswith="followup.").count() >= 5


def test_redecision_can_stop_and_a_person_never_can(item):
    a = _action(item)
    with pytest.raises(SoegovError, match="不得擅自中止"):
        services.action_stop(actor=None, action=a)
    services.report_change(actor=None, action=a, cause="force_majeure", description="地震")
    new = decided_item(item.meeting.body, held_at=timezone.now() + dt.timedelta(minutes=5), title="中止采购")
    a = services.redecide(actor=None, action=a, agenda_item=new, outcome="stop")
    assert a.status == ActionStatus.STOPPED
    assert a not in selectors.open_actions(Q())


def test_only_enterprise_users_in_scope_write(item):
    other = body().enterprise
    with pytest.raises(PermissionDenied):
        services.action_create(actor=UserFactory(role=Role.ENTERPRISE_FILER, enterprise=other), agenda_item=item,
                               title="x", owner_name="y", due_date="2030-01-01")
    with pytest.raises(PermissionDenied):
        services.action_create(actor=UserFactory(role=Role.SUPERVISOR_REVIEWER,
                                                 jurisdiction=item.meeting.enterprise.jurisdiction),
                               agenda_item=item, title="x", owner_name="y", due_date="2030-01-01")


def test_stale_version_is_refused(item):
    a = _action(item)
    services.action_adjust(actor=None, action=a, version=1, owner_name="甲")
    with pytest.raises(SoegovError, match="已被他人更新"):
        services.action_adjust(actor=None, action=a, version=1, owner_name="乙")


def test_owner_account_must_belong_to_the_enterprise(item):
    ent = item.meeting.enterprise
    mine = UserFactory(role=Role.ENTERPRISE_FILER, enterprise=ent, full_name="王经理")
    a = services.action_create(actor=None, agenda_item=item, title="签合同", owner=mine, due_date="2099-01-01")
    assert a.owner == mine and a.owner_name
    stranger = UserFactory(role=Role.ENTERPRISE_FILER, enterprise=body().enterprise)
    with pytest.raises(InputError, match="本企业"):
        services.action_create(actor=None, agenda_item=item, title="签合同", owner=stranger, due_date="2099-01-01")
