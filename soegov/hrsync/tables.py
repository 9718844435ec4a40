"""The HR system's rows as heading → text: from a CSV or .xlsx file (one row per person and post or
membership) or from the JSON document of the HR interface. Nothing is checked here beyond the file's shape.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile
from typing import Any

from soegov.core.errors import InputError

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 50_000
# An .xlsx is a zip: refuse one that unpacks to far more than it weighs (a zip bomb) before openpyxl reads it.
MAX_XLSX_UNPACKED = 200 * 1024 * 1024

# Column headings accepted (Chinese as exported by HR systems, or the JSON keys), in the order of the template.
COLUMNS: dict[str, tuple[str, ...]] = {
    "id": ("工号", "人员编号", "id"),
    "name": ("姓名", "name"),
    "unit": ("所在企业", "所在单位统一社会信用代码", "unit"),
    "username": ("账号", "登录名", "username"),
    "status": ("状态", "在职状态", "status"),
    "enterprise": ("任职企业", "enterprise"),
    "post": ("职务", "领导职务", "post"),
    "body": ("决策机构", "body"),
    "body_role": ("机构职务", "body_role", "role"),
    "principal": ("主要负责人", "principal"),
    "voting": ("表决权", "有表决权", "voting"),
    "start": ("任期开始", "start"),
    "end": ("任期结束", "end"),
}
TEMPLATE_HEADER = [names[0] for names in COLUMNS.values()]


def cell_text(value: Any) -> str:
    """A spreadsheet or JSON value as the text a row holds (a date as YYYY-MM-DD, 3.0 as 3, None as "")."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _header_map(header: list[str]) -> tuple[dict[str, int], list[str]]:
    index: dict[str, int] = {}
    for pos, raw in enumerate(header):
        name = raw.strip().lstrip("\ufeff")
        for key, names in COLUMNS.items():
            if name in names and key not in index:
                index[key] = pos
    missing = [COLUMNS[k][0] for k in ("id", "name", "unit") if k not in index]
    return index, missing


def read_table(data: bytes, filename: str) -> list[dict[str, str]]:
    """Rows of a CSV (UTF-8, or GB18030 as Chinese Excel saves it) or .xlsx file, as heading → text."""
    if len(data) > MAX_BYTES:
        raise InputError("too_large", f"文件超过 {MAX_BYTES // 1024 // 1024} MB", "file", "file too large")
    if filename.lower().endswith(".xlsx"):
        rows = _xlsx_rows(data)
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                text = data.decode("gb18030")
            except UnicodeDecodeError:
                raise InputError("bad_encoding", "CSV 文件应为 UTF-8 或 GB18030 编码", "file", "not UTF-8 or GB18030") from None
        try:
            rows = [list(r) for r in csv.reader(io.StringIO(text))]
        except csv.Error as exc:
            raise InputError("bad_csv", f"CSV 格式错误：{exc}", "file", "malformed CSV") from None
    if not rows:
        raise InputError("empty", "文件是空的", "file", "empty file")
    index, missing = _header_map([cell_text(c) for c in rows[0]])
    if missing:
        raise InputError("missing_columns", f"表头缺少列：{'、'.join(missing)}（模板见 docs/hrsync.md）", "file",
                         f"missing columns {missing}")
    out: list[dict[str, str]] = []
    for values in rows[1:]:
        cells = [cell_text(v) for v in values]
        if not any(cells):
            out.append({})
            continue
        out.append({key: cells[pos] if pos < len(cells) else "" for key, pos in index.items()})
        if len(out) > MAX_ROWS:
            raise InputError("too_many_rows", f"一次最多 {MAX_ROWS} 行", "file", "too many rows")
    return out


def _xlsx_rows(data: bytes) -> list[list[Any]]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            unpacked = sum(i.file_size for i in zf.infolist())
    except zipfile.BadZipFile:
        raise InputError("invalid_xlsx", "文件不是有效的 Excel (.xlsx) 工作簿", "file", "not an .xlsx workbook") from None
    if unpacked > MAX_XLSX_UNPACKED:
        raise InputError("too_large", "Excel 文件解压后过大，拒绝读取", "file", "workbook unpacks too large")
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        rows = [list(r) for r in wb.worksheets[0].iter_rows(values_only=True)]
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        raise InputError("invalid_xlsx", "文件不是有效的 Excel (.xlsx) 工作簿", "file", "not an .xlsx workbook") from None
    return rows


def parse_document(data: bytes) -> dict[str, Any]:
    """The JSON document of the HR interface (see docs/hrsync.md), as a dict."""
    if len(data) > MAX_BYTES:
        raise InputError("too_large", f"数据超过 {MAX_BYTES // 1024 // 1024} MB", "file", "document too large")
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError("bad_json", f"不是有效的 JSON：{exc}", "file", "not valid JSON") from None
    if not isinstance(doc, dict):
        raise InputError("bad_json", "JSON 顶层应为对象（含 people、posts、memberships 或 rows）", "file", "top level must be an object")
    return doc


def document_rows(doc: dict[str, Any]) -> list[dict[str, str]]:
    """The structured JSON (people / posts / memberships) as the same rows a spreadsheet has."""
    if "rows" in doc:
        rows = doc["rows"]
        if not isinstance(rows, list):
            raise InputError("bad_json", "rows 应为数组", "rows", "rows must be a list")
        return [{k: cell_text(v) for k, v in r.items() if k in COLUMNS} if isinstance(r, dict) else {"_bad": "1"}
                for r in rows]
    out: list[dict[str, str]] = []
    people = doc.get("people") or []
    if not isinstance(people, list):
        raise InputError("bad_json", "people 应为数组", "people", "people must be a list")
    known = {}
    for p in people:
        if not isinstance(p, dict):
            out.append({"_bad": "1"})
            continue
        row = {k: cell_text(p.get(k)) for k in ("id", "name", "unit", "username", "status")}
        known[row["id"]] = row
        out.append(row)
    for section, kind in (("posts", "post"), ("memberships", "body")):
        items = doc.get(section) or []
        if not isinstance(items, list):
            raise InputError("bad_json", f"{section} 应为数组", section, f"{section} must be a list")
        for item in items:
            if not isinstance(item, dict):
                out.append({"_bad": "1"})
                continue
            person = known.get(cell_text(item.get("person")), {})
            row = {"id": cell_text(item.get("person")), "name": person.get("name", ""), "unit": person.get("unit", ""),
                   "enterprise": cell_text(item.get("enterprise")), "start": cell_text(item.get("start")),
                   "end": cell_text(item.get("end")), "_person_known": "1" if person else ""}
            if kind == "post":
                row["post"] = cell_text(item.get("post"))
            else:
                row.update(body=cell_text(item.get("body")), body_role=cell_text(item.get("role")),
                           principal=cell_text(item.get("principal")), voting=cell_text(item.get("voting", True)))
            out.append(row)
    return out
