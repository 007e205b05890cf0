"""The dashboard's tables as rows: the same protected figures, nothing more. Hidden figures are
exported as they are shown (« < k », •, ◦), never as numbers."""

from collections.abc import Iterator

from app.analysis.render.numbers import hidden_mark


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
    return hidden_mark(cell, k)
