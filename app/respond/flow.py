"""One page of the respondent's path: show it, read it, save it, go on (or back, or later)."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.exceptions import NotFound

from app.respond import queries, services
from app.respond import session as visit
from app.surveys import logic
from app.surveys.runtime import (
    Context,
    depends_on_page,
    page_form,
    read_page,
    shown_questions,
    visible_pages,
)
from app.territory.queries import commune

AREAS = {"sud-esem": {"sud-esem"}, "sud-esem+haute-meuse": {"sud-esem", "haute-meuse"}}


def territory_problem(definition, answers: dict) -> tuple[str, str] | None:
    """(question id, message) when the residence is outside a territory that refuses it."""
    if definition.territory == "anyone" or definition.outside_territory == "keep":
        return None
    residence = next((q for q in definition.questions() if q.type == "place"), None)
    place = answers.get(residence.id) if residence else None
    if place is None or place.kind == "undisclosed":
        return None
    if place.kind == "elsewhere" or commune(place.nis).area not in AREAS[definition.territory]:
        return residence.id, _(
            "This questionnaire is for the inhabitants of the communes of the platform. "
            "Thank you for your interest."
        )
    return None


def _replace_page(answers: dict, page, new: dict, problems: dict) -> dict:
    """The page's answers replace the stored ones (a cleared answer is removed), except where
    the page had a problem: there the stored answer stays."""
    cleared = {k for q in page.questions if q.id not in problems for k in q.answer_keys()}
    return {k: v for k, v in answers.items() if k not in cleared} | new


def live_conditions(page, answers: dict) -> dict[str, dict]:
    """For questions that an answer on this same page reveals: what the browser re-evaluates."""
    live = {}
    for question in shown_questions(page, answers):
        if not depends_on_page(question, page):
            continue
        entry = {}
        if question.show_if:
            entry["show_if"] = logic.to_json(logic.parse(question.show_if))
        if getattr(question, "choices_from", None):
            entry["choices_from"] = question.choices_from
        live[question.id] = entry
    return live


def _render(found, response, page, form, answers, problems, lang, status=200):
    definition = response.version.model
    position, total = queries.progress(definition, answers, page.id)
    return render_template(
        "respond/page.html",
        found=found,
        definition=definition,
        page=page,
        shown=shown_questions(page, answers),
        live=live_conditions(page, answers),
        form=form,
        problems=problems,
        lang=lang,
        position=position,
        total=total,
        first=queries.neighbour(definition, answers, page.id, -1) is None,
        last=queries.neighbour(definition, answers, page.id, +1) is None,
        kiosk=visit.kiosk(),
    ), status


def handle_page(found, response, page_id: str):
    definition = response.version.model  # a partial response goes on with its own version
    page = next((p for p in definition.pages if p.id == page_id), None)
    if page is None:
        raise NotFound()
    slug = found.survey.slug
    answers = services.answers_of(response)
    if page not in visible_pages(definition, answers):  # skipped or tampered: go where it should
        target = response.current_page or queries.first_page(definition, answers)
        return redirect(url_for("respond.page", slug=slug, page_id=target))
    from app.respond.views import _lang

    ctx = Context(_lang(definition), answers)
    if request.method == "GET":
        form = page_form(definition, page, ctx)
        return _render(found, response, page, form, answers, {}, ctx.lang)

    action = request.form.get("action", "next")
    new, problems = read_page(page, request.form, answers)
    merged = _replace_page(answers, page, new, problems)
    if action in ("back", "save"):  # keep what was valid, then go
        services.save_answers(response, merged, page.id)
        if action == "save" and not visit.kiosk():
            visit.hand_over("resume", services.issue_resume_code(response))
            return redirect(url_for("respond.saved", slug=slug))
        previous = queries.neighbour(definition, merged, page.id, -1)
        if previous is None:
            return redirect(url_for("respond.intro", slug=slug))
        return redirect(url_for("respond.page", slug=slug, page_id=previous))
    outside = territory_problem(definition, merged)
    if outside and outside[0] in {q.id for q in page.questions}:
        problems[outside[0]] = [outside[1]]
    if problems:
        # Only to show the page again: the form gives the picker its candidates and errors.
        form = page_form(definition, page, ctx, formdata=request.form)
        form.validate()
        if outside and outside[0] in problems:  # shown by the picker, tied to its text box
            form[outside[0]].errors = [*form[outside[0]].errors, outside[1]]
        return _render(found, response, page, form, answers, problems, ctx.lang, status=400)
    following = queries.neighbour(definition, merged, page.id, +1)
    services.save_answers(response, merged, following or page.id)
    if following:
        return redirect(url_for("respond.page", slug=slug, page_id=following))
    missing = services.missing_page(response, merged)
    if missing:
        flash(_("A required answer is missing on this page."), "error")
        return redirect(url_for("respond.page", slug=slug, page_id=missing))
    code = services.submit(response)
    if code:
        visit.hand_over("deletion", code)
    # The session keeps pointing at the submitted response: a retry or Back shows the thanks.
    return redirect(url_for("respond.thanks", slug=slug))
