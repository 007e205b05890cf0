"""Each question's protected results, made from its counts as its type reads them.

The type says what it shows (surveys.types: its tables, its distribution, whether its answers
are several per person, add up, have a mean, are ranked); this module builds the tables and
protects them, the same way for every type. Only what a type makes safe to publish goes to the
public: choices, scales, matrices, places and the mean and median of numbers. Free text and
dates stay with the committee (a sentence or a date can name a person): how many answered, the
words many people used and the committee's codes. So do the lowest and highest numbers (each is
one person's answer).
"""

import math
from collections import Counter

from flask_babel import gettext as _

from app.analysis.disclosure.linked import carried_line
from app.analysis.disclosure.suppression import Cell, Line, protect_grid
from app.analysis.results.model import PublicResults, QuestionResult, Table
from app.surveys.text import plain

TOP_WORDS = 20


def question_results(definition, counted, k: int, lang: str, committee: bool = False, earlier=()):
    """The results of every question (counted: analysis.counting.Counts). committee: also the
    free-text and date questions, with how many answered them, the words they used and the
    codes the committee gave them (the public never sees them). earlier: the results of each
    earlier release, when these are a release's (each table is protected against them)."""
    responses = counted.total
    if responses < k:
        return PublicResults(responses, False, k, [])
    results = []
    before = [{r.id: r for r in found.questions} for found in earlier]
    for question in definition.questions():
        summary = counted.summary(question)
        olds = [found[question.id] for found in before if question.id in found]
        result = question_result(question, summary, k, lang, olds)
        if result is None and committee and question.asks:
            result = QuestionResult(
                question.id, plain(question.text(lang)), _at_least(summary.answered, k)
            )
            if question.free_text and result.answered is not None:
                _words(result, summary.words, k)
                if counted.codes:
                    _coded(result, counted, summary.answered, k, olds)
        if result is not None:
            results.append(result)
    withhold_followers(definition, results)
    return PublicResults(responses, True, k, results)


def question_result(question, summary, k: int, lang: str, earlier=()) -> QuestionResult | None:
    """One question's tables, protected; None for what is not published. earlier: the
    question's results in earlier releases."""
    if not question.published or not question.asks:
        return None
    label = plain(question.text(lang))
    specs = question.tables(lang)
    if len(specs) == 1 and specs[0].row is None:  # one table: its total is who answered
        result = _one_table(
            question.id,
            label,
            specs[0].labels,
            summary.counts,
            k,
            question.several,
            summary.answered,
            question.adds_up(),
            _areas() if question.residence else None,
            _before(earlier, None, None),
        )
    else:  # a table per row of a matrix, each on its own; or none (a number)
        tables = []
        for spec in specs:
            counts = summary.rows.get(spec.row, Counter())
            ordered = {key: counts.get(key, 0) for key in spec.labels}
            old = _before(earlier, spec.title, spec.row)
            line, figures = carried_line(ordered, k, old)
            tables.append(Table(spec.title, spec.labels, line, spec.row, counts=figures))
        result = QuestionResult(question.id, label, _at_least(summary.answered, k), tables)
        scale = getattr(question, "scale", None)
        if scale is not None:  # a matrix: its scale's direction, for the chart
            ordered = [c.id for c in scale if not c.missing]
            if question.scale_order == "positive_first":
                ordered.reverse()
            result.polarity = ordered
            result.apart = [c.id for c in scale if c.missing]
    if question.statistics:
        _statistics(result, summary.numbers, k)
    distribution = question.distribution(lang)
    if distribution is not None and result.answered is not None:
        # The mean and median stay beside it (worked out before, as for a number without
        # bins): a value inside a bin is not shown, so a mean cannot be solved for a hidden
        # bin's count.
        made = _one_table(
            question.id,
            label,
            distribution.labels,
            summary.counts,
            k,
            earlier=_before(earlier, None, None),
        )
        result.tables = made.tables
    if question.scored:
        _scores(result, question, summary, k)
    return result


def withhold_followers(definition, results: list[QuestionResult]) -> None:
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


def _scores(result: QuestionResult, question, summary, k: int) -> None:
    """Mean points per choice among the people who ranked: the first place earns as many points
    as there are places to fill, the next one less, a choice left unranked none.

    A score with its count tells how many people put the choice at each place (with two places,
    points − people = first places). So the table choice × place is protected like any two-way
    table, its row totals being the counts already shown, and a score is shown only when every
    cell of its row is."""
    if result.answered is None or not summary.answered:
        return
    size = question.positions()
    places = [str(place) for place in range(size)]
    grid = {c.id: dict.fromkeys(places, 0) for c in question.choices}
    points = Counter()
    for (choice, place), n in summary.grid.items():
        if choice in grid and place < size:
            grid[choice][str(place)] += n
            points[choice] += (size - place) * n
    cells = result.tables[0].line.cells
    protected = protect_grid(grid, k, row_margins=dict(cells))
    result.score_max = size
    result.scores = {
        c.id: None
        if protected.withheld or any(cell.hidden for cell in protected.cells[c.id].values())
        else points[c.id] / summary.answered
        for c in question.choices
    }


def most_used(people: Counter, k: int, top: int = TOP_WORDS) -> dict[str, int]:
    """The words at least k people used, the most used first."""
    kept = [(word, n) for word, n in people.items() if n >= k]
    kept.sort(key=lambda item: (-item[1], item[0]))
    return dict(kept[:top])


def _words(result: QuestionResult, people: Counter, k: int) -> None:
    """The words at least k people used, as a table of « several answers » (no hidden cell: the
    other words are simply not listed)."""
    used = most_used(people, k)
    if used:
        line = Line({w: Cell(n) for w, n in used.items()}, result.answered)
        result.tables = [Table(_("Most used words"), {w: w for w in used}, line, words=True)]
        result.several = True


def _coded(result: QuestionResult, counted, answered: int, k: int, earlier=()) -> None:
    """The codes count like the choices of a question with several answers: among the people
    who wrote an answer, each code's count, small ones protected."""
    given = counted.coded.get(result.id, Counter())
    counts = Counter({str(code): n for code, n in given.items()})
    labels = {str(code): label for code, label in counted.codes.items()}
    title = _("Codes given by the committee")
    old = _before(earlier, title, None)
    made = _one_table(result.id, result.label, labels, counts, k, True, answered, False, None, old)
    table = made.tables[0]
    table.title = title
    result.tables.append(table)
    result.several = True


def _one_table(
    qid,
    label,
    labels,
    counts,
    k,
    several=False,
    answered=None,
    adds_up=True,
    groups=None,
    earlier=(),
) -> QuestionResult:
    """earlier: the same table in earlier releases (_before)."""
    ordered = {key: counts.get(key, 0) for key in labels}
    # several answers that add up: protected on the sum, shown against the people who answered
    line, figures = carried_line(
        ordered,
        k,
        earlier,
        additive=adds_up,
        total=None if adds_up else answered,
        groups=groups,
        answered=answered,
        against_answered=several and adds_up,
    )
    table = Table(None, labels, line, counts=figures)
    return QuestionResult(qid, label, line.total, [table], several)


def _before(earlier, title, row) -> list:
    """The same table of the question in each earlier release: (Line, its figures). A matrix
    row by its key; else the question's own table (no title) or the committee's codes (a
    title), never by a title's words (another language, a reworded version)."""
    found = []
    for result in earlier:
        for table in result.tables:
            same = table.row == row if row is not None else (table.title is None) == (title is None)
            if same and not table.words and table.counts is not None:
                found.append((table.line, table.counts))
                break
    return found


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


def _areas() -> dict[str, str]:
    """Each commune's area: a place question's complements stay in a small commune's area."""
    from app.territory.queries import communes

    return {c.nis: c.area for c in communes()}
