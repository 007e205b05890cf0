from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm

from app.territory.picker import PlaceField


class FindPlaceForm(FlaskForm):
    """A search, sent with GET: it changes nothing, so it needs no CSRF token."""

    class Meta:
        csrf = False

    place = PlaceField(_l("Where do you live?"))
