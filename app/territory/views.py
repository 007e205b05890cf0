from flask import Blueprint, abort, redirect, render_template, request, url_for

from app.territory import queries
from app.territory.forms import FindPlaceForm

bp = Blueprint("territory", __name__, url_prefix="/territoire", template_folder="templates")


@bp.get("/")
def index():
    submitted = "place" in request.args or "place-q" in request.args
    form = FindPlaceForm(request.args if submitted else None)
    found = submitted and form.validate()
    if found and form.place.data.nis:
        place = form.place.data
        return redirect(url_for(".commune", nis=place.nis, _anchor=place.section))
    return render_template(
        "territory/index.html",
        form=form,
        outside=found,  # « elsewhere » or « prefer not to say »: nothing to show but a word
        areas={area: queries.communes(area) for area in ("sud-esem", "haute-meuse")},
    )


@bp.get("/<nis>")
def commune(nis: str):
    town = queries.commune(nis)
    if town is None:
        abort(404)
    return render_template("territory/commune.html", commune=town)
