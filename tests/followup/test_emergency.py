"""Emergency decisions (art. 13): refused forms, ratification on time and late, the dashboard selector."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import Q
from django.utils import timezone

from soegov.core.errors import InputError
from soegov.followup import selectors, services
from soegov.followup.models import RatificationStatus
from tests.followup.factories import body, decided_item

pytestmark = pytest.mark.django_db


def _record(b, when, form="individual"):
    return services.emergency_record(actor=None, body=b, title="抢修供水管道", content="先行支付抢修费 8 万元",
                                     reason="管道爆裂，停水影响 3 万居民", form=form, decided_by="张书记", decided_at=when)


def _scope():
    # Every enterprise (no role sees them all since 三员分立: the system administrator sees none).
    return Q()


@pytest.mark.parametrize("form", ["circulation", "huddle", "individual_canvass"])
def test_circulation_and_informal_meetings_are_refused_with_the_article(form):
    with pytest.raises(InputError, match="第十三条") as exc:
        _record(body(), timezone.now() - dt.timedelta(hours=1), form=form)
    assert exc.value.path == "form"


def test_due_is_ten_working_days_after():
    from soegov.calendar import add_working_days

    when = timezone.now() - dt.timedelta(hours=1)
    ed = _record(body(), when)
    assert ed.ratify_due == add_working_days(when, services.RATIFY_WORKING_DAYS).due.date()


def test_ratified_at_the_next_meeting_is_on_time():
    b = body()
    ed = _record(b, timezone.now() - dt.timedelta(days=2))
    assert ed in selectors.awaiting_ratification(_scope())
    assert ed not in selectors.late_ratifications(_scope())
    item = decided_item(b, held_at=timezone.now() - dt.timedelta(days=1), title="追认抢修决定")
    ed = services.ratify(actor=None, decision=ed, agenda_item=item)
    assert ed.status == RatificationStatus.RATIFIED and not ed.ratified_late
    assert ed not in selectors.late_ratifications(_scope())


def test_awaiting_past_the_deadline_is_late_and_a_day_before_is_not():
    ed = _record(body(), timezone.now() - dt.timedelta(hours=1))
    assert ed not in selectors.late_ratifications(_scope(), today=ed.ratify_due)
    assert ed in selectors.late_ratifications(_scope(), today=ed.ratify_due + dt.timedelta(days=1))


def test_a_next_meeting_without_ratification_makes_it_late_and_a_later_ratification_is_flagged():
    b = body()
    ed = _record(b, timezone.now() - dt.timedelta(days=3))
    decided_item(b, held_at=timezone.now() - dt.timedelta(days=2), title="别的议题")
    assert ed in selectors.late_ratifications(_scope())
    item = decided_item(b, held_at=timezone.now() - dt.timedelta(days=1), title="追认抢修决定")
    ed = services.ratify(actor=None, decision=ed, agenda_item=item)
    assert ed.ratified_late and "第一次会议" in ed.late_reason
    assert ed in selectors.late_ratifications(_scope())


def test_ratification_past_the_deadline_is_late():
    b = body()
    ed = _record(b, timezone.now() - dt.timedelta(days=40))
    item = decided_item(b, held_at=timezone.now() - dt.timedelta(days=1), title="追认抢修决定")
    ed = services.ratify(actor=None, decision=ed, agenda_item=item)
    assert ed.ratified_late and "晚于追认期限" in ed.late_reason


def test_a_rejected_ratification_is_recorded_and_other_bodies_cannot_ratify():
    b = body()
    ed = _record(b, timezone.now() - dt.timedelta(days=2))
    with pytest.raises(InputError, match="追认应由"):
        services.ratify(actor=None, decision=ed, agenda_item=decided_item(held_at=timezone.now() - dt.timedelta(days=1)))
    item = decided_item(b, held_at=timezone.now() - dt.timedelta(days=1), passed=False, title="追认抢修决定")
    ed = services.ratify(actor=None, decision=ed, agenda_item=item)
    assert ed.status == RatificationStatus.REJECTED


def test_a_meeting_closed_before_its_scheduled_time_does_not_make_it_late():
    from soegov.meetings.models import Meeting

    b = body()
    ed = _record(b, timezone.now() - dt.timedelta(days=2))
    item = decided_item(b, held_at=timezone.now() - dt.timedelta(days=1), title="别的议题")
    # Scheduled for tomorrow but already closed (counted early): not held by the calendar yet.
    Meeting.objects.filter(pk=item.meeting_id).update(held_at=timezone.now() + dt.timedelta(days=1))
    assert services.next_meeting_after(ed) is None and not selectors.is_late(ed)
    assert ed not in selectors.late_ratifications(_scope())
    Meeting.objects.filter(pk=item.meeting_id).update(held_at=timezone.now() - dt.timedelta(hours=1))
    assert services.next_meeting_after(ed) is not None and selectors.is_late(ed)
    assert ed in selectors.late_ratifications(_scope())
