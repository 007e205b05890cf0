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
        if self.raw_value:
            place = Place.from_value(self.raw_value)
            if place is None or (place.nis and option_for(place) is None):
                raise StopValidation(_("Choose a place from the list."))
            self.data = place
            return
        if self.query_text:
            self.data = self._resolve(self.query_text)
            return
        self.data = None
        if self.required:
            raise StopValidation(
                _("Tell us where: type a commune, village or postcode, or choose from the list.")
            )

    def _resolve(self, text: str) -> Place:
        matches = find_places(text)
        if len(matches) == 1:
            return matches[0].place
        code = text.strip()
        if matches:
            self.candidates = matches
            if is_postcode(code):
                raise StopValidation(
                    _(
                        "Several villages share the postcode %(code)s. Which one is yours?",
                        code=code,
                    )
                )
            raise StopValidation(_("Several places match « %(text)s ». Which one?", text=text))
        if is_postcode(code):
            raise StopValidation(
                _(
                    "The postcode %(code)s is not in our territory. Check it, or choose "
                    "« Elsewhere » or a place from the list.",
                    code=code,
                )
            )
        raise StopValidation(
            _(
                "We found no commune or village called « %(text)s ». Check the spelling, "
                "or choose from the list.",
                text=text,
            )
        )

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


__all__ = ["PlaceField", "normalise"]
