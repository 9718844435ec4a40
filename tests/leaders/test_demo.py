"""The demo leaders load once, give yn_reviewer the permission and a ballot-passed personnel item."""

from __future__ import annotations

import pytest

from soegov.leaders.models import Leader
from soegov.web.demo import load_demo

pytestmark = pytest.mark.django_db


def test_demo_loads_idempotently() -> None:
    load_demo()
    count = Leader.objects.count()
    load_demo()
    assert Leader.objects.count() == count > 0
    from soegov.accounts.models import User
    from soegov.meetings.models import AgendaItem
    from soegov.oversight.models import Sanction

    assert User.objects.get(username="yn_reviewer").has_perm("leaders.view_personal_data")
    assert not User.objects.get(username="yn_inspector").has_perm("leaders.view_personal_data")
    item = AgendaItem.objects.get(topic__title__startswith="关于张伟同志任")
    assert (item.passed, item.voting_method, item.violations) == (True, "ballot", [])
    assert Sanction.objects.filter(case_party__name="张伟").count() == 1
    assert not Leader.objects.filter(enterprise__name="伊宁市城投建设工程有限公司", post="general_manager").exists()
