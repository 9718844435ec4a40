"""Reading a classify input: the contract's matter document into checked facts, every error naming its field."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from soegov.policy.catalogue import MATTER_TYPES, OWNERSHIPS
from soegov.policy.conditions import Facts
from soegov.policy.errors import InputError, MissingFact
from soegov.policy.inputs import (
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
    """Validate a classify input; returns its date, facts, unknown attribute names and an echo."""
    if type(doc) is not dict:  # the ABC check below is slow; plain dicts skip it
        doc = require_mapping(doc)
    raw_date = date_override if date_override is not None else doc.get("date")
    day = today() if raw_date is None else parse_date(raw_date, "date")
    if "type" not in doc:
        raise InputError("missing_field", "缺少事项类型 type", "type", "missing field: type")
    matter_type = doc["type"]
    mt = MATTER_TYPES.get(matter_type) if type(matter_type) is str else None
    if mt is None:
        parse_type(matter_type)  # raises the named error
        raise AssertionError("unreachable")
    enterprise = doc.get("enterprise")
    if enterprise is None:
        raise InputError("missing_field", "缺少企业信息 enterprise（层级 level 与所有制 ownership）", "enterprise",
                         "missing field: enterprise (level and ownership)")
    if type(enterprise) is not dict:
        enterprise = require_mapping(enterprise, "enterprise")
    try:
        level = enterprise["level"]
        ownership = enterprise["ownership"]
    except KeyError as exc:
        key = exc.args[0]
        raise InputError("missing_field", f"缺少 enterprise.{key}", f"enterprise.{key}",
                         f"missing field: enterprise.{key}") from None
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
