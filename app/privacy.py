"""Privacy helpers: the platform never stores or logs a client's IP address.

Rate limits still need to tell clients apart, so they count under a keyed, truncated hash of the
address that changes with the SECRET_KEY and cannot be reversed into the address.
"""

import hashlib
import hmac

from flask import current_app, request


def client_fingerprint() -> str:
    # Read only to derive the hash below; the address itself is never kept.
    address = (request.remote_addr or "unknown").encode()
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, address, hashlib.sha256).hexdigest()[:24]


def keyed_hash(value: str) -> str:
    """A keyed hash for any identifier used as a rate-limit key (an email, say)."""
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, value.strip().lower().encode(), hashlib.sha256).hexdigest()[:24]
