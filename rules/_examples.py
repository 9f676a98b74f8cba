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


PLAIN_MODELS_HEADER = """import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass

"""


def alembic_project(revisions: dict[str, str]) -> dict[str, str]:
    """An Alembic project (``alembic.ini``, ``env.py``) with ``versions/<name>.py`` files."""
    files = {"alembic.ini": "[alembic]\nscript_location = %(here)s/alembic\n", "alembic/env.py": ""}
    files.update({f"alembic/versions/{name}.py": text for name, text in revisions.items()})
    return files


def revision(rev: str, down: str | None, upgrade: str, downgrade: str, extra: str = "") -> str:
    """The text of an Alembic revision file; ``upgrade``/``downgrade`` are function bodies."""
    down_text = "None" if down is None else repr(down)
    return (
        f'"""Revision {rev}."""\nfrom alembic import op\nimport sqlalchemy as sa\n\n'
        f"revision = {rev!r}\ndown_revision = {down_text}\n{extra}\n\n"
        f"def upgrade():\n    {upgrade}\n\n\ndef downgrade():\n    {downgrade}\n"
    )
