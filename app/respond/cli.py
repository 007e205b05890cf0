import click
from flask import Blueprint

from app.extensions import db

cli = Blueprint("respond_cli", __name__, cli_group="responses")


@cli.cli.command("purge")
def purge() -> None:
    """Delete partial responses past their survey's retention (run it daily)."""
    from app.respond.services import purge_expired

    count = purge_expired()
    db.session.commit()
    click.echo(f"{count} expired partial responses deleted.")
