"""Immutable facts about paths and environment files: machine-specific paths, cwd-built paths, env keys.

Produced per file by ``schemalint.extract.paths`` for code, scripts, configuration and ``.env*``
files; read by the SL4xx rules. Values of environment entries are kept so database URLs can be
compared, and must never be printed unmasked (see ``schemalint.dburl``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from schemalint.facts import Diagnostic, Dialect, Span

# The machine-specific prefixes SL401 looks for when `machine-path-prefixes` is not configured.
# A separator in a prefix matches `/` and `\` alike (and `\\` as escaped in source text); a
# prefix starting with a drive letter matches case-insensitively.
DEFAULT_MACHINE_PATH_PREFIXES: tuple[str, ...] = ("/home/", "/Users/", "C:\\Users\\", "/root/")


@dataclass(frozen=True, slots=True)
class MachinePath:
    """An absolute path under a machine-specific prefix, as written inside a string or value."""

    text: str
    prefix: str  # the configured prefix it starts with
    span: Span
    # How code uses it: "" (data, as far as can be seen), "constant" (a module-level or
    # ALL_CAPS assignment), or the call that reads the filesystem with it ("sys.path.insert").
    usage: str = ""


@dataclass(frozen=True, slots=True)
class CwdPath:
    """A path built from the process working directory and literals (``path.join(process.cwd(), "x")``)."""

    expression: str  # the expression as written, on one line
    cwd: str  # the working-directory call: "process.cwd()", "os.getcwd()", "Path.cwd()"
    language: str  # "python" | "javascript"
    span: Span
    usage: str = ""  # as for ``MachinePath``


@dataclass(frozen=True, slots=True)
class EnvEntry:
    """``KEY=value`` from an environment file, or a variable a test configuration sets."""

    key: str
    value: str  # quotes removed; never print a database URL unmasked
    span: Span  # the whole assignment
    value_span: Span


@dataclass(frozen=True, slots=True)
class PathFacts:
    """What one code, script or configuration file says about paths and the tests' environment.

    ``test_env`` holds variables set for the tests by a test configuration: pytest-env ``env``
    in ``pytest.ini``/``pyproject.toml``/``setup.cfg``/``tox.ini``, ``os.environ[...] = ...`` in a
    ``conftest.py``, ``process.env.X = ...`` (or a ``test.env`` object) in a Jest/Vitest config or
    setup file.
    """

    path: str
    kind: str  # "python" | "javascript" | "shell" | "config"
    machine_paths: tuple[MachinePath, ...] = ()
    cwd_paths: tuple[CwdPath, ...] = ()
    test_env: tuple[EnvEntry, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()


@dataclass(frozen=True, slots=True)
class TestDatabaseUrl:
    """A database URL the tests use, where test configuration or test code writes it.

    ``url`` is the text as written (an f-string keeps its literal head, `sqlite+aiosqlite:///`)
    and may hold a password: print it through ``schemalint.dburl.mask_url``. ``setting`` names
    what sets it: an environment variable, or "conftest.py" / "a pytest fixture" for a URL
    written in test code.
    """

    __test__ = False  # a fact, not a pytest test class

    dialect: Dialect
    url: str
    setting: str
    span: Span


@dataclass(frozen=True, slots=True)
class EnvFileFacts:
    """One ``.env*`` file: its entries in order, and the machine paths in its values.

    ``gitignored`` files are read for SL403/SL404 (they are what the tests load on this machine)
    but never for SL401: a git-ignored ``.env`` is exactly where a machine's own paths belong.
    """

    path: str
    entries: tuple[EnvEntry, ...] = ()
    machine_paths: tuple[MachinePath, ...] = ()
    gitignored: bool = False
    diagnostics: tuple[Diagnostic, ...] = ()

    @property
    def name(self) -> str:
        return self.path.rsplit("/", 1)[-1]

    @property
    def directory(self) -> str:
        return self.path.rpartition("/")[0]

    def get(self, key: str) -> EnvEntry | None:
        """The entry that wins for ``key``: the last one, as dotenv loaders read it."""
        found = None
        for entry in self.entries:
            if entry.key == key:
                found = entry
        return found


# Folders and file names of tests, mocks and fixtures. There a path that code only passes around
# (an expected value, an input to the code under test) is test data; one that reaches the
# filesystem, the import system or a constant is the test's own setup (see ``MachinePath.usage``).
_TEST_DIRS = frozenset(
    {"test", "tests", "testing", "__tests__", "__mocks__", "mocks", "__fixtures__", "fixtures", "testdata"}
    | {"spec", "specs", "e2e", "integration-tests", "integration_tests"}
)
_TEST_FILE = re.compile(r"^(?:test_.*\.py|.*_test\.py|conftest\.py|.*\.(?:test|spec)\.[^/]+)$")


def is_test_location(path: str) -> bool:
    """Whether a project-relative path is a test, mock or fixture file."""
    *folders, name = path.split("/")
    return any(folder.lower() in _TEST_DIRS for folder in folders) or _TEST_FILE.match(name) is not None
