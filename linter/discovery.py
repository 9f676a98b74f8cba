"""Find a project's migration histories, model sources and database dialect, without running its code."""

from __future__ import annotations

import configparser
import functools
import json
import os
import re
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import pathspec

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

from schemalint.config import DIALECT_ALIASES, ConfigError, LoadedConfig, normalise_dialect
from schemalint.extract.paths import file_kind, is_test_config, prefilter_words
from schemalint.extract.testdb import extract_test_database_urls, is_test_database_source
from schemalint.facts import Dialect
from schemalint.pathfacts import DEFAULT_MACHINE_PATH_PREFIXES, TestDatabaseUrl
from schemalint.tsfacts import TsResolution

MigrationKind = Literal["alembic", "sql", "typescript"]


@dataclass(frozen=True, slots=True)
class DownFile:
    """The file a layout keeps a migration's down direction in, whether or not it exists.

    golang-migrate pairs `1_users.up.sql` with `1_users.down.sql`, Diesel `<version>_name/up.sql`
    with `down.sql` in the same folder. The down SQL is never replayed: SL304 only needs to know
    whether it is there and does something.
    """

    rel: str
    path: Path
    exists: bool


@dataclass(frozen=True, slots=True)
class MigrationFile:
    """One up-direction migration file and the history it is replayed in.

    ``history`` names the history: the Alembic versions directory (the script directory when
    several version locations form one history) or the folder holding the SQL or TypeScript
    migrations (one per Medusa module). ``order_key`` orders raw SQL and TypeScript files within
    their history (zero-padded numeric parts, so plain tuple comparison is version order);
    Alembic files leave it empty and are ordered by their revision graph. ``down`` is the sibling
    down-direction file of golang-migrate and Diesel migrations (None for layouts without one).
    """

    path: Path
    rel: str
    kind: MigrationKind
    history: str
    order_key: tuple[str, ...] = ()
    down: DownFile | None = None


@dataclass(frozen=True, slots=True)
class SourceFile:
    """A source file that may declare models or enums (or, in ``job_files``, a Medusa job)."""

    path: Path
    rel: str


@dataclass(frozen=True, slots=True)
class ScannedFile:
    """A file read for paths and environment (SL4xx): code, a script, configuration or a `.env*` file.

    ``kind`` is "paths" (the extractor tells Python, TypeScript/JavaScript, JSON and other
    configuration apart by name), "shell" (a script known by its extension or shebang), "env"
    or "env-gitignored" (a `.env*` file git ignores: read for the tests' environment only).
    """

    path: Path
    rel: str
    kind: str


@dataclass(frozen=True, slots=True)
class Project:
    """Everything the extractors need to know about the analysed project.

    ``migration_files`` is ordered by history, then order key, then path, i.e. replay order for
    SQL and TypeScript histories; the other file lists by path. ``notes`` explain the choices
    made, for ``--verbose``.

    TypeScript projects add: ``ts_files`` (modules that may define models or enums, and the
    modules they import them from), ``job_files`` (what Medusa's job loader imports from
    ``src/jobs/``; Medusa projects only), ``snapshot_files`` (MikroORM ``.snapshot-*.json``),
    ``frameworks`` ("medusa", "mikro-orm", "typeorm", "knex" when a package.json depends on
    them) and ``ts_resolution`` (workspace packages and tsconfig ``paths``).

    ``test_dialects`` are the other dialects the tests run the migrations on, detected from the
    test configuration when `test-dialects` is not configured: one URL per dialect, the first
    found (SL305 non-portable-ddl reads them).
    """

    root: Path
    dialect: Dialect
    dialect_source: str
    migration_files: tuple[MigrationFile, ...]
    python_files: tuple[SourceFile, ...]
    notes: tuple[str, ...]
    ts_files: tuple[SourceFile, ...] = ()
    job_files: tuple[SourceFile, ...] = ()
    snapshot_files: tuple[SourceFile, ...] = ()
    frameworks: frozenset[str] = frozenset()
    ts_resolution: TsResolution = field(default_factory=TsResolution)
    scanned_files: tuple[ScannedFile, ...] = ()
    machine_path_prefixes: tuple[str, ...] = DEFAULT_MACHINE_PATH_PREFIXES
    test_dialects: tuple[TestDatabaseUrl, ...] = ()


# Directories that never hold project sources, skipped even without a .gitignore.
ALWAYS_SKIPPED_DIRS = frozenset(
    {".git", ".hg", ".svn", ".venv", "venv", "node_modules", "__pycache__", ".tox", ".nox", "site-packages"}
    | {".mypy_cache", ".ruff_cache", ".pytest_cache", "build", "dist"}
    # JavaScript build output and package-manager stores (Medusa builds into .medusa/server).
    | {".medusa", ".next", ".turbo", ".yarn", ".pnpm-store"}
)
# package.json marks TypeScript projects; a package.json inside an npm/yarn/pnpm workspace
# defers to the workspace root (see ``find_project_root``).
PROJECT_ROOT_MARKERS: tuple[str, ...] = ("pyproject.toml", "alembic.ini", ".git", "package.json")

# A cheap prefilter: a module that mentions none of these declares no table, model or enum.
# "Enum" is there because enums used by models are often defined in other modules.
MODEL_MARKERS: tuple[str, ...] = (
    "Column(",
    "mapped_column",
    "Mapped[",
    "Table(",
    "SQLModel",
    "DeclarativeBase",
    "declarative_base",
    "Enum",
)

# Files Alembic itself treats as revisions: script/base.py `_only_source_rev_file` (alembic 1.20).
_ALEMBIC_REVISION_NAME = re.compile(r"(?!\.\#|__init__)(.*\.py)$")
_NOT_REVISIONS = frozenset({"env.py"})
_REVISION_ASSIGNMENT = re.compile(r"^revision\s*(?::[^=\n]*)?=", re.MULTILINE)
_DOWN_REVISION_ASSIGNMENT = re.compile(r"^down_revision\s*(?::[^=\n]*)?=", re.MULTILINE)

# Alembic's `path_separator` / legacy `version_path_separator` values (config.py
# `_get_file_separator_char`); without either, Alembic splits on commas and spaces.
_PATH_SEPARATORS: Mapping[str, str] = {"space": " ", "newline": "\n", "os": os.pathsep, ":": ":", ";": ";"}
_LEGACY_LOCATION_SPLIT = re.compile(r"[,\s]+")

_PAD = 20  # numeric version parts are zero-padded to this width so strings compare as numbers


def _pad(digits: str) -> str:
    return digits.lstrip("0").rjust(_PAD, "0")


# --------------------------------------------------------------------------------------------
# Raw SQL migration layouts
# --------------------------------------------------------------------------------------------

# A folder whose name says it holds schema changes ("migrations", "db", "sql", "db_migrations").
_MIGRATION_DIR = re.compile(
    r"^(?:.*[_.-])?(?:migrations?|migrate|flyway|ddl|sql|schemas?|db|database|changelog)$", re.IGNORECASE
)
# Folders whose SQL is data, examples or tests, never the project's schema history.
_NON_MIGRATION_DIRS = frozenset(
    {"test", "tests", "testdata", "fixtures", "__fixtures__", "seed", "seeds", "queries", "query"}
    | {"example", "examples", "sample", "samples", "doc", "docs", "dump", "dumps", "backup", "backups"}
)
# Down-direction files: Flyway undo (U1__x.sql), golang-migrate/sqlx `.down.sql`, Diesel `down.sql`,
# and the `_down` / `.rollback` suffixes of hand-rolled numbered folders.
_DOWN_MIGRATION = re.compile(
    r"^(?:U\d+(?:[._]\d+)*__.*|down|.*[._-](?:down|undo|rollback|revert))\.sql$", re.IGNORECASE
)
_FLYWAY_VERSIONED = re.compile(r"^V(?P<version>\d+(?:[._]\d+)*)__(?P<description>.+)\.sql$")
_FLYWAY_REPEATABLE = re.compile(r"^R__(?P<description>.+)\.sql$")
_GOLANG_MIGRATE_UP = re.compile(r"^(?P<version>\d+)_(?P<name>.+)\.up\.sql$")
_DBMATE_NAME = re.compile(r"^(?P<version>\d+)_(?P<name>.+)\.sql$")
_DBMATE_MARKER = re.compile(r"^--\s*migrate:up\b", re.MULTILINE)
_NUMBERED = re.compile(r"^(?P<version>\d+)(?:[-_.](?P<name>.*))?\.sql$")
# One directory per migration: Diesel `2020-01-01-000000_name/up.sql`, Prisma
# `20200101000000_name/migration.sql` (and sqlx/refinery-like `0001_name/up.sql`).
_PER_DIRECTORY_FILES: Mapping[str, str] = {"up.sql": "diesel", "migration.sql": "prisma"}
_VERSION_DIRECTORY = re.compile(r"^(?P<version>\d[\d-]*)(?:_.*)?$")


@dataclass(frozen=True, slots=True)
class _SqlMatch:
    style: str
    history: str
    order_key: tuple[str, ...]
    down: str | None = None  # the sibling file the layout keeps the down direction in


@dataclass(frozen=True, slots=True)
class _SqlCandidate:
    rel: str
    parts: tuple[str, ...]  # directory components, project-relative
    name: str
    read: Callable[[], str]
    in_migration_dir: bool
    diesel_project: bool


def _flyway(file: _SqlCandidate) -> _SqlMatch | None:
    # Flyway compares versions part by part numerically (V2 < V10, V1_2 < V1_10) and applies
    # repeatable migrations after all versioned ones, ordered by description.
    versioned = _FLYWAY_VERSIONED.match(file.name)
    if versioned:
        parts = re.split(r"[._]", versioned["version"])
        return _SqlMatch("flyway", _dir(file.parts), ("0", *(_pad(part) for part in parts)))
    repeatable = _FLYWAY_REPEATABLE.match(file.name)
    if repeatable:
        return _SqlMatch("flyway", _dir(file.parts), ("1", repeatable["description"]))
    return None


def _golang_migrate(file: _SqlCandidate) -> _SqlMatch | None:
    match = _GOLANG_MIGRATE_UP.match(file.name)
    if match:
        return _SqlMatch(
            "golang-migrate",
            _dir(file.parts),
            (_pad(match["version"]), match["name"]),
            down=_join("/".join(file.parts), file.name.removesuffix(".up.sql") + ".down.sql"),
        )
    return None


def _per_directory(file: _SqlCandidate) -> _SqlMatch | None:
    style = _PER_DIRECTORY_FILES.get(file.name)
    if style is None or not file.parts:
        return None
    version_dir = _VERSION_DIRECTORY.match(file.parts[-1])
    grandparent = file.parts[:-1]
    if version_dir is None:
        return None
    # Diesel names its migrations folder in diesel.toml, so a diesel.toml is as good as a folder name.
    if not (file.in_migration_dir or (style == "diesel" and file.diesel_project)):
        return None
    digits = version_dir["version"].replace("-", "")
    down = _join("/".join(file.parts), "down.sql") if style == "diesel" else None
    return _SqlMatch(style, _dir(grandparent), (_pad(digits), file.parts[-1]), down)


def _dbmate(file: _SqlCandidate) -> _SqlMatch | None:
    match = _DBMATE_NAME.match(file.name)
    if match and _DBMATE_MARKER.search(file.read()):
        return _SqlMatch("dbmate", _dir(file.parts), (_pad(match["version"]), match["name"]))
    return None


def _numbered(file: _SqlCandidate) -> _SqlMatch | None:
    # A bare number says little on its own (`001_users.sql` may be a query), so it also needs a
    # migrations-like folder name.
    match = _NUMBERED.match(file.name)
    if match and file.in_migration_dir:
        return _SqlMatch("numbered", _dir(file.parts), (_pad(match["version"]), match["name"] or ""))
    return None


# Tried in order; the first layout that recognises a file decides its history and order.
_SQL_LAYOUTS: tuple[Callable[[_SqlCandidate], _SqlMatch | None], ...] = (
    _flyway,
    _golang_migrate,
    _per_directory,
    _dbmate,
    _numbered,
)


def _in_non_migration_dir(rel: str) -> bool:
    return any(part.lower() in _NON_MIGRATION_DIRS for part in rel.split("/")[:-1])


def _dir(parts: Sequence[str]) -> str:
    return "/".join(parts) or "."


def _join(directory: str, name: str) -> str:
    return f"{directory}/{name}" if directory else name


def _natural_key(name: str) -> tuple[str, ...]:
    """Digits runs zero-padded, so `2_x.sql` sorts before `10_x.sql` in configured folders."""
    return tuple(_pad(chunk) if chunk.isdigit() else chunk for chunk in re.split(r"(\d+)", name) if chunk)


# --------------------------------------------------------------------------------------------
# The file tree, with .gitignore and `exclude` applied
# --------------------------------------------------------------------------------------------


class _IgnoreRules:
    """Gitignore files (from the repository root down) and the configured `exclude` patterns."""

    def __init__(self, exclude: Sequence[str], exclude_base: Path) -> None:
        self._gitignores: list[tuple[str, pathspec.GitIgnoreSpec]] = []
        self._exclude = pathspec.GitIgnoreSpec.from_lines(exclude) if exclude else None
        self._exclude_base = str(exclude_base.resolve())

    def add_gitignore(self, directory: Path, lines: Iterable[str]) -> None:
        spec = pathspec.GitIgnoreSpec.from_lines(lines)
        if spec.patterns:
            self._gitignores.append((str(directory), spec))

    def ignored(self, path: Path, is_dir: bool) -> bool:
        """Whether a file or directory is ignored by git or by the `exclude` setting."""
        return self.gitignored(path, is_dir) or self.excluded(path, is_dir)

    def gitignored(self, path: Path, is_dir: bool) -> bool:
        """Whether git ignores a file or directory; the deepest .gitignore with a verdict wins."""
        text = str(path)
        verdict: bool | None = None
        for base, spec in self._gitignores:
            relative = _relative_posix(text, base)
            if relative is not None:
                result = spec.check_file(relative + "/" if is_dir else relative)
                if result.include is not None:
                    verdict = result.include
        return bool(verdict)

    def excluded(self, path: Path, is_dir: bool) -> bool:
        """Whether the `exclude` setting names a file or directory."""
        if self._exclude is not None:
            relative = _relative_posix(str(path), self._exclude_base)
            if relative is not None:
                return self._exclude.match_file(relative + "/" if is_dir else relative)
        return False


def _relative_posix(path: str, base: str) -> str | None:
    prefix = base.rstrip(os.sep) + os.sep
    if path.startswith(prefix):
        return path[len(prefix) :].replace(os.sep, "/")
    return None


@dataclass(slots=True)
class _Tree:
    """Project files (project-relative POSIX paths, sorted) that survived ignore rules."""

    root: Path
    files: list[str]
    file_set: frozenset[str]
    dirs: frozenset[str]
    _texts: dict[str, str] = field(default_factory=dict)
    # Environment files (`.env*`) that git ignores but that exist here: what the tests load on
    # this machine (SL403, SL404 read them; nothing else does).
    gitignored_env: tuple[str, ...] = ()

    def path(self, rel: str) -> Path:
        return self.root / rel if rel not in ("", ".") else self.root

    def rel(self, path: Path) -> str | None:
        """The project-relative POSIX path ("" for the root itself), or None outside the root."""
        try:
            rel = path.relative_to(self.root).as_posix()
        except ValueError:
            return None
        return "" if rel == "." else rel

    def read(self, rel: str) -> str:
        if rel not in self._texts:
            try:
                self._texts[rel] = self.path(rel).read_text(encoding="utf-8", errors="replace")
            except OSError:
                self._texts[rel] = ""
        return self._texts[rel]

    def files_in(self, directory: str, recursive: bool = False) -> list[str]:
        prefix = "" if directory in ("", ".") else directory + "/"
        return [
            rel
            for rel in self.files
            if rel.startswith(prefix) and (recursive or "/" not in rel[len(prefix) :])
        ]

    def named(self, name: str) -> list[str]:
        return [rel for rel in self.files if rel.rsplit("/", 1)[-1] == name]


def _walk(root: Path, loaded: LoadedConfig) -> _Tree:
    rules = _IgnoreRules(loaded.config.exclude, loaded.config_dir or root)
    # .gitignore files above the root (up to the repository root) apply too, e.g. when the
    # project is a `backend/` folder of a larger repository.
    for directory in reversed(_ancestors_to_git_root(root)):
        _load_gitignore(rules, directory)
    git_exclude = root / ".git" / "info" / "exclude"
    if git_exclude.is_file():
        rules.add_gitignore(root, _read_lines(git_exclude))
    files: list[str] = []
    dirs: list[str] = []
    ignored_env: list[str] = []
    for current, subdirs, names in os.walk(root):
        current_path = Path(current)
        _load_gitignore(rules, current_path)
        subdirs[:] = sorted(
            name
            for name in subdirs
            if name not in ALWAYS_SKIPPED_DIRS
            and not name.endswith(".egg-info")
            and not rules.ignored(current_path / name, is_dir=True)
        )
        base = current_path.relative_to(root).as_posix()
        prefix = "" if base == "." else base + "/"
        dirs.extend(prefix + name for name in subdirs)
        for name in sorted(names):
            path = current_path / name
            if not rules.ignored(path, is_dir=False):
                files.append(prefix + name)
            elif is_env_file(name) and not rules.excluded(path, is_dir=False):
                ignored_env.append(prefix + name)
    files.sort()
    return _Tree(root, files, frozenset(files), frozenset(dirs), gitignored_env=tuple(sorted(ignored_env)))


def is_env_file(name: str) -> bool:
    """`.env`, `.env.test`, `.env.example`, `test.env`: dotenv files by name."""
    return name == ".env" or name.startswith(".env.") or (name.endswith(".env") and len(name) > 4)


def _ancestors_to_git_root(root: Path) -> list[Path]:
    """The root's parents up to the repository root (nearest first), or none outside a repository."""
    if (root / ".git").exists():
        return []
    chain: list[Path] = []
    for parent in root.parents:
        chain.append(parent)
        if (parent / ".git").exists():
            return chain
    # Not inside a repository: .gitignore files further up belong to someone else.
    return []


def _load_gitignore(rules: _IgnoreRules, directory: Path) -> None:
    gitignore = directory / ".gitignore"
    if gitignore.is_file():
        rules.add_gitignore(directory, _read_lines(gitignore))


def _read_lines(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return []


def find_project_root(start: Path) -> Path:
    """The nearest directory at or above ``start`` holding pyproject.toml, alembic.ini, .git or
    package.json; a package.json that belongs to a workspace (the ``workspaces`` of a package.json
    further up, or pnpm-workspace.yaml, in the same repository) gives the workspace root instead,
    so ``schemalint apps/server`` sees the monorepo's shared packages."""
    directory = start.resolve()
    if not directory.is_dir():
        directory = directory.parent
    for candidate in (directory, *directory.parents):
        present = [marker for marker in PROJECT_ROOT_MARKERS if (candidate / marker).exists()]
        if present == ["package.json"]:
            return _workspace_root(candidate) or candidate
        if present:
            return candidate
    return directory


def _workspace_root(package_dir: Path) -> Path | None:
    for parent in package_dir.parents:
        relative = package_dir.relative_to(parent).as_posix()
        if any(_glob_regex(pattern).match(relative) for pattern in _workspace_patterns_at(parent)):
            return parent
        if (parent / ".git").exists():
            return None  # workspaces do not reach across repositories
    return None


# --------------------------------------------------------------------------------------------
# Alembic configuration
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _AlembicScript:
    """One Alembic environment: an ini section and/or a [tool.alembic] table, resolved."""

    origin: str  # "alembic.ini [alembic]" or "pyproject.toml [tool.alembic]"
    script_dir: Path | None
    version_dirs: tuple[Path, ...]
    recursive: bool
    url: str | None


def _alembic_scripts(tree: _Tree, notes: list[str]) -> list[_AlembicScript]:
    """Every Alembic environment configured under the root, ini files and [tool.alembic] tables."""
    # Like SQL files, Alembic setups under tests/, examples/, fixtures/... are not the project's.
    ini_files = [rel for rel in tree.files if rel.endswith(".ini") and not _in_non_migration_dir(rel)]
    pyprojects = {
        rel.rpartition("/")[0]: rel for rel in tree.named("pyproject.toml") if not _in_non_migration_dir(rel)
    }
    toml_tables: dict[str, tuple[str, dict[str, Any]]] = {}
    for directory, rel in pyprojects.items():
        table = _tool_alembic(tree, rel, notes)
        if table is not None:
            toml_tables[directory] = (rel, table)
    scripts: list[_AlembicScript] = []
    used_tables: set[str] = set()
    for rel in ini_files:
        directory = rel.rpartition("/")[0]
        toml = toml_tables.get(directory)
        parser = _read_ini(tree, rel, notes)
        if parser is None:
            continue
        # Alembic reads options from the ini section first, then from [tool.alembic] of the
        # pyproject.toml in the same (working) directory.
        sections = [name for name in parser.sections() if parser.has_option(name, "script_location")]
        if not sections and toml is not None and parser.has_section("alembic"):
            sections = ["alembic"]
        for section in sections:
            scripts.append(_resolve_script(tree, rel, parser, section, toml, notes))
            if toml is not None:
                used_tables.add(directory)
    for directory, (rel, table) in sorted(toml_tables.items()):
        if directory not in used_tables and "script_location" in table:
            scripts.append(_resolve_script(tree, None, None, "", (rel, table), notes))
    return scripts


def _tool_alembic(tree: _Tree, rel: str, notes: list[str]) -> dict[str, Any] | None:
    try:
        data = tomllib.loads(tree.read(rel))
    except tomllib.TOMLDecodeError as error:
        notes.append(f"{rel}: not read ({error})")
        return None
    tool = data.get("tool")
    table = tool.get("alembic") if isinstance(tool, dict) else None
    return table if isinstance(table, dict) else None


def _read_ini(tree: _Tree, rel: str, notes: list[str]) -> configparser.ConfigParser | None:
    # Alembic's Config passes `here` (the ini's directory) as a ConfigParser default, which is
    # what makes `%(here)s` work; `%%` escapes and other %(name)s references behave as in Alembic.
    parser = configparser.ConfigParser(defaults={"here": tree.path(rel).parent.as_posix()})
    try:
        parser.read_string(tree.read(rel), source=rel)
    except configparser.Error as error:
        if "alembic" in rel.rsplit("/", 1)[-1]:
            notes.append(f"alembic: {rel} not read: {error}".splitlines()[0])
        return None
    return parser


def _ini_option(parser: configparser.ConfigParser | None, section: str, key: str) -> str | None:
    if parser is None or not parser.has_option(section, key):
        return None
    try:
        return parser.get(section, key)
    except configparser.InterpolationError:
        # `%(DB_URL)s` filled in by env.py at run time: keep the raw text, callers treat it as unknown.
        return parser.get(section, key, raw=True)


def _toml_option(table: Mapping[str, Any] | None, key: str, here: str) -> str | list[str] | bool | None:
    if table is None or key not in table:
        return None
    value = table[key]
    if isinstance(value, str):
        return value.replace("%(here)s", here)
    if isinstance(value, list):
        return [item.replace("%(here)s", here) for item in value if isinstance(item, str)]
    if isinstance(value, bool):
        return value
    return None


def _resolve_script(
    tree: _Tree,
    ini_rel: str | None,
    parser: configparser.ConfigParser | None,
    section: str,
    toml: tuple[str, dict[str, Any]] | None,
    notes: list[str],
) -> _AlembicScript:
    toml_rel, table = toml if toml is not None else (None, None)
    base = tree.path(ini_rel or toml_rel or "").parent
    here = base.as_posix()
    origin = f"{ini_rel} [{section}]" if ini_rel is not None else f"{toml_rel} [tool.alembic]"

    raw_script = _ini_option(parser, section, "script_location")
    if raw_script is None:
        toml_value = _toml_option(table, "script_location", here)
        raw_script = toml_value if isinstance(toml_value, str) else None
    script_dir = _resolve_location(raw_script, base, tree, f"{origin} script_location", notes)

    locations: list[str] | None = None
    ini_locations = _ini_option(parser, section, "version_locations")
    if ini_locations:
        separator = _ini_option(parser, section, "path_separator") or _ini_option(
            parser, section, "version_path_separator"
        )
        if separator is not None and separator in _PATH_SEPARATORS:
            locations = [
                item.strip() for item in ini_locations.split(_PATH_SEPARATORS[separator]) if item.strip()
            ]
        else:
            locations = _LEGACY_LOCATION_SPLIT.split(ini_locations)
    else:
        toml_locations = _toml_option(table, "version_locations", here)
        if isinstance(toml_locations, str):
            locations = _LEGACY_LOCATION_SPLIT.split(toml_locations)
        elif isinstance(toml_locations, list):
            locations = toml_locations
    version_dirs: list[Path] = []
    if locations:
        for location in locations:
            resolved = _resolve_location(location, base, tree, f"{origin} version_locations", notes)
            if resolved is not None:
                version_dirs.append(resolved)
    elif script_dir is not None:
        version_dirs.append(script_dir / "versions")

    recursive_ini = _ini_option(parser, section, "recursive_version_locations")
    # Alembic compares the ini text with "true" exactly; TOML holds a real boolean.
    recursive = (
        recursive_ini == "true"
        if recursive_ini is not None
        else _toml_option(table, "recursive_version_locations", here) is True
    )
    url = _ini_option(parser, section, "sqlalchemy.url") if parser is not None else None
    return _AlembicScript(origin, script_dir, tuple(version_dirs), recursive, url)


_PACKAGE_RESOURCE = re.compile(r"^(?P<package>[A-Za-z_][\w.]*):(?P<subdir>[^\\/].*)$")


def _package_search_bases(base: Path, root: Path) -> list[Path]:
    """Where an importable package may live: the ini's folder and its parents up to the root
    (an ini kept inside the package it configures, under `src/` or not), then `root/src`."""
    bases = [base]
    if base.is_relative_to(root):
        bases.extend(parent for parent in base.parents if parent.is_relative_to(root))
    else:
        bases.append(root)
    bases.append(root / "src")
    return list(dict.fromkeys(bases))


def _resolve_location(value: str | None, base: Path, tree: _Tree, what: str, notes: list[str]) -> Path | None:
    if value is None or not value.strip():
        return None
    value = value.strip()
    resource = _PACKAGE_RESOURCE.match(value)
    if resource and not Path(value).is_absolute():
        # `package:subdir` is an importlib resource; look for the package's folder in the usual
        # places instead of importing it. Alembic (util/pyfiles.py `coerce_resource_to_filename`)
        # splits the whole value on ":" and joins every token after the package as a path part,
        # so `pkg:db:migrations` is `pkg/db/migrations`.
        package_path = Path(*resource["package"].split("."), *resource["subdir"].split(":"))
        for candidate_base in _package_search_bases(base, tree.root):
            candidate = candidate_base / package_path
            if candidate.is_dir():
                notes.append(f"alembic: {what} `{value}` resolved to {tree.rel(candidate.resolve())}")
                return candidate.resolve()
        notes.append(f"alembic: {what} `{value}`: package folder not found under the project")
        return None
    path = Path(value)
    if not path.is_absolute():
        # Alembic resolves a relative location against the working directory; `alembic` is run
        # from the ini's directory in practice, so that is the base used here.
        notes.append(
            f"alembic: {what} `{value}` is relative; resolved against {tree.rel(base) or '.'} "
            "(Alembic uses the working directory)"
        )
        path = base / path
    return Path(os.path.normpath(path))


# --------------------------------------------------------------------------------------------
# Histories
# --------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _History:
    name: str
    kind: MigrationKind
    style: str
    files: dict[str, tuple[str, ...]]  # rel → order key
    # rel → the sibling file golang-migrate or Diesel keeps its down direction in
    downs: dict[str, str] = field(default_factory=dict)

    @property
    def dialect(self) -> Dialect | None:
        """The dialect a history is named after (`versions/sqlite`, `migrations/postgres/versions`)."""
        for part in reversed(self.name.split("/")):
            dialect = DIALECT_ALIASES.get(part.lower())
            if dialect is not None:
                return dialect
        return None


@dataclass(slots=True)
class _Histories:
    by_name: dict[str, _History] = field(default_factory=dict)
    claimed: set[str] = field(default_factory=set)  # files already placed in a history
    script_dirs: set[str] = field(default_factory=set)  # Alembic script directories (hold env.py)

    def add(
        self,
        name: str,
        kind: MigrationKind,
        style: str,
        rel: str,
        key: tuple[str, ...] = (),
        down: str | None = None,
    ) -> None:
        if rel in self.claimed:
            return
        self.claimed.add(rel)
        history = self.by_name.setdefault(name, _History(name, kind, style, {}))
        history.files[rel] = key
        if down is not None:
            history.downs[rel] = down


def _is_revision_file(rel: str) -> bool:
    name = rel.rsplit("/", 1)[-1]
    return name not in _NOT_REVISIONS and _ALEMBIC_REVISION_NAME.match(name) is not None


def _add_alembic_versions(
    tree: _Tree, histories: _Histories, version_dir: str, recursive: bool, history: str
) -> int:
    """Revision files of one versions directory; dialect-named subfolders become histories of their own."""
    added = 0
    dialect_subdirs = [
        rel
        for rel in sorted(tree.dirs)
        if rel.rpartition("/")[0] == version_dir and rel.rpartition("/")[2].lower() in DIALECT_ALIASES
    ]
    for rel in tree.files_in(version_dir, recursive):
        if _is_revision_file(rel) and not any(rel.startswith(sub + "/") for sub in dialect_subdirs):
            histories.add(history, "alembic", "alembic", rel)
            added += 1
    for subdir in dialect_subdirs:
        for rel in tree.files_in(subdir, recursive):
            if _is_revision_file(rel):
                histories.add(subdir, "alembic", "alembic", rel)
                added += 1
    return added


def _configured_alembic(
    tree: _Tree, scripts: Sequence[_AlembicScript], histories: _Histories, notes: list[str]
) -> None:
    for script in scripts:
        script_rel = tree.rel(script.script_dir) if script.script_dir is not None else None
        if script_rel is not None:
            histories.script_dirs.add(script_rel)
        version_rels: list[str] = []
        for version_dir in script.version_dirs:
            rel = tree.rel(version_dir)
            if rel is None:
                notes.append(f"alembic: {script.origin}: {version_dir} is outside the project root; skipped")
            elif rel not in tree.dirs:
                notes.append(f"alembic: {script.origin}: versions directory {rel} not found")
            else:
                version_rels.append(rel)
        # Several version locations are one Alembic history (one revision graph), named after
        # the script directory; a location named after a dialect stays a history of its own.
        shared = [rel for rel in version_rels if rel.rpartition("/")[2].lower() not in DIALECT_ALIASES]
        shared_name = shared[0] if len(shared) == 1 else (script_rel or (shared[0] if shared else ""))
        for rel in version_rels:
            name = shared_name if rel in shared else rel
            _add_alembic_versions(tree, histories, rel, script.recursive, name)
        where = f"script directory {script_rel}, " if script_rel is not None else ""
        notes.append(f"alembic: {script.origin}: {where}versions {', '.join(version_rels) or '(none)'}")


def _fallback_alembic(tree: _Tree, histories: _Histories, notes: list[str]) -> None:
    """`versions/` folders of revision files next to an env.py, when no Alembic config is found."""
    for versions in sorted(rel for rel in tree.dirs if rel.rpartition("/")[2] == "versions"):
        script_rel = versions.rpartition("/")[0]
        if _join(script_rel, "env.py") not in tree.file_set or _in_non_migration_dir(versions + "/"):
            continue
        candidates = [rel for rel in tree.files_in(versions, recursive=True) if _is_revision_file(rel)]
        if not any(
            _REVISION_ASSIGNMENT.search(text) and _DOWN_REVISION_ASSIGNMENT.search(text)
            for text in map(tree.read, candidates)
        ):
            continue
        histories.script_dirs.add(script_rel)
        if _add_alembic_versions(tree, histories, versions, recursive=False, history=versions):
            notes.append(
                f"alembic: no alembic.ini found; {versions} (next to env.py) read as an Alembic history"
            )


def _detected_sql(tree: _Tree, histories: _Histories) -> None:
    diesel_project = bool(tree.named("diesel.toml"))
    for rel in tree.files:
        if not rel.endswith(".sql") or rel in histories.claimed:
            continue
        # SQL files inside an Alembic script directory are assets its revisions read
        # (`op.execute(path.read_text())`), not a second history.
        if _in_non_migration_dir(rel) or any(
            rel.startswith(script + "/") or not script for script in histories.script_dirs
        ):
            continue
        parts = tuple(rel.split("/")[:-1])
        name = rel.rsplit("/", 1)[-1]
        if _DOWN_MIGRATION.match(name):
            continue
        candidate = _SqlCandidate(
            rel,
            parts,
            name,
            functools.partial(tree.read, rel),
            any(_MIGRATION_DIR.match(part) for part in parts),
            diesel_project,
        )
        for layout in _SQL_LAYOUTS:
            match = layout(candidate)
            if match is not None:
                histories.add(match.history, "sql", match.style, rel, match.order_key, match.down)
                break


def _keeps_down_files(tree: _Tree, history: _History, notes: list[str]) -> bool:
    """Whether a golang-migrate or Diesel history is expected to have a down file per migration.

    Diesel needs `down.sql` to revert (`diesel migration revert` fails without it), so a Diesel
    project's migrations always have one to check. A folder in which no migration has a down
    file is forward-only by choice, like Flyway: nothing is expected there.
    """
    if not history.downs:
        return False
    if history.style == "diesel" and tree.named("diesel.toml"):
        return True
    if any(down in tree.file_set for down in history.downs.values()):
        return True
    notes.append(f"sql: {history.name}: no migration has a down file; read as forward-only")
    return False


def _down(tree: _Tree, rel: str) -> DownFile:
    return DownFile(rel, tree.path(rel), rel in tree.file_set)


def _configured_migrations(
    tree: _Tree, loaded: LoadedConfig, histories: _Histories, notes: list[str]
) -> None:
    """Migration files named by the `migrations` setting (directories or globs); detection is off."""
    base = (loaded.config_dir or tree.root).resolve()
    for entry in loaded.config.migrations:
        directory = tree.rel((base / entry).resolve()) if not _has_glob(entry) else None
        if directory is not None and (directory in tree.dirs or directory == ""):
            versions = _join(directory, "versions")
            if versions in tree.dirs and _join(directory, "env.py") in tree.file_set:
                histories.script_dirs.add(directory)
                _add_alembic_versions(tree, histories, versions, False, versions)
                continue
            matched = tree.files_in(directory, recursive=True)
        else:
            matched = _glob(tree, base, entry)
        if not matched:
            notes.append(f"config: migrations entry `{entry}` matched no file")
        for rel in matched:
            _add_configured_file(tree, histories, rel, directory)
    notes.append("config: migrations listed in the config file; automatic detection is off")


def _add_configured_file(tree: _Tree, histories: _Histories, rel: str, directory: str | None) -> None:
    parts = tuple(rel.split("/")[:-1])
    name = rel.rsplit("/", 1)[-1]
    if name.endswith(".py"):
        if _is_revision_file(rel) and name != "__init__.py":
            histories.add(directory or _dir(parts), "alembic", "alembic", rel)
        return
    if name.endswith(_TS_MIGRATION_EXTENSIONS):
        if not _is_ts_test_or_declaration(rel):
            key = ts_migration_order_key(name) or _natural_key(name)
            histories.add(directory or _dir(parts), "typescript", _ts_style(name), rel, key)
        return
    if not name.endswith(".sql") or _DOWN_MIGRATION.match(name):
        return
    candidate = _SqlCandidate(rel, parts, name, functools.partial(tree.read, rel), True, True)
    for layout in _SQL_LAYOUTS:
        match = layout(candidate)
        if match is not None:
            histories.add(directory or match.history, "sql", match.style, rel, match.order_key, match.down)
            return
    histories.add(directory or _dir(parts), "sql", "listed", rel, _natural_key(name))


def _has_glob(pattern: str) -> bool:
    return any(char in pattern for char in "*?[")


def _glob_regex(pattern: str) -> re.Pattern[str]:
    """A regex for a glob: `**` crosses folders, `*` and `?` stay within one."""
    out: list[str] = []
    index = 0
    while index < len(pattern):
        if pattern.startswith("**/", index):
            out.append("(?:.*/)?")
            index += 3
        elif pattern.startswith("**", index):
            out.append(".*")
            index += 2
        elif pattern[index] == "*":
            out.append("[^/]*")
            index += 1
        elif pattern[index] == "?":
            out.append("[^/]")
            index += 1
        elif pattern[index] == "[" and "]" in pattern[index + 1 :]:
            end = pattern.index("]", index + 1)
            out.append("[" + pattern[index + 1 : end].replace("!", "^", 1) + "]")
            index = end + 1
        else:
            out.append(re.escape(pattern[index]))
            index += 1
    return re.compile("".join(out) + r"\Z")


def _glob(tree: _Tree, base: Path, pattern: str) -> list[str]:
    """Tree files matching a glob written relative to ``base`` (a directory matches what is below it)."""
    regex = _glob_regex(pattern.strip().removeprefix("./").rstrip("/"))
    matched = []
    for rel in tree.files:
        relative = _relative_posix(str(tree.root / rel), str(base))
        if relative is None:
            continue
        parents = relative.split("/")
        if any(regex.match("/".join(parents[:depth])) for depth in range(1, len(parents) + 1)):
            matched.append(rel)
    return matched


def _choose_dialect_histories(histories: _Histories, dialect: Dialect, notes: list[str]) -> set[str]:
    """Names of histories to drop: those named after another dialect than the chosen one."""
    tagged: dict[str, Dialect] = {}
    for name, history in histories.by_name.items():
        tag = history.dialect
        if tag is not None:
            tagged[name] = tag
    dialects = set(tagged.values())
    if not tagged or dialects == {dialect}:
        return set()
    if dialect not in dialects:
        if len(dialects) > 1:
            notes.append(
                f"histories named after dialects ({', '.join(sorted(tagged))}) but none after {dialect}; "
                "all are used"
            )
        return set()
    dropped = {name for name, tag in tagged.items() if tag != dialect}
    kept = sorted(name for name, tag in tagged.items() if tag == dialect)
    notes.append(f"dialect {dialect}: using {', '.join(kept)}; skipped {', '.join(sorted(dropped))}")
    return dropped


# --------------------------------------------------------------------------------------------
# Dialect
# --------------------------------------------------------------------------------------------

_URL_SCHEME = re.compile(r"^\s*['\"]?(?:jdbc:)?(?P<scheme>[A-Za-z][A-Za-z0-9]*)(?:\+[\w.-]+)?:")
_ENV_FILES: tuple[str, ...] = (".env", ".env.local", ".env.development", ".env.example", ".env.sample")
_ENV_URL = re.compile(
    r"^\s*(?:export\s+)?(?P<key>DATABASE_URL|DB_URL|SQLALCHEMY_DATABASE_URI|SQLALCHEMY_DATABASE_URL)"
    r"\s*=\s*(?P<value>.*)$",
    re.MULTILINE,
)
_PRISMA_PROVIDER = re.compile(r"datasource\s+\w+\s*\{[^}]*?provider\s*=\s*\"(?P<provider>\w+)\"", re.DOTALL)
_FLYWAY_URL = re.compile(r"^\s*(?:flyway\.)?url\s*=\s*\"?jdbc:(?P<scheme>\w+):", re.MULTILINE)
_CARGO_DIESEL_BACKEND = re.compile(r"\"(postgres|mysql|sqlite)\"")


def url_dialect(url: str) -> Dialect | None:
    """The dialect of a database URL (`postgresql+asyncpg://…` → postgresql); None when unknown."""
    match = _URL_SCHEME.match(url)
    return normalise_dialect(match["scheme"]) if match else None


@dataclass(frozen=True, slots=True)
class _DialectContext:
    tree: _Tree
    loaded: LoadedConfig
    override: str | None
    scripts: Sequence[_AlembicScript]
    histories: _Histories
    notes: list[str]


def _from_override(context: _DialectContext) -> tuple[Dialect, str] | None:
    if context.override is None:
        return None
    dialect = normalise_dialect(context.override)
    if dialect is None:
        raise ConfigError(
            f"--dialect: unknown dialect `{context.override}` (expected postgresql, mysql or sqlite)"
        )
    return dialect, "--dialect"


def _from_config(context: _DialectContext) -> tuple[Dialect, str] | None:
    dialect = context.loaded.config.dialect
    return (dialect, "config") if dialect is not None else None


def _from_alembic_url(context: _DialectContext) -> tuple[Dialect, str] | None:
    found: list[tuple[Dialect, str]] = []
    for script in context.scripts:
        dialect = url_dialect(script.url) if script.url else None
        if dialect is not None:
            found.append((dialect, script.origin))
    if not found:
        return None
    if len({dialect for dialect, _ in found}) > 1:
        listed = ", ".join(f"{origin}: {dialect}" for dialect, origin in found)
        context.notes.append(f"alembic sqlalchemy.url values disagree ({listed}); using the first")
    return found[0][0], "alembic.ini sqlalchemy.url"


def _from_prisma_schema(context: _DialectContext) -> tuple[Dialect, str] | None:
    for rel in (rel for rel in context.tree.files if rel.endswith(".prisma")):
        match = _PRISMA_PROVIDER.search(context.tree.read(rel))
        dialect = normalise_dialect(match["provider"]) if match else None
        if dialect is not None:
            return dialect, "schema.prisma datasource provider"
    return None


def _from_env_file(context: _DialectContext) -> tuple[Dialect, str] | None:
    # Only files the walk kept: a gitignored .env is not in a CI checkout, and results must not
    # depend on which machine runs the linter.
    for name in _ENV_FILES:
        if name not in context.tree.file_set:
            continue
        for match in _ENV_URL.finditer(context.tree.read(name)):
            dialect = url_dialect(match["value"])
            if dialect is not None:
                return dialect, f"{name} {match['key']}"
    return None


def _from_flyway_conf(context: _DialectContext) -> tuple[Dialect, str] | None:
    for rel in context.tree.files:
        if rel.rsplit("/", 1)[-1] in ("flyway.conf", "flyway.toml"):
            match = _FLYWAY_URL.search(context.tree.read(rel))
            dialect = normalise_dialect(match["scheme"]) if match else None
            if dialect is not None:
                return dialect, f"{rel.rsplit('/', 1)[-1]} url"
    return None


def _from_diesel(context: _DialectContext) -> tuple[Dialect, str] | None:
    diesel_files = context.tree.named("diesel.toml")
    if not diesel_files:
        return None
    # Diesel's backend is a Cargo feature; PostgreSQL is by far the common one, so it is assumed
    # unless Cargo.toml enables exactly one other backend.
    cargo = diesel_files[0].rpartition("/")[0]
    cargo_rel = _join(cargo, "Cargo.toml")
    if cargo_rel in context.tree.file_set:
        lines = [line for line in context.tree.read(cargo_rel).splitlines() if "diesel" in line]
        backends = {normalise_dialect(name) for line in lines for name in _CARGO_DIESEL_BACKEND.findall(line)}
        backends.discard(None)
        if len(backends) == 1:
            (backend,) = backends
            if backend is not None:
                return backend, "Cargo.toml diesel features"
    return "postgresql", "diesel.toml"


def _from_medusa_config(context: _DialectContext) -> tuple[Dialect, str] | None:
    # Medusa 2 supports PostgreSQL only (its modules' MikroORM migrations are PostgreSQL DDL).
    if any(rel.rsplit("/", 1)[-1] in _MEDUSA_CONFIGS for rel in context.tree.files):
        return "postgresql", "medusa-config"
    return None


# Config files of TypeScript ORMs and the option that names the database driver.
_MEDUSA_CONFIGS = frozenset(
    {"medusa-config.ts", "medusa-config.js", "medusa-config.mjs", "medusa-config.cjs"}
)
_ORM_CONFIG_FILES = re.compile(
    r"^(?:ormconfig\.(?:json|[mc]?[jt]s|ya?ml)|[\w.-]*data-?source\.[mc]?[jt]s|mikro-orm\.config\.[mc]?[jt]s|knexfile\.[mc]?[jt]s)$",
    re.IGNORECASE,
)
_ORM_DRIVER = re.compile(r"""\b(?P<key>type|client|dialect|driver)["']?\s*:\s*["']?(?P<driver>[\w-]+)""")
_ORM_DRIVERS: Mapping[str, Dialect] = {
    "postgres": "postgresql", "postgresql": "postgresql", "pg": "postgresql", "cockroachdb": "postgresql",
    "mysql": "mysql", "mysql2": "mysql", "mariadb": "mysql",
    "sqlite": "sqlite", "sqlite3": "sqlite", "better-sqlite3": "sqlite", "libsql": "sqlite",
    # MikroORM 6 names a driver class instead: `driver: PostgreSqlDriver`.
    "postgresqldriver": "postgresql", "mysqldriver": "mysql", "mariadbdriver": "mysql",
    "sqlitedriver": "sqlite", "bettersqlitedriver": "sqlite", "libsqldriver": "sqlite",
}  # fmt: skip


def _from_orm_config(context: _DialectContext) -> tuple[Dialect, str] | None:
    """TypeORM ``ormconfig`` / ``new DataSource({type})``, MikroORM config, knexfile ``client``."""
    for rel in context.tree.files:
        name = rel.rsplit("/", 1)[-1]
        if not _ORM_CONFIG_FILES.match(name) or _in_non_migration_dir(rel):
            continue
        for match in _ORM_DRIVER.finditer(context.tree.read(rel)):
            dialect = _ORM_DRIVERS.get(match["driver"].lower())
            if dialect is not None:
                return dialect, f"{name} {match['key']}"
    return None


def _from_history_names(context: _DialectContext) -> tuple[Dialect, str] | None:
    dialects = {history.dialect for history in context.histories.by_name.values()} - {None}
    if len(dialects) == 1:
        (dialect,) = dialects
        if dialect is not None:
            return dialect, "migrations folder name"
    return None


# Most explicit first: what the user said, then what the project's own tools are configured with.
_DIALECT_SOURCES: tuple[Callable[[_DialectContext], tuple[Dialect, str] | None], ...] = (
    _from_override,
    _from_config,
    _from_alembic_url,
    _from_medusa_config,
    _from_orm_config,
    _from_prisma_schema,
    _from_env_file,
    _from_flyway_conf,
    _from_diesel,
    _from_history_names,
)


def _dialect(context: _DialectContext) -> tuple[Dialect, str]:
    for source in _DIALECT_SOURCES:
        found = source(context)
        if found is not None:
            return found
    return "postgresql", "default"


# --------------------------------------------------------------------------------------------
# Python model sources
# --------------------------------------------------------------------------------------------


def _python_files(tree: _Tree, loaded: LoadedConfig, histories: _Histories, notes: list[str]) -> list[str]:
    def is_migration_code(rel: str) -> bool:
        directory, _, name = rel.rpartition("/")
        return rel in histories.claimed or (
            name == "env.py"
            and (directory in histories.script_dirs or _join(directory, "versions") in tree.dirs)
        )

    if loaded.config.models:
        base = (loaded.config_dir or tree.root).resolve()
        selected: set[str] = set()
        for entry in loaded.config.models:
            matched = [rel for rel in _glob(tree, base, entry) if rel.endswith(".py")]
            if not matched:
                notes.append(f"config: models entry `{entry}` matched no Python file")
            selected.update(matched)
        return sorted(rel for rel in selected if not is_migration_code(rel))
    return [
        rel
        for rel in tree.files
        if rel.endswith(".py")
        and not is_migration_code(rel)
        and any(marker in tree.read(rel) for marker in MODEL_MARKERS)
        and not _looks_like_revision(tree.read(rel))
    ]


def _looks_like_revision(text: str) -> bool:
    # A revision file outside every history found (a stray or archived one) still declares no
    # models: its `sa.Column(...)` calls describe migrations.
    return bool(
        _REVISION_ASSIGNMENT.search(text) and _DOWN_REVISION_ASSIGNMENT.search(text) and "def upgrade" in text
    )


# --------------------------------------------------------------------------------------------
# TypeScript projects: migrations, model sources, Medusa jobs, snapshots, frameworks, resolution
# --------------------------------------------------------------------------------------------

_TS_SOURCE_EXTENSIONS: tuple[str, ...] = (".ts", ".tsx", ".mts", ".cts")
# Knex migrations are often plain JavaScript; the TypeScript grammar reads them too.
_TS_MIGRATION_EXTENSIONS: tuple[str, ...] = (*_TS_SOURCE_EXTENSIONS, ".js", ".mjs", ".cjs")
_TS_EXT = r"\.(?:[mc]?[jt]s|tsx)"
# Migration file names and how each tool orders them: MikroORM sorts by file name (see
# mikro_orm_order_key), TypeORM by the millisecond timestamp, Knex by name (the 14-digit timestamp).
_TS_MIGRATION_NAMES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("mikro-orm", re.compile(rf"^Migration(?P<version>\d{{14}})(?:_(?P<name>.+?))?{_TS_EXT}$")),
    ("typeorm", re.compile(rf"^(?P<version>\d{{13}})-(?P<name>.+?){_TS_EXT}$")),
    ("knex", re.compile(rf"^(?P<version>\d{{14}})_(?P<name>.+?){_TS_EXT}$")),
)
# A migration file mentions the API it runs SQL through.
_TS_MIGRATION_MARKERS: tuple[str, ...] = (
    "addSql",
    "MigrationInterface",
    "queryRunner",
    "QueryRunner",
    "knex",
)
# MikroORM's migration base class: `export class X extends Migration {` (any file name).
_MIKRO_ORM_MIGRATION_CLASS = re.compile(r"\bclass\s+[\w$]+\s+extends\s+Migration\s*\{")
_TS_MIGRATION_DIR = re.compile(r"^(?:.*[_.-])?migrations?$", re.IGNORECASE)
# Folders of tests and mocks: never the project's migrations, models or jobs.
_TS_TEST_DIRS = frozenset(
    {
        "__tests__",
        "__mocks__",
        "__fixtures__",
        "integration-tests",
        "e2e",
        "test",
        "tests",
        "testdata",
        "fixtures",
    }
)
_TS_TEST_FILE = re.compile(r"\.(?:test|spec)\.[^/]+$|\.d\.[mc]?ts$")

# A cheap prefilter for TypeScript modules that may define models or enum-like constants
# (DML chains are often split across lines: `model\n  .define(...)`).
TS_MODEL_MARKERS = re.compile(
    r"\bmodel\s*\.\s*define\b|@Entity\b|\benum\s+\w|\bas\s+const\b|\bObject\.freeze\b"
)
# The same markers without their leading `\b`: a leading word boundary makes the regex engine
# try every position of every file (0.8 s over Medusa's 10 MB of TypeScript); candidates found
# this way are confirmed with TS_MODEL_MARKERS at their position.
_TS_MODEL_MARKER_CANDIDATES = re.compile(r"model\s*\.\s*define|@Entity|enum\s+\w|as\s+const|Object\.freeze")


def has_ts_model_markers(text: str) -> bool:
    """``TS_MODEL_MARKERS.search(text)``, faster."""
    position = 0
    while (candidate := _TS_MODEL_MARKER_CANDIDATES.search(text, position)) is not None:
        if TS_MODEL_MARKERS.match(text, candidate.start()):
            return True
        position = candidate.start() + 1
    return False


_TS_IMPORT = re.compile(r"""(?:\bimport|\bexport)\s+(?:type\s+)?(?:[^'";]*?\bfrom\s*)?["']([^"'\n]+)["']""")
_MAX_IMPORT_CLOSURE = 5000  # files followed through imports from model sources

# package.json dependencies → framework names (Medusa 2 apps depend on @medusajs/framework,
# Medusa 1 and some 2.x apps on @medusajs/medusa).
_FRAMEWORK_PACKAGES: Mapping[str, str] = {
    "@medusajs/medusa": "medusa",
    "@medusajs/framework": "medusa",
    "@mikro-orm/core": "mikro-orm",
    "@mikro-orm/postgresql": "mikro-orm",
    "@mikro-orm/migrations": "mikro-orm",
    "typeorm": "typeorm",
    "knex": "knex",
    # Loaders that read `.env` under `.env.test` (SL403).
    "next": "nextjs",
    "@next/env": "nextjs",
    "vite": "vite",
    "vitest": "vite",
    "dotenv-flow": "dotenv-flow",
}
_DEPENDENCY_FIELDS = ("dependencies", "devDependencies", "peerDependencies", "optionalDependencies")

# Medusa's job loader (framework jobs/job-loader.ts, later ResourceLoader): it imports every .js
# and .ts file under src/jobs/ recursively except these.
_JOB_EXTENSIONS: tuple[str, ...] = (".ts", ".js")
_JOB_SKIPPED_NAME = re.compile(r"^(?:index\.[^/]+|_[^/]*|.*\.d\.ts|.*\.(?:test|spec)\.[^/]+)$")

_SNAPSHOT_NAME = re.compile(r"^\.snapshot-.*\.json$")


def ts_migration_order_key(name: str) -> tuple[str, ...] | None:
    """The order key of a TypeScript migration file name, None when it is not one."""
    for tool, pattern in _TS_MIGRATION_NAMES:
        match = pattern.match(name)
        if match:
            return (
                mikro_orm_order_key(name)
                if tool == "mikro-orm"
                else (_pad(match["version"]), match["name"] or "")
            )
    return None


def mikro_orm_order_key(name: str) -> tuple[str, ...]:
    """MikroORM runs the files of its migrations folder in file-name order.

    Since v5 its default glob is ``!(*.d).{js,ts,cjs}``: every file is a migration whatever its
    name, and Umzug runs them as the sorted glob lists them. Names therefore compare as text,
    not as numbers: ``InitialSetup2024...`` runs before ``Migration2024...``, and a 12-digit
    ``Migration202408271511`` after ``Migration20240601111544``.
    """
    return (name,)


def _ts_style(name: str) -> str:
    return next((tool for tool, pattern in _TS_MIGRATION_NAMES if pattern.match(name)), "typescript")


def _is_ts_test_or_declaration(rel: str) -> bool:
    parts = rel.split("/")
    return _TS_TEST_FILE.search(parts[-1]) is not None or any(part in _TS_TEST_DIRS for part in parts[:-1])


def _in_ts_migration_dir(rel: str) -> bool:
    return any(_TS_MIGRATION_DIR.match(part) for part in rel.split("/")[:-1])


def _detected_typescript(tree: _Tree, histories: _Histories, notes: list[str]) -> None:
    """TypeScript migrations: a migrations folder, a tool's file name pattern, and its API in the text."""
    unnamed: list[str] = []
    for rel in tree.files:
        if not rel.endswith(_TS_MIGRATION_EXTENSIONS) or rel in histories.claimed:
            continue
        if not _in_ts_migration_dir(rel) or _is_ts_test_or_declaration(rel) or _in_non_migration_dir(rel):
            continue
        text = tree.read(rel)
        if not any(marker in text for marker in _TS_MIGRATION_MARKERS):
            continue
        name = rel.rsplit("/", 1)[-1]
        key = ts_migration_order_key(name)
        style = _ts_style(name)
        if key is None and _MIKRO_ORM_MIGRATION_CLASS.search(text):
            # A MikroORM migration class in a file its glob takes, named freely
            # (`InitialSetup20240221144943.ts`, `Migration20240515131039-S.ts`).
            key, style = mikro_orm_order_key(name), "mikro-orm"
        if key is None:
            unnamed.append(rel)
            continue
        histories.add(_dir(tuple(rel.split("/")[:-1])), "typescript", style, rel, key)
    for rel in unnamed:
        notes.append(f"typescript: {rel} looks like a migration but its name gives no order; skipped")


def _read_json(tree: _Tree, rel: str, notes: list[str]) -> Any:
    try:
        return _loose_json(tree.read(rel))
    except ValueError as error:
        notes.append(f"{rel}: not read ({error})")
        return None


def _scan_outside_strings(text: str, handle: Callable[[str, int], int | None]) -> str:
    """``text`` rebuilt with ``handle(text, i)`` consulted at each character outside JSON strings:
    it returns the index to skip to (dropping what lies between), or None to keep the character."""
    out: list[str] = []
    index, length, in_string = 0, len(text), False
    while index < length:
        char = text[index]
        if in_string:
            out.append(char)
            if char == "\\" and index + 1 < length:
                out.append(text[index + 1])
                index += 2
                continue
            in_string = char != '"'
            index += 1
            continue
        skip = handle(text, index)
        if skip is not None:
            index = skip
            continue
        in_string = char == '"'
        out.append(char)
        index += 1
    return "".join(out)


def _skip_comment(text: str, index: int) -> int | None:
    if text.startswith("//", index):
        end = text.find("\n", index)
        return len(text) if end < 0 else end
    if text.startswith("/*", index):
        end = text.find("*/", index + 2)
        return len(text) if end < 0 else end + 2
    return None


def _skip_trailing_comma(text: str, index: int) -> int | None:
    if text[index] != ",":
        return None
    after = index + 1
    while after < len(text) and text[after] in " \t\r\n":
        after += 1
    return index + 1 if after < len(text) and text[after] in "}]" else None


def _loose_json(text: str) -> Any:
    """JSON as tsconfig.json is written: ``//`` and ``/* */`` comments and trailing commas allowed."""
    if text.startswith("\ufeff"):
        text = text[1:]
    try:
        return json.loads(text)
    except ValueError:
        pass
    without_comments = _scan_outside_strings(text, _skip_comment)
    return json.loads(_scan_outside_strings(without_comments, _skip_trailing_comma))


def _package_jsons(tree: _Tree, notes: list[str]) -> dict[str, dict[str, Any]]:
    """Every package.json of the project (node_modules is never walked), by directory."""
    found: dict[str, dict[str, Any]] = {}
    for rel in tree.named("package.json"):
        data = _read_json(tree, rel, notes)
        if isinstance(data, dict):
            found[rel.rpartition("/")[0]] = data
    return found


def _frameworks(packages: Mapping[str, Mapping[str, Any]]) -> frozenset[str]:
    found: set[str] = set()
    for data in packages.values():
        for section in _DEPENDENCY_FIELDS:
            deps = data.get(section)
            if isinstance(deps, dict):
                found.update(_FRAMEWORK_PACKAGES[name] for name in deps if name in _FRAMEWORK_PACKAGES)
    return frozenset(found)


def _workspace_globs(data: Any) -> list[str]:
    workspaces = data.get("workspaces") if isinstance(data, dict) else None
    if isinstance(workspaces, dict):  # yarn 1: {"packages": [...], "nohoist": [...]}
        workspaces = workspaces.get("packages")
    if not isinstance(workspaces, list):
        return []
    return [item for item in workspaces if isinstance(item, str)]


_PNPM_WORKSPACE_ITEM = re.compile(r"""^\s*-\s*["']?([^"'#\n]+?)["']?\s*(?:#.*)?$""", re.MULTILINE)


def _pnpm_globs(text: str) -> list[str]:
    """The ``packages:`` list of pnpm-workspace.yaml (a plain YAML list; nothing else is read)."""
    match = re.search(r"^packages\s*:\s*\n((?:[ \t]+-.*\n?|[ \t]*#.*\n?|[ \t]*\n)*)", text, re.MULTILINE)
    return [item.strip() for item in _PNPM_WORKSPACE_ITEM.findall(match[1])] if match else []


def _workspace_patterns_at(directory: Path) -> list[str]:
    """Workspace globs declared in ``directory`` (package.json or pnpm-workspace.yaml), positive only."""
    globs: list[str] = []
    try:
        package = directory / "package.json"
        if package.is_file():
            globs += _workspace_globs(_loose_json(package.read_text(encoding="utf-8", errors="replace")))
        pnpm = directory / "pnpm-workspace.yaml"
        if pnpm.is_file():
            globs += _pnpm_globs(pnpm.read_text(encoding="utf-8", errors="replace"))
    except (OSError, ValueError):
        return []
    return [g.strip().removeprefix("./").rstrip("/") for g in globs if g.strip() and not g.startswith("!")]


def _ts_resolution(
    tree: _Tree, start: str, packages: Mapping[str, Mapping[str, Any]], notes: list[str]
) -> TsResolution:
    """Workspace packages (name → folder) and the tsconfig nearest to ``start`` (baseUrl, paths)."""
    workspace_dirs: set[str] = set()
    for pattern in _workspace_patterns_at(tree.root):
        regex = _glob_regex(pattern)
        workspace_dirs.update(directory for directory in tree.dirs if regex.match(directory))
    named: dict[str, str] = {}
    entries: list[tuple[str, str]] = []
    for directory in sorted(workspace_dirs):
        data = packages.get(directory, {})
        name = data.get("name")
        if isinstance(name, str) and name not in named:
            named[name] = directory
            entries += _package_entries(tree, name, directory, data)
    base_url, paths = _tsconfig_paths(tree, start, notes)
    return TsResolution(
        packages=tuple(sorted(named.items())), paths=paths, base_url=base_url, entries=tuple(sorted(entries))
    )


def _tsconfig_paths(
    tree: _Tree, start: str, notes: list[str]
) -> tuple[str, tuple[tuple[str, tuple[str, ...]], ...]]:
    """(base_url, paths) of the tsconfig.json nearest to ``start``, following relative ``extends``."""
    directory = start
    while True:
        candidate = _join(directory, "tsconfig.json")
        if candidate in tree.file_set:
            break
        if directory in ("", "."):
            return ".", ()
        directory = directory.rpartition("/")[0]
    base_url: str | None = None
    paths: dict[str, Any] | None = None
    paths_base: str | None = None
    seen: set[str] = set()
    rel: str | None = candidate
    while rel is not None and rel not in seen and rel in tree.file_set:
        seen.add(rel)
        data = _read_json(tree, rel, notes)
        if not isinstance(data, dict):
            break
        here = rel.rpartition("/")[0]
        options = data.get("compilerOptions")
        options = options if isinstance(options, dict) else {}
        if base_url is None and isinstance(options.get("baseUrl"), str):
            base_url = _normalise_rel(_join(here, options["baseUrl"]))
        if paths is None and isinstance(options.get("paths"), dict):
            paths = options["paths"]
            paths_base = here  # without baseUrl, paths are relative to the tsconfig that sets them
        extends = data.get("extends")
        rel = (
            _normalise_rel(_join(here, extends))
            if isinstance(extends, str) and extends.startswith(".")
            else None
        )
        if rel is not None and not rel.endswith(".json"):
            rel += ".json"
    # Targets are relative to baseUrl when one is set, else to the tsconfig that sets `paths`.
    base = base_url if base_url is not None else (paths_base if paths_base is not None else directory)
    entries = tuple(
        (pattern, tuple(target for target in targets if isinstance(target, str)))
        for pattern, targets in (paths or {}).items()
        if isinstance(targets, list)
    )
    return base or ".", entries


def _normalise_rel(rel: str) -> str:
    normal = os.path.normpath(rel).replace(os.sep, "/")
    return "" if normal == "." else normal


def _resolve_ts_import(tree: _Tree, importer: str, specifier: str, resolution: TsResolution) -> list[str]:
    """Project files a TypeScript import specifier may load (relative, workspace package, tsconfig paths)."""
    if specifier.startswith("."):
        return _ts_candidates(tree, _normalise_rel(_join(importer.rpartition("/")[0], specifier)))
    found = [file for entry, file in resolution.entries if entry == specifier]
    for name, directory in resolution.packages:
        if specifier == name or specifier.startswith(name + "/"):
            sub = specifier[len(name) :].lstrip("/")
            found += (
                _package_entry(tree, directory)
                if not sub
                else (
                    _ts_candidates(tree, _join(directory, sub))
                    + _ts_candidates(tree, _join(directory, "src/" + sub))
                )
            )
    for pattern, targets in resolution.paths:
        prefix, star, suffix = pattern.partition("*")
        if (star and specifier.startswith(prefix) and specifier.endswith(suffix)) or specifier == pattern:
            middle = specifier[len(prefix) : len(specifier) - len(suffix)] if star else ""
            for target in targets:
                found += _ts_candidates(
                    tree, _normalise_rel(_join(resolution.base_url, target.replace("*", middle)))
                )
    return found


def _ts_candidates(tree: _Tree, base: str) -> list[str]:
    # ESM-style TypeScript imports name the compiled file (`./enums.js` for `enums.ts`).
    stem = re.sub(r"\.[mc]?js$", "", base)
    options = [
        base,
        *(stem + ext for ext in _TS_SOURCE_EXTENSIONS),
        *(f"{stem}/index{ext}" for ext in _TS_SOURCE_EXTENSIONS),
    ]
    return [
        option for option in options if option in tree.file_set and option.endswith(_TS_SOURCE_EXTENSIONS)
    ][:1]


_ENTRY_FIELDS = ("source", "types", "typings", "main", "module")
# Conditions of a package.json `exports` target, most source-like first.
_EXPORT_CONDITIONS = ("source", "types", "import", "default", "require", "node")


def _export_target(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        for condition in _EXPORT_CONDITIONS:
            target = _export_target(value.get(condition))
            if target is not None:
                return target
    return None


def _package_entries(
    tree: _Tree, name: str, directory: str, data: Mapping[str, Any]
) -> list[tuple[str, str]]:
    """(specifier, source file) for a workspace package's entry points that name TypeScript
    sources directly: `types`/`main`/... for the package itself, `exports` subpaths too."""
    targets: dict[str, str] = {}
    exports = data.get("exports")
    if isinstance(exports, dict) and any(key.startswith(".") for key in exports):
        for subpath, value in exports.items():
            target = _export_target(value)
            if target is not None and "*" not in subpath and subpath.startswith("."):
                targets.setdefault(name + subpath[1:], target)
    else:
        target = _export_target(exports)
        if target is not None:
            targets[name] = target
    for key in _ENTRY_FIELDS:
        if isinstance(data.get(key), str):
            targets.setdefault(name, data[key])
    found: list[tuple[str, str]] = []
    for specifier, target in targets.items():
        if target.endswith(".d.ts"):
            continue  # declarations, not sources
        files = _ts_candidates(tree, _normalise_rel(_join(directory, target)))
        if files:
            found.append((specifier, files[0]))
    return found


def _package_entry(tree: _Tree, directory: str) -> list[str]:
    """A workspace package's entry module, mapping a built `dist/index.js` back to `src/index.ts`."""
    manifest = _join(directory, "package.json")
    data = _read_json(tree, manifest, []) if manifest in tree.file_set else None
    fields = [data.get(key) for key in _ENTRY_FIELDS] if isinstance(data, dict) else []
    for entry in [f for f in fields if isinstance(f, str)]:
        entry = re.sub(r"^(?:\./)?(?:dist|build|lib|out)/", "src/", entry)
        entry = re.sub(r"\.d\.ts$|\.[mc]?js$", "", entry)
        found = _ts_candidates(tree, _normalise_rel(_join(directory, entry)))
        if found:
            return found
    return _ts_candidates(tree, _join(directory, "src/index")) or _ts_candidates(
        tree, _join(directory, "index")
    )


def _ts_model_files(tree: _Tree, histories: _Histories, resolution: TsResolution) -> list[str]:
    """TypeScript modules that may define models or enums, and every project module they import from."""

    def eligible(rel: str) -> bool:
        return (
            rel.endswith(_TS_SOURCE_EXTENSIONS)
            and rel not in histories.claimed
            and not _is_ts_test_or_declaration(rel)
        )

    selected = [rel for rel in tree.files if eligible(rel) and has_ts_model_markers(tree.read(rel))]
    chosen = set(selected)
    queue = list(selected)
    while queue and len(chosen) < _MAX_IMPORT_CLOSURE:
        rel = queue.pop()
        for specifier in _TS_IMPORT.findall(tree.read(rel)):
            for target in _resolve_ts_import(tree, rel, specifier, resolution):
                if target not in chosen and eligible(target):
                    chosen.add(target)
                    queue.append(target)
    return sorted(chosen)


def _job_files(tree: _Tree, packages: Mapping[str, Mapping[str, Any]]) -> list[str]:
    """Files Medusa's job loader imports: everything under a `src/jobs/` folder of a Medusa
    application, recursively, but index files, declarations, tests, `__tests__/` and names
    starting with `_`."""
    job_dirs = [
        d
        for d in tree.dirs
        if (d == "src/jobs" or d.endswith("/src/jobs"))
        and _is_medusa_app(d[: -len("src/jobs")].rstrip("/"), packages)
    ]
    found: list[str] = []
    for directory in job_dirs:
        for rel in tree.files_in(directory, recursive=True):
            name = rel.rsplit("/", 1)[-1]
            inner = rel[len(directory) + 1 :].split("/")[:-1]
            if (
                rel.endswith(_JOB_EXTENSIONS)
                and not _JOB_SKIPPED_NAME.match(name)
                and "__tests__" not in inner
            ):
                found.append(rel)
    return sorted(set(found))


def _is_medusa_app(directory: str, packages: Mapping[str, Mapping[str, Any]]) -> bool:
    """Whether the package owning ``directory`` (its nearest package.json) depends on Medusa.

    Only an application's `src/jobs/` is read by the job loader; in a monorepo the framework's
    own sources (`packages/core/framework/src/jobs/job-loader.ts`) or a plugin's are not jobs.
    """
    while True:
        data = packages.get(directory)
        if data is not None:
            return "medusa" in _frameworks({directory: data})
        if not directory:
            return False
        directory = directory.rpartition("/")[0]


def _snapshot_files(tree: _Tree) -> list[str]:
    return [
        rel
        for rel in tree.files
        if _SNAPSHOT_NAME.match(rel.rsplit("/", 1)[-1]) and _in_ts_migration_dir(rel)
    ]


# --------------------------------------------------------------------------------------------
# Paths and environment files (SL4xx)
# --------------------------------------------------------------------------------------------

# Generated or vendored files: not written by the project, and often large.
_LOCKFILES = frozenset(
    {"package-lock.json", "npm-shrinkwrap.json", "pnpm-lock.yaml", "yarn.lock", "bun.lock", "deno.lock"}
    | {"poetry.lock", "Pipfile.lock", "uv.lock", "pdm.lock", "composer.lock", "Cargo.lock", "Gemfile.lock"}
)
_VENDORED_DIRS = frozenset({"vendor", "vendored", "third_party", "third-party", "__snapshots__"})
MAX_SCANNED_SIZE = 1_000_000  # bytes; bigger files are data or bundles, not hand-written code
_SHEBANG = re.compile(rb"^#![ \t]*\S*(?:/|env[ \t]+)(?:ba|z|da)?sh\b")
_DATABASE_URL_MARKERS = ("DATABASE_URL", "DB_URL")


def _scanned_files(tree: _Tree, prefixes: Sequence[str]) -> list[tuple[str, str]]:
    """(rel, kind) of the files SL401-SL404 read, prefiltered by cheap substring tests.

    A code, script or configuration file is read only when it mentions a machine prefix
    (`/home/`...), `cwd`, or (for a test configuration) a database URL variable; `.env*` files
    are always read. Markdown, lockfiles, vendored folders and files over 1 MB are skipped.
    """
    words = prefilter_words(prefixes)
    found: list[tuple[str, str]] = []
    for rel in tree.files:
        name = rel.rsplit("/", 1)[-1]
        if name in _LOCKFILES or any(part in _VENDORED_DIRS for part in rel.split("/")[:-1]):
            continue
        env = is_env_file(name)
        kind = file_kind(rel)
        if not env and kind is None and "." in name:
            continue
        path = tree.path(rel)
        try:
            if path.stat().st_size > MAX_SCANNED_SIZE:
                continue
            data = path.read_bytes()
        except OSError:
            continue
        if env:
            found.append((rel, "env"))
            continue
        if kind is None:
            if not _SHEBANG.match(data):
                continue
            kind = "shell"
        text = data.decode("utf-8", errors="replace")
        if (
            any(word in text for word in words)
            or (kind in ("python", "javascript") and "cwd" in text)
            or (is_test_config(rel) and any(marker in text for marker in _DATABASE_URL_MARKERS))
        ):
            found.append((rel, "shell" if kind == "shell" else "paths"))
    found += [(rel, "env-gitignored") for rel in tree.gitignored_env]
    return found


# --------------------------------------------------------------------------------------------
# The tests' database dialects (SL305)
# --------------------------------------------------------------------------------------------

# Folders whose test setups belong to documentation or to other projects, not to this one's tests.
_NOT_THE_PROJECTS_TESTS = frozenset(
    {"example", "examples", "sample", "samples", "doc", "docs", "testdata", "__fixtures__"}
)


def _test_dialects(
    tree: _Tree,
    loaded: LoadedConfig,
    dialect: Dialect,
    histories: _Histories,
    dropped: set[str],
    notes: list[str],
) -> tuple[TestDatabaseUrl, ...]:
    """The dialects other than ``dialect`` that the tests' database URLs name, one URL each.

    Skipped when `test-dialects` is configured (the setting wins, even when empty). A dialect
    that has a migration history of its own (`versions/sqlite/` next to `versions/postgresql/`)
    is not one the checked migrations run on: the tests migrate it with its own history.
    Only files git keeps count, as for the dialect: results must not depend on the machine.
    """
    if "test_dialects" in loaded.config.model_fields_set:
        where = loaded.path.name if loaded.path is not None else "the configuration"
        notes.append(f"test dialects: from `test-dialects` in {where}; not detected from the tests")
        return ()
    first: dict[Dialect, TestDatabaseUrl] = {}
    for rel in tree.files:
        if is_test_database_source(rel) and not _in_other_projects_tests(tree, rel):
            for url in extract_test_database_urls(tree.read(rel), rel):
                first.setdefault(url.dialect, url)
    own_histories = {
        tag: name for name in sorted(dropped) if (tag := histories.by_name[name].dialect) is not None
    }
    found: list[TestDatabaseUrl] = []
    for test_dialect, url in sorted(first.items()):
        where = f"{url.span.path}:{url.span.line}"
        if test_dialect == dialect:
            notes.append(f"tests use {test_dialect}, the project's dialect (from {where})")
        elif test_dialect in own_histories:
            notes.append(
                f"tests use {test_dialect} (from {where}), which has its own history "
                f"{own_histories[test_dialect]}: not a test dialect of the {dialect} migrations"
            )
        else:
            notes.append(f"test dialect: {test_dialect} (from {where})")
            found.append(url)
    return tuple(found)


def _in_other_projects_tests(tree: _Tree, rel: str) -> bool:
    """Whether a file is documentation's, or inside a project kept as a test fixture."""
    parts = rel.split("/")[:-1]
    if any(part.lower() in _NOT_THE_PROJECTS_TESTS for part in parts):
        return True
    if "fixtures" not in parts:
        return False
    # `tests/fixtures/db.py` holds the project's own fixtures; `tests/fixtures/case/project/...`
    # with a pyproject.toml or package.json of its own is another project.
    start = parts.index("fixtures") + 1
    return any(
        _join("/".join(parts[:depth]), marker) in tree.file_set
        for depth in range(start + 1, len(parts) + 1)
        for marker in PROJECT_ROOT_MARKERS
    )


# --------------------------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------------------------


def discover(paths: Sequence[Path], loaded: LoadedConfig, dialect_override: str | None) -> Project:
    """Walk the project holding ``paths[0]`` and classify its migrations and model sources.

    The whole project is analysed whatever paths are given (a migration history is only
    meaningful complete); callers scope reporting to the paths. Raises ``ConfigError`` for an
    unknown ``dialect_override``.
    """
    root = find_project_root(paths[0] if paths else Path.cwd())
    tree = _walk(root, loaded)
    notes: list[str] = []
    histories = _Histories()
    scripts = _alembic_scripts(tree, notes)
    if loaded.config.migrations:
        _configured_migrations(tree, loaded, histories, notes)
    else:
        _configured_alembic(tree, scripts, histories, notes)
        if not scripts:
            _fallback_alembic(tree, histories, notes)
        _detected_sql(tree, histories)
        _detected_typescript(tree, histories, notes)
        for history in histories.by_name.values():
            if history.kind in ("sql", "typescript"):
                notes.append(
                    f"{history.kind}: {history.name}: {len(history.files)} {history.style} migration(s)"
                )

    dialect, source = _dialect(_DialectContext(tree, loaded, dialect_override, scripts, histories, notes))
    dropped = _choose_dialect_histories(histories, dialect, notes)
    kept = [history for history in histories.by_name.values() if history.name not in dropped]
    with_downs = {history.name for history in kept if _keeps_down_files(tree, history, notes)}
    migrations = sorted(
        (
            MigrationFile(
                tree.path(rel),
                rel,
                history.kind,
                history.name,
                key,
                _down(tree, history.downs[rel])
                if rel in history.downs and history.name in with_downs
                else None,
            )
            for history in kept
            for rel, key in history.files.items()
        ),
        key=lambda file: (file.history, file.order_key, file.rel),
    )
    python = [SourceFile(tree.path(rel), rel) for rel in _python_files(tree, loaded, histories, notes)]
    packages = _package_jsons(tree, notes)
    frameworks = _frameworks(packages)
    start = tree.rel((paths[0] if paths else Path.cwd()).resolve())
    resolution = _ts_resolution(tree, start or "", packages, notes) if packages else TsResolution()
    has_typescript = bool(packages) or any(rel.endswith(_TS_SOURCE_EXTENSIONS) for rel in tree.files)

    prefixes = tuple(loaded.config.machine_path_prefixes)
    test_dialects = _test_dialects(tree, loaded, dialect, histories, dropped, notes)

    def sources(rels: Iterable[str]) -> tuple[SourceFile, ...]:
        return tuple(SourceFile(tree.path(rel), rel) for rel in rels)

    return Project(
        root,
        dialect,
        source,
        tuple(migrations),
        tuple(python),
        tuple(notes),
        ts_files=sources(_ts_model_files(tree, histories, resolution) if has_typescript else ()),
        job_files=sources(_job_files(tree, packages) if "medusa" in frameworks else ()),
        snapshot_files=sources(_snapshot_files(tree)),
        frameworks=frameworks,
        ts_resolution=resolution,
        scanned_files=tuple(
            ScannedFile(tree.path(rel), rel, kind) for rel, kind in _scanned_files(tree, prefixes)
        ),
        machine_path_prefixes=prefixes,
        test_dialects=test_dialects,
    )
