"""The demo leaders load once, give yn_reviewer the permission, and carry the README's path."""

from __future__ import annotations

import pytest

from soegov.leaders.models import Leader
from soegov.web.demo import load_demo

pytestmark = pytest.mark.django_db
SUB = "伊宁市供排水有限责任公司"


def test_demo_loads_idempotently() -> None:
    load_demo()
    count = Leader.objects.count()
    load_demo()
    assert Leader.objects.count() == count > 0
    from soegov.accounts.models import User
    from soegov.leaders.services import is_listed
    from soegov.oversight.models import Sanction

    assert User.objects.get(username="yn_reviewer").has_perm("leaders.view_personal_data")
    assert not User.objects.get(username="yn_inspector").has_perm("leaders.view_personal_data")
    assert Sanction.objects.filter(case_party__name="张伟").count() == 1
    assert not Leader.objects.filter(enterprise__name=SUB, post="general_manager").exists()
    assert is_listed(Leader.objects.filter(enterprise__name=SUB).first().enterprise)  # type: ignore[union-attr]


def test_readme_path_on_demo_data() -> None:
    """The README's click path, through the same services: appoint 张伟, contract, score, pay, sanction."""
    from django.utils import timezone

    from soegov.accounts.models import User
    from soegov.enterprises.models import Enterprise
    from soegov.leaders import selectors, services
    from soegov.oversight.models import Sanction
    from tests.leaders.factories import TARGETS, doc

    load_demo()
    rev = User.objects.get(username="yn_reviewer")
    sub = Enterprise.objects.get(name=SUB)
    appt = services.appointment_start(actor=rev, enterprise=sub, person_name="张伟", post="general_manager")
    assert sub.level == 2 and appt.route_id == "city_committee"
    today = timezone.localdate()
    for _ in appt.steps:
        appt = services.appointment_step(actor=rev, appointment=appt, document=doc(sub), decided_on=today)
    gm = appt.leader
    assert gm is not None and appt.status == "completed"
    year = today.year
    c = services.contract_sign(actor=rev, leader=gm, kind="annual", year=year, targets=TARGETS, signed_on=today)
    c = services.contract_score(actor=rev, contract=c, results=["1000", "5000", "60"], scored_on=today)
    assert c.grade == "B" and c.compliance["oversight"]["counts"]["sanctions"] == 1
    pay = services.pay_set(actor=rev, leader=gm, year=year, base_pay="260000", performance_pay="200000",
                           tenure_incentive="0", decision_number="伊国资发〔2026〕9号", decision=doc(sub))
    s = Sanction.objects.get(case_party__name="张伟")
    d = services.sanction_apply(actor=rev, pay_record=pay, sanction_id=s.pk)
    assert str(d.performance_deduction) == "10000.00"
    assert selectors.pay_of(user=rev, leader=gm)[0]["total_net"] == 450000


def test_demo_pages_for_reviewer_inspector_and_the_person() -> None:
    from django.test import Client

    from soegov.accounts.models import User

    load_demo()
    c = Client()
    c.force_login(User.objects.get(username="yn_reviewer"))
    page = c.get("/leaders/").content.decode()
    assert "市委研究决定" in page and "上级集团党组织提出" in page
    inspector = Client()
    inspector.force_login(User.objects.get(username="yn_inspector"))
    secretary = Leader.objects.get(enterprise__name="伊宁市城市建设投资集团有限公司", post="party_secretary")
    assert inspector.get(f"/leaders/{secretary.pk}/").status_code == 403
    leader_user = Client()
    leader_user.force_login(User.objects.get(username="yn_leader"))
    assert leader_user.get(f"/leaders/{secretary.pk}/").status_code == 403  # not his
    own = Leader.objects.get(user__username="yn_leader")
    assert "210000" in leader_user.get(f"/leaders/{own.pk}/").content.decode()  # his own pay
