"""`flask territory load`: reference data into the database; `flask territory ages`: the
population by age, supplied as data."""

from pathlib import Path

import click
from flask import Blueprint

from app.extensions import db
from app.territory.ages import AgeDataError, load_ages
from app.territory.services import DATA_DIR, ReferenceDataError, load_reference_data

cli = Blueprint("territory_cli", __name__, cli_group="territory")


@cli.cli.command("load")
@click.option("--data-dir", type=click.Path(file_okay=False, path_type=Path), default=DATA_DIR)
def load(data_dir: Path) -> None:
    """Load communes, sections, postcodes, boundaries and themes (idempotent)."""
    try:
        report = load_reference_data(data_dir)
    except (ReferenceDataError, OSError) as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    db.session.commit()
    if not report.changed:
        click.echo("Territory and themes: already up to date.")
        return
    for label, counts in (("added", report.added), ("updated", report.updated)):
        if counts:
            click.echo(f"{label}: " + ", ".join(f"{n} {what}" for what, n in counts.items()))


@cli.cli.command("ages")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--year", type=click.IntRange(1990, 2100), required=True, help="Year of the figures")
def ages(path: Path, year: int) -> None:
    """Load the population by commune and age (Statbel's file, or nis,age,population) to weigh
    answers to age bands. Replaces what was loaded before."""
    try:
        report = load_ages(path, year)
    except AgeDataError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(
        f"Population by age ({year}): {report.people:,} inhabitants of {report.communes} "
        f"communes; {report.passed_over:,} rows of other communes passed over."
    )
