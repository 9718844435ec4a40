"""Excel import/export: row-level errors and nothing half-imported."""

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from soegov.accounts.roles import Role
from soegov.core.errors import InputError
from soegov.enterprises import xlsx
from soegov.enterprises.models import BodyMember, Enterprise
from tests.factories import EnterpriseFactory, JurisdictionFactory, UserFactory, uscc

pytestmark = pytest.mark.django_db


def book(columns: list[str], rows: list[list[object]]) -> bytes:
    wb = Workbook()
    wb.active.append(columns)
    for r in rows:
        wb.active.append(r)
    buf = BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_import_in_any_order_builds_the_tree() -> None:
    j = JurisdictionFactory()
    data = book(xlsx.ENTERPRISE_COLUMNS, [
        ["孙公司", uscc(3), uscc(2), "国有控股", "存续"],
        ["子公司", uscc(2), uscc(1), "wholly_owned", ""],
        ["集团", uscc(1), "", "国有独资", "存续"],
    ])
    created = xlsx.enterprises_import(actor=None, jurisdiction=j, data=data)
    assert len(created) == 3
    assert Enterprise.objects.get(uscc=uscc(3)).level == 3


def test_any_bad_row_imports_nothing_and_every_error_is_listed() -> None:
    j = JurisdictionFactory()
    data = book(xlsx.ENTERPRISE_COLUMNS, [
        ["集团", uscc(1), "", "国有独资", "存续"],
        ["坏代码", "91350100M000100Y44", "", "国有独资", ""],
        ["", uscc(5), "", "国有独资", ""],
        ["孤儿", uscc(6), uscc(99), "国有独资", ""],
        ["怪持股", uscc(7), "", "私营", ""],
    ])
    with pytest.raises(xlsx.ImportFailed) as exc:
        xlsx.enterprises_import(actor=None, jurisdiction=j, data=data)
    errors = [(e.row, e.column) for e in exc.value.errors]
    assert errors == [(3, "统一社会信用代码"), (4, "企业名称"), (5, "上级企业统一社会信用代码"), (6, "持股类型")]
    assert exc.value.errors[0].message == "统一社会信用代码校验位错误：应为 3，实为 4"
    assert Enterprise.objects.count() == 0


def test_not_a_workbook_and_missing_columns() -> None:
    j = JurisdictionFactory()
    with pytest.raises(InputError) as exc:
        xlsx.enterprises_import(actor=None, jurisdiction=j, data=b"not excel")
    assert exc.value.message == "文件不是有效的 Excel (.xlsx) 工作簿"
    with pytest.raises(InputError) as exc:
        xlsx.enterprises_import(actor=None, jurisdiction=j, data=book(["企业名称"], [["甲"]]))
    assert exc.value.message.startswith("表头缺少列：统一社会信用代码")


def test_members_import_and_export_round_trip() -> None:
    e = EnterpriseFactory()
    data = book(xlsx.MEMBER_COLUMNS, [
        [e.uscc, "董事会", "王某", "董事长", "是", "是", "2024-01-01", "2026-12-31"],
        [e.uscc, "board", "李某", "director", "否", "是", "", ""],
        [e.uscc, "董事会", "监事甲", "列席人员", "否", "否", "", ""],
    ])
    assert xlsx.members_import(actor=None, jurisdiction=e.jurisdiction, data=data, scope=Enterprise.objects.all()) == 3
    out = xlsx.members_export(BodyMember.objects.select_related("body__enterprise").order_by("id"))
    rows = list(load_workbook(BytesIO(out)).active.iter_rows(values_only=True))
    assert rows[0] == tuple(xlsx.MEMBER_COLUMNS)
    assert rows[1] == (e.uscc, "董事会", "王某", "董事长", "是", "是", "2024-01-01", "2026-12-31")
    assert rows[3][3:6] == ("列席人员", "否", "否")


def test_members_import_rolls_back_on_one_bad_row() -> None:
    e = EnterpriseFactory()
    other = EnterpriseFactory()
    data = book(xlsx.MEMBER_COLUMNS, [
        [e.uscc, "董事会", "王某", "董事长", "是", "是", "", ""],
        [other.uscc, "董事会", "外人", "董事", "否", "是", "", ""],
        [e.uscc, "董事会", "李某", "董事", "否", "是", "2026-02-30", ""],
    ])
    with pytest.raises(xlsx.ImportFailed) as exc:
        xlsx.members_import(actor=None, jurisdiction=e.jurisdiction, data=data,
                            scope=Enterprise.objects.filter(pk=e.pk))
    assert [(x.row, x.column) for x in exc.value.errors] == [(3, "企业统一社会信用代码"), (4, "任期开始")]
    assert BodyMember.objects.count() == 0 and not e.bodies.exists()


def test_import_page_shows_row_errors(client) -> None:  # type: ignore[no-untyped-def]
    j = JurisdictionFactory()
    client.force_login(UserFactory(role=Role.SUPERVISOR_REVIEWER, jurisdiction=j))
    data = book(xlsx.ENTERPRISE_COLUMNS, [["坏代码", "91350100M000100Y44", "", "国有独资", ""]])
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("e.xlsx", data)
    resp = client.post(reverse("enterprises:import", args=["enterprises"]), {"jurisdiction": j.pk, "file": upload})
    assert resp.status_code == 400
    text = resp.content.decode()
    assert "未导入任何数据" in text and "统一社会信用代码校验位错误" in text
    upload = SimpleUploadedFile("e.xlsx", book(xlsx.ENTERPRISE_COLUMNS, [["好公司", uscc(8), "", "国有独资", ""]]))
    resp = client.post(reverse("enterprises:import", args=["enterprises"]), {"jurisdiction": j.pk, "file": upload})
    assert resp.status_code == 302 and Enterprise.objects.filter(uscc=uscc(8)).exists()
    resp = client.post(reverse("enterprises:import", args=["enterprises"]), {"jurisdiction": j.pk})
    assert resp.status_code == 400 and "请选择要导入的文件" in resp.content.decode()
    upload = SimpleUploadedFile("e.xlsx", b"plain text, not a workbook")
    resp = client.post(reverse("enterprises:import", args=["enterprises"]), {"jurisdiction": j.pk, "file": upload})
    assert resp.status_code == 400 and "文件不是有效的 Excel (.xlsx) 工作簿" in resp.content.decode()


def test_export_keeps_formula_like_names_as_text() -> None:
    e = EnterpriseFactory(name="=HYPERLINK(\"http://x\",\"点我\")")
    wb = load_workbook(BytesIO(xlsx.enterprises_export([e])))
    cell = wb.active["A2"]
    assert cell.data_type == "s" and cell.value == e.name
