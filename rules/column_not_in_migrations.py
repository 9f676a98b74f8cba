"""SL202: a model column exists in no migration's result."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from schemalint.compare import provenance_related, structural_model_tables
from schemalint.findings import Finding, FindingData
from schemalint.rule import Example, Rule
from schemalint.rules._examples import PLAIN_MODELS_HEADER

if TYPE_CHECKING:
    from schemalint.runner import RuleContext

_MIGRATION = "CREATE TABLE users (id serial PRIMARY KEY, email varchar(255) NOT NULL);\n"
_MODELS = (
    PLAIN_MODELS_HEADER
    + """
class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(255))
    nickname: Mapped[str | None] = mapped_column(sa.String(50))  # expect: SL202
"""
)


class ColumnNotInMigrations(Rule):
    """A model column exists in no migration's result.

    ## What it does
    For every model table the migrations create, reports model columns the table does not
    have after every migration ran: never added, dropped, or renamed away. Column names are
    compared as the database compares them (exactly on PostgreSQL, where SQLAlchemy quotes
    mixed-case names; case-insensitively on MySQL and SQLite).

    Tables whose model is only partly visible (a base class from outside the project, a
    `__table__` not written as `Table(...)`) are skipped, with one SL004 saying so; so is the
    whole run when a migration calls `metadata.create_all()`. TypeScript models are not
    compared column by column: their front-end reads only enum-like columns.

    ## Why is this bad?
    SQLAlchemy selects and inserts every mapped column, so one missing column breaks every
    query and insert of the model, not only the code that uses it: `column "nickname" does not
    exist`.

    ## Use instead
    Add the column in a migration (`op.add_column(...)`, `ALTER TABLE ... ADD COLUMN ...`), or
    remove it from the model.
    """

    code = "SL202"
    severity = "error"
    tags = ("structure", "correctness")
    invalid = (Example({"migrations/V1__init.sql": _MIGRATION, "app/models.py": _MODELS}),)
    valid = (
        Example(
            {
                "migrations/V1__init.sql": _MIGRATION,
                "migrations/V2__nickname.sql": "ALTER TABLE users ADD COLUMN nickname varchar(50);\n",
                "app/models.py": _MODELS.replace("  # expect: SL202", ""),
            }
        ),
        Example(
            {
                "migrations/V1__init.sql": _MIGRATION,
                "app/models.py": _MODELS.replace("  # expect: SL202", "").replace(
                    "class User(Base):",
                    "from fastapi_users_db_sqlalchemy import SQLAlchemyBaseUserTable\n\n\n"
                    "class User(SQLAlchemyBaseUserTable[int], Base):",
                ),
            },
            title="a model inheriting from a library class is partly visible: one SL004, no SL202",
        ),
    )

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        database = ctx.database
        tables = tuple(ctx.models.tables.values())
        for table, db_table in structural_model_tables(tables, database, bool(ctx.migrations)):
            if db_table is None or not table.structural:
                continue
            for column in table.columns:
                if db_table.column(column.name, database.dialect) is not None:
                    continue
                present = ", ".join(f"`{c.name}`" for c in db_table.columns) or "no columns"
                yield self.finding(
                    column.span,
                    f"model column `{table.name}.{column.name}` (`{table.class_name}.{column.attribute}`) "
                    f"is created by no migration; the table has {present}, and every insert and query "
                    f"through `{table.class_name}` fails",
                    help=f"add `{column.name}` to `{table.name}` in a migration, or remove it from the model",
                    related=provenance_related(db_table.provenance, "table"),
                    data=FindingData(table=table.name, column=column.name),
                )
