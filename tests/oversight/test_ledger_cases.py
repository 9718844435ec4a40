"""Stored ledger findings, dismissal, cases from findings, parties, sanctions and the case lifecycle."""

from __future__ import annotations

import hashlib
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from soegov.audit.models import AuditEntry
from soegov.core.errors import InputError, TransitionRefused
from soegov.core.files import file_exists, file_read
from soegov.oversight import cases, ledgers, selectors
from soegov.oversight.models import Case, CaseEvent, Finding, LedgerImport
from tests.oversight.conftest import ledger_bytes, pay_record


def _upload(inspector: Any, xd: Any, data: bytes | None = None) -> Any:
    return ledgers.ledger_upload(actor=inspector, enterprise=xd, name="台账.csv", data=data or ledger_bytes())


def test_split_payment_finding_is_stored_with_citation_and_rows(inspector: Any, xd: Any) -> None:
    ledger = _upload(inspector, xd)
    assert file_read(ledger.sha256) == ledger_bytes() and ledger.extension == "csv"
    assert ledger.rows == 4
    [f] = ledger.findings.all()
    assert (f.code, f.rows, f.amount) == ("split_payment", [2, 3, 4], Decimal("84500.00"))
    assert f.citation == "xundian-2020 第21条第2项"
    assert "化整为零" in f.message and f.status == "open"
    assert AuditEntry.objects.filter(action="oversight.ledger_upload", object_id=str(ledger.pk)).exists()


def test_a_decision_on_record_in_the_system_covers_the_split(inspector: Any, xd: Any) -> None:
    import datetime as dt

    from soegov.matters.models import Matter

    ledger = _upload(inspector, xd)
    assert ledger.findings.count() == 1
    Matter.objects.create(enterprise=xd, policy="xundian-2020", matter_type="other", title="装修工程",
                          amount=Decimal("90000"), attributes={"payee": "甲装饰公司"}, occurred_on=dt.date(2026, 3, 1),
                          status="decided")
    assert ledgers.ledger_check(actor=inspector, ledger=ledger) == []
    assert ledger.findings.count() == 0 and ledger.decisions_used == 1


@pytest.mark.parametrize(("data", "code"), [
    (b"", "empty_file"),
    ("日期,收款方\n2026-01-01,甲".encode("gbk"), "not_utf8"),
    (b"%PDF-1.4\n1 0 obj<<>>endobj\n", "type_not_allowed"),
])
def test_bad_ledger_files_are_refused_by_content(inspector: Any, xd: Any, data: bytes, code: str) -> None:
    with pytest.raises(InputError) as exc:
        ledgers.ledger_upload(actor=inspector, enterprise=xd, name="x.csv", data=data)
    assert exc.value.code == code


@pytest.mark.parametrize("window", ["0", "367", "abc"])
def test_window_out_of_range_is_refused_before_anything_is_stored(inspector: Any, xd: Any, window: str) -> None:
    with pytest.raises(InputError) as exc:
        ledgers.ledger_upload(actor=inspector, enterprise=xd, name="x.csv", data=ledger_bytes(), window_days=window)
    assert exc.value.path == "window_days"
    assert not LedgerImport.objects.exists() and not file_exists(hashlib.sha256(ledger_bytes()).hexdigest())


def test_only_the_jurisdictions_inspector_imports(xd: Any, xd_filer: Any, yn_inspector: Any) -> None:
    for actor in (xd_filer, yn_inspector):
        with pytest.raises(PermissionDenied):
            _upload(actor, xd)


def test_dismiss_needs_a_reason_and_is_audited_and_kept_on_recheck(inspector: Any, xd: Any) -> None:
    ledger = _upload(inspector, xd)
    f = ledger.findings.get()
    with pytest.raises(InputError):
        ledgers.finding_dismiss(actor=inspector, finding=f, reason="  ")
    ledgers.finding_dismiss(actor=inspector, finding=f, reason="三笔为不同装修合同，已经总经理办公会研究（纸质纪要）")
    f.refresh_from_db()
    assert f.status == "dismissed" and f.dismissed_by == inspector
    entry = AuditEntry.objects.get(action="oversight.finding_dismiss", object_id=str(f.pk))
    assert entry.before["status"] == "open" and entry.after["status"] == "dismissed"
    assert "纸质纪要" in entry.after["dismissed_reason"] and entry.actor == inspector
    ledgers.ledger_check(actor=inspector, ledger=ledger)
    assert Finding.objects.get(pk=f.pk).status == "dismissed"
    with pytest.raises(TransitionRefused):
        ledgers.finding_dismiss(actor=inspector, finding=f, reason="再次")
    with pytest.raises(TransitionRefused):
        cases.case_open(actor=inspector, enterprise=xd, title="t", facts="f", violation="xd31_2", finding=f)


def _case(inspector: Any, xd: Any, **kw: Any) -> Case:
    ledger = _upload(inspector, xd)
    f = ledger.findings.get()
    return cases.case_open(actor=inspector, enterprise=xd, title="装修款化整为零", facts=f.message,
                           violation="xd31_2", finding=f, **kw)


def test_case_from_a_finding_cites_art31_and_marks_the_finding(inspector: Any, xd: Any) -> None:
    case = _case(inspector, xd)
    assert case.citation["article"] == 31 and case.citation["item"] == 2
    assert "个人或少数人决定重大问题" in case.citation["text"]
    assert case.finding is not None and case.finding.status == "case"
    with pytest.raises(InputError):
        cases.case_open(actor=inspector, enterprise=xd, title="t", facts="f", violation="yn29_1")


def test_sanction_amounts_through_the_service(inspector: Any, xd: Any) -> None:
    case = _case(inspector, xd)
    pay_record(xd, "赵经理", 2026, "180000", tenure_incentive="60000")
    p = cases.party_add(actor=inspector, case=case, name="赵经理", position="总经理", responsibility="direct")
    s = cases.sanction_add(actor=inspector, party=p, tier="disciplinary", year=2026, rate="0.2")
    assert (s.rate, s.performance_pay_deduction, s.tenure_incentive_deduction) == (Decimal("0.2"), Decimal("36000.00"), Decimal("0"))
    with pytest.raises(InputError) as exc:
        cases.sanction_add(actor=inspector, party=p, tier="disciplinary", year=2026, rate="0.21")
    assert exc.value.code == "rate_above_cap"
    s2 = cases.sanction_add(actor=inspector, party=p, tier="criminal", year=2026)
    assert s2.total_deduction == Decimal("240000.00")
    assert AuditEntry.objects.filter(action="oversight.sanction_add").count() == 2


def test_case_lifecycle_follows_the_transition_table(inspector: Any, xd: Any) -> None:
    case = _case(inspector, xd)
    with pytest.raises(TransitionRefused):
        cases.case_step(actor=inspector, case=case, action="close")
    with pytest.raises(TransitionRefused) as exc:
        cases.case_step(actor=inspector, case=case, action="decide", decision="给予问责处理")
    assert exc.value.code == "no_parties"
    case = cases.case_step(actor=inspector, case=case, action="investigate")
    p = cases.party_add(actor=inspector, case=case, version=case.version, name="赵经理", responsibility="direct")
    case.refresh_from_db()
    with pytest.raises(InputError):
        cases.case_step(actor=inspector, case=case, action="refer", referral="police")
    case = cases.case_step(actor=inspector, case=case, action="refer", referral="discipline", note="涉嫌违纪")
    assert case.referral == "discipline"
    case = cases.case_step(actor=inspector, case=case, action="decide", decision="给予问责处理，扣减绩效年薪")
    with pytest.raises(TransitionRefused):  # decided: no more parties or sanctions
        cases.sanction_add(actor=inspector, party=p, tier="accountability", year=2026)
    case = cases.case_step(actor=inspector, case=case, action="appeal", note="认为系正常业务")
    case = cases.case_step(actor=inspector, case=case, action="review_appeal", note="维持原处理")
    old = case.version
    with pytest.raises(Exception) as stale:
        cases.case_step(actor=inspector, case=case, action="close", version=old - 1)
    assert getattr(stale.value, "code", "") == "stale_version"
    case = cases.case_step(actor=inspector, case=case, action="close", version=old)
    assert case.status == "closed" and case.closed_at is not None
    actions = list(CaseEvent.objects.filter(case=case).values_list("action", flat=True))
    assert actions == ["open", "investigate", "add_party", "refer", "decide", "appeal", "review_appeal", "close"]
    assert AuditEntry.objects.filter(action__startswith="oversight.case_", object_id=str(case.pk)).count() == len(actions)
    with pytest.raises(TransitionRefused):
        cases.case_step(actor=inspector, case=case, action="appeal", note="x")


def test_exemption_needs_a_recorded_dissent(inspector: Any, xd: Any, board: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    chair, li, wang = list(board.members.order_by("id"))
    positions = [
        {"member": chair, "name": chair.name, "present": True, "recused": False, "vote": "for", "opinion": ""},
        {"member": li, "name": li.name, "present": True, "recused": False, "vote": "against", "opinion": "超出授权，应报董事会"},
        {"member": wang, "name": wang.name, "present": True, "recused": False, "vote": "against", "opinion": ""},
    ]
    monkeypatch.setattr(cases, "item_positions", lambda item_id: positions)
    case = _case(inspector, xd, responsibility="collective")
    # The minutes are stubbed above; the link to the item is set directly (a real item: test_meetings_link).
    Case.objects.filter(pk=case.pk).update(agenda_item_id=7)
    case.refresh_from_db()
    with pytest.raises(InputError) as exc:   # voted against, but no opinion in the minutes: not exempt
        cases.party_add(actor=inspector, case=case, member=wang, exempt=True)
    assert exc.value.code == "no_dissent_recorded"
    with pytest.raises(InputError):
        cases.party_add(actor=inspector, case=case, member=chair, exempt=True)
    parties = cases.parties_from_item(actor=inspector, case=case)
    by_name = {p.name: p for p in parties}
    # Art. 30 "可免除": the recorded dissent is proposed, never applied by itself; the handler decides.
    li_party = by_name[li.name]
    assert not li_party.exempt and cases.exemption_pending(li_party)
    assert li_party.exemption_proof["opinion"] == "超出授权，应报董事会"
    assert not by_name[wang.name].exempt and not cases.exemption_pending(by_name[wang.name])
    assert by_name[chair.name].responsibility == "leadership"
    with pytest.raises(InputError) as exc:   # no sanction while the proposal waits for a decision
        cases.sanction_add(actor=inspector, party=li_party, tier="accountability", year=2026)
    assert exc.value.code == "exemption_pending"
    with pytest.raises(InputError) as exc:   # only a proposed exemption can be decided
        cases.exemption_decide(actor=inspector, party=by_name[wang.name], grant=True)
    assert exc.value.code == "no_exemption_proposed"
    li_party = cases.exemption_decide(actor=inspector, party=li_party, grant=True)
    assert li_party.exempt and li_party.exemption_proof["status"] == "granted"
    assert AuditEntry.objects.filter(action="oversight.exemption_decide", object_id=str(li_party.pk)).exists()
    with pytest.raises(InputError) as exc:
        cases.sanction_add(actor=inspector, party=li_party, tier="accountability", year=2026)
    assert exc.value.code == "party_exempt"


def test_a_proposed_exemption_may_be_refused_with_a_reason(inspector: Any, xd: Any, board: Any,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    chair, li, wang = list(board.members.order_by("id"))
    positions = [{"member": m, "name": m.name, "present": True, "recused": False, "vote": v, "opinion": o}
                 for m, v, o in [(chair, "for", ""), (li, "against", "超出授权，应报董事会"), (wang, "for", "")]]
    monkeypatch.setattr(cases, "item_positions", lambda item_id: positions)
    case = _case(inspector, xd, responsibility="collective")
    Case.objects.filter(pk=case.pk).update(agenda_item_id=7)
    case.refresh_from_db()
    li_party = {p.name: p for p in cases.parties_from_item(actor=inspector, case=case)}[li.name]
    with pytest.raises(InputError) as exc:   # refusing names its reason
        cases.exemption_decide(actor=inspector, party=li_party, grant=False, reason=" ")
    assert exc.value.path == "reason"
    li_party = cases.exemption_decide(actor=inspector, party=li_party, grant=False, reason="异议未针对违规内容")
    assert not li_party.exempt and li_party.exemption_proof["status"] == "refused"
    assert not cases.exemption_pending(li_party)
    pay_record(xd, li.name, 2026, "100000")
    sanction = cases.sanction_add(actor=inspector, party=li_party, tier="accountability", year=2026, rate="0.05")
    assert sanction.performance_pay_deduction == Decimal("5000.00")
    with pytest.raises(InputError) as exc:   # decided once
        cases.exemption_decide(actor=inspector, party=li_party, grant=True)
    assert exc.value.code == "no_exemption_proposed"


def test_an_agenda_item_of_another_enterprise_is_refused(inspector: Any, xd: Any) -> None:
    with pytest.raises(InputError) as exc:
        cases.case_open(actor=inspector, enterprise=xd, title="t", facts="f", violation="xd31_1", agenda_item_id=999999)
    assert exc.value.path == "agenda_item"


def test_compliance_record_counts_cases_and_sanctions(inspector: Any, xd: Any) -> None:
    from django.utils import timezone

    case = _case(inspector, xd)
    pay_record(xd, "赵经理", 2026, "150000")
    p = cases.party_add(actor=inspector, case=case, name="赵经理", responsibility="direct")
    cases.sanction_add(actor=inspector, party=p, tier="accountability", year=2026)
    year = timezone.localdate().year
    rec = selectors.compliance_record(xd, year)
    assert rec["counts"]["cases"] == 1 and rec["cases"][0]["url"] == f"/oversight/cases/{case.pk}/"
    mine = selectors.compliance_record(xd, 2026, person_name="赵经理")
    assert mine["counts"]["sanctions"] == 1 and mine["deductions_total"] == Decimal("15000.00")
    assert selectors.compliance_record(xd, 2026, person_name="别人")["counts"]["sanctions"] == 0


def test_case_file_sections_are_numbered_without_gaps_and_a_member_keeps_his_post(inspector: Any, xd: Any, board: Any) -> None:
    import io

    from docx import Document

    from soegov.oversight import documents

    chair = board.members.get(name="张董事长")
    case = cases.case_step(actor=inspector, case=_case(inspector, xd), action="investigate")
    party = cases.party_add(actor=inspector, case=case, version=case.version, member=chair, responsibility="leadership")
    assert party.position == f"{board.name}{chair.get_role_display()}"
    case.refresh_from_db()
    case = cases.case_step(actor=inspector, case=case, action="decide", decision="给予问责处理")  # no referral: no 五 of its own
    text = [p.text for p in Document(io.BytesIO(documents.case_docx(case))).paragraphs]
    heads = [t[:2] for t in text if len(t) > 1 and t[1] == "、" and t[0] in "一二三四五六七八九十"]
    assert heads == ["一、", "二、", "三、", "四、", "五、"]
    assert any(t.startswith("五、处理决定。给予问责处理") for t in text)
    assert "（）" not in "".join(text) and f"张董事长（{party.position}）" in "".join(text)


def test_case_numbers_follow_the_order_cases_are_opened(inspector: Any, xd: Any, yn_inspector: Any, yn: Any) -> None:
    import io

    from django.utils import timezone
    from docx import Document

    from soegov.matters.documents import abbreviation
    from soegov.oversight import documents

    year = timezone.localdate().year
    first = cases.case_open(actor=inspector, enterprise=xd, title="甲", facts="f", violation="xd31_1")
    other = cases.case_open(actor=yn_inspector, enterprise=yn, title="乙", facts="f", violation="yn29_1")
    second = cases.case_open(actor=inspector, enterprise=xd, title="丙", facts="f", violation="xd31_1")
    # The issuing organ's short name leads the number, as on every document it issues.
    assert (first.doc_number, second.doc_number) == (f"寻财政局追责〔{year}〕1号", f"寻财政局追责〔{year}〕2号")
    assert other.doc_number == f"{abbreviation(yn.jurisdiction.supervisor)}追责〔{year}〕1号"  # counted apart
    assert second.pk == first.pk + 2
    text = [p.text for p in Document(io.BytesIO(documents.case_docx(second))).paragraphs]
    assert f"寻财政局追责〔{year}〕2号" in text
