"""`soegov followup remind`: due soon and overdue actions, late ratifications; once only."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from soegov.accounts.roles import Role
from soegov.followup import reminders, services
from soegov.followup.models import FollowupReminder
from soegov.matters.models import Notification
from tests.factories import UserFactory
from tests.followup.factories import decided_item

pytestmark = pytest.mark.django_db


def test_reminders_on_both_sides_of_the_window_and_once_only():
    item = decided_item()
    ent = item.meeting.enterprise
    filer = UserFactory(role=Role.ENTERPRISE_FILER, enterprise=ent)
    today = timezone.localdate()
    for days in (1, 3, 4):
        a = services.action_create(actor=None, agenda_item=item, title=f"事项{days}", owner_name="王",
                                   due_date=today + dt.timedelta(days=10))
        a.due_date = today + dt.timedelta(days=days - 2)  # -1 overdue, 1 soon, 2 soon
        a.save()
    far = services.action_create(actor=None, agenda_item=item, title="远期", owner_name="王", due_date=today + dt.timedelta(days=4))
    services.emergency_record(actor=None, body=item.meeting.body, title="抢修", content="c", reason="r", form="few",
                              decided_by="张", decided_at=timezone.now() - dt.timedelta(days=30))
    sent = reminders.reminders_send(today=today, within_days=3)
    assert sorted(s.split("\t")[2] for s in sent) == ["late", "overdue", "soon", "soon"]
    assert not FollowupReminder.objects.filter(object_id=far.pk, kind="action").exists()
    assert Notification.objects.filter(user=filer, text__contains="已逾期").count() == 1
    assert reminders.reminders_send(today=today, within_days=3) == []


def test_cli_registered():
    from soegov.cli import build_parser

    args = build_parser().parse_args(["followup", "remind", "--within-days", "5"])
    assert args.within_days == 5 and args.handler.__name__ == "cmd_remind"
