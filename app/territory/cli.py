"""`flask territory load`: reference data into the database."""

from pathlib import Path

import click
from flask import Blueprint

from app.extensions import db
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
