"""Password hashing with Argon2id (memory-hard), through argon2-cffi."""

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()
# Verified against when the account does not exist, so a wrong email costs as long as a wrong
# password and timing does not reveal which accounts exist.
_DUMMY = _hasher.hash("not a real password")
MIN_LENGTH = 12


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(stored_hash or _DUMMY, password) and stored_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    return _hasher.check_needs_rehash(stored_hash)


# Strength: zxcvbn's estimate, from 0 (guessed in under 10^3 tries) to 4 (over 10^10). A score of
# 3 (« safely unguessable », over 10^8 guesses) is the least accepted: the length alone does not
# keep out « Password1234 » or « azertyuiop12 », nor the person's own name or the platform's.
MIN_SCORE = 3
_ZXCVBN_MAX = 72  # zxcvbn refuses longer input; a longer password is judged on its first 72
# Words anyone would try against this platform: its names, the region's, and the French
# favourites that zxcvbn's English lists miss.
CONTEXT_WORDS = (
    "motdepasse",
    "azerty",
    "bonjour",
    "soleil",
    "doudou",
    "chouchou",
    "loulou",
    "belgique",
    "wallonie",
    "namur",
    "couvin",
    "chimay",
    "philippeville",
    "cerfontaine",
    "viroinval",
    "momignies",
    "froidchapelle",
    "sivry",
    "rance",
    "concertation",
    "plateforme",
    "intersectoriel",
    "intersectorielle",
    "sud",
    "esem",
    "entre",
    "sambre",
    "meuse",
    "solidarite",
    "solidarité",
    "sante",
    "santé",
    "pisem",
)


def weakness(password: str, personal: list[str]) -> str | None:
    """None if the password is strong enough; otherwise zxcvbn's warning (English, may be "").

    `personal` holds what an attacker would try first: the account's email, its parts, the
    person's name."""
    from zxcvbn import zxcvbn

    inputs = [w for w in personal if w] + list(CONTEXT_WORDS)
    result = zxcvbn(password[:_ZXCVBN_MAX], user_inputs=inputs)
    if result["score"] >= MIN_SCORE:
        return None
    return result["feedback"]["warning"] or ""


def personal_words(email: str, display_name: str) -> list[str]:
    """The email, its parts (local part and domain, whole and word by word), the name."""
    import re

    email = email.strip().lower()
    local, _, domain = email.partition("@")
    name = display_name.strip().lower()
    words = [email, local, domain, name, *re.split(r"[\W_]+", f"{local} {domain} {name}")]
    words += [re.sub(r"[\W_]+", "", part) for part in (local, name)]
    return list(dict.fromkeys(w for w in words if len(w) > 1))
