"""The meeting page links the exchange app's 0006 package once the meeting has ended, for minutes readers only."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from django.utils import timezone

from soegov.meetings import results
from soegov.meetings.models import Meeting
from tests.factories import UserFactory
from tests.meetings.factories import AgendaItemFactory, logged_in, run_meeting, xundian_meeting

pytestmark = pytest.mark.django_db
NAMES = ["甲书记", "乙委员", "丙委员"]
LINK = 'id="download-0006"'


@pytest.fixture
def meeting() -> Meeting:
    return xundian_meeting(NAMES, title="第五次党委会", held_at=timezone.now() - dt.timedelta(hours=2))


def test_link_only_after_the_meeting_and_only_for_minutes_readers(meeting: Meeting) -> None:
    secretary = logged_in(UserFactory(role="secretary", enterprise=meeting.enterprise))
    filer = logged_in(UserFactory(role="enterprise_filer", enterprise=meeting.enterprise))
    url = f"/meetings/{meeting.pk}/"
    assert LINK not in secretary.get(url).content.decode()  # scheduled: nothing to export yet
    item = AgendaItemFactory(meeting=meeting)
    meeting = run_meeting(meeting, NAMES, {item: {n: "for" for n in NAMES}})
    assert LINK not in secretary.get(url).content.decode()  # in session
    results.meeting_close(actor=None, meeting=meeting)
    page = secretary.get(url).content.decode()
    href = f'href="/exchange/exports/meetings/{meeting.pk}.zip"'
    assert LINK in page and href in page
    other = filer.get(url)
    assert other.status_code == 200 and LINK not in other.content.decode()  # not a member: no minutes, no package
    r = secretary.get(f"/exchange/exports/meetings/{meeting.pk}.zip")
    assert r.status_code == 200
    with zipfile.ZipFile(io.BytesIO(b"".join(r.streaming_content) if r.streaming else r.content)) as z:
        assert z.namelist()
    assert filer.get(f"/exchange/exports/meetings/{meeting.pk}.zip").status_code == 403
