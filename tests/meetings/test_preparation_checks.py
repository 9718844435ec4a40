"""Xundian art. 11(一)3 and 11(一)4 reach the engine from the topic's preparation record, each as its own check."""

from __future__ import annotations

from typing import Any

import pytest

from soegov.meetings import results, topics
from soegov.meetings.preparation import STEPS
from tests.meetings.factories import (
    AgendaItemFactory,
    MeetingFactory,
    make_body,
    prepared_topic,
    xundian_enterprise,
)

pytestmark = pytest.mark.django_db


def _item(undone: str | None) -> Any:
    enterprise = xundian_enterprise()
    meeting = MeetingFactory(body=make_body(enterprise))
    if undone is None:
        return AgendaItemFactory(meeting=meeting, topic=prepared_topic(enterprise))
    # An agenda takes only prepared topics; a topic short of a step reaches a meeting only as a 临时动议 (ad hoc).
    topic = topics.topic_create(actor=None, enterprise=enterprise, title="临时议题", category="major_decision",
                                route=["party_committee"])
    for step in STEPS:
        if step != undone:
            topic = topics.topic_step_mark(actor=None, topic=topic, step=step)
    return AgendaItemFactory(meeting=meeting, topic=topic, ad_hoc=True)


@pytest.mark.parametrize(("undone", "code"), [("discipline_informed", "oversight_not_informed"),
                                              ("consulted", "not_communicated")])
def test_a_step_left_undone_is_named_with_its_own_check(undone: str, code: str) -> None:
    item = _item(undone)
    doc = results.engine_request(item.meeting)
    assert doc["items"][0][{"discipline_informed": "oversight_informed", "consulted": "communicated"}[undone]] is False
    codes = [v["code"] for v in results.check(item.meeting)["violations"]]  # type: ignore[index]
    assert code in codes and "unprepared_item" in codes and "ad_hoc_item" in codes


def test_a_fully_prepared_topic_has_neither() -> None:
    item = _item(None)
    codes = [v["code"] for v in results.check(item.meeting)["violations"]]  # type: ignore[index]
    assert "oversight_not_informed" not in codes and "not_communicated" not in codes


def test_the_host_post_tells_the_engine_who_chaired() -> None:
    """Xundian art. 9: the party meeting is chaired by its secretary; a deputy secretary is flagged, a plain member
    (who may stand in on a rule the record cannot show) leaves the check undone and said so."""
    from soegov.enterprises import services as ent_services
    from soegov.enterprises.models import BodyMember

    enterprise = xundian_enterprise()
    body = make_body(enterprise)
    secretary = BodyMember.objects.get(body=body, name="张书记")
    ent_services.member_update(actor=None, member=secretary, name=secretary.name, role="secretary", is_principal=True,
                               voting=True, term_start=None, term_end=None)
    meeting = MeetingFactory(body=body)
    assert results.engine_request(meeting)["chair_role"] == "party_secretary"
    assert "wrong_chair" not in [v["code"] for v in results.check(meeting)["violations"]]  # type: ignore[index]
    deputy = BodyMember.objects.get(body=body, name="李委员")
    ent_services.member_update(actor=None, member=deputy, name=deputy.name, role="deputy_secretary", is_principal=False,
                               voting=True, term_start=None, term_end=None)
    chaired_by_deputy = MeetingFactory(body=body, host=deputy)
    assert "wrong_chair" in [v["code"] for v in results.check(chaired_by_deputy)["violations"]]  # type: ignore[index]
    by_member = MeetingFactory(body=body, host=BodyMember.objects.get(body=body, name="王委员"))
    assert "chair_role" not in results.engine_request(by_member)
