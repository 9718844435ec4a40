"""The demo loads a complete Xundian meeting and one ready to run, and loading twice changes nothing."""

from __future__ import annotations

import pytest

from soegov.demo.load import load_demo
from soegov.meetings.models import AgendaItem, DecisionList, Meeting, Topic

pytestmark = pytest.mark.django_db


def test_demo_is_complete_and_idempotent(demo: list[tuple[str, str, str]]) -> None:
    accounts = {a[0] for a in demo}
    assert {"xd_secretary", "xd_member"} <= accounts
    counts = (Meeting.objects.count(), Topic.objects.count(), AgendaItem.objects.count(), DecisionList.objects.count())
    load_demo()
    assert (Meeting.objects.count(), Topic.objects.count(), AgendaItem.objects.count(),
            DecisionList.objects.count()) == counts
    past = Meeting.objects.get(title="2026年第9次党委会")
    assert past.status == "archived" and past.minutes.signatures.count() == 4
    # The legal counsel sat in (列席), so the supervisor's import finds the legality review done.
    from soegov.exchange.checks import LEGAL_REVIEW
    from soegov.exchange.meeting_export import preview_anomalies

    assert LEGAL_REVIEW not in {a.type for a in preview_anomalies(past)}
    item = past.items.get()
    assert item.passed is True and item.violations == [], item.violations
    assert DecisionList.objects.get().status == "filed"
    ready = Meeting.objects.get(title="2026年第10次党委会")
    assert ready.status == "notified" and ready.items.count() == 2
    assert ready.items.get(topic__category="personnel").voting_method == "ballot"
    from_matter = ready.items.get(topic__category="major_project").topic
    assert from_matter.matter is not None and from_matter.matter.needs_collective_decision
    assert from_matter.route == ["party_committee", "board"]
    plan = Topic.objects.get(title="2027年度投资计划")
    assert plan.prestudy == item and plan.status == "prepared"
    from soegov.enterprises.models import BodyMember

    seats = BodyMember.objects.filter(user__username="xd_member")
    assert {s.body.kind for s in seats} >= {"party_committee", "board"}


def test_every_meetings_page_opens_for_the_demo_accounts(demo: object) -> None:
    from django.test import Client

    from soegov.accounts.models import User
    from soegov.meetings.models import TopicMaterial

    urls = ["/meetings/", "/meetings/topics/", "/meetings/lists/", "/meetings/decisions/"]
    # Other apps' demos hold meetings of other jurisdictions, which these Xundian accounts must not see.
    urls += [f"/meetings/{m.pk}/" for m in Meeting.objects.filter(enterprise__jurisdiction__code="xundian")]
    urls += [f"/meetings/topics/{t.pk}/" for t in Topic.objects.filter(enterprise__jurisdiction__code="xundian")]
    urls += [f"/meetings/lists/{dl.pk}/" for dl in DecisionList.objects.filter(enterprise__jurisdiction__code="xundian")]
    for username in ["xd_secretary", "xd_member", "xd_reviewer", "xd_filer"]:
        c = Client()
        c.force_login(User.objects.get(username=username))
        for url in urls:
            assert c.get(url).status_code == 200, (username, url)
    past = Meeting.objects.get(title="2026年第9次党委会")
    c = Client()
    c.force_login(User.objects.get(username="xd_member"))
    assert c.get(f"/meetings/{past.pk}/documents/summary.docx").status_code == 200
    assert c.get(f"/meetings/materials/{TopicMaterial.objects.first().pk}/").status_code == 200  # type: ignore[union-attr]
    c.force_login(User.objects.get(username="yn_filer"))
    assert c.get(f"/meetings/{past.pk}/").status_code == 404
