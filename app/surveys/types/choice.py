"""Choice questions: single choice, multiple choice, yes/no (a ranking: ranking.py)."""

from itertools import pairwise
from typing import Annotated, Literal

from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from markupsafe import Markup
from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic.json_schema import SkipJsonSchema
from wtforms import RadioField, SelectField, SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.widgets import CheckboxInput, ListWidget

from app.surveys.text import LocalizedText, localize, render
from app.surveys.types.base import (
    CHOICE,
    AnswerError,
    ChoiceId,
    ExportColumn,
    Question,
    QuestionId,
    Summary,
    TableSpec,
    clean_text,
    empty,
    row,
)

OTHER_MAX = 200
Age = Annotated[int, Field(ge=0, le=120)]


class Choice(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: ChoiceId
    label: LocalizedText
    exclusive: bool = Field(False, description="« None of these »: cannot be combined")
    other: bool = Field(False, description="« Other, please specify »: asks for a text")
    missing: bool = Field(
        False,
        description=(
            "A non-substantive answer (« I don't know », « not concerned », « I prefer not to "
            "say »): declared user-missing in the SPSS export"
        ),
    )
    reworded: bool = Field(
        False, description="The label's wording changed but not its meaning: stored answers stay"
    )


class CheckboxesField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ChoiceQuestion(Question):
    choices: list[Choice] = Field(min_length=1)
    choices_from: QuestionId | None = Field(
        None, description="Offer only the choices picked in this earlier multiple-choice question"
    )

    def choice(self, choice_id: str) -> Choice | None:
        return next((c for c in self.choices if c.id == choice_id), None)

    def offered(self, answers: dict) -> list[Choice]:
        if not self.choices_from:
            return self.choices
        picked = answers.get(self.choices_from) or []
        return [c for c in self.choices if c.id in picked]

    def pairs(self, ctx) -> list[SelectChoice]:
        return [
            SelectChoice(
                c.id,
                self.other_typed(c, ctx.answers) or render(localize(c.label, ctx.lang), ctx.piped),
            )
            for c in self.offered(ctx.answers)
        ]

    def other_typed(self, choice: Choice, answers: dict) -> str | None:
        """For a list filtered from an earlier question, the « other » text typed there."""
        if choice.other and self.choices_from:
            return answers.get(f"{self.choices_from}:other")
        return None

    def has_other(self) -> bool:
        return any(c.other for c in self.choices)

    def other_choice(self) -> Choice | None:
        """The « Other, please specify » choice, if any (a definition has one at most)."""
        return next((c for c in self.choices if c.other), None)

    def asks_other_text(self) -> bool:
        """Whether the question asks for its own « other » text (a list filtered from an earlier
        question reuses the text typed there)."""
        return not self.choices_from and self.has_other()

    def sent(self, formdata, answers):
        return {
            self.id: formdata.get(self.id),
            f"{self.id}-other": formdata.get(f"{self.id}-other"),
        }

    def answer_keys(self) -> list[str]:
        return [self.id, f"{self.id}:other"] if self.has_other() else [self.id]

    def other_field(self, ctx) -> dict:
        # A list filtered from an earlier question reuses the text typed there.
        if self.choices_from or not any(c.other for c in self.offered(ctx.answers)):
            return {}
        # Without JavaScript the box is always in view: its label says it is for « other » only.
        choice = render(localize(self.other_choice().label, ctx.lang), ctx.piped)
        label = Markup(_("If « %(choice)s »: please specify", choice=choice))  # noqa: S704
        return {f"{self.id}-other": StringField(label, render_kw={"maxlength": OTHER_MAX})}

    def _other_text(self, chosen: list[str], data: dict) -> dict:
        """The « other » text when « other » is chosen. A text sent without it is refused (never
        kept quietly apart from its choice, nor lost without a word)."""
        if not self.asks_other_text():
            return {}
        text = clean_text(data.get(f"{self.id}-other"), OTHER_MAX)
        if not any(self.choice(c).other for c in chosen):
            if text:
                label = localize(self.other_choice().label, str(get_locale()))
                raise AnswerError(
                    _(
                        "You wrote a text for « %(choice)s » without choosing it: choose it, "
                        "or clear the text.",
                        choice=label,
                    )
                )
            return {}
        if not text:
            raise AnswerError(_("Please specify your other answer."))
        return {f"{self.id}:other": text}

    def _check_offered(self, chosen: list[str], answers: dict) -> None:
        offered = {c.id for c in self.offered(answers)}
        if any(c not in offered for c in chosen):
            raise AnswerError(_("Please choose among the answers offered."))

    def display(self, answers, lang):
        value = answers.get(self.id)
        ids = value if isinstance(value, list) else [value] if value else []
        words = []
        for choice_id in ids:
            choice = self.choice(choice_id)
            typed = answers.get(f"{self.id}:other") or self.other_typed(choice, answers)
            words.append(typed if choice.other and typed else localize(choice.label, lang))
        return ", ".join(w for w in words if w)

    def summarise(self, tallied, answered, words):
        found = Summary(answered, words=words)
        for (_row, choice_id, position, _value, _nis), n in tallied.items():
            found.counts[choice_id] += n
            if position:
                found.grid[(choice_id, position - 1)] += n
        return found

    def labels(self, lang: str) -> dict[str, str]:
        return {c.id: self.display({self.id: c.id}, lang) for c in self.choices}

    def tables(self, lang):
        return [TableSpec(None, None, self.labels(lang))]


class SingleChoice(ChoiceQuestion):
    type: Literal["single_choice"]
    display_as: Literal["radio", "dropdown"] = Field("radio", description="dropdown for long lists")
    ages: dict[ChoiceId, tuple[Age, Age | None]] | None = Field(
        None,
        description="An age question: the ages each choice covers, [from, to] (to left empty for "
        "« or more »), so that answers can be weighted to the population by age. Choices left "
        "out (« I prefer not to say ») are not weighted. One question per questionnaire.",
    )

    @model_validator(mode="after")
    def _ages_fit(self):
        if not self.ages:
            return self
        ids = {c.id for c in self.choices}
        spans = []
        for choice_id, (low, high) in self.ages.items():
            if choice_id not in ids:
                raise ValueError(f"ages: « {choice_id} » is not a choice of this question")
            if high is not None and high < low:
                raise ValueError(f"ages: « {choice_id} » ends ({high}) before it begins ({low})")
            spans.append((low, 120 if high is None else high, choice_id))
        spans.sort()
        for (_low, high, first), (low, _high, second) in pairwise(spans):
            if low <= high:
                raise ValueError(f"ages: « {first} » and « {second} » cover the same ages")
        return self

    def age_spans(self) -> dict[str, range]:
        """Each choice's ages (for weighting), as ranges."""
        return {
            c: range(low, (120 if high is None else high) + 1)
            for c, (low, high) in (self.ages or {}).items()
        }

    def fields(self, ctx):
        label = render(self.text(ctx.lang), ctx.piped)
        if self.display_as == "dropdown":
            field = SelectField(
                label,
                choices=[SelectChoice("", _("— Choose —")), *self.pairs(ctx)],
                validate_choice=False,
            )
        else:
            field = RadioField(label, choices=self.pairs(ctx), validate_choice=False)
        return {self.id: field} | self.other_field(ctx)

    def read(self, data, answers=None):
        value = data.get(self.id) or None
        self.check_required(value)
        if value is None:
            return self._other_text([], data)
        self._check_offered([value], answers or {})
        return {self.id: value} | self._other_text([value], data)

    def form_data(self, answers):
        data = {self.id: answers.get(self.id, "")}
        if f"{self.id}:other" in answers:
            data[f"{self.id}-other"] = answers[f"{self.id}:other"]
        return data

    def to_rows(self, answers):
        if empty(answers.get(self.id)):
            return []
        chosen = self.choice(answers[self.id])
        other = answers.get(f"{self.id}:other") if chosen and chosen.other else None
        return [row(self.id, choice_id=answers[self.id], text=other)]

    def from_rows(self, rows):
        if not rows:
            return {}
        out = {self.id: rows[0]["choice_id"]}
        if rows[0]["text"] is not None:
            out[f"{self.id}:other"] = rows[0]["text"]
        return out

    def export(self, lang, at):
        def chosen(row, cells):
            cells[at] = row[CHOICE]

        missing = tuple(c.id for c in self.choices if c.missing)
        return [ExportColumn(self.id, self.text(lang), self.labels(lang), missing=missing)], chosen


class YesNo(SingleChoice):
    """Fixed choices « yes », « no » (and « dont_know »), labelled in the person's language."""

    type: Literal["yes_no"]
    choices: SkipJsonSchema[list[Choice]] = Field(default_factory=list, exclude=True)
    ages: SkipJsonSchema[None] = Field(None, exclude=True)
    dont_know: bool = Field(False, description="Also offer « I don't know »")

    @model_validator(mode="before")
    @classmethod
    def _no_choices_given(cls, data):
        if isinstance(data, dict) and "choices" in data:
            raise ValueError("yes_no has fixed choices (yes, no, dont_know): remove « choices »")
        return data

    @model_validator(mode="after")
    def _fixed_choices(self):
        ids = ["yes", "no", "dont_know"] if self.dont_know else ["yes", "no"]
        self.choices = [Choice(id=i, label={"fr": i}) for i in ids]
        return self

    def pairs(self, ctx):
        names = {"yes": _("Yes"), "no": _("No"), "dont_know": _("I don't know")}
        return [SelectChoice(c.id, names[c.id]) for c in self.choices]

    def display(self, answers, lang):
        return {"yes": _("Yes"), "no": _("No"), "dont_know": _("I don't know")}.get(
            answers.get(self.id), ""
        )


class MultipleChoice(ChoiceQuestion):
    type: Literal["multiple_choice"]
    min_choices: int | None = Field(None, ge=1)
    max_choices: int | None = Field(None, ge=1)

    several = True

    def adds_up(self):
        """Exactly n choices to pick: the counts add up to n times the people answering."""
        return self.min_choices is not None and self.min_choices == self.max_choices

    def fields(self, ctx):
        label = render(self.text(ctx.lang), ctx.piped)
        field = CheckboxesField(label, choices=self.pairs(ctx), validate_choice=False)
        return {self.id: field} | self.other_field(ctx)

    def sent(self, formdata, answers):
        return super().sent(formdata, answers) | {self.id: formdata.getlist(self.id)}

    def read(self, data, answers=None):
        picked = [c for c in data.get(self.id) or [] if c]
        self.check_required(picked)
        if not picked:
            return self._other_text([], data)
        self._check_offered(picked, answers or {})
        order = [c.id for c in self.choices]
        picked = sorted(set(picked), key=order.index)
        exclusive = [c for c in picked if self.choice(c).exclusive]
        if exclusive and len(picked) > 1:
            label = localize(self.choice(exclusive[0]).label, "fr")
            raise AnswerError(
                _("« %(choice)s » cannot be combined with other answers.", choice=label)
            )
        least = min(self.min_choices or 0, len(self.offered(answers or {})))
        if least and len(picked) < least and not exclusive:
            raise AnswerError(
                ngettext(
                    "Please choose at least %(num)s answer.",
                    "Please choose at least %(num)s answers.",
                    least,
                )
            )
        if self.max_choices and len(picked) > self.max_choices:
            raise AnswerError(
                ngettext(
                    "Please choose at most %(num)s answer.",
                    "Please choose at most %(num)s answers.",
                    self.max_choices,
                )
            )
        return {self.id: picked} | self._other_text(picked, data)

    def form_data(self, answers):
        data = {self.id: list(answers.get(self.id) or [])}
        if f"{self.id}:other" in answers:
            data[f"{self.id}-other"] = answers[f"{self.id}:other"]
        return data

    def to_rows(self, answers):
        other = answers.get(f"{self.id}:other")
        return [
            row(self.id, item=c, choice_id=c, text=other if self.choice(c).other else None)
            for c in answers.get(self.id) or []
        ]

    def from_rows(self, rows):
        if not rows:
            return {}
        order = [c.id for c in self.choices]
        out = {self.id: sorted((r["choice_id"] for r in rows), key=order.index)}
        texts = [r["text"] for r in rows if r["text"] is not None]
        if texts:
            out[f"{self.id}:other"] = texts[0]
        return out

    def export(self, lang, at):
        """A column per choice: 1 when picked, 0 when not (once any was), empty otherwise."""
        text, yes_no = self.text(lang), {0: _("No"), 1: _("Yes")}
        columns = [
            ExportColumn(f"{self.id}:{c.id}", f"{text} – {localize(c.label, lang)}", yes_no)
            for c in self.choices
        ]
        where = {c.id: at + i for i, c in enumerate(self.choices)}
        end, zeros = at + len(where), [0] * len(where)

        def picked(row, cells):
            if (i := where.get(row[CHOICE])) is None:
                return
            if cells[at] is None:
                cells[at:end] = zeros
            cells[i] = 1

        return columns, picked
