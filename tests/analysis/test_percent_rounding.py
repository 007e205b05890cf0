"""Shares are rounded as people and statistical offices read them (issue 17, item 13)."""

import pytest

from app.analysis.render.numbers import percent


@pytest.mark.parametrize(
    ("share", "shown"),
    [
        (0.125, "13"),  # half away from zero (Python's round gives 12)
        (0.285, "29"),  # 28.5, though 0.285 * 100 is 28.4999… in binary
        (0.135, "14"),
        (0.5, "50"),
        (0.0, "0"),
        (1.0, "100"),
        (0.999, "> 99"),  # someone answered otherwise: never « 100 % »
        (0.996, "> 99"),
        (0.994, "99"),
        (0.004, "< 1"),  # someone did: never « 0 % »
        (0.006, "1"),
    ],
)
def test_a_share_is_shown_as_it_is(share, shown):
    assert percent(share) == shown


def test_the_tables_use_it(app):
    with app.test_request_context():
        macro = app.jinja_env.get_template("analysis/_tables.html").module.percent
        assert str(macro(0.999)) == "&gt;\xa099&nbsp;%"
        assert str(macro(0.125)) == "13&nbsp;%"
