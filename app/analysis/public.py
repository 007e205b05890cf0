"""The public results of a questionnaire: counts per answer, small cells protected.

Only what a question's type makes safe to publish: choices, scales, matrices, places and the
mean and median of numbers. Free text and dates stay with the committee (a sentence or a date
can name a person); so do the lowest and highest numbers (each is one person's answer).
"""

import math
from collections import Counter
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, Decimal

from flask_babel import gettext as _

from app.analysis.stats import wilson
from app.analysis.suppression import Cell, Line, protect, protect_grid
from app.analysis.tallies import Tallies
from app.analysis.words import most_used
from app.surveys.text import localize
from app.surveys.types.choice import ChoiceQuestion, MultipleChoice, Ranking
from app.surveys.types.entry import Number, ShortText
from app.surveys.types.place import PlaceQuestion
from app.surveys.types.scale import DONT_KNOW, Matrix, Scale
from app.territory.places import ELSEWHERE, UNDISCLOSED


@dataclass
class Table:
    """One protected table: (key, label) rows and their counts; several per matrix."""

    title: str | None
    labels: dict[str, str]
    line: Line
    row: str | None = None  # the matrix row this table is about
    weighted: dict[str, float | None] | None = None  # weighted shares, when asked for
    effective: float | None = None  # Kish's effective sample size of the weighted shares
    weighted_to: str | None = None  # "communes" or "ages"
    words: bool = False  # the words of free-text answers (see analysis.words)

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
    broken_down: bool = True  # False: not shown for a group (see analysis.filtered)
    scores: dict[str, float | None] | None = None  # a ranking's mean points per choice


@dataclass
class PublicResults:
    responses: int
    shown: bool  # False while fewer than k people have answered
    k: int
    questions: list[QuestionResult]


@dataclass
class Codes:
    """The committee's codebook (code id → label) and, by free-text question, how many people's
    answers carry each code (see analysis.codebook)."""

    labels: dict[int, str]
    counts: dict[str, Counter]


@dataclass
class Summary:
    """One question's answers, counted: what every table and figure is made from."""

    answered: int = 0  # people with an answer
    counts: Counter = field(default_factory=Counter)  # choice, point or place → people
    rows: dict[str, Counter] = field(default_factory=dict)  # a matrix row → its counts
    grid: Counter = field(default_factory=Counter)  # a ranking: (choice, place from 0) → people
    numbers: Counter = field(default_factory=Counter)  # a number or point → people
    words: Counter = field(default_factory=Counter)  # a word of free text → people


def summary(question, tallies: Tallies) -> Summary:
    """The question's counts from the tallies (analysis.tallies), read as its type stores them."""
    found = Summary(tallies.answered.get(question.id, 0))
    found.words = tallies.words.get(question.id, Counter())
    for (row_id, choice_id, position, value, nis), n in tallies.answers.get(
        question.id, {}
    ).items():
        if isinstance(question, Matrix):
            found.rows.setdefault(row_id, Counter())[choice_id] += n
        elif isinstance(question, Scale):
            if choice_id == DONT_KNOW:
                found.counts[DONT_KNOW] += n
            elif value:
                point = int(float(value))
                found.counts[str(point)] += n
                found.numbers[point] += n
        elif isinstance(question, PlaceQuestion):
            found.counts[nis or choice_id] += n
        elif isinstance(question, Number):
            if value:
                found.numbers[float(value)] += n
        elif isinstance(question, ChoiceQuestion):
            found.counts[choice_id] += n
            if position:
                found.grid[(choice_id, position - 1)] += n
    return found


def public_results(
    definition, tallies: Tallies, k: int, lang: str, words: bool = False, codes=None
) -> PublicResults:
    """words: also list the free-text and date questions with how many answered them, the words
    they used and the codes the committee gave them (for the committee; the public never sees
    them)."""
    responses = tallies.total
    if responses < k:
        return PublicResults(responses, False, k, [])
    results = []
    for question in definition.questions():
        counted = summary(question, tallies)
        result = _result(question, counted, k, lang)
        if result is None and words and question.asks:
            result = QuestionResult(
                question.id, question.text(lang), _at_least(counted.answered, k)
            )
            if isinstance(question, ShortText) and result.answered is not None:
                _words(result, counted.words, k)
                if codes is not None and codes.labels:
                    _coded(result, codes, counted.answered, k)
        if result is not None:
            results.append(result)
    _withhold_followers(definition, results)
    return PublicResults(responses, True, k, results)


def _withhold_followers(definition, results: list[QuestionResult]) -> None:
    """A question asked only after some answers counts the people who gave them: its « N
    answered » (or any share with its count) would tell a figure its source table hides. Such a
    question is withheld while the table it follows hides anything."""
    by_id = {r.id: r for r in results}
    for result in results:
        if any(_hides(by_id.get(source)) for source in sources(definition, result.id)):
            result.answered, result.tables, result.withheld = None, [], True
            result.mean = result.median = None


def sources(definition, question_id: str) -> set[str]:
    """The questions whose answers decide whether (or with which choices) this one is asked:
    its own condition, its page's condition, the question its choices come from."""
    from app.surveys import logic

    found = set()
    for page in definition.pages:
        for question in page.questions:
            if question.id != question_id:
                continue
            found |= {getattr(question, "choices_from", None)} - {None}
            for condition in (page.show_if, question.show_if):
                if condition:
                    found |= {ref.question for ref in logic.references(logic.parse(condition))}
    return found - {question_id}


def _hides(result: QuestionResult | None) -> bool:
    if result is None:
        return False
    return (
        result.withheld
        or any(cell.hidden for table in result.tables for cell in table.line.cells.values())
        or result.answered is None
    )


def _result(question, counted: Summary, k: int, lang: str) -> QuestionResult | None:
    label = question.text(lang)
    if isinstance(question, Matrix):
        return _matrix(question, counted, k, lang, label)
    if isinstance(question, Scale):
        points = [str(p) for p in question.points()] + ([DONT_KNOW] if question.dont_know else [])
        labels = {p: _("I don't know") if p == DONT_KNOW else p for p in points}
        result = _one_table(question.id, label, labels, counted.counts, k)
        _statistics(result, counted.numbers, k)
        return result
    if isinstance(question, ChoiceQuestion):
        labels = {c.id: question.display({question.id: c.id}, lang) for c in question.choices}
        several = isinstance(question, MultipleChoice | Ranking)
        result = _one_table(
            question.id,
            label,
            labels,
            counted.counts,
            k,
            several,
            counted.answered,
            _adds_up(question),
        )
        if isinstance(question, Ranking):
            _scores(result, question, counted, k)
        return result
    if isinstance(question, PlaceQuestion):
        return _places(question, counted, k, label)
    if isinstance(question, Number):
        result = QuestionResult(question.id, label, _at_least(counted.answered, k))
        _statistics(result, counted.numbers, k)
        _distribution(result, question, counted.numbers, k)
        return result
    return None  # free text, dates, notes: not published


def _scores(result: QuestionResult, question: Ranking, counted: Summary, k: int) -> None:
    """Mean points per choice among the people who ranked: the first place earns as many points
    as there are places to fill, the next one less, a choice left unranked none.

    A score with its count tells how many people put the choice at each place (with two places,
    points − people = first places). So the table choice × place is protected like any two-way
    table, its row totals being the counts already shown, and a score is shown only when every
    cell of its row is."""
    if result.answered is None or not counted.answered:
        return
    size = question.positions()
    places = [str(place) for place in range(size)]
    grid = {c.id: dict.fromkeys(places, 0) for c in question.choices}
    points = Counter()
    for (choice, place), n in counted.grid.items():
        if choice in grid and place < size:
            grid[choice][str(place)] += n
            points[choice] += (size - place) * n
    cells = result.tables[0].line.cells
    protected = protect_grid(grid, k, row_margins=dict(cells))
    result.scores = {
        c.id: None
        if protected.withheld or any(cell.hidden for cell in protected.cells[c.id].values())
        else points[c.id] / counted.answered
        for c in question.choices
    }


def _words(result: QuestionResult, people: Counter, k: int) -> None:
    """The words at least k people used, as a table of « several answers » (no hidden cell: the
    other words are simply not listed)."""
    used = most_used(people, k)
    if used:
        line = Line({w: Cell(n) for w, n in used.items()}, result.answered)
        result.tables = [Table(_("Most used words"), {w: w for w in used}, line, words=True)]
        result.several = True


def _coded(result: QuestionResult, codes: Codes, answered: int, k: int) -> None:
    """The codes count like the choices of a question with several answers: among the people
    who wrote an answer, each code's count, small ones protected."""
    given = codes.counts.get(result.id, Counter())
    counts = Counter({str(code): n for code, n in given.items()})
    labels = {str(code): label for code, label in codes.labels.items()}
    made = _one_table(result.id, result.label, labels, counts, k, True, answered, False)
    table = made.tables[0]
    table.title = _("Codes given by the committee")
    result.tables.append(table)
    result.several = True


def _adds_up(question) -> bool:
    """Several answers per person whose counts still add up to something readers know: a
    required ranking (everyone ranks as many), or exactly n choices to pick."""
    if isinstance(question, Ranking):
        return question.required
    if isinstance(question, MultipleChoice):
        return question.min_choices is not None and question.min_choices == question.max_choices
    return True


def _one_table(
    qid, label, labels, counts, k, several=False, answered=None, adds_up=True
) -> QuestionResult:
    ordered = {key: counts.get(key, 0) for key in labels}
    line = protect(ordered, k, additive=adds_up, total=None if adds_up else answered)
    if several and adds_up:  # protected on the sum, shown against the people who answered
        shown = line.total is not None and answered is not None and answered >= k
        line = Line(line.cells, answered if shown else None)
    return QuestionResult(qid, label, line.total, [Table(None, labels, line)], several)


def _matrix(question: Matrix, counted: Summary, k: int, lang: str, label: str) -> QuestionResult:
    labels = {c.id: localize(c.label, lang) for c in question.scale}
    tables = []
    for row in question.rows:
        counts = counted.rows.get(row.id, Counter())
        line = protect({key: counts.get(key, 0) for key in labels}, k)
        tables.append(Table(localize(row.label, lang), labels, line, row.id))
    return QuestionResult(question.id, label, _at_least(counted.answered, k), tables)


def _places(question, counted: Summary, k: int, label: str) -> QuestionResult:
    from app.territory.queries import communes

    labels = {c.nis: c.name for c in communes()}
    labels |= {
        ELSEWHERE: _("Elsewhere (outside these communes)"),
        UNDISCLOSED: _("I prefer not to say"),
    }
    return _one_table(question.id, label, labels, counted.counts, k)


STEPS = (1, 2, 2.5, 5)  # bin widths: these times a power of ten
MAX_BINS = 10


def bins(question: Number) -> list[tuple[Decimal, Decimal]] | None:
    """The bins of a number's distribution, from the bounds the questionnaire gives (never from
    the answers: the lowest and highest answers are each one person's). None without both
    bounds. Each bin holds its lower edge, not its upper one, except the last, which ends at
    the upper bound and holds it. Whole numbers get whole bins."""
    low, high = question.min, question.max
    if low is None or high is None or high <= low:
        return None
    power = Decimal("0.01") if question.decimal else Decimal(1)
    while True:
        for step in STEPS:
            width = Decimal(str(step)) * power
            if not question.decimal and width != width.to_integral_value():
                continue
            edges = _edges(low, high, width, whole=not question.decimal)
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


def _bin_labels(question: Number, edges) -> dict[str, str]:
    labels = {}
    for i, (low, high) in enumerate(edges):
        low, last = max(low, question.min), i == len(edges) - 1
        if question.decimal:
            text = _("%(low)s to %(high)s", low=_number_text(low), high=_number_text(high))
            if not last:
                text = _(
                    "%(low)s to less than %(high)s", low=_number_text(low), high=_number_text(high)
                )
        else:
            top = min(high if last else high - 1, question.max)
            text = _number_text(low) if top == low else f"{_number_text(low)} – {_number_text(top)}"
        labels[str(i)] = text
    return labels


def _number_text(value: Decimal) -> str:
    return format(value.normalize(), "f").replace(".", ",")


def _distribution(result: QuestionResult, question: Number, numbers: Counter, k: int) -> None:
    """How many people gave a number in each bin, small bins protected like any table. The
    mean and median stay beside it (worked out before, as for a number without bins): a
    value inside a bin is not shown, so a mean cannot be solved for a hidden bin's count."""
    edges = bins(question)
    if edges is None or result.answered is None:
        return
    counts = Counter()
    for value, n in numbers.items():
        number = Decimal(str(value))
        for i, (low, high) in enumerate(edges):
            if low <= number < high or (i == len(edges) - 1 and low <= number <= high):
                counts[str(i)] += n
                break
    labels = _bin_labels(question, edges)
    made = _one_table(question.id, result.label, labels, counts, k)
    result.tables = made.tables


def _at_least(count: int, k: int) -> int | None:
    return count if count >= k else None


def _statistics(result: QuestionResult, numbers: Counter, k: int) -> None:
    # With counts per value shown, a mean (or median) would let hidden counts be solved for.
    hidden = any(c.hidden for table in result.tables for c in table.line.cells.values())
    people = sum(numbers.values())
    if people >= k and not hidden:
        result.mean = math.fsum(float(v) * n for v, n in numbers.items()) / people
        result.median = _median(numbers, people)


def _median(numbers: Counter, people: int) -> float:
    """The median of the values as counted (the mean of the two middle ones for an even
    number of people)."""
    middle = [(people - 1) // 2, people // 2]
    found, seen = [], 0
    for value in sorted(numbers):
        seen += numbers[value]
        while middle and middle[0] < seen:
            found.append(value)
            middle.pop(0)
    return (found[0] + found[1]) / 2
