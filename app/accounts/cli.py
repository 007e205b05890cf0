"""`flask users create --role admin`: the first administrator, and any account from a shell;
`flask users scope` for a partner's communes and sectors; `flask users token` for the API;
`flask users reset-2fa` when a phone is lost (the only way to reset one's own)."""

import click
from flask import Blueprint
from sqlalchemy import select

from app.accounts.models import Role, User
from app.accounts.scopes import ScopeError, set_partner_scope
from app.accounts.services import AccountError, create_user, normalise_email
from app.accounts.tokens import TokenError, issue
from app.accounts.totp import reset
from app.extensions import db

cli = Blueprint("users_cli", __name__, cli_group="users")

MESSAGES = {
    "invalid-email": "not a valid email address",
    "unknown-role": "unknown role",
    "short-password": "the password must have at least 12 characters",
    "missing-name": "a name is required",
    "email-taken": "an account already uses this email address",
    "weak-password": "this password is too easy to guess (zxcvbn score below 3): choose a "
    "longer one, a few words only you would put together, not your name or email",
}

SCOPE_MESSAGES = {
    "not-a-partner": "only partner accounts have a scope (the committee reads everything)",
    "unknown-commune": "unknown commune: give NIS codes of the territory",
    "unknown-theme": "unknown theme: see GET /api/v1/themes",
}
TOKEN_MESSAGES = {
    "missing-label": "a label of 1 to 80 characters is required",
    "not-allowed": "only committee, administrator and partner accounts hold API tokens",
}


@cli.cli.command("create")
@click.option("--email", prompt=True, help="Login email address.")
@click.option("--name", "display_name", prompt=True, help="Name shown to others.")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.password_option(help="At least 12 characters, hard to guess (asked twice when not given).")
def create(email: str, display_name: str, role: str, password: str) -> None:
    """Create an account."""
    try:
        user = create_user(email, display_name, role, password)
    except AccountError as error:
        db.session.rollback()
        reason = getattr(error, "warning", "")
        raise click.ClickException(
            MESSAGES[str(error)] + (f" ({reason})" if reason else "")
        ) from None
    db.session.commit()
    click.echo(f"Created {user.role} account for {user.email}.")


def _user(email: str) -> User:
    user = db.session.scalar(select(User).where(User.email == normalise_email(email)))
    if user is None:
        raise click.ClickException(f"no account uses {email}")
    return user


@cli.cli.command("scope")
@click.option("--email", required=True, help="The partner's login email address.")
@click.option("--commune", "communes", multiple=True, help="A NIS code (repeatable).")
@click.option("--theme", "themes", multiple=True, help="A theme slug (repeatable).")
def scope(email: str, communes: tuple[str, ...], themes: tuple[str, ...]) -> None:
    """Set the communes and sectors (themes) a partner organisation reads; replaces the old."""
    user = _user(email)
    try:
        set_partner_scope(user, list(communes), list(themes))
    except ScopeError as error:
        db.session.rollback()
        raise click.ClickException(SCOPE_MESSAGES[str(error)]) from None
    db.session.commit()
    click.echo(
        f"{user.email} reads communes: {', '.join(communes) or 'all'}; "
        f"themes: {', '.join(themes) or 'all'}."
    )


@cli.cli.command("token")
@click.option("--email", required=True, help="The account the token reads for.")
@click.option("--label", required=True, help="What the token is for (e.g. « observatory R »).")
def token(email: str, label: str) -> None:
    """Issue a results API token; it is printed once and only its hash is kept."""
    user = _user(email)
    try:
        _token, plain = issue(user, label)
    except TokenError as error:
        db.session.rollback()
        raise click.ClickException(TOKEN_MESSAGES[str(error)]) from None
    db.session.commit()
    click.echo(plain)


@cli.cli.command("reset-2fa")
@click.option("--email", required=True, help="The account whose phone was lost.")
def reset_two_factor(email: str) -> None:
    """Turn off two-factor authentication (phone lost) and end every session of the account."""
    user = _user(email)
    reset(user)
    db.session.commit()
    click.echo(f"Two-factor authentication reset for {user.email}: they set it up again.")
