"""Every row of the HR system checked before anything is written: a Dataset, or ImportFailed listing every
bad row and field.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from soegov.core.errors import InputError
from soegov.enterprises.models import BodyKind, Enterprise, MemberRole
from soegov.enterprises.xlsx import ImportFailed, RowError
from soegov.hrsync.dataset import Dataset, MemberRow, PersonRow, PostRow
from soegov.leaders.models import Post

YES = {"是", "y", "yes", "true", "1", "√", "有"}
NO = {"否", "n", "no", "false", "0", "×", "无", ""}
ACTIVE = {"在职", "active", ""}
LEFT = {"离职", "退休", "调出", "left", "retired"}


class _Errors:
    def __init__(self) -> None:
        self.items: list[RowError] = []

    def add(self, row: int, column: str, message: str) -> None:
        if len(self.items) < 200:
            self.items.append(RowError(row, column, message))


def _choice(value: str, choices: Any) -> str | None:
    if value in choices.values:
        return value
    for code, label in choices.choices:
        if value == label or value == str(label).split("（")[0]:
            return str(code)
    return None


def build_dataset(rows: list[dict[str, str]], *, as_of: dt.date, scope: list[Any] | None = None,
                  digest: str = "") -> Dataset:
    """Check every row and return the dataset; ImportFailed with every problem otherwise."""
    usccs = {r.get(k, "") for r in rows for k in ("unit", "enterprise") if r.get(k)} | {str(s) for s in scope or []}
    check = _Check(Dataset(as_of=as_of, scope=set(), digest=digest),
                   dict(Enterprise.objects.filter(uscc__in=usccs).values_list("uscc", "pk")))
    for n, row in enumerate(rows, start=2):
        if not row:
            continue
        pid = check.person(row, n)
        if pid is not None and (row.get("post") or row.get("body")):
            check.appointments(row, n, pid)
    for code in scope or []:
        if str(code) not in check.by_uscc:
            check.errors.add(0, "scope", f"统一社会信用代码“{code}”不在企业名录中")
        else:
            check.ds.scope.add(check.by_uscc[str(code)])
    if check.errors.items:
        raise ImportFailed(check.errors.items)
    if not check.ds.people:
        raise InputError("empty", "没有任何人员记录，未作任何修改", "file", "no people in the source")
    return check.ds


@dataclass
class _Check:
    """The dataset being built from the rows, the problems found so far, and the row each key came from."""

    ds: Dataset
    by_uscc: dict[str, int]
    errors: _Errors = field(default_factory=_Errors)
    seen: dict[str, int] = field(default_factory=dict)

    def person(self, row: dict[str, str], n: int) -> str | None:
        """The row's person added to the dataset (his id), or None with the row's problem noted."""
        errors = self.errors
        if row.get("_bad"):
            errors.add(n, "记录", "应为对象")
            return None
        pid, name = row.get("id", ""), row.get("name", "")
        if not pid:
            errors.add(n, "工号", "不能为空")
            return None
        if len(pid) > 64:
            errors.add(n, "工号", "不能超过 64 个字符")
            return None
        if row.get("_person_known") == "" and "_person_known" in row:
            errors.add(n, "工号", f"{pid} 不在 people 中")
            return None
        if not name or len(name) > 50:
            errors.add(n, "姓名", "不能为空" if not name else "不能超过 50 个字")
            return None
        unit = self.by_uscc.get(row.get("unit", ""))
        if unit is None:
            errors.add(n, "所在企业", f"统一社会信用代码“{row.get('unit', '')}”不在企业名录中")
            return None
        status = row.get("status", "").lower()
        if status not in ACTIVE and status not in LEFT:
            errors.add(n, "状态", f"“{row.get('status')}”无效，应为 在职 或 离职")
            return None
        person = PersonRow(id=pid, name=name, unit=unit, username=row.get("username", "")[:150],
                           left=status in LEFT, where=f"第 {n} 行")
        earlier = self.ds.people.get(pid)
        if earlier is None:
            self.ds.people[pid] = person
        elif (earlier.name, earlier.unit) != (person.name, person.unit) or (
                "status" in row and earlier.left != person.left):
            errors.add(n, "工号", f"{pid} 的姓名、所在企业或状态与{earlier.where}不一致")
            return None
        self.ds.scope.add(unit)
        return pid

    def appointments(self, row: dict[str, str], n: int, pid: str) -> None:
        """The row's post and/or membership added to the dataset, or the row's problem noted."""
        ent_code = row.get("enterprise") or row.get("unit", "")
        ent = self.by_uscc.get(ent_code)
        if ent is None:
            self.errors.add(n, "任职企业", f"统一社会信用代码“{ent_code}”不在企业名录中")
            return
        self.ds.scope.add(ent)
        try:
            start = _date(row.get("start", ""), n, "任期开始", self.errors)
            end = _date(row.get("end", ""), n, "任期结束", self.errors)
        except ValueError:
            return
        if start and end and end < start:
            self.errors.add(n, "任期结束", "不能早于任期开始")
            return
        if row.get("post"):
            post = _choice(row["post"], Post)
            if post is None:
                self.errors.add(n, "职务", f"“{row['post']}”不是领导职务（如 总经理、董事长、党委（党组织）书记）")
            else:
                self.keep(PostRow(pid, ent, post, start, end, f"第 {n} 行"), n, "职务", self.ds.posts)
        if row.get("body"):
            self.membership(row, n, pid, ent, (start, end))

    def membership(self, row: dict[str, str], n: int, pid: str, ent: int,
                   term: tuple[dt.date | None, dt.date | None]) -> None:
        """The row's membership of a decision body (its body, role and flags checked) added to the dataset."""
        body = _choice(row["body"], BodyKind)
        role = _choice(row.get("body_role") or "member", MemberRole)
        flags = [row.get("principal", "").lower(), (row.get("voting") or "是").lower()]
        if body is None:
            self.errors.add(n, "决策机构", f"“{row['body']}”无效，应为 党委（党工委）会、董事会、总经理办公会 等")
        elif role is None:
            self.errors.add(n, "机构职务", f"“{row.get('body_role')}”无效，应为 书记、董事长、委员/成员 等")
        elif any(f not in YES | NO for f in flags):
            self.errors.add(n, "主要负责人", "主要负责人、表决权应填 是 或 否")
        else:
            member = MemberRow(pid, ent, body, role, flags[0] in YES, flags[1] in YES, *term, f"第 {n} 行")
            self.keep(member, n, "决策机构", self.ds.members)

    def keep(self, item: Any, n: int, column: str, into: list[Any]) -> None:
        """Add a post or membership unless an earlier row gave the same one."""
        if item.key in self.seen:
            self.errors.add(n, column, f"与第 {self.seen[item.key]} 行重复")
        else:
            self.seen[item.key] = n
            into.append(item)


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
