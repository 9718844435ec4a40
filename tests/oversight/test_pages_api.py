"""Pages and API: dashboard drill-down to the split payment, case from the finding to closure, roles."""

from __future__ import annotations

import json
import re
from typing import Any

from django.test import Client

from soegov.oversight.models import Case, Finding
from tests.oversight.conftest import ledger_bytes, pay_record


def _client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_dashboard_figure_links_to_the_split_payment_and_the_case_closes(inspector: Any, xd: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    c = _client(inspector)
    r = c.post("/oversight/ledgers/", {"enterprise": xd.pk, "window_days": "30",
                                       "file": SimpleUploadedFile("台账.csv", ledger_bytes(), "text/csv")})
    assert r.status_code == 302
    page = c.get("/oversight/").content.decode()
    assert f'href="/oversight/rows/findings/?enterprise={xd.pk}"' in page
    rows = c.get(f"/oversight/rows/findings/?enterprise={xd.pk}").content.decode()
    f = Finding.objects.get()
    assert f"/oversight/findings/{f.pk}/" in rows and "疑似化整为零" in rows
    detail = c.get(f"/oversight/findings/{f.pk}/").content.decode()
    assert "84500.00" in detail and "2、3、4" in detail
    form = c.get(f"/oversight/cases/new/?finding={f.pk}").content.decode()
    assert "化整为零" in form
    r = c.post("/oversight/cases/new/", {"finding": f.pk, "enterprise": xd.pk, "title": "装修款化整为零",
                                         "facts": "三笔合计 84500 元", "violation": "xd31_2", "responsibility": "individual"})
    case = Case.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/oversight/cases/{case.pk}/"
    pay_record(xd, "赵经理", 2026, "150000")
    c.post(f"/oversight/cases/{case.pk}/act/add_party/", {"version": case.version, "name": "赵经理", "position": "总经理",
                                                          "responsibility": "direct"})
    case.refresh_from_db()
    party = case.parties.get()
    c.post(f"/oversight/cases/{case.pk}/act/add_sanction/", {"version": case.version, "party": party.pk,
                                                             "tier": "accountability", "year": "2026",
                                                             "rate": ""})
    case.refresh_from_db()
    c.post(f"/oversight/cases/{case.pk}/act/decide/", {"version": case.version, "decision": "问责处理，扣减绩效年薪 10%"})
    case.refresh_from_db()
    r = c.post(f"/oversight/cases/{case.pk}/act/close/", {"version": case.version})
    case.refresh_from_db()
    assert case.status == "closed"
    page = c.get(f"/oversight/cases/{case.pk}/").content.decode()
    assert "15000.00" in page and "已结案" in page
    r = c.get(f"/oversight/cases/{case.pk}/case.docx")
    assert r.status_code == 200 and r.content[:2] == b"PK"
    r = c.get(f"/oversight/cases/{case.pk}/case.pdf")
    assert r.status_code == 200 and r.content[:4] == b"%PDF"
    assert c.get(f"/oversight/cases/{case.pk}/case.exe").status_code == 404
    from soegov.audit.models import AuditEntry

    assert AuditEntry.objects.filter(action="oversight.case_export", object_id=str(case.pk)).count() == 2
    assert AuditEntry.objects.filter(action="oversight.case_read", object_id=str(case.pk), actor=inspector).exists()


def test_a_refused_step_shows_a_message_not_an_error(inspector: Any, xd: Any) -> None:
    c = _client(inspector)
    from soegov.oversight import cases

    case = cases.case_open(actor=inspector, enterprise=xd, title="t", facts="f", violation="xd31_1")
    r = c.post(f"/oversight/cases/{case.pk}/act/close/", {"version": case.version}, follow=True)
    assert r.status_code == 400 and "不能结案" in r.content.decode()
    r = c.post(f"/oversight/cases/{case.pk}/act/add_sanction/", {"party": "999999", "tier": "x", "year": "2026"})
    assert r.status_code == 404


def test_roles_and_scope(xd: Any, yn: Any, xd_filer: Any, yn_inspector: Any, inspector: Any) -> None:
    from soegov.oversight import cases

    case = cases.case_open(actor=inspector, enterprise=xd, title="t", facts="f", violation="xd31_1")
    assert _client(xd_filer).get("/oversight/").status_code == 403
    assert _client(xd_filer).get("/oversight/cases/").status_code == 403
    assert _client(yn_inspector).get(f"/oversight/cases/{case.pk}/").status_code == 404
    assert _client(yn_inspector).get("/oversight/").status_code == 200
    assert _client(xd_filer).get("/oversight/inspections/").status_code == 200


def test_api_case_flow_and_openapi(inspector: Any, xd: Any, xd_filer: Any) -> None:
    c = _client(inspector)
    r = c.post("/api/v1/oversight/ledgers", {"enterprise_id": xd.pk, "file": _file()})
    assert r.status_code == 202, r.content
    started = r.json()
    job = c.get(f"/api/v1/jobs/{started['job']['id']}").json()
    assert job["status"] == "succeeded" and job["result"]["findings"] == 1
    [finding] = c.get(f"/api/v1/oversight/findings?ledger_id={started['ledger']['id']}").json()
    assert finding["code"] == "split_payment" and finding["rows"] == [2, 3, 4]
    r = c.post("/api/v1/oversight/cases", json.dumps({"enterprise_id": xd.pk, "title": "装修款化整为零", "facts": "三笔",
                                                      "violation": "xd31_2", "finding_id": finding["id"]}),
               content_type="application/json")
    assert r.status_code == 200, r.content
    case = r.json()
    pay_record(xd, "赵经理", 2026, "200000")
    r = c.post(f"/api/v1/oversight/cases/{case['id']}/parties", json.dumps({"name": "赵经理"}), content_type="application/json")
    party = r.json()
    r = c.post(f"/api/v1/oversight/cases/{case['id']}/sanctions",
               json.dumps({"party_id": party["id"], "tier": "removal", "year": 2026}),
               content_type="application/json")
    assert r.status_code == 200 and r.json()["performance_pay_deduction"] in ("100000.00", 100000.0)
    r = c.post(f"/api/v1/oversight/cases/{case['id']}/steps", json.dumps({"action": "close"}), content_type="application/json")
    assert r.status_code == 400 and r.json()["error"]["code"] == "invalid_transition"
    assert _client(xd_filer).get("/api/v1/oversight/cases").status_code == 403
    r = c.get("/api/v1/oversight/dashboard")
    assert {k["kind"]: k["count"] for k in r.json()}["open_cases"] == 1
    r = c.get(f"/api/v1/oversight/compliance/{xd.pk}/2026?person_name=赵经理")
    assert r.status_code == 200 and r.json()["counts"]["sanctions"] == 1
    spec = c.get("/api/openapi.json").json()
    paths = [p for p in spec["paths"] if p.startswith("/api/v1/oversight")]
    assert "/api/v1/oversight/cases/{case_id}/sanctions" in paths and len(paths) >= 12


def _file() -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("ledger.csv", ledger_bytes(), "text/csv")


def test_demo_loads_a_xundian_ledger_with_the_planted_split(demo: list[tuple[str, str, str]]) -> None:
    from soegov.demo.load import load_demo

    accounts = demo
    assert "xd_inspector" in [a[0] for a in accounts]
    f = Finding.objects.get(code="split_payment")
    assert f.enterprise.name == "寻甸县城乡建设投资开发有限公司" and f.amount is not None
    assert re.search(r"鑫盛装饰", f.message)
    load_demo()  # idempotent
    assert Finding.objects.filter(code="split_payment").count() == 1
    from soegov.accounts.models import User

    c = _client(User.objects.get(username="xd_inspector"))
    page = c.get("/oversight/").content.decode()
    assert f'id="cell-findings-{f.enterprise_id}">1<' in page
    assert "疑似化整为零" in c.get(f"/oversight/rows/findings/?enterprise={f.enterprise_id}").content.decode()
    yn_page = _client(User.objects.get(username="yn_inspector")).get("/oversight/rows/events_overdue/").content.decode()
    assert "脚手架坍塌" in yn_page


def test_trend_chart_count_label_is_not_clipped_at_the_top() -> None:
    from soegov.oversight.dashboard import trend_chart

    chart = trend_chart({"2026-09": 3, "2026-10": 12, "2026-11": 0})
    tallest = max(chart["bars"], key=lambda b: b["h"])
    assert tallest["ty"] - 11 >= 0  # the 11px count label sits wholly inside the SVG
    assert all(b["y"] + b["h"] == chart["base"] for b in chart["bars"])


def test_split_finding_period_is_its_payments_and_the_page_lists_its_rows(inspector: Any, xd: Any) -> None:
    import datetime as dt

    from soegov.oversight import ledgers

    ledgers.ledger_upload(actor=inspector, enterprise=xd, name="台账.csv", data=ledger_bytes(), window_days=30)
    f = Finding.objects.get()
    # The payments are 2026-03-02, 03-09 and 03-21: the period and the finding's date are theirs, not the window's start.
    assert (f.data["from"], f.data["to"]) == ("2026-03-02", "2026-03-21")
    assert f.found_on == dt.date(2026, 3, 2)
    page = _client(inspector).get(f"/oversight/findings/{f.pk}/").content.decode()
    assert "付款日期 2026-03-02 至 2026-03-21" in page and "检查时间窗 30 天" in page
    table = page[page.index('id="ledger-rows"'):]
    for day, amount in (("2026-03-02", "28000.00"), ("2026-03-09", "27500.00"), ("2026-03-21", "29000.00")):
        assert day in table and amount in table
    assert "乙供电局" not in table


def test_dashboard_cites_each_figure_by_the_pack_of_the_jurisdiction_shown(inspector: Any, yn_inspector: Any) -> None:
    xd_page = _client(inspector).get("/oversight/").content.decode()
    yn_page = _client(yn_inspector).get("/oversight/").content.decode()
    totals = xd_page[xd_page.index('id="totals"'):xd_page.index('id="by-enterprise"')]
    assert "伊宁办法" not in totals and "寻甸办法第三十至三十二条" in totals
    assert 'id="total-events_overdue"' not in xd_page and 'id="total-overdue"' not in xd_page  # no Xundian basis
    assert "/oversight/events/" not in xd_page
    yn_totals = yn_page[yn_page.index('id="totals"'):yn_page.index('id="by-enterprise"')]
    assert "寻甸办法" not in yn_totals and "伊宁办法第十七、二十、二十六条" in yn_totals
    assert 'id="total-self_inspection"' not in yn_page
    rows = _client(inspector).get("/oversight/rows/open_cases/").content.decode()
    assert "依据：寻甸办法第三十至三十二条" in rows and "伊宁办法" not in rows


def test_events_pages_explain_they_are_yining_only(inspector: Any, yn_inspector: Any) -> None:
    page = _client(inspector).get("/oversight/events/").content.decode()
    assert 'id="not-applicable"' in page and "未规定随时报告事件" in page
    assert "/oversight/events/" not in _client(inspector).get("/oversight/inspections/").content.decode()
    insp = _client(inspector).get("/oversight/inspections/").content.decode()
    assert "伊宁办法" not in insp[insp.index("<h1"):]
    assert 'id="not-applicable"' not in _client(yn_inspector).get("/oversight/events/").content.decode()


def test_case_forms_keep_what_was_typed_when_refused(inspector: Any, xd: Any) -> None:
    from soegov.oversight import cases

    case = cases.case_open(actor=inspector, enterprise=xd, title="装修款化整为零", facts="三笔", violation="xd31_2")
    case = cases.case_step(actor=inspector, case=case, action="investigate")
    party = cases.party_add(actor=inspector, case=case, version=case.version, name="赵经理", position="总经理")
    case.refresh_from_db()
    c = _client(inspector)
    r = c.post(f"/oversight/cases/{case.pk}/act/add_sanction/", {
        "version": case.version, "party": party.pk, "tier": "accountability", "year": "2026", "rate": "0.05"})
    page = r.content.decode()
    assert r.status_code == 400 and "薪酬记录尚未登记" in page  # 赵经理 has no pay record of 2026 (issue 13.4)
    for typed in ('value="0.05"', 'value="2026"'):
        assert typed in page, typed
    assert 'value="accountability" selected' in page and f'value="{party.pk}" selected' in page
    r = c.post(f"/oversight/cases/{case.pk}/act/add_party/", {"version": case.version, "name": "", "position": "副总经理",
                                                             "responsibility": "leadership"})
    page = r.content.decode()
    assert r.status_code == 400 and "请填写姓名" in page
    assert 'value="副总经理"' in page and 'value="leadership" selected' in page
    assert not party.sanctions.exists()
