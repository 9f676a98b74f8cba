"""SL107: a non-native enum's VARCHAR is shorter than the longest persisted string."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from schemalint.compare import enum_pairs, fmt
from schemalint.findings import Finding, FindingData, Related
from schemalint.rule import Example, Rule
from schemalint.rules._examples import MODELS_HEADER

if TYPE_CHECKING:
    from schemalint.runner import RuleContext

_MODEL = (
    MODELS_HEADER.replace(
        '    ADMIN = "admin"\n', '    ADMIN = "admin"\n    GUEST = "guest-with-long-value"\n'
    )
    + """
class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    role = mapped_column(  # expect: SL107
        sa.Enum(UserRole, native_enum=False, values_callable=lambda e: [m.value for m in e])
    )
"""
)


class EnumColumnTooShort(Rule):
    """A non-native enum's VARCHAR is shorter than the longest persisted string.

    ## What it does
    For enum columns stored as `VARCHAR(n)` (non-native enums, SQLite-style schemas, or a
    migration that created a plain string column), compares `n` with the longest string the
    model persists. Also reports an explicit `Enum(..., length=n)` shorter than that string.

    ## Why is this bad?
    SQLAlchemy sizes the column from the enum *strings* it stores, which are the names by
    default: switching to `values_callable` or adding a long member silently outgrows a
    column created earlier. PostgreSQL rejects the write (`value too long for type character
    varying(6)`), MariaDB in strict mode too (`Data too long for column`). SQLite ignores
    VARCHAR lengths, so this rule does not report on SQLite.

    ## Use instead
    Widen the column in a migration (`ALTER TABLE users ALTER COLUMN role TYPE varchar(32)`),
    or give the model's `Enum(..., length=...)` room.
    """

    code = "SL107"
    severity = "error"
    tags = ("enum", "correctness")
    invalid = (
        Example(
            {
                "migrations/V1__init.sql": "CREATE TABLE users (id serial PRIMARY KEY, role varchar(6));\n",
                "app/models.py": _MODEL,
            }
        ),
    )
    valid = (
        Example(
            {
                "migrations/V1__init.sql": "CREATE TABLE users (id serial PRIMARY KEY, role varchar(32));\n",
                "app/models.py": _MODEL.replace("  # expect: SL107", ""),
            }
        ),
    )

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for table in ctx.models.tables.values():
            for column in table.columns:
                use = column.enum
                if use is None or use.native or use.length is None or not use.persisted:
                    continue
                longest = max(len(v) for v in use.persisted)
                if use.length < longest:
                    too_long = tuple(v for v in use.persisted if len(v) > use.length)
                    yield self.finding(
                        column.span,
                        f"`{table.name}.{column.name}` declares `length={use.length}` but persists "
                        f"{fmt(too_long)} ({longest} characters); SQLAlchemy raises ValueError when "
                        "it builds this type",
                        help=f"use `length={longest}` or more",
                        data=FindingData(table=table.name, column=column.name, missing=too_long),
                    )
        if ctx.dialect == "sqlite":
            return  # SQLite stores strings of any length in a VARCHAR(n) column
        for pair in enum_pairs(tuple(ctx.models.tables.values()), ctx.database):
            db_type = pair.db_column.type
            if db_type.family != "text" or db_type.length is None:
                continue
            too_long = tuple(v for v in pair.use.persisted if len(v) > db_type.length)
            if not too_long:
                continue
            yield self.finding(
                pair.model_column.span,
                f"`{pair.subject}` persists {fmt(too_long)}, longer than the database column's "
                f"`{db_type.name}({db_type.length})`",
                help="widen the column in a migration",
                related=(Related(pair.db_column.provenance.last, "column type declared here"),),
                data=FindingData(
                    table=pair.model_table.name,
                    column=pair.model_column.name,
                    enum_type=pair.use.type_name,
                    missing=too_long,
                ),
            )
