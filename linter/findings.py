"""Findings: what rules report, as immutable values handed to suppressions and reporters."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from schemalint.facts import Severity, Span

SEVERITY_ORDER: dict[str, int] = {"info": 0, "warning": 1, "error": 2}


def reaches_fail_level(findings: Iterable[Finding], fail_level: Severity) -> bool:
    """Whether any finding is at ``fail_level`` or above (error > warning > info)."""
    threshold = SEVERITY_ORDER[fail_level]
    return any(SEVERITY_ORDER[f.severity] >= threshold for f in findings)


@dataclass(frozen=True, slots=True)
class Related:
    """The other side of a cross-file finding (a migration line, an enum definition)."""

    span: Span
    message: str


@dataclass(frozen=True, slots=True)
class FindingData:
    """Machine-readable subject of a finding; only the fields that apply are set."""

    table: str | None = None
    column: str | None = None
    enum_type: str | None = None
    missing: tuple[str, ...] | None = None  # values the model writes that the database rejects
    extra: tuple[str, ...] | None = None  # values the database accepts that the model never writes
    values: tuple[str, ...] | None = None  # other values involved (defaults, persisted strings)
    rule_data: tuple[tuple[str, str], ...] = ()  # rule-specific extras (e.g. ("statement", "ALTER ..."))

    def as_dict(self) -> dict[str, object]:
        out: dict[str, object] = {}
        for key in ("table", "column", "enum_type", "missing", "extra", "values"):
            value = getattr(self, key)
            if value is not None:
                out[key] = list(value) if isinstance(value, tuple) else value
        for key, text in self.rule_data:
            out[key] = text
        return out


@dataclass(frozen=True, slots=True)
class TextEdit:
    """Replace the text of ``span`` (end exclusive; empty for an insertion) with ``replacement``."""

    span: Span
    replacement: str


@dataclass(frozen=True, slots=True)
class Fix:
    """A suggested change as text edits on the sources, never regenerated code (formatting survives).

    Edits may touch several files; they must not overlap. ``description`` says what the fix does
    ("create the column as NOT NULL").
    """

    description: str
    edits: tuple[TextEdit, ...]


@dataclass(frozen=True, slots=True)
class Finding:
    code: str
    rule: str  # kebab-case name
    severity: Severity
    message: str
    span: Span
    help: str = ""
    related: tuple[Related, ...] = ()
    data: FindingData = field(default_factory=FindingData)
    fix: Fix | None = None

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.span.path, self.span.line, self.span.column, self.code, self.message)
