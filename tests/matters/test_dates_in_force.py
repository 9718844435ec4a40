"""A matter's date picks the regulation's version: a date no version is in force on says so and is refused (never
"internal, nothing to do"), and a date far from today is saved only once the user confirms it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from soegov.core.errors import SoegovError
from soegov.matters import editing, lifecycle
from soegov.matters.models import Matter
from tests.matters.conftest import APPROVAL_CITY, make_matter

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 12, 6)


@pytest.fixture(autouse=True)
def _today(monkeypatch: Any) -> None:
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)


def _create(filer: Any, enterprise: Any, day: Any, **extra: Any) -> Matter:
    matter_type, amount, attributes = APPROVAL_CITY
    return editing.matter_create(actor=filer, enterprise=enterprise, matter_type=matter_type, title="转让闲置厂房",
                                 amount=amount, attributes=dict(attributes), occurred_on=day, **extra)


@pytest.mark.parametrize("day", ["2030-01-01", "2024-08-12", "2029-08-13"])
def test_a_date_no_version_is_in_force_on_is_refused_with_the_dates_of_force(filer: Any, enterprise: Any,
                                                                          day: str) -> None:
    with pytest.raises(SoegovError) as exc:
        _create(filer, enterprise, day, date_confirmed=True)
    assert exc.value.code == "policy_not_in_force" and exc.value.path == "occurred_on"
    assert f"{day} 不在施行期内" in exc.value.message
    assert "2024-08-13 至 2029-08-12" in exc.value.message and "请更正决策或发生日期" in exc.value.message
    assert "企业内部决策" in exc.value.message  # says plainly it is not treated as internal
    assert not Matter.objects.exists()


@pytest.mark.parametrize("day", ["2024-08-13", "2029-08-12"])
def test_the_first_and_last_days_of_force_are_accepted(filer: Any, enterprise: Any, day: str) -> None:
    m = _create(filer, enterprise, day, date_confirmed=True)
    assert (m.route, m.authority) == ("approval", "city_government")


@pytest.mark.parametrize(("day", "words"), [("2025-12-05", "366 天前"), ("2027-12-07", "366 天后")])
def test_a_date_more_than_a_year_from_today_asks_for_a_confirmation(filer: Any, enterprise: Any, day: str,
                                                                   words: str) -> None:
    with pytest.raises(SoegovError) as exc:
        _create(filer, enterprise, day)
    assert exc.value.code == "date_unconfirmed" and exc.value.path == "occurred_on"
    assert words in exc.value.message and "确认日期无误" in exc.value.message
    assert not Matter.objects.exists()
    assert _create(filer, enterprise, day, date_confirmed=True).occurred_on == dt.date.fromisoformat(day)


@pytest.mark.parametrize("day", ["2025-12-06", "2027-12-06"])
def test_a_date_within_a_year_needs_no_confirmation(filer: Any, enterprise: Any, day: str) -> None:
    assert _create(filer, enterprise, day).occurred_on == dt.date.fromisoformat(day)


def test_an_update_to_a_date_out_of_force_is_refused_and_keeps_the_matter(filer: Any, enterprise: Any) -> None:
    m = make_matter(filer, enterprise, APPROVAL_CITY)
    with pytest.raises(SoegovError) as exc:
        editing.matter_update(actor=filer, matter=m, version=m.version, occurred_on="2030-01-01", date_confirmed=True)
    assert exc.value.code == "policy_not_in_force"
    m.refresh_from_db()
    assert m.occurred_on == dt.date(2026, 3, 2) and m.route == "approval" and m.verdicts.count() == 1


def test_an_update_that_keeps_a_confirmed_far_date_asks_nothing_again(filer: Any, enterprise: Any) -> None:
    m = _create(filer, enterprise, "2025-06-01", date_confirmed=True)
    m, _ = editing.matter_update(actor=filer, matter=m, version=m.version, title="转让闲置厂房（修订）",
                                 occurred_on="2025-06-01")
    assert m.title == "转让闲置厂房（修订）"
    with pytest.raises(SoegovError) as exc:
        editing.matter_update(actor=filer, matter=m, version=m.version, occurred_on="2025-06-02")
    assert exc.value.code == "date_unconfirmed"


def test_a_stored_matter_out_of_force_is_neither_internal_nor_implementable(client: Any, filer: Any,
                                                                          enterprise: Any) -> None:
    """A matter saved before this check (or by a bulk load): its verdict names no version, so nothing may proceed."""
    from soegov.matters.models import Verdict

    m = _create(filer, enterprise, "2026-03-02")
    v = m.verdicts.get()
    result = dict(v.result, obligations=[], policy=dict(v.result["policy"], in_force=False, version=None))
    Verdict.objects.filter(pk=v.pk).update(result=result)
    Matter.objects.filter(pk=m.pk).update(route="internal", authority="")
    m.refresh_from_db()
    with pytest.raises(SoegovError) as exc:
        lifecycle.matter_implement(actor=filer, matter=m, version=m.version)
    assert exc.value.code == "policy_not_in_force" and "请更正决策或发生日期" in exc.value.message
    client.force_login(filer)
    page = client.get(f"/matters/{m.pk}/").content.decode()
    assert "无施行中的制度（请更正日期）" in page and "登记已实施" not in page and "无须报送" not in page


def test_the_new_matter_page_refuses_2030_and_asks_to_confirm_a_far_date(client: Any, filer: Any,
                                                                       enterprise: Any) -> None:
    client.force_login(filer)
    form = {"enterprise": enterprise.pk, "type": "asset_transfer", "amount": "5000000", "title": "转让闲置厂房"}
    r = client.post("/matters/new/", form | {"occurred_on": "2030-01-01"})
    page = r.content.decode()
    assert r.status_code == 400 and "2030-01-01 不在施行期内" in page and "请更正决策或发生日期" in page
    assert not Matter.objects.exists()
    r = client.post("/matters/new/", form | {"occurred_on": "2025-06-01"})
    page = r.content.decode()
    assert r.status_code == 400 and 'name="date_confirmed"' in page and "确认日期无误" in page
    assert not Matter.objects.exists()
    r = client.post("/matters/new/", form | {"occurred_on": "2025-06-01", "date_confirmed": "1"})
    assert r.status_code == 302
    assert Matter.objects.get().occurred_on == dt.date(2025, 6, 1)


def test_the_new_matter_preview_says_no_regulation_is_in_force(client: Any, filer: Any, enterprise: Any) -> None:
    client.force_login(filer)
    r = client.post("/matters/preview/", {"enterprise": enterprise.pk, "type": "asset_transfer", "amount": "5000000",
                                          "occurred_on": "2030-01-01"})
    page = r.content.decode()
    assert "不在施行期内" in page and "请更正决策或发生日期" in page
    assert "无须报送" not in page


def test_the_api_refuses_2030_and_takes_a_confirmation(client: Any, filer: Any, enterprise: Any) -> None:
    client.force_login(filer)
    body = {"enterprise_id": enterprise.pk, "type": "asset_transfer", "title": "转让闲置厂房", "amount": "5000000"}
    r = client.post("/api/v1/matters", body | {"occurred_on": "2030-01-01"}, content_type="application/json")
    assert r.status_code == 400 and r.json()["error"]["code"] == "policy_not_in_force"
    assert r.json()["error"]["path"] == "occurred_on"
    r = client.post("/api/v1/matters", body | {"occurred_on": "2025-06-01"}, content_type="application/json")
    assert r.status_code == 400 and r.json()["error"]["code"] == "date_unconfirmed"
    r = client.post("/api/v1/matters", body | {"occurred_on": "2025-06-01", "date_confirmed": True},
                    content_type="application/json")
    assert r.status_code == 200 and r.json()["route"] == "approval"


def test_the_matter_page_asks_to_confirm_a_far_date_when_the_facts_are_changed(client: Any, filer: Any,
                                                                              enterprise: Any) -> None:
    m = make_matter(filer, enterprise, APPROVAL_CITY)
    client.force_login(filer)
    form = {"version": m.version, "title": m.title, "amount": "5000000", "occurred_on": "2025-06-01"}
    r = client.post(f"/matters/{m.pk}/act/update/", form)
    page = r.content.decode()
    assert r.status_code == 400 and "距今超过一年" in page and 'name="date_confirmed"' in page
    assert 'value="2025-06-01"' in page  # what was typed is shown again
    m.refresh_from_db()
    assert m.occurred_on == dt.date(2026, 3, 2)
    r = client.post(f"/matters/{m.pk}/act/update/", form | {"date_confirmed": "1"})
    assert r.status_code == 302
    m.refresh_from_db()
    assert m.occurred_on == dt.date(2025, 6, 1)
