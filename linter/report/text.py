"""Human-readable output: ``text`` (header, source excerpt, help, related) and ``concise`` (one line each).

``--show-source`` / ``--no-show-source`` override each format's default (text shows the
excerpt, concise does not); ``--quiet`` drops the summary line.
"""

from __future__ import annotations

from collections.abc import Sequence

from schemalint.facts import Severity, Span
from schemalint.findings import Finding
from schemalint.report import ReportContext, register

TAB_SIZE = 4

_RESET = "\x1b[0m"
_SEVERITY_STYLE: dict[Severity, str] = {
    "error": "\x1b[1;31m",  # bold red
    "warning": "\x1b[1;33m",  # bold yellow
    "info": "\x1b[1;34m",  # bold blue
}


@register("text")
def render_text(findings: Sequence[Finding], ctx: ReportContext) -> str:
    """Findings in the order given, a blank line apart, then a one-line summary."""
    source = ctx.show_source is not False
    blocks = ["\n".join(_finding_lines(finding, ctx, source=source)) for finding in findings]
    if not ctx.quiet:
        blocks.append(summary_line(findings))
    return "\n\n".join(blocks) + "\n" if blocks else ""


@register("concise")
def render_concise(findings: Sequence[Finding], ctx: ReportContext) -> str:
    """One ``path:line:column: CODE [rule] message`` line per finding (plus the excerpt if asked)."""
    lines: list[str] = []
    for finding in findings:
        lines.append(_header(finding, ctx))
        if ctx.show_source:
            lines += _snippet(finding.span, ctx)
    if not ctx.quiet:
        if findings:
            lines.append("")
        lines.append(summary_line(findings))
    return "".join(line + "\n" for line in lines)


def summary_line(findings: Sequence[Finding]) -> str:
    """``Found 3 findings (1 error, 2 warnings, 0 infos).`` or ``No findings.``"""
    if not findings:
        return "No findings."
    counts = {severity: 0 for severity in _SEVERITY_STYLE}
    for finding in findings:
        counts[finding.severity] += 1
    parts = ", ".join(_plural(counts[severity], severity) for severity in _SEVERITY_STYLE)
    return f"Found {_plural(len(findings), 'finding')} ({parts})."


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _header(finding: Finding, ctx: ReportContext) -> str:
    code = finding.code
    if ctx.color:
        code = f"{_SEVERITY_STYLE[finding.severity]}{code}{_RESET}"
    return f"{_position(finding.span)}: {code} [{finding.rule}] {finding.message}"


def _finding_lines(finding: Finding, ctx: ReportContext, *, source: bool) -> list[str]:
    lines = [_header(finding, ctx)]
    if source:
        lines += _snippet(finding.span, ctx)
    if finding.help:
        lines.append(f"  help: {finding.help}")
    lines += [f"  = related: {_position(related.span)}: {related.message}" for related in finding.related]
    return lines


def _position(span: Span) -> str:
    return f"{span.path}:{span.line}:{span.column}"


def _snippet(span: Span, ctx: ReportContext) -> list[str]:
    """The span's first source line and a caret line under the span (nothing for file-level spans)."""
    if span == Span.file(span.path):
        return []
    source = ctx.source_line(span.path, span.line)
    if source is None:
        return []
    # Expand tabs on the prefix and the span separately so the carets land under the same
    # characters the terminal shows; columns count characters, so non-ASCII text aligns too.
    start = span.column - 1
    end = span.end_column - 1 if span.end_line == span.line else len(source)
    shown = source.expandtabs(TAB_SIZE)
    caret_start = len(source[:start].expandtabs(TAB_SIZE)) + max(0, start - len(source))
    caret_end = len(source[:end].expandtabs(TAB_SIZE)) + max(0, end - len(source))
    width = max(1, caret_end - caret_start)
    gutter = str(span.line)
    return [
        f"  {gutter} | {shown}".rstrip(),
        f"  {' ' * len(gutter)} | {' ' * caret_start}{'^' * width}",
    ]
