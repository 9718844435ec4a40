"""yining-2024 art. 7 appointment routes as data: one case per side of each boundary of level and listing."""

from __future__ import annotations

import os
import shutil
from datetime import date
from pathlib import Path

import pytest

from soegov.core.errors import InputError
from soegov.policy.appointments import appointment_route, load_appointments
from soegov.policy.errors import PackError
from soegov.policy.loader import PACKS_DIR, load_pack, reset_registry

DAY = date(2025, 3, 1)


@pytest.mark.parametrize(("name", "level", "listed", "route", "decider", "decision_basis"), [
    ("art7_item1_sub1_level1", 1, False, "city_committee", "city_party_committee", "document"),
    ("art7_item1_sub1_level1_listed_flag_irrelevant", 1, True, "city_committee", "city_party_committee", "document"),
    ("art7_item1_sub2_listed_level2", 2, True, "city_committee", "city_party_committee", "document"),
    ("art7_item2_unlisted_level2", 2, False, "parent_group", "enterprise", "meeting_item"),
    ("art7_item2_level3", 3, False, "parent_group", "enterprise", "meeting_item"),
    ("art7_item2_level3_listed_flag_irrelevant", 3, True, "parent_group", "enterprise", "meeting_item"),
])
def test_route_by_level(name: str, level: int, listed: bool, route: str, decider: str, decision_basis: str) -> None:
    r = appointment_route(policy="yining-2024", level=level, listed=listed, on=DAY)
    assert r["id"] == route, name
    decision = next(s for s in r["steps"] if s["code"] == "decision")
    assert decision["actor"] == decider
    assert decision["basis"] == decision_basis
    assert r["citation"]["article"] == 7
    assert r["citation"]["item"] == (1 if route == "city_committee" else 2)


def test_city_committee_route_steps_in_order() -> None:
    r = appointment_route(policy="yining-2024", level=1, on=DAY)
    assert [s["code"] for s in r["steps"]] == ["proposal", "examination", "decision", "appointment"]
    assert r["steps"][0]["actor"] == "sasac"
    assert r["steps"][1]["actor"] == "organization_department"
    assert "市委常委会" in r["steps"][2]["citation"]["text"]


def test_parent_group_route_proposed_examined_filed() -> None:
    r = appointment_route(policy="yining-2024", level=3, on=DAY)
    assert [(s["code"], s["actor"]) for s in r["steps"]] == [
        ("proposal", "parent_party_organization"), ("examination", "sasac"),
        ("recommendation", "parent_party_organization"), ("filing", "organization_department"),
        ("decision", "enterprise")]
    assert r["steps"][0]["actor_label"] == "上级集团党组织"
    assert "报组织（人事）部门备案" in r["citation"]["text"]
    assert r["ballot_citation"]["document"] == "xundian-2020"
    assert "投票表决" in r["ballot_citation"]["text"]


def test_level4_has_no_route() -> None:
    with pytest.raises(InputError) as exc:
        appointment_route(policy="yining-2024", level=4, on=DAY)
    assert exc.value.code == "no_appointment_route"
    assert "第七条只规定了1、2、3级" in exc.value.message


def test_pack_without_appointments() -> None:
    with pytest.raises(InputError) as exc:
        appointment_route(policy="xundian-2020", level=1, on=DAY)
    assert exc.value.code == "no_appointment_rules"


def test_not_in_force_before_issue() -> None:
    with pytest.raises(InputError) as exc:
        appointment_route(policy="yining-2024", level=1, on=date(2024, 8, 12))
    assert exc.value.code == "policy_not_in_force"


def _copy_pack(tmp_path: Path, edit: str, new: str) -> Path:
    folder = tmp_path / "yining-2024"
    shutil.copytree(os.path.join(PACKS_DIR, "yining-2024"), folder)
    text = (folder / "appointments.yaml").read_text(encoding="utf-8")
    assert edit in text
    (folder / "appointments.yaml").write_text(text.replace(edit, new, 1), encoding="utf-8")
    return folder


@pytest.mark.parametrize(("edit", "new", "message"), [
    ("cite: {article: 7, item: 2}", "cite: {article: 7, item: 3}", "has no item 3"),
    ("cite: {article: 7, item: 1}", "cite: {article: 99, item: 1}", "article 99 is not in"),
    ("actor: organization_department", "actor: mayor", "unknown actor 'mayor'"),
    ("basis: meeting_item", "basis: phone_call", "basis must be one of"),
    ("{level: 3}", "{level: 1}", "both apply to the same enterprises"),
])
def test_bad_data_is_refused(tmp_path: Path, edit: str, new: str, message: str) -> None:
    pack = load_pack(_copy_pack(tmp_path, edit, new))
    with pytest.raises(PackError) as exc:
        load_appointments(pack)
    assert message in str(exc.value)


def test_registry_folder_from_policy_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A pack on $SOEGOV_POLICY_PATH is found by the registry and its own appointments.yaml is read."""
    _copy_pack(tmp_path, "        label: 市委常委会研究同意\n        actor: city_party_committee\n        basis: document\n"
               "        cite: {article: 7, item: 1}\n      - code: appointment\n        label: 按照规定程序任免（任免文件）\n"
               "        actor: sasac\n        basis: document\n        cite: {article: 7, item: 1}\n  - id: parent_group",
               "        label: 市委常委会研究同意（测试副本）\n        actor: city_party_committee\n        basis: document\n"
               "        cite: {article: 7, item: 1}\n      - code: appointment\n        label: 按照规定程序任免（任免文件）\n"
               "        actor: sasac\n        basis: document\n        cite: {article: 7, item: 1}\n  - id: parent_group")
    monkeypatch.setenv("SOEGOV_POLICY_PATH", str(tmp_path))
    monkeypatch.setenv("SOEGOV_CACHE_DIR", str(tmp_path / "cache"))
    reset_registry()
    try:
        r = appointment_route(policy="yining-2024", level=1, on=DAY)
        assert r["steps"][2]["label"] == "市委常委会研究同意（测试副本）"
    finally:
        reset_registry()


def test_discipline_secretary_and_minority_stakes_have_their_own_routes() -> None:
    # Art. 7 item 1's closing words: the discipline secretary is proposed by the discipline commission.
    general = appointment_route(policy="yining-2024", level=1, on=DAY)
    secretary = appointment_route(policy="yining-2024", level=1, on=DAY, post="discipline_secretary")
    listed = appointment_route(policy="yining-2024", level=2, listed=True, on=DAY, post="discipline_secretary")
    assert general["id"] == "city_committee" and general["steps"][0]["actor"] == "sasac"
    assert secretary["id"] == listed["id"] == "discipline_secretary"
    assert secretary["steps"][0]["actor"] == "discipline_commission"
    # Only level-1 and listed level-2 groups: elsewhere the secretary follows the parent group's route.
    assert appointment_route(policy="yining-2024", level=3, on=DAY, post="discipline_secretary")["id"] == "parent_group"
    # A minority stake at any level: the city only recommends (“建议任免”); the company appoints.
    for level in (1, 2, 3):
        route = appointment_route(policy="yining-2024", level=level, on=DAY, ownership="minority")
        assert route["id"] == "minority_recommendation"
        assert [s["actor"] for s in route["steps"]] == ["sasac", "enterprise"]
    assert appointment_route(policy="yining-2024", level=1, on=DAY, ownership="controlled")["id"] == "city_committee"
