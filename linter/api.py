"""The Python API: ``schemalint.check(paths, config=...) -> Report``, the ``check`` command without output."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from schemalint.config import Config, ConfigError, LoadedConfig, load_config, validate_config
from schemalint.facts import Severity, Span
from schemalint.findings import Finding, FindingData, Related, reaches_fail_level

__all__ = ["CheckError", "Finding", "FindingData", "Related", "Report", "Span", "check"]


class CheckError(Exception):
    """A path that does not exist, invalid settings, an unknown rule or an unreadable baseline.

    The CLI exits with code 2 for the same problems; the message names the file and key.
    """


@dataclass(frozen=True, slots=True)
class Report:
    """The result of ``check``.

    ``findings`` are the findings reported (sorted by path, line, column, code), as frozen
    ``Finding`` dataclasses: ``code``, ``rule`` (kebab name), ``severity``, ``message``,
    ``span`` (project-relative POSIX ``path``, 1-based ``line`` / ``column``, exclusive end),
    ``help``, ``related`` (the other side of a cross-file finding) and ``data`` (the subject:
    ``table``, ``column``, ``enum_type``, ``missing``, ``extra``, ``values``). ``suppressed``
    are the findings an inline ``schemalint: ignore`` silenced and ``baselined`` those the
    baseline recorded. ``root`` is the project root the paths are relative to.
    """

    findings: tuple[Finding, ...]
    suppressed: tuple[Finding, ...]
    baselined: tuple[Finding, ...]
    root: Path
    rules: tuple[str, ...]  # the codes of the rules that ran
    fail_level: Severity
    notes: tuple[str, ...] = ()

    @property
    def failed(self) -> bool:
        """Whether a finding is at the fail level or above: the CLI would exit with 1."""
        return reaches_fail_level(self.findings, self.fail_level)

    def by_severity(self, severity: Severity) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity == severity)


def check(
    paths: str | Path | Sequence[str | Path] = ".",
    config: str | Path | Mapping[str, Any] | Config | None = None,
    *,
    select: Sequence[str] | None = None,
    ignore: Sequence[str] = (),
    dialect: str | None = None,
    baseline: str | Path | None = None,
    use_baseline: bool = True,
    changed_files: Sequence[str | Path] | None = None,
    use_cache: bool = True,
) -> Report:
    """Check the project holding ``paths`` (default: the current directory) like ``schemalint check``.

    ``config`` is a settings file (``pyproject.toml`` with ``[tool.schemalint]``, or
    ``schemalint.toml``), a mapping of the same keys (kebab-case or snake_case; relative paths
    in it are relative to the project root), a ``Config``, or None to discover the settings file
    as the CLI does. ``select``, ``ignore`` and ``dialect`` are the CLI options; ``baseline``
    overrides the configured baseline and ``use_baseline=False`` reads none; ``changed_files``
    reports only the findings located (or with a related location) in those files.

    Raises ``CheckError`` where the CLI exits with code 2. Never imports or runs the project.
    """
    from schemalint.cli import UsageError, run_check

    path_list = [Path(paths)] if isinstance(paths, (str, Path)) else [Path(p) for p in paths]
    path_list = path_list or [Path(".")]
    try:
        settings = _settings(config, path_list[0])
        result = run_check(
            path_list,
            select=select,
            ignore=ignore,
            dialect=dialect,
            use_cache=use_cache,
            settings=settings,
            baseline=Path(baseline) if baseline is not None else None,
            use_baseline=use_baseline,
            changed_files=[Path(p) for p in changed_files] if changed_files is not None else None,
        )
    except (UsageError, ConfigError) as exc:
        raise CheckError(exc.message if isinstance(exc, UsageError) else str(exc)) from None
    return Report(
        findings=result.findings,
        suppressed=result.suppressed,
        baselined=result.baselined,
        root=result.root,
        rules=tuple(rule.code for rule in result.rules),
        fail_level=result.fail_level,
        notes=result.notes,
    )


def _settings(config: str | Path | Mapping[str, Any] | Config | None, start: Path) -> LoadedConfig:
    if config is None:
        return load_config(None, start)
    if isinstance(config, Config):
        return LoadedConfig(validate_config(config.model_dump(by_alias=True)), None)
    if isinstance(config, Mapping):
        kebab = {str(key).replace("_", "-"): value for key, value in config.items()}
        return LoadedConfig(validate_config(kebab, "config: "), None)
    return load_config(Path(config), start)
