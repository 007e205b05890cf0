"""A ranking: the choices put in order, the first places only."""

from typing import Literal

from flask_babel import gettext as _
from pydantic import Field
from wtforms import SelectField
from wtforms.fields.choices import SelectChoice

from app.surveys.text import localize
from app.surveys.types.base import CHOICE, POSITION, AnswerError, ExportColumn, row
from app.surveys.types.choice import ChoiceQuestion


class Ranking(ChoiceQuestion):
    type: Literal["ranking"]
    top: int | None = Field(None, ge=1, description="How many to rank (default: up to 3)")

    several = True
    scored = True

    def adds_up(self):
        """Required: everyone ranks as many places, so the counts add up to that many times
        the people answering."""
        return self.required

    def positions(self, answers: dict | None = None) -> int:
        offered = (
            self.offered(answers) if answers is not None and self.choices_from else self.choices
        )
        return max(1, min(self.top or 3, len(offered)))

    def fields(self, ctx):
        choices = [SelectChoice("", _("— Choose —")), *self.pairs(ctx)]
        return {
            f"{self.id}-{i}": SelectField(
                _("Choice number %(n)s", n=i), choices=choices, validate_choice=False
            )
            for i in range(1, self.positions() + 1)
        }

    def sent(self, formdata, answers):
        names = (f"{self.id}-{i}" for i in range(1, self.positions() + 1))
        return {name: formdata.get(name) for name in names}

    def read(self, data, answers=None):
        positions = self.positions(answers or {})
        ranked = [data.get(f"{self.id}-{i}") or "" for i in range(1, positions + 1)]
        while ranked and not ranked[-1]:
            ranked.pop()
        if "" in ranked:
            raise AnswerError(_("Please fill the ranks in order, without leaving a gap."))
        self.check_required(ranked)
        if self.required and len(ranked) < positions:
            raise AnswerError(_("Please rank %(n)s answers.", n=positions))
        if len(set(ranked)) != len(ranked):
            raise AnswerError(_("Each answer can be ranked only once."))
        self._check_offered(ranked, answers or {})
        return {self.id: ranked} if ranked else {}

    def form_data(self, answers):
        ranked = answers.get(self.id) or []
        return {f"{self.id}-{i + 1}": c for i, c in enumerate(ranked)}

    def to_rows(self, answers):
        return [
            row(self.id, item=str(i + 1), choice_id=c, position=i + 1)
            for i, c in enumerate(answers.get(self.id) or [])
        ]

    def from_rows(self, rows):
        ranked = [r["choice_id"] for r in sorted(rows, key=lambda r: r["position"])]
        return {self.id: ranked} if ranked else {}

    def export(self, lang, at):
        """A column per place, holding the choice ranked there (a place the current version no
        longer has is left out)."""
        text, labels, size = (
            self.text(lang),
            {c.id: localize(c.label, lang) for c in self.choices},
            self.positions(),
        )
        columns = [
            ExportColumn(f"{self.id}:{i}", f"{text} – {i}", labels) for i in range(1, size + 1)
        ]

        def ranked(row, cells):
            if row[POSITION] is not None and 1 <= row[POSITION] <= size:
                cells[at + row[POSITION] - 1] = row[CHOICE]

        return columns, ranked
