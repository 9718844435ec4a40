"""The per-row checks of a ledger row given as text, and what is said of each bad field.

These are the rules; the typed fast way of `source.py` only takes rows these rules would take with
the same values (tests/ledger compare the two on awkward rows), and sends everything else here.
"""

from __future__ import annotations

from soegov.ledger.columns import (
    CLASS_ALIASES,
    EXPENSE_CLASSES,
    FIRST_DATE,
    LABELS,
    LABELS_EN,
    LAST_DATE,
    MAX_YUAN,
    PURPOSE_ALIASES,
    PURPOSE_LABELS,
    PURPOSES,
    code_sql,
)

# DuckDB's reasons for rejecting a CSV line that cannot be read again field by field.
STRUCTURAL = {"INVALID ENCODING": "not_utf8", "INVALID UNICODE": "not_utf8", "UNQUOTED VALUE": "unterminated_quote",
              "TOO MANY COLUMNS": "too_many_fields", "LINE SIZE OVER MAXIMUM": "line_too_long"}
# Rejected for a value (CAST) or a short line (MISSING COLUMNS, padded with empty fields): read again here.
READ_AGAIN = frozenset({"CAST", "MISSING COLUMNS"})

_IN = {"purpose": ", ".join(f"'{p}'" for p in PURPOSES), "expense_class": ", ".join(f"'{c}'" for c in EXPENSE_CLASSES)}


def _problem(field: str, problem: str, value: str = "''") -> str:
    return f"{{'field': '{field}', 'problem': '{problem}', 'value': {value}}}"


def _blank(column: str) -> str:
    return f"coalesce(trim({column}), '') = ''"


_CHECKS = ", ".join([
    f"CASE WHEN {_blank('raw_date')} THEN {_problem('date', 'missing')} "
    f"WHEN d IS NULL THEN {_problem('date', 'invalid_date', 'raw_date')} "
    f"WHEN d NOT BETWEEN DATE '{FIRST_DATE}' AND DATE '{LAST_DATE}' "
    f"THEN {_problem('date', 'date_out_of_range', 'raw_date')} END",
    f"CASE WHEN payee IS NULL THEN {_problem('payee', 'missing')} END",
    f"CASE WHEN {_blank('raw_amount')} THEN {_problem('amount', 'missing')} "
    f"WHEN a IS NULL THEN {_problem('amount', 'invalid_amount', 'raw_amount')} "
    f"WHEN a < 0 THEN {_problem('amount', 'negative_amount', 'raw_amount')} "
    f"WHEN a >= {MAX_YUAN} THEN {_problem('amount', 'amount_out_of_range', 'raw_amount')} "
    f"WHEN a <> round(a, 2) THEN {_problem('amount', 'amount_too_precise', 'raw_amount')} END",
    f"CASE WHEN {_blank('raw_purpose')} THEN {_problem('purpose', 'missing')} "
    f"WHEN purpose NOT IN ({_IN['purpose']}) THEN {_problem('purpose', 'unknown_purpose', 'raw_purpose')} END",
    f"CASE WHEN {_blank('raw_class')} THEN {_problem('expense_class', 'missing')} "
    f"WHEN expense_class NOT IN ({_IN['expense_class']}) "
    f"THEN {_problem('expense_class', 'unknown_expense_class', 'raw_class')} END",
])


def validated_sql(relation: str) -> str:
    """A query over text rows (row_no, date, payee, amount, purpose, expense_class, contract_id).

    It returns the same columns parsed (date, cents, codes) and `problems`: NULL for a valid row, else
    the list of {field, problem, value} of every bad field.
    """
    return f"""
        WITH t AS (
            SELECT row_no, date AS raw_date, payee AS raw_payee, amount AS raw_amount, purpose AS raw_purpose,
                   expense_class AS raw_class, contract_id AS raw_contract
            FROM {relation}
        ), p AS (
            SELECT *,
                try_cast(trim(raw_date) AS DATE) AS d,
                nullif(trim(raw_payee), '') AS payee,
                CASE WHEN contains(trim(raw_amount), ',')
                          AND NOT regexp_full_match(trim(raw_amount), '\\d{{1,3}}(,\\d{{3}})+(\\.\\d+)?') THEN NULL
                     ELSE try_cast(replace(trim(raw_amount), ',', '') AS DECIMAL(38, 4)) END AS a,
                {code_sql("trim(raw_purpose)", "lower(trim(raw_purpose))", PURPOSE_ALIASES)} AS purpose,
                {code_sql("trim(raw_class)", "lower(trim(raw_class))", CLASS_ALIASES)} AS expense_class,
                nullif(trim(raw_contract), '') AS contract_id
            FROM t
        ), c AS (
            SELECT *, [x FOR x IN [{_CHECKS}] IF x IS NOT NULL] AS found FROM p
        )
        SELECT row_no, d AS date, payee, CASE WHEN len(found) = 0 THEN TRY_CAST(a * 100 AS BIGINT) END AS cents,
               purpose, expense_class, contract_id, CASE WHEN len(found) > 0 THEN found END AS problems
        FROM c"""


_PROBLEMS = {
    "missing": ("{label}为空", "{label} is empty"),
    "invalid_date": ("{label}“{value}”不是 YYYY-MM-DD 格式的日期", "{label} {value!r} is not a date in YYYY-MM-DD form"),
    "date_out_of_range": (f"{{label}}“{{value}}”不在 {FIRST_DATE} 至 {LAST_DATE} 之间",
                          f"{{label}} {{value!r}} is not between {FIRST_DATE} and {LAST_DATE}"),
    "invalid_amount": ("{label}“{value}”不是数字（单位：元；逗号只能作千位分隔符，如 4,000,000）",
                       "{label} {value!r} is not a number of yuan (commas only as thousands separators, 4,000,000)"),
    "negative_amount": ("{label}“{value}”不能为负数", "{label} {value!r} cannot be negative"),
    "amount_out_of_range": ("{label}“{value}”超出可处理的范围（须小于 10^15 元）", "{label} {value!r} is out of range (below 10^15)"),
    "amount_too_precise": ("{label}“{value}”最多精确到分（两位小数）", "{label} {value!r} has more than two decimal places"),
    "unknown_purpose": ("{label}“{value}”无法识别（可填" + "、".join(PURPOSE_LABELS.values()) + "，或其英文代码）",
                        "{label} {value!r} is unknown (one of " + ", ".join(PURPOSES) + ")"),
    "unknown_expense_class": ("{label}“{value}”无法识别（可填生产性、非生产性，或 production、non_production）",
                              "{label} {value!r} is unknown (production or non_production)"),
    "not_utf8": ("不是 UTF-8 编码的文字（请以 UTF-8 编码另存 CSV）", "the line is not UTF-8 text (save the CSV as UTF-8)"),
    "unterminated_quote": ("的引号没有闭合（其后各行无法分开读取）",
                           "the line opens a quotation mark that is never closed (the lines after it cannot be told apart)"),
    "too_many_fields": ("的字段多于表头（含逗号的金额或名称须加引号）",
                        "the line has more fields than the header (quote values that contain commas)"),
    "line_too_long": ("过长，无法读取", "the line is too long to read"),
    "unreadable_line": ("无法读取", "the line cannot be read"),
}


def problem_text(row: int, field: str | None, problem: str, value: str | None, lang: str = "zh") -> str:
    """What is wrong with one field of one row (or the row itself), in Chinese or English."""
    zh, en = _PROBLEMS.get(problem, _PROBLEMS["unreadable_line"])
    template = en if lang == "en" else zh
    label = (LABELS_EN if lang == "en" else LABELS).get(field or "", field or "")
    text = template.format(label=label, value=value if value is not None else "")
    if lang == "en":
        return f"row {row}: {text}"
    return f"第{row}行：{text}" if field else f"第{row}行{text}"
