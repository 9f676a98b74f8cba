"""SL203: the model and the database disagree about whether a column may be NULL."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from schemalint.compare import provenance_related, structural_column_pairs
from schemalint.findings import Finding, FindingData
from schemalint.rule import Example, Rule
from schemalint.rules._examples import PLAIN_MODELS_HEADER

if TYPE_CHECKING:
    from schemalint.runner import RuleContext

_MIGRATION = "CREATE TABLE users (id serial PRIMARY KEY, email varchar(255) NOT NULL, bio text);\n"
_MODELS = (
    PLAIN_MODELS_HEADER
    + """from typing import Optional


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[Optional[str]] = mapped_column(sa.String(255))  # expect: SL203
    bio = sa.Column(sa.Text, nullable=False)  # expect: SL203
"""
)


def _null(nullable: bool) -> str:
    return "nullable" if nullable else "NOT NULL"


class NullabilityDrift(Rule):
    """The model and the database disagree about whether a column may be NULL.

    ## What it does
    Compares each model column's nullability with the database column's after every migration.
    The model side follows SQLAlchemy: `nullable=` wins; otherwise `Column(...)` is nullable
    unless it is a primary key, `Mapped[Optional[T]]` / `Mapped[T | None]` is nullable and
    `Mapped[T]` is not; a SQLModel field is nullable when its annotation is `Optional`.
    Primary keys are skipped (the database makes them NOT NULL whatever the model says), and
    so is a nullable model column over a NOT NULL column with a database default (serial,
    `DEFAULT now()`): `Optional` there means "filled in by the database".

    ## Why is this bad?
    A model column that allows `None` over a NOT NULL column fails at write time
    (`null value in column "email" violates not-null constraint`). A model column that promises
    a value over a nullable column lets rows written by other code, scripts or older releases
    hold NULL, which the application does not expect when it reads them.

    ## Use instead
    Make them agree: `nullable=False` (or `Mapped[str]`) in the model, or
    `ALTER TABLE ... ALTER COLUMN ... SET NOT NULL` in a migration (after backfilling NULLs).
    """

    code = "SL203"
    severity = "warning"
    tags = ("structure",)
    invalid = (Example({"migrations/V1__init.sql": _MIGRATION, "app/models.py": _MODELS}),)
    valid = (
        Example(
            {
                "migrations/V1__init.sql": _MIGRATION,
                "app/models.py": _MODELS.replace("Mapped[Optional[str]]", "Mapped[str]")
                .replace("nullable=False", "nullable=True")
                .replace("  # expect: SL203", ""),
            }
        ),
    )

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        tables = tuple(ctx.models.tables.values())
        for table, column, _db_table, db_column in structural_column_pairs(
            tables, ctx.database, bool(ctx.migrations)
        ):
            if column.primary_key or column.nullable is None or column.nullable == db_column.nullable:
                continue
            if column.nullable and db_column.default is not None:
                # `Optional[datetime] = Field(default=None)` over `NOT NULL DEFAULT now()`: the
                # model leaves the value to the database, which fills it in.
                continue
            if column.nullable:
                consequence = "writing `None` fails with a NOT NULL violation"
                help = "declare it `nullable=False` (or `Mapped[T]` without Optional) in the model"
            else:
                consequence = "rows written by other code may hold NULL, which the model does not expect"
                help = (
                    "add `SET NOT NULL` in a migration (after backfilling), or make the model column nullable"
                )
            yield self.finding(
                column.span,
                f"`{table.name}.{column.name}` is {_null(column.nullable)} in the model but "
                f"{_null(db_column.nullable)} in the database; {consequence}",
                help=help,
                related=provenance_related(db_column.provenance, "database column"),
                data=FindingData(
                    table=table.name,
                    column=column.name,
                    rule_data=(
                        ("model_nullable", str(column.nullable).lower()),
                        ("database_nullable", str(db_column.nullable).lower()),
                    ),
                ),
            )
