"""SL101: a native enum type lacks a label the model writes."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from schemalint.compare import (
    accepted_by_native,
    enum_pairs,
    fmt,
    is_names_values_pair,
    native_label,
    provenance_related,
    rejection_clause,
)
from schemalint.findings import Finding, FindingData
from schemalint.rule import Example, Rule
from schemalint.rules._examples import MODELS_HEADER

if TYPE_CHECKING:
    from schemalint.runner import RuleContext

_HELP = {
    "postgresql": "add the missing labels in a migration: `ALTER TYPE ... ADD VALUE '...'`",
    "mysql": "add the missing labels in a migration: `ALTER TABLE ... MODIFY COLUMN ... ENUM(...)` with every label",
    "sqlite": "add the missing values in a migration",
}

_MODEL = (
    MODELS_HEADER.replace('    ADMIN = "admin"\n', '    ADMIN = "admin"\n    EDITOR = "editor"\n')
    + """
class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    role = mapped_column(sa.Enum(UserRole, values_callable=lambda e: [m.value for m in e]))  # expect: SL101
"""
)


class EnumValueDrift(Rule):
    """A native enum type lacks a label the model writes.

    ## What it does
    Compares the strings a model enum column persists with the labels of the native enum the
    migrations built: the PostgreSQL type after every `CREATE TYPE`, `ALTER TYPE ... ADD VALUE`,
    `RENAME VALUE` and rename, or a MySQL/MariaDB inline `ENUM(...)` column.

    ## Why is this bad?
    A Python enum that gains a member without a migration that adds the label makes every
    write of that member fail: PostgreSQL raises `invalid input value for enum`, MariaDB in
    strict mode `Data truncated for column`. MariaDB also accepts a label that differs only
    in case and stores the declared label, which the model then cannot read back.

    ## Use instead
    Add the label in a migration: `ALTER TYPE userrole ADD VALUE 'editor'` (PostgreSQL) or
    `ALTER TABLE users MODIFY role ENUM(...)` (MySQL/MariaDB).
    """

    code = "SL101"
    severity = "error"
    tags = ("enum", "correctness")
    invalid = (
        Example(
            {
                "migrations/V1__init.sql": (
                    "CREATE TYPE userrole AS ENUM ('writer', 'admin');\n"
                    "CREATE TABLE users (id serial PRIMARY KEY, role userrole);\n"
                ),
                "app/models.py": _MODEL,
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
                "migrations/V2__editor.sql": "ALTER TYPE userrole ADD VALUE 'editor';\n",
                "app/models.py": _MODEL.replace("  # expect: SL101", ""),
            }
        ),
    )

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        dialect = ctx.dialect
        for pair in enum_pairs(tuple(ctx.models.tables.values()), ctx.database):
            if pair.native is None or is_names_values_pair(pair, dialect):
                continue
            labels, provenance = pair.native
            missing = tuple(v for v in pair.use.persisted if not accepted_by_native(v, labels, dialect))
            if not missing:
                continue
            type_name = pair.db_column.type.type_ref
            message = (
                f"`{pair.subject}` writes {fmt(missing)}, which {native_label(pair)} lacks "
                f"(it has {fmt(labels)}); {rejection_clause(pair, missing, dialect)}"
            )
            yield self.finding(
                pair.model_column.span,
                message,
                help=_HELP[dialect],
                related=provenance_related(provenance, "database enum"),
                data=FindingData(
                    table=pair.model_table.name,
                    column=pair.model_column.name,
                    enum_type=type_name or pair.use.type_name,
                    missing=missing,
                    extra=tuple(x for x in labels if x not in pair.use.persisted),
                ),
            )
