"""Post-stratification weights and Kish's effective sample size (see results.weighting)."""

# The largest weight kept: a respondent counts for at most this many times their share of the
# respondents. Ten people of a small commune weighing 16 each would carry that commune's
# figures on a handful of answers; a cap of 3.5 is the usual rule of survey offices (trimming
# at 3.5–5 times the mean weight), and the weights are then scaled back to a mean of 1.
MOST_WEIGHT = 3.5


def post_stratified(sizes: dict[str, int], population: dict[str, int]) -> dict[str, float]:
    """The weight of each respondent of a stratum: the stratum's share of the population over
    its share of the respondents, both among the strata that have respondents, trimmed at
    MOST_WEIGHT (then scaled so that the weights still average 1 over the respondents, and
    trimmed again until none is above it). sizes: the respondents of each weighted stratum (a
    commune or an age band whose count is shown: a weight, or Kish's effective size, worked
    out from a hidden count would tell it; a review solved a hidden commune count from the
    effective size)."""
    sizes = {key: n for key, n in sizes.items() if n and population.get(key)}
    people = sum(population[key] for key in sizes)
    respondents = sum(sizes.values())
    weights = {key: (population[key] / people) / (n / respondents) for key, n in sizes.items()}
    for _ in range(50):  # a few rounds at most: each caps the largest and lifts the rest
        if all(w <= MOST_WEIGHT + 1e-9 for w in weights.values()):
            break
        capped = {key: min(w, MOST_WEIGHT) for key, w in weights.items()}
        free = sum(sizes[k] * w for k, w in capped.items() if w < MOST_WEIGHT)
        held = sum(sizes[k] * MOST_WEIGHT for k, w in capped.items() if w >= MOST_WEIGHT)
        scale = (respondents - held) / free if free else 1.0
        weights = {k: w if w >= MOST_WEIGHT else w * scale for k, w in capped.items()}
    return weights


def effective_size(weights: dict[str, float], sizes: dict[str, int]) -> float:
    """Kish's (Σw)² / Σw² over the respondents, `sizes[s]` of them weighing `weights[s]`."""
    total = sum(weights[s] * n for s, n in sizes.items())
    squares = sum(weights[s] * weights[s] * n for s, n in sizes.items())
    return total * total / squares if squares else 0.0
