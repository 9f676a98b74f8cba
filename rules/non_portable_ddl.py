"""SL305: a migration uses a construct another configured dialect does not support."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from schemalint.facts import DIALECTS, FEATURE_DIALECTS, Dialect
from schemalint.findings import Finding, FindingData
from schemalint.rule import Example, Rule

if TYPE_CHECKING:
    from schemalint.runner import RuleContext

_CONFIG = (
    '[project]\nname = "shop"\n\n[tool.schemalint]\ndialect = "postgresql"\ntest-dialects = ["sqlite"]\n'
)
_NAMES: dict[str, str] = {"postgresql": "PostgreSQL", "mysql": "MySQL/MariaDB", "sqlite": "SQLite"}


def test_dialects(ctx: RuleContext) -> tuple[Dialect, ...]:
    """The configured ``test-dialects`` other than the one the project is checked for."""
    configured = ctx.settings.options.get("test-dialects", ())
    if not isinstance(configured, (tuple, list)):
        return ()
    return tuple(d for d in DIALECTS if d in configured and d != ctx.dialect)


class NonPortableDdl(Rule):
    """A migration uses a construct another configured dialect does not support.

    ## What it does
    When `test-dialects` is configured (for example tests on SQLite while production runs
    PostgreSQL), reports migration statements that use a construct one of those dialects
    cannot run: `JSONB` and `ARRAY` types, `ILIKE`, `CREATE TYPE ... AS ENUM`, MySQL's inline
    `ENUM(...)`, a CHECK using `EXTRACT`, PL/pgSQL blocks and functions, `CREATE EXTENSION`,
    and on SQLite `ALTER COLUMN` and adding or dropping constraints with `ALTER TABLE` (Alembic
    needs `batch_alter_table` there). Statements inside `if op.get_bind().dialect.name == ...`
    and types given per dialect with `with_variant` are written for one dialect on purpose and
    are not reported; `sa.Enum` is portable (a VARCHAR where there are no enum types).

    The rule is silent unless `test-dialects` is set. Detecting it from the tests' own
    configuration (a `sqlite://` URL in `pytest.ini`, `conftest.py` or `pyproject.toml`) is
    planned.

    ## Why is this bad?
    The test suite migrates its database with the same history: the migration fails there
    (`near "ILIKE": syntax error`, `Compiler can't render element of type JSONB`), or the team
    stops running migrations in tests and loses the check that they work at all.

    ## Use instead
    Use a portable construct (`sa.JSON().with_variant(JSONB(), "postgresql")`, `sa.Enum`,
    `lower(x) LIKE lower(y)`), guard the statement with a dialect check, or use batch mode.
    """

    code = "SL305"
    severity = "warning"
    tags = ("portability",)
    invalid = (
        Example(
            {
                "pyproject.toml": _CONFIG,
                "migrations/V1__init.sql": (
                    "CREATE TABLE products (id integer PRIMARY KEY, attributes jsonb);  -- expect: SL305\n"
                    "CREATE TYPE status AS ENUM ('draft', 'live');  -- expect: SL305\n"
                ),
            }
        ),
    )
    valid = (
        Example(
            {
                "pyproject.toml": _CONFIG,
                "migrations/V1__init.sql": "CREATE TABLE products (id integer PRIMARY KEY, attributes json);\n",
            }
        ),
        Example(
            {
                "migrations/V1__init.sql": "CREATE TABLE products (id integer PRIMARY KEY, attributes jsonb);\n"
            },
            title="without `test-dialects`, nothing is reported",
        ),
    )

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        others = test_dialects(ctx)
        if not others:
            return
        for m in ctx.migrations:
            for feature in m.features:
                supported, description = FEATURE_DIALECTS[feature.name]
                missing = [d for d in others if d not in supported]
                if not missing:
                    continue
                names = " and ".join(_NAMES[d] for d in missing)
                yield self.finding(
                    feature.span,
                    f"this migration uses {description}, which {names} (in `test-dialects`) does not "
                    "support; applying the migrations there fails",
                    help="use a portable construct, guard the statement with a dialect check, or "
                    "use Alembic's batch mode on SQLite",
                    data=FindingData(rule_data=(("feature", feature.name), ("dialects", ",".join(missing)))),
                )
