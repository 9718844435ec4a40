"""Event report clocks (yining arts. 17, 20, 26) and inspection checklists (art. 25 of both measures)."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from soegov.core.errors import InputError
from soegov.matters.models import Notification
from soegov.oversight import cases, dashboard, documents, events, inspections, ledgers, selectors
from tests.oversight.conftest import ledger_bytes, pay_record

SH = ZoneInfo("Asia/Shanghai")


@pytest.mark.parametrize(("category", "hours", "immediate"), [
    ("incident", 12, False), ("discipline", 12, False), ("safety", 0, True), ("litigation", 0, True),
    ("asset_loss", 0, True),
])
def test_event_clocks(category: str, hours: int, immediate: bool) -> None:
    when = dt.datetime(2026, 10, 1, 22, 30, tzinfo=SH)  # a holiday night: natural hours still count
    due, imm, cite = events.clock_for(category, when)
    assert (due - when, imm) == (dt.timedelta(hours=hours), immediate)
    assert cite["document"] == "yining-2024" and cite["text"]


def test_a_12_hour_event_is_overdue_just_after_12_hours(yn: Any, yn_filer: Any) -> None:
    occurred = timezone.now() - dt.timedelta(hours=11, minutes=59)
    ev = events.event_report(actor=yn_filer, enterprise=yn, category="incident", title="脚手架坍塌",
                             occurred_at=occurred, report_now=False)
    assert not events.event_state(ev)["overdue"]
    assert events.event_state(ev, ev.due_at + dt.timedelta(seconds=1))["overdue"]
    assert events.event_state(ev, ev.due_at)["overdue"]  # the due moment itself has passed


def test_late_report_and_reminder_once(yn: Any, yn_filer: Any, yn_inspector: Any) -> None:
    ev = events.event_report(actor=yn_filer, enterprise=yn, category="incident", title="脚手架坍塌",
                             occurred_at=timezone.now() - dt.timedelta(hours=13), report_now=False)
    assert [r["title"] for r in dashboard.rows(user=yn_inspector, kind="events_overdue")] == ["脚手架坍塌"]
    assert events.events_remind() == 1 and events.events_remind() == 0
    assert set(Notification.objects.values_list("user__username", flat=True)) == {yn_filer.username, yn_inspector.username}
    ev = events.event_submit(actor=yn_filer, event=ev)
    assert events.event_state(ev) == {"overdue": False, "late": True, "label": "迟报"}
    assert dashboard.rows(user=yn_inspector, kind="events_overdue")[0]["note"] == "迟报"
    assert selectors.compliance_record(yn, ev.occurred_at.astimezone(SH).year)["events_late"] == [
        {"id": ev.pk, "title": "脚手架坍塌", "url": f"/oversight/events/{ev.pk}/"}]


def test_an_immediate_event_reported_is_never_late(yn: Any, yn_filer: Any, yn_inspector: Any) -> None:
    ev = events.event_report(actor=yn_filer, enterprise=yn, category="litigation", title="账户被冻结",
                             occurred_at=timezone.now() - dt.timedelta(hours=2), report_now=False)
    assert events.event_state(ev)["overdue"]
    assert [r["title"] for r in dashboard.rows(user=yn_inspector, kind="events_overdue")] == ["账户被冻结"]
    assert selectors.compliance_record(yn, ev.occurred_at.astimezone(SH).year)["counts"]["events_late"] == 1
    events.event_submit(actor=yn_filer, event=ev)
    assert dashboard.rows(user=yn_inspector, kind="events_overdue") == []
    # The annual evaluation's record says what the event page and the dashboard say.
    assert selectors.compliance_record(yn, ev.occurred_at.astimezone(SH).year)["counts"]["events_late"] == 0


def test_event_input_errors(yn: Any, xd: Any, yn_filer: Any, xd_filer: Any) -> None:
    with pytest.raises(InputError) as exc:
        events.event_report(actor=yn_filer, enterprise=yn, category="incident", title="x", occurred_at="昨天")
    assert exc.value.path == "occurred_at"
    with pytest.raises(InputError):
        events.event_report(actor=yn_filer, enterprise=yn, category="weather", title="x", occurred_at=timezone.now())
    with pytest.raises(InputError) as exc:
        events.event_report(actor=xd_filer, enterprise=xd, category="incident", title="x", occurred_at=timezone.now())
    assert exc.value.code == "not_applicable"
    with pytest.raises(PermissionDenied):
        events.event_report(actor=yn_filer, enterprise=xd, category="incident", title="x", occurred_at=timezone.now())


def test_xundian_checklist_prefilled_completed_reviewed_and_read_back(inspector: Any, xd: Any, xd_filer: Any) -> None:
    ledgers.ledger_upload(actor=inspector, enterprise=xd, name="台账.csv", data=ledger_bytes(["2026-03-02,甲,28000,other,non_production,", "2026-03-09,甲,27500,other,non_production,"]))
    year = 2026
    insp = inspections.inspection_generate(actor=inspector, enterprise=xd, year=year)
    assert insp.due_on == dt.date(2026, 12, 30)
    codes = [p["code"] for p in insp.points]
    assert codes[0] == "xd23" and len(codes) == 7
    funds = next(p for p in insp.points if p["code"] == "xd21")
    assert any("化整为零" in e["text"] for e in funds["evidence"])
    assert inspections.due_state(insp, dt.date(2026, 12, 30))["overdue"] is False
    assert inspections.due_state(insp, dt.date(2026, 12, 31))["overdue"] is True
    answers = {c: {"answer": "yes", "note": ""} for c in codes}
    answers["xd21"] = {"answer": "no", "note": ""}
    with pytest.raises(InputError) as exc:
        inspections.inspection_complete(actor=xd_filer, inspection=insp, answers=answers)
    assert exc.value.path == "note_xd21"
    answers["xd21"]["note"] = "装修款分三笔支付，已整改：补开董事会"
    with pytest.raises(PermissionDenied):
        inspections.inspection_complete(actor=inspector, inspection=insp, answers=answers)
    insp = inspections.inspection_complete(actor=xd_filer, inspection=insp, answers=answers)
    insp = inspections.inspection_review(actor=inspector, inspection=insp, accept=True, comment="同意")
    assert insp.status == "reviewed"

    from docx import Document

    text = "\n".join(p.text for p in Document(io.BytesIO(documents.inspection_docx(insp))).paragraphs)
    assert "2026年度" in text and "补开董事会" in text and "第21条" in text and "不符合" in text
    from pypdf import PdfReader

    pdf = PdfReader(io.BytesIO(documents.inspection_pdf(insp)))
    assert "自查" in "".join(page.extract_text() for page in pdf.pages)


def test_the_enterprise_starts_its_own_self_inspection(xd: Any, yn: Any, xd_filer: Any) -> None:
    insp = inspections.inspection_generate(actor=xd_filer, enterprise=xd, year=2026)
    assert insp.enterprise == xd and insp.due_on == dt.date(2026, 12, 30)
    with pytest.raises(PermissionDenied):
        inspections.inspection_generate(actor=xd_filer, enterprise=yn, year=2026)


def test_pending_self_inspection_on_the_dashboard_until_handed_in(xd: Any, yn: Any, inspector: Any, xd_filer: Any) -> None:
    [row] = dashboard.rows(user=inspector, kind="self_inspection")
    assert row["enterprise"] == xd and row["date"] == dt.date(timezone.localdate().year, 12, 30)
    insp = inspections.inspection_generate(actor=xd_filer, enterprise=xd, year=timezone.localdate().year)
    assert dashboard.rows(user=inspector, kind="self_inspection")[0]["url"] == f"/oversight/inspections/{insp.pk}/"
    inspections.inspection_complete(actor=xd_filer, inspection=insp,
                                    answers={p["code"]: {"answer": "yes"} for p in insp.points})
    assert dashboard.rows(user=inspector, kind="self_inspection") == []


def test_yining_checklist_has_six_points_and_no_due_date(yn: Any, yn_inspector: Any) -> None:
    insp = inspections.inspection_generate(actor=yn_inspector, enterprise=yn, year=2026)
    assert [p["citation"]["item"] for p in insp.points] == [1, 2, 3, 4, 5, 6]
    assert insp.due_on is None and inspections.due_state(insp)["overdue"] is False


def test_case_file_export_reads_back(inspector: Any, xd: Any) -> None:
    ledger = ledgers.ledger_upload(actor=inspector, enterprise=xd, name="台账.csv", data=ledger_bytes())
    case = cases.case_open(actor=inspector, enterprise=xd, title="装修款化整为零", facts="三笔合计 84500 元",
                           violation="xd31_2", finding=ledger.findings.get())
    pay_record(xd, "赵经理", 2026, "150000")
    p = cases.party_add(actor=inspector, case=case, name="赵经理", position="总经理", responsibility="direct")
    cases.sanction_add(actor=inspector, party=p, tier="accountability", year=2026)
    from docx import Document

    text = "\n".join(par.text for par in Document(io.BytesIO(documents.case_docx(case))).paragraphs)
    assert "赵经理" in text and "扣减 15000.00 元" in text and "第31条第2项" in text


def test_remind_events_command(yn: Any, yn_filer: Any, capsys: Any) -> None:
    from soegov.cli import main

    events.event_report(actor=yn_filer, enterprise=yn, category="litigation", title="资产被冻结",
                        occurred_at=timezone.now() - dt.timedelta(minutes=5), report_now=False)
    assert main(["remind-events"]) == 0
    assert "已发送 1 条" in capsys.readouterr().out
    assert main(["remind-events"]) == 0
    assert "已发送 0 条" in capsys.readouterr().out
