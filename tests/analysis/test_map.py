"""The choropleth of the communes: every commune drawn inside the frame, hidden ones hatched
and never told, class breaks from the shown values only, accessible without script or style."""

import json
import math
import re
from html import unescape
from pathlib import Path

import pytest
from flask_babel import refresh

from app.analysis.disclosure.suppression import Cell, protect
from app.analysis.render.maps import PADDING, PALETTE, WIDTH, _geometry, choropleth, split
from app.territory.queries import communes

GEOJSON = Path(__file__).parents[2] / "app" / "territory" / "data" / "communes.geojson"
SIVRY, BEAUMONT, DOISCHE, YVOIR, MOMIGNIES = "56088", "56005", "93018", "91141", "56051"


def render(app, the_map, k=10, lang="en", **options) -> str:
    """The macro's HTML, as a page in that language would have it."""
    with app.test_request_context(headers={"Accept-Language": lang}):
        refresh()  # the fixture's app context is reused: forget the locale it chose before
        module = app.jinja_env.get_template("analysis/_map.html").module
        return str(module.choropleth(the_map, k, **options))


def paths(html: str) -> dict[str, tuple[str, str, str]]:
    """NIS → (d, fill, title) of each commune's path."""
    found = re.findall(
        r'<path id="map-(\d{5})" class="area" d="([^"]*)" fill="([^"]*)"[^>]*>'
        r"<title[^>]*>([^<]*)</title></path>",
        html,
    )
    return {nis: (d, fill, unescape(title)) for nis, d, fill, title in found}


def rates(app) -> dict[str, float]:
    """A shown value for every commune (thousands of inhabitants: 17 distinct figures)."""
    return {c.nis: c.population_2020 / 1000 for c in communes()}


def test_one_path_per_commune_each_focusable_and_named(app):
    html = render(app, choropleth(communes(), rates(app), title="Inhabitants (thousands)"))
    drawn = paths(html)
    assert len(drawn) == 17 == len(communes())
    assert set(drawn) == {c.nis for c in communes()}
    assert html.count('tabindex="0"') == 17
    assert html.count('role="img"') == 17
    assert drawn[SIVRY][2] == "Sivry-Rance: 4.8"  # 4,794 inhabitants
    # the map is named by its title and described; its legend is a list beside it
    assert re.search(r'<svg [^>]*aria-labelledby="map-title" aria-describedby="map-desc"', html)
    assert '<title id="map-title">Inhabitants (thousands)</title>' in html
    assert '<desc id="map-desc">' in html
    assert html.count("<li>") == 5  # five classes, nothing hidden, nothing missing


def test_a_hidden_commune_is_hatched_and_its_number_never_told(app):
    values = rates(app)
    secret = values.pop(SIVRY)
    values.pop(DOISCHE)
    hidden = {SIVRY: "small", DOISCHE: "complement"}
    html = render(app, choropleth(communes(), values, hidden, title="Rate"))
    drawn = paths(html)
    assert drawn[SIVRY][1:] == ("url(#map-hidden)", "Sivry-Rance: hidden (fewer than 10)")
    assert drawn[DOISCHE][1:] == (
        "url(#map-hidden)",
        "Doische: hidden (to protect another figure)",
    )
    assert '<pattern id="map-hidden"' in html  # hatched: colour is not the only cue
    words = re.sub(r' d="[^"]*"', "", html)  # what a reader sees or hears, paths aside
    assert f"{secret:.1f}" not in words and "4.8" not in words and "4,8" not in words
    assert "Hidden to protect small counts" in html


def test_a_commune_without_data_is_not_shown_as_hidden(app):
    values = rates(app)
    values.pop(MOMIGNIES)
    values.pop(SIVRY)
    html = render(app, choropleth(communes(), values, {SIVRY: "small"}, title="Rate"))
    drawn = paths(html)
    assert drawn[MOMIGNIES][1:] == ("url(#map-missing)", "Momignies: no data")
    assert drawn[SIVRY][1] == "url(#map-hidden)"
    assert "No data" in html and '<pattern id="map-missing"' in html


def test_split_never_asks_the_value_of_a_hidden_cell():
    cells = {SIVRY: Cell(None, "small"), DOISCHE: Cell(None, "complement"), BEAUMONT: Cell(12)}
    cells |= {YVOIR: Cell(15), "elsewhere": Cell(30)}

    def rate(key):
        assert not cells[key].hidden, "asked for a hidden value"
        return None if key == YVOIR else 1000 * cells[key].count / 7000

    values, hidden = split(cells, rate)
    assert values == {BEAUMONT: pytest.approx(12 / 7), "elsewhere": pytest.approx(30 / 7)}
    assert hidden == {SIVRY: "small", DOISCHE: "complement"}  # YVOIR: no data


def test_what_is_hidden_cannot_change_the_map(app):
    """Two territories that differ only in a hidden count give the very same map: the breaks,
    the colours and the legend come from what is shown."""
    people = {c.nis: c.population_2020 for c in communes()}
    outputs = []
    for sivry in (1, 9):  # both below k = 10
        counts = {nis: 10 + i * 7 for i, nis in enumerate(sorted(people))} | {SIVRY: sivry}
        line = protect(counts, 10)
        assert line.cells[SIVRY] == Cell(None, "small")
        values, hidden = split(line.cells, lambda nis, c=counts: 1000 * c[nis] / people[nis])
        the_map = choropleth(communes(), values, hidden, title="Per 1,000")
        outputs.append((the_map, render(app, the_map)))
    assert outputs[0] == outputs[1]
    the_map = outputs[0][0]
    shown = [a.value for a in the_map.areas if a.state == "shown"]
    assert the_map.bands[0].low == min(shown) and the_map.bands[-1].high == max(shown)
    assert sum(band.count for band in the_map.bands) == len(shown) == 17 - len(hidden)


def test_quantile_classes_of_the_shown_values():
    places = [Town(f"{i:05d}", f"C{i}") for i in range(10)]
    values = {p.nis: float(i) for i, p in enumerate(places)}
    the_map = choropleth(places, values, title="t")
    assert [(b.low, b.high, b.count) for b in the_map.bands] == [
        (0, 1, 2),
        (2, 3, 2),
        (4, 5, 2),
        (6, 7, 2),
        (8, 9, 2),
    ]
    assert [b.fill for b in the_map.bands] == list(PALETTE)  # darker for higher values
    fills = {a.nis: a.fill for a in the_map.areas}
    assert fills["00000"] == PALETTE[0] and fills["00009"] == PALETTE[-1]
    # ties stay together, and fewer distinct values give fewer classes
    tied = choropleth(places, dict.fromkeys(values, 3.0) | {"00009": 5.0}, title="t")
    assert [(b.low, b.high, b.count) for b in tied.bands] == [(3, 3, 9), (5, 5, 1)]
    alone = choropleth(places, {"00001": 2.5}, title="t")
    assert [(b.low, b.high, b.count) for b in alone.bands] == [(2.5, 2.5, 1)]
    assert choropleth(places, {}, title="t").bands == ()


def test_equal_interval_classes():
    places = [Town(f"{i:05d}", f"C{i}") for i in range(4)]
    values = {"00000": 0.0, "00001": 10.0, "00002": 11.0, "00003": 100.0}
    the_map = choropleth(places, values, title="t", method="equal")
    assert [(b.low, b.high, b.count) for b in the_map.bands] == [
        (0, 20, 3),
        (20, 40, 0),
        (40, 60, 0),
        (60, 80, 0),
        (80, 100, 1),
    ]
    assert {a.nis: a.band for a in the_map.areas} == {
        "00000": 0,
        "00001": 0,
        "00002": 0,
        "00003": 4,
    }


def test_the_projection_fits_the_viewbox_keeping_the_shape(app):
    the_map = choropleth(communes(), rates(app), title="t")
    assert the_map.width == WIDTH
    html = render(app, the_map)
    assert f'viewBox="0 0 {WIDTH} {the_map.height}"' in html
    points = {}
    for nis, (d, _, _) in paths(html).items():
        assert re.fullmatch(r"(M[\d., ]+Z)+", d)  # absolute, rounded, closed rings
        assert not re.search(r"\.\d\d", d)  # one decimal at most
        points[nis] = [tuple(map(float, p.split(","))) for p in re.findall(r"[\d.]+,[\d.]+", d)]
    every = [p for ring in points.values() for p in ring]
    xs, ys = [x for x, _ in every], [y for _, y in every]
    assert min(xs) >= 0 and max(xs) <= the_map.width
    assert min(ys) >= 0 and max(ys) <= the_map.height
    assert min(xs) == PADDING and max(xs) == WIDTH - PADDING  # fitted to the width
    # the same proportions as the territory, longitudes scaled by cos(mean latitude)
    lons, lats = [], []
    for feature in json.loads(GEOJSON.read_text())["features"]:
        rings = feature["geometry"]["coordinates"]
        rings = (
            [r for polygon in rings for r in polygon] if isinstance(rings[0][0][0], list) else rings
        )
        lons += [p[0] for r in rings for p in r]
        lats += [p[1] for r in rings for p in r]
    squeeze = math.cos(math.radians((min(lats) + max(lats)) / 2))
    expected = (max(lons) - min(lons)) * squeeze / (max(lats) - min(lats))
    assert (max(xs) - min(xs)) / (max(ys) - min(ys)) == pytest.approx(expected, rel=0.005)
    # north is up: Yvoir, on the Meuse north of Dinant, lies above Momignies in the south-west
    assert max(y for _, y in points[YVOIR]) < min(y for _, y in points[MOMIGNIES])
    for area in the_map.areas:  # names are drawn inside the frame
        assert 0 < area.label[0] < the_map.width and 0 < area.label[1] < the_map.height


def test_the_source_is_cited_and_nothing_needs_inline_style(app):
    values = rates(app)
    values.pop(SIVRY)
    the_map = choropleth(communes(), values, {SIVRY: "small"}, title="t")
    english = render(app, the_map)
    assert "Source: Statbel (2020)." in english
    assert "Source\u00a0: Statbel (2020)." in render(app, the_map, lang="fr")
    for html in (english, render(app, the_map, labels=False)):
        assert "style=" not in html and "<style" not in html  # the nonce CSP forbids them
        assert "<script" not in html
    assert "<text " in english and "<text " not in render(app, the_map, labels=False)


def test_values_are_written_in_the_reader_s_language(app):
    values = rates(app)
    the_map = choropleth(communes(), values, title="Share", unit="%", decimals=1)
    assert paths(render(app, the_map, lang="fr"))[SIVRY][2].endswith("4,8\xa0%")
    assert paths(render(app, the_map, lang="en"))[SIVRY][2] == "Sivry-Rance: 4.8\xa0%"


def test_projected_shapes_are_cached_but_never_stale(app):
    _geometry.cache_clear()
    choropleth(communes(), {}, title="t")
    choropleth(communes(), {}, title="t")
    assert _geometry.cache_info().hits == 1
    square = '{"type": "Polygon", "coordinates": [[[4, 50], [5, 50], [5, 51], [4, 51], [4, 50]]]}'
    other = choropleth([Town("00001", "Square", square)], {}, title="t")
    assert other.areas[0].path != choropleth(communes(), {}, title="t").areas[0].path
    assert other.areas[0].path.startswith(f"M{PADDING},")


def test_mistakes_are_refused(app):
    with pytest.raises(ValueError, match="both shown and hidden"):
        choropleth(communes(), {SIVRY: 1.0}, {SIVRY: "small"}, title="t")
    with pytest.raises(ValueError, match="unknown reasons"):
        choropleth(communes(), {}, {SIVRY: "tiny"}, title="t")
    with pytest.raises(ValueError, match="not an element id"):
        choropleth(communes(), {}, title="t", id='x" onclick="')
    with pytest.raises(ValueError, match="finite"):
        choropleth(communes(), {SIVRY: math.nan}, title="t")


def test_the_map_hides_what_the_coverage_table_hides(app, survey):
    """End to end: answers → the dashboard's protected coverage table → the map."""
    from app.analysis.results.dashboard import dashboard
    from app.analysis.results.figures import figures_for as _material
    from app.territory.places import Place
    from tests.analysis.helpers import answer

    answer(20, commune=Place("commune", SIVRY))
    answer(12)  # Barbençon, in Beaumont
    answer(3, commune=Place("commune", "56016"))  # Chimay: « < 10 », and a zero hides with it
    with app.test_request_context(headers={"Accept-Language": "en"}):
        coverage = dashboard(_material(survey)).coverage
    cells = coverage.table.line.cells
    values, hidden = split(cells, coverage.per_thousand)
    html = render(app, choropleth(communes(), values, hidden, title="Per 1,000 inhabitants"))
    drawn = paths(html)
    assert hidden and values  # some of each
    assert drawn[SIVRY][2] == "Sivry-Rance: 4.2"  # 20 per 4,794 inhabitants
    for nis, (_, fill, title) in drawn.items():
        assert (fill == "url(#map-hidden)") == cells[nis].hidden, title
        assert ("hidden" in title) == cells[nis].hidden


class Town:
    """A commune as the map reads it, for made-up territories."""

    SQUARE = '{"type": "Polygon", "coordinates": [[[%s, 50], [%s, 50], [%s, 50.01], [%s, 50.01]]]}'

    def __init__(self, nis: str, name: str, boundary: str | None = None):
        x = int(nis) / 100 + 4
        self.nis, self.name = nis, name
        self.boundary = boundary or self.SQUARE % (x, x + 0.01, x + 0.01, x)
