"""Writing rows as CSV (streamed), XLSX and SPSS.

Any text cell that a spreadsheet would take for a formula (starting with =, +, -, @, a tab or a
carriage return) is neutralised with a leading apostrophe: labels come from definitions and
places, and could carry one (CSV injection, OWASP).
"""

import csv
import io
import sys
import tempfile
from collections.abc import Iterator
from decimal import Decimal

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def neutralised(row: list) -> list:
    """The row with its text cells neutralised (numbers and empty cells pass as they are)."""
    return [neutralise(v) if v.__class__ is str else v for v in row]


PIECE = 64 * 1024


# The two kinds of CSV offered. « standard »: commas and decimal points (RFC 4180, read by R,
# Python, SPSS, LibreOffice in English); « excel »: what Excel expects in Belgium and France,
# semicolons and decimal commas. Both UTF-8 with a byte-order mark, so that Excel reads accents.
DIALECTS = ("standard", "excel")


def csv_chunks(head: list[str], rows: Iterator[list], dialect: str = "standard") -> Iterator[str]:
    """Streamed some 64 KB at a time (not line by line: each piece costs the server a write); a
    byte-order mark so that spreadsheets read UTF-8."""
    if dialect not in DIALECTS:
        raise ValueError(f"unknown CSV dialect {dialect!r}")
    buffer = io.StringIO()
    excel = dialect == "excel"
    writer = csv.writer(buffer, delimiter=";" if excel else ",")
    yield "\ufeff"
    for row in _chain(head, rows):
        writer.writerow(_decimal_commas(neutralised(row)) if excel else neutralised(row))
        if buffer.tell() >= PIECE:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue()


def _decimal_commas(row: list) -> list:
    return [
        str(v).replace(".", ",") if v.__class__ is float or isinstance(v, Decimal) else v
        for v in row
    ]


def _chain(first, rows):
    yield first
    yield from rows


def xlsx_file(head: list[str], rows: Iterator[list]):
    return _workbook([("Tableaux", head, rows)])


def microdata_xlsx(layout, rows: Iterator[list], words: dict, protection=None):
    """The responses, then a codebook sheet: each column's question and value labels; with
    `protection` (its header and rows), a sheet that says how the file was made k-anonymous."""
    sheets = [
        ("Réponses", [c.name for c in layout.columns], rows),
        ("Codebook", [words[k] for k in CODEBOOK], _codebook(layout)),
    ]
    return _workbook(sheets + ([("Protection", *protection)] if protection else []))


CODEBOOK = ("variable", "question", "code", "answer")


def _codebook(layout) -> Iterator[list]:
    for column in layout.columns:
        yield [column.name, column.label, None, None]
        for code, label in column.labels.items():
            yield [None, None, str(code), label]


def _workbook(sheets: list[tuple[str, list[str], Iterator[list]]]):
    """Written by rust_xlsxwriter in its constant-memory mode, rows taken one at a time as it
    writes (openpyxl's write-only mode took 44 s for 100,000 responses, this some 5 s), to a
    temporary file. Headers must be distinct: they key each row."""
    from rustpy_xlsxwriter import FastExcel

    handle = tempfile.NamedTemporaryFile(suffix=".xlsx")  # noqa: SIM115 - send_file closes it
    book = FastExcel(handle.name)
    for name, head, rows in sheets:
        book.sheet(name, _records(head, rows))
    book.save()
    handle.seek(0)
    return handle


def _records(head: list[str], rows: Iterator[list]):
    """Each row as a mapping of the headers; with no row, a frame that has only the headers
    (the writer takes them from the first row)."""
    if len(set(head)) != len(head):  # a repeated header would drop a column without a word
        raise ValueError(f"headers must be distinct: {head}")
    rows = iter(rows)
    first = next(rows, None)
    if first is None:
        import pandas as pd  # loaded by this export only

        return pd.DataFrame(columns=head)
    return (dict(zip(head, neutralised(row), strict=True)) for row in _chain(first, rows))


SPSS_MISSING = 99  # the first non-substantive code, then 98, 97… (points and choices: 1…n)


def microdata_sav(layout, rows: Iterator[list], expected: int, note: list[str] | None = None):
    """SPSS .sav with variable and value labels (for the health observatories): categories as
    numeric codes. pyreadstat writes from a data frame; the frame holds one array per column,
    of codes (a frame of Python objects took 300 MB more for 100,000 responses), filled a
    chunk of rows at a time. `expected`: how many rows there should be; `note`: lines of the
    file's document (DISPLAY DOCUMENTS in SPSS)."""
    import pandas as pd  # loaded by this export only
    import pyreadstat

    from app.analysis.export.microdata import spss_name

    taken: set[str] = set()
    names = [spss_name(c.name, taken) for c in layout.columns]
    codes = [_codes(c) for c in layout.columns]
    numeric = [c.number or code is not None for c, code in zip(layout.columns, codes, strict=True)]
    arrays = _arrays(rows, codes, numeric, expected)
    frame = pd.DataFrame(dict(zip(names, arrays, strict=True)), copy=False)
    del arrays
    value_labels = {
        name: {code[key]: label for key, label in column.labels.items()}
        for name, column, code in zip(names, layout.columns, codes, strict=True)
        if code is not None
    }
    missing = {
        name: _missing_ranges(code[key] for key in column.missing if key in code)
        for name, column, code in zip(names, layout.columns, codes, strict=True)
        if code is not None and any(key in code for key in column.missing)
    }
    handle = tempfile.NamedTemporaryFile(suffix=".sav")  # noqa: SIM115 - send_file closes it
    pyreadstat.write_sav(
        frame,
        handle.name,
        column_labels=[c.label[:250] for c in layout.columns],
        variable_value_labels=value_labels,
        missing_ranges=missing,
        note=_document(note) if note else None,
    )
    handle.seek(0)
    return handle


def _document(lines: list[str]) -> list[str]:
    """Lines of an SPSS document: 80 bytes each at most (UTF-8: an accent takes two)."""
    import textwrap

    found = []
    for line in lines:
        width, cut = 80, textwrap.wrap(line, 80)
        while any(len(part.encode()) > 80 for part in cut):
            width -= 5
            cut = textwrap.wrap(line, width)
        found += cut
    return found


SAV_CHUNK = 2000


def _arrays(rows: Iterator[list], codes: list, numeric: list, expected: int) -> list:
    """Each column as one array, made for the rows expected at once (chunks joined at the end
    held every column twice, and left the memory scattered), grown if more rows came in
    meanwhile, cut to the rows read."""
    import numpy as np

    size, at = max(expected, 1), 0
    arrays = [_blank(size, number) for number in numeric]
    for chunk in _chunks(rows, SAV_CHUNK):
        end = at + len(chunk)
        if end > size:
            size = max(end, 2 * size)
            arrays = [
                np.concatenate([a, _blank(size - len(a), n)])
                for a, n in zip(arrays, numeric, strict=True)
            ]
        for i, values in enumerate(zip(*chunk, strict=True)):
            arrays[i][at:end] = _values(values, codes[i], numeric[i])
        at = end
    return [a[:at] for a in arrays]


def _blank(size: int, number: bool):
    import numpy as np

    return np.full(size, np.nan) if number else np.full(size, None, dtype=object)


def _chunks(rows: Iterator[list], size: int) -> Iterator[list[list]]:
    chunk = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _values(values, code: dict | None, number: bool) -> list:
    """A column's values in a chunk: numbers (NaN when missing: SPSS's system-missing), a code
    in place of each category (a code no longer in the questionnaire is missing), or text."""
    if not number:  # a quarter or a month: the same few texts, kept once each
        return [None if v is None else sys.intern(v) for v in values]
    if code is not None:
        values = [None if v is None else code.get(v) for v in values]
    return [NAN if v is None else v for v in values]


NAN = float("nan")


def _codes(column) -> dict | None:
    """Each category's numeric code: a scale's points stay themselves, other answers are
    numbered 1…n; non-substantive ones (« I don't know »…) take 99, 98… (user-missing)."""
    if column.number or not column.labels:
        return None
    keys = [k for k in column.labels if k not in column.missing]
    apart = [k for k in column.labels if k in column.missing]
    found = (
        {k: k for k in keys}
        if all(isinstance(k, int) for k in keys)
        else {k: i for i, k in enumerate(keys, start=1)}
    )
    return found | {k: SPSS_MISSING - i for i, k in enumerate(apart)}


def _missing_ranges(codes) -> list:
    """SPSS takes up to three discrete missing values, or a range."""
    codes = sorted(set(codes))
    return codes if len(codes) <= 3 else [{"lo": codes[0], "hi": codes[-1]}]
