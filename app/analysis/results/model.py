"""What every results page shows: protected tables, gathered per question."""

from dataclasses import dataclass, field

from app.analysis.disclosure.intervals import wilson
from app.analysis.disclosure.suppression import Line


@dataclass
class Table:
    """One protected table: (key, label) rows and their counts; several per matrix."""

    title: str | None
    labels: dict[str, str]
    line: Line
    row: str | None = None  # the matrix row this table is about
    weighted: dict[str, float | None] | None = None  # weighted shares, when asked for
    effective: float | None = None  # Kish's effective sample size of the weighted shares
    # 95 % intervals of the weighted shares (linearisation: results.weighting.interval)
    weighted_intervals: dict[str, tuple[float, float] | None] | None = None
    weighted_to: str | None = None  # "communes" or "ages"
    # The weight of each stratum (results.pooling.POOLED: the pool's), and the strata pooled.
    weights: dict[str, float] | None = None
    pool: frozenset = frozenset()
    # Why a table of a weighted page is not weighted (results.weighting.NOT_WEIGHTED's keys).
    unweighted: str | None = None
    words: bool = False  # the words of free-text answers
    # The people counted in each row (never shown): what a later release is protected against.
    counts: dict[str, int] | None = None

    def interval(self, key: str) -> tuple[float, float] | None:
        """The 95 % Wilson interval of a shown share (None when hidden)."""
        count, total = self.line.cells[key].count, self.line.total
        return wilson(count, total) if count is not None and total else None


@dataclass
class QuestionResult:
    id: str
    label: str
    answered: int | None  # None when fewer than k answered
    tables: list[Table] = field(default_factory=list)
    several: bool = False  # several answers per person: shares do not add up to 100 %
    mean: float | None = None
    median: float | None = None
    withheld: bool = False  # its figures would reveal a small count of the question it follows
    broken_down: bool = True  # False: not shown for a group (see results.groups)
    together: bool = True  # False: not shown for two groups together (see results.together)
    scores: dict[str, float | None] | None = None  # a ranking's mean points per choice
    score_max: int | None = None  # the points of a first place (the places to fill)
    # A matrix's scale from its most negative answer to its most positive, and the answers that
    # are on no side (« not concerned », « I don't know »): the chart's order and colours.
    polarity: list[str] | None = None
    apart: list[str] = field(default_factory=list)


@dataclass
class PublicResults:
    responses: int
    shown: bool  # False while fewer than k people have answered
    k: int
    questions: list[QuestionResult]
