"""SL105: a model column uses a native enum type that no migration creates."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from schemalint.findings import Finding, FindingData, Related
from schemalint.rule import Example, Rule
from schemalint.rules._examples import users_model

if TYPE_CHECKING:
    from schemalint.runner import RuleContext

_VC = "mapped_column(sa.Enum(UserRole, values_callable=lambda e: [m.value for m in e]))"


class EnumTypeNeverCreated(Rule):
    """A model column uses a native enum type that no migration creates.

    ## What it does
    On PostgreSQL, finds model columns whose SQLAlchemy `Enum` is native (the default) and
    whose type name (`name=`, else the lower-cased class name) no migration creates with
    `CREATE TYPE`, `op.create_table` with an `sa.Enum`, or `Enum(...).create(bind)`.

    ## Why is this bad?
    On a fresh database the migrations either fail (`type "userrole" does not exist`, when a
    column refers to the type) or build a column the model cannot write through asyncpg, which
    casts every parameter to the type (`$1::userrole`). Teams then create the types by hand on
    each database, and the next fresh environment breaks. Note that `op.add_column` with an
    `sa.Enum` does *not* create the type (observed with Alembic 1.20).

    ## Use instead
    Create the type in a migration before the column that uses it:
    `sa.Enum(UserRole, name="userrole").create(op.get_bind(), checkfirst=True)` or
    `CREATE TYPE userrole AS ENUM (...)`.

    ## Data
    `missing` lists every string the model writes. `migration_fails` is `"true"` when a migration
    creates a column of the missing type, so the migrations themselves fail on a fresh database.
    """

    code = "SL105"
    severity = "error"
    tags = ("enum", "correctness")
    invalid = (
        Example(
            {
                "migrations/V1__init.sql": "CREATE TABLE users (id serial PRIMARY KEY, role varchar(20));\n",
                "app/models.py": users_model(_VC + "  # expect: SL105"),
            }
        ),
    )
    valid = (
        Example(
            {
                "migrations/V1__init.sql": (
                    "CREATE TYPE userrole AS ENUM ('writer', 'admin');\n"
                    "CREATE TABLE users (id serial PRIMARY KEY, role userrole);\n"
                ),
                "app/models.py": users_model(_VC),
            }
        ),
        Example(
            {
                "migrations/V1__init.sql": "CREATE TABLE users (id integer PRIMARY KEY, role varchar(20));\n",
                "app/models.py": users_model(_VC),
            },
            dialect="sqlite",
            title="SQLite has no enum types: the model's Enum is a VARCHAR there",
        ),
    )

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        if ctx.dialect != "postgresql" or ctx.database.unknowable:
            return
        failing = {p.type_name: p for p in ctx.database.problems if p.kind == "missing-type" and p.type_name}
        for table in ctx.models.tables.values():
            for column in table.columns:
                use = column.enum
                if use is None or not use.native or not use.type_name or use.dialect_type == "mysql":
                    continue
                if ctx.database.enum_type(use.type_name) is not None:
                    continue
                related: list[Related] = []
                db_table = ctx.database.table(table.name)
                db_column = db_table.column(column.name, ctx.dialect) if db_table else None
                problem = failing.get(use.type_name)
                if problem is not None:
                    related.append(
                        Related(problem.span, f"this migration fails on a fresh database: {problem.message}")
                    )
                elif db_column is not None:
                    related.append(
                        Related(
                            db_column.provenance.declared,
                            "the migrations create this column without the type",
                        )
                    )
                yield self.finding(
                    column.span,
                    f"`{table.name}.{column.name}` uses the PostgreSQL enum type `{use.type_name}`, which no "
                    f"migration creates; the model writes {', '.join(f'`{v}`' for v in use.persisted)} to it",
                    help=(
                        f"create it in a migration: `CREATE TYPE {use.type_name} AS ENUM (...)` or "
                        f"`sa.Enum(..., name={use.type_name!r}).create(op.get_bind(), checkfirst=True)`"
                    ),
                    related=related,
                    data=FindingData(
                        table=table.name,
                        column=column.name,
                        enum_type=use.type_name,
                        missing=use.persisted,
                        rule_data=(("migration_fails", "true"),) if problem is not None else (),
                    ),
                )
