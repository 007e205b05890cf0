"""Choropleth maps of the communes, drawn on the server as SVG (no script, no tile server).

The caller gives, per commune (NIS code), either a shown value or the reason it is hidden;
a commune given neither has no data. Hidden values never reach this module, so they cannot
move the class breaks: the breaks, the legend and the colours come from the shown values only.

Boundaries are WGS84 GeoJSON; they are projected once per process (equirectangular, the
longitudes scaled by the cosine of the mean latitude: across a territory 50 km from north to
south, shapes are off by less than 1 %), fitted to a viewBox WIDTH wide, y downwards, to 0.1.
"""

import json
import math
import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

from app.analysis.disclosure.suppression import Cell

WIDTH = 600
PADDING = 4  # room for the outer strokes and the focus outline
# ColorBrewer's Blues (sequential, colour-blind safe, prints in grey) resampled to equal steps
# of contrast (1.58:1 each); the darkest keeps 3:1 against the black borders (_map.html).
PALETTE = ("#edf4fc", "#9ecae1", "#5ba3d0", "#2e7ebb", "#105ba4")
# Which colours a map with fewer classes uses: as far apart as possible.
SUBSETS = {1: (2,), 2: (1, 4), 3: (0, 2, 4), 4: (0, 1, 3, 4), 5: (0, 1, 2, 3, 4)}
METHODS = ("quantile", "equal")
REASONS = ("small", "complement", "earlier")
ID = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")


class CommuneShape(Protocol):  # what is read of a Commune row
    nis: str
    name: str
    boundary: str | None


@dataclass(frozen=True)
class Area:
    """One commune on the map."""

    nis: str
    name: str
    path: str  # SVG path data
    label: tuple[float, float]  # where its name goes, inside it
    fill: str  # a colour, or a pattern: url(#…)
    state: str  # "shown", "hidden" or "missing" (no data)
    value: float | None = None
    band: int | None = None  # index in Choropleth.bands
    reason: str | None = None  # when hidden: "small" (fewer than k) or "complement"


@dataclass(frozen=True)
class Band:
    """A legend entry: the class's bounds, its colour, how many communes it holds."""

    low: float
    high: float
    fill: str
    count: int


@dataclass(frozen=True)
class Choropleth:
    id: str  # prefix of the element ids: unique on the page
    title: str
    width: int
    height: int
    areas: tuple[Area, ...]
    bands: tuple[Band, ...]
    unit: str = ""  # after each value, e.g. "%"; empty when the title says it
    decimals: int = 1

    @property
    def hidden_fill(self) -> str:
        return _pattern(self.id, "hidden")

    @property
    def missing_fill(self) -> str:
        return _pattern(self.id, "missing")

    def count(self, state: str) -> int:
        return sum(1 for area in self.areas if area.state == state)


def choropleth(
    communes: Iterable[CommuneShape],
    values: Mapping[str, float],
    hidden: Mapping[str, str] | None = None,
    *,
    title: str,
    id: str = "map",
    unit: str = "",
    decimals: int = 1,
    classes: int = 5,
    method: str = "quantile",
) -> Choropleth:
    """A map of the communes. values: shown values by NIS (in the unit displayed: 12.5 for
    12.5 %); hidden: NIS → "small" or "complement" (Cell.reason) for suppressed ones. A
    commune in neither has no data. Keys that are not communes ("elsewhere") are ignored.

    method: "quantile" (about as many communes in each class; the legend gives each class's
    smallest and largest value) or "equal" (classes of equal width from the smallest shown
    value to the largest)."""
    hidden = dict(hidden or {})
    if not ID.fullmatch(id):
        raise ValueError(f"not an element id: {id!r}")
    if not 1 <= classes <= len(PALETTE):
        raise ValueError(f"between 1 and {len(PALETTE)} classes")
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}")
    if both := set(values) & set(hidden):
        raise ValueError(f"both shown and hidden: {sorted(both)}")
    if unknown := set(hidden.values()) - set(REASONS):
        raise ValueError(f"unknown reasons for hiding: {sorted(unknown)}")
    if not all(math.isfinite(v) for v in values.values()):
        raise ValueError("values must be finite numbers")
    places = [c for c in communes if c.boundary]
    geometry = _geometry(tuple((c.nis, c.boundary) for c in places))
    shown = {c.nis: float(values[c.nis]) for c in places if c.nis in values}
    bands, band_of = _classify(shown, classes, method)
    areas = []
    for commune in places:
        path, label = geometry.shapes[commune.nis]
        common = {"nis": commune.nis, "name": commune.name, "path": path, "label": label}
        if commune.nis in shown:
            band = band_of[commune.nis]
            fill = bands[band].fill
            areas.append(
                Area(**common, fill=fill, state="shown", value=shown[commune.nis], band=band)
            )
        elif commune.nis in hidden:
            reason = hidden[commune.nis]
            areas.append(Area(**common, fill=_pattern(id, "hidden"), state="hidden", reason=reason))
        else:
            areas.append(Area(**common, fill=_pattern(id, "missing"), state="missing"))
    return Choropleth(id, title, WIDTH, geometry.height, tuple(areas), tuple(bands), unit, decimals)


def _pattern(map_id: str, name: str) -> str:
    """The fill of hidden communes and of those without data: patterns the macro defines."""
    return f"url(#{map_id}-{name})"


def split(
    cells: Mapping[str, Cell], value: Callable[[str], float | None]
) -> tuple[dict[str, float], dict[str, str]]:
    """The values and hidden reasons choropleth() takes, from protected cells by NIS.

    value(key) is asked for shown cells only (e.g. Coverage.per_thousand, or
    lambda key: 100 * line.share(key)); None from it means no data."""
    values: dict[str, float] = {}
    hidden: dict[str, str] = {}
    for key, cell in cells.items():
        if cell.hidden:
            hidden[key] = cell.reason or "small"
        elif (figure := value(key)) is not None:
            values[key] = figure
    return values, hidden


# -- Classes: from the shown values only.


def _classify(shown: dict[str, float], classes: int, method: str):
    """The legend's bands and each commune's band."""
    if not shown:
        return [], {}
    ordered = sorted(shown.values())
    distinct = len(set(ordered))
    if method == "equal" and distinct > 1:  # empty classes stay: the gaps say something
        n = classes
        low, high = ordered[0], ordered[-1]
        edges = [low + (high - low) * i / n for i in range(n + 1)]
        edges[-1] = high  # no rounding error at the top
        index = {key: min(bisect_right(edges, v) - 1, n - 1) for key, v in shown.items()}
        colours = _colours(n)
        counts = [sum(1 for i in index.values() if i == b) for b in range(n)]
        return [Band(edges[b], edges[b + 1], colours[b], counts[b]) for b in range(n)], index
    # Quantiles: the upper bound of each class but the last is a shown value, so equal values
    # fall in the same class; classes left empty by ties are dropped.
    n = min(classes, distinct)
    breaks = sorted({ordered[math.ceil(i * len(ordered) / n) - 1] for i in range(1, n)})
    raw = {key: bisect_left(breaks, v) for key, v in shown.items()}
    used = sorted(set(raw.values()))
    colours = _colours(len(used))
    index = {key: used.index(b) for key, b in raw.items()}
    bands = []
    for b in range(len(used)):
        members = [shown[key] for key, i in index.items() if i == b]
        bands.append(Band(min(members), max(members), colours[b], len(members)))
    return bands, index


def _colours(n: int) -> list[str]:
    return [PALETTE[i] for i in SUBSETS[n]]


# -- Geometry: projected once per set of boundaries.


@dataclass(frozen=True)
class _Geometry:
    height: int
    shapes: dict[str, tuple[str, tuple[float, float]]]  # NIS → (path data, label point)


@lru_cache(maxsize=4)
def _geometry(boundaries: tuple[tuple[str, str], ...]) -> _Geometry:
    """Keyed on the boundaries themselves: loading another territory cannot serve stale
    shapes, and comparing 40 KB of text on a hit costs microseconds."""
    polygons = {nis: _polygons(json.loads(text)) for nis, text in boundaries}
    points = [p for rings in polygons.values() for ring in rings for p in ring]
    if not points:
        return _Geometry(PADDING * 2, {})
    west, east = min(p[0] for p in points), max(p[0] for p in points)
    south, north = min(p[1] for p in points), max(p[1] for p in points)
    squeeze = math.cos(math.radians((south + north) / 2))
    scale = (WIDTH - 2 * PADDING) / max((east - west) * squeeze, 1e-9)

    def project(lon: float, lat: float) -> tuple[int, int]:  # in tenths of a unit
        return (
            round(((lon - west) * squeeze * scale + PADDING) * 10),
            round(((north - lat) * scale + PADDING) * 10),
        )

    height = math.ceil((north - south) * scale + 2 * PADDING)
    shapes = {}
    for nis, rings in polygons.items():
        projected = [_dedupe([project(*p) for p in ring]) for ring in rings]
        projected = [ring for ring in projected if len(ring) >= 3]
        path = "".join(
            "M" + " ".join(f"{_unit(x)},{_unit(y)}" for x, y in r) + "Z" for r in projected
        )
        largest = max(projected, key=lambda r: abs(_area(r)), default=[(0, 0)])
        x, y = _label_point(largest)
        shapes[nis] = (path, (round(x / 10, 1), round(y / 10, 1)))
    return _Geometry(height, shapes)


def _polygons(geometry: dict) -> list[list[tuple[float, float]]]:
    """Every ring (outer boundaries and holes) of a Polygon or MultiPolygon."""
    if geometry["type"] == "Polygon":
        parts = [geometry["coordinates"]]
    elif geometry["type"] == "MultiPolygon":
        parts = geometry["coordinates"]
    else:
        raise ValueError(f"a commune's boundary cannot be a {geometry['type']}")
    return [[(p[0], p[1]) for p in ring] for polygon in parts for ring in polygon]


def _dedupe(ring: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Without points that rounding made equal to the one before, nor the closing point."""
    kept = [p for i, p in enumerate(ring) if i == 0 or p != ring[i - 1]]
    return kept[:-1] if len(kept) > 1 and kept[0] == kept[-1] else kept


def _unit(tenths: int) -> str:
    whole, tenth = divmod(tenths, 10)
    return f"{whole}.{tenth}" if tenth else str(whole)


def _sides(ring) -> list:
    return list(zip(ring, ring[1:] + ring[:1], strict=True))


def _area(ring) -> float:
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in _sides(ring)) / 2


def _label_point(ring) -> tuple[float, float]:
    """The centroid when it falls inside the ring, else the middle of the widest stretch of
    the ring along the centroid's horizontal line (a concave commune)."""
    area = _area(ring)
    if not area:
        return ring[0]
    pairs = _sides(ring)
    cx = sum((x0 + x1) * (x0 * y1 - x1 * y0) for (x0, y0), (x1, y1) in pairs) / (6 * area)
    cy = sum((y0 + y1) * (x0 * y1 - x1 * y0) for (x0, y0), (x1, y1) in pairs) / (6 * area)
    crossings = sorted(
        x0 + (cy - y0) * (x1 - x0) / (y1 - y0)
        for (x0, y0), (x1, y1) in pairs
        if (y0 <= cy) != (y1 <= cy)
    )
    inside = list(zip(crossings[::2], crossings[1::2], strict=True))
    if not inside or any(a <= cx <= b for a, b in inside):
        return cx, cy
    a, b = max(inside, key=lambda s: s[1] - s[0])
    return (a + b) / 2, cy
