"""The demo leaders load once, give yn_reviewer the permission, and carry the README's path."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from soegov.demo.load import load_demo
from soegov.leaders.models import Leader

pytestmark = pytest.mark.django_db
SUB = "伊宁市供排水有限责任公司"
GROUP = "伊宁市城市建设投资集团有限公司"


def _client(user: object) -> Client:
    c = Client()
    c.force_login(user)  # type: ignore[arg-type]
    return c


def _counts() -> dict[str, int]:
    from soegov.audit.models import AuditEntry
    from soegov.leaders.models import Document, PayDeduction, PayRecord, PerformanceContract
    from soegov.oversight.models import Case, CaseParty, Sanction

    return {m.__name__: m.objects.count() for m in (Leader, Document, PayRecord, PayDeduction, PerformanceContract,
                                                    Case, CaseParty, Sanction, AuditEntry)}


def test_demo_loads_idempotently(demo: object) -> None:
    counts = _counts()
    load_demo()
    assert _counts() == counts and counts["Leader"] > 0
    from soegov.accounts.models import User
    from soegov.leaders.records import is_listed
    from soegov.oversight.models import Sanction

    assert User.objects.get(username="yn_reviewer").has_perm("leaders.view_personal_data")
    assert User.objects.get(username="xd_reviewer").has_perm("leaders.view_personal_data")
    assert not User.objects.get(username="yn_inspector").has_perm("leaders.view_personal_data")
    assert not Sanction.objects.filter(case_party__name="张伟").exists()  # he is appointed by the user, later
    assert not Leader.objects.filter(enterprise__name=SUB, post="general_manager").exists()
    assert is_listed(Leader.objects.filter(enterprise__name=SUB).first().enterprise)  # type: ignore[union-attr]
    assert counts["PayDeduction"] == 0  # the Xundian deduction is left for xd_reviewer to apply


def test_yining_case_is_real_and_deducts_nothing(demo: object) -> None:
    """A Yining measure (art. 30) through oversight's services: cited, by yn_inspector, and no pay deducted."""
    from django.utils import timezone

    from soegov.accounts.models import User
    from soegov.audit.models import AuditEntry
    from soegov.core.errors import InputError
    from soegov.leaders import pay as leaders_pay
    from soegov.oversight.models import Sanction

    year = timezone.localdate().year
    gm = Leader.objects.get(enterprise__name=GROUP, post="general_manager")
    s = Sanction.objects.select_related("case_party__case").get(case_party__name=gm.name,
                                                                 case_party__enterprise=gm.enterprise)
    case = s.case_party.case
    inspector = User.objects.get(username="yn_inspector")
    assert (case.policy, case.violation, case.status, case.opened_by) == ("yining-2024", "yn29_2", "closed", inspector)
    assert (s.tier, s.year, s.citation) == ("circulated_criticism", year, {"document": "yining-2024", "article": 30})
    assert s.performance_pay_deduction == 0 and s.created_by == inspector
    assert list(case.events.values_list("action", flat=True).order_by("pk")) == [
        "open", "add_party", "add_sanction", "decide", "close"]
    assert AuditEntry.objects.filter(action="oversight.sanction_add", actor=inspector).exists()
    contract = gm.contracts.get(year=year)
    assert contract.status == "scored" and contract.compliance["oversight"]["counts"]["sanctions"] == 1
    assert contract.compliance["oversight"]["sanctions"][0]["tier_label"].startswith("通报批评")
    rev = User.objects.get(username="yn_reviewer")
    pay = gm.pay_records.get(year=year)
    with pytest.raises(InputError) as e:
        leaders_pay.sanction_apply(actor=rev, pay_record=pay, sanction_id=s.pk)
    assert e.value.code == "no_deduction" and "不扣减薪酬" in e.value.message
    c = _client(rev)
    page = c.get(f"/leaders/{gm.pk}/").content.decode()
    assert "通报批评" in page and f"{year} 年" in page
    r = c.post(f"/leaders/{gm.pk}/act/sanction/", {"sanction": s.pk, "pay_record": pay.pk}, follow=True)
    assert "不扣减薪酬" in r.content.decode() and not pay.deductions.exists()


def test_xundian_case_decided_then_applied_by_xd_reviewer_on_the_page(demo: object) -> None:
    """The README's Xundian path: xd_reviewer deducts the art. 32 accountability rate from this year's pay, once."""
    from django.utils import timezone

    from soegov.accounts.models import User
    from soegov.core.errors import InputError
    from soegov.demo.leaders import XD_CASE_TITLE
    from soegov.leaders import pay as leaders_pay
    from soegov.leaders import selectors
    from soegov.oversight.models import Case, Finding, Sanction
    from tests.leaders.factories import doc

    year = timezone.localdate().year
    xd = "寻甸县城乡建设投资开发有限公司"
    assert set(Leader.objects.filter(enterprise__name=xd).values_list("post", flat=True)) >= {
        "party_secretary", "chair", "general_manager", "deputy_gm"}
    gm = Leader.objects.get(enterprise__name=xd, post="general_manager")
    case = Case.objects.get(title=XD_CASE_TITLE)
    assert (case.policy, case.violation, case.status, case.finding) == ("xundian-2020", "xd31_2", "closed", None)
    assert case.opened_by == User.objects.get(username="xd_inspector")
    # The planted split payment stays open for the inspector's own README path.
    assert Finding.objects.get(code="split_payment").status == "open"
    s = Sanction.objects.get(case_party__case=case)
    assert (s.case_party.name, s.tier, s.year, str(s.rate)) == (gm.name, "accountability", year, "0.0500")
    rev = User.objects.get(username="xd_reviewer")
    c = _client(rev)
    assert xd in c.get("/leaders/").content.decode()
    assert f"/leaders/{gm.pk}/" in c.get(f"/leaders/enterprise/{gm.enterprise_id}/").content.decode()
    page = c.get(f"/leaders/{gm.pk}/").content.decode()
    assert XD_CASE_TITLE in page and "按寻甸办法第三十二条扣减" in page
    # Another year's pay is refused: the deduction is from the year of the sanction (art. 32: 当年).
    last = leaders_pay.pay_set(actor=rev, leader=gm, year=year - 1, base_pay="230000", performance_pay="170000",
                               tenure_incentive="0", decision_number="寻财国资〔2025〕3号", decision=doc(gm.enterprise))
    with pytest.raises(InputError) as e:
        leaders_pay.sanction_apply(actor=rev, pay_record=last, sanction_id=s.pk)
    assert e.value.code == "other_year"
    pay = gm.pay_records.get(year=year)
    r = c.post(f"/leaders/{gm.pk}/act/sanction/", {"sanction": s.pk, "pay_record": pay.pk}, follow=True)
    assert "已扣减绩效年薪 9000.00 元" in r.content.decode()  # 180000 × 5 %
    d = pay.deductions.get()
    assert (str(d.performance_deduction), str(d.tenure_deduction), d.citation["article"]) == ("9000.00", "0.00", 32)
    rows = {row["year"]: row for row in selectors.pay_of(user=rev, leader=gm)}
    assert rows[year]["total_net"] == 240000 + 180000 - 9000 and rows[year - 1]["total_net"] == 400000
    r = c.post(f"/leaders/{gm.pk}/act/sanction/", {"sanction": s.pk, "pay_record": pay.pk}, follow=True)
    assert pay.deductions.count() == 1  # once only


def test_readme_path_on_demo_data(demo: object) -> None:
    """The README's Yining click path, through the same services: appoint 张伟, contract, score, pay."""
    from django.utils import timezone

    from soegov.accounts.models import User
    from soegov.enterprises.models import Enterprise
    from soegov.leaders import appointments, contracts, selectors
    from soegov.leaders import pay as leaders_pay
    from tests.leaders.factories import TARGETS, doc

    rev = User.objects.get(username="yn_reviewer")
    sub = Enterprise.objects.get(name=SUB)
    appt = appointments.appointment_start(actor=rev, enterprise=sub, person_name="张伟", post="general_manager")
    assert sub.level == 2 and appt.route_id == "city_committee"
    today = timezone.localdate()
    for _ in appt.steps:
        appt = appointments.appointment_step(actor=rev, appointment=appt, document=doc(sub), decided_on=today)
    gm = appt.leader
    assert gm is not None and appt.status == "completed"
    year = today.year
    # Scored from the last month of its year on (issue 13.10): this year's contract in December, else last year's.
    period = year if today.month == 12 else year - 1
    c = contracts.contract_sign(actor=rev, leader=gm, kind="annual", year=period, targets=TARGETS,
                                signed_on=min(today, dt.date(period, 12, 31)))
    c = contracts.contract_score(actor=rev, contract=c, results=["1000", "5000", "60"], scored_on=today)
    assert c.grade == "B" and c.compliance["oversight"]["counts"]["sanctions"] == 0
    pay = leaders_pay.pay_set(actor=rev, leader=gm, year=year, base_pay="260000", performance_pay="200000",
                              tenure_incentive="0", decision_number="伊国资发〔2026〕9号", decision=doc(sub))
    assert selectors.pay_of(user=rev, leader=gm)[0]["total_net"] == 460000 and not pay.deductions.exists()


def test_demo_pages_for_reviewer_inspector_and_the_person(demo: object) -> None:
    from django.test import Client

    from soegov.accounts.models import User

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
