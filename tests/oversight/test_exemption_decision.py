"""Xundian art. 30 "可免除" on the page and the API: a recorded dissent is proposed, the case handler decides."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from soegov.oversight import cases
from soegov.oversight.models import Case, CaseEvent


@pytest.fixture
def proposed(inspector: Any, xd: Any, board: Any, monkeypatch: pytest.MonkeyPatch) -> tuple[Case, Any]:
    chair, li, wang = list(board.members.order_by("id"))
    positions = [{"member": m, "name": m.name, "present": True, "recused": False, "vote": v, "opinion": o}
                 for m, v, o in [(chair, "for", ""), (li, "against", "超出授权，应报董事会"), (wang, "for", "")]]
    monkeypatch.setattr(cases, "item_positions", lambda item_id: positions)
    case = cases.case_open(actor=inspector, enterprise=xd, title="超授权决策", facts="……", violation="xd31_1",
                           responsibility="collective")
    Case.objects.filter(pk=case.pk).update(agenda_item_id=7)   # the minutes are stubbed above
    case.refresh_from_db()
    parties = {p.name: p for p in cases.parties_from_item(actor=inspector, case=case)}
    case.refresh_from_db()
    return case, parties[li.name]


def _client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_the_page_shows_the_proposal_and_the_handler_grants_it(inspector: Any, proposed: tuple[Case, Any]) -> None:
    case, party = proposed
    c = _client(inspector)
    page = c.get(f"/oversight/cases/{case.pk}/").content.decode()
    assert "拟免除责任，待决定" in page and "准予免除责任" in page and "超出授权，应报董事会" in page
    r = c.post(f"/oversight/cases/{case.pk}/act/exemption_decide/", {"version": case.version, "party": party.pk, "grant": "1"})
    assert r.status_code == 302
    party.refresh_from_db()
    assert party.exempt and party.exemption_proof["status"] == "granted"
    assert CaseEvent.objects.filter(case=case, action="exemption_decide").count() == 1
    page = c.get(f"/oversight/cases/{case.pk}/").content.decode()
    assert "拟免除责任，待决定" not in page and "免除责任" in page


def test_refusing_without_a_reason_keeps_the_form_and_says_which_field(inspector: Any, proposed: tuple[Case, Any]) -> None:
    case, party = proposed
    c = _client(inspector)
    r = c.post(f"/oversight/cases/{case.pk}/act/exemption_decide/", {"version": case.version, "party": party.pk, "grant": "0",
                                                                      "reason": ""})
    assert r.status_code == 400 and "理由" in r.content.decode()
    party.refresh_from_db()
    assert not party.exempt and party.exemption_proof["status"] == "proposed"


def test_the_api_decides_and_refuses_a_second_decision(inspector: Any, proposed: tuple[Case, Any]) -> None:
    case, party = proposed
    c = _client(inspector)
    url = f"/api/v1/oversight/cases/{case.pk}/parties/{party.pk}/exemption"
    r = c.post(url, json.dumps({"grant": False, "reason": "异议未针对违规内容", "version": case.version}),
               content_type="application/json")
    assert r.status_code == 200, r.content
    assert r.json()["exempt"] is False and r.json()["exemption_proof"]["status"] == "refused"
    r = c.post(url, json.dumps({"grant": True}), content_type="application/json")
    assert r.status_code == 400 and r.json()["error"]["code"] == "no_exemption_proposed"
