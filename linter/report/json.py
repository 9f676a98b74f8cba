"""Machine-readable output: a JSON array of findings, with the schema documented in docs/json-output.md."""

from __future__ import annotations

import json
from collections.abc import Sequence

from schemalint.facts import Span
from schemalint.findings import Finding
from schemalint.report import ReportContext, register


@register("json")
def render_json(findings: Sequence[Finding], ctx: ReportContext) -> str:
    """The findings in the order given; keys always present and in a fixed order."""
    return json.dumps([finding_to_json(f) for f in findings], indent=2, ensure_ascii=False) + "\n"


def finding_to_json(finding: Finding) -> dict[str, object]:
    """One finding as a JSON object (positions 1-based, in characters, end exclusive)."""
    return {
        "code": finding.code,
        "rule": finding.rule,
        "severity": finding.severity,
        "message": finding.message,
        "help": finding.help,
        **_span(finding.span),
        "related": [{**_span(r.span), "message": r.message} for r in finding.related],
        "data": finding.data.as_dict(),
    }


def _span(span: Span) -> dict[str, object]:
    return {
        "path": span.path,
        "line": span.line,
        "column": span.column,
        "end_line": span.end_line,
        "end_column": span.end_column,
    }
