"""Reads of the territory and themes."""

import time
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.territory.models import AgePopulation, Commune, Section, Theme
from app.territory.places import Keys, Place, nearness, split_query, starts_or_holds


@dataclass(frozen=True)
class PlaceOption:
    place: Place
    name: str  # the village's or the commune's name
    label: str  # « Barbençon (6500) »; the commune's name for the whole commune
    commune: str
    postcodes: tuple[str, ...] = ()  # a commune's: those of all its villages


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
        codes = {s.code: tuple(p.postcode for p in s.postcodes) for s in town.sections}
        every = tuple(sorted({code for section in codes.values() for code in section}))
        options.append(
            PlaceOption(Place("commune", town.nis), town.name, town.name, town.name, every)
        )
        for section in town.sections:
            options.append(
                PlaceOption(
                    Place("section", town.nis, section.code),
                    section.name,
                    f"{section.name} ({' '.join(codes[section.code])})",
                    town.name,
                    codes[section.code],
                )
            )
    now = time.monotonic()
    _CACHE["options"] = (now, options)
    _CACHE["by_place"] = (now, {o.place: o for o in options})
    _CACHE["keys"] = (now, {o.place: _keys(o) for o in options})
    return options


def option_for(place: Place) -> PlaceOption | None:
    place_options()
    return _CACHE["by_place"][1].get(place)


def forget_cached_options() -> None:
    _CACHE.clear()


def find_places(query: str) -> list[PlaceOption]:
    """Places matching a commune name, a village name or a postcode, the likeliest first (see
    places_matching)."""
    return places_matching(query).options


@dataclass
class Found:
    """What a typed place gives: the one place meant (`sure`), else places to choose from.
    `options` holds every place that matched, the likeliest first (with `sure`, its village of
    the same name too). `near`: the options are close spellings, not matches. `codes` and
    `name`: the postcodes typed and the rest; `mismatch`: the name is not at that postcode (the
    options are the places of that name elsewhere)."""

    sure: PlaceOption | None = None
    options: list[PlaceOption] = field(default_factory=list)
    near: bool = False
    codes: set[str] = field(default_factory=set)
    name: str = ""
    mismatch: bool = False


ACCEPT, MARGIN, OFFER = 0.75, 0.1, 0.6  # nearness: a sure guess, its lead, worth offering
MAX_OFFERED = 12


def places_matching(query: str) -> Found:
    """The place meant by what a person typed: a commune, a village, a postcode, or a postcode
    and a name together (« 5530 Yvoir »), however spelt.

    A postcode alone gives its villages. A name is looked for as it is (accents, case, hyphens,
    apostrophes and « St »/« Saint » aside), then as the start of a name, then within one, then
    as a close spelling. A commune and its village of the same name are one answer: the
    commune. A close spelling is sure only when no other place comes near it; otherwise the
    nearest are offered. A postcode typed with a name keeps only the places at that postcode.
    """
    codes, name = split_query(query)
    options = place_options()
    if codes:
        options = [o for o in options if codes & set(o.postcodes)]
        if not name:
            villages = [o for o in options if o.place.kind == "section"]
            return Found(villages[0] if len(villages) == 1 else None, villages, codes=codes)
    if not name:
        return Found(codes=codes)
    typed = Keys.of(name)
    found = _by_name(typed, options)
    if codes and not (found.sure and _spelt(typed, found.sure)):
        # The name and the postcode disagree: a place so named at another postcode is offered
        # beside those at the postcode, never chosen.
        anywhere = _by_name(typed, place_options())
        spelt = anywhere.sure is not None and _spelt(typed, anywhere.sure)
        if anywhere.options and (not found.options or (spelt and anywhere.sure != found.sure)):
            both = _answers(found.options[:1] + anywhere.options)
            found = Found(options=both[:MAX_OFFERED], mismatch=True)
    found.codes, found.name = codes, name
    return found


def _spelt(typed: Keys, option: PlaceOption) -> bool:
    """The place's name is what was typed (accents, case and punctuation aside)."""
    return any(k.compact == typed.compact for k in _CACHE["keys"][1][option.place])


def _keys(option: PlaceOption) -> list[Keys]:
    """The forms a place may be typed in: its name, and a village with its commune's name."""
    if option.place.kind == "commune":
        return [Keys.of(option.name)]
    return [Keys.of(option.name), *(Keys.of(f"{a} {b}") for a, b in _pairs(option))]


def _pairs(option: PlaceOption):
    return (option.name, option.commune), (option.commune, option.name)


def _same(option: PlaceOption) -> PlaceOption:
    """A village named as its commune (« Couvin » in Couvin) is answered by the commune."""
    if option.place.kind == "section":
        keys, town = _CACHE["keys"][1], Place("commune", option.place.nis)
        if town in keys and keys[option.place][0] == keys[town][0]:
            return option_for(town) or option
    return option


def _answers(matches: list[PlaceOption]) -> list[PlaceOption]:
    """The distinct answers among matches, in order (a commune and its namesake are one)."""
    seen: dict[Place, PlaceOption] = {}
    for option in matches:
        seen.setdefault(_same(option).place, _same(option))
    return list(seen.values())


def _by_name(typed: Keys, options: list[PlaceOption]) -> Found:
    keys = _CACHE["keys"][1]
    exact = [
        o
        for o in options
        if any(k.words == typed.words or k.compact == typed.compact for k in keys[o.place])
    ]
    if exact:
        answers = _answers(exact)
        if len(answers) == 1:
            return Found(answers[0], _with_namesakes(answers[0], exact))
        return Found(options=answers[:MAX_OFFERED])
    if len(typed.compact) < 3:  # too short to tell: the names that start so, to choose from
        starting = [o for o in options if keys[o.place][0].compact.startswith(typed.compact)]
        return Found(options=_answers(starting)[:MAX_OFFERED])
    return _near(typed, options, keys)


def _with_namesakes(answer: PlaceOption, matches: list[PlaceOption]) -> list[PlaceOption]:
    return [answer] + [o for o in matches if o.place != answer.place and _same(o) == answer]


def _near(typed: Keys, options: list[PlaceOption], keys: dict) -> Found:
    """The start of a name, part of one, or a close spelling: sure when the nearest place leads
    every other by MARGIN; otherwise the nearest are offered (`near` when only spelt close)."""
    best: dict[Place, tuple[float, PlaceOption]] = {}
    for option in options:
        answer = _same(option)
        score = nearness(typed, keys[option.place])
        if score > best.get(answer.place, (-1.0, None))[0]:
            best[answer.place] = (score, answer)
    ranked = sorted(best.values(), key=lambda pair: -pair[0])
    if not ranked or ranked[0][0] < OFFER:
        return _within(typed, options, keys)
    top = ranked[0][0]
    second = ranked[1][0] if len(ranked) > 1 else 0.0
    literal = any(starts_or_holds(typed, keys[o.place][0]) for _, o in ranked[:2])
    if top >= ACCEPT and top - second >= MARGIN:
        answer = ranked[0][1]
        return Found(answer, _with_namesakes(answer, options), near=not literal)
    contained = _within(typed, options, keys)
    if contained.sure:
        return contained
    offered = [o for score, o in ranked if score >= max(OFFER, top - 0.15)]
    return Found(options=offered[:MAX_OFFERED], near=not literal)


def _within(typed: Keys, options: list[PlaceOption], keys: dict) -> Found:
    """A place named whole among other words (« rue de la Gare, Couvin »)."""
    if " " not in typed.words:
        return Found()
    padded = f" {typed.words} "
    matches = [
        o
        for o in options
        if any(len(k.compact) >= 4 and f" {k.words} " in padded for k in keys[o.place][:1])
    ]
    answers = _answers(matches)
    if len(answers) == 1:
        return Found(answers[0], _with_namesakes(answers[0], matches))
    return Found(options=answers[:MAX_OFFERED], near=True)
