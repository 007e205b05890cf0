"""The « where do you live » picker: one WTForms field every form can use.

Without JavaScript it is a text box (commune, village or postcode) and a grouped select; with
JavaScript (static/js/picker.js) the text box becomes a type-ahead over the same options. The
field's data is a Place, or None when left empty and optional.
"""

from flask import render_template
from flask_babel import gettext as _
from markupsafe import Markup
from wtforms import Field
from wtforms.validators import StopValidation

from app.territory.places import Place, is_postcode, normalise
from app.territory.queries import PlaceOption, find_places, option_for, place_options


class Unresolved(ValueError):
    """What the person typed or chose is not one place; candidates to choose from, if any."""

    def __init__(self, message: str, candidates: list[PlaceOption] | None = None):
        super().__init__(message)
        self.candidates = candidates or []


def resolve(value: str, text: str = "", required: bool = True) -> Place | None:
    """The place a person gave: a value from the list (« s:56005B », « c:93014 », « elsewhere »)
    or, failing that, a commune, village or postcode typed in the text box. The same reading
    for the web picker and for whole responses sent to the API."""
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


def _typed(text: str) -> Place:
    matches = find_places(text)
    if len(matches) == 1:
        return matches[0].place
    if matches:
        if is_postcode(text):
            message = _(
                "Several villages share the postcode %(code)s. Which one is yours?", code=text
            )
        else:
            message = _("Several places match « %(text)s ». Which one?", text=text)
        raise Unresolved(message, matches)
    if is_postcode(text):
        raise Unresolved(
            _(
                "The postcode %(code)s is not in our territory. Check it, or choose "
                "« Elsewhere » or a place from the list.",
                code=text,
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
        self.raw_value = ""
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
        self.raw_value = next((v for v in valuelist if v), "")[:20]
        self.data = Place.from_value(self.raw_value) if self.raw_value else None

    def pre_validate(self, form):
        try:
            self.data = resolve(self.raw_value, self.query_text, self.required)
        except Unresolved as problem:
            self.candidates = problem.candidates
            raise StopValidation(str(problem)) from None

    # Used by the template.
    def groups(self) -> list[tuple[str, list[PlaceOption]]]:
        grouped: dict[str, list[PlaceOption]] = {}
        for option in place_options():
            grouped.setdefault(option.commune, []).append(option)
        return list(grouped.items())

    def selected_value(self) -> str:
        return self.data.value if isinstance(self.data, Place) else ""

    def selected_label(self) -> str:
        option = option_for(self.data) if isinstance(self.data, Place) else None
        return option.label if option else ""


__all__ = ["PlaceField", "Unresolved", "normalise", "resolve"]
