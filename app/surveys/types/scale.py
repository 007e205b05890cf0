"""Scales (1–5, 0–10 …) and Likert matrices (rows × one scale)."""

import re
from collections import Counter
from typing import Literal

from flask_babel import gettext as _
from pydantic import BaseModel, ConfigDict, Field, model_validator
from wtforms import RadioField
from wtforms.fields.choices import SelectChoice

from app.surveys.text import LocalizedText, localize, render
from app.surveys.types.base import (
    CHOICE,
    NUMBER,
    ROW_ID,
    AnswerError,
    ChoiceId,
    ExportColumn,
    Question,
    Summary,
    TableSpec,
    empty,
    row,
)
from app.surveys.types.choice import Choice

DONT_KNOW = "dont_know"


class Scale(Question):
    type: Literal["scale"]
    min: int = Field(1, ge=0, le=1)
    max: int = Field(5, ge=2, le=10)
    min_label: LocalizedText | None = Field(None, description="What the lowest point means")
    max_label: LocalizedText | None = Field(None, description="What the highest point means")
    dont_know: bool = False

    statistics = True

    def points(self) -> list[int]:
        return list(range(self.min, self.max + 1))

    def fields(self, ctx):
        labels = {self.min: self.min_label, self.max: self.max_label}
        choices = [
            SelectChoice(
                str(p), f"{p} – {localize(labels[p], ctx.lang)}" if labels.get(p) else str(p)
            )
            for p in self.points()
        ]
        if self.dont_know:
            choices.append(SelectChoice(DONT_KNOW, _("I don't know")))
        return {
            self.id: RadioField(
                render(self.text(ctx.lang), ctx.piped), choices=choices, validate_choice=False
            )
        }

    def read(self, data, answers=None):
        raw = data.get(self.id) or None
        self.check_required(raw)
        if raw is None:
            return {}
        if raw == DONT_KNOW and self.dont_know:
            return {self.id: DONT_KNOW}
        if not re.fullmatch(r"[0-9]{1,2}", str(raw)) or int(raw) not in self.points():
            raise AnswerError(_("Please choose a point on the scale."))
        return {self.id: int(raw)}

    def form_data(self, answers):
        return {self.id: "" if empty(answers.get(self.id)) else str(answers[self.id])}

    def to_rows(self, answers):
        value = answers.get(self.id)
        if empty(value):
            return []
        if value == DONT_KNOW:
            return [row(self.id, choice_id=DONT_KNOW)]
        return [row(self.id, number=value)]

    def from_rows(self, rows):
        if not rows:
            return {}
        r = rows[0]
        return {self.id: DONT_KNOW if r["choice_id"] == DONT_KNOW else int(r["number"])}

    def display(self, answers, lang):
        value = answers.get(self.id)
        if value == DONT_KNOW:
            return _("I don't know")
        return "" if empty(value) else str(value)

    def summarise(self, tallied, answered, words):
        found = Summary(answered, words=words)
        for (_row, choice_id, _position, value, _nis), n in tallied.items():
            if choice_id == DONT_KNOW:
                found.counts[DONT_KNOW] += n
            elif value:
                point = int(float(value))
                found.counts[str(point)] += n
                found.numbers[point] += n
        return found

    def labels(self) -> dict[str, str]:
        """Its points (and « I don't know »), as the tables and exports name them."""
        labels = {str(p): str(p) for p in self.points()}
        return labels | ({DONT_KNOW: _("I don't know")} if self.dont_know else {})

    def tables(self, lang):
        return [TableSpec(None, None, self.labels())]

    def export(self, lang, at):
        points = {p: str(p) for p in self.points()}
        if self.dont_know:
            points[DONT_KNOW] = _("I don't know")

        def point(row, cells):
            cells[at] = DONT_KNOW if row[CHOICE] == DONT_KNOW else int(row[NUMBER])

        column = ExportColumn(self.id, self.text(lang), points, missing=(DONT_KNOW,))
        return [column], point


class MatrixRow(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: ChoiceId
    label: LocalizedText
    reworded: bool = Field(
        False, description="The label's wording changed but not its meaning: stored answers stay"
    )


class Matrix(Question):
    """Rows answered on one scale. On a phone each row is its own question, never a wide table."""

    type: Literal["matrix"]
    rows: list[MatrixRow] = Field(min_length=1)
    scale: list[Choice] = Field(min_length=2)
    scale_order: Literal["negative_first", "positive_first"] = Field(
        "negative_first",
        description=(
            "How the scale is listed: from the worst answer to the best (negative_first) or "
            "from the best to the worst (positive_first). The chart draws it from negative "
            "(left, red) to positive (right, blue); choices marked missing stand apart"
        ),
    )

    @model_validator(mode="after")
    def _no_other_in_scale(self):
        if any(c.other or c.exclusive for c in self.scale):
            raise ValueError("a matrix scale cannot have « other » or « exclusive » choices")
        return self

    def fields(self, ctx):
        choices = [SelectChoice(c.id, localize(c.label, ctx.lang)) for c in self.scale]
        return {
            f"{self.id}-{r.id}": RadioField(
                render(localize(r.label, ctx.lang), ctx.piped),
                choices=choices,
                validate_choice=False,
            )
            for r in self.rows
        }

    def sent(self, formdata, answers):
        return {f"{self.id}-{r.id}": formdata.get(f"{self.id}-{r.id}") for r in self.rows}

    def read(self, data, answers=None):
        scale = {c.id for c in self.scale}
        value = {}
        for r in self.rows:
            picked = data.get(f"{self.id}-{r.id}") or None
            if picked is None:
                continue
            if picked not in scale:
                raise AnswerError(_("Please choose among the answers offered."))
            value[r.id] = picked
        if self.required and len(value) < len(self.rows):
            raise AnswerError(_("Please answer every line."))
        return {self.id: value} if value else {}

    def form_data(self, answers):
        value = answers.get(self.id) or {}
        return {f"{self.id}-{r}": c for r, c in value.items()}

    def to_rows(self, answers):
        return [
            row(self.id, item=r, row_id=r, choice_id=c)
            for r, c in (answers.get(self.id) or {}).items()
        ]

    def from_rows(self, rows):
        value = {r["row_id"]: r["choice_id"] for r in rows}
        order = [r.id for r in self.rows]
        value = {k: value[k] for k in order if k in value}
        return {self.id: value} if value else {}

    def summarise(self, tallied, answered, words):
        found = Summary(answered, words=words)
        for (row_id, choice_id, _position, _value, _nis), n in tallied.items():
            found.rows.setdefault(row_id, Counter())[choice_id] += n
        return found

    def tables(self, lang):
        """A table per row, each on the one scale."""
        labels = {c.id: localize(c.label, lang) for c in self.scale}
        return [TableSpec(r.id, localize(r.label, lang), labels) for r in self.rows]

    def export(self, lang, at):
        """A column per row, holding the point chosen (a row the current version no longer has
        is left out)."""
        text, scale = self.text(lang), {c.id: localize(c.label, lang) for c in self.scale}
        missing = tuple(c.id for c in self.scale if c.missing)
        columns = [
            ExportColumn(
                f"{self.id}:{r.id}", f"{text} – {localize(r.label, lang)}", scale, missing=missing
            )
            for r in self.rows
        ]
        where = {r.id: at + i for i, r in enumerate(self.rows)}

        def chosen(row, cells):
            if (i := where.get(row[ROW_ID])) is not None:
                cells[i] = row[CHOICE]

        return columns, chosen
