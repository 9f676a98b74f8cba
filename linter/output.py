"""How ``check`` reports: the output options, colour, statistics, the exit code, and writing the report.

The CLI gets every output option from one decorator (``output_options``) and hands the collected
``OutputOptions`` to ``write_report``; the formats themselves live in ``schemalint.report`` and
register themselves, so a new format needs no change here.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO, TypeVar, cast

import click

from schemalint.facts import Severity
from schemalint.findings import Finding, reaches_fail_level
from schemalint.report import REPORTERS, ReportContext, render

if TYPE_CHECKING:
    from schemalint.discovery import Project
    from schemalint.rule import Rule
    from schemalint.runner import Analysis

EXIT_OK, EXIT_FINDINGS = 0, 1
# Formats read by people: coloured, followed by the statistics on stdout. The others are parsed
# by tools, so statistics go to stderr to keep the report valid.
HUMAN_FORMATS = frozenset({"text", "concise"})
FAIL_LEVELS: tuple[Severity, ...] = ("error", "warning", "info")


@dataclass(frozen=True, slots=True)
class OutputOptions:
    """The options of ``check`` that shape its report and exit code, not its analysis."""

    format: str = "text"
    output: Path | None = None
    no_color: bool = False
    exit_zero: bool = False
    fail_level: Severity | None = None  # None: the configured level (default "error")
    statistics: bool = False
    quiet: bool = False
    show_source: bool | None = None  # None: the format's default (text yes, concise no)
    sarif_category: str | None = None
    include_suppressed: bool = False


F = TypeVar("F", bound=Callable[..., Any])
_Decorator = Callable[[Callable[..., Any]], Callable[..., Any]]

_OPTIONS: tuple[_Decorator, ...] = (
    click.option(
        "--format",
        "output_format",
        type=click.Choice(sorted(REPORTERS)),
        default="text",
        show_default=True,
        help="Output format (see docs/output-formats.md).",
    ),
    click.option(
        "--output", "-o", type=click.Path(path_type=Path), metavar="FILE", help="Write the report to FILE."
    ),
    click.option("--no-color", is_flag=True, help="Do not color the output (also: NO_COLOR=1)."),
    click.option("--exit-zero", is_flag=True, help="Exit 0 even when findings are reported."),
    click.option(
        "--fail-level",
        type=click.Choice(FAIL_LEVELS),
        help="Exit 1 when a finding is at this severity or above (default: error).",
    ),
    click.option(
        "--statistics", is_flag=True, help="Count findings per rule, and the files and statements read."
    ),
    click.option("--quiet", "-q", is_flag=True, help="Print the findings only: no summary line."),
    click.option(
        "--show-source/--no-show-source",
        default=None,
        help="Show source excerpts under findings (default: in text, not in concise).",
    ),
    click.option(
        "--sarif-category",
        metavar="NAME",
        help="SARIF automationDetails.id: tells several uploads for one commit apart.",
    ),
    click.option(
        "--include-suppressed",
        is_flag=True,
        help="SARIF: include inline-suppressed findings, marked as suppressed in source.",
    ),
)


def output_options(command: F) -> F:
    """Add the output options to a click command; it receives them as one ``out: OutputOptions``."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        out = OutputOptions(
            format=kwargs.pop("output_format"),
            output=kwargs.pop("output"),
            no_color=kwargs.pop("no_color"),
            exit_zero=kwargs.pop("exit_zero"),
            fail_level=kwargs.pop("fail_level"),
            statistics=kwargs.pop("statistics"),
            quiet=kwargs.pop("quiet"),
            show_source=kwargs.pop("show_source"),
            sarif_category=kwargs.pop("sarif_category"),
            include_suppressed=kwargs.pop("include_suppressed"),
        )
        return command(*args, out=out, **kwargs)

    decorated: Callable[..., Any] = wrapper
    for option in reversed(_OPTIONS):
        decorated = option(decorated)
    return cast(F, decorated)


def use_color(no_color: bool, stream: TextIO, environ: Mapping[str, str] = os.environ) -> bool:
    """Colour on a terminal, unless ``--no-color`` or ``NO_COLOR``; ``FORCE_COLOR`` forces it.

    Both variables count only when set to a non-empty value (no-color.org); ``FORCE_COLOR=0`` (or
    ``false``) does not force, as in Node's tools. ``--no-color`` and ``NO_COLOR`` win.
    """
    if no_color or environ.get("NO_COLOR"):
        return False
    force = environ.get("FORCE_COLOR", "")
    if force and force.lower() not in ("0", "false"):
        return True
    return stream.isatty()


def exit_code(findings: Sequence[Finding], fail_level: Severity = "error", exit_zero: bool = False) -> int:
    """1 when a finding is at ``fail_level`` or above (and not ``exit_zero``), else 0."""
    if exit_zero:
        return EXIT_OK
    return EXIT_FINDINGS if reaches_fail_level(findings, fail_level) else EXIT_OK


# ---------------------------------------------------------------------------------------------
# Statistics
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RunStatistics:
    """What the analysis read and could not read, for ``--statistics``."""

    files: tuple[tuple[str, int], ...] = ()  # (kind of file, how many were read), in a fixed order
    statements: int = 0  # migration statements read
    unparsed_statements: int = 0  # SL001: statements the parser returned opaque
    files_not_parsed: int = 0  # SL002: files skipped because they do not parse
    unresolved_values: int = 0  # SL004: values that cannot be resolved statically


def collect_statistics(project: Project, analysis: Analysis) -> RunStatistics:
    """Counts from the discovered project and the facts, whichever rules ran or were suppressed."""
    migrations: dict[str, int] = {}
    for migration in project.migration_files:
        migrations[migration.kind] = migrations.get(migration.kind, 0) + 1
    files = [(f"{kind} migrations", count) for kind, count in sorted(migrations.items())]
    files += [
        ("Python modules", len(project.python_files)),
        ("TypeScript modules", len(project.ts_files)),
        ("Medusa job files", len(project.job_files)),
        ("MikroORM snapshots", len(project.snapshot_files)),
        ("paths and environment files", len(project.scanned_files)),
    ]
    diagnostics: dict[str, int] = {}
    for diagnostic in analysis.context.diagnostics():
        diagnostics[diagnostic.code] = diagnostics.get(diagnostic.code, 0) + 1
    return RunStatistics(
        files=tuple((kind, count) for kind, count in files if count),
        statements=sum(m.statements for m in analysis.context.migrations),
        unparsed_statements=diagnostics.get("SL001", 0),
        files_not_parsed=diagnostics.get("SL002", 0),
        unresolved_values=diagnostics.get("SL004", 0),
    )


def render_statistics(
    findings: Sequence[Finding], suppressed: int, stats: RunStatistics | None, rules: Sequence[type[Rule]]
) -> str:
    """A table of findings per rule (most frequent first), then what was read and what was not."""
    counts: dict[str, tuple[int, Finding]] = {}
    for finding in findings:
        count, first = counts.get(finding.code, (0, finding))
        counts[finding.code] = (count + 1, first)
    rows = sorted(counts.items(), key=lambda item: (-item[1][0], item[0]))
    width = max((len(str(count)) for count, _ in counts.values()), default=1)
    name_width = max((len(first.rule) for _, first in counts.values()), default=0)
    lines = [
        f"{count:>{width}}  {code}  {first.rule:<{name_width}}  {first.severity}"
        for code, (count, first) in rows
    ]
    lines.append(f"{_plural(len(findings), 'finding')} from {_plural(len(rules), 'rule')} run")
    if suppressed:
        lines[-1] += f", {suppressed} suppressed inline"
    if stats is not None:
        total = sum(count for _, count in stats.files)
        kinds = ", ".join(f"{kind}: {count}" for kind, count in stats.files)
        lines.append(f"files read: {total}" + (f" ({kinds})" if kinds else ""))
        lines.append(f"migration statements read: {stats.statements}")
        lines.append(
            f"not read: {stats.unparsed_statements} unparsed statements (SL001), "
            f"{stats.files_not_parsed} files skipped because they do not parse (SL002), "
            f"{stats.unresolved_values} unresolved values (SL004)"
        )
    return "\n".join(lines) + "\n"


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


# ---------------------------------------------------------------------------------------------
# Writing the report
# ---------------------------------------------------------------------------------------------


def write_report(
    out: OutputOptions,
    *,
    findings: Sequence[Finding],
    suppressed: Sequence[Finding],
    rules: Sequence[type[Rule]],
    sources: Mapping[str, str],
    root: Path,
    version: str,
    stats: RunStatistics | None = None,
    fail_level: Severity = "error",
    severities: Mapping[str, Severity] | None = None,
) -> int:
    """Render the findings as ``out`` asks, write them to stdout or ``--output``; return the exit code.

    ``fail_level`` is the configured one; ``--fail-level`` overrides it. Suppressed findings never
    count for the exit code, even when included in SARIF.
    """
    from schemalint.suppressions import scan_suppressions, suppression_reason

    shown = list(findings)
    reasons: dict[Finding, str] = {}
    if out.include_suppressed and out.format == "sarif" and suppressed:
        by_path = {
            path: scan_suppressions(path, sources[path]) for path in _paths(suppressed) if path in sources
        }
        for finding in suppressed:
            reason = suppression_reason(finding, by_path)
            if reason is not None:  # inline only: not what per-file ignores or a baseline drop
                reasons[finding] = reason
        shown = sorted([*shown, *reasons], key=Finding.sort_key)
    human = out.format in HUMAN_FORMATS
    ctx = ReportContext(
        root=root,
        sources=sources,
        color=human and out.output is None and use_color(out.no_color, sys.stdout),
        rules=rules,
        version=version,
        suppressed=reasons,
        sarif_category=out.sarif_category,
        show_source=out.show_source,
        quiet=out.quiet,
        severities=severities or {},
    )
    text = render(out.format, shown, ctx)
    statistics = render_statistics(findings, len(suppressed), stats, rules) if out.statistics else ""
    if human and statistics:
        text += ("\n" if text else "") + statistics
        statistics = ""
    if out.output is not None:
        out.output.write_text(text, encoding="utf-8")
    else:
        # click strips ANSI codes when stdout is not a terminal unless told: FORCE_COLOR must win.
        click.echo(text, nl=False, color=ctx.color)
    if statistics:
        click.echo(statistics, nl=False, err=True)
    return exit_code(findings, out.fail_level or fail_level, out.exit_zero)


def _paths(findings: Sequence[Finding]) -> list[str]:
    paths = dict.fromkeys(p for f in findings for p in (f.span.path, *(r.span.path for r in f.related)))
    return list(paths)
