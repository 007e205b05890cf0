"""`flask analysis tally`: count the responses sent since the last reading into the tallies
(a reading does it too; after a bulk import, this spares the first reader the wait)."""

import click
from flask import Blueprint
from sqlalchemy import select

from app.extensions import db

cli = Blueprint("analysis_cli", __name__, cli_group="analysis")


@cli.cli.command("tally")
@click.option("--survey", "slug", help="One questionnaire's slug (default: all of them).")
def tally(slug: str | None) -> None:
    """Bring the analysis tallies up to date with every response sent."""
    from app.analysis.tallies import up_to_date
    from app.surveys.models import Survey

    query = select(Survey).order_by(Survey.slug)
    if slug:
        query = query.where(Survey.slug == slug)
    surveys = list(db.session.scalars(query))
    if slug and not surveys:
        raise click.ClickException(f"no loaded survey « {slug} »")
    for survey in surveys:
        click.echo(f"{survey.slug}: {up_to_date(survey.id).total} responses counted.")
