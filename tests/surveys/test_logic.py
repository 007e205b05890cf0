import re
from datetime import date
from decimal import Decimal

import pytest

from app.surveys.logic import ConditionError, Ref, evaluate, parse, references
from app.territory.places import Place


@pytest.mark.parametrize(
    ("condition", "answers", "expected"),
    [
        ("has_car == 'no'", {"has_car": "no"}, True),
        ("has_car == 'no'", {"has_car": "yes"}, False),
        ("has_car == 'no'", {}, False),  # unanswered: false
        ("has_car != 'no'", {}, False),
        ("not has_car == 'no'", {}, True),
        ("age in ['65_79', '80_plus']", {"age": "80_plus"}, True),
        ("age not in ['65_79', '80_plus']", {"age": "25_44"}, True),
        ("transport == 'bus'", {"transport": ["car", "bus"]}, True),  # « is among »
        ("transport != 'bus'", {"transport": ["car"]}, True),
        ("transport in ['bus', 'train']", {"transport": ["train"]}, True),
        ("children >= 2", {"children": 3}, True),
        ("children >= 2", {"children": 1}, False),
        ("km < 2.5", {"km": 2}, True),
        ("answered(remarks)", {"remarks": "ok"}, True),
        ("answered(remarks)", {"remarks": ""}, False),
        ("access.gp == 'hard'", {"access": {"gp": "hard"}}, True),
        ("access.gp == 'hard'", {"access": {"shops": "hard"}}, False),
        ("a == 'x' and (b == 'y' or not answered(c))", {"a": "x", "b": "z"}, True),
        ("a == 'x' and (b == 'y' or not answered(c))", {"a": "x", "b": "z", "c": 1}, False),
        ("has_car == false", {"has_car": "no"}, True),
        ("commune == '56005'", {"commune": Place("section", "56005", "56005B")}, True),
        ("commune == '56005B'", {"commune": Place("section", "56005", "56005B")}, True),
        ("commune == 'elsewhere'", {"commune": Place("elsewhere")}, True),
        ("last == '2026-01-01'", {"last": date(2026, 1, 1)}, True),
        ("count(transport) >= 2", {"transport": ["car", "bus"]}, True),
        ("count(transport) >= 2", {"transport": ["car"]}, False),
        ("count(transport) == 0", {}, True),
        ("count(access) == 2", {"access": {"gp": "easy", "cpas": "hard"}}, True),
        # Found in review: each operator alone, « not in » false when unanswered, no crash on NaN.
        ("has_car != true", {"has_car": "dont_know"}, True),
        ("n != 'abc'", {"n": Decimal(3)}, True),
        ("x not in ['a']", {}, False),
        ("x not in ['a']", {"x": "b"}, True),
        ("age >= 18", {"age": "NaN"}, False),
        ("age >= 18", {"age": "bus"}, False),
        ("commune != '93014'", {"commune": Place("elsewhere")}, True),
        ("commune == '93014'", {"commune": Place("elsewhere")}, False),
    ],
)
def test_conditions(condition, answers, expected):
    assert evaluate(parse(condition), answers) is expected


def test_references():
    node = parse("a == 'x' and not (b.row in [1, 2] or answered(c))")
    assert references(node) == {Ref("a"), Ref("b", "row"), Ref("c")}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("a ==", "expected a value"),
        ("a = 'x'", "cannot read"),
        ("a == 'x' b", "unexpected"),
        ("(a == 'x'", "expected ')'"),
        ("a", "needs a comparison"),
        ("__import__('os')", "cannot read"),
        ("a in 'x'", "expected '['"),
        ("count(a) >= 'x'", "whole number"),
        ("not " * 30 + "answered(a)", "nested too deeply"),
        ("(" * 30 + "answered(a)" + ")" * 30, "nested too deeply"),
        ("answered(a) or " * 100 + "answered(b)", "longer than 500"),
    ],
)
def test_unreadable_conditions_say_where(text, message):
    with pytest.raises(ConditionError, match=re.escape(message)):
        parse(text)
