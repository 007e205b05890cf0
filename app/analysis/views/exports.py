"""Exports for the committee: the dashboard's tables, and the anonymised responses."""

from flask import Response, current_app, request, send_file
from flask_babel import gettext as _

from app.accounts.models import Role
from app.accounts.roles import role_required, two_factor_required
from app.analysis.export import microdata, tables, writers
from app.analysis.results.dashboard import dashboard
from app.analysis.results.figures import figures_for
from app.analysis.results.labels import labels, reading_language
from app.analysis.views import bp, found_or_404
from app.errors import render_error


def _dialect() -> str | None:
    """The CSV asked for: ?dialecte=excel (semicolons, decimal commas), or the standard one."""
    wanted = request.args.get("dialecte", "standard")
    return wanted if wanted in writers.DIALECTS else None


def _csv(chunks, name: str, dialect: str) -> Response:
    if dialect == "excel":
        name = name.replace(".csv", "-excel.csv")
    return Response(
        chunks,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def _unknown_dialect():
    return render_error(
        400,
        _(
            "Unknown CSV kind: leave « dialecte » out for commas and decimal points, or ask "
            "« dialecte=excel » for semicolons and decimal commas (Excel in Belgium)."
        ),
    )


@bp.get("/analyse/<slug>/tableaux.<any(csv, xlsx):kind>")
@role_required(Role.COMMITTEE)
def export_tables(slug: str, kind: str):
    found = found_or_404(slug)
    dialect = _dialect()
    if kind == "csv" and dialect is None:
        return _unknown_dialect()
    figures = figures_for(found)
    board = dashboard(figures)
    head, rows = tables.header(labels()), tables.table_rows(board, figures.k)
    name = f"{slug}-tableaux.{kind}"
    if kind == "csv":
        # plain figures already worked out: no context needed
        return _csv(writers.csv_chunks(head, rows, dialect), name, dialect)
    return send_file(writers.xlsx_file(head, rows), download_name=name, as_attachment=True)


@bp.get("/analyse/<slug>/reponses.<any(csv, xlsx, sav):kind>")
@role_required(Role.COMMITTEE)
@two_factor_required  # response-level data: only after a two-factor code in this session
def export_responses(slug: str, kind: str):
    found = found_or_404(slug)
    dialect = _dialect()
    if kind == "csv" and dialect is None:
        return _unknown_dialect()
    words = labels()
    made = microdata.layout(found.definition, reading_language(found.definition), words)
    rows = microdata.rows(found.survey.id, made)
    name = f"{slug}-reponses.{kind}"
    if kind == "csv":
        head = [c.name for c in made.columns]
        chunks = writers.csv_chunks(head, rows, dialect)
        return _csv(_with_app(current_app._get_current_object(), chunks), name, dialect)
    if kind == "xlsx":
        made_file = writers.microdata_xlsx(made, rows, words)
    else:
        made_file = writers.microdata_sav(made, rows, microdata.count(found.survey.id))
    return send_file(made_file, download_name=name, as_attachment=True)


def _with_app(app, chunks):
    """Rows are read from the database while they are sent, after the view has returned: in an
    application context of their own."""
    with app.app_context():
        yield from chunks
