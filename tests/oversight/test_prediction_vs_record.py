"""The decisions list and the dashboard's 决策违规 say the same thing about the same decision (INV-DASH-3): what
the national import WOULD flag is shown on the list as 报送前提示 and is not counted; once the package is
imported, the same findings are recorded and the figure counts the decision, naming them."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from soegov.accounts.roles import Role
from soegov.exchange.meeting_export import preview_anomalies
from soegov.leaders import bridges
from soegov.meetings import results as meetings_results
from soegov.meetings.models import Meeting
from soegov.oversight import dashboard
from tests.factories import UserFactory
from tests.meetings.factories import logged_in, report_meeting, voted_meeting

pytestmark = pytest.mark.django_db
NAMES = ["张书记", "李委员", "王委员", "赵委员", "钱委员"]


def _closed_meeting() -> tuple[Meeting, Any]:
    """A meeting the engine finds nothing against, whose 0006 the import would still flag."""
    meeting, item = voted_meeting(NAMES)
    meetings_results.meeting_close(actor=None, meeting=meeting)
    return Meeting.objects.get(pk=meeting.pk), item


def test_a_prediction_is_labelled_on_the_list_and_counted_only_once_imported() -> None:
    meeting, item = _closed_meeting()
    predicted = {a.label for a in preview_anomalies(meeting)}
    assert predicted and not item.__class__.objects.get(pk=item.pk).violations
    inspector = UserFactory(role=Role.SUPERVISOR_INSPECTOR, jurisdiction=meeting.enterprise.jurisdiction)
    listed = logged_in(inspector).get("/meetings/decisions/").content.decode()
    for label in predicted:
        assert f"报送前提示：{label}" in listed
    assert "不计入看板" in listed and "不计入监督看板的“决策违规”" in listed
    assert dashboard.rows(user=inspector, kind="decision_violations") == []
    home = logged_in(inspector).get("/oversight/").content.decode()
    assert "不含报送前提示" in home
    # The enterprise reports the meeting and the supervisor imports it: now it is on record and counted.
    _report(meeting)
    [row] = dashboard.rows(user=inspector, kind="decision_violations")
    assert row["url"] == f"/meetings/{meeting.pk}/"
    assert all(f"报送数据异常：{label}" in row["note"] for label in predicted)


def _report(meeting: Meeting) -> None:
    """The enterprise sends its items and the meeting's 0006; the supervisor's reviewer imports them."""
    reviewer = UserFactory(role=Role.SUPERVISOR_REVIEWER, jurisdiction=meeting.enterprise.jurisdiction)
    assert all(r.ok for r in report_meeting(meeting, reviewer))


def test_the_leaders_compliance_line_reads_the_dashboards_figure() -> None:
    """A decision only the import flagged (the engine found nothing) is a 决策违规 of the leader's year too."""
    meeting, _ = _closed_meeting()
    _report(meeting)
    inspector = UserFactory(role=Role.SUPERVISOR_INSPECTOR, jurisdiction=meeting.enterprise.jurisdiction)
    rows = dashboard.rows(user=inspector, kind="decision_violations")
    year = timezone.localtime(meeting.held_at).year
    found = bridges.compliance_for(meeting.enterprise, year, "张书记")["decision_violations"]
    assert len(found) == len(rows) == 1
    assert found[0]["title"] == rows[0]["title"] and found[0]["url"] == rows[0]["url"]
    assert any(label.startswith("报送数据异常：") for label in found[0]["labels"])
    assert bridges.compliance_for(meeting.enterprise, year - 1, "张书记")["decision_violations"] == []
