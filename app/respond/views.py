"""The respondent's pages at /s/<slug>. Views stay thin: services and queries do the work."""

import io

import segno
from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, logout_user
from flask_wtf import FlaskForm
from werkzeug.exceptions import NotFound

from app.accounts.models import Role
from app.extensions import limiter
from app.i18n import content_language as _lang
from app.respond import queries, services
from app.respond import session as visit
from app.surveys import logic
from app.surveys.queries import Current, current
from app.surveys.runtime import Context, depends_on_page, page_form, shown_questions, visible_pages

bp = Blueprint("respond", __name__, template_folder="templates")
KIOSK_STAFF = (Role.FACILITATOR, Role.COMMITTEE)  # and administrators


@bp.after_request
def no_store(response):
    # Nobody's answers in a shared tablet's cache or back button.
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.before_request
def kiosk_forgets():
    """A kiosk silent for the idle delay starts afresh before anything is shown: the next person
    never sees the previous one's answers, with or without JavaScript (without it, the page
    reloads itself after the delay and lands here)."""
    if not visit.kiosk():
        return None
    if visit.kiosk_expired():
        slug = visit.kiosk_slug()
        visit.reset_for_next_person()
        # The start page, and staff setting the tablet up again, go where they asked.
        if slug and request.endpoint not in (
            "respond.intro",
            "respond.kiosk",
            "respond.start_kiosk",
        ):
            flash(_("The tablet was idle, so it started again for the next person."), "info")
            return redirect(url_for(".intro", slug=slug))
    visit.kiosk_heard()
    return None


def _current(slug: str) -> Current:
    found = current(slug)
    if found is None:
        abort(404)
    return found


def _closed(found):
    return render_template("respond/closed.html", found=found, lang=_lang(found.definition)), 410


@bp.get("/s/<slug>")
def intro(slug: str):
    found = _current(slug)
    if found.state != "open":
        return _closed(found)
    definition = found.definition
    return render_template(
        "respond/intro.html",
        found=found,
        lang=_lang(definition),
        start_key=services.new_start_key(),
        minutes=queries.minutes(definition),
        form=FlaskForm(),
        kiosk=visit.kiosk(),
        idle_minutes=max(1, round(visit.kiosk_idle() / 60)),
    )


@bp.get("/k/<slug>")
def kiosk(slug: str):
    """The set-up page of a shared tablet. Opening it changes nothing: a staff member who opens
    the link stays signed in until they press the button."""
    found = _current(slug)
    if visit.kiosk_slug() == slug:
        return redirect(url_for(".intro", slug=slug))
    return render_template(
        "respond/kiosk.html",
        found=found,
        lang=_lang(found.definition),
        minutes=max(1, round(visit.kiosk_idle() / 60)),
        form=FlaskForm(),
        staff=current_user.is_authenticated and current_user.has_role(*KIOSK_STAFF),
    )


@bp.post("/k/<slug>")
def start_kiosk(slug: str):
    """Staff start a tablet (its answers count as « kiosk »); they are signed out on it."""
    _current(slug)
    if not FlaskForm().validate_on_submit():
        abort(400)
    if not (current_user.is_authenticated and current_user.has_role(*KIOSK_STAFF)):
        return redirect(url_for("accounts.login", next=url_for(".kiosk", slug=slug)))
    logout_user()  # nobody's account stays open on a tablet passed from hand to hand
    visit.start_kiosk(slug)
    return redirect(url_for(".intro", slug=slug))


@bp.post("/k/nouvelle-personne")
def next_person():
    """« New person »: whatever the previous person left is forgotten by this browser."""
    if not FlaskForm().validate_on_submit():
        abort(400)
    slug = visit.kiosk_slug()
    if slug is None:
        return redirect(url_for("site.home"))
    visit.reset_for_next_person()
    return redirect(url_for(".intro", slug=slug))


@bp.post("/k/actif")
def still_here():
    """The kiosk's script says the person is still busy on this page (no request otherwise
    tells the server while they read or type); without it the idle delay would cut them off."""
    if not FlaskForm().validate_on_submit():
        abort(400)
    return "", 204


@bp.post("/s/<slug>/commencer")
@limiter.limit(lambda: current_app.config["START_RATE_LIMIT"])
def start(slug: str):
    found = _current(slug)
    if found.state != "open":
        return _closed(found)
    if not FlaskForm().validate_on_submit():
        abort(400)
    if found.definition.consent_required and request.form.get("consent") != "yes":
        flash(_("Please tick the box to say you agree, or close this page."), "error")
        return redirect(url_for(".intro", slug=slug))
    key = request.form.get("start_key", "")[:64] or services.new_start_key()
    response = services.start(found.version, key, channel="kiosk" if visit.kiosk() else "web")
    visit.remember(slug, response.id)
    page = response.current_page or queries.first_page(found.definition, {})
    return redirect(url_for(".page", slug=slug, page_id=page))


@bp.route("/s/<slug>/p/<page_id>", methods=["GET", "POST"])
def page(slug: str, page_id: str):
    found = _current(slug)
    if found.state != "open":
        return _closed(found)
    _lang(found.definition)
    response = queries.own_response(visit.response_id(slug), found.survey.id)
    if response is None:
        flash(_("Your session has ended. Start again, or use your resume code."), "info")
        return redirect(url_for(".intro", slug=slug))
    if response.submitted_at is not None:
        # A double tap or a retry of « Send », or Back after sending: show the thanks again.
        return redirect(url_for(".thanks", slug=slug))
    definition = response.version.model  # a partial response goes on with its own version
    page = next((p for p in definition.pages if p.id == page_id), None)
    if page is None:
        raise NotFound()
    answers = services.answers_of(response)
    if page not in visible_pages(definition, answers):  # skipped or tampered: go where it should
        target = response.current_page or queries.first_page(definition, answers)
        return redirect(url_for(".page", slug=slug, page_id=target))
    if request.method == "GET":
        return _page(found, response, page, answers)
    action = request.form.get("action", "next")
    outcome = services.save_page(response, page, request.form, action, visit.kiosk())
    return _went(found, response, page, outcome)


def _went(found, response, page, outcome: services.PageOutcome):
    """Where the person goes once the page is sent (see services.PageOutcome)."""
    slug = found.survey.slug
    if outcome.goes_to == "again":
        return _page(found, response, page, outcome.answers, outcome.problems, outcome.outside)
    # A code is shown in the reply to the request that made it, and kept nowhere else (not in
    # the session cookie, which anyone holding it can read, nor in an address): reloading
    # sends the page again, which shows the thanks without it, or issues a new resume code.
    if outcome.goes_to == "saved":
        return _saved(found, outcome.code, response.current_page)
    if outcome.goes_to == "thanks":
        if outcome.code:  # this request submitted: the thanks, with the code, in its reply
            return _thanks(found, outcome.code, sent=True)
        # The session keeps pointing at the submitted response: a retry or Back shows the thanks.
        return redirect(url_for(".thanks", slug=slug))
    if outcome.goes_to == "ended":
        flash(_("Your session has ended. Start again, or use your resume code."), "info")
        return redirect(url_for(".intro", slug=slug))
    if outcome.goes_to == "intro":
        return redirect(url_for(".intro", slug=slug))
    if outcome.missing:
        flash(_("A required answer is missing on this page."), "error")
    return redirect(url_for(".page", slug=slug, page_id=outcome.page_id))


def _page(found, response, page, answers, problems=None, outside=None):
    """The page's form: filled from the stored answers, or, when the page was refused, from
    what was sent (the picker's candidates and errors come from its form field)."""
    definition = response.version.model
    ctx = Context(_lang(definition), answers)
    if problems is None:
        form, problems, status = page_form(definition, page, ctx), {}, 200
    else:
        form, status = page_form(definition, page, ctx, formdata=request.form), 400
        form.validate()
        if outside and outside[0] in problems:  # shown by the picker, tied to its text box
            form[outside[0]].errors = [*form[outside[0]].errors, outside[1]]
    position, total = queries.progress(definition, answers, page.id)
    return render_template(
        "respond/page.html",
        found=found,
        definition=definition,
        page=page,
        shown=shown_questions(page, answers),
        live=_live_conditions(page, answers),
        form=form,
        problems=problems,
        lang=ctx.lang,
        position=position,
        total=total,
        first=queries.neighbour(definition, answers, page.id, -1) is None,
        last=queries.neighbour(definition, answers, page.id, +1) is None,
        kiosk=visit.kiosk(),
    ), status


def _live_conditions(page, answers: dict) -> dict[str, dict]:
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


@bp.get("/s/<slug>/merci")
def thanks(slug: str):
    return _thanks(_current(slug), None)


def _thanks(found, code: str | None, sent: bool | None = None):
    """Thanks only for answers this browser has sent: opened directly (a shared link, a
    bookmark, another person's tablet after the reset), the page says nothing was sent from
    here. `sent`: known already when this very request submitted (no second look)."""
    if sent is None:
        own = queries.own_response(visit.response_id(found.survey.slug), found.survey.id)
        sent = own is not None and own.submitted_at is not None
    kiosk = visit.kiosk()
    if kiosk:
        visit.reset_for_next_person()
    return render_template(
        "respond/thanks.html",
        found=found,
        lang=_lang(found.definition),
        code=code,
        kiosk=kiosk,
        sent=sent,
        code_shown=bool(code) and not kiosk,
    )


def _saved(found, code: str, page: str | None):
    """The code, shown in the reply that made it; « Continue now » to the page saved."""
    slug = found.survey.slug
    return render_template(
        "respond/saved.html",
        found=found,
        lang=_lang(found.definition),
        code=code,
        code_shown=True,
        resume_at=url_for(".resume", slug=slug, _external=True),
        continue_to=url_for(".page", slug=slug, page_id=page) if page else None,
    )


@bp.route("/s/<slug>/reprendre", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["RESUME_RATE_LIMIT"], methods=["POST"])
def resume(slug: str):
    """Resuming takes a code typed into this form: a link that carried the code would be a
    reusable key that someone could plant on another person to read what they type next."""
    found = _current(slug)
    if visit.kiosk():  # a shared tablet continues nobody's answers
        return redirect(url_for(".intro", slug=slug))
    form = FlaskForm()
    typed = request.form.get("code") if form.validate_on_submit() else None
    error = None
    if typed is not None:
        response = services.find_partial(found.survey.id, typed)
        if response is not None:
            visit.remember(slug, response.id)
            page = response.current_page or queries.first_page(found.definition, {})
            return redirect(url_for(".page", slug=slug, page_id=page))
        error = _("This code is unknown or has expired. Check it, or start again.")
    return render_template(
        "respond/resume.html",
        found=found,
        lang=_lang(found.definition),
        form=form,
        error=error,
        typed=typed,
    ), (400 if error else 200)


@bp.get("/s/<slug>/reprendre/<path:_old_link>")
def resume_link(slug: str, _old_link: str):
    """Links sent before codes left addresses: they open the form, the code is typed there."""
    _current(slug)
    flash(_("Type your code to continue: it is no longer read from a link."), "info")
    return redirect(url_for(".resume", slug=slug))


@bp.route("/s/<slug>/supprimer", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["RESUME_RATE_LIMIT"], methods=["POST"])
def delete(slug: str):
    found = _current(slug)
    form = FlaskForm()
    error = None
    if form.validate_on_submit():
        code = request.form.get("code", "")
        if request.form.get("confirm") == "yes":
            done = services.delete_submitted(found.survey.id, code)
        else:  # first, say what will happen and ask (nothing is deleted yet)
            done = services.deletion_state(found.survey.id, code)
            if done == services.KNOWN:
                return render_template(
                    "respond/delete_confirm.html",
                    found=found,
                    lang=_lang(found.definition),
                    code=code,
                )
        if done in (services.DELETED, services.GONE):  # gone: deleted before, maybe just now
            return render_template(
                "respond/deleted.html", found=found, lang=_lang(found.definition)
            )
        error = _("This code is unknown. Check it: it is on the thank-you page, like ABCDE-FGHJK.")
    return render_template(
        "respond/delete.html", found=found, lang=_lang(found.definition), form=form, error=error
    ), (400 if error else 200)


@bp.get("/s/<slug>/qr.svg")
def qr(slug: str):
    _current(slug)
    link = url_for(".intro", slug=slug, _external=True)
    # A standalone document (XML declaration, SVG namespace): without xmlns a browser shows the
    # file as XML and an <img> of it stays empty.
    svg = io.BytesIO()
    segno.make(link, error="m").save(svg, kind="svg", scale=8, border=4, title=link)
    return svg.getvalue(), 200, {"Content-Type": "image/svg+xml"}
