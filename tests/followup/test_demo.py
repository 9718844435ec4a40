"""The demo data: an overdue action, an emergency decision awaiting ratification, a package xd_reviewer sees."""

from __future__ import annotations

import pytest
from django.urls import reverse

from soegov.demo.load import load_demo
from soegov.enterprises.selectors import enterprise_scope_q
from soegov.exchange.models import ReceivedMeeting, SubjectAnomaly
from soegov.followup import selectors

pytestmark = pytest.mark.django_db


def test_demo_followup_and_exchange(client, demo):
    load_demo()  # idempotent: loaded twice
    from soegov.accounts.models import User

    reviewer = User.objects.get(username="xd_reviewer")
    scope = enterprise_scope_q(reviewer)
    assert selectors.overdue_actions(scope).count() == 1
    assert selectors.awaiting_ratification(scope).count() == 1
    assert selectors.open_actions(scope).count() == 2
    meeting = ReceivedMeeting.objects.get()
    assert SubjectAnomaly.objects.filter(subject__meeting=meeting).exists()
    client.force_login(reviewer)
    assert meeting.name in client.get(reverse("exchange:received")).content.decode()
    page = client.get(reverse("followup:home")).content.decode()
    assert "已逾期" in page and "先行支付爆管抢修费用" in page
