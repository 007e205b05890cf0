"""`flask surveys check|load|schema` and `flask demo responses`."""

import json
from pathlib import Path

import click
from flask import Blueprint

from app.extensions import db

cli = Blueprint("surveys_cli", __name__, cli_group="surveys")
SURVEYS_DIR = Path(__file__).resolve().parent.parent.parent / "surveys"


@cli.cli.command("check")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
def check(paths: tuple[Path, ...]) -> None:
    """Check definition files (default: surveys/); exit 1 when any has a problem."""
    from app.surveys.validator import check_paths

    results = check_paths(list(paths) or [SURVEYS_DIR])
    problems = [p for r in results for p in r.problems]
    for problem in problems:
        click.echo(str(problem), err=True)
    click.echo(f"{len(results)} file(s) checked, {len(problems)} problem(s).")
    if problems:
        raise SystemExit(1)


@cli.cli.command("load")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--strict", is_flag=True, help="Exit 1 when any file is refused.")
def load(paths: tuple[Path, ...], strict: bool) -> None:
    """Store each valid definition; a changed file becomes a new version.

    A file with a problem loads nothing and is reported; the others still load.
    """
    from app.surveys.services import load_paths

    report = load_paths(list(paths) or [SURVEYS_DIR])
    db.session.commit()
    for slug, what in report.outcomes:
        click.echo(f"{slug}: {what}")
    for line in report.refused:
        click.echo(f"refused: {line}", err=True)
    if strict and report.refused:
        raise SystemExit(1)


@cli.cli.command("schema")
@click.option("--output", type=click.Path(path_type=Path), default=SURVEYS_DIR / "schema.json")
def schema(output: Path) -> None:
    """Write the JSON Schema of the definition format (surveys/schema.json)."""
    from app.surveys.schema import json_schema

    output.write_text(json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n", "utf-8")
    click.echo(f"Wrote {output}")
