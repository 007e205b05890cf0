"""Who reads what in the analysis. The committee and administrators read everything; a partner
organisation reads the aggregates of its communes (one commune at a time, as a filtered view) and
of its sectors (one theme at a time) only. Each view asks here before it gathers anything."""

from flask import g
from flask_babel import gettext as _
from flask_login import current_user

from app.accounts.scopes import Scope, scope_of


class OutOfScope(Exception):
    """A request for figures outside the person's rights: a 403 with this message."""


def scope() -> Scope:
    """The rights of whoever asks: the API's token holder, or the signed-in person."""
    return scope_of(g.get("api_user") or current_user)


def require_everything(rights: Scope) -> None:
    if not rights.everything:
        raise OutOfScope(_("This page is for the steering committee: it covers every commune."))


def require_some(rights: Scope) -> None:
    if rights.nothing:
        raise OutOfScope(
            _("No commune or sector is assigned to your account yet: ask an administrator.")
        )


def theme_for(rights: Scope, offered: dict[str, str], chosen: str | None) -> str | None:
    """The theme a view shows. A partner of some sectors sees one of theirs at a time (the first
    when none is chosen); `offered` are the themes of the questionnaire."""
    if rights.themes is None:
        return chosen
    mine = [slug for slug in offered if slug in rights.themes]
    if not mine:
        raise OutOfScope(_("This questionnaire asks nothing on the sectors of your account."))
    if chosen is None:
        return mine[0]
    if chosen not in rights.themes:
        raise OutOfScope(_("This theme is not among the sectors of your account."))
    return chosen


def commune_filter(rights: Scope, wanted: str | None) -> str | None:
    """The filter a view applies. A partner of some communes sees one of theirs at a time (the
    first when none is chosen), and no other group: a filter on anything else would read
    respondents of every commune."""
    if rights.communes is None:
        return wanted
    if not wanted:
        return f"commune:{min(rights.communes)}"
    key, _sep, nis = wanted.partition(":")
    if key != "commune" or nis not in rights.communes:
        raise OutOfScope(_("Your account reads the figures of its own communes only."))
    return wanted


def require_commune(rights: Scope, nis: str) -> None:
    if not rights.commune(nis):
        raise OutOfScope(_("Your account reads the figures of its own communes only."))


class NotReleased(Exception):
    """The reader reads releases, and none is published yet: a 404 with this message."""


def release_for(rights: Scope | None, found):
    """The release this reader reads: None for the committee and administrators, who read the
    live figures; the newest release for partners and the public (rights None)."""
    if rights is not None and rights.everything:
        return None
    from app.analysis.releases.queries import latest

    release = latest(found.survey.id)
    if release is None:
        raise NotReleased(
            _(
                "The steering committee has not published results of this questionnaire yet: "
                "they appear here from its first publication."
            )
        )
    return release
