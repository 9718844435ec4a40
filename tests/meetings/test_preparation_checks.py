"""Xundian art. 11(一)3 and 11(一)4 reach the engine from the topic's preparation record, each as its own check."""

from __future__ import annotations

from typing import Any

import pytest

from soegov.meetings import services
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
    topic = services.create_topic(actor=None, enterprise=enterprise, title="临时议题", category="major_decision",
                                  route=["party_committee"])
    for step in STEPS:
        if step != undone:
            topic = services.mark_step(actor=None, topic=topic, step=step)
    return AgendaItemFactory(meeting=meeting, topic=topic, ad_hoc=True)


@pytest.mark.parametrize(("undone", "code"), [("discipline_informed", "oversight_not_informed"),
                                              ("consulted", "not_communicated")])
def test_a_step_left_undone_is_named_with_its_own_check(undone: str, code: str) -> None:
    item = _item(undone)
    doc = services.engine_request(item.meeting)
    assert doc["items"][0][{"discipline_informed": "oversight_informed", "consulted": "communicated"}[undone]] is False
    codes = [v["code"] for v in services.check(item.meeting)["violations"]]  # type: ignore[index]
    assert code in codes and "unprepared_item" in codes and "ad_hoc_item" in codes


def test_a_fully_prepared_topic_has_neither() -> None:
    item = _item(None)
    codes = [v["code"] for v in services.check(item.meeting)["violations"]]  # type: ignore[index]
    assert "oversight_not_informed" not in codes and "not_communicated" not in codes
