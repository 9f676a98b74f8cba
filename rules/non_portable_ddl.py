"""SL305: a migration uses a construct another configured dialect does not support."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from pydantic import Field, field_validator

from schemalint.config import normalise_dialect
from schemalint.facts import DIALECTS, FEATURE_DIALECTS, Dialect
from schemalint.findings import Finding, FindingData, Related
from schemalint.pathfacts import TestDatabaseUrl
from schemalint.rule import Example, Rule
from schemalint.rule_options import RuleOptions

if TYPE_CHECKING:
    from schemalint.runner import RuleContext

_CONFIG = (
    '[project]\nname = "shop"\n\n[tool.schemalint]\ndialect = "postgresql"\ntest-dialects = ["sqlite"]\n'
)
_CONFTEST = (
    "import pytest\nimport sqlalchemy as sa\n\n\n@pytest.fixture\ndef engine():\n"
    '    return sa.create_engine("{url}")\n'
)
_NAMES: dict[str, str] = {"postgresql": "PostgreSQL", "mysql": "MySQL/MariaDB", "sqlite": "SQLite"}


class NonPortableDdlOptions(RuleOptions):
    """``[tool.schemalint.rules.SL305]``."""

    test_dialects: list[Dialect] | None = Field(
        default=None,
        description="Other databases the same migrations run on (e.g. the tests' SQLite); "
        "replaces the top-level `test-dialects` for this rule.",
    )

    @field_validator("test_dialects", mode="before")
    @classmethod
    def _canonical_dialects(cls, value: object) -> object:
        # The aliases the top-level key accepts (`postgres`, `mariadb`, `sqlite3`); unknown names
        # fall through so the Literal check reports them with the choices.
        if isinstance(value, list):
            return [normalise_dialect(v) or v if isinstance(v, str) else v for v in value]
        return value


def test_dialects(ctx: RuleContext, options: NonPortableDdlOptions) -> tuple[Dialect, ...]:
    """The configured test dialects other than the one the project is checked for.

    The rule's own option wins over the top-level ``test-dialects`` key, which other settings
    files already use.
    """
    configured = options.test_dialects
    if configured is None:
        top_level = ctx.settings.options.get("test-dialects", ())
        configured = list(top_level) if isinstance(top_level, (tuple, list)) else []
    return tuple(d for d in DIALECTS if d in configured and d != ctx.dialect)


def detected_test_dialects(ctx: RuleContext) -> dict[Dialect, TestDatabaseUrl]:
    """The other dialects the tests' database URLs name (discovery fills them in only when
    `test-dialects` is not configured), each with the URL that says so."""
    found = ctx.settings.options.get("detected-test-dialects", ())
    urls = [url for url in found if isinstance(url, TestDatabaseUrl)] if isinstance(found, tuple) else []
    return {url.dialect: url for url in urls if url.dialect != ctx.dialect}


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

    Without `test-dialects`, the dialects come from the tests' own configuration: the database
    URLs set for the tests (pytest-env `env` settings, `os.environ[...]` in a `conftest.py`,
    `.env.test`, `TEST_DATABASE_URL` in `.env`, `process.env.DATABASE_URL` in a Jest or Vitest
    setup file) and URL literals in a `conftest.py` or a pytest fixture
    (`create_engine("sqlite://")`, `os.environ.get("TEST_DATABASE_URL", "sqlite:///test.db")`).
    A dialect with a migration history of its own (`versions/sqlite/` next to
    `versions/postgresql/`) is not one the checked migrations run on and is left out;
    `--verbose` says what was found where. Setting `test-dialects` (even to `[]`) turns the
    detection off.

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
    options_model = NonPortableDdlOptions
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
        Example(
            {
                "tests/conftest.py": _CONFTEST.format(url="sqlite:///./test.db"),
                "migrations/V1__init.sql": (
                    "CREATE TABLE products (id integer PRIMARY KEY, attributes jsonb);  -- expect: SL305\n"
                ),
            },
            title="the tests' `conftest.py` connects to SQLite",
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
        Example(
            {
                "tests/conftest.py": _CONFTEST.format(url="postgresql://app@localhost/app_test"),
                "migrations/V1__init.sql": "CREATE TABLE products (id integer PRIMARY KEY, attributes jsonb);\n",
            },
            title="the tests use PostgreSQL too",
        ),
    )

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        options = self.options(ctx, NonPortableDdlOptions)
        others = test_dialects(ctx, options)
        # Configured dialects win; the rule's own option, even empty, turns detection off.
        detected = detected_test_dialects(ctx) if not others and options.test_dialects is None else {}
        others = others or tuple(d for d in DIALECTS if d in detected)
        if not others:
            return
        for m in ctx.migrations:
            for feature in m.features:
                supported, description = FEATURE_DIALECTS[feature.name]
                missing = [d for d in others if d not in supported]
                if not missing:
                    continue
                names = " and ".join(_NAMES[d] for d in missing)
                urls = [detected[d] for d in missing if d in detected]
                where = (
                    "the tests' database, from "
                    + ", ".join(f"`{url.span.path}:{url.span.line}`" for url in urls)
                    if urls
                    else "in `test-dialects`"
                )
                yield self.finding(
                    feature.span,
                    f"this migration uses {description}, which {names} ({where}) does not "
                    "support; applying the migrations there fails",
                    help="use a portable construct, guard the statement with a dialect check, or "
                    "use Alembic's batch mode on SQLite",
                    related=tuple(
                        Related(url.span, f"the tests use {_NAMES[url.dialect]} here") for url in urls
                    ),
                    data=FindingData(
                        rule_data=(
                            ("feature", feature.name),
                            ("dialects", ",".join(missing)),
                            ("test_dialects_from", "tests" if urls else "config"),
                        )
                    ),
                )
