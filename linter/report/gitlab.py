"""GitLab Code Quality report: a JSON array of Code Climate issues, for ``artifacts:reports:codequality``.

GitLab reads ``description``, ``check_name``, ``fingerprint``, ``severity`` and ``location.path``
with ``location.lines.begin`` (docs: ci/testing/code_quality.md, "Code Quality report format").
The fingerprint must be unique per issue and stable between pipelines, since GitLab compares the
base and head reports by fingerprint to list new and fixed issues: it is schemalint's line-free
identity (identity.py), so a finding survives edits that only move it.

Severity (GitLab knows ``info``, ``minor``, ``major``, ``critical``, ``blocker``): an error is a
write the database rejects or a migration that fails, ``critical``; a warning is drift that
breaks nothing yet, ``major``; an info is a coverage note, ``info``. ``blocker`` is not used.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from schemalint.facts import Severity
from schemalint.findings import Finding
from schemalint.report import ReportContext, register
from schemalint.report.identity import stable_ids

SEVERITIES: dict[Severity, str] = {"error": "critical", "warning": "major", "info": "info"}


@register("gitlab")
def render_gitlab(findings: Sequence[Finding], ctx: ReportContext) -> str:
    """The findings in order as Code Quality issues; ``[]`` for a clean run."""
    issues = [
        _issue(finding, fingerprint)
        for finding, fingerprint in zip(findings, stable_ids(findings), strict=True)
    ]
    return json.dumps(issues, indent=2, ensure_ascii=False) + "\n"


def _issue(finding: Finding, fingerprint: str) -> dict[str, object]:
    return {
        "type": "issue",
        "check_name": f"{finding.code} {finding.rule}",
        "description": f"{finding.code} {finding.message}",
        "categories": ["Bug Risk"],
        "severity": SEVERITIES[finding.severity],
        "fingerprint": fingerprint,
        "location": {
            "path": finding.span.path,
            "lines": {"begin": finding.span.line, "end": finding.span.end_line},
        },
    }
