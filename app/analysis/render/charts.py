"""A plotly chart for each question of a dashboard, drawn from its protected table only.

Charts never see a hidden count: a bar is drawn for a shown count, and a hidden one is named in
the axis label (« < k » or •) with no bar. Each chart sits beside its table, which stays the
accessible alternative. The figures are plotly.js documents (data and layout) written as plain
JSON: plotly's Python figure objects check every property and took half a second for a
30-question dashboard, and added a template of several kilobytes to each chart.
"""

import json
import textwrap
from dataclasses import dataclass

from flask_babel import gettext as _
from markupsafe import Markup

from app.analysis.render.numbers import hidden_mark, percent
from app.analysis.results.labels import NOT_ANSWERED
from app.analysis.results.model import QuestionResult, Table

# Colour-blind-safe diverging palette (ColorBrewer RdBu, 7 classes) and one accent colour.
DIVERGING = ["#b2182b", "#ef8a62", "#fddbc7", "#f7f7f7", "#d1e5f0", "#67a9cf", "#2166ac"]
ACCENT = "#0b5563"  # the platform's own colour
APART = ["#bdbdbd", "#969696", "#737373"]  # greys: answers on no side of a scale
FONT = {"family": "system-ui, sans-serif", "size": 14, "color": "#1a1a1a"}


@dataclass
class Chart:
    id: str
    title: str
    figure: Markup  # plotly JSON (data and layout)


def charts(questions: list[QuestionResult], k: int) -> dict[str, Chart]:
    """One chart per question that has something shown, by question id."""
    found = {}
    for result in questions:
        figure = _figure(result, k)
        if figure is not None:
            found[result.id] = Chart(f"chart-{result.id}", result.label, figure)
    return found


def _figure(result: QuestionResult, k: int) -> str | None:
    shown = [t for t in result.tables if t.line.total and _any_shown(t)]
    if result.answered is None or not shown:
        return None
    if len(result.tables) > 1 and all(t.row is not None for t in result.tables):
        return _diverging(result, k)  # a matrix: one diverging stacked bar per row
    if result.scores:
        return _scores(shown[0], result.scores, k)
    # Free text: the committee's codes when there are some, else the words used.
    return _bars(next((t for t in shown if not t.words), shown[0]), k, result.mean)


def _any_shown(table: Table) -> bool:
    return any(not cell.hidden for cell in table.line.cells.values())


def _any_hidden(table: Table) -> bool:
    return any(cell.hidden for cell in table.line.cells.values())


def _label(table: Table, key: str, k: int) -> str:
    cell = table.line.cells[key]
    label = table.labels[key]
    if cell.count is None:
        label += f" ({hidden_mark(cell, k)})"
    return _wrapped(label)


def _wrapped(text: str, width: int = 24) -> str:
    """Labels broken into short lines, so that a phone keeps room for the bars."""
    return "<br>".join(textwrap.wrap(text, width)) or text


def _bars(table: Table, k: int, mean: float | None) -> str:
    """Horizontal bars with their percentage, in the order of the answers."""
    keys = list(table.labels)
    shares = [table.line.share(key) for key in keys]
    labels = [_label(table, key, k) for key in keys]
    layout = _layout(labels) | {
        "xaxis": _axis(_("Share of the people who answered (per cent)"), [0, 110]),
        "yaxis": {"autorange": "reversed", "automargin": True},
    }
    if mean is not None:
        layout["annotations"] = [
            {
                "text": _("Mean: %(mean)s", mean=f"{mean:.2f}".replace(".", ",")),
                "xref": "paper",
                "yref": "paper",
                "x": 1,
                "y": 1.08,
                "showarrow": False,
            }
        ]
    bars = _bar(labels, [None if s is None else round(100 * s, 1) for s in shares])
    bars["text"] = [None if s is None else f"{percent(s)} %" for s in shares]
    return _json({"data": [bars], "layout": layout})


def _bar(labels: list[str], values: list, **more) -> dict:
    return {
        "type": "bar",
        "y": labels,
        "x": values,
        "orientation": "h",
        "marker": {"color": more.pop("colour", ACCENT)},
        "textposition": "outside",
        "hoverinfo": "skip",
        **more,
    }


def _axis(title: str, extent: list) -> dict:
    return {"title": {"text": _wrapped(title, 30)}, "range": extent}


def _scores(table: Table, scores: dict[str, float | None], k: int) -> str:
    """A ranking: bars of the mean score of each choice, highest first (hidden ones last)."""
    keys = sorted(table.labels, key=lambda key: -(scores.get(key) or -1))
    labels = [_label(table, key, k) for key in keys]
    values = [None if scores.get(key) is None else round(scores[key], 2) for key in keys]
    top = max((v for v in values if v is not None), default=1)
    bars = _bar(labels, values)
    bars["text"] = [None if v is None else f"{v:.2f}".replace(".", ",") for v in values]
    layout = _layout(labels) | {
        "xaxis": _axis(_("Mean score"), [0, top * 1.2]),
        "yaxis": {"autorange": "reversed", "automargin": True},
    }
    return _json({"data": [bars], "layout": layout})


def _diverging(result: QuestionResult, k: int) -> str:
    """A Likert matrix: the scale from its most negative answer (left, red) to its most
    positive (right, blue), the first half to the left of zero, the second half to the right,
    the middle point (if any) split across it; the answers on no side (« not concerned », « I
    don't know », « not answered ») in grey, in a panel of their own to the right. Hidden
    segments are left out, and their row's label says « figures hidden »."""
    tables = result.tables
    # Every row's categories: a row may have one the others lack (« not answered », in a group
    # where only some rows were skipped); it stays where the scale puts it.
    labels = {key: label for t in tables for key, label in t.labels.items()}
    apart = [key for key in (*result.apart, NOT_ANSWERED) if key in labels]
    order = result.polarity or list(labels)
    keys = [key for key in order if key in labels and key not in apart]
    keys += [key for key in labels if key not in keys and key not in apart]
    middle = len(keys) // 2
    colours = _diverging_colours(len(keys))
    # A row with a hidden figure has a gap where its segment would be: its label says so.
    rows = [
        _wrapped((t.title or "") + (f" ({_('figures hidden')})" if _any_hidden(t) else ""))
        for t in tables
    ]
    traces = []
    for i, key in enumerate(apart):
        shares = [t.line.share(key) if key in t.line.cells else None for t in tables]
        trace = _bar(
            rows,
            [None if s is None else round(100 * s, 1) for s in shares],
            colour=APART[i % len(APART)],
            name=labels[key],
            legendgroup=key,
            xaxis="x2",
        )
        del trace["textposition"]
        traces.append(trace)
    for i, key in enumerate(keys):
        shares = [t.line.share(key) if key in t.line.cells else None for t in tables]
        values = [None if s is None else 100 * s for s in shares]
        odd_middle = len(keys) % 2 == 1 and i == middle
        sides = [(-0.5, True), (0.5, False)] if odd_middle else [(-1 if i < middle else 1, True)]
        for factor, legend in sides:
            trace = _bar(
                rows,
                [None if v is None else round(factor * v, 1) for v in values],
                colour=colours[i],
                name=labels[key],
                showlegend=legend,
                legendgroup=key,
            )
            del trace["textposition"]
            traces.append(trace)
    legend_lines = (len(keys) + len(apart)) // 2 + 1
    layout = _layout(rows, top=30 + 24 * legend_lines) | {
        "showlegend": True,
        "barmode": "relative",
        "legend": {"orientation": "h", "x": 0, "y": 1, "yanchor": "bottom", "traceorder": "normal"},
        "xaxis": _axis(_("Share of the people who answered (per cent)"), [-100, 100])
        | {"domain": [0, 0.78] if apart else [0, 1]},
        "yaxis": {"autorange": "reversed", "automargin": True},
    }
    if apart:
        layout["xaxis2"] = _axis(_("On no side (per cent)"), [0, 100]) | {
            "domain": [0.82, 1],
            "anchor": "y",
        }
    return _json({"data": traces, "layout": layout})


def _diverging_colours(n: int) -> list[str]:
    if n >= len(DIVERGING):
        return (DIVERGING * (n // len(DIVERGING) + 1))[:n]
    step = (len(DIVERGING) - 1) / max(n - 1, 1)
    return [DIVERGING[round(i * step)] for i in range(n)]


def _layout(labels: list[str], top: int = 30) -> dict:
    """Tall enough for every label, however many lines it was wrapped on."""
    lines = sum(label.count("<br>") + 1 for label in labels)
    return {
        "height": top + 90 + 20 * lines + 14 * len(labels),
        "margin": {"l": 10, "r": 40, "t": top, "b": 70},
        "font": FONT,
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "showlegend": False,
    }


def _json(figure: dict) -> Markup:
    """JSON safe inside a <script type="application/json"> element: <, > and & escaped, so
    that no label (labels come from definitions) can close the element."""
    text = json.dumps(figure, separators=(",", ":"), default=str)
    for raw, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(raw, escaped)
    return Markup(text)  # noqa: S704 - escaped just above for its place in the page
