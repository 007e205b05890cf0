from flask_babel import gettext
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
    "same-password": _l("The new password must differ from the current one."),
    "weak-password": _l(
        "This password is too easy to guess. Choose a longer one, for example a few words "
        "that only you would put together, not your name, your email or the platform's."
    ),
}


def N_(text: str) -> str:
    """Marks a msgid for extraction; it is translated where it is shown."""
    return text


# zxcvbn's warnings (its own English sentences, as msgids), added to « too easy to guess ».
STRENGTH_WARNINGS = frozenset(
    {
        N_("Straight rows of keys are easy to guess."),
        N_("Short keyboard patterns are easy to guess."),
        N_('Repeats like "aaa" are easy to guess.'),
        N_('Repeats like "abcabcabc" are only slightly harder to guess than "abc".'),
        N_('Sequences like "abc" or "6543" are easy to guess.'),
        N_("Recent years are easy to guess."),
        N_("Dates are often easy to guess."),
        N_("This is a top-10 common password."),
        N_("This is a top-100 common password."),
        N_("This is a very common password."),
        N_("This is similar to a commonly used password."),
        N_("A word by itself is easy to guess."),
        N_("Names and surnames by themselves are easy to guess."),
        N_("Common names and surnames are easy to guess."),
    }
)


def account_error(error) -> str:
    """The message for a services.AccountError, with zxcvbn's reason for a weak password."""
    message = str(ACCOUNT_ERRORS[str(error)])
    warning = getattr(error, "warning", "")
    if warning in STRENGTH_WARNINGS:
        message = f"{message} {gettext(warning)}"
    return message


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


class CodeField(StringField):
    """A six-digit code from the authenticator app: the phone offers it as a one-time code."""

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault(
            "render_kw",
            {"autocomplete": "one-time-code", "inputmode": "numeric", "maxlength": 12},
        )
        super().__init__(label, validators or [DataRequired(REQUIRED), Length(max=12)], **kwargs)


CODE_DESCRIPTION = _l("The six digits your authenticator app shows now.")


class CodeForm(FlaskForm):
    code = CodeField(_l("Code from the authenticator app"), description=CODE_DESCRIPTION)


class TwoFactorOffForm(FlaskForm):
    password = PasswordField(_l("Password"), [DataRequired(REQUIRED), Length(max=1000)])
    code = CodeField(_l("Code from the authenticator app"), description=CODE_DESCRIPTION)


class TwoFactorConfirmForm(TwoFactorOffForm):
    """Turning two-factor on asks for the same as turning it off: the password and a code."""


TWO_FACTOR_ERRORS = {
    "wrong-code": _l(
        "This code is not right, or was already used. Wait for the next code and try again."
    ),
    "wrong-password": _l("The password is not correct."),
    "already-enabled": _l("Two-factor authentication is already on."),
    "not-enrolling": _l("Start the set-up again: the page had expired."),
    "not-enabled": _l("Two-factor authentication is not on."),
}
