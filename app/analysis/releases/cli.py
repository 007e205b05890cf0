"""`flask results publish-closed`: each closed questionnaire's final release (run it daily)."""

import click
from flask import Blueprint

from app.extensions import db

cli = Blueprint("results_cli", __name__, cli_group="results")


@cli.cli.command("publish-closed")
def publish_closed() -> None:
    """Publish the results of every closed questionnaire that has enough new responses."""
    from app.analysis.releases.queries import latest, new_since
    from app.analysis.releases.services import NotPublished, publish
    from app.surveys.queries import all_surveys

    for found in all_surveys():
        if found.state != "closed" or not new_since(found.survey.id, latest(found.survey.id)):
            continue  # open, or published with every response already
        try:
            release = publish(found)
        except NotPublished as refused:
            click.echo(f"{found.survey.slug}: not published. {refused}")
            continue
        db.session.commit()  # each release on its own: one refused leaves the others
        click.echo(
            f"{found.survey.slug}: publication no. {release.number} ({release.responses} responses)"
        )
