"""Loading the reference data from the versioned files in app/territory/data/.

Idempotent: a second run finds everything unchanged. Files are checked in full before anything is
written, so a bad file changes nothing.
"""

import csv
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from app.extensions import db
from app.territory.models import AREAS, THEME_FAMILIES, Commune, Section, SectionPostcode, Theme

DATA_DIR = Path(__file__).parent / "data"


class ReferenceDataError(ValueError):
    """A reference file is wrong; the message names the file and the line."""


@dataclass
class LoadReport:
    added: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)

    def count(self, what: str, created: bool, changed: bool) -> None:
        bucket = self.added if created else self.updated if changed else None
        if bucket is not None:
            bucket[what] = bucket.get(what, 0) + 1

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated)


def _rows(path: Path, required: set[str]):
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = required - set(reader.fieldnames or ())
        if missing:
            raise ReferenceDataError(f"{path.name}: missing column(s) {', '.join(sorted(missing))}")
        for line, row in enumerate(reader, start=2):
            yield line, {k: (v or "").strip() for k, v in row.items()}


def _check(condition: bool, path: Path, line: int, message: str) -> None:
    if not condition:
        raise ReferenceDataError(f"{path.name}, line {line}: {message}")


def read_communes(path: Path) -> list[dict]:
    cols = {"nis", "commune", "province", "arrondissement", "area", "population_2020"}
    out = []
    for line, row in _rows(path, cols):
        _check(bool(re.fullmatch(r"\d{5}", row["nis"])), path, line, "NIS code must be 5 digits")
        _check(row["area"] in AREAS, path, line, f"area must be one of {', '.join(AREAS)}")
        _check(row["population_2020"].isdigit(), path, line, "population must be a whole number")
        out.append(row)
    return out


def read_sections(path: Path, known_nis: set[str]) -> list[dict]:
    out = []
    for line, row in _rows(path, {"nis", "section", "section_name", "postcodes"}):
        _check(row["nis"] in known_nis, path, line, f"unknown commune {row['nis']}")
        _check(bool(re.fullmatch(r"[A-Z]", row["section"])), path, line, "letter must be A-Z")
        codes = row["postcodes"].split()
        _check(
            bool(codes) and all(re.fullmatch(r"\d{4}", c) for c in codes),
            path,
            line,
            "postcodes must be 4-digit codes separated by spaces",
        )
        out.append(row)
    return out


def read_themes(path: Path) -> list[dict]:
    cols = {"slug", "family", "position", "name_fr", "name_nl", "name_de", "name_en"}
    out = []
    for line, row in _rows(path, cols):
        _check(bool(re.fullmatch(r"[a-z0-9-]{2,40}", row["slug"])), path, line, "bad slug")
        _check(row["family"] in THEME_FAMILIES, path, line, "unknown family")
        _check(all(row[c] for c in cols), path, line, "every column needs a value")
        out.append(row)
    return out


def read_boundaries(path: Path, known_nis: set[str]) -> dict[str, str]:
    try:
        features = json.loads(path.read_text(encoding="utf-8"))["features"]
        return {
            str(f["id"]): json.dumps(f["geometry"], separators=(",", ":"))
            for f in features
            if str(f["id"]) in known_nis
        }
    except (ValueError, KeyError, TypeError) as error:
        raise ReferenceDataError(
            f"{path.name}: not a GeoJSON FeatureCollection ({error})"
        ) from None


def _upsert(report: LoadReport, what: str, model, key, values: dict):
    row = db.session.get(model, key)
    created = row is None
    if created:
        row = model(**values)
        db.session.add(row)
        changed = True
    else:
        changed = any(getattr(row, k) != v for k, v in values.items())
        for k, v in values.items():
            setattr(row, k, v)
    report.count(what, created, changed)
    return row


def load_reference_data(data_dir: Path = DATA_DIR) -> LoadReport:
    """Read every file, then write. The caller commits."""
    communes = read_communes(data_dir / "communes.csv")
    nis = {c["nis"] for c in communes}
    sections = read_sections(data_dir / "sections.csv", nis)
    themes = read_themes(data_dir / "themes.csv")
    boundaries = read_boundaries(data_dir / "communes.geojson", nis)

    report = LoadReport()
    for c in communes:
        values = {
            "nis": c["nis"],
            "name": c["commune"],
            "province": c["province"],
            "arrondissement": c["arrondissement"],
            "area": c["area"],
            "population_2020": int(c["population_2020"]),
            "boundary": boundaries.get(c["nis"]),
        }
        _upsert(report, "communes", Commune, c["nis"], values)
    db.session.flush()
    for s in sections:
        code = s["nis"] + s["section"]
        values = {"code": code, "commune_nis": s["nis"], "letter": s["section"]}
        section = _upsert(report, "sections", Section, code, values | {"name": s["section_name"]})
        wanted = set(s["postcodes"].split())
        current = {p.postcode for p in section.postcodes}
        if current != wanted:
            section.postcodes = [SectionPostcode(postcode=p) for p in sorted(wanted)]
            report.count("postcode lists", created=not current, changed=True)
    for t in themes:
        values = {k: t[k] for k in ("slug", "family", "name_fr", "name_nl", "name_de", "name_en")}
        _upsert(report, "themes", Theme, t["slug"], values | {"position": int(t["position"])})
    db.session.flush()
    from app.territory.queries import forget_cached_options

    forget_cached_options()
    return report
