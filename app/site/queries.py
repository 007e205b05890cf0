from sqlalchemy import func, select, text

from app.extensions import db
from app.territory.models import Commune


def population(area: str) -> int:
    return db.session.scalar(
        select(func.coalesce(func.sum(Commune.population_2020), 0)).where(Commune.area == area)
    )


def database_reachable() -> bool:
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # any failure means "not reachable" to a health check
        db.session.rollback()
        return False
    return True
