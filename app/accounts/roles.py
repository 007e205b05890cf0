"""Role guard: anonymous people are sent to log in; a logged-in person without the role gets 403."""

from functools import wraps

from flask import abort, render_template
from flask_login import current_user, login_required


def role_required(*roles: str):
    def decorate(view):
        @wraps(view)
        @login_required
        def guarded(*args, **kwargs):
            if not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        return guarded

    return decorate


def two_factor_required(view):
    """For response-level data: the account has two-factor authentication on and gave a code in
    this session; otherwise a page (403) that says how to turn it on. Goes under role_required."""

    @wraps(view)
    def guarded(*args, **kwargs):
        from app.accounts.sessions import two_factor_verified

        if not two_factor_verified():
            return render_template("accounts/two_factor_required.html"), 403
        return view(*args, **kwargs)

    return guarded
