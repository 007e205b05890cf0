"""The territory picker as a question, and the note that asks nothing."""

from typing import Literal

from flask_babel import gettext as _

from app.surveys.text import localize, render
from app.surveys.types.base import (
    CHOICE,
    NIS,
    AnswerError,
    ExportColumn,
    Question,
    Summary,
    TableSpec,
    row,
)
from app.territory.picker import PlaceField, Unresolved, resolve
from app.territory.places import ELSEWHERE, UNDISCLOSED, Place


class PlaceQuestion(Question):
    """Commune or village (section), « elsewhere » or « prefer not to say ». The analysis reads
    the commune (never the village) or the kind of place."""

    type: Literal["place"]

    residence = True

    def fields(self, ctx):
        description = render(localize(self.help, ctx.lang), ctx.piped) if self.help else ""
        label = render(self.text(ctx.lang), ctx.piped)
        return {self.id: PlaceField(label, required=self.required, description=description)}

    def sent(self, formdata, answers):
        # Every value under its name: the list, and the radio buttons « Elsewhere » and « I
        # prefer not to say » always in view beside it (they must agree).
        value, typed = formdata.getlist(self.id), formdata.get(f"{self.id}-q") or ""
        try:
            return {self.id: resolve(value, typed, self.required)}
        except Unresolved as problem:
            raise AnswerError(str(problem)) from None

    def read(self, data, answers=None):
        place = data.get(self.id)  # resolved and checked by the picker or by sent()
        self.check_required(place)
        return {self.id: place} if isinstance(place, Place) else {}

    def form_data(self, answers):
        place = answers.get(self.id)
        return {self.id: place.value if place else ""}

    def to_rows(self, answers):
        place = answers.get(self.id)
        if not place:
            return []
        return [row(self.id, choice_id=place.kind, nis=place.nis, section=place.section)]

    def from_rows(self, rows):
        if not rows:
            return {}
        r = rows[0]
        return {self.id: Place(r["choice_id"], r["nis"], r["section"])}

    def display(self, answers, lang):
        from app.territory.queries import option_for

        place = answers.get(self.id)
        option = option_for(Place("commune", place.nis)) if place and place.nis else None
        return option.label if option else ""

    def summarise(self, tallied, answered, words):
        found = Summary(answered, words=words)
        for (_row, choice_id, _position, _value, nis), n in tallied.items():
            found.counts[nis or choice_id] += n
        return found

    def labels(self) -> dict[str, str]:
        """Every commune of the territory, then the places outside it."""
        from app.territory.queries import communes

        labels = {c.nis: c.name for c in communes()}
        return labels | {
            ELSEWHERE: _("Elsewhere (outside these communes)"),
            UNDISCLOSED: _("I prefer not to say"),
        }

    def tables(self, lang):
        return [TableSpec(None, None, self.labels())]

    def export(self, lang, at):
        def place(row, cells):  # the commune, or the kind (elsewhere, undisclosed); no village
            cells[at] = row[NIS] or row[CHOICE]

        labels = self.labels()
        return [ExportColumn(self.id, self.text(lang), labels, missing=(UNDISCLOSED,))], place


class Note(Question):
    """A block of text between questions: it asks nothing."""

    type: Literal["note"]
    asks = False

    def fields(self, ctx):
        return {}

    def sent(self, formdata, answers):
        return {}

    def read(self, data, answers=None):
        return {}

    def form_data(self, answers):
        return {}

    def to_rows(self, answers):
        return []

    def from_rows(self, rows):
        return {}

    def body(self, ctx):
        return render(self.text(ctx.lang), ctx.piped)
