from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from app.accounts import services
from app.accounts.forms import ACCOUNT_ERRORS, ROLE_LABELS, ScopeForm, UserCreateForm
from app.accounts.models import Role, User
from app.accounts.roles import role_required
from app.accounts.scopes import scope_of, set_partner_scope
from app.admin import queries
from app.errors import render_error
from app.extensions import db
from app.territory.queries import communes, themes

bp = Blueprint("admin", __name__, url_prefix="/admin", template_folder="templates")


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
            field = form.email if str(error) in {"invalid-email", "email-taken"} else form.role
            field.errors = [*field.errors, ACCOUNT_ERRORS[str(error)]]
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
        set_partner_scope(user, form.communes.data, form.themes.data)
        flash(_("Scope saved for %(email)s.", email=user.email), "success")
        return redirect(url_for(".users"))
    if not form.is_submitted():
        rights = scope_of(user)
        form.communes.data = sorted(rights.communes or ())
        form.themes.data = sorted(rights.themes or ())
    status = 400 if form.errors else 200
    return render_template("admin/scope.html", form=form, user=user), status
