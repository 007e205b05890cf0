"""Confidence intervals for the shares shown."""

from math import sqrt

Z95 = 1.959963984540054


def wilson(count: int, total: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval of count/total: sound for small samples and shares near 0 or 1,
    where the usual p ± z·√(p(1−p)/n) leaves [0, 1] or shrinks to nothing."""
    if total <= 0:
        raise ValueError("no one answered: a share has no interval")
    p = count / total
    denominator = 1 + z * z / total
    centre = (p + z * z / (2 * total)) / denominator
    half = z / denominator * sqrt(p * (1 - p) / total + z * z / (4 * total * total))
    low = 0.0 if count == 0 else max(0.0, centre - half)
    return low, 1.0 if count == total else min(1.0, centre + half)
