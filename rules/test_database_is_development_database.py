"""SL404: the tests' database URL points at the development database."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from schemalint.dburl import DatabaseIdentity, database_identity, expand, mask_url
from schemalint.extract.paths import DATABASE_URL_KEYS
from schemalint.extract.testdb import TEST_ENV_FILES, TEST_KEYS_IN_DEVELOPMENT_FILES
from schemalint.findings import Finding, FindingData, Related
from schemalint.pathfacts import EnvEntry, EnvFileFacts
from schemalint.rule import Example, Rule

if TYPE_CHECKING:
    from schemalint.runner import RuleContext

# Files development loads, most specific first (the order a finding names them in).
DEVELOPMENT_ENV_FILES = (".env.development.local", ".env.local", ".env.development", ".env.dev", ".env")
DEVELOPMENT_KEYS = frozenset({"DATABASE_URL", "DB_URL"})

_DEV = "DATABASE_URL=postgres://postgres:postgres@localhost:5432/shop\n"


@dataclass(frozen=True, slots=True)
class _Url:
    entry: EnvEntry
    where: str  # the file that sets it
    value: str  # interpolated
    identity: DatabaseIdentity


class TestDatabaseIsDevelopmentDatabase(Rule):
    """The tests' database URL points at the development database.

    ## What it does
    Finds the database URL the tests use (`DATABASE_URL` or `TEST_DATABASE_URL` in `.env.test`,
    `.env.testing` or `.env.test.local`; `TEST_DATABASE_URL` in `.env`; pytest-env `env` settings
    in `pytest.ini`, `pyproject.toml`, `setup.cfg` or `tox.ini`; `os.environ[...]` in a
    `conftest.py`; `process.env.DATABASE_URL = ...` in a Jest or Vitest config or setup file) and
    compares it with the development `DATABASE_URL` (`.env`, `.env.local`, `.env.development`) of
    the same folder or the nearest one above it. URLs are compared as databases, not as text:
    scheme family (`postgres`, `postgresql+asyncpg`), host (`localhost`, `127.0.0.1` and `::1`
    are the same machine), port (with the scheme's default) and database name; `${VAR}`
    references are filled in from the same file. Passwords are never printed.

    Git-ignored env files are read, as for SL403: they are what the tests use on this machine.

    ## Why is this bad?
    Test suites create, truncate and drop: fixtures insert rows, teardown deletes them, some
    runners drop the whole schema. Pointed at the development database, a test run destroys the
    data a developer works with, and tests pass or fail depending on what that data is.

    ## Use instead
    Give the tests their own database (`shop_test`), created and migrated by the test setup.
    """

    code = "SL404"
    severity = "error"
    tags = ("tests", "environment")
    invalid = (
        Example(
            {
                ".env.local": _DEV,
                ".env.test": "DATABASE_URL=postgresql://postgres:postgres@127.0.0.1/shop  # expect: SL404\n",
            },
            title="`.env.test` copies the development database URL",
        ),
        Example(
            {
                ".env": _DEV,
                "pyproject.toml": (
                    '[project]\nname = "shop"\n\n[tool.pytest.ini_options]\n'
                    'env = ["DATABASE_URL=postgresql+psycopg://postgres:postgres@localhost/shop"]  # expect: SL404\n'
                ),
            },
            title="pytest-env sets the development database",
        ),
    )
    valid = (
        Example(
            {
                ".env.local": _DEV,
                ".env.test": "DATABASE_URL=postgres://postgres:postgres@localhost:5432/shop_test\n",
            }
        ),
    )

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        development = _development_urls(ctx.env_files)
        for test in _test_urls(ctx):
            directory = test.entry.span.path.rpartition("/")[0]
            for dev in _nearest(development, directory):
                if dev.identity == test.identity and dev.entry is not test.entry:
                    yield self._finding(test, dev)
                    break

    def _finding(self, test: _Url, dev: _Url) -> Finding:
        identity = test.identity
        where = f"port {identity.port}, " if identity.port else ""
        return self.finding(
            test.entry.value_span,
            f"the tests' database `{mask_url(test.value)}` (`{test.entry.key}` in `{test.where}`) is the "
            f"development database (`{dev.entry.key}` in `{dev.where}`): host `{identity.host or 'local'}`, "
            f"{where}database `{identity.database}`; a test run changes and deletes development data",
            help="give the tests their own database (e.g. `"
            + (identity.database.rsplit("/", 1)[-1] or "app")
            + "_test`), created and migrated by the test setup",
            related=(Related(dev.entry.value_span, "the development database is configured here"),),
            data=FindingData(
                rule_data=(
                    ("test_url", mask_url(test.value)),
                    ("development_url", mask_url(dev.value)),
                )
            ),
        )


def _variables(env: EnvFileFacts) -> dict[str, str]:
    return {entry.key: entry.value for entry in env.entries}


def _url(entry: EnvEntry, where: str, variables: Mapping[str, str]) -> _Url | None:
    value = expand(entry.value, variables)
    identity = database_identity(value)
    return _Url(entry, where, value, identity) if identity is not None else None


def _development_urls(env_files: Sequence[EnvFileFacts]) -> dict[str, list[_Url]]:
    """Development database URLs by folder, most specific file first."""
    found: dict[str, list[_Url]] = {}
    rank = {name: n for n, name in enumerate(DEVELOPMENT_ENV_FILES)}
    for env in sorted(env_files, key=lambda e: rank.get(e.name, len(rank))):
        if env.name not in rank:
            continue
        for key in sorted(DEVELOPMENT_KEYS):
            entry = env.get(key)
            url = _url(entry, env.path, _variables(env)) if entry is not None else None
            if url is not None:
                found.setdefault(env.directory, []).append(url)
    return found


def _test_urls(ctx: RuleContext) -> Iterator[_Url]:
    for env in ctx.env_files:
        if env.name.lower() in TEST_ENV_FILES:
            keys = {entry.key for entry in env.entries if DATABASE_URL_KEYS.match(entry.key)}
        elif env.name in DEVELOPMENT_ENV_FILES:
            keys = {entry.key for entry in env.entries if entry.key in TEST_KEYS_IN_DEVELOPMENT_FILES}
        else:
            continue
        for key in sorted(keys):
            entry = env.get(key)
            url = _url(entry, env.path, _variables(env)) if entry is not None else None
            if url is not None:
                yield url
    for facts in ctx.path_facts:
        for entry in facts.test_env:
            if DATABASE_URL_KEYS.match(entry.key):
                url = _url(entry, facts.path, {})
                if url is not None:
                    yield url


def _nearest(development: Mapping[str, list[_Url]], directory: str) -> list[_Url]:
    """The development URLs of ``directory`` or of the nearest folder above it that has any."""
    while True:
        if directory in development:
            return development[directory]
        if not directory:
            return []
        directory = directory.rpartition("/")[0]
