"""Reference data every feature reads: communes, sections, postcodes, themes."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from app.extensions import db

AREAS = ("sud-esem", "haute-meuse")
THEME_FAMILIES = ("working-group", "pcs-axis")
PLACE_KINDS = ("section", "commune", "elsewhere", "undisclosed")


class Commune(db.Model):
    __tablename__ = "communes"
    __table_args__ = (
        CheckConstraint("length(nis) = 5", name="nis_five_digits"),
        CheckConstraint(f"area IN {AREAS}", name="known_area"),
        CheckConstraint("population_2020 >= 0", name="population_positive"),
    )

    nis: Mapped[str] = mapped_column(String(5), primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    province: Mapped[str] = mapped_column(String(40))
    arrondissement: Mapped[str] = mapped_column(String(40))
    area: Mapped[str] = mapped_column(String(20))
    population_2020: Mapped[int]
    boundary: Mapped[str | None] = mapped_column(Text)  # GeoJSON geometry, WGS84

    sections: Mapped[list["Section"]] = relationship(
        back_populates="commune", order_by="Section.name"
    )


class AgePopulation(db.Model):
    """Inhabitants of a commune by single year of age (Statbel), for weighting to age bands.
    Supplied as data (`flask territory ages`); all of one year."""

    __tablename__ = "age_populations"
    __table_args__ = (
        CheckConstraint("age >= 0 AND age <= 120", name="age_in_range"),
        CheckConstraint("people >= 0", name="people_not_negative"),
        CheckConstraint("year >= 1990 AND year <= 2100", name="year_plausible"),
    )

    nis: Mapped[str] = mapped_column(
        ForeignKey("communes.nis", ondelete="CASCADE"), primary_key=True
    )
    age: Mapped[int] = mapped_column(primary_key=True)
    people: Mapped[int]
    year: Mapped[int]
    loaded_at: Mapped[datetime]  # when this table was loaded: kept figures depend on it


class Section(db.Model):
    """A former commune (pre-1977 merger): the village a person names. Code = NIS + letter."""

    __tablename__ = "sections"
    __table_args__ = (
        UniqueConstraint("commune_nis", "letter"),
        CheckConstraint("substr(code, 1, 5) = commune_nis", name="code_in_commune"),
        CheckConstraint("length(letter) = 1", name="one_letter"),
    )

    code: Mapped[str] = mapped_column(String(6), primary_key=True)
    commune_nis: Mapped[str] = mapped_column(ForeignKey("communes.nis", ondelete="CASCADE"))
    letter: Mapped[str] = mapped_column(String(1))
    name: Mapped[str] = mapped_column(String(80))

    commune: Mapped[Commune] = relationship(back_populates="sections")
    postcodes: Mapped[list["SectionPostcode"]] = relationship(
        cascade="all, delete-orphan", order_by="SectionPostcode.postcode"
    )


class SectionPostcode(db.Model):
    __tablename__ = "section_postcodes"
    __table_args__ = (
        CheckConstraint("length(postcode) = 4", name="four_digits"),
        Index("ix_section_postcodes_postcode", "postcode"),
    )

    section_code: Mapped[str] = mapped_column(
        ForeignKey("sections.code", ondelete="CASCADE"), primary_key=True
    )
    postcode: Mapped[str] = mapped_column(String(4), primary_key=True)


class Theme(db.Model):
    """One taxonomy for questions, live polls and charter commitments."""

    __tablename__ = "themes"
    __table_args__ = (
        CheckConstraint(f"family IN {THEME_FAMILIES}", name="known_family"),
        UniqueConstraint("family", "position"),
    )

    slug: Mapped[str] = mapped_column(String(40), primary_key=True)
    family: Mapped[str] = mapped_column(String(20))
    position: Mapped[int]
    name_fr: Mapped[str] = mapped_column(String(120))
    name_nl: Mapped[str] = mapped_column(String(120))
    name_de: Mapped[str] = mapped_column(String(120))
    name_en: Mapped[str] = mapped_column(String(120))

    def name(self, locale: str) -> str:
        return getattr(self, f"name_{locale}", None) or self.name_fr


class PlaceColumns:
    """Where someone lives or works, as the picker gives it: kind, NIS code, section code.

    A model that mixes this in must add place_constraints() to its __table_args__.
    """

    place_kind: Mapped[str | None] = mapped_column(String(12))

    @declared_attr
    def place_nis(cls) -> Mapped[str | None]:
        return mapped_column(ForeignKey("communes.nis"))

    @declared_attr
    def place_section(cls) -> Mapped[str | None]:
        return mapped_column(ForeignKey("sections.code"))


def place_constraints() -> tuple[CheckConstraint, ...]:
    return (
        CheckConstraint(f"place_kind IS NULL OR place_kind IN {PLACE_KINDS}", name="place_kind"),
        CheckConstraint(
            "(place_kind = 'section' AND place_section IS NOT NULL"
            " AND substr(place_section, 1, 5) = place_nis)"
            " OR (place_kind = 'commune' AND place_nis IS NOT NULL AND place_section IS NULL)"
            " OR ((place_kind IS NULL OR place_kind IN ('elsewhere', 'undisclosed'))"
            " AND place_nis IS NULL AND place_section IS NULL)",
            name="place_consistent",
        ),
    )
