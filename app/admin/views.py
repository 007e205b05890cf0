from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from app.accounts import services
from app.accounts.forms import ACCOUNT_ERRORS, ROLE_LABELS, UserCreateForm
from app.accounts.models import Role
from app.accounts.roles import role_required
from app.admin import queries

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
    return render_template(
        "admin/users.html", form=form, users=queries.users(), role_labels=ROLE_LABELS
    ), status
