"""Exports for the committee: the dashboard's tables, and the responses made k-anonymous;
for administrators, the raw responses (audited)."""

from flask import Response, current_app, render_template, request, send_file
from flask_babel import gettext as _
from flask_login import current_user

from app.accounts import audit
from app.accounts.models import Role
from app.accounts.roles import role_required, two_factor_required
from app.analysis.counting.snapshot import snapshot
from app.analysis.export import anonymise, microdata, tables, writers
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


@bp.get("/analyse/<slug>/reponses")
@role_required(Role.COMMITTEE)
@two_factor_required  # its figures come from the responses themselves
def responses_page(slug: str):
    """How the response files are protected (k, what was recoded or left empty), and the
    links; for administrators, the raw files too, with a warning."""
    found = found_or_404(slug)
    made = _anonymiser(found)
    with snapshot() as connection:
        report = made.protect(found.survey.id, connection).report
    return render_template(
        "analysis/responses.html",
        found=found,
        report=report,
        raw=current_user.role == Role.ADMIN,
    )


@bp.get("/analyse/<slug>/reponses.<any(csv, xlsx, sav):kind>")
@role_required(Role.COMMITTEE)
@two_factor_required  # response-level data: only after a two-factor code in this session
def export_responses(slug: str, kind: str):
    """The responses, k-anonymous on the quasi-identifiers (export/anonymise.py)."""
    found = found_or_404(slug)
    dialect = _dialect()
    if kind == "csv" and dialect is None:
        return _unknown_dialect()
    words, made, survey_id = labels(), _anonymiser(found), found.survey.id
    name = f"{slug}-reponses.{kind}"
    if kind == "csv":

        def chunks():  # run by _with_app: both passes in one snapshot, while the file is sent
            with snapshot() as connection:
                protection = made.protect(survey_id, connection)
                rows = protection.apply(microdata.rows(survey_id, made.made, connection))
                yield from writers.csv_chunks([c.name for c in made.made.columns], rows, dialect)

        return _csv(_with_app(current_app._get_current_object(), chunks()), name, dialect)
    with snapshot() as connection:
        protection = made.protect(survey_id, connection)
        rows = protection.apply(microdata.rows(survey_id, made.made, connection))
        if kind == "xlsx":
            sheet = anonymise.report_rows(protection.report, words)
            made_file = writers.microdata_xlsx(made.made, rows, words, sheet)
        else:
            expected = 0 if protection.report.withheld else protection.report.rows
            note = anonymise.report_lines(protection.report)
            made_file = writers.microdata_sav(made.made, rows, expected, note)
    return send_file(made_file, download_name=name, as_attachment=True)


@bp.get("/analyse/<slug>/reponses-brutes.<any(csv, xlsx, sav):kind>")
@role_required(Role.ADMIN)
@two_factor_required
def export_raw_responses(slug: str, kind: str):
    """The responses as they are, exact communes: administrators only, each download in the
    audit log. The entry is written once the file is made (on SQLite a write holds the
    database until the request commits), and only if the request succeeds (commit_once)."""
    found = found_or_404(slug)
    dialect = _dialect()
    if kind == "csv" and dialect is None:
        return _unknown_dialect()
    words = labels()
    made = microdata.layout(found.definition, reading_language(found.definition), words)
    rows = microdata.rows(found.survey.id, made)
    name = f"{slug}-reponses-brutes.{kind}"
    if kind == "csv":
        chunks = writers.csv_chunks([c.name for c in made.columns], rows, dialect)
        sent = _csv(_with_app(current_app._get_current_object(), chunks), name, dialect)
    else:
        if kind == "xlsx":
            made_file = writers.microdata_xlsx(made, rows, words)
        else:
            made_file = writers.microdata_sav(made, rows, microdata.count(found.survey.id))
        sent = send_file(made_file, download_name=name, as_attachment=True)
    audit.record(current_user, audit.RAW_RESPONSES, f"{slug}-reponses-brutes.{kind}")
    return sent


def _anonymiser(found) -> anonymise.Anonymiser:
    k = current_app.config["ANALYSIS_MIN_CELL"]
    return anonymise.anonymiser(found.definition, reading_language(found.definition), labels(), k)


def _with_app(app, chunks):
    """Rows are read from the database while they are sent, after the view has returned: in an
    application context of their own."""
    with app.app_context():
        yield from chunks
