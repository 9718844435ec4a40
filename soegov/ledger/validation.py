"""The per-row checks of a ledger row given as text, and what is said of each bad field.

These are the rules; the typed fast way of `source.py` only takes rows these rules would take with
the same values (tests/ledger compare the two on awkward rows), and sends everything else here.
"""

from __future__ import annotations

from soegov.core.errors import SoegovError
from soegov.ledger.columns import (
    CLASS_ALIASES,
    EXPENSE_CLASSES,
    FIRST_DATE,
    LABELS,
    LABELS_EN,
    LAST_DATE,
    MAX_YUAN,
    PURPOSE_ALIASES,
    PURPOSES,
    code_sql,
)
from soegov.ledger.error_codes import LedgerError

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


def validated_sql(relation: str, purposes: dict[str, str] = PURPOSE_ALIASES) -> str:
    """A query over text rows (row_no, date, payee, amount, purpose, expense_class, contract_id).

    It returns the same columns parsed (date, cents, codes) and `problems`: NULL for a valid row, else
    the list of {field, problem, value} of every bad field. `purposes`: the purpose words accepted.
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
                {code_sql("trim(raw_purpose)", "lower(trim(raw_purpose))", purposes)} AS purpose,
                {code_sql("trim(raw_class)", "lower(trim(raw_class))", CLASS_ALIASES)} AS expense_class,
                nullif(trim(raw_contract), '') AS contract_id
            FROM t
        ), c AS (
            SELECT *, [x FOR x IN [{_CHECKS}] IF x IS NOT NULL] AS found FROM p
        )
        SELECT row_no, d AS date, payee, CASE WHEN len(found) = 0 THEN TRY_CAST(a * 100 AS BIGINT) END AS cents,
               purpose, expense_class, contract_id, CASE WHEN len(found) > 0 THEN found END AS problems
        FROM c"""


def problem(row: int, field: str | None, code: str, value: str | None) -> SoegovError:
    """What is wrong with one field of one row (or the row itself), as the error to report, in both languages."""
    return LedgerError[code.upper()].error(path=f"row {row}.{field}" if field else f"row {row}", row=row,
                                   label=LABELS.get(field or "", field or ""),
                                   label_en=LABELS_EN.get(field or "", field or ""), value=value or "")
