"""SL106: a model or database default is outside the allowed values."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from schemalint.compare import accepted_by_check, column_allowed, enum_pairs, fmt
from schemalint.findings import Finding, FindingData, Related
from schemalint.rule import Example, Rule
from schemalint.rules._examples import users_model

if TYPE_CHECKING:
    from schemalint.runner import RuleContext

_MIGRATION = (
    "CREATE TYPE userrole AS ENUM ('writer', 'admin');\n"
    "CREATE TABLE users (id serial PRIMARY KEY, role userrole NOT NULL DEFAULT 'writer');\n"
)
_VC = "sa.Enum(UserRole, values_callable=lambda e: [m.value for m in e])"


class EnumDefaultNotAllowed(Rule):
    """A model or database default is outside the allowed values.

    ## What it does
    Checks every default of an enum column: the model's `default=` (as the string SQLAlchemy
    sends), the model's `server_default=`, and the `DEFAULT` the migrations gave the column.
    Each must be a value the database accepts and the model can read back.

    ## Why is this bad?
    A default is written on every insert that omits the column. A default the database rejects
    makes those inserts fail; a database default the model does not know makes every such
    row fail to load with `LookupError`. A literal string default on a plain (non-str) enum
    is sent unchanged, not converted to the member's name.

    ## Use instead
    Use a member as the default (`default=UserRole.WRITER`), and keep the migration's
    `DEFAULT` one of the persisted strings.
    """

    code = "SL106"
    severity = "error"
    tags = ("enum", "default")
    invalid = (
        Example(
            {
                "migrations/V1__init.sql": _MIGRATION,
                "app/models.py": users_model(f'mapped_column({_VC}, default="editor")  # expect: SL106'),
            }
        ),
    )
    valid = (
        Example(
            {
                "migrations/V1__init.sql": _MIGRATION,
                "app/models.py": users_model(f"mapped_column({_VC}, default=UserRole.WRITER)"),
            }
        ),
    )

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        dialect = ctx.dialect
        for pair in enum_pairs(tuple(ctx.models.tables.values()), ctx.database):
            persisted = pair.use.persisted
            allowed = column_allowed(pair, dialect)
            for default in pair.model_column.defaults:
                if default.value is None:
                    continue
                unknown_to_model = default.value not in persisted
                rejected = allowed is not None and not accepted_by_check(default.value, allowed, dialect)
                # A member default the database rejects is already part of SL101/SL102/SL103.
                if not unknown_to_model and not default.server:
                    continue
                if not unknown_to_model and not rejected:
                    continue
                kind = "server default" if default.server else "default"
                reasons = []
                if unknown_to_model:
                    reasons.append(f"is not one of the strings the model reads back ({fmt(persisted)})")
                if rejected and allowed is not None:
                    reasons.append(f"is not allowed by the database ({fmt(allowed)})")
                yield self.finding(
                    default.span,
                    f"the {kind} `{default.value}` of `{pair.subject}` " + " and ".join(reasons),
                    help="use a member of the enum as the default",
                    related=(Related(pair.db_column.provenance.declared, "database column declared here"),),
                    data=FindingData(
                        table=pair.model_table.name,
                        column=pair.model_column.name,
                        enum_type=pair.use.type_name,
                        values=(default.value,),
                        missing=(default.value,) if rejected else None,
                    ),
                )
            db_default = pair.db_column.default
            if db_default is None or not db_default.is_literal or db_default.value is None:
                continue
            value = db_default.value
            unknown_to_model = value not in persisted
            rejected = allowed is not None and not accepted_by_check(value, allowed, dialect)
            if not unknown_to_model and not rejected:
                continue
            problems = []
            if unknown_to_model:
                problems.append(f"the model cannot read it back (it writes {fmt(persisted)})")
            if rejected and allowed is not None:
                problems.append(f"the column's own constraints reject it ({fmt(allowed)})")
            yield self.finding(
                pair.db_column.provenance.last,
                f"the database default `{value}` of `{pair.subject}` is outside the allowed values: "
                + "; ".join(problems),
                help="change the DEFAULT in a migration to one of the model's persisted strings",
                related=(Related(pair.model_column.span, "model column declared here"),),
                data=FindingData(
                    table=pair.model_table.name,
                    column=pair.model_column.name,
                    enum_type=pair.use.type_name,
                    values=(value,),
                ),
            )
