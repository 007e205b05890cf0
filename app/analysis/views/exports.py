"""Exports for the committee: the dashboard's tables, and the anonymised responses."""

from flask import Response, current_app, send_file

from app.accounts.models import Role
from app.accounts.roles import role_required, two_factor_required
from app.analysis.export import microdata, tables, writers
from app.analysis.results.dashboard import dashboard
from app.analysis.results.figures import figures_for
from app.analysis.results.labels import labels, reading_language
from app.analysis.views import bp, found_or_404


@bp.get("/analyse/<slug>/tableaux.<any(csv, xlsx):kind>")
@role_required(Role.COMMITTEE)
def export_tables(slug: str, kind: str):
    found = found_or_404(slug)
    figures = figures_for(found)
    board = dashboard(figures)
    head, rows = tables.header(labels()), tables.table_rows(board, figures.k)
    name = f"{slug}-tableaux.{kind}"
    if kind == "csv":
        return Response(
            writers.csv_chunks(head, rows),  # plain figures already worked out: no context needed
            mimetype="text/csv",
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )
    return send_file(writers.xlsx_file(head, rows), download_name=name, as_attachment=True)


@bp.get("/analyse/<slug>/reponses.<any(csv, xlsx, sav):kind>")
@role_required(Role.COMMITTEE)
@two_factor_required  # response-level data: only after a two-factor code in this session
def export_responses(slug: str, kind: str):
    found = found_or_404(slug)
    words = labels()
    made = microdata.layout(found.definition, reading_language(found.definition), words)
    rows = microdata.rows(found.survey.id, made)
    name = f"{slug}-reponses.{kind}"
    if kind == "csv":
        head = [c.name for c in made.columns]
        return Response(
            _with_app(current_app._get_current_object(), writers.csv_chunks(head, rows)),
            mimetype="text/csv",
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )
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
