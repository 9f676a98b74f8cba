"""Shared text for rule examples: a declarative Base and the enum most examples use."""

MODELS_HEADER = """import enum

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class UserRole(str, enum.Enum):
    WRITER = "writer"
    ADMIN = "admin"

"""


def users_model(column: str) -> str:
    """``app/models.py`` with a ``users`` table whose ``role`` column is ``column``."""
    return (
        MODELS_HEADER
        + """
class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
"""
        + f"    role = {column}\n"
    )
