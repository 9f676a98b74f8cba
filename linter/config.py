"""Settings: find and validate `.schemalint.toml`, `schemalint.toml` or pyproject.toml `[tool.schemalint]`."""

from __future__ import annotations

import sys
import types
import typing
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

from schemalint.facts import Dialect
from schemalint.pathfacts import DEFAULT_MACHINE_PATH_PREFIXES

# Looked for in this order in each directory, like ruff: the first file present wins and files are
# never merged. A pyproject.toml only counts when it has a [tool.schemalint] table, so a project
# that configures nothing does not shadow a schemalint.toml further up.
CONFIG_FILE_NAMES: tuple[str, ...] = (".schemalint.toml", "schemalint.toml", "pyproject.toml")
PYPROJECT = "pyproject.toml"

# Names people write for the supported dialects, mapped to the canonical one. SQLAlchemy calls
# them postgresql/mysql/sqlite, but "postgres" is the URL scheme Heroku and many .env files use,
# and MariaDB is checked with the MySQL rules (SQLAlchemy's mariadb dialect extends mysql).
DIALECT_ALIASES: Mapping[str, Dialect] = {
    "postgresql": "postgresql",
    "postgres": "postgresql",
    "pg": "postgresql",
    "mysql": "mysql",
    "mariadb": "mysql",
    "sqlite": "sqlite",
    "sqlite3": "sqlite",
}


class ConfigError(Exception):
    """A configuration file that cannot be read or does not validate; the message names file and key."""


def normalise_dialect(name: str) -> Dialect | None:
    """The canonical dialect for a name or alias (``postgres`` → ``postgresql``), or None if unknown."""
    return DIALECT_ALIASES.get(name.strip().lower())


class Config(BaseModel):
    """Validated settings. Keys with several words are spelled in kebab-case in the files.

    ``dialect`` accepts the aliases in ``DIALECT_ALIASES`` (``postgres`` and ``pg`` mean
    ``postgresql``, ``mariadb`` means ``mysql``, ``sqlite3`` means ``sqlite``), case-insensitively,
    and stores the canonical name. ``migrations`` and ``models`` are globs (or directories) and
    ``exclude`` gitignore-style patterns, all relative to the directory of the file they come from.
    """

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        populate_by_name=True,
        strict=True,
        alias_generator=lambda name: name.replace("_", "-"),
    )

    select: list[str] | None = None
    ignore: list[str] = []
    dialect: Literal["postgresql", "mysql", "sqlite"] | None = None
    migrations: list[str] = []
    models: list[str] = []
    exclude: list[str] = []
    # Other dialects the same migrations also run on (typically the tests' SQLite while
    # production is PostgreSQL): SL305 reports constructs one of them does not support.
    test_dialects: list[Literal["postgresql", "mysql", "sqlite"]] = []
    # Folders whose paths exist on one machine only (SL401); a separator matches `/` and `\`.
    machine_path_prefixes: list[str] = list(DEFAULT_MACHINE_PATH_PREFIXES)

    @field_validator("dialect", mode="before")
    @classmethod
    def _canonical_dialect(cls, value: object) -> object:
        # Unknown names fall through unchanged so the Literal check reports them with the choices.
        if isinstance(value, str):
            return normalise_dialect(value) or value
        return value

    @field_validator("test_dialects", mode="before")
    @classmethod
    def _canonical_dialects(cls, value: object) -> object:
        if isinstance(value, list):
            return [normalise_dialect(v) or v if isinstance(v, str) else v for v in value]
        return value

    def rule_options(self) -> dict[str, object]:
        """What rules read from the settings (``RuleSettings.options``), keyed by setting name."""
        return {"test-dialects": tuple(self.test_dialects)}


@dataclass(frozen=True, slots=True)
class LoadedConfig:
    """Settings together with the file they came from (None: built-in defaults)."""

    config: Config
    path: Path | None

    @property
    def config_dir(self) -> Path | None:
        """The directory that relative paths and patterns in the settings are resolved against."""
        return self.path.parent if self.path is not None else None


def find_config(start: Path) -> Path | None:
    """The settings file that applies to ``start`` (a file or directory), walking up the tree.

    In each directory ``.schemalint.toml`` beats ``schemalint.toml`` beats a ``pyproject.toml``
    with a ``[tool.schemalint]`` table. The walk stops after a directory containing ``.git`` (the
    repository root), or at the filesystem root.
    """
    directory = start.resolve()
    if not directory.is_dir():
        directory = directory.parent
    for current in (directory, *directory.parents):
        for name in CONFIG_FILE_NAMES:
            candidate = current / name
            if candidate.is_file() and (name != PYPROJECT or _has_schemalint_table(candidate)):
                return candidate
        if (current / ".git").exists():
            return None
    return None


def load_config(path: Path | None, start: Path) -> LoadedConfig:
    """Settings from ``path`` (the ``--config`` option) or else the file discovered from ``start``.

    A file named ``pyproject.toml`` is read from its ``[tool.schemalint]`` table (absent: defaults);
    any other file has the keys at top level. With no file at all, the defaults apply.
    """
    if path is None:
        path = find_config(start)
        if path is None:
            return LoadedConfig(Config(), None)
    elif not path.is_file():
        raise ConfigError(f"{_display(path)}: config file not found")
    path = path.resolve()
    data = _read_toml(path)
    where = ""
    if path.name == PYPROJECT:
        where = "[tool.schemalint] "
        tool = data.get("tool", {})
        table = tool.get("schemalint", {}) if isinstance(tool, dict) else {}
        if not isinstance(table, dict):
            raise ConfigError(f"{_display(path)}: `tool.schemalint` must be a table")
        data = table
    try:
        return LoadedConfig(Config.model_validate(data), path)
    except ValidationError as error:
        problems = [f"{_display(path)}: {where}{_describe_error(item)}" for item in error.errors()]
        raise ConfigError("\n".join(problems)) from None


def _has_schemalint_table(pyproject: Path) -> bool:
    # A broken pyproject.toml is reported when it is the one chosen; during discovery one that
    # cannot be read is not a schemalint config file.
    try:
        data = _read_toml(pyproject)
    except ConfigError:
        return False
    tool = data.get("tool")
    return isinstance(tool, dict) and "schemalint" in tool


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            data: dict[str, Any] = tomllib.load(handle)
            return data
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{_display(path)}: invalid TOML: {error}") from None
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{_display(path)}: cannot read: {error}") from None


def _display(path: Path) -> str:
    """The path as the user most likely wrote it: relative to the working directory when inside it."""
    try:
        return path.resolve().relative_to(Path.cwd()).as_posix()
    except ValueError:
        return path.as_posix()


def _describe_error(error: Mapping[str, Any]) -> str:
    """One line for one pydantic error: the key path, what was expected and what was given."""
    loc: Sequence[int | str] = error["loc"]
    key = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in loc).lstrip(".")
    if error["type"] == "extra_forbidden":
        return f"unknown key `{key}`"
    given = error.get("input")
    field = _FIELDS_BY_KEY.get(str(loc[0])) if loc else None
    if field is not None and len(loc) == 1:
        expected = _type_name(field)
    else:
        # An element of a list: pydantic's own message says what the element should be.
        expected = "a " + error["msg"].removeprefix("Input should be ").removeprefix("a valid ")
    return f"`{key}` expects {expected}, got {_value_name(given)}"


def _type_name(annotation: Any) -> str:
    """A TOML-flavoured name for a field type: ``list of strings``, ``one of "a", "b"``."""
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin in (typing.Union, types.UnionType):
        return " or ".join(_type_name(arg) for arg in args if arg is not type(None))
    if origin is Literal:
        return "one of " + ", ".join(f'"{arg}"' for arg in args)
    if origin is list:
        return f"a list of {_type_name(args[0]).removeprefix('a ')}s"
    return _SCALAR_NAMES.get(annotation, getattr(annotation, "__name__", str(annotation)))


def _value_name(value: object) -> str:
    kind = _TOML_KIND.get(type(value), type(value).__name__)
    return f"{kind} {value!r}" if isinstance(value, (str, int, float, bool)) else kind


_SCALAR_NAMES: Mapping[Any, str] = {str: "a string", int: "an integer", bool: "a boolean", float: "a float"}
_TOML_KIND: Mapping[type, str] = {
    str: "string",
    int: "integer",
    float: "float",
    bool: "boolean",
    list: "array",
    dict: "table",
}
_FIELDS_BY_KEY: Mapping[str, Any] = {
    (info.alias or name): info.annotation for name, info in Config.model_fields.items()
}
