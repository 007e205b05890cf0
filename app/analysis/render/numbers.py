"""Shares as people read them: whole per cents, rounded half away from zero (12.5 → 13, as
offices round, not Python's half-to-even), and never a figure that says more than is true:
99.9 % is not « 100 % » (someone answered otherwise), 0.4 % is not « 0 % » (someone did)."""

from decimal import ROUND_HALF_UP, Decimal

from app.analysis.disclosure.suppression import EARLIER


def percent(share: float) -> str:
    """The share (0 to 1) as whole per cents, without the sign: « 13 », « > 99 », « < 1 »."""
    # Through the decimal text of the share: 0.285 * 100 is 28.499999… in binary, 28.5 here.
    whole = int((Decimal(repr(share)) * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    if whole >= 100 and share < 1:
        return "> 99"
    if whole <= 0 and share > 0:
        return "< 1"
    return str(whole)


def hidden_mark(cell, k: int) -> str:
    """How a hidden count is shown: « < k » (fewer than k), • (hidden to protect another) or
    ◦ (hidden so that a figure of an earlier release cannot be worked out)."""
    if cell.reason == "small":
        return f"< {k}"
    return "◦" if cell.reason == EARLIER else "•"
