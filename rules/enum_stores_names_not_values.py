"""SL102: the model persists enum member names while the database holds the values, or the reverse."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from schemalint.compare import (
    check_label,
    column_allowed,
    enum_pairs,
    fmt,
    names_values_mismatch,
    native_label,
    provenance_related,
    rejected_values,
    rejection_clause,
)
from schemalint.findings import Finding, FindingData, Related
from schemalint.rule import Example, Rule
from schemalint.rules._examples import users_model

if TYPE_CHECKING:
    from schemalint.runner import RuleContext

_MIGRATION = (
    "CREATE TYPE userrole AS ENUM ('writer', 'admin');\n"
    "CREATE TABLE users (id serial PRIMARY KEY, role userrole NOT NULL);\n"
)


class EnumStoresNamesNotValues(Rule):
    """The model persists enum member names while the database holds the values, or the reverse.

    ## What it does
    Finds SQLAlchemy `Enum` columns whose persisted strings are the Python enum's member
    *names* (`ADMIN`) while the migrations created the type or CHECK constraint with the
    member *values* (`admin`), and the reverse (`values_callable` sends values, the database
    holds names).

    ## Why is this bad?
    `sa.Enum(UserRole)` sends and stores `member.name`, never `.value` (observed with
    SQLAlchemy 2.0 and 2.1 on PostgreSQL, MariaDB and SQLite). When the database holds the
    values, every insert fails on PostgreSQL (`invalid input value for enum userrole:
    "ADMIN"`); on MariaDB the write is case-folded and the row then fails to load with
    `LookupError`. Alembic's `alembic check` does not detect this on PostgreSQL.

    This rule is reported instead of SL101/SL103 for the column, so the mismatch shows up
    once, with its fix.

    ## Use instead
    Make SQLAlchemy store the values:
    `sa.Enum(UserRole, values_callable=lambda e: [m.value for m in e])`, or write a migration
    that changes the database labels to the names.
    """

    code = "SL102"
    severity = "error"
    tags = ("enum", "correctness")
    invalid = (
        Example(
            {
                "migrations/V1__init.sql": _MIGRATION,
                "app/models.py": users_model(
                    "mapped_column(sa.Enum(UserRole), nullable=False)  # expect: SL102"
                ),
            }
        ),
    )
    valid = (
        Example(
            {
                "migrations/V1__init.sql": _MIGRATION,
                "app/models.py": users_model(
                    "mapped_column(sa.Enum(UserRole, values_callable=lambda e: [m.value for m in e]), "
                    "nullable=False)"
                ),
            }
        ),
    )

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        dialect = ctx.dialect
        for pair in enum_pairs(tuple(ctx.models.tables.values()), ctx.database):
            related: list[Related] = []
            kind = None
            holder = ""
            if pair.native is not None:
                kind = names_values_mismatch(pair, pair.native[0], True, dialect)
                if kind:
                    holder = native_label(pair)
                    related.extend(provenance_related(pair.native[1], "database enum"))
            for check in pair.checks:
                check_kind = names_values_mismatch(pair, check.values or (), False, dialect)
                if check_kind:
                    kind = kind or check_kind
                    holder = holder or check_label(check)
                    related.extend(provenance_related(check.provenance, "CHECK constraint"))
            if kind is None:
                continue
            use = pair.use
            allowed = column_allowed(pair, dialect) or ()
            missing = rejected_values(pair, use.persisted, dialect)
            stored, held = ("names", "values") if kind == "names" else ("values", "names")
            enum_name = use.enum.name if use.enum else "?"
            message = (
                f"`{pair.subject}` stores the {stored} of `{enum_name}` ({fmt(use.persisted)}) but "
                f"{holder} holds the {held} ({fmt(allowed)}); {rejection_clause(pair, missing, dialect)}"
            )
            if kind == "names":
                help_text = (
                    "pass `values_callable=lambda e: [m.value for m in e]` to `Enum(...)` so SQLAlchemy "
                    "stores the values, or write a migration that changes the labels to the names"
                )
            else:
                help_text = (
                    "drop `values_callable` so SQLAlchemy stores the names, or write a migration that "
                    "changes the labels to the values"
                )
            yield self.finding(
                pair.model_column.span,
                message,
                help=help_text,
                related=related,
                data=FindingData(
                    table=pair.model_table.name,
                    column=pair.model_column.name,
                    enum_type=use.type_name,
                    missing=missing,
                    extra=tuple(a for a in allowed if a not in use.persisted),
                ),
            )
