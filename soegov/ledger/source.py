"""Read a payment ledger (CSV, .xlsx or Parquet) into DuckDB, accounting for every row.

The fast way reads the file typed (DuckDB's parallel CSV reader parses dates and amounts itself) and
keeps what is plainly valid. Whatever it cannot take — a line it rejects (a comma-grouped amount, a
short line, a date it cannot parse), or a value that is typed but wrong (a negative amount, an unknown
purpose) — goes through the per-row checks of `validation.py`, which take the rest and name every bad
field of every refused row. So each row of the file is either checked or refused with its row number
and reason; none is dropped in silence.

Rows are numbered as a spreadsheet shows them: the header is row 1, the first payment row 2.
"""

from __future__ import annotations

import contextlib
import csv
import os
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from soegov.core.errors import SoegovError
from soegov.ledger.columns import (
    CLASS_ALIASES,
    COLUMNS,
    EXPENSE_CLASSES,
    FIRST_DATE,
    LABELS,
    LAST_DATE,
    PURPOSES,
    REQUIRED,
    canonical_header,
    code_sql,
    purpose_aliases,
    sql_text,
)
from soegov.ledger.error_codes import LedgerError
from soegov.ledger.validation import READ_AGAIN, STRUCTURAL, validated_sql

PARQUET_SUFFIXES = (".parquet", ".parq", ".pq")
EXCEL_SUFFIXES = (".xlsx", ".xlsm")
_CSV = "header = true, delim = ',', quote = '\"', escape = '\"', auto_detect = false"
_NUMBERS = frozenset({"DECIMAL", "BIGINT", "INTEGER", "SMALLINT", "TINYINT", "HUGEINT", "UBIGINT", "UINTEGER",
                      "USMALLINT", "UTINYINT", "DOUBLE", "FLOAT"})
# Purposes and classes are read as enumerations: the codes and the Chinese words, nothing else. A value
# outside them (a typo, " other", "OTHER") makes the reader reject the line, which the per-row checks
# then read. The column keeps the enumeration (one byte a row, compared as integers); the codes come
# first in it, and a ledger written with the Chinese words has them turned into codes once it is read.
# An enterprise's own words for purposes (mapped by the user, `purposes`) join the enumeration after the built-in ones.
def _enums(purposes: dict[str, str]) -> dict[str, tuple[str, ...]]:
    return {"purpose_code": (*PURPOSES, *purposes), "class_code": (*EXPENSE_CLASSES, *CLASS_ALIASES)}
# The fast way's test of a typed row; anything it refuses the per-row checks look at again.
_OK = (f"date BETWEEN DATE '{FIRST_DATE}' AND DATE '{LAST_DATE}' AND payee IS NOT NULL AND amount >= 0 "
       "AND amount = round(amount, 2) AND purpose IS NOT NULL AND expense_class IS NOT NULL")
# A typed row the fast way refused, as the text the per-row checks read (amounts without trailing zeros).
_AS_TEXT = """SELECT row_no, CAST(date AS VARCHAR) AS date, payee,
    regexp_replace(regexp_replace(raw_amount, '(\\.\\d*?)0+$', '\\1'), '\\.$', '') AS amount,
    CAST(purpose AS VARCHAR) AS purpose, CAST(expense_class AS VARCHAR) AS expense_class, contract_id
    FROM ledger_rows WHERE NOT ok"""


def _create_types(con: Any, purposes: dict[str, str]) -> None:
    import duckdb

    for name, values in _enums(purposes).items():
        with contextlib.suppress(duckdb.CatalogException):  # this connection has read a ledger before
            con.execute(f"CREATE TYPE {name} AS ENUM ({', '.join(sql_text(v) for v in values)})")


def _create_tables(con: Any, purposes: dict[str, str]) -> None:
    _create_types(con, purposes)
    con.execute("CREATE TEMP TABLE ledger_rows (row_no BIGINT, date DATE, payee VARCHAR, cents BIGINT, "
                "purpose purpose_code, expense_class class_code, contract_id VARCHAR, ok BOOLEAN, raw_amount VARCHAR)")
    con.execute("CREATE TEMP TABLE ledger_errors (row_no BIGINT, field VARCHAR, problem VARCHAR, value VARCHAR)")


def _fast_select(relation: str) -> str:
    """Canonical codes, cents and the ok flag over a typed relation.

    The relation gives row_no, date, payee, amount DECIMAL(18,4), purpose (purpose_code), expense_class
    (class_code) and contract_id; a row that is not ok keeps its amount as read, for the per-row checks.
    """
    return f"""
        SELECT row_no, date, payee, CASE WHEN ok THEN CAST(CAST(amount AS DECIMAL(20,4)) * 100 AS BIGINT) END AS cents, purpose,
               expense_class, contract_id, ok, CASE WHEN NOT ok THEN CAST(amount AS VARCHAR) END AS raw_amount
        FROM (
            SELECT *, coalesce({_OK}, false) AS ok FROM (
                SELECT row_no, date, nullif(trim(payee), '') AS payee, amount,
                       purpose, expense_class,
                       nullif(trim(contract_id), '') AS contract_id
                FROM {relation}))"""


def _unreadable(path: Path, exc: Exception | str) -> SoegovError:
    return LedgerError.UNREADABLE_FILE.error(path="FILE", what=f"台账 {path.name}（需 UTF-8 编码的 CSV、.xlsx 或 Parquet）",
                                             what_en=f"the ledger {path.name} (UTF-8 CSV, .xlsx or Parquet expected)",
                                             reason=exc)


def _xlsx_to_csv(path: Path) -> Path:
    """An .xlsx ledger (at most ~1 million rows by the format) as a temporary CSV for DuckDB."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise LedgerError.UNREADABLE_FILE.error(path="FILE", what=f"Excel 台账 {path.name}",
                                                what_en=f"the Excel ledger {path.name}", reason=exc) from None
    sheet = book.worksheets[0]
    fd, name = tempfile.mkstemp(suffix=".csv")
    with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        for row in sheet.iter_rows(values_only=True):
            writer.writerow(["" if v is None else (v.isoformat()[:10] if isinstance(v, date) else v) for v in row])
    book.close()
    return Path(name)


def _column_names(header: list[str]) -> list[str]:
    """The header as column codes; a required column missing or given twice is refused."""
    names: list[str] = []
    for n, cell in enumerate(header):
        name = canonical_header(cell)
        if name in COLUMNS and name in names:
            raise LedgerError.DUPLICATE_COLUMN.error(path=name, cell=cell.strip(), n=n + 1)
        names.append(name if name in COLUMNS else f"extra_{n + 1}")
    missing = [c for c in REQUIRED if c not in names]
    if missing:
        raise LedgerError.MISSING_COLUMN.error(
            path=missing[0], missing="、".join(LABELS[c] for c in missing), missing_en=", ".join(missing),
            required="、".join(LABELS[c] for c in REQUIRED), required_en=", ".join(REQUIRED))
    return names


def _csv_header(path: Path, shown: Path) -> list[str]:
    """The first line's cells (the rest of the file may hold lines that are not UTF-8: those are refused one by one)."""
    try:
        with path.open("rb") as fh:
            first = fh.readline().decode("utf-8-sig")
        return next(csv.reader([first]), [])
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise _unreadable(shown, exc) from None


def _read_csv(con: Any, path: Path, names: list[str], typed: bool = True) -> None:
    """The fast way: DuckDB's typed reader into `ledger_rows`; the lines it rejects wait in `ledger_rejects`.

    Untyped, every column is read as text into `ledger_text`, for the per-row checks to read all of it.
    """
    kinds = {"date": "DATE", "amount": "DECIMAL(18,4)", "purpose": "purpose_code", "expense_class": "class_code"}
    types = {n: kinds.get(n, "VARCHAR") if typed else "VARCHAR" for n in names}
    contract = "" if "contract_id" in names else ", NULL AS contract_id"
    relation = (f"(SELECT row_number() OVER () + 1 AS row_no, *{contract} FROM read_csv(?, {_CSV}, "
                f"dateformat = '%Y-%m-%d', store_rejects = true, rejects_table = 'ledger_rejects', "
                f"rejects_scan = 'ledger_reject_scans', columns = ?))")
    if typed:
        con.execute(f"INSERT INTO ledger_rows {_fast_select(relation)}", [str(path), types])
    else:
        con.execute(f"CREATE TEMP TABLE ledger_text AS SELECT row_no, date, payee, amount, purpose, expense_class, "
                    f"contract_id FROM {relation}", [str(path), types])


def _renumber(con: Any, table: str) -> None:
    """Give the rows read their place in the file, counting the rejected lines between them."""
    # The k-th line read comes after every rejected line that had fewer than k lines read before it.
    con.execute("""
        CREATE TEMP TABLE ledger_skips AS
        SELECT before, max(skipped) AS skipped FROM (
            SELECT line - 1 - row_number() OVER (ORDER BY line) AS before, row_number() OVER (ORDER BY line) AS skipped
            FROM (SELECT DISTINCT line FROM ledger_rejects))
        GROUP BY before""")
    con.execute(f"""
        CREATE TEMP TABLE ledger_placed AS
        SELECT r.* REPLACE (r.row_no + coalesce(s.skipped, 0) AS row_no)
        FROM {table} r ASOF LEFT JOIN ledger_skips s ON r.row_no - 1 > s.before""")
    con.execute(f"DROP TABLE {table}")
    con.execute(f"ALTER TABLE ledger_placed RENAME TO {table}")


def _rejected_lines(con: Any, names: list[str], workdir: str) -> str | None:
    """The rejected lines the per-row checks can read again, as a CSV of their own; the others are refused."""
    lines = con.execute("""
        SELECT line, any_value(csv_line) AS text, list(DISTINCT error_type) AS kinds
        FROM ledger_rejects GROUP BY line ORDER BY line""").fetchall()
    refusals = []
    again = os.path.join(workdir, "rejected.csv")
    with open(again, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerow(["row_no", *names])
        for line, text, kinds in lines:
            unreadable = [k for k in kinds if k not in READ_AGAIN]
            if unreadable:
                refusals.append((int(line), STRUCTURAL.get(unreadable[0], "unreadable_line")))
            else:
                fh.write(f"{int(line)},{text.strip(chr(13) + chr(10))}\n")
    if refusals:
        con.executemany("INSERT INTO ledger_errors VALUES (?, NULL, ?, NULL)", refusals)
    return again if len(lines) > len(refusals) else None


def _load_csv(con: Any, path: Path, shown: Path, workdir: str, purposes: dict[str, str]) -> None:
    names = _column_names(_csv_header(path, shown))
    import duckdb

    typed = True
    try:
        _read_csv(con, path, names)
    except duckdb.Error as exc:
        if "nvalid unicode" not in str(exc):
            raise LedgerError.INVALID_LEDGER.error(path="FILE", reason=str(exc).splitlines()[0]) from None
        # DuckDB cannot put bytes that are not UTF-8 into an enumeration (it stops instead of rejecting the
        # line): such a file is read as text throughout, and its undecodable lines are refused one by one.
        con.execute("DROP TABLE IF EXISTS ledger_rejects")
        con.execute("DROP TABLE IF EXISTS ledger_reject_scans")
        typed = False
        _read_csv(con, path, names, typed=False)
    slow = [_AS_TEXT] if typed else ["SELECT * FROM ledger_text"]
    rejected = con.execute("SELECT count(*) FROM ledger_rejects").fetchone()[0]
    if rejected:
        _renumber(con, "ledger_rows" if typed else "ledger_text")
        again = _rejected_lines(con, names, workdir)
        if again is not None:
            columns = {"row_no": "BIGINT", **{n: "VARCHAR" for n in names}}
            con.execute(f"CREATE TEMP TABLE ledger_again AS SELECT * FROM read_csv(?, {_CSV}, strict_mode = false, "
                        f"null_padding = true, ignore_errors = true, columns = ?)", [again, columns])
            contract = "contract_id" if "contract_id" in names else "NULL AS contract_id"
            slow.append(f"SELECT row_no, date, payee, amount, purpose, expense_class, {contract} FROM ledger_again")
    _check_slowly(con, " UNION ALL ".join(slow), purposes)
    if rejected:
        # Whatever rejected line neither check could place is refused as unreadable: none goes missing.
        con.execute("""
            INSERT INTO ledger_errors
            SELECT DISTINCT line, NULL, 'unreadable_line', NULL FROM ledger_rejects
            WHERE line NOT IN (SELECT row_no FROM ledger_rows WHERE ok) AND line NOT IN (SELECT row_no FROM ledger_errors)""")


def _utf8_copy(path: Path, workdir: str) -> Path | None:
    """A GB18030 (GBK) CSV — what Excel saves on a Chinese Windows — as a UTF-8 copy; None for anything else.

    The first 64 KB decide: when none of its lines with Chinese in them is UTF-8 and all are GB18030, the
    file is read as GB18030 throughout. A UTF-8 file with a bad line or two is read as it is (those lines
    are refused), never turned into mojibake; so is a file that is not GB18030 all the way.
    """
    with path.open("rb") as fh:
        sample = fh.read(65536)
    whole = len(sample) < 65536  # else the last line may be cut in the middle of a character
    lines = [line for line in sample.splitlines()[: None if whole else -1] if not line.isascii()]

    def decodes(line: bytes, encoding: str) -> bool:
        try:
            line.decode(encoding)
        except UnicodeDecodeError:
            return False
        return True

    if not lines or any(decodes(line, "utf-8") for line in lines) or not all(decodes(line, "gb18030") for line in lines):
        return None
    copy = Path(workdir) / "utf8.csv"
    try:
        with path.open(encoding="gb18030", newline="") as src, copy.open("w", encoding="utf-8", newline="") as dst:
            while chunk := src.read(1 << 20):
                dst.write(chunk)
    except UnicodeDecodeError:
        return None
    return copy


def _load_parquet(con: Any, path: Path, purposes: dict[str, str]) -> None:
    """Parquet: typed dates and amounts are taken as they are; rows the fast way refuses, and files whose
    dates or amounts are text, go through the per-row checks, which read the values as the file has them."""
    import duckdb

    rows = f"read_parquet('{_quote(path)}', file_row_number = true)"
    try:
        described = con.execute(f"DESCRIBE SELECT * EXCLUDE (file_row_number) FROM {rows}").fetchall()
    except duckdb.Error as exc:
        raise _unreadable(path, str(exc).splitlines()[0]) from None
    names = _column_names([row[0] for row in described])
    column = {name: '"' + row[0].replace('"', '""') + '"' for name, row in zip(names, described, strict=True)}
    types = {name: str(row[1]) for name, row in zip(names, described, strict=True)}
    contract = f"CAST({column['contract_id']} AS VARCHAR)" if "contract_id" in column else "NULL"
    as_text = (", ".join(f"CAST({column[c]} AS VARCHAR) AS {c}" for c in REQUIRED)
               + f", {contract} AS contract_id")
    typed_date = types["date"] == "DATE" or types["date"].startswith("TIMESTAMP")
    if typed_date and types["amount"].split("(")[0] in _NUMBERS:
        relation = (f"(SELECT file_row_number + 2 AS row_no, CAST({column['date']} AS DATE) AS date, "
                    f"CAST({column['payee']} AS VARCHAR) AS payee, "
                    f"TRY_CAST({column['amount']} AS DECIMAL(18,4)) AS amount, "
                    f"TRY_CAST(CAST({column['purpose']} AS VARCHAR) AS purpose_code) AS purpose, "
                    f"TRY_CAST(CAST({column['expense_class']} AS VARCHAR) AS class_code) AS expense_class, "
                    f"{contract} AS contract_id FROM {rows})")
        refused = "WHERE file_row_number + 2 IN (SELECT row_no FROM ledger_rows WHERE NOT ok)"
        con.execute(f"INSERT INTO ledger_rows {_fast_select(relation)}")
    else:
        refused = ""
    _check_slowly(con, f"SELECT file_row_number + 2 AS row_no, {as_text} FROM {rows} {refused}", purposes)


def _quote(path: Path) -> str:
    return str(path).replace("'", "''")


def _check_slowly(con: Any, relation_sql: str, purposes: dict[str, str]) -> None:
    """The per-row checks over text rows: the valid join the ledger, every bad field of the others is named."""
    con.execute(f"CREATE TEMP TABLE ledger_checked AS {validated_sql(f'({relation_sql})', purposes)}")
    con.execute("""
        INSERT INTO ledger_rows
        SELECT row_no, date, payee, cents, purpose, expense_class, contract_id, true, NULL
        FROM ledger_checked WHERE problems IS NULL""")
    con.execute("""
        INSERT INTO ledger_errors
        SELECT row_no, p.field, p.problem, p.value FROM (
            SELECT row_no, unnest(problems) AS p FROM ledger_checked WHERE problems IS NOT NULL)""")
    con.execute("DROP TABLE ledger_checked")


def _codes_for_words(con: Any, purposes: dict[str, str]) -> None:
    """Purposes and classes written as Chinese words (其他, 非生产性) become their codes, in the rows that have them."""
    words = con.execute(f"SELECT count(*) FROM ledger_rows WHERE enum_code(purpose) >= {len(PURPOSES)} "
                        f"OR enum_code(expense_class) >= {len(EXPENSE_CLASSES)}").fetchone()[0]
    if words:
        con.execute(f"""
            UPDATE ledger_rows SET purpose = {code_sql("purpose", "purpose", purposes)},
                                   expense_class = {code_sql("expense_class", "expense_class", CLASS_ALIASES)}
            WHERE enum_code(purpose) >= {len(PURPOSES)} OR enum_code(expense_class) >= {len(EXPENSE_CLASSES)}""")


def load_ledger(con: Any, source: str | os.PathLike[str], purpose_words: dict[str, str] | None = None) -> dict[str, int]:
    """Read the ledger into view `ledger` (row_no, date, payee, cents, purpose, expense_class, contract_id).

    `purpose_words`: an enterprise's own words for purposes (word -> code), accepted beside the built-in ones.

    Every row that cannot be checked is in table `ledger_errors` (row_no, field, problem, value), one
    row per bad field (field NULL when the line itself cannot be read); returns the counts.
    """
    path = Path(source)
    if not path.is_file():
        raise _unreadable(path, "文件不存在 / no such file")
    purposes = purpose_aliases(purpose_words)
    _create_tables(con, purposes)
    suffix = path.suffix.lower()
    with tempfile.TemporaryDirectory(prefix="soegov-ledger-") as workdir:
        if suffix in PARQUET_SUFFIXES:
            _load_parquet(con, path, purposes)
        else:
            temp = _xlsx_to_csv(path) if suffix in EXCEL_SUFFIXES else None
            try:
                _load_csv(con, temp or _utf8_copy(path, workdir) or path, path, workdir, purposes)
            finally:
                if temp is not None:
                    temp.unlink(missing_ok=True)
    _codes_for_words(con, purposes)
    con.execute("CREATE TEMP VIEW ledger AS SELECT row_no, date, payee, cents, purpose, expense_class, contract_id "
                "FROM ledger_rows WHERE ok")
    rows = con.execute("SELECT count(*) FROM ledger_rows WHERE ok").fetchone()[0]
    errors = con.execute("SELECT count(DISTINCT row_no) FROM ledger_errors").fetchone()[0]
    return {"rows": int(rows), "invalid_rows": int(errors)}


