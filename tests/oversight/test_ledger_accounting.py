"""Issue 13.3: the web ledger import accounts for every row (checked, or refused with its row number and reason), shows
the accepted 用途 words, lets the inspector map an unknown purpose once per enterprise, and agrees with the CLI."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from soegov.audit.models import AuditEntry
from soegov.core.errors import InputError
from soegov.oversight import ledgers
from soegov.oversight.models import PurposeMapping, RefusedRow
from tests.oversight.conftest import ledger_bytes

pytestmark = pytest.mark.django_db

ROWS = [
    "2026-03-02,甲装饰公司,28000,other,non_production,",
    "2026-03-09,甲装饰公司,27500,办公楼装修,non_production,",
    "2026-03-10,乙供电局,1x2,other,non_production,",
    "2026-03-21,丙物业公司,29000,办公楼装修,non_production,",
    "2026-03-22,丁公司,500,工程款,production,",
]


def _upload(inspector: Any, ent: Any, rows: list[str] = ROWS) -> Any:
    return ledgers.ledger_upload(actor=inspector, enterprise=ent, name="台账.csv", data=ledger_bytes(rows), inline=True)


def test_every_row_is_checked_or_refused_with_its_number_and_reason(inspector: Any, xd: Any) -> None:
    ledger = _upload(inspector, xd)
    refused = {r.row: r for r in RefusedRow.objects.filter(ledger=ledger)}
    assert (ledger.rows, ledger.invalid_rows) == (2, 3)
    assert ledger.rows + ledger.invalid_rows == len(ROWS)
    assert sorted(refused) == [3, 4, 5]
    assert "第3行" in refused[3].reasons[0]["message"] and "办公楼装修" in refused[3].reasons[0]["message"]
    assert refused[4].reasons[0]["field"] == "amount" and "1x2" in refused[4].reasons[0]["message"]
    assert [r["value"] for r in refused[5].reasons] == ["办公楼装修"]


def test_the_page_says_what_was_checked_lists_every_refused_row_and_the_accepted_words(client: Any, inspector: Any,
                                                                                      xd: Any) -> None:
    ledger = _upload(inspector, xd)
    client.force_login(inspector)
    page = client.get(f"/oversight/ledgers/{ledger.pk}/").content.decode()
    assert "共 5 行：已检查 2 行，无法检查 3 行" in page
    assert "未发现问题" not in page  # never "no problem" while rows could not be checked
    for row in (3, 4, 5):
        assert f"第{row}行" in page
    assert "工程款" in page and "偿还贷款" in page and "其他" in page  # the accepted 用途 words
    assert 'name="word" value="办公楼装修"' in page  # the mapping step offers the unknown word


def test_an_unknown_purpose_is_mapped_once_and_remembered_for_the_enterprise(client: Any, inspector: Any, xd: Any,
                                                                           yn: Any, yn_inspector: Any) -> None:
    ledger = _upload(inspector, xd)
    client.force_login(inspector)
    r = client.post(f"/oversight/ledgers/{ledger.pk}/purposes/", {"word": ["办公楼装修"], "purpose": ["other"]})
    assert r.status_code == 302
    mapping = PurposeMapping.objects.get(enterprise=xd)
    assert (mapping.word, mapping.purpose) == ("办公楼装修", "other")
    assert AuditEntry.objects.filter(action="oversight.purpose_mapping").exists()
    ledger.refresh_from_db()
    assert (ledger.rows, ledger.invalid_rows) == (4, 1)  # re-checked with the mapping
    assert list(RefusedRow.objects.filter(ledger=ledger).values_list("row", flat=True)) == [4]
    again = _upload(inspector, xd)  # the next ledger of the enterprise uses it at once
    assert (again.rows, again.invalid_rows) == (4, 1)
    other = ledgers.ledger_upload(actor=yn_inspector, enterprise=yn, name="台账.csv", data=ledger_bytes(ROWS),
                                  inline=True)
    assert other.invalid_rows == 3  # another enterprise's words are its own


@pytest.mark.parametrize(("word", "purpose", "message"), [
    ("工程款", "other", "已是可识别的用途"), ("办公楼装修", "bribe", "请选择用途"), ("", "other", "请填写"),
])
def test_a_mapping_that_cannot_hold_is_refused(inspector: Any, xd: Any, word: str, purpose: str, message: str) -> None:
    with pytest.raises(InputError) as exc:
        ledgers.purpose_mapping_save(actor=inspector, enterprise=xd, mappings={word: purpose})
    assert message in exc.value.message
    assert not PurposeMapping.objects.exists()


def test_the_page_and_the_cli_agree_on_the_same_file(inspector: Any, xd: Any, tmp_path: Path, capsys: Any) -> None:
    from soegov.cli import main

    ledger = _upload(inspector, xd)
    path = tmp_path / "台账.csv"
    path.write_bytes(ledger_bytes(ROWS))
    assert main(["ledger", "check", str(path), "--policy", "xundian-2020", "--skip-invalid", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["stats"]["rows"], out["stats"]["invalid_rows"]) == (ledger.rows, ledger.invalid_rows)
    stored = [{"row": r.row, "problems": r.reasons} for r in RefusedRow.objects.filter(ledger=ledger).order_by("row")]
    assert [{"row": r["row"], "problems": [{k: p[k] for k in ("field", "problem", "value", "message")}
                                           for p in r["problems"]]} for r in out["refused"]] == stored
    ledgers.purpose_mapping_save(actor=inspector, enterprise=xd, mappings={"办公楼装修": "other"})
    ledgers.ledger_check(actor=inspector, ledger=ledger)
    ledger.refresh_from_db()
    assert main(["ledger", "check", str(path), "--policy", "xundian-2020", "--skip-invalid", "--json",
                 "--purpose", "办公楼装修=other"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["stats"]["rows"], out["stats"]["invalid_rows"]) == (ledger.rows, ledger.invalid_rows) == (4, 1)


def test_the_api_lists_the_refused_rows_and_takes_a_mapping(client: Any, inspector: Any, xd: Any) -> None:
    ledger = _upload(inspector, xd)
    client.force_login(inspector)
    rows = client.get(f"/api/v1/oversight/ledgers/{ledger.pk}/refused")
    assert rows.status_code == 200 and rows["X-Total-Count"] == "3"
    assert [r["row"] for r in rows.json()] == [3, 4, 5] and "办公楼装修" in rows.json()[0]["reasons"][0]["message"]
    r = client.post(f"/api/v1/oversight/ledgers/{ledger.pk}/purposes", {"mappings": {"办公楼装修": "bribe"}},
                    content_type="application/json")
    assert r.status_code == 400 and r.json()["error"]["code"] == "invalid_purpose"
    r = client.post(f"/api/v1/oversight/ledgers/{ledger.pk}/purposes", {"mappings": {"办公楼装修": "other"}},
                    content_type="application/json")
    assert r.status_code == 202
    ledger.refresh_from_db()
    assert (ledger.rows, ledger.invalid_rows) == (4, 1)
    assert client.get("/api/v1/oversight/ledgers").json()[0]["unknown_purposes"] == {}
