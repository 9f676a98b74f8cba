"""SL103: a CHECK value set lacks a value the model writes or its own CheckConstraint allows."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from schemalint.compare import (
    accepted_by_check,
    check_label,
    enum_pairs,
    fmt,
    is_names_values_pair,
    provenance_related,
)
from schemalint.findings import Finding, FindingData, Related
from schemalint.graph import ident_key
from schemalint.rule import Example, Rule
from schemalint.rules._examples import MODELS_HEADER

if TYPE_CHECKING:
    from schemalint.runner import RuleContext

_MODEL = (
    MODELS_HEADER.replace('    ADMIN = "admin"\n', '    ADMIN = "admin"\n    EDITOR = "editor"\n')
    + """
class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    role = mapped_column(  # expect: SL103
        sa.Enum(UserRole, native_enum=False, values_callable=lambda e: [m.value for m in e])
    )
"""
)


class CheckConstraintMissingValues(Rule):
    """A CHECK value set lacks a value the model writes or its own CheckConstraint allows.

    ## What it does
    Reads CHECK constraints of the form `col IN (...)`, `col = ANY (ARRAY[...])` and
    `col IS NULL OR col IN (...)` as they stand after every migration (including constraints
    dropped and re-added), and compares them with the strings the model column persists and
    with the value set of the model's own `CheckConstraint` on that column.

    ## Why is this bad?
    The model happily builds an object whose value the database then rejects:
    `new row for relation ... violates check constraint` on PostgreSQL, `CONSTRAINT ... failed`
    on MariaDB, `CHECK constraint failed` on SQLite. This is the classic "the enum gained a value,
    the CHECK did not" production incident.

    ## Use instead
    Write a migration that drops the constraint and adds it back with every value:
    `ALTER TABLE t DROP CONSTRAINT t_col_check; ALTER TABLE t ADD CONSTRAINT t_col_check CHECK (...)`.
    """

    code = "SL103"
    severity = "error"
    tags = ("check", "correctness")
    invalid = (
        Example(
            {
                "migrations/V1__init.sql": (
                    "CREATE TABLE users (id serial PRIMARY KEY,\n"
                    "    role varchar(20) CHECK (role IN ('writer', 'admin')));\n"
                ),
                "app/models.py": _MODEL,
            }
        ),
    )
    valid = (
        Example(
            {
                "migrations/V1__init.sql": (
                    "CREATE TABLE users (id serial PRIMARY KEY,\n"
                    "    role varchar(20) CHECK (role IN ('writer', 'admin')));\n"
                ),
                "migrations/V2__editor.sql": (
                    "ALTER TABLE users DROP CONSTRAINT users_role_check;\n"
                    "ALTER TABLE users ADD CONSTRAINT users_role_check\n"
                    "    CHECK (role IN ('writer', 'admin', 'editor'));\n"
                ),
                "app/models.py": _MODEL.replace("  # expect: SL103", ""),
            }
        ),
    )

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        dialect = ctx.dialect
        for pair in enum_pairs(tuple(ctx.models.tables.values()), ctx.database):
            if is_names_values_pair(pair, dialect):
                continue
            for check in pair.checks:
                allowed = check.values or ()
                missing = tuple(v for v in pair.use.persisted if not accepted_by_check(v, allowed, dialect))
                if not missing:
                    continue
                yield self.finding(
                    pair.model_column.span,
                    f"`{pair.subject}` writes {fmt(missing)}, which {check_label(check)} "
                    f"does not allow (it allows {fmt(allowed)})",
                    help="write a migration that drops the constraint and adds it back with every value",
                    related=provenance_related(check.provenance, "CHECK constraint"),
                    data=FindingData(
                        table=pair.model_table.name,
                        column=pair.model_column.name,
                        enum_type=pair.use.type_name,
                        missing=missing,
                        extra=tuple(a for a in allowed if a not in pair.use.persisted),
                    ),
                )
        yield from self._model_checks(ctx)

    def _model_checks(self, ctx: RuleContext) -> Iterator[Finding]:
        """The model's own CheckConstraint allows values the database's CHECK rejects."""
        dialect = ctx.dialect
        if ctx.database.unknowable:
            return
        for table in ctx.models.tables.values():
            db_table = ctx.database.table(table.name)
            if db_table is None:
                continue
            for model_check in table.checks:
                if model_check.values is None or model_check.column is None:
                    continue
                db_column = db_table.column(model_check.column, dialect)
                if db_column is None:
                    continue
                for check in ctx.database.value_checks(db_table, db_column):
                    allowed = check.values or ()
                    missing = tuple(
                        v for v in model_check.values if not accepted_by_check(v, allowed, dialect)
                    )
                    if not missing:
                        continue
                    column = model_check.column
                    yield self.finding(
                        model_check.span,
                        f"the model's CheckConstraint on `{table.name}.{column}` allows {fmt(missing)}, "
                        f"which {check_label(check)} in the database does not "
                        f"(it allows {fmt(allowed)})",
                        help="align the migration's CHECK with the model's, in a new migration",
                        related=(
                            *provenance_related(check.provenance, "CHECK constraint"),
                            *(
                                Related(c.span, "model column declared here")
                                for c in table.columns
                                if ident_key(c.name, dialect) == ident_key(column, dialect)
                            ),
                        ),
                        data=FindingData(
                            table=table.name,
                            column=column,
                            missing=missing,
                            extra=tuple(a for a in allowed if a not in model_check.values),
                        ),
                    )
