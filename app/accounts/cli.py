"""`flask users create --role admin`: the first administrator, and any account from a shell."""

import click
from flask import Blueprint

from app.accounts.models import Role
from app.accounts.services import AccountError, create_user
from app.extensions import db

cli = Blueprint("users_cli", __name__, cli_group="users")

MESSAGES = {
    "invalid-email": "not a valid email address",
    "unknown-role": "unknown role",
    "short-password": "the password must have at least 12 characters",
    "missing-name": "a name is required",
    "email-taken": "an account already uses this email address",
}


@cli.cli.command("create")
@click.option("--email", prompt=True, help="Login email address.")
@click.option("--name", "display_name", prompt=True, help="Name shown to others.")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.password_option(help="At least 12 characters (asked twice when not given).")
def create(email: str, display_name: str, role: str, password: str) -> None:
    """Create an account."""
    try:
        user = create_user(email, display_name, role, password)
    except AccountError as error:
        db.session.rollback()
        raise click.ClickException(MESSAGES[str(error)]) from None
    db.session.commit()
    click.echo(f"Created {user.role} account for {user.email}.")
