"""The committee reads the free-text answers and codes them with the questionnaire's codebook.

Free text can name people: committee only, never partners or the public. A group of the
dashboard's filters narrows the list only where the dashboard shows that group (k or more).
The texts typed for « Other, please specify » are listed the same way, to be read (not coded)."""

import re

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.accounts.models import Role
from app.accounts.roles import role_required, two_factor_required
from app.analysis.codebook import queries as texts
from app.analysis.codebook import services as codebook
from app.analysis.counting import within
from app.analysis.results import groups as filtered
from app.analysis.results import reading
from app.analysis.results.figures import figures_for
from app.analysis.results.labels import NOT_ANSWERED
from app.analysis.views import bp, found_or_404, refusing
from app.errors import render_error

MAX_SEARCH = 100
WHOLE = re.compile(r"[0-9]{1,9}")  # ASCII digits only: « ² » is a digit to str.isdigit


def whole(value: str) -> int | None:
    """A page or code number as typed, or None (not one, or absurdly long)."""
    return int(value) if WHOLE.fullmatch(value or "") else None


@bp.get("/analyse/<slug>/textes")
@role_required(Role.COMMITTEE)
@two_factor_required  # each person's own words: response-level data, as the exports
@refusing
def text_answers(slug: str):
    found = found_or_404(slug)
    questions = texts.readable_questions(found.definition)
    codes = texts.codes_of(found.survey.id)
    page = {"found": found, "questions": questions, "codes": codes, "uncoded": texts.UNCODED}
    page["codable"] = set(texts.text_questions(found.definition))
    if not questions:
        return render_template("analysis/texts.html", **page, listing=None)
    args = request.args
    question_id = args.get("question") or next(iter(questions))
    if question_id not in questions:
        raise reading.BadQuery(_("Unknown question: choose a free-text question from the list."))
    search = args.get("q", "").strip()
    if len(search) > MAX_SEARCH:
        raise reading.BadQuery(_("Search for at most %(n)s characters.", n=MAX_SEARCH))
    code = _code(args.get("code", ""), codes) if question_id in page["codable"] else None
    number = args.get("page", "1")
    if whole(number) is None or whole(number) < 1:
        raise reading.BadQuery(_("Unknown page: pages are numbered from 1."))
    chosen = args.get("filtre") or None
    figures, members = figures_for(found), None
    if chosen:
        try:
            group = filtered.parse(chosen, figures)
        except filtered.UnknownFilter:
            raise reading.BadQuery(_("Unknown filter: choose a group from the list.")) from None
        except filtered.TooFewInGroup as small:
            raise reading.BadQuery(reading.too_few(small)) from None
        by = figures.offered[group.key]
        tokens = {
            t for t in figures.counted.tokens(by.source) if by.category_of(t) == group.category
        }
        members = within(by.source, tokens, group.category == NOT_ANSWERED)
    listing = texts.text_page(found.survey.id, question_id, search, members, code, int(number))
    if listing.page > listing.pages:
        raise reading.BadQuery(_("Unknown page: there are %(n)s pages.", n=listing.pages))
    filters = filtered.choices(figures)
    page |= {"listing": listing, "question_id": question_id, "search": search, "code": code}
    page |= {"filters": filters, "chosen": chosen, "labels": {c.id: c.label for c in codes}}
    return render_template("analysis/texts.html", **page)


def _code(value: str, codes) -> int | str | None:
    if value in ("", None):
        return None
    if value == texts.UNCODED:
        return value
    if whole(value) in {c.id for c in codes}:
        return whole(value)
    raise reading.BadQuery(_("Unknown code: choose a code of this questionnaire's codebook."))


@bp.post("/analyse/<slug>/codes")
@role_required(Role.COMMITTEE)
def add_code(slug: str):
    found = found_or_404(slug)
    try:
        code = codebook.add_code(found.survey.id, request.form.get("label", ""))
    except codebook.CodebookError as refused:
        return _refused(str(refused))  # a 400: the request rolls back
    flash(_("Code « %(code)s » added to the codebook.", code=code.label), "success")
    return redirect(_back(slug))


@bp.post("/analyse/<slug>/codes/<int:code_id>/supprimer")
@role_required(Role.COMMITTEE)
def remove_code(slug: str, code_id: int):
    found = found_or_404(slug)
    if not codebook.remove_code(found.survey.id, code_id):
        return render_error(404)
    flash(_("Code removed from the codebook and from every answer."), "success")
    return redirect(_back(slug))


@bp.post("/analyse/<slug>/textes/<int:answer_id>")
@role_required(Role.COMMITTEE)
@two_factor_required
def code_answer(slug: str, answer_id: int):
    found = found_or_404(slug)
    wanted = [whole(v) for v in request.form.getlist("code")]
    if None in wanted:
        return _refused(_("Unknown code: choose codes of this questionnaire's codebook."))
    try:
        codebook.set_codes(found.survey.id, found.definition, answer_id, wanted, current_user.id)
    except codebook.CodebookError as refused:
        return _refused(str(refused))
    flash(_("Codes saved."), "success")
    return redirect(_back(slug) + f"#reponse-{answer_id}")


def _refused(message: str):
    return render_error(400, message)


def _back(slug: str) -> str:
    """The list as it was (its query sent back with the form), never another site."""
    query = request.form.get("retour", "")
    base = url_for("analysis.text_answers", slug=slug)
    return f"{base}?{query}" if query and "\n" not in query and "\r" not in query else base
