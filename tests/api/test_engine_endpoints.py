"""The three public endpoints answer exactly what the engine and calendar answer, errors included."""

import copy

import pytest

from soegov.calendar import deadline_from_doc
from soegov.policy import classify, meeting_check

pytestmark = pytest.mark.django_db

CLASSIFY = {"date": "2026-03-01", "enterprise": {"level": 1, "ownership": "sole"}, "type": "asset_transfer",
            "amount": "4000000", "attributes": {}}
MEETING = {
    "date": "2026-03-10",
    "body": {"kind": "board", "members": ["王", "李", "张", "赵", "刘"], "principal": "王"},
    "attendees": ["王", "李", "张"], "nonvoting_attendees": ["监事会主席"], "notice_sent": True,
    "items": [{"id": "1", "title": "关于处置闲置厂房的议题", "category": "major_decision", "on_agenda": True,
               "prepared": True, "materials_in_advance": True, "voting_method": "show_of_hands", "recused": [],
               "statements": ["李", "张", "王"], "votes": {"王": "for", "李": "for", "张": "against"}}],
}


def post(client, endpoint: str, body: object):  # type: ignore[no-untyped-def]
    return client.post(f"/api/v1/{endpoint}", data=body, content_type="application/json")


def test_classify_matches_the_engine(client) -> None:  # type: ignore[no-untyped-def]
    resp = post(client, "classify", {**CLASSIFY, "policy": "yining-2024"})
    assert resp.status_code == 200
    assert resp.json() == classify(copy.deepcopy(CLASSIFY), policy="yining-2024")
    authorities = {o["authority"] for o in resp.json()["obligations"]}
    assert "city_government" in authorities


def test_classify_invalid_input_is_the_engines_error(client) -> None:  # type: ignore[no-untyped-def]
    bad = {**CLASSIFY, "type": "no_such_type"}
    resp = post(client, "classify", {**bad, "policy": "yining-2024"})
    assert resp.status_code == 400
    from soegov.core.errors import InputError
    from soegov.field_labels import readable_dict

    with pytest.raises(InputError) as exc:
        classify(copy.deepcopy(bad), policy="yining-2024")
    # The engine's error, its fields named as the CLI's --json names them.
    assert resp.json() == readable_dict(exc.value)
    assert resp.json()["error"]["path"] == "type"


def test_classify_unknown_policy_is_400(client) -> None:  # type: ignore[no-untyped-def]
    resp = post(client, "classify", {**CLASSIFY, "policy": "atlantis-1999"})
    assert resp.status_code == 400
    assert resp.json()["error"]["code"]


def test_meeting_check_matches_the_engine(client) -> None:  # type: ignore[no-untyped-def]
    resp = post(client, "meeting-check", {**MEETING, "policy": "xundian-2020"})
    assert resp.status_code == 200
    assert resp.json() == meeting_check(copy.deepcopy(MEETING), policy="xundian-2020")
    assert resp.json()["quorum"]["members"] == 5


def test_deadline_working_days_and_hours(client) -> None:  # type: ignore[no-untyped-def]
    doc = {"from": "2026-09-30T16:00:00+08:00", "working_days": 5}
    resp = post(client, "deadline", doc)
    assert resp.status_code == 200
    assert resp.json() == deadline_from_doc(dict(doc))
    hours = post(client, "deadline", {"from": "2026-09-30T16:00:00+08:00", "hours": 24})
    assert hours.status_code == 200 and hours.json()["due"].startswith("2026-10-01T16:00")
    bad = post(client, "deadline", {"from": "yesterday", "working_days": 5})
    assert bad.status_code == 400 and bad.json()["error"]["path"]
