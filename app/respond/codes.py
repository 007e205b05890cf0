"""Resume and deletion codes: short, easy to read aloud or copy, stored only as keyed hashes."""

import hashlib
import hmac
import re
import secrets

from flask import current_app

# No 0/O, 1/I/L: nothing a person could misread on a small screen or a paper slip.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LENGTH = 10  # 31^10 ≈ 8·10^14: unguessable within the rate limits


def new_code() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return f"{raw[:5]}-{raw[5:]}"


def normalise(typed: str) -> str | None:
    code = re.sub(r"[\s\-.]", "", (typed or "").upper())
    if len(code) != LENGTH or any(c not in ALPHABET for c in code):
        return None
    return f"{code[:5]}-{code[5:]}"


def code_hash(purpose: str, code: str) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, f"{purpose}:{code}".encode(), hashlib.sha256).hexdigest()
