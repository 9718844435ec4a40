"""Reading a classify input: the contract's matter document into checked facts, every error naming its field."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from soegov.core.errors import InputError
from soegov.policy.catalogue import MATTER_TYPES, OWNERSHIPS
from soegov.policy.conditions import Facts
from soegov.policy.dates import date
from soegov.policy.errors import MissingFact
from soegov.policy.inputs import (
    Findings,
    every_error_on_refusal,
    parse_amount,
    parse_attributes,
    parse_date,
    parse_level,
    parse_ownership,
    parse_type,
    require_mapping,
    today,
)
from soegov.policy.rules import Rule

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs `soegov classify` start-up time
if TYPE_CHECKING:
    from typing import Any


def _str_amount(value: str) -> Decimal:
    """Fast path for the common '4000000' / '3999999.99' strings; anything unusual goes the full way."""
    if value.isdigit() and len(value) < 16:
        return Decimal(value)
    head, dot, tail = value.partition(".")
    if dot and head.isdigit() and tail.isdigit() and len(tail) <= 2 and len(head) < 16:
        return Decimal(value)
    return parse_amount(value)


_FAST_AMOUNTS: dict[type, Any] = {str: _str_amount}


def parse_matter(doc: Any, *, date_override: str | None = None) -> tuple[date, Facts, list[str], dict[str, Any]]:
    """Validate a classify input; returns its date, facts, unknown attribute names and an echo.

    Invalid input raises the first error found, carrying in `details` every bad field of the document.
    """
    return every_error_on_refusal(_parse_matter, _every_error, doc, date_override)


def _missing(path: str) -> InputError:
    if path == "type":
        return InputError("missing_field", "缺少事项类型 type", "type", "missing field: type")
    if path == "enterprise":
        return InputError("missing_field", "缺少企业信息 enterprise（层级 level 与所有制 ownership）", "enterprise",
                          "missing field: enterprise (level and ownership)")
    return InputError("missing_field", f"缺少 {path}", path, f"missing field: {path}")


def _every_error(doc: Mapping[str, Any], date_override: str | None) -> list[InputError]:
    """Every bad field of a classify document, each checked on its own (the slow way, for the error report)."""
    found = Findings()
    check = found.check

    raw_date = date_override if date_override is not None else doc.get("date")
    if raw_date is not None:
        check(parse_date, raw_date, "date")
    matter_type = None
    if "type" not in doc:
        found.append(_missing("type"))
    else:
        matter_type = check(parse_type, doc["type"])
    enterprise = doc.get("enterprise")
    level = None
    if enterprise is None:
        found.append(_missing("enterprise"))
    elif check(require_mapping, enterprise, "enterprise") is not None:
        for key, parse in (("level", parse_level), ("ownership", parse_ownership)):
            if key not in enterprise:
                found.append(_missing(f"enterprise.{key}"))
            elif key == "level":
                level = check(parse, enterprise[key])
            else:
                check(parse, enterprise[key])
    if doc.get("amount") is not None:
        check(parse_amount, doc["amount"])
    attributes = doc.get("attributes")
    if matter_type is not None and attributes and check(require_mapping, attributes, "attributes") is not None:
        for name, value in attributes.items():
            check(parse_attributes, matter_type, {name: value}, level or 1)
    return found


def _parse_matter(doc: Any, date_override: str | None) -> tuple[date, Facts, list[str], dict[str, Any]]:
    if type(doc) is not dict:  # the ABC check below is slow; plain dicts skip it
        doc = require_mapping(doc)
    raw_date = date_override if date_override is not None else doc.get("date")
    day = today() if raw_date is None else parse_date(raw_date, "date")
    if "type" not in doc:
        raise _missing("type")
    matter_type = doc["type"]
    mt = MATTER_TYPES.get(matter_type) if type(matter_type) is str else None
    if mt is None:
        parse_type(matter_type)  # raises the named error
        raise AssertionError("unreachable")
    enterprise = doc.get("enterprise")
    if enterprise is None:
        raise _missing("enterprise")
    if type(enterprise) is not dict:
        enterprise = require_mapping(enterprise, "enterprise")
    try:
        level = enterprise["level"]
        ownership = enterprise["ownership"]
    except KeyError as exc:
        raise _missing(f"enterprise.{exc.args[0]}") from None
    if type(level) is not int or not 1 <= level <= 20:
        level = parse_level(level)
    if ownership not in OWNERSHIPS:
        parse_ownership(ownership)
    raw_amount = doc.get("amount")
    amount = None if raw_amount is None else _FAST_AMOUNTS.get(type(raw_amount), parse_amount)(raw_amount)
    raw_attrs = doc.get("attributes")
    if raw_attrs or "new_level" in mt.attributes:
        attributes, unknown = parse_attributes(matter_type, raw_attrs, level)
    else:
        attributes, unknown = {}, []
    facts = Facts(matter_type, level, ownership, amount, attributes)
    echo = {"type": matter_type, "label": mt.label, "label_en": mt.label_en,
            "amount": str(amount) if amount is not None else None,
            "date": raw_date if isinstance(raw_date, str) else day.isoformat(),
            "enterprise": {"level": level, "ownership": ownership}}
    return day, facts, unknown, echo


def missing_fact_error(exc: MissingFact, rule: Rule) -> InputError:
    """The InputError for a fact a rule needs and the input left out, naming the field and the article."""
    cite_zh, cite_en = rule.citation.short("zh"), rule.citation.short("en")
    if exc.path == "amount":
        return InputError("missing_field", f"缺少金额 amount：{cite_zh} 依金额确定义务", "amount",
                          f"missing field: amount ({cite_en} depends on it)")
    name = exc.path.split(".", 1)[1]
    spec = MATTER_TYPES[rule.types[0]].attributes.get(name) if rule.types[0] != "*" else None
    label = f"（{spec.label}）" if spec else ""
    choices = f"，可选：{' / '.join(spec.choices)}" if spec and spec.choices else (
        "，取 true 或 false" if spec and spec.kind == "bool" else "")
    choices_en = f"; one of {', '.join(spec.choices)}" if spec and spec.choices else (
        "; true or false" if spec and spec.kind == "bool" else "")
    return InputError("missing_attribute", f"缺少属性 {exc.path}{label}：{cite_zh} 依此确定义务{choices}", exc.path,
                      f"missing attribute {exc.path}: {cite_en} depends on it{choices_en}")
