"""Reporters: findings out as text, JSON and SARIF, chosen by name from a self-filled registry."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from schemalint.findings import Finding
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
    # Split source lines, filled on first use; the dict is mutated, the (frozen) field never rebound.
    _lines: dict[str, list[str]] = field(default_factory=dict, init=False, repr=False, compare=False)

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
from schemalint.report import json, sarif, text  # noqa: E402

__all__ = ["REPORTERS", "ReportContext", "Reporter", "json", "register", "render", "sarif", "text"]
