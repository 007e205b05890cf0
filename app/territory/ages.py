"""The population by age, supplied as data, for weighting answers to age bands.

Statbel publishes the population of every commune by single year of age (« Population par lieu
de résidence, nationalité, état civil, âge et sexe », TF_SOC_POP_STRUCT_<year>). Its file is
read as downloaded (columns CD_REFNIS, CD_AGE, MS_POPULATION, separated by « | »), and so is a
plain CSV with the columns nis, age, population (« , », « ; » or a tab). Rows of the same
commune and age are added up (Statbel splits them by sex, nationality and civil status); rows
of communes outside the territory are passed over (the file covers Belgium).

The whole file is checked before anything is written, and it replaces the table at once: a bad
file changes nothing.
"""

import csv
import io
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import delete, insert

from app.extensions import db
from app.territory.models import AgePopulation, Commune

COLUMNS = {
    "nis": ("nis", "cd_refnis", "refnis"),
    "age": ("age", "cd_age"),
    "people": ("population", "people", "ms_population"),
}
MAX_AGE = 120
MOST_PEOPLE = 10_000_000  # of one age in one commune: more is a mistake (and overflows)
DELIMITERS = "|;,\t"


class AgeDataError(ValueError):
    """The file cannot be used; the message says where and why."""


@dataclass
class AgeReport:
    communes: int
    people: int
    passed_over: int  # rows of communes outside the territory


def load_ages(path: Path, year: int) -> AgeReport:
    territory = set(db.session.scalars(db.select(Commune.nis)))
    if not territory:
        raise AgeDataError("No commune is loaded yet: run `flask territory load` first.")
    people, passed_over = read_ages(path, territory)
    now = datetime.now(UTC).replace(tzinfo=None)
    db.session.execute(delete(AgePopulation))
    db.session.execute(
        insert(AgePopulation),
        [
            {"nis": nis, "age": age, "people": count, "year": year, "loaded_at": now}
            for (nis, age), count in sorted(people.items())
        ],
    )
    return AgeReport(len(territory), sum(people.values()), passed_over)


def read_ages(path: Path, territory: set[str]) -> tuple[dict[tuple[str, int], int], int]:
    """Inhabitants per (commune, age) of the territory, and how many rows were passed over."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise AgeDataError(f"{path.name}: not UTF-8 text.") from None
    first = text.split("\n", 1)[0]
    delimiter = max(DELIMITERS, key=first.count)
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    names = _columns(path, reader.fieldnames or [])
    people: dict[tuple[str, int], int] = defaultdict(int)
    passed_over = 0
    for line, row in enumerate(reader, start=2):
        nis = (row[names["nis"]] or "").strip()
        if nis not in territory:
            passed_over += 1
            continue
        age = _whole(path, line, "age", row[names["age"]])
        if age > MAX_AGE:
            raise AgeDataError(f"{path.name}, line {line}: age {age} is over {MAX_AGE}.")
        people[(nis, age)] += _whole(path, line, "population", row[names["people"]])
        if people[(nis, age)] > MOST_PEOPLE:
            raise AgeDataError(
                f"{path.name}, line {line}: more than {MOST_PEOPLE:,} inhabitants of one age in "
                "one commune."
            )
    missing = sorted(territory - {nis for nis, _age in people})
    if missing:
        raise AgeDataError(
            f"{path.name}: no inhabitants given for {len(missing)} commune(s) of the territory: "
            + ", ".join(missing)
            + "."
        )
    return dict(people), passed_over


def _columns(path: Path, header: list[str]) -> dict[str, str]:
    found = {name.strip().lower(): name for name in header if name}
    names = {}
    for key, accepted in COLUMNS.items():
        given = [found[a] for a in accepted if a in found]
        if len(given) > 1 or sum(n.strip().lower() in accepted for n in header if n) > 1:
            raise AgeDataError(
                f"{path.name}: several columns could give the {key} ({', '.join(given)}): keep one."
            )
        name = given[0] if given else None
        if name is None:
            raise AgeDataError(
                f"{path.name}: no column « {accepted[0]} » (or {', '.join(accepted[1:])}) in the "
                "first line. Expected: nis, age, population, or Statbel's CD_REFNIS, CD_AGE, "
                "MS_POPULATION."
            )
        names[key] = name
    return names


def _whole(path: Path, line: int, what: str, value: str | None) -> int:
    text = (value or "").strip()
    if not text:
        raise AgeDataError(f"{path.name}, line {line}: the {what} is missing.")
    if not (text.isascii() and text.isdigit() and len(text) <= 9):
        raise AgeDataError(
            f"{path.name}, line {line}: the {what} « {text} » is not a whole number."
        )
    return int(text)
