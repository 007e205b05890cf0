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

from app.surveys.types.scale import DONT_KNOW

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def neutralised(row: list) -> list:
    """The row with its text cells neutralised (numbers and empty cells pass as they are)."""
    return [neutralise(v) if v.__class__ is str else v for v in row]


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


PIECE = 64 * 1024


def csv_chunks(head: list[str], rows: Iterator[list]) -> Iterator[str]:
    """Streamed some 64 KB at a time (not line by line: each piece costs the server a write); a
    byte-order mark so that spreadsheets read UTF-8."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    yield "\ufeff"
    for row in _chain(head, rows):
        writer.writerow(neutralised(row))
        if buffer.tell() >= PIECE:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue()


def _chain(head, rows):
    yield head
    yield from rows


def xlsx_file(head: list[str], rows: Iterator[list]):
    """A write-only workbook (rows are not kept in memory), saved to a temporary file."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Tableaux")
    sheet.append(head)
    for row in rows:
        sheet.append(neutralised(row))
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - send_file closes it
    book.save(handle)
    handle.seek(0)
    return handle


def microdata_xlsx(layout, rows: Iterator[list]):
    """The responses, then a codebook sheet: each column's question and value labels."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Réponses")
    sheet.append([c.name for c in layout.columns])
    for row in rows:
        sheet.append(neutralised(row))
    codebook = book.create_sheet("Codebook")
    for column in layout.columns:
        codebook.append([neutralise(column.name), neutralise(column.label)])
        for code, label in column.labels.items():
            codebook.append(["", "", neutralise(str(code)), neutralise(label)])
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - send_file closes it
    book.save(handle)
    handle.seek(0)
    return handle


SPSS_MISSING = 99  # « I don't know » on a scale (a scale's points are small numbers)


def microdata_sav(layout, rows: Iterator[list]):
    """SPSS .sav with variable and value labels (for the health observatories): categories as
    numeric codes. pyreadstat writes from a data frame; the frame holds codes only, as numeric
    arrays built a chunk of rows at a time (a frame of Python objects took 300 MB more for
    100,000 responses)."""
    import pandas as pd  # loaded by this export only
    import pyreadstat

    from app.analysis.microdata import spss_name

    taken: set[str] = set()
    names = [spss_name(c.name, taken) for c in layout.columns]
    codes = [_codes(c) for c in layout.columns]
    numeric = [c.number or code is not None for c, code in zip(layout.columns, codes, strict=True)]
    parts: list[list] = [[] for _ in names]
    for chunk in _chunks(rows, SAV_CHUNK):
        for i, values in enumerate(zip(*chunk, strict=True)):
            parts[i].append(_column(values, codes[i], numeric[i]))
    columns = {}
    for i, name in enumerate(names):  # each column's chunks let go of as soon as it is whole
        columns[name], parts[i] = _joined(parts[i], numeric[i]), None
    frame = pd.DataFrame(columns, copy=False)
    del columns
    value_labels = {
        name: {code[key]: label for key, label in column.labels.items()}
        for name, column, code in zip(names, layout.columns, codes, strict=True)
        if code is not None
    }
    handle = tempfile.NamedTemporaryFile(suffix=".sav")  # noqa: SIM115 - send_file closes it
    pyreadstat.write_sav(
        frame,
        handle.name,
        column_labels=[c.label[:250] for c in layout.columns],
        variable_value_labels=value_labels,
    )
    handle.seek(0)
    return handle


SAV_CHUNK = 2000


def _chunks(rows: Iterator[list], size: int) -> Iterator[list[list]]:
    chunk = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _column(values, code: dict | None, number: bool):
    import numpy as np

    if not number:
        return np.array(values, dtype=object)
    if code is not None:
        values = [None if v is None else code[v] for v in values]
    return np.array([np.nan if v is None else v for v in values], dtype="float64")


def _joined(parts: list, number: bool):
    import numpy as np

    if not parts:
        return np.array([], dtype="float64" if number else object)
    return np.concatenate(parts)


def _codes(column) -> dict | None:
    """Each category's numeric code: numbers stay themselves, other keys are numbered 1…n."""
    if column.number or not column.labels:
        return None
    keys = list(column.labels)
    if all(isinstance(k, int) for k in keys if k != DONT_KNOW):
        return {k: (SPSS_MISSING if k == DONT_KNOW else k) for k in keys}
    return {k: i for i, k in enumerate(keys, start=1)}
