"""Weighting to age bands keeps to the people living in the questionnaire's territory: the
population by age it is weighted to is theirs, and people from elsewhere (or who did not say
where they live) would otherwise count as residents of their age band.

Each question's table « age band × answer » is then the residents' one, made of figures the
platform publishes or protects as published (the whole three-way table is protected as if read
in full, its « place not answered » layer too, which no page shows), so that a weighted share
tells nothing they do not (results.pooling):
- an age band that nobody from outside the territory is in (the crossing commune × age band
  shows 0 for every other place) has the very row of the published table age band × answer;
- any other band's figures are those of the three-way table commune × age band × answer, as
  protected for pairs (results.together), summed over the territory's communes, or the band's
  figure less those of every other place (crosstab.sum_of). A figure known neither way is
  hidden, and its band pooled with the other hidden ones.
A question asked only after some answers is not weighted where it needs the three-way table:
that table is protected for the question alone, and its « not answered » would tell how many
residents of a band its gate let through, a figure the gate's own tables may hide (a review
recovered one so; pairs withhold such questions too: questions.withhold_followers).
The counts behind the figures are the residents' own, so the weights are theirs too.
"""

from collections.abc import Callable
from dataclasses import dataclass

from app.analysis.disclosure.suppression import Cell, Grid, Line
from app.analysis.results import together
from app.analysis.results.breaking import crossed
from app.analysis.results.crosstab import counted, sum_of
from app.analysis.results.labels import NOT_ANSWERED
from app.analysis.results.questions import sources


@dataclass(frozen=True)
class Residents:
    line: Line  # the territory's residents of each age band, as the published figures tell it
    sizes: dict[str, int]  # the residents of each age band
    table_of: Callable  # (question, row) → the residents' table by age band and its counts


def residents(figures, territory: set[str]) -> Residents | None:
    """The residents' figures by age band; None when the questionnaire does not ask where
    people live (or its age question takes several answers): nobody can be told apart."""
    keys = together.together_keys(figures.definition)
    if keys is None:
        return None
    place, ages = keys
    by_pair = crossed(figures, place, ages)
    bands = list(by_pair.grid.column_totals)
    if by_pair.grid.withheld:  # nothing of the residents' bands is known

        def withheld(question, row):
            key = f"{question.id}.{row}" if row else question.id
            if question.several or question.residence or key == ages:
                return None
            return Grid({}, {}, {}, Cell(None), withheld=True), {}

        hidden = Cell(None, "complement")
        return Residents(Line(dict.fromkeys(bands, hidden), None), {}, withheld)
    grid = by_pair.grid
    inside = [g for g in grid.cells if g in territory]
    people = counted(figures.offered[place], figures.offered[ages], figures.crossings)
    sizes = {b: sum(people[g][b] for g in inside) for b in bands}
    column = {
        b: sum_of({g: grid.cells[g][b] for g in grid.cells}, grid.column_totals[b], inside)
        for b in bands
    }
    everyone = sum_of(grid.row_totals, grid.total, inside)
    # A band with nobody from outside: its figures are the published ones, as they stand.
    alone = {
        b
        for b in bands
        if all(grid.cells[g][b].count == 0 for g in grid.cells if g not in territory)
    }
    line = Line(
        {b: cell for b, cell in column.items() if b != NOT_ANSWERED},
        _less(everyone, column.get(NOT_ANSWERED, Cell(0))),
    )
    sizes.pop(NOT_ANSWERED, None)

    def table_of(question, row):
        if question.several or question.residence:
            return None  # several answers per person, places: not weighted
        key = f"{question.id}.{row}" if row else question.id
        if key == ages or key not in figures.offered:
            return None  # the age question itself: not weighted by itself
        by_age, by_answer = crossed(figures, ages, key), crossed(figures, place, key)
        if by_age.grid.withheld or by_answer.grid.withheld:
            return Grid({}, {}, {}, Cell(None), withheld=True), {}
        answers = list(by_age.grid.column_totals)
        plain = counted(figures.offered[ages], figures.offered[key], figures.crossings)
        shown = {b: dict(by_age.grid.cells[b]) for b in bands}
        counts = {b: dict(plain[b]) for b in bands}
        mixed = [b for b in bands if b not in alone]
        if mixed:
            found = together.counted(figures, keys, key) if _crossed(figures) else None
            if found is None or sources(figures.definition, question.id):
                # no three-way table (a release frozen before them), or a gated question
                return Grid({}, {}, {}, Cell(None), withheld=True), {}
            threeway = found[1]
            cube = together.protected(figures, keys, key)  # None: no pattern protects it
            for b in mixed:
                for a in answers:
                    counts[b][a] = sum(threeway[(g, b, a)] for g in inside)
                    shown[b][a] = (
                        Cell(None, "complement")
                        if cube is None
                        else sum_of(
                            {g: cube[(g, b, a)] for g in grid.cells},
                            by_age.grid.cells[b][a],
                            inside,
                        )
                    )
        columns = {
            a: sum_of(
                {g: by_answer.grid.cells[g][a] for g in by_answer.grid.cells},
                by_answer.grid.column_totals[a],
                inside,
            )
            for a in answers
        }
        return Grid(shown, column, columns, everyone), counts

    return Residents(line, sizes, table_of)


def _crossed(figures) -> bool:
    """Whether the three-way tables can be made (a release frozen before them cannot)."""
    return figures.crossings.crossed_together(*together.together_sources(figures.definition))


def _less(total: Cell, part: Cell) -> int | None:
    return None if total.hidden or part.hidden else total.count - part.count
