"""The matter advisor and the regulations browser, through the Django test client."""

import pytest
from django.urls import reverse

from soegov.accounts.roles import Role
from soegov.core.names import plain
from soegov.policy import classify
from soegov.policy.catalogue import AUTHORITIES
from tests.factories import EnterpriseFactory, JurisdictionFactory, UserFactory
from tests.web.page_text import internal_codes, visible_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def filer(client):  # type: ignore[no-untyped-def]
    e = EnterpriseFactory(jurisdiction=JurisdictionFactory(policy_packs=["yining-2024"]), ownership="sole")
    client.force_login(UserFactory(role=Role.ENTERPRISE_FILER, enterprise=e))
    return e


def test_asset_transfer_of_four_million_needs_city_government_approval(client, filer) -> None:  # type: ignore[no-untyped-def]
    resp = client.post(reverse("advisor:advisor"), {
        "policy": "yining-2024", "enterprise": filer.pk, "type": "asset_transfer", "amount": "4,000,000",
        "date": "2026-03-01"})
    assert resp.status_code == 200
    text = resp.content.decode()
    expected = classify({"date": "2026-03-01", "enterprise": {"level": 1, "ownership": "sole"},
                         "type": "asset_transfer", "amount": "4000000", "attributes": {}}, policy="yining-2024")
    approval = next(o for o in expected["obligations"] if o["authority"] == "city_government")
    assert AUTHORITIES["city_government"].label in text
    assert approval["citation"]["text"] in text
    assert plain(approval["why"]) in text
    # The preview names the regulation, never its pack id or version code.
    assert internal_codes(visible_text(text)) == [] and "2024.1" not in visible_text(text)
    refused = client.post(reverse("advisor:advisor"), {
        "policy": "yining-2024", "enterprise": filer.pk, "type": "asset_transfer", "amount": "4,000,000",
        "date": "2023-03-01"}).content.decode()
    assert "施行期：2024-08-13 至 2029-08-12" in refused
    assert internal_codes(visible_text(refused)) == [] and "2024.1" not in visible_text(refused)
    assert f'#art-{approval["citation"]["article"]}' in text


def test_htmx_post_returns_the_panel_only(client, filer) -> None:  # type: ignore[no-untyped-def]
    resp = client.post(reverse("advisor:advisor"), {
        "policy": "yining-2024", "level": "1", "ownership": "sole", "type": "asset_transfer", "amount": "100"},
        HTTP_HX_REQUEST="true")
    text = resp.content.decode()
    assert text.lstrip().startswith('<div id="advisor-panel">') and "<html" not in text


def test_bad_inputs_name_the_field(client, filer) -> None:  # type: ignore[no-untyped-def]
    url = reverse("advisor:advisor")
    resp = client.post(url, {"policy": "yining-2024", "level": "1", "ownership": "sole", "type": "asset_transfer",
                             "amount": "四百万"})
    assert resp.status_code == 400 and "金额“四百万”不是有效数字（单位：元）" in resp.content.decode()
    resp = client.post(url, {"policy": "yining-2024", "level": "1", "ownership": "sole", "type": ""})
    assert resp.status_code == 400 and "请选择事项类型" in resp.content.decode()
    resp = client.post(url, {"policy": "yining-2024", "level": "", "ownership": "sole", "type": "asset_transfer"})
    assert resp.status_code == 400 and "请选择企业层级" in resp.content.decode()
    resp = client.post(url, {"policy": "yining-2024", "level": "1", "ownership": "sole", "type": "no_such"})
    assert resp.status_code == 400
    resp = client.post(url, {"policy": "nope", "level": "1", "ownership": "sole", "type": "asset_transfer"})
    assert resp.status_code == 400


def test_attribute_fields_partial(client, filer) -> None:  # type: ignore[no-untyped-def]
    resp = client.get(reverse("advisor:attributes"), {"type": "free_transfer"})
    assert resp.status_code == 200 and 'name="attr_counterparty"' in resp.content.decode()


def test_regulations_browser(client, filer) -> None:  # type: ignore[no-untyped-def]
    listing = client.get(reverse("advisor:regulations")).content.decode()
    assert "yining-2024" in listing and "xundian-2020" in listing
    page = client.get(reverse("advisor:pack", args=["yining-2024"])).content.decode()
    assert 'id="art-12"' in page and 'id="art-12-6"' in page and 'href="#art-12-6"' in page
    assert client.get(reverse("advisor:pack", args=["nope"])).status_code == 404


def test_deadline_and_due_date_from_the_calendar(client, filer) -> None:  # type: ignore[no-untyped-def]
    from soegov.calendar import deadline_from_doc

    data = {"policy": "yining-2024", "level": "2", "ownership": "controlled", "type": "incident",
            "date": "2026-09-30", "start": "2026-09-30T16:00"}
    text = client.post(reverse("advisor:advisor"), data).content.decode()
    expected = classify({"date": "2026-09-30", "enterprise": {"level": 2, "ownership": "controlled"},
                         "type": "incident", "attributes": {}}, policy="yining-2024")
    deadline = next(o["deadline"] for o in expected["obligations"] if o["deadline"])
    assert f'{deadline["working_days"]} 个工作日内' in text
    due = deadline_from_doc({"from": "2026-09-30T16:00", "working_days": deadline["working_days"]})["due"]
    assert f"{due[:10]} {due[11:16]}" in text
    bad = client.post(reverse("advisor:advisor"), {**data, "start": "昨天下午"})
    assert bad.status_code == 400 and "起算时间：" in bad.content.decode()


def test_uncovered_matter_warns(client, filer) -> None:  # type: ignore[no-untyped-def]
    text = client.post(reverse("advisor:advisor"), {"policy": "yining-2024", "level": "2", "ownership": "controlled",
                                                    "type": "financing", "date": "2026-03-01"}).content.decode()
    assert "制度未明确列举此事项" in text


def test_decision_list_page_shows_the_engines_list(client, filer) -> None:  # type: ignore[no-untyped-def]
    from soegov.policy.decision_list import decision_list

    listing = decision_list("xundian-2020")
    page = client.get(reverse("advisor:decision_list", args=["xundian-2020"]))
    assert page.status_code == 200
    text = page.content.decode()
    assert text.count("<tr>") == len(listing["entries"]) + 1
    first = listing["entries"][0]
    assert first["types"][0]["label"] in text
    assert client.get(reverse("advisor:decision_list", args=["nope"])).status_code == 404


def test_advisor_prefills_from_the_enterprise(client, filer) -> None:  # type: ignore[no-untyped-def]
    text = client.get(reverse("advisor:advisor"), {"enterprise": filer.pk}).content.decode()
    assert f'<option value="{filer.pk}" selected>' in text
    assert '<option value="1" selected>' in text and '<option value="sole" selected>' in text
