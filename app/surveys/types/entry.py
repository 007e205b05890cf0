"""Typed entries: number, short text, long text, date."""

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Literal

from flask_babel import gettext as _
from pydantic import Field, model_validator
from wtforms import StringField, TextAreaField

from app.surveys.text import LocalizedText, localize, render
from app.surveys.types import bins as binning
from app.surveys.types.base import (
    DATE,
    NUMBER,
    AnswerError,
    ExportColumn,
    Question,
    Summary,
    TableSpec,
    clean_text,
    row,
)
from app.surveys.types.words import words_of


class Number(Question):
    type: Literal["number"]
    decimal: bool = Field(False, description="Allow decimals (a comma or a point)")
    min: Decimal | None = None
    max: Decimal | None = None
    unit: LocalizedText | None = Field(None, description="Shown after the box: km, €, minutes …")

    statistics = True

    @model_validator(mode="after")
    def _range(self):
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError("min is greater than max")
        return self

    def fields(self, ctx):
        label = render(self.text(ctx.lang), ctx.piped)
        kw = {"inputmode": "decimal" if self.decimal else "numeric", "autocomplete": "off"}
        if self.unit:
            kw["data-unit"] = localize(self.unit, ctx.lang)
        return {self.id: StringField(label, render_kw=kw)}

    def read(self, data, answers=None):
        raw = re.sub(r"[\s\u00a0\u202f]", "", str(data.get(self.id) or "")).replace(",", ".")
        self.check_required(raw)
        if not raw:
            return {}
        try:
            value = Decimal(raw)
        except InvalidOperation:
            raise AnswerError(_("Please write a number, like 12 or 3,5.")) from None
        # Stored as a double: at most 15 significant digits are kept exactly. Larger or longer
        # numbers are refused before any costly conversion (« 1e1000000 »).
        if not value.is_finite() or value.adjusted() > 12 or len(value.as_tuple().digits) > 15:
            raise AnswerError(_("Please write a number, like 12 or 3,5."))
        if not self.decimal:
            if value != value.to_integral_value():
                raise AnswerError(_("Please write a whole number."))
            value = int(value)
        if self.min is not None and value < self.min:
            raise AnswerError(_("Please write a number of at least %(n)s.", n=_plain(self.min)))
        if self.max is not None and value > self.max:
            raise AnswerError(_("Please write a number of at most %(n)s.", n=_plain(self.max)))
        return {self.id: value}

    def form_data(self, answers):
        value = answers.get(self.id)
        return {self.id: "" if value is None else _plain(Decimal(value))}

    def display(self, answers, lang):
        value = answers.get(self.id)
        return "" if value is None else _plain(Decimal(value))

    def to_rows(self, answers):
        value = answers.get(self.id)
        return [] if value is None else [row(self.id, number=value)]

    def from_rows(self, rows):
        if not rows:
            return {}
        number = Decimal(repr(float(rows[0]["number"])))
        if not self.decimal:
            return {self.id: int(number)}
        return {self.id: number.quantize(1) if number == number.to_integral_value() else number}

    def bins(self):
        """Its distribution's bins, from its bounds (None without both)."""
        return binning.bins(self.min, self.max, self.decimal)

    def summarise(self, tallied, answered, words):
        """The people per value, and per bin of the distribution."""
        found = Summary(answered, words=words)
        edges = self.bins()
        for (_row, _choice, _position, value, _nis), n in tallied.items():
            if value:
                found.numbers[float(value)] += n
                if edges is not None and (key := binning.bin_of(edges, float(value))):
                    found.counts[key] += n
        return found

    def distribution(self, lang):
        edges = self.bins()
        if edges is None:
            return None
        return TableSpec(None, None, binning.labels(edges, self.min, self.max, self.decimal))

    def export(self, lang, at):
        def number(row, cells):
            value = row[NUMBER]
            if value is not None:
                cells[at] = int(value) if value == int(value) else float(value)

        return [ExportColumn(self.id, self.text(lang), number=True)], number


def _plain(value: Decimal) -> str:
    """3,5 the Belgian way, never « 1E+2 »."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


class ShortText(Question):
    """Free text: read, searched and coded by the committee; never published nor exported (a
    sentence can name a person), only how many answered and the words many people used."""

    type: Literal["short_text"]
    max_length: int = Field(200, ge=1, le=1000)

    published = False
    free_text = True

    def words(self, text):
        return words_of(text)

    def fields(self, ctx):
        label = render(self.text(ctx.lang), ctx.piped)
        return {self.id: StringField(label, render_kw={"maxlength": self.max_length})}

    def read(self, data, answers=None):
        text = clean_text(data.get(self.id), self.max_length)
        self.check_required(text)
        return {self.id: text} if text else {}

    def form_data(self, answers):
        return {self.id: answers.get(self.id, "")}

    def to_rows(self, answers):
        return [row(self.id, text=answers[self.id])] if answers.get(self.id) else []

    def from_rows(self, rows):
        return {self.id: rows[0]["text"]} if rows else {}


class LongText(ShortText):
    type: Literal["long_text"]
    max_length: int = Field(2000, ge=1, le=10000)

    def fields(self, ctx):
        label = render(self.text(ctx.lang), ctx.piped)
        return {self.id: TextAreaField(label, render_kw={"maxlength": self.max_length, "rows": 5})}


class DateQuestion(Question):
    """A date: only how many answered is shown (a date can name a person); exported to the
    month."""

    type: Literal["date"]
    min: date | None = None
    max: date | None = None

    published = False

    def fields(self, ctx):
        # A text box of type date: the browser offers its picker, and read() parses the value,
        # so an empty optional date is simply unanswered.
        kw = {"type": "date"}
        if self.min:
            kw["min"] = self.min.isoformat()
        if self.max:
            kw["max"] = self.max.isoformat()
        return {self.id: StringField(render(self.text(ctx.lang), ctx.piped), render_kw=kw)}

    def read(self, data, answers=None):
        value = data.get(self.id)
        if isinstance(value, str):
            try:
                value = date.fromisoformat(value) if value else None
            except ValueError:
                raise AnswerError(_("Please give a date, like 2026-03-15.")) from None
        self.check_required(value)
        if value is None:
            return {}
        if (self.min and value < self.min) or (self.max and value > self.max):
            raise AnswerError(_("Please give a date in the period asked."))
        return {self.id: value}

    def form_data(self, answers):
        value = answers.get(self.id)
        return {self.id: value.isoformat() if value else ""}

    def display(self, answers, lang):
        from flask_babel import format_date

        value = answers.get(self.id)
        return format_date(value, "long") if value else ""

    def to_rows(self, answers):
        return [row(self.id, date=answers[self.id])] if answers.get(self.id) else []

    def from_rows(self, rows):
        return {self.id: rows[0]["date"]} if rows else {}

    def export(self, lang, at):
        def month(row, cells):  # a date on PostgreSQL, its ISO text on SQLite
            if row[DATE] is not None:
                cells[at] = str(row[DATE])[:7]

        return [ExportColumn(self.id, f"{self.text(lang)} ({_('month')})")], month
