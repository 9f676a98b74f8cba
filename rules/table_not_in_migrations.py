"""SL201: a model table is created by no migration."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from schemalint.compare import structural_model_tables
from schemalint.facts import DropTable, RenameTable
from schemalint.findings import Finding, FindingData, Related
from schemalint.graph import ident_key
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


class Invoice(Base):  # expect: SL201
    __tablename__ = "invoices"
    id: Mapped[int] = mapped_column(primary_key=True)
"""
)


class TableNotInMigrations(Rule):
    """A model table is created by no migration.

    ## What it does
    Replays the migrations and reports every model table (declarative class, SQLModel
    `table=True`, Core `Table`) that does not exist afterwards: never created, or dropped or
    renamed by a later migration.

    Nothing is reported when the project has no migrations at all, when a migration calls
    `metadata.create_all()` (the database side is then unknowable; SL004 says so once), or for
    a table whose model is only partly visible (a base class from outside the project, a
    `__table__` that is not written as `Table(...)`; SL004 says so once per model).

    ## Why is this bad?
    The model works against the developer's database, created by `create_all()` or by hand,
    and fails everywhere the migrations build the schema: `relation "invoices" does not exist`
    on the first insert or query in CI, staging or production.

    ## Use instead
    Add a migration that creates the table (`alembic revision --autogenerate`, or
    `CREATE TABLE invoices (...)`).

    ## Data
    `table` is the model's table. The oracle suite checks on real databases that a row written
    through the model fails exactly for the tables this rule reports.
    """

    code = "SL201"
    severity = "error"
    tags = ("structure", "correctness")
    invalid = (Example({"migrations/V1__init.sql": _MIGRATION, "app/models.py": _MODELS}),)
    valid = (
        Example(
            {
                "migrations/V1__init.sql": _MIGRATION,
                "migrations/V2__invoices.sql": "CREATE TABLE invoices (id serial PRIMARY KEY);\n",
                "app/models.py": _MODELS.replace("  # expect: SL201", ""),
            }
        ),
        Example(
            {"app/models.py": _MODELS.replace("  # expect: SL201", "")},
            title="a project without migrations (the schema comes from `create_all`) is not checked",
        ),
    )

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        database = ctx.database
        tables = tuple(ctx.models.tables.values())
        for table, db_table in structural_model_tables(tables, database, bool(ctx.migrations)):
            if db_table is not None:
                continue
            yield self.finding(
                table.span,
                f"model `{table.class_name}` maps table `{table.name}`, which no migration creates; "
                "every insert and query through it fails on a database built by the migrations",
                help=f"add a migration that creates `{table.name}` (`alembic revision --autogenerate`, "
                "or `CREATE TABLE ...`)",
                related=self._removed_here(ctx, table.name),
                data=FindingData(table=table.name),
            )

    @staticmethod
    def _removed_here(ctx: RuleContext, name: str) -> Iterator[Related]:
        """Migrations that dropped or renamed the table away."""
        key = ident_key(name, ctx.dialect)
        for migration in ctx.migrations:
            for op in migration.ops:
                if isinstance(op, DropTable) and ident_key(op.table, ctx.dialect) == key:
                    yield Related(op.span, f"`{name}` is dropped here")
                elif isinstance(op, RenameTable) and ident_key(op.table, ctx.dialect) == key:
                    yield Related(op.span, f"`{name}` is renamed to `{op.new_name}` here")
