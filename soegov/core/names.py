"""Chinese names for the codes the engine and the database speak in: a page shows the regulation's name, a fact's
label and its value in words, never `yining-2024`, `within_annual_plan = true` or `attributes.urgent`.

`plain()` rewrites texts that were stored with codes in them (verdict explanations kept as evidence are never
changed in the database; they are only shown in words).
"""

from __future__ import annotations

import re
from functools import cache

# The values of the catalogue's choice facts (soegov.policy.catalogue), as a form or a page shows them.
CHOICE_LABELS: dict[str, str] = {
    "merger": "合并", "division": "分立", "restructuring": "改制", "dissolution": "解散", "bankruptcy": "破产",
    "government": "划转给政府或其部门", "intra_group": "集团内部划转",
    "loan_repayment": "归还借款", "construction_payment": "工程款", "goods_payment": "货款", "payroll": "工资",
    "tax": "税费", "other": "其他",
    "production": "生产性支出", "non_production": "非生产性支出",
    "city_government": "市政府", "sasac": "国资监管机构", "enterprise": "企业",
    "fixed_asset": "固定资产", "land": "土地",
    "discipline_secretary": "纪委书记", "shareholder_representative": "委派股东代表", "nominee": "推荐董事、监事、经理或财务负责人",
    "asset_loss": "重大资产损失", "seizure": "资产被查封冻结", "license_revoked": "被吊销营业执照", "debt_crisis": "重大债务危机",
    "true": "是", "false": "否", "True": "是", "False": "否",
}


@cache
def pack_title(pack_id: str) -> str:
    """The regulation's own title for a pack id (`yining-2024` → 伊宁市市属国有企业监督管理办法) or for a text an
    overlay quotes (`prc-company-law-2023` → 中华人民共和国公司法（2023年修订）); unknown ids as given."""
    from soegov.policy.loader import get_registry

    try:
        registry = get_registry()
        if pack_id in registry.ids:
            return str(registry.get(pack_id).title)
        # A national text is no pack of its own: the overlay that quotes it holds its title.
        for pack in registry.packs:
            if pack_id in pack.sources:
                return str(pack.sources[pack_id].title)
    except Exception:  # an unknown or unreadable pack is named by its id rather than breaking a page
        pass
    return pack_id


def attribute_label(name: str) -> str:
    """The Chinese label of a fact (`within_annual_plan` → 是否年度投资计划内); unknown names as given."""
    from soegov.field_labels import label

    return label(f"attributes.{name}") or name


def value_label(value: object) -> str:
    """A fact's value in words (true → 是, `nominee` → 推荐董事…, a/b → 甲、乙); other values as they are."""
    return "、".join(CHOICE_LABELS.get(v, v) for v in str(value).split("/"))


@cache
def _vocabulary() -> dict[str, str]:
    """Every code of the catalogue's tables with its Chinese label (meeting checks with their placeholders cut)."""
    from soegov.policy import catalogue

    words: dict[str, str] = {}
    for table in (catalogue.OWNERSHIPS, catalogue.KINDS, catalogue.AUTHORITIES, catalogue.ROLES, catalogue.BODIES,
                  catalogue.CATEGORIES, catalogue.VOTING_METHODS, catalogue.MEETING_CHECKS, catalogue.CHAIR_ROLES,
                  catalogue.ATTENDEE_ROLES, catalogue.MATTER_TYPES):
        for code, entry in table.items():
            label = re.sub(r"[“\"]?\{\w+\}[”\"]?", "", str(getattr(entry, "label", entry)))
            words.setdefault(str(code), label)
    for code, label in HINTS.items():
        words.setdefault(code, label)
    return words


# Codes of the engine's notes and results that are in no catalogue table.
HINTS = {"exactly_half": "恰好半数", "level_remedy": "层级补救", "decided_by": "决定层级"}


def word(code: str) -> str:
    """A code of the catalogue, a fact, an input field or a choice in Chinese; unknown codes as given."""
    from soegov.field_labels import label

    return (_vocabulary().get(code) or CHOICE_LABELS.get(code) or label(code)
            or (attribute_label(code) if "_" in code else code))


# A document id (a pack's, or a national text's such as prc-company-law-2023 or cpc-constitution); only ids that
# name a known document are replaced, and the space before the article they cite ("yining-2024 第12条") goes too.
_DOCUMENT_ID = re.compile(r"(?<![\w/.-])[a-z][a-z0-9]*(?:-[a-z0-9]+)+(?![\w/.-])(?: (?=第))?")
# "within_annual_plan = true（本项要求为true）" as conditions.explain writes it
_TEST = re.compile(r"\b([a-z][a-z0-9]*(?:_[a-z0-9]+)*) (=|∈|∉|≠) ([^（(，,；;\s）)]+)(?:（本项要求(为|不为)?([^）]*)）)?")
_OPS = {"=": "：", "∈": "为", "∉": "不为", "≠": "不为"}
# A code in parentheses after the words that already say it, or quoted, or standing alone in a sentence.
_CODE_IN_PARENS = re.compile(r"[（(]([a-z][a-z0-9]*(?:_[a-z0-9]+)+)[）)]")
_CODE = re.compile(r"(?<![\w/.-])([a-z][a-z0-9]*(?:_[a-z0-9]+)+)(?![\w/.-])")
_ATTR_PATH = re.compile(r"（attributes\.[a-z0-9_]+）|\(attributes\.[a-z0-9_]+\)")


def _test(m: re.Match[str]) -> str:
    name, op, value, rel, want = m.groups()
    if name in ("金额",) or not re.search(r"[a-z]", name + value):
        return m.group(0)
    out = f"{attribute_label(name)}{_OPS[op]}{value_label(value)}"
    if want is not None:
        wanted = "/".join(value_label(w) for w in want.split("/"))
        out += f"（本项要求{rel or ''}{wanted}）"
    return out


def plain(text: object) -> str:
    """The text with document ids, fact codes and field paths put into Chinese words."""
    if text is None:
        return ""
    from soegov.field_labels import in_chinese

    # A field path (items[0].prepared, body.members) by the field's name, as an input error names it.
    out = in_chinese(_ATTR_PATH.sub("", str(text)))
    out = _TEST.sub(_test, out)
    out = _CODE_IN_PARENS.sub(lambda m: "" if m.group(1) in _vocabulary() or m.group(1) in CHOICE_LABELS
                              else f"（{word(m.group(1))}）", out)
    out = _CODE.sub(lambda m: word(m.group(1)), out)
    return _DOCUMENT_ID.sub(_document, out)


# A document id citing an article ("yining-2024 第12条"), not one given as a value to type ("如 yining-2024").
_CITING_ID = re.compile(_DOCUMENT_ID.pattern.removesuffix("(?: (?=第))?") + r" (?=第\d)")


# The same in an English message ("yining-2024 art. 12(7)"): the space before "art." stays.
_CITING_ID_EN = re.compile(_DOCUMENT_ID.pattern.removesuffix("(?: (?=第))?") + r"(?= arts?\. ?\d)")


def cited(text: str, lang: str = "zh") -> str:
    """The text with only the document ids that cite an article put as the regulations' titles (yining-2024 第12条 →
    《伊宁市…办法》第12条): for a message that also names values the reader types (可选：government / intra_group)."""
    # An English reader is given the regulation's own (Chinese) title too: the pack id is a code, not a name.
    return (_CITING_ID if lang == "zh" else _CITING_ID_EN).sub(_document, text)


def _document(m: re.Match[str]) -> str:
    title = pack_title(m.group(0).strip())
    if title == m.group(0).strip():
        return m.group(0)
    # An id already between title marks (《yining-2024》) gets no second pair.
    inside = m.string[m.start() - 1:m.start()] == "《" and m.string[m.end():m.end() + 1] == "》"
    return title if inside else f"《{title}》"
