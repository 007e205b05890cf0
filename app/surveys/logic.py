"""show_if conditions: a small expression language, parsed into a tree (never eval).

    has_car == 'no'
    age_band in ['65-79', '80+'] and not answered(transport)
    children >= 1 or (household == 'single_parent')
    barriers == 'mobility'            # multiple choice: « mobility » is among the choices
    satisfaction.bus <= 2             # a matrix row
    count(transport) >= 2             # how many answers were ticked (or matrix rows answered)

A condition about an unanswered question is false (`!=` included); use answered(q) to ask.
"""

import functools
import operator
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

TOKEN = re.compile(
    r"\s*(?:(?P<num>-?\d+(?:\.\d+)?)|(?P<str>'[^']*'|\"[^\"]*\")|(?P<op>==|!=|<=|>=|<|>)"
    r"|(?P<punct>[()\[\],])|(?P<name>[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)?))",
)
KEYWORDS = {"and", "or", "not", "in", "answered", "count", "true", "false"}
MAX_LENGTH = 500
MAX_DEPTH = 20
OPERATORS = {
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


class ConditionError(ValueError):
    """A condition that cannot be read; the message says where."""


@dataclass(frozen=True)
class Ref:
    question: str
    row: str | None = None


@dataclass(frozen=True)
class Compare:
    ref: Ref
    op: str
    value: Any


@dataclass(frozen=True)
class In:
    ref: Ref
    values: tuple


@dataclass(frozen=True)
class NotIn:
    """« q not in [...] »: like every condition, false when q is unanswered."""

    ref: Ref
    values: tuple


@dataclass(frozen=True)
class Answered:
    ref: Ref


@dataclass(frozen=True)
class Count:
    """How many answers were ticked, compared with a number."""

    ref: Ref
    op: str
    value: int


@dataclass(frozen=True)
class Not:
    operand: Any


@dataclass(frozen=True)
class BoolOp:
    op: str  # and, or
    operands: tuple


def _tokens(text: str) -> list[tuple[str, str]]:
    out, pos = [], 0
    text = text.rstrip()
    while pos < len(text):
        match = TOKEN.match(text, pos)
        if not match or match.end() == pos:
            raise ConditionError(f"cannot read the condition at « {text[pos:].strip()[:20]} »")
        kind = match.lastgroup
        value = match.group(kind)
        if (kind == "name" and value in KEYWORDS) or kind == "punct":
            kind = value
        out.append((kind, value))
        pos = match.end()
    return out


class _Parser:
    def __init__(self, text: str):
        if len(text) > MAX_LENGTH:
            raise ConditionError(f"the condition is longer than {MAX_LENGTH} characters")
        self.tokens = _tokens(text)
        self.i = 0
        self.depth = 0

    def nested(self):
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ConditionError("the condition is nested too deeply")

    def peek(self) -> str | None:
        return self.tokens[self.i][0] if self.i < len(self.tokens) else None

    def take(self, kind: str) -> str:
        if self.peek() != kind:
            found = self.tokens[self.i][1] if self.i < len(self.tokens) else "the end"
            raise ConditionError(f"expected {kind!r} but found « {found} »")
        self.i += 1
        return self.tokens[self.i - 1][1]

    def parse(self):
        if not self.tokens:
            raise ConditionError("the condition is empty")
        node = self.or_()
        if self.peek() is not None:
            raise ConditionError(f"unexpected « {self.tokens[self.i][1]} »")
        return node

    def or_(self):
        nodes = [self.and_()]
        while self.peek() == "or":
            self.i += 1
            nodes.append(self.and_())
        return nodes[0] if len(nodes) == 1 else BoolOp("or", tuple(nodes))

    def and_(self):
        nodes = [self.not_()]
        while self.peek() == "and":
            self.i += 1
            nodes.append(self.not_())
        return nodes[0] if len(nodes) == 1 else BoolOp("and", tuple(nodes))

    def not_(self):
        if self.peek() == "not":
            self.i += 1
            self.nested()
            return Not(self.not_())
        return self.atom()

    def atom(self):
        kind = self.peek()
        if kind == "(":
            self.i += 1
            self.nested()
            node = self.or_()
            self.take(")")
            return node
        if kind in ("answered", "count"):
            self.i += 1
            self.take("(")
            ref = self.ref()
            self.take(")")
            if kind == "answered":
                return Answered(ref)
            op = self.take("op")
            value = self.literal()
            if not isinstance(value, int) or isinstance(value, bool):
                raise ConditionError("count(…) is compared with a whole number")
            return Count(ref, op, value)
        ref = self.ref()
        if self.peek() == "op":
            op = self.take("op")
            return Compare(ref, op, self.literal())
        if self.peek() == "not":
            self.i += 1
            self.take("in")
            return NotIn(ref, self.list_())
        if self.peek() == "in":
            self.i += 1
            return In(ref, self.list_())
        raise ConditionError(f"« {ref.question} » needs a comparison, « in » or answered(…)")

    def ref(self) -> Ref:
        name = self.take("name")
        question, _, row = name.partition(".")
        return Ref(question, row or None)

    def literal(self):
        kind = self.peek()
        if kind == "num":
            raw = self.take("num")
            return Decimal(raw) if "." in raw else int(raw)
        if kind == "str":
            return self.take("str")[1:-1]
        if kind in ("true", "false"):
            self.i += 1
            return kind == "true"
        found = self.tokens[self.i][1] if self.i < len(self.tokens) else "the end"
        raise ConditionError(f"expected a value ('text' or a number) but found « {found} »")

    def list_(self) -> tuple:
        self.take("[")
        values = [self.literal()]
        while self.peek() == ",":
            self.i += 1
            values.append(self.literal())
        self.take("]")
        return tuple(values)


@functools.lru_cache(maxsize=4096)
def parse(text: str):
    """The tree of a condition; trees are immutable, so each text is parsed once per process."""
    return _Parser(text).parse()


def references(node) -> set[Ref]:
    if isinstance(node, Compare | In | NotIn | Answered | Count):
        return {node.ref}
    if isinstance(node, Not):
        return references(node.operand)
    return set().union(*(references(n) for n in node.operands))


def literals(node) -> list[tuple[Ref, Any]]:
    """(reference, value) pairs, so the validator can check values against choices."""
    if isinstance(node, Compare):
        return [(node.ref, node.value)]
    if isinstance(node, In | NotIn):
        return [(node.ref, v) for v in node.values]
    if isinstance(node, Answered | Count):
        return []
    if isinstance(node, Not):
        return literals(node.operand)
    return [pair for n in node.operands for pair in literals(n)]


def _lookup(ref: Ref, answers: dict) -> Any:
    value = answers.get(ref.question)
    if ref.row is not None:
        value = value.get(ref.row) if isinstance(value, dict) else None
    return value


def _comparable(value, wanted):
    if hasattr(value, "nis") and isinstance(wanted, str):  # a place: NIS, section code or kind
        return {5: value.nis, 6: value.section}.get(len(wanted)) or value.kind
    if isinstance(wanted, bool):
        return {"yes": True, "no": False}.get(value, value)
    if isinstance(wanted, int | Decimal) and isinstance(value, str):
        try:
            number = Decimal(value)
        except ArithmeticError:
            return None
        return number if number.is_finite() else None
    if isinstance(wanted, str) and isinstance(value, int | Decimal) and not isinstance(value, bool):
        return str(value)  # a choice id such as "1" compared with a scale point 1
    if isinstance(value, date) and isinstance(wanted, str):
        return value.isoformat()
    return value


def _compare(value, op: str, wanted) -> bool:
    if isinstance(value, list | tuple):  # multiple choice or ranking: « is among »
        if op == "==":
            return wanted in value
        if op == "!=":
            return wanted not in value
        return False
    value = _comparable(value, wanted)
    if value is None:
        return False
    if isinstance(wanted, int | Decimal) and isinstance(value, str) and op not in ("==", "!="):
        return False  # « bus » is not smaller or larger than 3
    try:
        return bool(OPERATORS[op](value, wanted))
    except (TypeError, ArithmeticError):
        return False


def evaluate(node, answers: dict) -> bool:
    if isinstance(node, Count):
        value = _lookup(node.ref, answers)
        if isinstance(value, list | tuple | dict):
            n = len(value)
        else:
            n = 0 if value in (None, "") else 1
        return _compare(n, node.op, node.value)
    if isinstance(node, Answered):
        value = _lookup(node.ref, answers)
        return value not in (None, "", [], {})
    if isinstance(node, Compare):
        value = _lookup(node.ref, answers)
        return value not in (None, "", [], {}) and _compare(value, node.op, node.value)
    if isinstance(node, In):
        value = _lookup(node.ref, answers)
        if value in (None, "", [], {}):
            return False
        if isinstance(value, list | tuple):
            return any(v in node.values for v in value)
        return any(_compare(value, "==", v) for v in node.values)
    if isinstance(node, NotIn):
        value = _lookup(node.ref, answers)
        if value in (None, "", [], {}):
            return False
        return not evaluate(In(node.ref, node.values), answers)
    if isinstance(node, Not):
        return not evaluate(node.operand, answers)
    results = (evaluate(n, answers) for n in node.operands)
    return all(results) if node.op == "and" else any(results)


def to_json(node) -> dict:
    """The parsed tree for the browser's evaluator (static/js/site.js): data, never code."""
    if isinstance(node, Compare):
        return {
            "cmp": node.op,
            "q": node.ref.question,
            "row": node.ref.row,
            "v": _plain(node.value),
        }
    if isinstance(node, In | NotIn):
        kind = "in" if isinstance(node, In) else "notin"
        return {kind: [_plain(v) for v in node.values], "q": node.ref.question, "row": node.ref.row}
    if isinstance(node, Answered):
        return {"answered": node.ref.question, "row": node.ref.row}
    if isinstance(node, Count):
        return {"count": node.ref.question, "cmp": node.op, "v": node.value}
    if isinstance(node, Not):
        return {"not": to_json(node.operand)}
    return {node.op: [to_json(n) for n in node.operands]}


def _plain(value):
    return float(value) if isinstance(value, Decimal) else value
