"""SL104: the database accepts values the model can never write."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from schemalint.compare import (
    accepted_by_check,
    column_allowed,
    enum_pairs,
    fmt,
    is_names_values_pair,
    provenance_related,
)
from schemalint.findings import Finding, FindingData, Related
from schemalint.rule import Example, Rule
from schemalint.rules._examples import users_model

if TYPE_CHECKING:
    from schemalint.runner import RuleContext

_VC = "mapped_column(sa.Enum(UserRole, values_callable=lambda e: [m.value for m in e]))"


class DatabaseAllowsUnknownValues(Rule):
    """The database accepts values the model can never write.

    ## What it does
    Reports enum labels and CHECK values that the database allows for a column but that no
    member of the model's enum persists.

    ## Why is this bad?
    A value only the database knows is either a leftover (a member removed from the code but
    not from the schema) or a typo in a migration (`dead-center-medium` where the model says
    `chest-medium`). Rows holding it, written by another service or by hand, make the model
    raise `LookupError` when it loads them.

    ## Use instead
    Remove the label or CHECK value in a migration, or add the member to the model.
    """

    code = "SL104"
    severity = "warning"
    tags = ("enum", "check")
    invalid = (
        Example(
            {
                "migrations/V1__init.sql": (
                    "CREATE TYPE userrole AS ENUM ('writer', 'admin', 'retired');\n"
                    "CREATE TABLE users (id serial PRIMARY KEY, role userrole);\n"
                ),
                "app/models.py": users_model(_VC + "  # expect: SL104"),
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
    )

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        dialect = ctx.dialect
        for pair in enum_pairs(tuple(ctx.models.tables.values()), ctx.database):
            if is_names_values_pair(pair, dialect):
                continue
            allowed = column_allowed(pair, dialect)
            if allowed is None:
                continue
            extra = tuple(a for a in allowed if not accepted_by_check(a, pair.use.persisted, dialect))
            if not extra:
                continue
            related: list[Related] = []
            if pair.native is not None:
                related.extend(provenance_related(pair.native[1], "database enum"))
            for check in pair.checks:
                related.extend(provenance_related(check.provenance, "CHECK constraint"))
            yield self.finding(
                pair.model_column.span,
                f"the database accepts {fmt(extra)} for `{pair.subject}`, which the model never writes "
                f"(it writes {fmt(pair.use.persisted)})",
                help="remove the extra values in a migration, or add the members to the model's enum",
                related=related,
                data=FindingData(
                    table=pair.model_table.name,
                    column=pair.model_column.name,
                    enum_type=pair.use.type_name,
                    extra=extra,
                ),
            )
