"""The Chinese names of the fields of soegov's input documents, for messages people read.

The machine contract names a field by its path (`amount`, `enterprise.level`, `items[0].votes.王`) and
keeps doing so in the error JSON; a person reads 金额, 企业层级, 第1个议题的表决（王）. `in_chinese()` puts
the names into a message that was written with the paths.
"""

from __future__ import annotations

import re

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: the CLI imports this module on its error path only
if TYPE_CHECKING:
    from typing import Any

    from soegov.core.errors import SoegovError

FIELDS = {
    # classify (the contract's matter document)
    "date": "日期", "type": "事项类型", "amount": "金额", "enterprise": "企业信息", "enterprise.level": "企业层级",
    "enterprise.ownership": "持股类型", "attributes": "事项属性", "policy": "政策包",
    # meeting-check
    "body": "决策机构", "body.kind": "决策机构类别", "body.members": "决策机构成员", "body.principal": "主要负责人",
    "attendees": "出席人员", "nonvoting_attendees": "列席人员", "notice_sent": "会议通知", "form": "会议形式",
    "items": "议题", "chair_role": "会议主持人", "nonvoting_roles": "列席人员的身份",
    # deadline and the calendar
    "from": "起算时间", "working_days": "工作日数", "hours": "小时数", "year": "年份", "holidays": "放假安排",
    "workdays": "调休上班安排", "source": "文件依据",
    # ledger check
    "window_days": "拆分支付时间窗", "as_of": "检查基准日", "decisions": "决策记录", "payee": "收款方", "purpose": "用途",
    "expense_class": "支出类别", "contract_id": "合同编号", "FILE": "输入文件",
}
ITEM_FIELDS = {
    "id": "编号", "title": "标题", "category": "类别", "on_agenda": "是否列入议程", "prepared": "是否准备充分",
    "materials_in_advance": "是否提前送达材料", "voting_method": "表决方式", "recused": "回避成员",
    "statements": "发言顺序", "votes": "表决", "communicated": "会前沟通", "oversight_informed": "会前告知纪检委员和监事会",
}
# A path: words joined by dots, each perhaps indexed ([0]); member names (王) may follow a dot.
# Not after "--": an option's name (--from, --policy) is typed as it is.
_PATH = re.compile(r"(?<![\w.\[\]])(?<!--)[A-Za-z_][A-Za-z_0-9]*(?:\[\d+\])?(?:\.[\w-]+(?:\[\d+\])?)*(?![\w\[\]])")


def _attribute(name: str) -> str | None:
    from soegov.policy.catalogue import MATTER_TYPES

    for matter_type in MATTER_TYPES.values():
        spec = matter_type.attributes.get(name)
        if spec is not None:
            return str(spec.label)
    return None


def label(path: str) -> str | None:
    """The Chinese name of the field at `path`, or None for a path that is not a known field."""
    if path in FIELDS:
        return FIELDS[path]
    head, _, rest = path.partition(".")
    if head == "attributes" and rest:
        return _attribute(rest)
    found = re.fullmatch(r"(items|decisions)\[(\d+)\](?:\.(\w+))?(?:\.(.+))?", path)
    if found:
        kind, n, field, member = found.groups()
        whole = f"第{int(n) + 1}个议题" if kind == "items" else f"第{int(n) + 1}条决策记录"
        if field is None:
            return whole
        name = ITEM_FIELDS.get(field) if kind == "items" else FIELDS.get(field)
        if name is None:
            return None
        return f"{whole}的{name}" + (f"（{member}）" if member else "")
    if head in ("holidays", "workdays") and rest:
        return f"{FIELDS[head]} {rest}"
    return None


def in_chinese(message: str, path: str | None = None) -> str:
    """The message with field paths replaced by the fields' Chinese names.

    Replaced are the error's own `path` and any dotted or indexed path (body.members, items[0].votes);
    a lone word is left alone unless it is the error's path ("soegov policy types" stays as it is), and so
    is anything in quotation marks, which quotes the input.
    """

    def name(match: re.Match[str]) -> str:
        token = match.group(0)
        if token[0] in _QUOTES or not (token == path or "." in token or "[" in token):
            return token
        return label(token) or token

    named = _TOKEN.sub(name, message)
    # "缺少事项类型 type" would say the name twice: where the name was already there, the path goes.
    for chinese in {label(m.group(0)) for m in _PATH.finditer(message)} - {None}:
        assert chinese is not None
        for twice in (f"{chinese} {chinese}", f"{chinese}{chinese}", f"{chinese}（{chinese}）"):
            named = named.replace(twice, chinese)
    return named


_QUOTES = "“\"'「"
_TOKEN = re.compile(r"“[^”]*”|\"[^\"]*\"|'[^']*'|「[^」]*」|" + _PATH.pattern)


def readable(exc: SoegovError, lang: str = "zh") -> str:
    """An error's message on one line, naming fields in Chinese under zh (its path stays the contract's)."""
    text = " ".join(exc.text(lang).split())
    return in_chinese(text, exc.path) if lang == "zh" else text


def readable_dict(exc: SoegovError, lang: str = "zh") -> dict[str, Any]:
    """The contract's error JSON with readable messages: what the CLI's --json and the API answer alike."""
    doc = exc.as_dict(lang)
    doc["error"]["message"] = readable(exc, lang)
    for shown, detail in zip(doc.get("errors", ()), exc.details, strict=True):
        shown["message"] = readable(detail, lang)
    return doc
