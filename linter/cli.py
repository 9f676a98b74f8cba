"""Command line: ``schemalint [PATH ...]`` (= ``schemalint check``), ``schemalint rules``, ``schemalint rule CODE``."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import click

from schemalint import __version__
from schemalint.findings import Finding
from schemalint.rule import Rule, all_rules, rule_by_key, select_rules

FORMATS = ("text", "json", "sarif")
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


def run_check(
    paths: Sequence[Path],
    *,
    select: Sequence[str] | None = None,
    ignore: Sequence[str] = (),
    dialect: str | None = None,
    config_file: Path | None = None,
    use_cache: bool = True,
) -> CheckResult:
    """Discover, analyse and filter: the whole ``check`` command without output."""
    from schemalint.config import ConfigError, load_config
    from schemalint.discovery import discover
    from schemalint.runner import analyze
    from schemalint.suppressions import apply_suppressions, scan_suppressions

    paths = [p.resolve() for p in (paths or [Path(".")])]
    for path in paths:
        if not path.exists():
            raise UsageError(f"path does not exist: {path}")
    try:
        loaded = load_config(config_file, paths[0])
    except ConfigError as exc:
        raise UsageError(str(exc)) from exc
    config = loaded.config
    chosen_select = select if select is not None else config.select
    chosen_ignore = [*config.ignore, *ignore]
    try:
        rules = select_rules(chosen_select, chosen_ignore)
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
    findings = tuple(sorted([*kept, *unused], key=Finding.sort_key))
    notes = (f"dialect: {project.dialect} (from {project.dialect_source})", *project.notes)
    return CheckResult(findings, tuple(suppressed), rules, analysis.sources, project.root, notes)


def _color(no_color: bool) -> bool:
    if no_color or os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return sys.stdout.isatty()


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
@click.option("--format", "output_format", type=click.Choice(FORMATS), default="text", show_default=True)
@click.option("--output", "-o", type=click.Path(path_type=Path), help="Write the report to FILE.")
@click.option("--select", multiple=True, help="Rule codes, prefixes (SL1) or names to run (comma-separated).")
@click.option("--ignore", multiple=True, help="Rule codes, prefixes or names to skip (comma-separated).")
@click.option("--dialect", type=click.Choice(["postgresql", "mysql", "sqlite"]), help="Database dialect.")
@click.option("--config", "config_file", type=click.Path(path_type=Path, dir_okay=False), help="Config file.")
@click.option("--no-color", is_flag=True, help="Do not color the text output.")
@click.option("--no-cache", is_flag=True, help="Do not read or write the fact cache.")
@click.option("--verbose", "-v", is_flag=True, help="Say which dialect and files were used.")
def check(
    paths: tuple[Path, ...],
    output_format: str,
    output: Path | None,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    dialect: str | None,
    config_file: Path | None,
    no_color: bool,
    no_cache: bool,
    verbose: bool,
) -> None:
    """Check PATHS (default: the current directory)."""
    from schemalint.report import ReportContext, render

    try:
        result = run_check(
            list(paths),
            select=_split(select) if select else None,
            ignore=_split(ignore),
            dialect=dialect,
            config_file=config_file,
            use_cache=not no_cache,
        )
    except UsageError:
        raise
    except Exception as exc:  # anything else is a bug: say so and exit 2, never 0 or 1
        raise UsageError(f"internal error: {type(exc).__name__}: {exc}") from exc
    if verbose:
        for note in result.notes:
            click.echo(f"schemalint: {note}", err=True)
    ctx = ReportContext(
        root=result.root,
        sources=result.sources,
        color=_color(no_color) and output is None and output_format == "text",
        rules=result.rules,
        version=__version__,
    )
    text = render(output_format, result.findings, ctx)
    if output is not None:
        output.write_text(text, encoding="utf-8")
    else:
        click.echo(text, nl=False)
    errors = any(f.severity == "error" for f in result.findings)
    sys.exit(EXIT_FINDINGS if errors else EXIT_OK)


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


if __name__ == "__main__":  # pragma: no cover
    main()
