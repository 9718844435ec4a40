"""With the meetings app: dissent exemption proven from a recorded vote, decision violations on the
dashboard, passed items as decisions on record for the ledger check."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from soegov.core.errors import InputError
from soegov.meetings import results, sessions, voting
from soegov.oversight import cases, dashboard, ledgers, selectors
from tests.meetings.factories import AgendaItemFactory, MeetingFactory, make_body, member, prepared_topic
from tests.oversight.conftest import ledger_bytes


def _voted_item(xd: Any, opinions: dict[str, tuple[str, str]], topic: Any = None) -> Any:
    body = make_body(xd, kind="party_committee", names=["张书记", "李委员", "王委员", "赵委员", "钱委员"])
    meeting = MeetingFactory(body=body)
    item = AgendaItemFactory(meeting=meeting, topic=topic) if topic else AgendaItemFactory(meeting=meeting)
    meeting = sessions.notice_send(actor=None, meeting=meeting)
    meeting = sessions.materials_distribute(actor=None, meeting=meeting)
    meeting = sessions.meeting_open(actor=None, meeting=meeting)
    for m in body.members.all():
        sessions.attendance_record(actor=None, meeting=meeting, member=m, present=True)
    for name in ["李委员", "王委员", "赵委员", "钱委员", "张书记"]:  # the principal speaks and votes last
        choice, opinion = opinions.get(name, ("for", ""))
        voting.vote_record(actor=None, meeting=meeting, item=item, member=member(body, name), choice=choice,
                           opinion=opinion)
    results.results_compute(actor=None, meeting=meeting)
    item.refresh_from_db()
    return item


def test_dissent_in_the_minutes_exempts_and_a_bare_no_does_not(inspector: Any, xd: Any) -> None:
    item = _voted_item(xd, {"李委员": ("against", "项目未经可行性研究，反对"), "王委员": ("against", "")})
    body = item.meeting.body
    case = cases.case_open(actor=inspector, enterprise=xd, title="决策失误", facts="……", violation="xd31_1",
                           responsibility="collective", agenda_item_id=item.pk)
    with pytest.raises(InputError) as exc:
        cases.party_add(actor=inspector, case=case, member=member(body, "王委员"), exempt=True)
    assert exc.value.code == "no_dissent_recorded"
    li = cases.party_add(actor=inspector, case=case, member=member(body, "李委员"), exempt=True)
    assert li.exempt and li.exemption_proof == {"vote": "against", "opinion": "项目未经可行性研究，反对", "name": "李委员",
                                                "agenda_item": item.pk, "status": "granted"}
    rest = cases.parties_from_item(actor=inspector, case=case)
    assert sorted(p.name for p in rest) == ["张书记", "王委员", "赵委员", "钱委员"]
    assert not any(p.exempt for p in rest)
    assert {p.name: p.responsibility for p in rest}["张书记"] == "leadership"
    rec = selectors.compliance_record(xd, item.meeting.held_at.year)
    assert rec["counts"]["exempt"] == 1


def test_decision_violations_reach_the_dashboard_and_passed_items_cover_payments(inspector: Any, xd: Any) -> None:
    topic = prepared_topic(xd, title="办公楼装修", amount=Decimal("90000"))
    item = _voted_item(xd, {}, topic=topic)
    assert item.passed
    held = item.meeting.held_at.date().isoformat()
    data = ledger_bytes([f"{held},甲装饰公司,28000,other,non_production,", f"{held},甲装饰公司,29000,other,non_production,"])
    ledger = ledgers.ledger_upload(actor=inspector, enterprise=xd, name="台账.csv", data=data)
    assert ledger.decisions_used == 1 and ledger.findings.count() == 1   # no payee on the topic: not matched by name
    assert any(d["ref"] == f"议题{item.pk}" and d["amount"] == "90000.00" for d in ledgers.system_decisions(xd))


def test_an_adhoc_item_is_a_decision_violation(inspector: Any, xd: Any) -> None:
    body = make_body(xd, kind="party_committee", names=["张书记", "李委员", "王委员"])
    meeting = MeetingFactory(body=body)
    meeting = sessions.notice_send(actor=None, meeting=meeting)
    meeting = sessions.materials_distribute(actor=None, meeting=meeting)
    meeting = sessions.meeting_open(actor=None, meeting=meeting)
    item = AgendaItemFactory(meeting=meeting, ad_hoc=True)
    for m in body.members.all():
        sessions.attendance_record(actor=None, meeting=meeting, member=m, present=True)
    for name in ["李委员", "王委员", "张书记"]:
        voting.vote_record(actor=None, meeting=meeting, item=item, member=member(body, name), choice="for")
    results.results_compute(actor=None, meeting=meeting)
    rows = dashboard.rows(user=inspector, kind="decision_violations", enterprise_id=xd.pk)
    assert len(rows) == 1 and "临时动议" in rows[0]["note"] and rows[0]["url"] == f"/meetings/{meeting.pk}/"
    from django.test import Client

    c = Client()
    c.force_login(inspector)
    page = c.get(f"/oversight/rows/decision_violations/?enterprise={xd.pk}").content.decode()
    assert "立案追责" in page and f"agenda_item={item.pk}" in page
    form = c.get(rows[0]["case_url"]).content.decode()
    assert f'value="{item.pk}"' in form and "临时动议" in form
    r = c.post("/oversight/cases/new/", {"enterprise": xd.pk, "agenda_item": item.pk, "title": "临时动议",
                                         "facts": "临时动议", "violation": "xd31_1", "responsibility": "collective"})
    assert r.status_code == 302


def test_a_secret_ballot_proves_no_ones_dissent(inspector: Any, xd: Any) -> None:
    """xundian art. 30 exempts dissent recorded in the minutes; a ballot's minutes hold only the tally."""
    body = make_body(xd, kind="party_committee", names=["张书记", "李委员", "王委员"])
    meeting = MeetingFactory(body=body)
    item = AgendaItemFactory(meeting=meeting, voting_method="ballot")
    meeting = sessions.notice_send(actor=None, meeting=meeting)
    meeting = sessions.materials_distribute(actor=None, meeting=meeting)
    meeting = sessions.meeting_open(actor=None, meeting=meeting)
    for m in body.members.all():
        sessions.attendance_record(actor=None, meeting=meeting, member=m, present=True)
    for name, choice in (("李委员", "against"), ("王委员", "for"), ("张书记", "for")):
        voting.vote_record(actor=None, meeting=meeting, item=item, member=member(body, name), choice=choice,
                           opinion="反对该人选" if choice == "against" else "")
    case = cases.case_open(actor=inspector, enterprise=xd, title="选人用人失察", facts="……", violation="xd31_1",
                           responsibility="collective", agenda_item_id=item.pk)
    with pytest.raises(InputError) as exc:
        cases.party_add(actor=inspector, case=case, member=member(body, "李委员"), exempt=True)
    assert exc.value.code == "secret_ballot"
    parties = cases.parties_from_item(actor=inspector, case=case)
    assert len(parties) == 3 and not any(p.exempt for p in parties)


def test_case_page_names_its_meeting_item_not_its_row_number(inspector: Any, xd: Any) -> None:
    from django.test import Client

    item = _voted_item(xd, {})
    case = cases.case_open(actor=inspector, enterprise=xd, title="决策失误", facts="……", violation="xd31_1",
                           responsibility="collective", agenda_item_id=item.pk)
    c = Client()
    c.force_login(inspector)
    page = c.get(f"/oversight/cases/{case.pk}/").content.decode()
    assert f'href="/meetings/{item.meeting_id}/">{item.meeting.title}：{item.topic.title}</a>' in page
    assert f"会议议题 {item.pk}<" not in page


def test_the_case_form_offers_the_enterprises_agenda_items_by_name(inspector: Any, xd: Any) -> None:
    """A new user cannot know an agenda item's internal id: the form lists the enterprise's decided items by
    meeting and topic (the same stored value), the one a dashboard row names chosen, no number to type."""
    from django.test import Client

    from soegov.oversight.models import Case
    from tests.factories import EnterpriseFactory

    item = _voted_item(xd, {})
    other = AgendaItemFactory(meeting=MeetingFactory(body=make_body(EnterpriseFactory(jurisdiction=xd.jurisdiction),
                                                                    kind="party_committee", names=["甲", "乙", "丙"])))
    c = Client()
    c.force_login(inspector)
    form = c.get("/oversight/cases/new/").content.decode()
    assert '<select class="full" name="agenda_item" id="id_agenda_item">' in form
    field = form.split('id="id_agenda_item"')[1].split("</select>")[0]
    assert f'<option value="{item.pk}">' in field and f"{item.meeting.title}：{item.topic.title}" in field
    assert f'<optgroup label="{xd.name}">' in field
    chosen = c.get(f"/oversight/cases/new/?enterprise={xd.pk}&agenda_item={item.pk}&title=t").content.decode()
    field = chosen.split('id="id_agenda_item"')[1].split("</select>")[0]
    assert f'<option value="{item.pk}" selected>' in field and f'value="{other.pk}"' not in field
    r = c.post("/oversight/cases/new/", {"enterprise": xd.pk, "agenda_item": item.pk, "title": "决策违规",
                                         "facts": "议题违规", "violation": "xd31_1", "responsibility": "collective"})
    assert r.status_code == 302 and Case.objects.get(title="决策违规").agenda_item_id == item.pk
