"""The respondent's pages at /s/<slug>. Views stay thin: services and queries do the work."""

import segno
from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale, refresh
from flask_babel import gettext as _
from flask_wtf import FlaskForm

from app.extensions import limiter
from app.respond import queries, services
from app.respond import session as visit
from app.respond.flow import handle_page

bp = Blueprint("respond", __name__, template_folder="templates")


@bp.after_request
def no_store(response):
    # Nobody's answers in a shared tablet's cache or back button.
    response.headers["Cache-Control"] = "no-store"
    return response


def _current(slug: str) -> queries.Current:
    found = queries.current(slug)
    if found is None:
        abort(404)
    return found


def _lang(definition) -> str:
    """The questionnaire's language: the person's if offered, else French. The whole page then
    speaks it (buttons and messages too), so its `lang` is true for everything on it."""
    if "content_locale" in g:
        return g.content_locale
    lang = str(get_locale())
    g.content_locale = lang if lang in definition.languages else "fr"
    refresh()  # later gettext calls follow the questionnaire's language
    return g.content_locale


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
    )


@bp.get("/k/<slug>")
def kiosk(slug: str):
    _current(slug)
    visit.start_kiosk()
    return redirect(url_for(".intro", slug=slug))


@bp.post("/s/<slug>/commencer")
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
    response_id = visit.response_id(slug)
    if queries.already_submitted(response_id, found.survey.id):
        # A double tap or a retry of « Send », or Back after sending: show the thanks again.
        return redirect(url_for(".thanks", slug=slug))
    response = queries.partial(response_id, found.survey.id)
    if response is None:
        flash(_("Your session has ended. Start again, or use your resume code."), "info")
        return redirect(url_for(".intro", slug=slug))
    return handle_page(found, response, page_id)


@bp.get("/s/<slug>/merci")
def thanks(slug: str):
    found = _current(slug)
    code = visit.take("deletion")
    kiosk = visit.kiosk()
    if kiosk:
        visit.reset_for_next_person()
    return render_template(
        "respond/thanks.html", found=found, lang=_lang(found.definition), code=code, kiosk=kiosk
    )


@bp.get("/s/<slug>/enregistre")
def saved(slug: str):
    found = _current(slug)
    code = visit.take("resume")
    if code is None:
        return redirect(url_for(".intro", slug=slug))
    return render_template(
        "respond/saved.html", found=found, lang=_lang(found.definition), code=code
    )


@bp.route("/s/<slug>/reprendre", methods=["GET", "POST"])
@bp.get("/s/<slug>/reprendre/<code>")
@limiter.limit(lambda: current_app.config["RESUME_RATE_LIMIT"], methods=["GET", "POST"])
def resume(slug: str, code: str | None = None):
    found = _current(slug)
    form = FlaskForm()
    typed = code or (request.form.get("code") if form.validate_on_submit() else None)
    error = None
    if typed is not None:
        response = services.find_partial(found.survey.id, typed)
        if response is not None:
            visit.remember(slug, response.id)
            page = response.current_page or queries.first_page(found.definition, {})
            return redirect(url_for(".page", slug=slug, page_id=page))
        error = _("This code is unknown or has expired. Check it, or start again.")
    status = 404 if code and error else 400 if error else 200
    return render_template(
        "respond/resume.html",
        found=found,
        lang=_lang(found.definition),
        form=form,
        error=error,
        typed=typed,
    ), status


@bp.route("/s/<slug>/supprimer", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["RESUME_RATE_LIMIT"], methods=["POST"])
def delete(slug: str):
    found = _current(slug)
    form = FlaskForm()
    error = None
    if form.validate_on_submit():
        if services.delete_submitted(found.survey.id, request.form.get("code", "")):
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
    svg = segno.make(link, error="m").svg_inline(scale=8, title=link)
    return svg, 200, {"Content-Type": "image/svg+xml"}
