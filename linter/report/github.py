"""GitHub Actions workflow commands: ``::error file=...,line=...::message`` annotations, one per finding.

Escaping follows ``@actions/core`` (``toolkit/packages/core/src/command.ts``): in the message
``%``, ``\\r`` and ``\\n`` are percent-encoded; in property values ``:`` and ``,`` are too, since
they delimit the command. Positions are 1-based characters (the runner's annotation columns), end
column exclusive like everywhere in schemalint. GitHub shows at most 10 error and 10 warning
annotations per step; the rest stay in the log.
"""

from __future__ import annotations

from collections.abc import Sequence

from schemalint.facts import Severity, Span
from schemalint.findings import Finding
from schemalint.report import ReportContext, register

COMMANDS: dict[Severity, str] = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    """The message part of a workflow command."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A ``key=value`` property of a workflow command."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


@register("github")
def render_github(findings: Sequence[Finding], ctx: ReportContext) -> str:
    """One workflow command per finding; nothing at all for a clean run."""
    return "".join(annotation(finding) + "\n" for finding in findings)


def annotation(finding: Finding) -> str:
    """``::error file=...,line=...,endLine=...,col=...,endColumn=...,title=CODE rule::message``."""
    span = finding.span
    properties = [("file", span.path), ("line", str(span.line)), ("endLine", str(span.end_line))]
    if span != Span.file(span.path):  # a file-level finding marks line 1, no columns
        properties += [("col", str(span.column)), ("endColumn", str(span.end_column))]
    properties.append(("title", f"{finding.code} {finding.rule}"))
    props = ",".join(f"{key}={escape_property(value)}" for key, value in properties)
    return f"::{COMMANDS[finding.severity]} {props}::{escape_data(_message(finding))}"


def _message(finding: Finding) -> str:
    """The message, then the help and the related locations on lines of their own."""
    lines = [finding.message]
    if finding.help:
        lines.append(f"help: {finding.help}")
    lines += [f"related: {r.span.path}:{r.span.line}:{r.span.column}: {r.message}" for r in finding.related]
    return "\n".join(lines)
