"""A number's distribution: bins from the questionnaire's bounds, small bins protected, the
mean and median beside it."""

import re
from decimal import Decimal
from html import unescape

import pytest

from app.surveys.types.entry import Number
from tests.analysis.helpers import answer, cells, publish


@pytest.mark.parametrize(
    ("bounds", "edges"),
    [
        ({"min": 1, "max": 5}, [(1, 2), (2, 3), (3, 4), (4, 5), (5, 6)]),  # each value its bin
        ({"min": 1, "max": 20}, [(a, a + 2) for a in range(1, 19, 2)] + [(19, 20)]),
        ({"min": 0, "max": 60}, [(a, a + 10) for a in range(0, 50, 10)] + [(50, 60)]),
        ({"min": 0, "max": 200, "decimal": True}, [(a, a + 20) for a in range(0, 200, 20)]),
        ({"min": 0}, None),  # no upper bound: no bins (the answers must not make them)
    ],
)
def test_bins_come_from_the_bounds(bounds, edges):
    found = Number(id="n", type="number", label="n", **bounds).bins()
    assert found == (None if edges is None else [(Decimal(a), Decimal(b)) for a, b in edges])


def test_the_distribution_is_shown_with_small_bins_protected(client, survey):
    answer(12, km_to_gp=5)
    answer(12, km_to_gp=Decimal("20"))  # on an edge: the bin above
    answer(14, km_to_gp=Decimal("199.5"))
    answer(3, km_to_gp=150)
    publish()
    html = client.get("/resultats/every-type").get_data(as_text=True)
    shown = cells(html, "km_to_gp")
    assert shown["de 0 à moins de 20"] == "12"
    assert shown["de 20 à moins de 40"] == "12"
    assert shown["de 180 à 200"] == "14"  # the last bin holds the upper bound
    assert shown["de 140 à moins de 160"] == "< 10"
    assert len(shown) == 10
    section = unescape(html[html.index('aria-labelledby="q-km_to_gp"') :])
    mean = (12 * 5 + 12 * 20 + 14 * 199.5 + 3 * 150) / 41
    assert (
        re.search(r"<dt>Moyenne</dt><dd>([\d,\s\u202f\u00a0]+)</dd>", section)
        .group(1)
        .replace(",", ".")
        .startswith(f"{mean:.1f}")
    )
