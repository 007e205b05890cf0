"""A place as the picker gives it, and the text normalisation and nearness used to find one."""

import re
import unicodedata
from dataclasses import dataclass

from rapidfuzz.distance import OSA

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
    decomposed = unicodedata.normalize("NFKD", text.translate(_LIGATURES))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", plain).split())


def is_postcode(text: str) -> bool:
    return bool(re.fullmatch(r"\d{4}", text.strip()))


_LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss"})
# Words written in several ways in place names: « St-Remy », « Ste », « S. Remy » and
# « Saint-Rémy »; « Olloy-s/-Viroin » and « Olloy-sur-Viroin »; « lez », « lès », « les »;
# « Villers-2-Églises ». Each becomes one word, in the names and in what people type.
_SAME_WORD = {"saint": "s", "sainte": "s", "st": "s", "ste": "s", "sur": "s", "sr": "s"}
_SAME_WORD |= {"les": "lez", "2": "deux"}
_NOISE = {"b", "be", "belgique", "belgie", "belgium"}  # « B-5660 Couvin, Belgique »


@dataclass(frozen=True)
class Keys:
    """A name in the forms that are compared: words (« s remy »), the same without spaces
    (« sremy »: « Le Mesnil » and « Lemesnil »), and as it sounds in French (« Filipeville »)."""

    words: str
    compact: str
    sound: str

    @classmethod
    def of(cls, text: str) -> "Keys":
        words = " ".join(_SAME_WORD.get(w, w) for w in normalise(text).split())
        words = re.sub(r"\b(nd|n d)\b", "notre dame", words)  # « Foy-N.-D. »
        compact = words.replace(" ", "")
        return cls(words, compact, _sound(words))


def _sound(words: str) -> str:
    """A rough French sound of the words: ce → se, ph → f, y → i, ai/ei → e, eau/au → o, no h
    (but ch), no doubled letters, no silent ending (e, es, s, x, z, t, d, ent)."""
    out = []
    for word in words.split():
        w = re.sub(r"c(?=[eiy])", "s", word).replace("ph", "f").replace("y", "i")
        w = w.replace("eau", "o").replace("au", "o")
        w = w.replace("ai", "e").replace("ei", "e").replace("ch", "\0").replace("h", "")
        w = re.sub(r"(.)\1+", r"\1", w.replace("\0", "ch"))
        out.append(re.sub(r"(?<=..)(e|es|ent|[sxzt]|ts|ds|d)$", "", w))
    return "".join(out)


def split_query(text: str) -> tuple[set[str], str]:
    """The postcodes typed (« 5530 Yvoir », « Mariembourg 5660 ») and the rest, the name."""
    words = normalise(text).split()
    codes = {w for w in words if re.fullmatch(r"\d{4}", w)}
    rest = [w for w in words if w not in codes and not (codes and w in _NOISE)]
    return codes, " ".join(rest)


PREFIX, WITHIN = 0.9, 0.85  # the score of a name that starts with, or holds, what was typed


def nearness(typed: Keys, option_keys: list[Keys]) -> float:
    """How near what was typed is to a place (1: the same), over the forms it may be typed in:
    its name (the start of it, or within it), with its commune's name, or a close spelling."""
    name = option_keys[0]
    score = starts_or_holds(typed, name)
    n = len(typed.compact)
    if n >= 5 and len(name.compact) > n:  # still typing, with a slip: « Olloy-sur-Vir »
        score = max(score, OSA.normalized_similarity(typed.compact, name.compact[:n]) - 0.1)
    for known in option_keys:
        sound = OSA.normalized_similarity(typed.sound, known.sound)
        score = max(
            score,
            OSA.normalized_similarity(typed.words, known.words),
            OSA.normalized_similarity(typed.compact, known.compact),
            0.97 if sound == 1 else sound - 0.1,  # sounds the same: nearly as good as spelt so
        )
    return score


def starts_or_holds(typed: Keys, name: Keys) -> float:
    if name.words.startswith(typed.words) or name.compact.startswith(typed.compact):
        return PREFIX
    return WITHIN if typed.compact in name.compact else 0.0
