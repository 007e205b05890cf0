"""The « where do you live » picker: one WTForms field every form can use.

Without JavaScript it is a text box (commune, village or postcode) and a grouped select; with
JavaScript (the picker's part of static/js/site.js) the text box becomes a type-ahead over the
same options. The field's data is a Place, or None when left empty and optional.
"""

from flask import render_template
from flask_babel import gettext as _
from flask_babel import ngettext
from markupsafe import Markup
from wtforms import Field
from wtforms.validators import StopValidation

from app.territory.places import ELSEWHERE, UNDISCLOSED, Place, normalise
from app.territory.queries import PlaceOption, option_for, place_options, places_matching


class Unresolved(ValueError):
    """What the person typed or chose is not one place; candidates to choose from, if any."""

    def __init__(self, message: str, candidates: list[PlaceOption] | None = None):
        super().__init__(message)
        self.candidates = candidates or []


def resolve(value: str | list[str], text: str = "", required: bool = True) -> Place | None:
    """The place a person gave: a value from the list (« s:56005B », « c:93014 », « elsewhere »)
    or, failing that, a commune, village or postcode typed in the text box. The same reading
    for the web picker and for whole responses sent to the API. `value` may be every value sent
    under the field's name (the list, and the radio buttons beside it): they must agree."""
    if isinstance(value, list):
        value = _one(value)
    if value:
        place = Place.from_value(value[:20])
        if place is None or (place.nis and option_for(place) is None):
            raise Unresolved(_("Choose a place from the list."))
        return place
    if text:
        return _typed(text.strip()[:80])
    if required:
        raise Unresolved(
            _("Tell us where: type a commune, village or postcode, or choose from the list.")
        )
    return None


def _one(values: list[str]) -> str:
    """The one value chosen among the picker's controls (the list, « Elsewhere », « I prefer
    not to say », the villages offered): without JavaScript two can be chosen at once."""
    chosen = list(dict.fromkeys(v for v in values if v))
    if len(chosen) > 1:
        raise Unresolved(
            _(
                "You chose two different answers. Choose only one: a place, « Elsewhere » or "
                "« I prefer not to say »."
            )
        )
    return chosen[0] if chosen else ""


def _typed(text: str) -> Place:
    found = places_matching(text)
    if found.sure:
        return found.sure.place
    code = " ".join(sorted(found.codes))
    if found.options:
        if found.mismatch:
            message = _(
                "« %(text)s »: the name and the postcode do not match. Which place is yours?",
                text=text,
            )
        elif found.near or len(found.options) == 1:
            message = ngettext(
                "We found no place called « %(text)s ». Did you mean this one?",
                "We found no place called « %(text)s ». Did you mean one of these?",
                len(found.options),
                text=text,
            )
        elif found.codes and not found.name:
            message = _(
                "Several villages share the postcode %(code)s. Which one is yours?", code=code
            )
        else:
            message = _("Several places match « %(text)s ». Which one?", text=text)
        raise Unresolved(message, found.options)
    if found.codes and not found.name:
        raise Unresolved(
            _(
                "The postcode %(code)s is not in our territory. Check it, or choose "
                "« Elsewhere » or a place from the list.",
                code=code,
            )
        )
    raise Unresolved(
        _(
            "We found no commune or village called « %(text)s ». Check the spelling, "
            "or choose from the list.",
            text=text,
        )
    )


class PlaceWidget:
    def __call__(self, field: "PlaceField", **kwargs) -> Markup:
        # The template escapes every value; its output is safe HTML.
        html = render_template("territory/_place_field.html", field=field)
        return Markup(html)  # noqa: S704


class PlaceField(Field):
    widget = PlaceWidget()

    def __init__(self, label=None, validators=None, required: bool = True, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.required = required
        self.raw_values: list[str] = []
        self.query_text = ""
        self.candidates: list[PlaceOption] = []

    def process(self, formdata, data=None, extra_filters=None):
        super().process(formdata, data, extra_filters)
        if formdata is not None:
            self.query_text = formdata.get(f"{self.name}-q", "").strip()[:80]

    def process_data(self, value):
        # Prefilled from stored answers as « s:56005B » or as a Place: shown either way.
        self.data = Place.from_value(value) if isinstance(value, str) and value else value or None

    def process_formdata(self, valuelist):
        self.raw_values = [v[:20] for v in valuelist[:5]]
        first = next((v for v in self.raw_values if v), "")
        self.data = Place.from_value(first) if first else None

    def pre_validate(self, form):
        try:
            self.data = resolve(self.raw_values, self.query_text, self.required)
        except Unresolved as problem:
            self.candidates = problem.candidates
            raise StopValidation(str(problem)) from None

    # Used by the template.
    def groups(self) -> list[tuple[str, list[PlaceOption]]]:
        grouped: dict[str, list[PlaceOption]] = {}
        for option in place_options():
            grouped.setdefault(option.commune, []).append(option)
        return list(grouped.items())

    def others(self) -> list[tuple[str, str]]:
        """The answers that are not a place, always in view beside the list."""
        return [
            (ELSEWHERE, _("Elsewhere (outside these communes)")),
            (UNDISCLOSED, _("I prefer not to say")),
        ]

    def ticked(self, value: str) -> bool:
        """A radio button shows as ticked: the answer, or one of two sent at once."""
        return value == self.selected_value() or value in self.raw_values

    def selected_value(self) -> str:
        return self.data.value if isinstance(self.data, Place) else ""

    def selected_label(self) -> str:
        option = option_for(self.data) if isinstance(self.data, Place) else None
        return option.label if option else ""


__all__ = ["PlaceField", "Unresolved", "normalise", "resolve"]
