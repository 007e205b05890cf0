"""The audit log: an entry per action that must be answerable for later (models.AuditEntry)."""

from app.accounts.models import AuditEntry
from app.extensions import db

RAW_RESPONSES = "raw_responses_export"  # a download of the responses with exact communes


def record(user, action: str, detail: str = "") -> AuditEntry:
    """Added and flushed: it is committed with the request, so a refused or failed request
    leaves no entry (app/database.py, commit_once)."""
    entry = AuditEntry(user_id=user.id, action=action, detail=detail[:255])
    db.session.add(entry)
    db.session.flush()
    return entry
