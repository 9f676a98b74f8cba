"""SL109: a migration statement fails when the migrations run on a fresh database."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from schemalint.findings import Finding, FindingData
from schemalint.rule import Example, Rule

if TYPE_CHECKING:
    from schemalint.runner import RuleContext

# What each replay problem means for someone running the migrations, and how to fix it.
_HELP = {
    "duplicate-type": "create the type once: drop the second CREATE TYPE, pass `create_type=False`, or use `checkfirst=True`",
    "duplicate-label": "use `ALTER TYPE ... ADD VALUE IF NOT EXISTS`, or drop the repeated statement",
    "missing-type": "create the type in an earlier migration (`CREATE TYPE ... AS ENUM (...)`)",
    "unsupported": "guard the statement with a dialect check, or use a portable construct",
}


class MigrationFailsOnFreshDatabase(Rule):
    """A migration statement fails when the migrations run on a fresh database.

    ## What it does
    Replays every migration in order and reports statements that the database would reject
    on a fresh database: a second `CREATE TYPE` of the same name (for example an `sa.Enum` that
    a migration creates with `.create(bind)` and then passes to `op.create_table`, which
    creates it again), `ALTER TYPE ... ADD VALUE` of a label that already exists without
    `IF NOT EXISTS`, or a column of an enum type that the migration declares (`create_type=False`)
    but no earlier migration creates (when no model column uses that type; otherwise SL105
    reports it with the model's side).

    ## Why is this bad?
    Existing databases were often patched by hand, so the history only breaks where it is
    replayed from scratch: a new developer's machine, CI, a disaster-recovery restore. By then the
    migration is long merged.

    ## Use instead
    Make each migration apply cleanly on the state the previous ones leave behind.

    ## Data
    `migration_fails` is always `"true"`; `problem` is `duplicate-type`, `duplicate-label`,
    `missing-type` or `unsupported` (a construct that raises on this dialect).
    """

    code = "SL109"
    severity = "error"
    tags = ("migrations", "correctness")
    invalid = (
        Example.sql(
            "CREATE TYPE mood AS ENUM ('sad', 'happy');\nALTER TYPE mood ADD VALUE 'sad'; -- expect: SL109\n"
        ),
        Example.sql(
            "CREATE TYPE mood AS ENUM ('sad', 'happy');\n"
            "CREATE TYPE mood AS ENUM ('sad', 'happy'); -- expect: SL109\n"
        ),
    )
    valid = (
        Example.sql(
            "CREATE EXTENSION IF NOT EXISTS citext;\n"
            "CREATE TABLE users (id serial PRIMARY KEY, email citext NOT NULL);\n",
            title="A type from an extension is not an enum schemalint expects to see created",
        ),
        Example.sql(
            "CREATE TYPE mood AS ENUM ('sad', 'happy');\n"
            "ALTER TYPE mood ADD VALUE IF NOT EXISTS 'sad';\n"
            "ALTER TYPE mood ADD VALUE 'ok';\n"
        ),
    )

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        if ctx.database.unknowable:
            return
        model_types = {
            column.enum.type_name
            for table in ctx.models.tables.values()
            for column in table.columns
            if column.enum is not None and column.enum.native and column.enum.type_name
        }
        for problem in ctx.database.problems:
            if problem.kind == "missing-type" and (
                problem.type_name in model_types or not problem.declared_enum
            ):
                # SL105 reports it at the model column. A raw-SQL column of a type nothing here
                # creates may use an extension's type (citext, geometry, vector) or a domain:
                # only a type the migration itself declares as an enum is known to be missing.
                continue
            where = f" (`{problem.table}.{problem.column}`)" if problem.table and problem.column else ""
            yield self.finding(
                problem.span,
                f"this statement fails on a fresh {ctx.dialect} database: {problem.message}{where}",
                help=_HELP.get(problem.kind, ""),
                data=FindingData(
                    table=problem.table,
                    column=problem.column,
                    enum_type=problem.type_name,
                    rule_data=(("migration_fails", "true"), ("problem", problem.kind)),
                ),
            )
