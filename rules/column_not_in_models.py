"""SL205: the database has a column no model maps."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from schemalint.compare import provenance_related, structural_model_tables
from schemalint.findings import Finding, FindingData
from schemalint.graph import ident_key
from schemalint.rule import Example, Rule
from schemalint.rules._examples import PLAIN_MODELS_HEADER

if TYPE_CHECKING:
    from schemalint.runner import RuleContext

_MIGRATION = "CREATE TABLE users (id serial PRIMARY KEY, email varchar(255) NOT NULL, legacy_flag boolean);\n"
_MODELS = (
    PLAIN_MODELS_HEADER
    + """
class User(Base):  # expect: SL205
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(255))
"""
)


class ColumnNotInModels(Rule):
    """The database has a column no model maps.

    ## What it does
    For every fully visible model table, lists the database columns (after every migration)
    that the model does not map. Off by default: columns kept for other readers, written by
    triggers or left for a later cleanup are legitimate. Single-table-inheritance subclasses
    add columns to their parent's table; they are not followed yet, so enable this rule only
    where that pattern is absent.

    ## Why is this bad?
    An unmapped NOT NULL column without a default makes every insert through the model fail;
    an unmapped nullable column is usually a leftover of a removed feature, which a migration
    should drop.

    ## Use instead
    Map the column, or drop it in a migration.
    """

    code = "SL205"
    severity = "info"
    enabled_by_default = False
    tags = ("structure",)
    invalid = (Example({"migrations/V1__init.sql": _MIGRATION, "app/models.py": _MODELS}),)
    valid = (
        Example(
            {
                "migrations/V1__init.sql": _MIGRATION,
                "migrations/V2__drop.sql": "ALTER TABLE users DROP COLUMN legacy_flag;\n",
                "app/models.py": _MODELS.replace("  # expect: SL205", ""),
            }
        ),
    )

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        dialect = ctx.dialect
        tables = tuple(ctx.models.tables.values())
        for table, db_table in structural_model_tables(tables, ctx.database, bool(ctx.migrations)):
            if db_table is None or not table.structural:
                continue
            mapped = {ident_key(c.name, dialect) for c in table.columns}
            for db_column in db_table.columns:
                if ident_key(db_column.name, dialect) in mapped:
                    continue
                required = not db_column.nullable and db_column.default is None
                consequence = (
                    "it is NOT NULL without a default, so every insert through the model fails"
                    if required
                    else "no model reads or writes it"
                )
                yield self.finding(
                    table.span,
                    f"`{table.name}.{db_column.name}` exists in the database but model "
                    f"`{table.class_name}` does not map it; {consequence}",
                    help=f"map `{db_column.name}` in `{table.class_name}`, or drop it in a migration",
                    related=provenance_related(db_column.provenance, "database column"),
                    data=FindingData(table=table.name, column=db_column.name),
                )
