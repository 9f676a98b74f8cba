"""Command line: ``schemalint [PATH ...]`` (= ``schemalint check``), ``schemalint rules``, ``schemalint rule CODE``."""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import click

from schemalint import __version__
from schemalint.facts import Severity
from schemalint.findings import Finding
from schemalint.graph_cli import graph_command
from schemalint.output import OutputOptions, RunStatistics, collect_statistics, output_options, write_report
from schemalint.rule import Rule, all_rules, rule_by_key, select_rules

if TYPE_CHECKING:
    from schemalint.config import LoadedConfig

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


class UsageError(click.ClickException):
    """A usage, configuration or internal error: exit code 2."""

    exit_code = EXIT_ERROR


def _split(values: Sequence[str]) -> list[str]:
    out: list[str] = []
    for value in values:
        out.extend(part.strip() for part in value.split(",") if part.strip())
    return out


@dataclass(frozen=True, slots=True)
class CheckResult:
    findings: tuple[Finding, ...]
    suppressed: tuple[Finding, ...]
    rules: tuple[type[Rule], ...]
    sources: dict[str, str]
    root: Path
    notes: tuple[str, ...]
    baselined: tuple[Finding, ...] = ()  # reported before and recorded in the baseline
    fail_level: Severity = "error"  # from the settings; `--fail-level` overrides it
    statistics: RunStatistics | None = None  # what was read and not read, for `--statistics`
    severities: Mapping[str, Severity] = field(default_factory=dict)  # `[severity]` overrides by code


def run_check(
    paths: Sequence[Path],
    *,
    select: Sequence[str] | None = None,
    ignore: Sequence[str] = (),
    dialect: str | None = None,
    config_file: Path | None = None,
    use_cache: bool = True,
    settings: LoadedConfig | None = None,
    baseline: Path | None = None,
    use_baseline: bool = True,
    changed_files: Sequence[Path] | None = None,
) -> CheckResult:
    """Discover, analyse and filter: the whole ``check`` command without output.

    ``settings`` replaces the settings file (the Python API passes a mapping this way);
    ``baseline``, ``use_baseline`` and ``changed_files``: see ``apply_project_settings``.
    """
    from schemalint.baseline import BaselineError
    from schemalint.config import ConfigError, load_config, severity_overrides
    from schemalint.discovery import discover
    from schemalint.finding_filters import apply_project_settings
    from schemalint.runner import analyze
    from schemalint.suppressions import apply_suppressions, scan_suppressions

    paths = [p.resolve() for p in (paths or [Path(".")])]
    for path in paths:
        if not path.exists():
            raise UsageError(f"path does not exist: {path}")
    try:
        loaded = settings if settings is not None else load_config(config_file, paths[0])
    except ConfigError as exc:
        raise UsageError(str(exc)) from exc
    config = loaded.config
    chosen_select = select if select is not None else config.select
    chosen_ignore = [*config.ignore, *ignore]
    try:
        rules = select_rules(chosen_select, chosen_ignore, config.extend_select)
    except KeyError as exc:
        raise UsageError(f"unknown rule code or name: `{exc.args[0]}` (see `schemalint rules`)") from exc
    project = discover(paths, loaded, dialect)
    analysis = analyze(project, rules, use_cache=use_cache, options=config.rule_options())
    suppressions = {rel: scan_suppressions(rel, text) for rel, text in analysis.sources.items()}
    report_unused = any(r.code == "SL003" for r in rules)
    kept, suppressed, unused = apply_suppressions(
        list(analysis.findings),
        suppressions,
        all_rules(),
        report_unused,
        selected_codes=[r.code for r in rules],
    )
    try:
        adopted = apply_project_settings(
            [*kept, *unused],
            loaded,
            analysis.sources,
            project.root,
            baseline=baseline,
            use_baseline=use_baseline,
            changed_files=changed_files,
        )
    except BaselineError as exc:
        raise UsageError(str(exc)) from exc
    findings = adopted.findings
    notes = (f"dialect: {project.dialect} (from {project.dialect_source})", *project.notes, *adopted.notes)
    return CheckResult(
        findings,
        tuple(suppressed),
        rules,
        analysis.sources,
        project.root,
        notes,
        baselined=adopted.baselined,
        fail_level=config.fail_level,
        statistics=collect_statistics(project, analysis),
        severities=severity_overrides(config),
    )


def existing_changed_files(paths: Sequence[Path]) -> list[Path]:
    """The changed files that still exist (a deleted file has no findings to report)."""
    return [path for path in paths if path.exists()]


class _DefaultCheckGroup(click.Group):
    """``schemalint PATH`` runs ``check``: any first argument that is not a command goes there."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args or (args[0] not in self.commands and args[0] not in ("--help", "-h", "--version")):
            args = ["check", *args]
        return super().parse_args(ctx, args)


@click.group(cls=_DefaultCheckGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="schemalint")
def main() -> None:
    """Check that the database your migrations build agrees with what your ORM models write."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@output_options
@click.option("--select", multiple=True, help="Rule codes, prefixes (SL1) or names to run (comma-separated).")
@click.option("--ignore", multiple=True, help="Rule codes, prefixes or names to skip (comma-separated).")
@click.option("--dialect", type=click.Choice(["postgresql", "mysql", "sqlite"]), help="Database dialect.")
@click.option("--config", "config_file", type=click.Path(path_type=Path, dir_okay=False), help="Config file.")
@click.option("--no-cache", is_flag=True, help="Do not read or write the fact cache.")
@click.option("--verbose", "-v", is_flag=True, help="Say which dialect and files were used.")
@click.option(
    "--baseline",
    "baseline",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Report only findings not recorded in this baseline file (overrides `baseline` in the settings).",
)
@click.option(
    "--write-baseline",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Record every current finding in FILE and exit 0; later runs with it report only new ones.",
)
@click.option(
    "--changed-files",
    is_flag=True,
    help="PATHS are changed files: analyse their whole project, report only findings whose "
    "location or related location is in one of them (the `schemalint-changed` pre-commit hook).",
)
def check(
    paths: tuple[Path, ...],
    out: OutputOptions,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    dialect: str | None,
    config_file: Path | None,
    no_cache: bool,
    verbose: bool,
    baseline: Path | None,
    write_baseline: Path | None,
    changed_files: bool,
) -> None:
    """Check PATHS (default: the current directory)."""

    changed = existing_changed_files(paths) if changed_files else None
    if changed == []:
        sys.exit(EXIT_OK)  # only deleted files changed: nothing of theirs can be reported
    try:
        result = run_check(
            list(changed or paths),
            select=_split(select) if select else None,
            ignore=_split(ignore),
            dialect=dialect,
            config_file=config_file,
            use_cache=not no_cache,
            baseline=baseline,
            use_baseline=write_baseline is None,
            changed_files=changed,
        )
    except UsageError:
        raise
    except Exception as exc:  # anything else is a bug: say so and exit 2, never 0 or 1
        raise UsageError(f"internal error: {type(exc).__name__}: {exc}") from exc
    if verbose:
        for note in result.notes:
            click.echo(f"schemalint: {note}", err=True)
    if write_baseline is not None:
        from schemalint.baseline import write_baseline as write

        count = write(write_baseline, result.findings, result.sources)
        click.echo(f"schemalint: recorded {count} finding(s) in {write_baseline}", err=True)
        sys.exit(EXIT_OK)
    code = write_report(
        out,
        findings=result.findings,
        suppressed=result.suppressed,
        rules=result.rules,
        sources=result.sources,
        root=result.root,
        version=__version__,
        stats=result.statistics,
        fail_level=result.fail_level,
        severities=result.severities,
    )
    sys.exit(code)


@main.command("rules")
def list_rules() -> None:
    """List every rule with its code, name, severity and summary."""
    for rule in all_rules():
        default = "" if rule.enabled_by_default else " (off by default)"
        click.echo(f"{rule.code}  {rule.name():34} {rule.severity:8} {rule.summary()}{default}")


@main.command("rule")
@click.argument("key")
def show_rule(key: str) -> None:
    """Print the documentation of one rule (by code or name)."""
    from schemalint.docs import render_rule_doc

    rule = rule_by_key(key)
    if rule is None:
        raise UsageError(f"unknown rule code or name: `{key}` (see `schemalint rules`)")
    click.echo(render_rule_doc(rule), nl=False)


main.add_command(graph_command)


if __name__ == "__main__":  # pragma: no cover
    main()
