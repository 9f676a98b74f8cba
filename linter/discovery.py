"""Find a project's migration histories, model sources and database dialect, without running its code."""

from __future__ import annotations

import configparser
import functools
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
from schemalint.facts import Dialect

MigrationKind = Literal["alembic", "sql"]


@dataclass(frozen=True, slots=True)
class MigrationFile:
    """One up-direction migration file and the history it is replayed in.

    ``history`` names the history: the Alembic versions directory (the script directory when
    several version locations form one history) or the folder holding the SQL migrations.
    ``order_key`` orders raw SQL files within their history (zero-padded numeric parts, so plain
    tuple comparison is version order); Alembic files leave it empty and are ordered by their
    revision graph.
    """

    path: Path
    rel: str
    kind: MigrationKind
    history: str
    order_key: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SourceFile:
    """A Python file that may declare models or enums."""

    path: Path
    rel: str


@dataclass(frozen=True, slots=True)
class Project:
    """Everything the extractors need to know about the analysed project.

    ``migration_files`` is ordered by history, then order key, then path, i.e. replay order for
    SQL histories; ``python_files`` by path. ``notes`` explain the choices made, for ``--verbose``.
    """

    root: Path
    dialect: Dialect
    dialect_source: str
    migration_files: tuple[MigrationFile, ...]
    python_files: tuple[SourceFile, ...]
    notes: tuple[str, ...]


# Directories that never hold project sources, skipped even without a .gitignore.
ALWAYS_SKIPPED_DIRS = frozenset(
    {".git", ".hg", ".svn", ".venv", "venv", "node_modules", "__pycache__", ".tox", ".nox", "site-packages"}
    | {".mypy_cache", ".ruff_cache", ".pytest_cache", "build", "dist"}
)
PROJECT_ROOT_MARKERS: tuple[str, ...] = ("pyproject.toml", "alembic.ini", ".git")

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
        return _SqlMatch("golang-migrate", _dir(file.parts), (_pad(match["version"]), match["name"]))
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
    return _SqlMatch(style, _dir(grandparent), (_pad(digits), file.parts[-1]))


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
        """Whether a file or directory is ignored; the deepest .gitignore with a verdict wins."""
        text = str(path)
        verdict: bool | None = None
        for base, spec in self._gitignores:
            relative = _relative_posix(text, base)
            if relative is not None:
                result = spec.check_file(relative + "/" if is_dir else relative)
                if result.include is not None:
                    verdict = result.include
        if verdict:
            return True
        if self._exclude is not None:
            relative = _relative_posix(text, self._exclude_base)
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
        files.extend(
            prefix + name for name in sorted(names) if not rules.ignored(current_path / name, is_dir=False)
        )
    files.sort()
    return _Tree(root, files, frozenset(files), frozenset(dirs))


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
    """The nearest directory at or above ``start`` holding pyproject.toml, alembic.ini or .git."""
    directory = start.resolve()
    if not directory.is_dir():
        directory = directory.parent
    for candidate in (directory, *directory.parents):
        if any((candidate / marker).exists() for marker in PROJECT_ROOT_MARKERS):
            return candidate
    return directory


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

    def add(self, name: str, kind: MigrationKind, style: str, rel: str, key: tuple[str, ...] = ()) -> None:
        if rel in self.claimed:
            return
        self.claimed.add(rel)
        history = self.by_name.setdefault(name, _History(name, kind, style, {}))
        history.files[rel] = key


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
                histories.add(match.history, "sql", match.style, rel, match.order_key)
                break


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
    if not name.endswith(".sql") or _DOWN_MIGRATION.match(name):
        return
    candidate = _SqlCandidate(rel, parts, name, functools.partial(tree.read, rel), True, True)
    for layout in _SQL_LAYOUTS:
        match = layout(candidate)
        if match is not None:
            histories.add(directory or match.history, "sql", match.style, rel, match.order_key)
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
        for history in histories.by_name.values():
            if history.kind == "sql":
                notes.append(f"sql: {history.name}: {len(history.files)} {history.style} migration(s)")

    dialect, source = _dialect(_DialectContext(tree, loaded, dialect_override, scripts, histories, notes))
    dropped = _choose_dialect_histories(histories, dialect, notes)
    migrations = sorted(
        (
            MigrationFile(tree.path(rel), rel, history.kind, history.name, key)
            for history in histories.by_name.values()
            if history.name not in dropped
            for rel, key in history.files.items()
        ),
        key=lambda file: (file.history, file.order_key, file.rel),
    )
    python = [SourceFile(tree.path(rel), rel) for rel in _python_files(tree, loaded, histories, notes)]
    return Project(root, dialect, source, tuple(migrations), tuple(python), tuple(notes))
