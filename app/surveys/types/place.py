"""The territory picker as a question, and the note that asks nothing."""

from collections import Counter
from typing import Literal

from app.surveys.text import localize, render
from app.surveys.types.base import AnswerError, Question, row
from app.territory.picker import PlaceField, Unresolved, resolve
from app.territory.places import Place


class PlaceQuestion(Question):
    """Commune or village (section), « elsewhere » or « prefer not to say »."""

    type: Literal["place"]

    def fields(self, ctx):
        description = render(localize(self.help, ctx.lang), ctx.piped) if self.help else ""
        label = render(self.text(ctx.lang), ctx.piped)
        return {self.id: PlaceField(label, required=self.required, description=description)}

    def sent(self, formdata, answers):
        value, typed = formdata.get(self.id) or "", formdata.get(f"{self.id}-q") or ""
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

    def export_columns(self):
        return [f"{self.id}:kind", f"{self.id}:nis", f"{self.id}:section"]

    def export_cells(self, answers):
        place = answers.get(self.id)
        return [place.kind, place.nis, place.section] if place else [None, None, None]

    def summary(self, values):
        counts = Counter(v.nis or v.kind for v in values if v)
        return super().summary(values) | {"counts": dict(counts)}


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

    def export_columns(self):
        return []

    def export_cells(self, answers):
        return []

    def body(self, ctx):
        return render(self.text(ctx.lang), ctx.piped)
