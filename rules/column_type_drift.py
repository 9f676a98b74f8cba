"""SL204: a model column's type differs from the database column's type."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from schemalint.compare import TypeDrift, provenance_related, structural_column_pairs, type_drift
from schemalint.findings import Finding, FindingData
from schemalint.model_graph import ModelColumnNode
from schemalint.rule import Example, Rule
from schemalint.rules._examples import PLAIN_MODELS_HEADER

if TYPE_CHECKING:
    from schemalint.graph import DatabaseGraph
    from schemalint.runner import RuleContext

_MIGRATION = (
    "CREATE TABLE events (id serial PRIMARY KEY, title varchar(100) NOT NULL,\n"
    "    attendees text, starts_at timestamptz NOT NULL, payload jsonb);\n"
)
_MODELS = (
    PLAIN_MODELS_HEADER
    + """import datetime


class Event(Base):
    __tablename__ = "events"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(200))  # expect: SL204
    attendees: Mapped[int | None] = mapped_column(sa.Integer)  # expect: SL204
    starts_at: Mapped[datetime.datetime] = mapped_column(sa.DateTime(timezone=True))
    payload = sa.Column(sa.JSON)
"""
)

_WHY = {
    "family": "values of one do not read or write as the other",
    "length": "values the model accepts are rejected (or silently truncated outside strict mode)",
    "timezone": "timestamps shift by the session time zone between write and read",
}


def _sl105_reports(column: ModelColumnNode, database: DatabaseGraph) -> bool:
    """SL105 already reports a native enum whose PostgreSQL type no migration creates."""
    use = column.enum
    return (
        database.dialect == "postgresql"
        and use is not None
        and use.native
        and use.dialect_type != "mysql"
        and use.type_name is not None
        and database.enum_type(use.type_name) is None
    )


class ColumnTypeDrift(Rule):
    """A model column's type differs from the database column's type.

    ## What it does
    Compares type *families* (text, integer, numeric, boolean, timestamp, date, time, json,
    uuid, binary, array, enum), never spellings: `VARCHAR(255)` and `sa.String(255)` agree,
    `timestamptz` and `DateTime(timezone=True)` agree, `serial` is an integer (with a default).
    Also reported: a database `VARCHAR` shorter than the model's `String(n)`, and on
    PostgreSQL a `timestamp` / `timestamptz` mismatch. Where SQLAlchemy itself stores a type as
    another family, they agree: `Uuid` as `CHAR(32)` and `Boolean` as an integer outside
    PostgreSQL, and on SQLite (type affinity) JSON, UUID and dates as text.

    Enum columns are left to the enum rules where they apply: a model enum whose PostgreSQL type
    no migration creates is SL105's, and labels and lengths of enum columns are SL101-SL107's.
    This rule reports an enum column only when the families differ (a native model enum over a
    `text` column whose type exists, a model `String` over a database enum, an enum over an
    integer). Types that cannot be classified (custom `TypeDecorator`s, extension types) are
    not compared.

    ## Why is this bad?
    The model and the database disagree about what the column holds. Depending on the driver,
    writes fail (`column "attendees" is of type text but expression is of type integer`), values
    are cut to the database's length, or read back as another Python type.

    ## Use instead
    Change the model's type or alter the column in a migration so both say the same.
    """

    code = "SL204"
    severity = "warning"
    tags = ("structure",)
    invalid = (Example({"migrations/V1__init.sql": _MIGRATION, "app/models.py": _MODELS}),)
    valid = (
        Example(
            {
                "migrations/V1__init.sql": _MIGRATION,
                "app/models.py": _MODELS.replace(
                    "sa.String(200))  # expect: SL204", "sa.String(100))"
                ).replace(
                    "Mapped[int | None] = mapped_column(sa.Integer)  # expect: SL204", "Mapped[str | None]"
                ),
            }
        ),
    )

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        database = ctx.database
        tables = tuple(ctx.models.tables.values())
        for table, column, _db_table, db_column in structural_column_pairs(
            tables, database, bool(ctx.migrations)
        ):
            if _sl105_reports(column, database):
                continue
            drift = type_drift(column, db_column, database)
            if drift is None:
                continue
            yield self.finding(
                column.span,
                _message(f"{table.name}.{column.name}", drift, db_column.type.length),
                help="change the model's type, or alter the column in a migration, so both agree",
                related=provenance_related(db_column.provenance, "database column"),
                data=FindingData(
                    table=table.name,
                    column=column.name,
                    rule_data=(
                        ("model_type", drift.model),
                        ("database_type", drift.database),
                        ("difference", drift.reason),
                    ),
                ),
            )


def _message(subject: str, drift: TypeDrift, db_length: int | None) -> str:
    if drift.reason == "length":
        detail = f"values longer than {db_length} characters are rejected or truncated"
    else:
        detail = _WHY[drift.reason]
    return f"`{subject}` is `{drift.model}` in the model but `{drift.database}` in the database; {detail}"
