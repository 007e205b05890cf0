"""`flask demo responses`: synthetic responses for demos and benchmarks."""

import click
from flask import Blueprint
from sqlalchemy import delete, select

from app.extensions import db

cli = Blueprint("demo_cli", __name__, cli_group="demo")


def _survey(slug: str):
    from app.surveys.models import Survey

    survey = db.session.scalar(select(Survey).where(Survey.slug == slug))
    if survey is None or not survey.versions:
        raise click.ClickException(f"no loaded survey « {slug} » (run `flask surveys load` first)")
    return survey


@cli.cli.command("responses")
@click.option("--survey", "slug", required=True, help="The survey's slug.")
@click.option("--count", type=click.IntRange(1, 1_000_000), default=100, show_default=True)
@click.option("--seed", type=int, default=1, show_default=True, help="Same seed, same responses.")
def responses(slug: str, count: int, seed: int) -> None:
    """Generate synthetic responses (flagged; left out of real analyses unless asked for)."""
    from app.surveys.demo import generate
    from app.surveys.services import store_response

    version = _survey(slug).versions[-1]
    for i, answers in enumerate(generate(version.model, count, seed), start=1):
        store_response(version, answers, channel="synthetic", synthetic=True)
        if i % 500 == 0:
            db.session.commit()
    db.session.commit()
    click.echo(f"{count} synthetic responses for {slug} (version {version.number}, seed {seed}).")


@cli.cli.command("clear")
@click.option("--survey", "slug", required=True)
def clear(slug: str) -> None:
    """Delete the synthetic responses of a survey (real responses are never touched)."""
    from app.surveys.models import Response, SurveyVersion

    versions = select(SurveyVersion.id).where(SurveyVersion.survey_id == _survey(slug).id)
    result = db.session.execute(
        delete(Response).where(Response.synthetic.is_(True), Response.version_id.in_(versions))
    )
    db.session.commit()
    click.echo(f"{result.rowcount} synthetic responses deleted.")
