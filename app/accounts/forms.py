from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField, SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length

from app.accounts.models import Role
from app.accounts.passwords import MIN_LENGTH
from app.i18n import LANGUAGE_NAMES
from app.territory.picker import PlaceField

ROLE_LABELS = {
    Role.ADMIN: _l("Administrator"),
    Role.FACILITATOR: _l("Facilitator"),
    Role.COMMITTEE: _l("Steering committee"),
    Role.PARTNER: _l("Partner organisation"),
}

# What services.AccountError codes mean, in the person's language.
ACCOUNT_ERRORS = {
    "invalid-email": _l("Enter a valid email address, like name@example.be."),
    "unknown-role": _l("Choose one of the roles offered."),
    "short-password": _l("The password must have at least %(n)s characters.", n=MIN_LENGTH),
    "missing-name": _l("Enter a name."),
    "email-taken": _l("An account already uses this email address."),
    "wrong-password": _l("The current password is not correct."),
}

REQUIRED = _l("This field is required.")


class LoginForm(FlaskForm):
    email = EmailField(_l("Email address"), [DataRequired(REQUIRED), Length(max=254)])
    password = PasswordField(_l("Password"), [DataRequired(REQUIRED), Length(max=1000)])


class ProfileForm(FlaskForm):
    display_name = StringField(
        _l("Name shown to others"), [DataRequired(REQUIRED), Length(max=120)]
    )
    locale = SelectField(
        _l("Language"),
        choices=[
            SelectChoice("", _l("As my browser says")),
            *(SelectChoice(code, name) for code, name in LANGUAGE_NAMES.items()),
        ],
    )
    place = PlaceField(
        _l("Commune where you work"),
        required=False,
        description=_l("Optional. It helps the committee reach the people of each commune."),
    )


class PasswordForm(FlaskForm):
    current = PasswordField(_l("Current password"), [DataRequired(REQUIRED)])
    new = PasswordField(
        _l("New password"),
        [
            DataRequired(REQUIRED),
            Length(min=MIN_LENGTH, max=1000, message=ACCOUNT_ERRORS["short-password"]),
        ],
    )
    confirm = PasswordField(
        _l("New password, again"),
        [DataRequired(REQUIRED), EqualTo("new", _l("The two new passwords differ."))],
    )


class UserCreateForm(FlaskForm):
    email = EmailField(_l("Email address"), [DataRequired(REQUIRED), Length(max=254)])
    display_name = StringField(_l("Name"), [DataRequired(REQUIRED), Length(max=120)])
    role = SelectField(
        _l("Role"), choices=[SelectChoice(role.value, label) for role, label in ROLE_LABELS.items()]
    )
    password = PasswordField(
        _l("Temporary password"),
        [
            DataRequired(REQUIRED),
            Length(min=MIN_LENGTH, max=1000, message=ACCOUNT_ERRORS["short-password"]),
        ],
        description=_l("Give it to the person; they change it from their account page."),
    )


def printable(value: str | None) -> str | None:
    """Only what can be seen: a label of invisible characters (zero-width spaces, joiners) is
    an empty label, refused as such."""
    return "".join(c for c in value if c.isprintable()).strip() if value else value


class TokenForm(FlaskForm):
    label = StringField(
        _l("What the token is for"),
        [DataRequired(REQUIRED), Length(max=80)],
        filters=[printable],
        description=_l(
            "For example « Health observatory, yearly report ». The token reads the results "
            "API with the rights of your account."
        ),
    )


class ScopeForm(FlaskForm):
    """A partner's communes and sectors: the choices are set by the view from the territory."""

    communes = SelectMultipleField(_l("Communes"), choices=[])
    themes = SelectMultipleField(_l("Sectors (themes)"), choices=[])
