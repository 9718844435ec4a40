"""Yining art. 30: a removal or dismissal carries its consequences on the case page and in the case file."""

from __future__ import annotations

from typing import Any

from django.test import Client

from soegov.oversight import cases, documents


def test_removal_states_pay_stops_income_recovered_losses_repaid(yn_inspector: Any, yn: Any) -> None:
    case = cases.case_open(actor=yn_inspector, enterprise=yn, title="瞒报重大事项", facts="……", violation="yn29_4")
    party = cases.party_add(actor=yn_inspector, case=case, name="赵总", position="总经理")
    cases.sanction_add(actor=yn_inspector, party=party, tier="removal", year=2026)
    light = cases.party_add(actor=yn_inspector, case=case, name="钱副总", position="副总经理")
    cases.sanction_add(actor=yn_inspector, party=light, tier="circulated_criticism", year=2026)
    case.refresh_from_db()
    text = "\n".join(documents.case_document(case).body)
    assert "自免职或解聘之日起不再享受原职务工资和相关待遇" in text and "依法追缴" in text
    assert text.count("不再享受原职务工资") == 1                     # 通报批评 carries none
    c = Client()
    c.force_login(yn_inspector)
    page = c.get(f"/oversight/cases/{case.pk}/").content.decode()
    assert page.count("不再享受原职务工资和相关待遇") == 1


def test_a_collective_case_states_its_basis(yn_inspector: Any, yn: Any, inspector: Any, xd: Any) -> None:
    """Yining art. 28: the party organisation and the board answer for the decisions they take; xundian art. 30."""
    for actor, enterprise, text in ((yn_inspector, yn, "企业党组织、董事会依法依规负责企业重大事项的决策"),
                                    (inspector, xd, "不得以集体责任代替个人责任")):
        case = cases.case_open(actor=actor, enterprise=enterprise, title="集体决策失误", facts="……",
                               violation="yn29_2" if enterprise is yn else "xd31_1", responsibility="collective")
        assert text in "\n".join(documents.case_document(case).body)
        c = Client()
        c.force_login(actor)
        assert text in c.get(f"/oversight/cases/{case.pk}/").content.decode()
    single = cases.case_open(actor=yn_inspector, enterprise=yn, title="个人瞒报", facts="……", violation="yn29_4")
    assert "企业党组织、董事会依法依规负责" not in "\n".join(documents.case_document(single).body)
