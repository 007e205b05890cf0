"""Two-factor authentication pages: the code after the password, enrolling, turning it off."""

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.accounts import sessions, totp
from app.accounts.forms import (
    TWO_FACTOR_ERRORS,
    CodeForm,
    TwoFactorConfirmForm,
    TwoFactorOffForm,
)
from app.accounts.views import _account_page, bp, landing
from app.extensions import limiter
from app.navigation import local_path
from app.privacy import keyed_hash


def _code_limit() -> str:
    return current_app.config["LOGIN_CODE_RATE_LIMIT"]


def _own_account_key() -> str:
    return "code:" + keyed_hash(str(getattr(current_user, "id", "")))


@bp.route("/connexion/code", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
@limiter.limit(_code_limit, methods=["POST"], key_func=sessions.pending_key)
def login_code():
    """The second step of the login. Limited per account: whoever reaches it knows the password."""
    next_path = local_path(request.args.get("next"))
    user = sessions.pending_user()
    if user is None:
        flash(_("Your session has expired. Log in again to continue."), "info")
        return redirect(url_for(".login", next=next_path))
    form = CodeForm()
    if form.validate_on_submit():
        if totp.use_code(user, form.code.data):
            sessions.begin(user, two_factor=True)
            return redirect(next_path or landing(user))
        form.code.errors.append(TWO_FACTOR_ERRORS["wrong-code"])
    status = 400 if form.errors else 200
    return render_template("accounts/login_code.html", form=form), status


@bp.route("/compte/double-authentification", methods=["GET", "POST"])
@login_required
def two_factor_setup():
    """POST begins (or begins again) with a new secret; GET shows its QR code to scan."""
    if current_user.two_factor_enabled:
        return redirect(url_for(".account") + "#two-factor-title")
    if request.method == "POST":
        totp.start_enrolment(current_user)
        return redirect(url_for(".two_factor_setup"))
    return _setup_page(TwoFactorConfirmForm(formdata=None))


def _setup_page(form: TwoFactorConfirmForm, status: int = 200):
    shown = totp.enrolment(current_user)
    if shown is None:
        return redirect(url_for(".account") + "#two-factor-title")
    secret, qr_svg = shown
    return render_template(
        "accounts/two_factor_setup.html", form=form, secret=secret, qr_svg=qr_svg
    ), status


@bp.post("/compte/double-authentification/confirmer")
@login_required
@limiter.limit(_code_limit, key_func=_own_account_key)
def two_factor_confirm():
    form = TwoFactorConfirmForm()
    if _with_password_and_code(form, totp.confirm_enrolment):
        sessions.mark_two_factor(True)
        flash(_("Two-factor authentication is on."), "success")
        return redirect(url_for(".account") + "#two-factor-title")
    return _setup_page(form, 400)


def _with_password_and_code(form, change) -> bool:
    """Turning two-factor on or off: the change done with the password and a code, or the
    reason it was not, put on the field it is about."""
    if not form.validate_on_submit():
        return False
    try:
        change(current_user, form.password.data, form.code.data)
    except totp.TwoFactorError as error:
        field = form.password if str(error) == "wrong-password" else form.code
        field.errors.append(TWO_FACTOR_ERRORS[str(error)])
        return False
    return True


@bp.post("/compte/double-authentification/desactiver")
@login_required
@limiter.limit(_code_limit, key_func=_own_account_key)
def two_factor_off():
    form = TwoFactorOffForm()
    if _with_password_and_code(form, totp.disable):
        sessions.mark_two_factor(False)
        flash(_("Two-factor authentication is off."), "success")
        return redirect(url_for(".account") + "#two-factor-title")
    return _account_page(two_factor_off_form=form), 400
