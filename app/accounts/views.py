from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from app.accounts import services, sessions, tokens
from app.accounts.forms import (
    LoginForm,
    PasswordForm,
    ProfileForm,
    TokenForm,
    TwoFactorOffForm,
    account_error,
)
from app.accounts.models import Role
from app.accounts.scopes import scope_of
from app.extensions import limiter
from app.i18n import LANGUAGE_COOKIE
from app.navigation import local_path
from app.privacy import client_fingerprint, keyed_hash
from app.territory.places import Place

bp = Blueprint("accounts", __name__, template_folder="templates")


def _account_and_client_key() -> str:
    """The account tried *from this client*: someone else's failures, from another client,
    never lock the owner out (the per-client limit still holds whatever the account)."""
    email = request.form.get("email", "")
    return "account:" + keyed_hash(f"{email.strip().lower()} {client_fingerprint()}")


@bp.route("/connexion", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
@limiter.limit(
    lambda: current_app.config["LOGIN_ACCOUNT_RATE_LIMIT"],
    methods=["POST"],
    key_func=_account_and_client_key,
)
def login():
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        next_path = local_path(request.args.get("next"))
        if user is not None and user.two_factor_enabled:
            sessions.hold(user)  # nobody is logged in until the code is given
            return redirect(url_for(".login_code", next=next_path))
        if user is not None:
            sessions.begin(user)  # a fresh session: nothing carried over, no fixation
            return redirect(next_path or landing(user))
        # One message whether or not the account exists.
        form.password.errors.append(_("Email address or password not recognised."))
    status = 400 if form.errors else 200
    return render_template("accounts/login.html", form=form), status


def landing(user) -> str:
    """Where each role works: administrators on the accounts, the committee and partners on
    the analysis, facilitators on their account page (their own tools come with the live
    polls; a partner with no commune or sector yet, there too)."""
    if user.role == Role.ADMIN:
        return url_for("admin.users")
    if user.has_role(Role.COMMITTEE, Role.PARTNER) and not scope_of(user).nothing:
        return url_for("analysis.index")
    return url_for(".account")  # a partner given no commune or sector yet reads it there


@bp.post("/deconnexion")
def logout():
    """Ends every session of the account, not only this browser's: a copy of the cookie taken
    before (on a shared computer, by malware) opens nothing afterwards."""
    if current_user.is_authenticated:
        services.sign_out_everywhere(current_user)
    logout_user()
    session.clear()
    flash(_("You are logged out."), "success")
    return redirect(url_for("site.home"))


@bp.route("/compte", methods=["GET", "POST"])
@login_required
def account():
    form = ProfileForm(obj=current_user, place=Place.from_columns(current_user))
    if form.validate_on_submit():
        services.update_profile(
            current_user, form.display_name.data, form.locale.data, form.place.data
        )
        flash(_("Your account is saved."), "success")
        response = redirect(url_for(".account"))
        if form.locale.data:
            response.set_cookie(
                LANGUAGE_COOKIE, form.locale.data, max_age=365 * 86400, samesite="Lax"
            )
        return response
    status = 400 if form.errors else 200
    return _account_page(form=form), status


def _account_page(**forms):
    """The account page, with whichever of its forms was sent (and its errors) in place."""
    pages = {
        "form": ProfileForm(
            formdata=None, obj=current_user, place=Place.from_columns(current_user)
        ),
        "password_form": PasswordForm(formdata=None),
        "token_form": TokenForm(formdata=None),
        "two_factor_off_form": TwoFactorOffForm(formdata=None),
    } | forms
    holds = tokens.may_hold_tokens(current_user)
    return render_template(
        "accounts/account.html",
        **pages,
        holds_tokens=holds,
        tokens=tokens.tokens_of(current_user) if holds else [],
    )


@bp.post("/compte/jetons")
@login_required
def create_token():
    """A results API token, shown on this one page and never again (only its hash is kept)."""
    if not tokens.may_hold_tokens(current_user):
        abort(403)
    form = TokenForm()
    if not form.validate_on_submit():
        return _account_page(token_form=form), 400
    _token, plain = tokens.issue(current_user, form.label.data)
    response = make_response(_account_page(new_token=plain), 201)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/compte/jetons/<int:token_id>/revoquer")
@login_required
def revoke_token(token_id: int):
    if not tokens.revoke(current_user, token_id):
        abort(404)
    flash(_("The token is revoked: it no longer opens anything."), "success")
    return redirect(url_for(".account") + "#tokens-title")


@bp.post("/compte/mot-de-passe")
@login_required
def change_password():
    form = PasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(current_user, form.current.data, form.new.data)
        except services.AccountError as error:
            field = form.current if str(error) == "wrong-password" else form.new
            field.errors.append(account_error(error))
        else:
            login_user(current_user._get_current_object())  # this session follows the new token
            flash(_("Your password is changed. Other sessions are signed out."), "success")
            return redirect(url_for(".account"))
    return _account_page(password_form=form), 400
