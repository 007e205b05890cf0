"""A place as the picker gives it, and the text normalisation used to find one."""

import re
import unicodedata
from dataclasses import dataclass

ELSEWHERE = "elsewhere"
UNDISCLOSED = "undisclosed"


@dataclass(frozen=True)
class Place:
    kind: str  # section, commune, elsewhere, undisclosed
    nis: str | None = None
    section: str | None = None

    @property
    def value(self) -> str:
        """The form value: s:56005A, c:56005, elsewhere, undisclosed."""
        if self.kind == "section":
            return f"s:{self.section}"
        if self.kind == "commune":
            return f"c:{self.nis}"
        return self.kind

    @classmethod
    def from_value(cls, value: str) -> "Place | None":
        if value in (ELSEWHERE, UNDISCLOSED):
            return cls(value)
        if re.fullmatch(r"s:\d{5}[A-Z]", value):
            return cls("section", value[2:7], value[2:])
        if re.fullmatch(r"c:\d{5}", value):
            return cls("commune", value[2:])
        return None

    def columns(self) -> dict:
        """As stored by a model that mixes in PlaceColumns."""
        return {"place_kind": self.kind, "place_nis": self.nis, "place_section": self.section}

    @classmethod
    def from_columns(cls, row) -> "Place | None":
        if not row.place_kind:
            return None
        return cls(row.place_kind, row.place_nis, row.place_section)


def normalise(text: str) -> str:
    """Lower case, no accents, no punctuation: « Sivry-Rancé » and « sivry rance » meet."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", plain).split())


def is_postcode(text: str) -> bool:
    return bool(re.fullmatch(r"\d{4}", text.strip()))
