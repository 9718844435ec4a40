"""Reading what the HR system says: a CSV or .xlsx file (one row per person and post or membership), a JSON
document, or the same JSON over HTTP (with retries). Everything is checked before anything is written: the
result is a Dataset, or ImportFailed listing every bad row and field.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import zipfile
from dataclasses import dataclass, field
from typing import Any

from soegov.core.errors import InputError
from soegov.enterprises.models import BodyKind, Enterprise, MemberRole
from soegov.enterprises.xlsx import ImportFailed, RowError
from soegov.leaders.models import Post

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
YES = {"是", "y", "yes", "true", "1", "√", "有"}
NO = {"否", "n", "no", "false", "0", "×", "无", ""}
ACTIVE = {"在职", "active", ""}
LEFT = {"离职", "退休", "调出", "left", "retired"}


@dataclass
class PersonRow:
    id: str
    name: str
    unit: int  # Enterprise pk
    username: str = ""
    left: bool = False
    where: str = ""


@dataclass
class PostRow:
    person: str
    enterprise: int
    post: str
    start: dt.date | None
    end: dt.date | None
    where: str = ""

    @property
    def key(self) -> str:
        return f"post:{self.person}:{self.enterprise}:{self.post}"


@dataclass
class MemberRow:
    person: str
    enterprise: int
    body: str
    role: str
    principal: bool
    voting: bool
    start: dt.date | None
    end: dt.date | None
    where: str = ""

    @property
    def key(self) -> str:
        return f"member:{self.person}:{self.enterprise}:{self.body}"


@dataclass
class Dataset:
    """The HR system's people, posts and memberships for the enterprises in scope, checked."""

    as_of: dt.date
    scope: set[int]  # Enterprise pks the source speaks for
    people: dict[str, PersonRow] = field(default_factory=dict)
    posts: list[PostRow] = field(default_factory=list)
    members: list[MemberRow] = field(default_factory=list)
    digest: str = ""

    def as_json(self) -> dict[str, Any]:
        """The dataset as stored with a preview, to be applied later exactly as previewed."""
        return {
            "as_of": self.as_of.isoformat(), "scope": sorted(self.scope), "digest": self.digest,
            "people": [vars(p) for p in self.people.values()],
            "posts": [{**vars(p), "start": _iso(p.start), "end": _iso(p.end)} for p in self.posts],
            "members": [{**vars(m), "start": _iso(m.start), "end": _iso(m.end)} for m in self.members],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Dataset:
        """The dataset stored by as_json."""
        def day(v: str | None) -> dt.date | None:
            return dt.date.fromisoformat(v) if v else None

        ds = cls(as_of=dt.date.fromisoformat(data["as_of"]), scope=set(data["scope"]), digest=data.get("digest", ""))
        ds.people = {p["id"]: PersonRow(**p) for p in data["people"]}
        ds.posts = [PostRow(**{**p, "start": day(p["start"]), "end": day(p["end"])}) for p in data["posts"]]
        ds.members = [MemberRow(**{**m, "start": day(m["start"]), "end": day(m["end"])}) for m in data["members"]]
        return ds


def _iso(d: dt.date | None) -> str | None:
    return d.isoformat() if d else None


class _Errors:
    def __init__(self) -> None:
        self.items: list[RowError] = []

    def add(self, row: int, column: str, message: str) -> None:
        if len(self.items) < 200:
            self.items.append(RowError(row, column, message))


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _choice(value: str, choices: Any) -> str | None:
    if value in choices.values:
        return value
    for code, label in choices.choices:
        if value == label or value == str(label).split("（")[0]:
            return str(code)
    return None


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
    index, missing = _header_map([_cell(c) for c in rows[0]])
    if missing:
        raise InputError("missing_columns", f"表头缺少列：{'、'.join(missing)}（模板见 docs/hrsync.md）", "file",
                         f"missing columns {missing}")
    out: list[dict[str, str]] = []
    for values in rows[1:]:
        cells = [_cell(v) for v in values]
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


def _flat_from_document(doc: dict[str, Any]) -> list[dict[str, str]]:
    """The structured JSON (people / posts / memberships) as the same rows a spreadsheet has."""
    if "rows" in doc:
        rows = doc["rows"]
        if not isinstance(rows, list):
            raise InputError("bad_json", "rows 应为数组", "rows", "rows must be a list")
        return [{k: _cell(v) for k, v in r.items() if k in COLUMNS} if isinstance(r, dict) else {"_bad": "1"}
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
        row = {k: _cell(p.get(k)) for k in ("id", "name", "unit", "username", "status")}
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
            person = known.get(_cell(item.get("person")), {})
            row = {"id": _cell(item.get("person")), "name": person.get("name", ""), "unit": person.get("unit", ""),
                   "enterprise": _cell(item.get("enterprise")), "start": _cell(item.get("start")),
                   "end": _cell(item.get("end")), "_person_known": "1" if person else ""}
            if kind == "post":
                row["post"] = _cell(item.get("post"))
            else:
                row.update(body=_cell(item.get("body")), body_role=_cell(item.get("role")),
                           principal=_cell(item.get("principal")), voting=_cell(item.get("voting", True)))
            out.append(row)
    return out


def build_dataset(rows: list[dict[str, str]], *, as_of: dt.date, scope: list[Any] | None = None,
                  digest: str = "") -> Dataset:
    """Check every row and return the dataset; ImportFailed with every problem otherwise."""
    errors = _Errors()
    usccs = {r.get(k, "") for r in rows for k in ("unit", "enterprise") if r.get(k)} | {str(s) for s in scope or []}
    by_uscc = dict(Enterprise.objects.filter(uscc__in=usccs).values_list("uscc", "pk"))
    ds = Dataset(as_of=as_of, scope=set(), digest=digest)
    seen_keys: dict[str, int] = {}
    for n, row in enumerate(rows, start=2):
        if not row:
            continue
        if row.get("_bad"):
            errors.add(n, "记录", "应为对象")
            continue
        pid, name = row.get("id", ""), row.get("name", "")
        if not pid:
            errors.add(n, "工号", "不能为空")
            continue
        if len(pid) > 64:
            errors.add(n, "工号", "不能超过 64 个字符")
            continue
        if row.get("_person_known") == "" and "_person_known" in row:
            errors.add(n, "工号", f"{pid} 不在 people 中")
            continue
        if not name or len(name) > 50:
            errors.add(n, "姓名", "不能为空" if not name else "不能超过 50 个字")
            continue
        unit = by_uscc.get(row.get("unit", ""))
        if unit is None:
            errors.add(n, "所在企业", f"统一社会信用代码“{row.get('unit', '')}”不在企业名录中")
            continue
        status = row.get("status", "").lower()
        if status not in ACTIVE and status not in LEFT:
            errors.add(n, "状态", f"“{row.get('status')}”无效，应为 在职 或 离职")
            continue
        person = PersonRow(id=pid, name=name, unit=unit, username=row.get("username", "")[:150],
                           left=status in LEFT, where=f"第 {n} 行")
        earlier = ds.people.get(pid)
        if earlier is None:
            ds.people[pid] = person
        elif (earlier.name, earlier.unit) != (person.name, person.unit) or (
                "status" in row and earlier.left != person.left):
            errors.add(n, "工号", f"{pid} 的姓名、所在企业或状态与{earlier.where}不一致")
            continue
        ds.scope.add(unit)
        ent_code = row.get("enterprise") or row.get("unit", "")
        if not (row.get("post") or row.get("body")):
            continue
        ent = by_uscc.get(ent_code)
        if ent is None:
            errors.add(n, "任职企业", f"统一社会信用代码“{ent_code}”不在企业名录中")
            continue
        ds.scope.add(ent)
        try:
            start = _date(row.get("start", ""), n, "任期开始", errors)
            end = _date(row.get("end", ""), n, "任期结束", errors)
        except ValueError:
            continue
        if start and end and end < start:
            errors.add(n, "任期结束", "不能早于任期开始")
            continue
        if row.get("post"):
            post = _choice(row["post"], Post)
            if post is None:
                errors.add(n, "职务", f"“{row['post']}”不是领导职务（如 总经理、董事长、党委（党组织）书记）")
            else:
                p = PostRow(pid, ent, post, start, end, f"第 {n} 行")
                if p.key in seen_keys:
                    errors.add(n, "职务", f"与第 {seen_keys[p.key]} 行重复")
                else:
                    seen_keys[p.key] = n
                    ds.posts.append(p)
        if row.get("body"):
            body = _choice(row["body"], BodyKind)
            role = _choice(row.get("body_role") or "member", MemberRole)
            flags = [row.get("principal", "").lower(), (row.get("voting") or "是").lower()]
            if body is None:
                errors.add(n, "决策机构", f"“{row['body']}”无效，应为 党委（党工委）会、董事会、总经理办公会 等")
            elif role is None:
                errors.add(n, "机构职务", f"“{row.get('body_role')}”无效，应为 书记、董事长、委员/成员 等")
            elif any(f not in YES | NO for f in flags):
                errors.add(n, "主要负责人", "主要负责人、表决权应填 是 或 否")
            else:
                m = MemberRow(pid, ent, body, role, flags[0] in YES, flags[1] in YES, start, end, f"第 {n} 行")
                if m.key in seen_keys:
                    errors.add(n, "决策机构", f"与第 {seen_keys[m.key]} 行重复")
                else:
                    seen_keys[m.key] = n
                    ds.members.append(m)
    for code in scope or []:
        if str(code) not in by_uscc:
            errors.add(0, "scope", f"统一社会信用代码“{code}”不在企业名录中")
        else:
            ds.scope.add(by_uscc[str(code)])
    if errors.items:
        raise ImportFailed(errors.items)
    if not ds.people:
        raise InputError("empty", "没有任何人员记录，未作任何修改", "file", "no people in the source")
    return ds


def _date(value: str, row: int, column: str, errors: _Errors) -> dt.date | None:
    if not value:
        return None
    try:
        day = dt.date.fromisoformat(value[:10])
    except ValueError:
        errors.add(row, column, f"“{value}”不是 YYYY-MM-DD 格式的日期")
        raise
    if not 1950 <= day.year <= 2100:
        errors.add(row, column, f"“{value}”超出合理范围（1950–2100 年）")
        raise ValueError(value)
    return day


def dataset_from_bytes(data: bytes, filename: str, *, as_of: dt.date | None = None) -> Dataset:
    """A file (CSV, .xlsx or JSON) as a checked dataset."""
    from django.utils import timezone

    digest = hashlib.sha256(data).hexdigest()
    day = as_of or timezone.localdate()
    if filename.lower().endswith(".json"):
        doc = parse_document(data)
        return _from_document(doc, day, digest)
    return build_dataset(read_table(data, filename), as_of=day, digest=digest)


def _from_document(doc: dict[str, Any], day: dt.date, digest: str) -> Dataset:
    if doc.get("as_of"):
        try:
            day = dt.date.fromisoformat(str(doc["as_of"]))
        except ValueError:
            raise InputError("invalid_date", f"as_of“{doc['as_of']}”不是 YYYY-MM-DD 格式的日期", "as_of", "bad as_of") from None
    scope = doc.get("scope")
    if scope is not None and not isinstance(scope, list):
        raise InputError("bad_json", "scope 应为统一社会信用代码的数组", "scope", "scope must be a list")
    return build_dataset(_flat_from_document(doc), as_of=day, scope=scope, digest=digest)


def fetch(url: str, *, token: str = "", timeout: float = 30, attempts: int = 3) -> bytes:
    """The HR interface's JSON, retried with back-off on connection errors and 5xx; InputError when it fails."""
    import time

    import requests

    headers = {"Accept": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    last = ""
    for attempt in range(1, attempts + 1):
        try:
            with requests.get(url, headers=headers, timeout=timeout, stream=True) as response:
                if response.status_code >= 500:
                    last = f"HTTP {response.status_code}"
                elif response.status_code != 200:
                    raise InputError("source_refused", f"人事系统接口返回 HTTP {response.status_code}，未作任何修改", "url",
                                     f"HR source answered HTTP {response.status_code}")
                else:
                    body = response.raw.read(MAX_BYTES + 1, decode_content=True)
                    if len(body) > MAX_BYTES:
                        raise InputError("too_large", "人事系统接口返回的数据过大", "url", "HR source answer too large")
                    return bytes(body)
        except requests.RequestException as exc:
            last = type(exc).__name__
        if attempt < attempts:
            time.sleep(min(2 ** attempt, 10) * 0.5)
    raise InputError("source_unavailable", f"人事系统接口 {url} 连续 {attempts} 次无法读取（{last}），未作任何修改，稍后将重试",
                     "url", f"HR source unavailable after {attempts} attempts ({last})")


def dataset_from_url(url: str, *, token: str = "", as_of: dt.date | None = None) -> Dataset:
    """The HR interface's JSON document as a checked dataset."""
    from django.utils import timezone

    data = fetch(url, token=token)
    return _from_document(parse_document(data), as_of or timezone.localdate(), hashlib.sha256(data).hexdigest())
