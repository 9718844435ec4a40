"""Validate the contract's input documents; every error names its field, in Chinese and English."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from soegov.core.errors import InputError
from soegov.policy.catalogue import MATTER_TYPES, OWNERSHIPS
from soegov.policy.dates import date, datetime

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs `soegov classify` start-up time
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any, TypeVar

    T = TypeVar("T")

MAX_LEVEL = 20
_CENT = Decimal("0.01")
# Thousands groups only (4,000,000.00): "1,2" may be a decimal comma and is refused everywhere. Kept as a pattern,
# compiled (and cached by re) the first time a number has a comma: compiling it on import cost every
# `soegov classify` start some 0.1 ms, for inputs that mostly have none.
_THOUSANDS = r"-?\d{1,3}(,\d{3})+(\.\d+)?"
MAX_AMOUNT = Decimal("1e15")


def document_policy(doc: Any, override: str | None = None) -> tuple[Any, str]:
    """The document without its `policy` field, and the pack it names; `override` (the CLI's --policy) wins, as
    --date does over `date`. A file saved from the API's request body (which carries `policy`) runs as it is."""
    named = doc.pop("policy", None) if isinstance(doc, dict) else None
    policy = override or named
    if not isinstance(policy, str) or not policy.strip():
        raise InputError("missing_policy", "缺少制度编号：请写 “policy” 字段（如 yining-2024），命令行也可用 “--policy” 指定",
                         "policy", "no pack named: give a policy field (e.g. yining-2024), or --policy on the command line")
    return doc, policy.strip()


def parse_json(text: str | bytes) -> Any:
    """Parse a JSON document keeping every number exact (Decimal, never float)."""
    try:
        return json.loads(text, parse_float=Decimal, parse_constant=_reject_constant)
    except (ValueError, RecursionError) as exc:
        where = f"（第{exc.lineno}行第{exc.colno}列）" if isinstance(exc, json.JSONDecodeError) else ""
        where_en = f" (line {exc.lineno}, column {exc.colno})" if isinstance(exc, json.JSONDecodeError) else ""
        raise InputError("invalid_json", f"输入不是合法的 JSON{where}", None, f"input is not valid JSON{where_en}") from None


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not allowed")


def in_thousands(text: str) -> bool:
    """Whether `text` is a number written in thousands groups (4,000,000 or 4,000,000.00)."""
    return re.fullmatch(_THOUSANDS, text) is not None


def today() -> date:
    """Today's date in Asia/Shanghai."""
    from soegov.core.time import SHANGHAI  # zoneinfo only when a date is needed, not at every start-up

    return datetime.now(SHANGHAI).date()


def parse_date(value: Any, path: str) -> date:
    """A YYYY-MM-DD date or InputError invalid_date naming the field."""
    if isinstance(value, str) and len(value) == 10:
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise InputError("invalid_date", f"{path} 应为 YYYY-MM-DD 格式的日期，收到 {_show(value)}", path,
                     f"{path} must be a date in YYYY-MM-DD form, got {_show(value)}")


def parse_amount(value: Any, path: str = "amount") -> Decimal:
    """Money in yuan from a JSON number or decimal string, exact to the fen (0.01)."""
    if isinstance(value, bool) or not isinstance(value, (int, str, Decimal, float)):
        raise InputError("invalid_amount", f"{path} 应为数字或数字字符串（单位：元），收到 {_show(value)}", path,
                         f"{path} must be a number or a decimal string in yuan, got {_show(value)}")
    if isinstance(value, Decimal):
        amount, text = value, str(value)
    else:
        text = str(value).strip() if not isinstance(value, float) else repr(value)
        if "," in text:
            # Only proper thousands groups (4,000,000.00): "1,2" may be a decimal comma and is refused.
            if not in_thousands(text):
                raise InputError("invalid_amount", f"{path} 中的逗号只能作千位分隔符（如 4,000,000）：{_show(value)}",
                                 path, f"{path}: commas are allowed only as thousands separators (4,000,000): {_show(value)}")
            text = text.replace(",", "")
    try:
        amount = value if isinstance(value, Decimal) else Decimal(text)
    except InvalidOperation:
        raise InputError("invalid_amount", f"{path} 不是数字：{_show(value)}", path,
                         f"{path} is not a number: {_show(value)}") from None
    if not amount.is_finite():
        raise InputError("invalid_amount", f"{path} 必须是有限的数字", path, f"{path} must be a finite number")
    if amount < 0:
        raise InputError("negative_amount", f"{path} 不能为负数：{text}", path, f"{path} cannot be negative: {text}")
    if amount >= MAX_AMOUNT:
        raise InputError("invalid_amount", f"{path} 超出可处理的范围", path, f"{path} is out of range")
    exponent = amount.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -2 and amount != amount.quantize(_CENT):
        raise InputError("invalid_amount", f"{path} 最多精确到分（两位小数）：{text}", path,
                         f"{path} has more than two decimal places: {text}")
    return amount


def _show(value: Any) -> str:
    try:
        text = json.dumps(value, ensure_ascii=False, default=str)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def require_mapping(doc: Any, path: str = "") -> Mapping[str, Any]:
    """The document (or a part of it) must be a JSON object."""
    if not isinstance(doc, Mapping):
        where = path or "输入"
        raise InputError("invalid_input", f"{where} 应为 JSON 对象", path or None,
                         f"{path or 'the input'} must be a JSON object")
    return doc


def parse_level(value: Any, path: str = "enterprise.level") -> int:
    """An enterprise level: an integer from 1 (directly funded) to MAX_LEVEL."""
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_LEVEL:
        if isinstance(value, Decimal) and value == value.to_integral_value() and 1 <= value <= MAX_LEVEL:
            return int(value)
        # Both bounds said: "1 及以上" read as wrong to someone who had typed 99.
        raise InputError("invalid_level",
                         f"{path} 应为 1 至 {MAX_LEVEL} 的整数（1 = 国资监管机构直接出资的一级企业），收到 {_show(value)}",
                         path, f"{path} must be an integer from 1 (directly funded) to {MAX_LEVEL}, got {_show(value)}")
    return value


def parse_ownership(value: Any, path: str = "enterprise.ownership") -> str:
    """An ownership code of the contract."""
    if value not in OWNERSHIPS:
        known = "、".join(f"{c}({o.label})" for c, o in OWNERSHIPS.items())
        raise InputError("unknown_ownership", f"{path} 未知：{_show(value)}；可选：{known}", path,
                         f"unknown {path} {_show(value)}; one of {', '.join(OWNERSHIPS)}")
    return str(value)


def parse_type(value: Any, path: str = "type") -> str:
    """A matter type code of the catalogue."""
    if not isinstance(value, str) or value not in MATTER_TYPES:
        raise InputError("unknown_type", f"{path} 不是已知的事项类型：{_show(value)}（见 soegov policy types）", path,
                         f"{path} is not a known matter type: {_show(value)} (see soegov policy types)")
    return value


def parse_attributes(matter_type: str, value: Any, level: int) -> tuple[dict[str, Any], list[str]]:
    """Type-specific facts, checked against the catalogue; unknown names are returned to be noted."""
    if value is None:
        value = {}
    attrs = value if type(value) is dict else require_mapping(value, "attributes")
    specs = MATTER_TYPES[matter_type].attributes
    out: dict[str, Any] = {}
    unknown: list[str] = []
    for name, raw in attrs.items():
        spec = specs.get(name)
        if spec is None:
            unknown.append(name)
            continue
        if raw is None:
            continue
        kind = spec.kind
        if kind == "bool":
            if type(raw) is bool:
                out[name] = raw
                continue
        elif kind == "choice":
            if type(raw) is str and raw in spec.choices:
                out[name] = raw
                continue
        elif kind == "int":
            if isinstance(raw, Decimal) and raw == raw.to_integral_value():
                raw = int(raw)
            if type(raw) is int and raw >= 0:
                out[name] = raw
                continue
        elif kind == "text":
            if type(raw) is str:
                out[name] = raw
                continue
        else:
            out[name] = parse_amount(raw, f"attributes.{name}")
            continue
        raise _bad_attribute(name, spec, raw)
    # A new company sits one level below the enterprise that sets it up, unless told otherwise.
    if "new_level" in specs and "new_level" not in out:
        out["new_level"] = level + 1
    return out, unknown


def _bad_attribute(name: str, spec: Any, raw: Any) -> InputError:
    """The error for an attribute value of the wrong kind, naming the field and what it takes."""
    path = f"attributes.{name}"
    if spec.kind == "bool":
        return InputError("invalid_attribute", f"{path} 应为 true 或 false，收到 {_show(raw)}", path,
                          f"{path} must be true or false, got {_show(raw)}")
    if spec.kind == "choice":
        return InputError("invalid_attribute", f"{path} 应为 {' / '.join(spec.choices)} 之一，收到 {_show(raw)}",
                          path, f"{path} must be one of {', '.join(spec.choices)}, got {_show(raw)}")
    if spec.kind == "int":
        return InputError("invalid_attribute", f"{path} 应为非负整数，收到 {_show(raw)}", path,
                          f"{path} must be a non-negative integer, got {_show(raw)}")
    return InputError("invalid_attribute", f"{path} 应为文字，收到 {_show(raw)}", path,
                      f"{path} must be text, got {_show(raw)}")


def every_error_on_refusal(parse: Callable[..., T], every_error: Callable[..., list[InputError]], doc: Any,
                           *args: Any) -> T:
    """`parse(doc, *args)`; when it refuses, its error carries in `details` every bad field `every_error` finds."""
    try:
        return parse(doc, *args)
    except InputError as first:
        found = every_error(doc, *args) if isinstance(doc, Mapping) else []
        if len(found) > 1:  # one error is the error itself
            first.details = list(found)
        raise


class Findings(list[InputError]):
    """The errors found while checking each field of a document on its own (the slow way, for the error report)."""

    def check(self, parse: Callable[..., Any], *args: Any) -> Any:
        """`parse(*args)`, or None with its error kept."""
        try:
            return parse(*args)
        except InputError as exc:
            self.append(exc)
            return None
