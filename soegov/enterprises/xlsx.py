"""Bulk import and export of enterprises and body members as Excel workbooks; an import is all or nothing."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from openpyxl import Workbook, load_workbook

from soegov.core.errors import InputError, SoegovError
from soegov.core.spreadsheets import append_row, workbook_bytes
from soegov.enterprises import services
from soegov.enterprises.models import BodyKind, DecisionBody, Enterprise, Jurisdiction, MemberRole, Ownership

ENTERPRISE_COLUMNS = ["企业名称", "统一社会信用代码", "上级企业统一社会信用代码", "持股类型", "状态"]
MEMBER_COLUMNS = ["企业统一社会信用代码", "决策机构", "姓名", "职务", "主要负责人", "有表决权", "任期开始", "任期结束"]
# Which service argument each column feeds, so an error's path can name the column.
ENTERPRISE_FIELD_COLUMN = {"name": "企业名称", "uscc": "统一社会信用代码", "parent": "上级企业统一社会信用代码",
                           "ownership": "持股类型", "status": "状态"}
MEMBER_FIELD_COLUMN = {"enterprise": "企业统一社会信用代码", "kind": "决策机构", "name": "姓名", "role": "职务",
                       "is_principal": "主要负责人", "voting": "有表决权", "term_start": "任期开始", "term_end": "任期结束"}
MAX_ROWS = 5000


@dataclass
class RowError:
    """One problem in one row of an import."""

    row: int
    column: str
    message: str


class ImportFailed(SoegovError):
    """An import with errors: nothing was imported; `errors` lists every bad row."""

    def __init__(self, errors: list[RowError]):
        first = errors[0]
        super().__init__("import_failed", f"导入失败，共 {len(errors)} 处错误，未导入任何数据。第 {first.row} 行“{first.column}”：{first.message}",
                         first.column, f"import failed with {len(errors)} errors; nothing imported")
        self.errors = errors


def _read_rows(data: bytes, columns: list[str]) -> list[tuple[int, dict[str, Any]]]:
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        raise InputError("invalid_xlsx", "文件不是有效的 Excel (.xlsx) 工作簿", "file", "not an .xlsx workbook") from None
    ws = wb.worksheets[0]
    rows = ws.iter_rows(values_only=True)
    header = [str(c).strip() if c is not None else "" for c in next(rows, ())]
    missing = [c for c in columns if c not in header]
    if missing:
        raise InputError("missing_columns", f"表头缺少列：{'、'.join(missing)}", "file", f"missing columns {missing}")
    out: list[tuple[int, dict[str, Any]]] = []
    for i, values in enumerate(rows, start=2):
        if values is None or all(v in (None, "") for v in values):
            continue
        if len(out) >= MAX_ROWS:
            raise InputError("too_many_rows", f"一次最多导入 {MAX_ROWS} 行", "file", "too many rows")
        record = {h: (values[idx] if idx < len(values) else None) for idx, h in enumerate(header) if h}
        out.append((i, {k: (v.strip() if isinstance(v, str) else v) for k, v in record.items()}))
    return out


def _yes(value: Any) -> bool:
    return str(value).strip().lower() in {"是", "y", "yes", "true", "1", "√"}


class _Rollback(Exception):
    pass


def enterprises_import(*, actor: Any, jurisdiction: Jurisdiction, data: bytes) -> list[Enterprise]:
    """Import enterprises (parents before or after children in the file); any row error imports nothing."""
    rows = _read_rows(data, ENTERPRISE_COLUMNS)
    errors: list[RowError] = []
    created: list[Enterprise] = []
    try:
        with transaction.atomic():
            pending = list(rows)
            # Rows whose parent appears later in the file are retried, so the file needs no order.
            while pending:
                progress = False
                retry = []
                for row, rec in pending:
                    parent_code = str(rec.get("上级企业统一社会信用代码") or "").strip().upper()
                    parent = None
                    if parent_code:
                        parent = Enterprise.objects.filter(uscc=parent_code, jurisdiction=jurisdiction).first()
                        if parent is None:
                            retry.append((row, rec))
                            continue
                    try:
                        with transaction.atomic():
                            created.append(services.enterprise_create(
                                actor=actor, jurisdiction=jurisdiction, parent=parent, name=rec.get("企业名称"),
                                uscc=rec.get("统一社会信用代码"), ownership=rec.get("持股类型"),
                                status=rec.get("状态") or "active",
                            ))
                        progress = True
                    except SoegovError as exc:
                        errors.append(RowError(row, ENTERPRISE_FIELD_COLUMN.get(exc.path or "", exc.path or ""), exc.message))
                    except PermissionDenied as exc:
                        errors.append(RowError(row, "上级企业统一社会信用代码", str(exc)))
                if not progress:
                    for row, rec in retry:
                        errors.append(RowError(row, "上级企业统一社会信用代码",
                                               f"上级企业 {rec.get('上级企业统一社会信用代码')} 在本辖区未登记，也不在本文件中"))
                    break
                pending = retry
            if errors:
                raise _Rollback
    except _Rollback:
        raise ImportFailed(sorted(errors, key=lambda e: e.row)) from None
    return created


def members_import(*, actor: Any, jurisdiction: Jurisdiction, data: bytes, scope: Any) -> int:
    """Import decision-body members (creating the bodies as needed); any row error imports nothing."""
    rows = _read_rows(data, MEMBER_COLUMNS)
    errors: list[RowError] = []
    count = 0
    try:
        with transaction.atomic():
            for row, rec in rows:
                code = str(rec.get("企业统一社会信用代码") or "").strip().upper()
                ent = scope.filter(uscc=code, jurisdiction=jurisdiction).first()
                if ent is None:
                    errors.append(RowError(row, "企业统一社会信用代码", f"企业 {code or '（空）'} 不存在或不在您的范围内"))
                    continue
                try:
                    with transaction.atomic():
                        kind = services._choice(rec.get("决策机构"), BodyKind, "kind", "决策机构")
                        body = DecisionBody.objects.filter(enterprise=ent, kind=kind).first() or services.body_create(
                            actor=actor, enterprise=ent, kind=kind)
                        services.member_add(
                            actor=actor, body=body, name=rec.get("姓名"), role=rec.get("职务") or MemberRole.MEMBER,
                            is_principal=_yes(rec.get("主要负责人")), voting=_yes(rec.get("有表决权") or "是"),
                            term_start=rec.get("任期开始"), term_end=rec.get("任期结束"),
                        )
                    count += 1
                except SoegovError as exc:
                    errors.append(RowError(row, MEMBER_FIELD_COLUMN.get(exc.path or "", exc.path or ""), exc.message))
                except PermissionDenied as exc:
                    errors.append(RowError(row, "企业统一社会信用代码", str(exc)))
            if errors:
                raise _Rollback
    except _Rollback:
        raise ImportFailed(errors) from None
    return count


def _book(columns: list[str], rows: list[list[Any]]) -> bytes:
    wb = Workbook()
    ws = wb.active
    append_row(ws, columns)
    for r in rows:
        append_row(ws, r)
    for col in ws.columns:
        ws.column_dimensions[col[0].column_letter].width = 24
    return workbook_bytes(wb)


def enterprises_export(enterprises: Any) -> bytes:
    """The given enterprises as a workbook in the import format."""
    rows = [[e.name, e.uscc, e.parent.uscc if e.parent else "", Ownership(e.ownership).label, e.get_status_display()]
            for e in enterprises]
    return _book(ENTERPRISE_COLUMNS, rows)


def members_export(members: Any) -> bytes:
    """The given members as a workbook in the import format."""
    rows = [[m.body.enterprise.uscc, m.body.get_kind_display(), m.name, m.get_role_display(),
             "是" if m.is_principal else "否", "是" if m.voting else "否",
             m.term_start.isoformat() if m.term_start else "", m.term_end.isoformat() if m.term_end else ""]
            for m in members]
    return _book(MEMBER_COLUMNS, rows)
