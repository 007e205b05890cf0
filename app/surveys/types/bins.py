"""The bins of a number's distribution, from the bounds the questionnaire gives: never from the
answers, since the lowest and highest answers are each one person's."""

from decimal import ROUND_FLOOR, Decimal

from flask_babel import gettext as _

STEPS = (1, 2, 2.5, 5)  # bin widths: these times a power of ten
MAX_BINS = 10


def bins(low: Decimal | None, high: Decimal | None, decimal: bool):
    """[(lower, upper)] edges, or None without both bounds. Each bin holds its lower edge, not
    its upper one, except the last, which ends at the upper bound and holds it. Whole numbers
    get whole bins."""
    if low is None or high is None or high <= low:
        return None
    power = Decimal("0.01") if decimal else Decimal(1)
    while True:
        for step in STEPS:
            width = Decimal(str(step)) * power
            if not decimal and width != width.to_integral_value():
                continue
            edges = _edges(low, high, width, whole=not decimal)
            if len(edges) <= MAX_BINS:
                return edges
        power *= 10


def _edges(low: Decimal, high: Decimal, width: Decimal, whole: bool):
    """Whole numbers: bins from the lower bound (1–2, 3–4…); decimals: from a round edge."""
    start = low if whole else (low / width).to_integral_value(rounding=ROUND_FLOOR) * width
    edges = []
    while start <= high:
        edges.append([start, start + width])
        start += width
    if len(edges) > 1 and edges[-1][0] == high and not (whole and width == 1):
        edges.pop()  # the upper bound alone: with the bin before
    edges[-1][1] = max(edges[-1][1], high) if whole and width == 1 else high
    return [(a, b) for a, b in edges]


def bin_of(edges, value) -> str | None:
    """The key (« 0 », « 1 »…) of the bin that holds a value."""
    number = Decimal(str(value))
    for i, (low, high) in enumerate(edges):
        if low <= number < high or (i == len(edges) - 1 and low <= number <= high):
            return str(i)
    return None


def labels(edges, low_bound: Decimal, high_bound: Decimal, decimal: bool) -> dict[str, str]:
    found = {}
    for i, (low, high) in enumerate(edges):
        low, last = max(low, low_bound), i == len(edges) - 1
        if decimal:
            text = _("%(low)s to %(high)s", low=_text(low), high=_text(high))
            if not last:
                text = _("%(low)s to less than %(high)s", low=_text(low), high=_text(high))
        else:
            top = min(high if last else high - 1, high_bound)
            text = _text(low) if top == low else f"{_text(low)} – {_text(top)}"
        found[str(i)] = text
    return found


def _text(value: Decimal) -> str:
    return format(value.normalize(), "f").replace(".", ",")
