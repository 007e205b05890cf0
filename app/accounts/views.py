from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from app.accounts import services
from app.accounts.forms import ACCOUNT_ERRORS, LoginForm, PasswordForm, ProfileForm
from app.extensions import limiter
from app.i18n import LANGUAGE_COOKIE
from app.navigation import local_path
from app.privacy import keyed_hash
from app.territory.places import Place

bp = Blueprint("accounts", __name__, template_folder="templates")


def _account_key() -> str:
    return "account:" + keyed_hash(request.form.get("email", ""))


@bp.route("/connexion", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
@limiter.limit(
    lambda: current_app.config["LOGIN_ACCOUNT_RATE_LIMIT"], methods=["POST"], key_func=_account_key
)
def login():
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is not None:
            session.clear()  # a fresh session at login: nothing carried over, no fixation
            login_user(user)
            return redirect(local_path(request.args.get("next")) or url_for(".account"))
        # One message whether or not the account exists.
        form.password.errors.append(_("Email address or password not recognised."))
    status = 400 if form.errors else 200
    return render_template("accounts/login.html", form=form), status


@bp.post("/deconnexion")
def logout():
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
    return render_template(
        "accounts/account.html", form=form, password_form=PasswordForm(formdata=None)
    ), status


@bp.post("/compte/mot-de-passe")
@login_required
def change_password():
    form = PasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(current_user, form.current.data, form.new.data)
        except services.AccountError as error:
            form.current.errors.append(ACCOUNT_ERRORS[str(error)])
        else:
            login_user(current_user._get_current_object())  # the session follows the new token
            flash(_("Your password is changed. Other sessions are signed out."), "success")
            return redirect(url_for(".account"))
    profile = ProfileForm(formdata=None, obj=current_user, place=Place.from_columns(current_user))
    return render_template("accounts/account.html", form=profile, password_form=form), 400
