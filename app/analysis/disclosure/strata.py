"""Post-stratification weights and Kish's effective sample size (see results.weighting)."""


def post_stratified(sizes: dict[str, int], population: dict[str, int]) -> dict[str, float]:
    """The weight of each respondent of a stratum: the stratum's share of the population over
    its share of the respondents, both among the strata that have respondents. sizes: the
    respondents of each weighted stratum (a commune or an age band whose count is shown: a
    weight, or Kish's effective size, worked out from a hidden count would tell it; a review
    solved a hidden commune count from the effective size)."""
    sizes = {key: n for key, n in sizes.items() if n and population.get(key)}
    people = sum(population[key] for key in sizes)
    respondents = sum(sizes.values())
    return {key: (population[key] / people) / (n / respondents) for key, n in sizes.items()}


def effective_size(weights: dict[str, float], sizes: dict[str, int]) -> float:
    """Kish's (Σw)² / Σw² over the respondents, `sizes[s]` of them weighing `weights[s]`."""
    total = sum(weights[s] * n for s, n in sizes.items())
    squares = sum(weights[s] * weights[s] * n for s, n in sizes.items())
    return total * total / squares if squares else 0.0
