"""A theme's digest: what matters for its working group, first. For each questionnaire, the
questions on the theme that name an indicator (the answer whose share measures the need), with
that answer's share in the whole territory and in each commune.

Nothing new is published: the territory's share is the dashboard's, a commune's is the row
share of the protected table commune × question (results.breaking.crossed), with the very same
cells hidden, as the map by answer shows it."""

from dataclasses import dataclass, field

from app.analysis.results.breaking import crossed
from app.analysis.results.themes import question_themes
from app.analysis.results.weighting import age_question


@dataclass
class Indicator:
    key: str  # the breakdown: a question id, or « question.row » for a matrix row
    answer: str
    label: str  # the question (and row)
    answer_label: str
    territory: float | None  # the share among those who answered; None when hidden
    answered: int | None
    by_commune: dict[str, float | None] = field(default_factory=dict)  # None: hidden

    @property
    def value(self) -> str:
        """The dashboard map's indicator for this answer."""
        return f"{self.key}:{self.answer}"


def indicators(figures, theme: str) -> list[Indicator]:
    """The questionnaire's indicators on this theme, in its order. Profile questions (the place,
    the age question, quasi-identifiers) describe who answered, not the need: left out."""
    definition = figures.definition
    results = {r.id: r for r in figures.results.questions}
    ages = age_question(definition)
    found = []
    for question in definition.questions():
        if question.indicator is None or theme not in question_themes(definition, question):
            continue
        if question.residence or question.quasi_identifier or question is ages:
            continue
        result = results.get(question.id)
        if result is None or result.withheld:
            continue
        for table in result.tables:
            key = f"{question.id}.{table.row}" if table.row else question.id
            if question.indicator not in table.labels or key not in figures.offered:
                continue
            label = result.label + (f" – {table.title}" if table.row else "")
            found.append(
                Indicator(
                    key,
                    question.indicator,
                    label,
                    table.labels[question.indicator],
                    table.line.share(question.indicator),
                    table.line.total,
                    _by_commune(figures, key, question.indicator),
                )
            )
    return found


def _by_commune(figures, key: str, answer: str) -> dict[str, float | None]:
    if "commune" not in figures.offered or figures.responses < figures.k:
        return {}
    table = crossed(figures, "commune", key)
    if table.grid.withheld:
        return dict.fromkeys(table.grid.cells)
    if answer not in table.columns.categories:  # nobody gave it: the dashboard shows 0
        return {nis: None if t.hidden else 0.0 for nis, t in table.grid.row_totals.items()}
    return {nis: table.answering_share(nis, answer) for nis in table.grid.cells}
