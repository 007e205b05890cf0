from sqlalchemy import select

from app.accounts.models import User
from app.extensions import db


def users() -> list[User]:
    return list(db.session.scalars(select(User).order_by(User.role, User.display_name)))
