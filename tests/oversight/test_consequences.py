"""Yining art. 30: a removal or dismissal carries its consequences on the case page and in the case file."""

from __future__ import annotations

from typing import Any

from django.test import Client

from soegov.oversight import documents, services


def test_removal_states_pay_stops_income_recovered_losses_repaid(yn_inspector: Any, yn: Any) -> None:
    case = services.case_open(actor=yn_inspector, enterprise=yn, title="瞒报重大事项", facts="……", violation="yn29_4")
    party = services.party_add(actor=yn_inspector, case=case, name="赵总", position="总经理")
    services.sanction_add(actor=yn_inspector, party=party, tier="removal", year=2026)
    light = services.party_add(actor=yn_inspector, case=case, name="钱副总", position="副总经理")
    services.sanction_add(actor=yn_inspector, party=light, tier="circulated_criticism", year=2026)
    case.refresh_from_db()
    text = "\n".join(documents.case_document(case).body)
    assert "自免职或解聘之日起不再享受原职务工资和相关待遇" in text and "依法追缴" in text
    assert text.count("不再享受原职务工资") == 1                     # 通报批评 carries none
    c = Client()
    c.force_login(yn_inspector)
    page = c.get(f"/oversight/cases/{case.pk}/").content.decode()
    assert page.count("不再享受原职务工资和相关待遇") == 1
