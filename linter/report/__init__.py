"""Reporters: findings out as text, concise, JSON, SARIF, GitHub, GitLab and JUnit, by name from a self-filled registry."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from schemalint.facts import Severity
from schemalint.findings import Finding
from schemalint.report.fingerprints import line_hashes
from schemalint.rule import Rule

Reporter = Callable[[Sequence[Finding], "ReportContext"], str]

REPORTERS: dict[str, Reporter] = {}


@dataclass(frozen=True)
class ReportContext:
    """Everything a reporter may need besides the findings; reporters never read files themselves."""

    root: Path  # project root; finding paths are already relative to it, in POSIX form
    sources: Mapping[str, str] = field(default_factory=dict)  # file text by relative path
    color: bool = False
    rules: Sequence[type[Rule]] = ()  # the rules that ran (SARIF lists those that fired)
    version: str = ""
    # Inline-suppressed findings the user asked to see (``--include-suppressed``), each with the
    # suppression's reason; they are also in the findings handed to the reporter. SARIF marks
    # them with ``suppressions``; the other formats do not receive any.
    suppressed: Mapping[Finding, str] = field(default_factory=dict)
    sarif_category: str | None = None  # SARIF ``automationDetails.id``; absent when None
    show_source: bool | None = None  # source excerpts; None means the format's default
    quiet: bool = False  # findings only: no summary line
    severities: Mapping[str, Severity] = field(default_factory=dict)  # configured `[severity]` by code
    # Split source lines, filled on first use; the dict is mutated, the (frozen) field never rebound.
    _lines: dict[str, list[str]] = field(default_factory=dict, init=False, repr=False, compare=False)
    _line_hashes: dict[str, list[str]] = field(default_factory=dict, init=False, repr=False, compare=False)

    def source_line(self, path: str, line: int) -> str | None:
        """Line ``line`` (1-based) of ``path`` without its line ending, or None when unknown."""
        lines = self._lines.get(path)
        if lines is None:
            text = self.sources.get(path)
            if text is None:
                return None
            # Split on "\n" only, as the extractors count lines; a CRLF file keeps no "\r".
            lines = [raw.removesuffix("\r") for raw in text.split("\n")]
            self._lines[path] = lines
        return lines[line - 1] if 1 <= line <= len(lines) else None

    def line_hash(self, path: str, line: int) -> str | None:
        """GitHub's ``primaryLocationLineHash`` of line ``line`` of ``path``, or None when unknown."""
        hashes = self._line_hashes.get(path)
        if hashes is None:
            text = self.sources.get(path)
            if text is None:
                return None
            hashes = self._line_hashes[path] = line_hashes(text)
        return hashes[line - 1] if 1 <= line <= len(hashes) else None


def register(name: str) -> Callable[[Reporter], Reporter]:
    """Class-free registration: ``@register("json")`` on a render function adds it to REPORTERS."""

    def decorate(reporter: Reporter) -> Reporter:
        if name in REPORTERS:
            raise RuntimeError(f"output format {name!r} registered twice")
        REPORTERS[name] = reporter
        return reporter

    return decorate


def render(format: str, findings: Sequence[Finding], ctx: ReportContext) -> str:
    """Render ``findings`` in the named output format; raises ValueError for an unknown format."""
    try:
        reporter = REPORTERS[format]
    except KeyError:
        known = ", ".join(sorted(REPORTERS))
        raise ValueError(f"unknown output format {format!r} (known: {known})") from None
    return reporter(findings, ctx)


# Imported last, for their side effect: each module's @register fills REPORTERS, and they import
# the names defined above from this (by then partially initialised) package.
from schemalint.report import github, gitlab, json, junit, sarif, text  # noqa: E402

__all__ = [
    "REPORTERS",
    "ReportContext",
    "Reporter",
    "github",
    "gitlab",
    "json",
    "junit",
    "register",
    "render",
    "sarif",
    "text",
]
