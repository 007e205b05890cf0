from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from app.accounts import services, totp
from app.accounts.forms import ROLE_LABELS, ScopeForm, UserCreateForm, account_error
from app.accounts.models import Role, User
from app.accounts.roles import role_required
from app.accounts.scopes import scope_of, set_partner_scope
from app.admin import queries
from app.errors import render_error
from app.extensions import db
from app.territory.queries import communes, themes

bp = Blueprint("admin", __name__, url_prefix="/admin", template_folder="templates")
# Which field of the creation form an AccountError belongs to (the role otherwise).
ERROR_FIELDS = {
    "invalid-email": "email",
    "email-taken": "email",
    "missing-name": "display_name",
    "short-password": "password",
    "weak-password": "password",
}


@bp.route("/utilisateurs", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def users():
    form = UserCreateForm()
    if form.validate_on_submit():
        try:
            user = services.create_user(
                form.email.data, form.display_name.data, form.role.data, form.password.data
            )
        except services.AccountError as error:
            field = form[ERROR_FIELDS.get(str(error), "role")]
            field.errors = [*field.errors, account_error(error)]
        else:
            flash(_("Account created for %(email)s.", email=user.email), "success")
            return redirect(url_for(".users"))
    status = 400 if form.errors else 200
    accounts = queries.users()
    scopes = {u.id: scope_of(u) for u in accounts if u.role == Role.PARTNER}
    return render_template(
        "admin/users.html", form=form, users=accounts, role_labels=ROLE_LABELS, scopes=scopes
    ), status


@bp.route("/utilisateurs/<int:user_id>/perimetre", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def partner_scope(user_id: int):
    """The communes and sectors a partner organisation reads (none ticked: it reads nothing)."""
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    if user.role != Role.PARTNER:
        return render_error(
            400, _("Only partner organisations have a scope: the committee reads everything.")
        )
    form = ScopeForm()
    form.communes.choices = [(c.nis, c.name) for c in communes()]
    locale = str(get_locale())
    form.themes.choices = [(t.slug, t.name(locale)) for t in themes()]
    if form.validate_on_submit():
        set_partner_scope(user, form.communes.data or [], form.themes.data or [])
        flash(_("Scope saved for %(email)s.", email=user.email), "success")
        return redirect(url_for(".users"))
    if not form.is_submitted():
        rights = scope_of(user)
        form.communes.data = sorted(rights.communes or ())
        form.themes.data = sorted(rights.themes or ())
    status = 400 if form.errors else 200
    return render_template("admin/scope.html", form=form, user=user), status


@bp.post("/utilisateurs/<int:user_id>/double-authentification/reinitialiser")
@role_required(Role.ADMIN)
def reset_two_factor(user_id: int):
    """Recovery for a lost phone: two-factor off and every session of the account ended; the
    person logs in with their password and sets it up again. Not for one's own account (an
    administrator's session alone must not remove its own second factor): see `flask users
    reset-2fa`."""
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    if user.id == current_user.id:
        abort(403)
    totp.reset(user)
    message = _("Two-factor authentication is reset for %(email)s.", email=user.email)
    flash(message, "success")
    return redirect(url_for(".users"))
