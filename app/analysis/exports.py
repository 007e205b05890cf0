"""The dashboard's tables as CSV and XLSX: the same protected figures, nothing more.

Hidden figures are exported as they are shown (« < k », •), never as numbers. Any text cell that
a spreadsheet would take for a formula (starting with =, +, -, @, a tab or a carriage return) is
neutralised with a leading apostrophe: labels come from definitions and places, and could carry
one (CSV injection, OWASP).
"""

import csv
import io
import tempfile
from collections.abc import Iterator

from openpyxl import Workbook

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def header(words: dict) -> list[str]:
    return [words[key] for key in ("question", "table", "answer", "people", "share", "low", "high")]


def table_rows(board, k: int) -> Iterator[list]:
    """One row per answer of every protected table of the dashboard."""
    for question in board.results.questions:
        for table in question.tables:
            for key, label in table.labels.items():
                cell = table.line.cells[key]
                share = table.line.share(key)
                interval = table.interval(key)
                people = cell.count if cell.count is not None else _hidden(cell, k)
                yield [
                    question.label,
                    table.title or "",
                    label,
                    people,
                    None if share is None else round(share, 4),
                    None if interval is None else round(interval[0], 4),
                    None if interval is None else round(interval[1], 4),
                ]


def _hidden(cell, k: int) -> str:
    return f"< {k}" if cell.reason == "small" else "•"


def csv_chunks(head: list[str], rows: Iterator[list]) -> Iterator[str]:
    """Streamed line by line; a byte-order mark so that spreadsheets read UTF-8."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    yield "\ufeff"
    for row in _chain(head, rows):
        writer.writerow([neutralise(v) for v in row])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


def _chain(head, rows):
    yield head
    yield from rows


def xlsx_file(head: list[str], rows: Iterator[list]):
    """A write-only workbook (rows are not kept in memory), saved to a temporary file."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Tableaux")
    sheet.append(head)
    for row in rows:
        sheet.append([neutralise(v) for v in row])
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - send_file closes it
    book.save(handle)
    handle.seek(0)
    return handle
