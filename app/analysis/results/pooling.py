"""Strata too small to be shown are weighted together, as one (survey offices collapse strata
too small to stand alone; the platform's rule keeps the pool's figures to what is known).

For each question, the pool holds every stratum whose count is hidden in the strata's own
table (a commune of « < k », with any other hidden figure of that table, so that the pool's
size is the total less the figures shown) and every stratum whose row of the question's table
hides a figure. The pool's row is then each column's total less the rows shown
(crosstab.sum_of): known already, so the weighted share, worked out from shown and known
figures alone, tells nothing. A review found no question weighted on realistic data when
every weighted stratum had to show every figure.
"""

from dataclasses import dataclass

from app.analysis.disclosure.strata import post_stratified
from app.analysis.disclosure.suppression import Grid

# The pooled stratum's key (never a commune's NIS code or an age band's id).
POOLED = "pooled-strata"


@dataclass(frozen=True)
class Strata:
    sizes: dict[str, int]  # respondents of each stratum, shown or hidden in the strata's table
    population: dict[str, int]  # inhabitants of each stratum that stands for a population
    hidden: frozenset  # hidden in the strata's own table: always in the pool

    def pool_for(self, grid: Grid) -> set[str]:
        """The strata pooled for the question whose table by stratum is `grid`."""
        pool = set(self.hidden)
        for key in self.sizes:
            row = grid.cells.get(key, {})
            if any(cell.hidden for cell in row.values()):
                pool.add(key)
        return pool if any(self.population.get(key) for key in pool) else set()

    def weights(self, pool: set[str]) -> dict[str, float]:
        """Post-stratified weights of the strata outside the pool, and of the pool."""
        sizes = {k: n for k, n in self.sizes.items() if k not in pool and k not in self.hidden}
        people = {key: n for key, n in self.population.items() if key not in pool}
        if pool:
            sizes[POOLED] = sum(self.sizes.get(key, 0) for key in pool)
            people[POOLED] = sum(self.population.get(key, 0) for key in pool)
        return post_stratified(sizes, people)


def pooled(grid: Grid, counts: dict, pool: set[str]) -> tuple[Grid, dict]:
    """The table with the pool's row added (POOLED): its counts added up, its figures shown
    where crosstab.sum_of shows them (no hidden figure outside the pool in that line)."""
    from app.analysis.results.crosstab import sum_of

    if not pool:
        return grid, counts
    columns = list(grid.column_totals)
    counts = counts | {
        POOLED: {c: sum(counts.get(key, {}).get(c, 0) for key in pool) for c in columns}
    }
    down = {c: {r: row[c] for r, row in grid.cells.items()} for c in columns}
    grid = Grid(
        grid.cells | {POOLED: {c: sum_of(down[c], grid.column_totals[c], pool) for c in columns}},
        grid.row_totals | {POOLED: sum_of(grid.row_totals, grid.total, pool)},
        grid.column_totals,
        grid.total,
    )
    return grid, counts
