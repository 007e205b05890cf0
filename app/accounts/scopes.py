"""What a person may read in the analysis: the committee and administrators everything; a partner
organisation the aggregates of its communes and of its sectors (themes) only."""

from dataclasses import dataclass

from sqlalchemy import delete, select

from app.accounts.models import PartnerCommune, PartnerTheme, Role, User
from app.extensions import db
from app.territory.models import Commune, Theme


class ScopeError(ValueError):
    """A clear reason why a partner's scope cannot be set (unknown-commune, unknown-theme,
    not-a-partner)."""


@dataclass(frozen=True)
class Scope:
    communes: frozenset[str] | None  # None: every commune
    themes: frozenset[str] | None  # None: every theme

    @property
    def everything(self) -> bool:
        return self.communes is None and self.themes is None

    @property
    def nothing(self) -> bool:
        return self.communes == frozenset() or self.themes == frozenset()

    def commune(self, nis: str) -> bool:
        return self.communes is None or nis in self.communes

    def theme(self, slug: str) -> bool:
        return self.themes is None or slug in self.themes


EVERYTHING = Scope(None, None)
NOTHING = Scope(frozenset(), frozenset())


def scope_of(user: User) -> Scope:
    """A partner without any commune or sector assigned reads nothing until an administrator
    gives one: a forgotten scope must not open the whole territory."""
    if user.has_role(Role.COMMITTEE):
        return EVERYTHING
    if user.role != Role.PARTNER:
        return NOTHING
    communes = frozenset(
        db.session.scalars(select(PartnerCommune.nis).where(PartnerCommune.user_id == user.id))
    )
    themes = frozenset(
        db.session.scalars(select(PartnerTheme.theme).where(PartnerTheme.user_id == user.id))
    )
    if not communes and not themes:
        return NOTHING
    return Scope(communes or None, themes or None)


def set_partner_scope(user: User, communes: list[str], themes: list[str]) -> None:
    """Replace a partner's communes and sectors (flushes; the caller commits)."""
    if user.role != Role.PARTNER:
        raise ScopeError("not-a-partner")
    known_communes = set(db.session.scalars(select(Commune.nis)))
    known_themes = set(db.session.scalars(select(Theme.slug)))
    if not set(communes) <= known_communes:
        raise ScopeError("unknown-commune")
    if not set(themes) <= known_themes:
        raise ScopeError("unknown-theme")
    db.session.execute(delete(PartnerCommune).where(PartnerCommune.user_id == user.id))
    db.session.execute(delete(PartnerTheme).where(PartnerTheme.user_id == user.id))
    db.session.add_all(PartnerCommune(user_id=user.id, nis=nis) for nis in sorted(set(communes)))
    db.session.add_all(PartnerTheme(user_id=user.id, theme=slug) for slug in sorted(set(themes)))
    db.session.flush()
