"""Settings: find and validate `.schemalint.toml`, `schemalint.toml` or pyproject.toml `[tool.schemalint]`."""

from __future__ import annotations

import re
import sys
import types
import typing
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

from schemalint.facts import Dialect, Severity
from schemalint.pathfacts import DEFAULT_MACHINE_PATH_PREFIXES
from schemalint.rule import Rule, rule_by_key, rules_matching

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

    select: list[str] | None = Field(
        default=None,
        description="Rule codes, code prefixes (`SL1`) or names to run; `--select` replaces it. "
        "Default: every rule enabled by default.",
    )
    extend_select: list[str] = Field(
        default=[],
        description="Rules to run on top of `select` (or of the defaults), e.g. a rule that is off by default.",
    )
    ignore: list[str] = Field(default=[], description="Rules to skip; `--ignore` adds to it.")
    per_file_ignores: dict[str, list[str]] = Field(
        default={},
        description="Gitignore-style pattern (relative to this file) → rules not reported in "
        "matching files (by the finding's primary location).",
    )
    severity: dict[str, Severity] = Field(
        default={},
        description="Rule code or name → the severity its findings are reported with.",
    )
    fail_level: Severity = Field(
        default="error",
        description="The lowest severity that makes the run exit with 1; `--fail-level` wins.",
    )
    rules: dict[str, dict[str, Any]] = Field(
        default={},
        description="Rule code or name → that rule's options (see the rule's documentation).",
    )
    baseline: str | None = Field(
        default=None,
        description="A baseline file (relative to this file) written by `--write-baseline`: "
        "the findings it records are not reported.",
    )
    dialect: Literal["postgresql", "mysql", "sqlite"] | None = Field(
        default=None,
        description="The database the migrations run on (aliases: postgres, pg, mariadb, sqlite3); "
        "`--dialect` wins. Default: detected.",
    )
    migrations: list[str] = Field(
        default=[],
        description="Globs or directories of the migrations (relative to this file); setting it "
        "turns detection off.",
    )
    models: list[str] = Field(
        default=[],
        description="Globs or directories of the Python files that define models and enums.",
    )
    exclude: list[str] = Field(
        default=[],
        description="Gitignore-style patterns of files never read (on top of `.gitignore`).",
    )
    # Other dialects the same migrations also run on (typically the tests' SQLite while
    # production is PostgreSQL): SL305 reports constructs one of them does not support.
    test_dialects: list[Literal["postgresql", "mysql", "sqlite"]] = Field(
        default=[],
        description="Other databases the same migrations run on (e.g. the tests' SQLite); "
        "SL305 reports constructs they do not support.",
    )
    # Folders whose paths exist on one machine only (SL401); a separator matches `/` and `\`.
    # A top-level key, not an SL401 option: it is read while extracting facts from each file
    # (it is part of the fact cache key), before any rule runs.
    machine_path_prefixes: list[str] = Field(
        default=list(DEFAULT_MACHINE_PATH_PREFIXES),
        description="Folders whose contents exist on one machine only (SL401).",
    )

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
        """What rules read from the settings (``RuleSettings.options``).

        Project-wide settings by name (``test-dialects``), and each configured rule's validated
        options model by rule code. ``load_config`` has validated them already.
        """
        options: dict[str, object] = {"test-dialects": tuple(self.test_dialects)}
        options.update(validate_rule_options(self))
        return options


class RuleKeyError(ValueError):
    """A settings key naming a rule that does not exist, or options a rule does not accept."""

    def __init__(self, problems: Sequence[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = tuple(problems)


def _format_key(parts: Sequence[int | str]) -> str:
    """``rules.SL305.test-dialects``; a part that is not a bare TOML key is quoted."""
    out = []
    for part in parts:
        if isinstance(part, int):
            out.append(f"[{part}]")
            continue
        text = part if _BARE_KEY.fullmatch(part) else '"' + part.replace('"', '\\"') + '"'
        out.append(f".{text}")
    return "".join(out).lstrip(".")


def validate_rule_options(config: Config) -> dict[str, BaseModel]:
    """Each ``[rules.<code or name>]`` table validated against that rule's options model.

    Returns rule code → options model. Raises ``RuleKeyError`` listing every problem: an
    unknown rule, a rule without options, a rule configured twice, or a bad option (by key).
    """
    out: dict[str, BaseModel] = {}
    problems: list[str] = []
    for key, table in config.rules.items():
        rule = rule_by_key(key)
        if rule is None:
            problems.append(f"`{_format_key(['rules', key])}`: unknown rule code or name `{key}`")
            continue
        if rule.options_model is None:
            problems.append(
                f"`{_format_key(['rules', key])}`: rule {rule.code} [{rule.name()}] has no options"
            )
            continue
        if rule.code in out:
            problems.append(f"`{_format_key(['rules', key])}`: options for {rule.code} are given twice")
            continue
        try:
            out[rule.code] = rule.options_model.model_validate(table)
        except ValidationError as error:
            problems += [_describe_error(item, ("rules", key), rule.options_model) for item in error.errors()]
    if problems:
        raise RuleKeyError(problems)
    return out


def _check_rule_keys(config: Config) -> list[str]:
    """Problems with the rule codes and names used as keys or values outside ``rules``."""
    problems: list[str] = []

    def known(key: str, where: Sequence[int | str]) -> set[type[Rule]]:
        try:
            return rules_matching(key)
        except KeyError:
            problems.append(f"`{_format_key(where)}`: unknown rule code or name `{key}`")
            return set()

    for n, key in enumerate(config.extend_select):
        known(key, ["extend-select", n])
    for pattern, keys in config.per_file_ignores.items():
        for n, key in enumerate(keys):
            known(key, ["per-file-ignores", pattern, n])
    for key in config.severity:
        if rule_by_key(key) is None:
            problems.append(f"`{_format_key(['severity', key])}`: unknown rule code or name `{key}`")
    return problems


def severity_overrides(config: Config) -> dict[str, Severity]:
    """Rule code → the severity configured for it (``[severity]`` keys may be codes or names)."""
    out: dict[str, Severity] = {}
    for key, level in config.severity.items():
        rule = rule_by_key(key)
        if rule is not None:
            out[rule.code] = level
    return out


def per_file_ignores(config: Config) -> list[tuple[str, frozenset[str]]]:
    """(pattern, codes) for each ``per-file-ignores`` entry, keys resolved to rule codes."""
    return [
        (pattern, frozenset(r.code for key in keys for r in rules_matching(key)))
        for pattern, keys in config.per_file_ignores.items()
    ]


@dataclass(frozen=True, slots=True)
class LoadedConfig:
    """Settings together with the file they came from (None: built-in defaults)."""

    config: Config
    path: Path | None

    @property
    def config_dir(self) -> Path | None:
        """The directory that relative paths and patterns in the settings are resolved against."""
        return self.path.parent if self.path is not None else None

    def baseline_path(self) -> Path | None:
        """The configured ``baseline`` file, resolved against the settings file's directory."""
        if self.config.baseline is None:
            return None
        base = self.config_dir or Path.cwd()
        return (base / self.config.baseline).resolve()


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
    return LoadedConfig(validate_config(data, f"{_display(path)}: {where}"), path)


def validate_config(data: Mapping[str, Any], where: str = "") -> Config:
    """Settings from a parsed table, checked in full: keys, types, rule names and rule options.

    Raises ``ConfigError`` with one line per problem, each prefixed with ``where`` (the file)
    and naming the key.
    """
    try:
        config = Config.model_validate(data)
    except ValidationError as error:
        raise ConfigError("\n".join(f"{where}{_describe_error(item)}" for item in error.errors())) from None
    problems = _check_rule_keys(config)
    try:
        validate_rule_options(config)
    except RuleKeyError as error:
        problems += error.problems
    if problems:
        raise ConfigError("\n".join(f"{where}{problem}" for problem in problems))
    return config


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


def _describe_error(
    error: Mapping[str, Any], prefix: Sequence[int | str] = (), model: type[BaseModel] | None = None
) -> str:
    """One line for one pydantic error: the key path, what was expected and what was given."""
    loc: Sequence[int | str] = error["loc"]
    key = _format_key([*prefix, *loc])
    if error["type"] == "extra_forbidden":
        return f"unknown key `{key}`"
    given = error.get("input")
    fields = _FIELDS_BY_KEY if model is None else _fields_by_key(model)
    annotation = _annotation_at(fields.get(str(loc[0])), loc[1:]) if loc else None
    if annotation is not None:
        expected = _type_name(annotation)
    else:
        # Somewhere the types do not say (a nested model): pydantic's own message does.
        expected = "a " + error["msg"].removeprefix("Input should be ").removeprefix("a valid ")
    return f"`{key}` expects {expected}, got {_value_name(given)}"


def _annotation_at(annotation: Any, rest: Sequence[int | str]) -> Any:
    """The type expected at ``rest`` inside a field: a list's element, a table's value."""
    for part in rest:
        if annotation is None:
            return None
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if typing.get_origin(annotation) in (typing.Union, types.UnionType) and len(args) == 1:
            annotation = args[0]
            args = list(typing.get_args(annotation))
        origin = typing.get_origin(annotation)
        if origin is list and isinstance(part, int):
            annotation = args[0]
        elif origin is dict and isinstance(part, str):
            annotation = args[1]
        else:
            return None
    return annotation


def _type_name(annotation: Any) -> str:
    """A TOML-flavoured name for a field type: ``list of strings``, ``one of "a", "b"``."""
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin in (typing.Union, types.UnionType):
        return " or ".join(_type_name(arg) for arg in args if arg is not type(None))
    if origin is Literal:
        return "one of " + ", ".join(f'"{arg}"' for arg in args)
    if origin is list and typing.get_origin(args[0]) is Literal:
        return f"a list of strings, each {_type_name(args[0])}"
    if origin is list:
        return f"a list of {_type_name(args[0]).removeprefix('a ')}s"
    if origin is dict:
        return "a table"
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
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


def _fields_by_key(model: type[BaseModel]) -> dict[str, Any]:
    return {(info.alias or name): info.annotation for name, info in model.model_fields.items()}


_FIELDS_BY_KEY: Mapping[str, Any] = _fields_by_key(Config)
