"""Issue 13.10: a contract's period is checked against the calendar — it is signed before its period ends and
scored at the earliest in the last month of its period, never in the future, never before it was signed."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from soegov.core.errors import InputError
from soegov.leaders import contracts
from tests.leaders.factories import TARGETS, leader, reviewer, tree

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup() -> dict[str, Any]:
    t = tree()
    return {**t, "rev": reviewer(t["j"]), "gm": leader(t["l2"], "张三")}


def _sign(s: dict[str, Any], year: int, signed_on: str, kind: str = "annual", end_year: int | None = None) -> Any:
    return contracts.contract_sign(actor=s["rev"], leader=s["gm"], kind=kind, year=year, end_year=end_year,
                                   targets=TARGETS, signed_on=signed_on)


def _score(s: dict[str, Any], c: Any, day: str) -> Any:
    return contracts.contract_score(actor=s["rev"], contract=c, results=["1000", "5000", "60"], scored_on=day)


def test_a_2027_contract_cannot_be_scored_in_december_2026(setup: dict[str, Any]) -> None:
    c = _sign(setup, 2027, "2026-12-01")
    with pytest.raises(InputError) as exc:
        _score(setup, c, "2026-12-06")
    assert exc.value.code == "scored_before_period_end" and exc.value.path == "scored_on"
    assert "2027-12-01" in exc.value.message
    c.refresh_from_db()
    assert c.status == "signed" and c.score is None


def test_the_year_end_assessment_starts_on_the_first_of_december_both_sides(setup: dict[str, Any]) -> None:
    c = _sign(setup, 2025, "2025-01-15")
    with pytest.raises(InputError):
        _score(setup, c, "2025-11-30")
    assert _score(setup, c, "2025-12-01").status == "scored"


def test_a_tenure_contract_is_scored_at_the_end_of_its_last_year(setup: dict[str, Any]) -> None:
    c = _sign(setup, 2023, "2023-01-10", kind="tenure", end_year=2025)
    with pytest.raises(InputError) as exc:
        _score(setup, c, "2024-12-20")
    assert "2025-12-01" in exc.value.message
    assert _score(setup, c, "2026-01-20").status == "scored"


def test_a_score_is_never_dated_in_the_future_nor_before_the_signature(setup: dict[str, Any]) -> None:
    today = timezone.localdate()
    c = _sign(setup, 2025, "2025-01-15")
    with pytest.raises(InputError) as exc:
        _score(setup, c, (today + dt.timedelta(days=1)).isoformat())
    assert exc.value.code == "future_date" and exc.value.path == "scored_on"
    assert _score(setup, c, today.isoformat()).status == "scored"
    late = _sign(setup, 2024, "2024-12-20")
    with pytest.raises(InputError) as exc:
        _score(setup, late, "2024-12-10")
    assert exc.value.code == "scored_before_signed"


@pytest.mark.parametrize(("year", "signed_on", "ok"), [
    (2025, "2025-12-31", True), (2025, "2026-01-01", False),   # signed before its period ends, both sides
    (2025, "2024-01-01", True), (2025, "2023-12-31", False),   # at most a year ahead, both sides
])
def test_a_contract_is_signed_before_its_period_ends(setup: dict[str, Any], year: int, signed_on: str, ok: bool) -> None:
    if ok:
        assert _sign(setup, year, signed_on).status == "signed"
    else:
        with pytest.raises(InputError) as exc:
            _sign(setup, year, signed_on)
        assert exc.value.path == "signed_on"


def test_a_signature_dated_tomorrow_is_refused(setup: dict[str, Any]) -> None:
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(InputError) as exc:
        _sign(setup, tomorrow.year, tomorrow.isoformat())
    assert (exc.value.code, exc.value.path) == ("future_date", "signed_on")


def test_the_page_says_why_and_keeps_the_form(setup: dict[str, Any], client: Any) -> None:
    c = _sign(setup, 2027, "2026-12-01")
    client.force_login(setup["rev"])
    r = client.post(f"/leaders/{setup['gm'].pk}/act/score/", {"contract": c.pk, "version": c.version, "result_0": "1000",
                                                             "result_1": "5000", "result_2": "60", "scored_on": "2026-12-06"})
    assert r.status_code == 400 and "2027-12-01" in r.content.decode()
