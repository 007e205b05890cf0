"""Reads of the territory and themes."""

import time
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.territory.models import AgePopulation, Commune, Section, SectionPostcode, Theme
from app.territory.places import Place, is_postcode, normalise


@dataclass(frozen=True)
class PlaceOption:
    place: Place
    name: str  # the village's or the commune's name
    label: str  # « Barbençon (6500) »; the commune's name for the whole commune
    commune: str


def communes(area: str | None = None) -> list[Commune]:
    query = select(Commune).order_by(Commune.name)
    if area:
        query = query.where(Commune.area == area)
    return list(db.session.scalars(query))


@dataclass(frozen=True)
class PeopleByAge:
    year: int
    people: dict[int, int]  # age → inhabitants


def people_by_age(territory: str) -> PeopleByAge | None:
    """Inhabitants by age of a questionnaire's territory (« sud-esem »: its 12 communes;
    otherwise all 17), when the population by age has been supplied; None when not."""
    query = (
        select(AgePopulation.age, func.sum(AgePopulation.people), func.min(AgePopulation.year))
        .join(Commune, Commune.nis == AgePopulation.nis)
        .group_by(AgePopulation.age)
    )
    if territory == "sud-esem":
        query = query.where(Commune.area == "sud-esem")
    rows = db.session.execute(query).all()
    if not rows:
        return None
    return PeopleByAge(rows[0][2], {age: int(people) for age, people, _year in rows})


def people_by_age_loaded() -> tuple:
    """Which population by age is loaded (rows, and when): it changes with each load."""
    return tuple(db.session.execute(select(func.count(), func.max(AgePopulation.loaded_at))).one())


def commune(nis: str) -> Commune | None:
    return db.session.scalar(
        select(Commune)
        .where(Commune.nis == nis)
        .options(selectinload(Commune.sections).selectinload(Section.postcodes))
    )


def themes(family: str | None = None) -> list[Theme]:
    query = select(Theme).order_by(Theme.family.desc(), Theme.position)
    if family:
        query = query.where(Theme.family == family)
    return list(db.session.scalars(query))


_CACHE: dict = {}
CACHE_SECONDS = 60


def place_options() -> list[PlaceOption]:
    """Every commune, then its sections: what the picker offers.

    Reference data change only through `flask territory load`, so each process keeps them for a
    minute instead of reloading 170 rows through the ORM on every page (the picker is on most).
    """
    cached = _CACHE.get("options")
    if cached and time.monotonic() - cached[0] < CACHE_SECONDS:
        return cached[1]
    rows = db.session.scalars(
        select(Commune)
        .order_by(Commune.name)
        .options(selectinload(Commune.sections).selectinload(Section.postcodes))
    )
    options = []
    for town in rows:
        options.append(PlaceOption(Place("commune", town.nis), town.name, town.name, town.name))
        for section in town.sections:
            postcodes = " ".join(p.postcode for p in section.postcodes)
            options.append(
                PlaceOption(
                    Place("section", town.nis, section.code),
                    section.name,
                    f"{section.name} ({postcodes})",
                    town.name,
                )
            )
    _CACHE["options"] = (time.monotonic(), options)
    _CACHE["by_place"] = (time.monotonic(), {o.place: o for o in options})
    return options


def option_for(place: Place) -> PlaceOption | None:
    place_options()
    return _CACHE["by_place"][1].get(place)


def forget_cached_options() -> None:
    _CACHE.clear()


def find_places(query: str) -> list[PlaceOption]:
    """Places matching a commune name, a village name or a postcode.

    A postcode gives its villages (several when villages share it). A name gives exact matches
    first (a commune and its village of the same name are both offered), else names that start
    with, then contain, the words typed.
    """
    text = normalise(query)
    if not text:
        return []
    options = place_options()
    if is_postcode(text):
        sections = set(
            db.session.scalars(
                select(SectionPostcode.section_code).where(SectionPostcode.postcode == text)
            )
        )
        return [o for o in options if o.place.section in sections]
    names = [(o, normalise(o.name)) for o in options]
    for matches in (
        [o for o, name in names if name == text],
        [o for o, name in names if name.startswith(text)],
        [o for o, name in names if text in name],
    ):
        if matches:
            return matches
    return []
