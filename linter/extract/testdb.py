"""The databases tests run on: database URLs in test configuration and test code, with spans.

One file at a time, never executed. Read from: variables set for the tests (pytest-env settings,
`os.environ[...]` in a `conftest.py`, `process.env.X` in a Jest/Vitest config or setup file, see
``schemalint.extract.paths``), `.env.test` files, `TEST_DATABASE_URL` in other `.env` files, and
URL literals in a `conftest.py` or a pytest fixture (`create_engine("sqlite://")`,
`os.environ.get("TEST_DATABASE_URL", "sqlite:///test.db")`, `yield f"sqlite+aiosqlite:///{path}"`).
Only the URL's scheme matters here: it says which dialect the tests' database speaks.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from schemalint.config import normalise_dialect
from schemalint.dburl import SCHEME_FAMILIES
from schemalint.extract.paths import extract_env_file, extract_path_facts, is_test_config
from schemalint.extract.pysource import SourceText, parse_python
from schemalint.facts import Dialect
from schemalint.pathfacts import EnvEntry, TestDatabaseUrl, is_test_location

# Files the tests load instead of the development ones: every database URL in them is the tests'.
TEST_ENV_FILES = frozenset({".env.test", ".env.testing", ".env.test.local"})
# In other env files (`.env`) only variables named for the tests are.
TEST_KEYS_IN_DEVELOPMENT_FILES = frozenset(
    {"TEST_DATABASE_URL", "DATABASE_URL_TEST", "TEST_DB_URL", "DB_URL_TEST"}
)
# `scheme[+driver]://`, optionally quoted or JDBC-prefixed; the scheme names the dialect.
_URL_HEAD = re.compile(r"^\s*(?:jdbc:)?(?P<scheme>[A-Za-z][A-Za-z0-9]*)(?:\+[\w.-]+)?://")
# What precedes `://` in a URL of a known database (`postgresql+asyncpg`), at the end of a text.
_SCHEME_BEFORE = re.compile(
    r"(?<![\w.+-])(?:" + "|".join(sorted(SCHEME_FAMILIES, key=len, reverse=True)) + r")(?:\+[\w.-]+)?$",
    re.IGNORECASE,
)
_FIXTURE_DECORATORS = frozenset({"fixture", "pytest.fixture", "pytest_asyncio.fixture"})


def url_dialect(url: str) -> Dialect | None:
    """The supported dialect a database URL names (`postgresql+asyncpg://…` → postgresql)."""
    match = _URL_HEAD.match(url)
    if match is None:
        return None
    family = SCHEME_FAMILIES.get(match["scheme"].lower())
    return normalise_dialect(family) if family is not None else None


def mentions_database_url(text: str) -> bool:
    """Whether a text holds `scheme://` for a known database: a cheap test before parsing.

    Looks behind each `://` rather than searching for the schemes: a regex over whole test
    modules costs more than parsing the few that match.
    """
    at = text.find("://")
    while at >= 0:
        if _SCHEME_BEFORE.search(text, max(0, at - 40), at):
            return True
        at = text.find("://", at + 3)
    return False


def is_test_database_source(rel: str) -> bool:
    """Whether a file may say which database the tests use (by name and place only)."""
    name = rel.rsplit("/", 1)[-1]
    if name.startswith(".env"):
        return True
    if name.endswith(".py"):
        return name == "conftest.py" or is_test_location(rel)
    return is_test_config(rel)


def extract_test_database_urls(text: str, rel: str) -> tuple[TestDatabaseUrl, ...]:
    """The database URLs one file sets for the tests, in file order."""
    name = rel.rsplit("/", 1)[-1]
    if name.startswith(".env"):
        test_file = name.lower() in TEST_ENV_FILES
        entries = [
            e
            for e in extract_env_file(text, rel, ()).entries
            if test_file or e.key in TEST_KEYS_IN_DEVELOPMENT_FILES
        ]
        return _from_entries(entries)
    if name.endswith(".py"):
        conftest = name == "conftest.py"
        if not mentions_database_url(text) or not (conftest or "fixture" in text):
            return ()
        try:
            tree = parse_python(text, rel)
        except (SyntaxError, ValueError):
            return ()
        return _python_urls(tree, SourceText(rel, text), conftest=conftest)
    if is_test_config(rel):
        return _from_entries(extract_path_facts(text, rel, ()).test_env)
    return ()


def _from_entries(entries: list[EnvEntry] | tuple[EnvEntry, ...]) -> tuple[TestDatabaseUrl, ...]:
    found = []
    for entry in entries:
        dialect = url_dialect(entry.value)
        if dialect is not None:
            found.append(TestDatabaseUrl(dialect, entry.value, entry.key, entry.value_span))
    return tuple(found)


def _python_urls(tree: ast.Module, source: SourceText, conftest: bool) -> tuple[TestDatabaseUrl, ...]:
    """URL literals of a conftest.py (anywhere in it) or of the pytest fixtures of a test module.

    A URL written there is the database the tests connect to, whatever carries it (a
    `create_engine` argument, an environment default, a constant, a fixture's return value);
    URLs in the test functions themselves are more often data the code under test parses.
    """
    roots: list[ast.AST] = [tree] if conftest else list(_fixtures(tree))
    setting = "conftest.py" if conftest else "a pytest fixture"
    found: dict[tuple[int, int], TestDatabaseUrl] = {}
    stack = list(roots)
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Expr) and isinstance(node.value, (ast.Constant, ast.JoinedStr)):
            continue  # a docstring, or a string that is a statement of its own: it does nothing
        if isinstance(node, (ast.Constant, ast.JoinedStr)):
            # An f-string's parts are not searched on their own: its head is the URL.
            head = _literal_head(node)
            dialect = url_dialect(head) if head else None
            if dialect is not None:
                span = source.span(node)
                found.setdefault((span.line, span.column), TestDatabaseUrl(dialect, head, setting, span))
            continue
        stack.extend(ast.iter_child_nodes(node))
    return tuple(found[key] for key in sorted(found))


def _literal_head(node: ast.AST) -> str:
    """A string literal's text, or an f-string's text up to its first replacement field."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        head = ""
        for value in node.values:
            if not (isinstance(value, ast.Constant) and isinstance(value.value, str)):
                break
            head += value.value
        return head
    return ""


def _fixtures(tree: ast.Module) -> Iterator[ast.AST]:
    """The pytest fixtures a test module defines, at module level or in test classes."""
    stack: list[ast.stmt] = list(tree.body)
    while stack:
        node = stack.pop()
        if isinstance(node, ast.ClassDef):
            stack.extend(node.body)
        elif _is_fixture(node):
            yield node


def _is_fixture(node: ast.AST) -> bool:
    if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return False
    for decorator in node.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        if ast.unparse(target) in _FIXTURE_DECORATORS:
            return True
    return False
