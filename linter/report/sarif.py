"""SARIF 2.1.0 output for GitHub code scanning: one run, the fired rules, results with related locations.

Field choices follow /work/shared/research/conventions.md §1: relative URIs under ``%SRCROOT%``
with no absolute path anywhere, all four region numbers in UTF-16 code units, links to related
locations embedded in the message (GitHub only annotates ``locations[0]``), GitHub's own
``primaryLocationLineHash`` (see fingerprints.py) next to schemalint's line-free identity, and
``fixes`` for findings that carry a fix. ``automationDetails`` is written only for
``--sarif-category``: upload-sarif's ``category`` input applies only to runs without one.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from urllib.parse import quote

from schemalint.docs import rule_doc_sections
from schemalint.facts import Severity, Span
from schemalint.findings import Finding, Fix
from schemalint.report import ReportContext, register
from schemalint.report.identity import stable_ids
from schemalint.rule import Rule

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/schemalint/schemalint"
HELP_URI = "https://github.com/schemalint/schemalint/blob/main/docs/rules/{name}.md"
SRCROOT = "%SRCROOT%"
IDENTITY_KEY = "schemalintFinding/v1"  # a versioned key (spec §3.27.17); GitHub reads only the line hash

LEVELS: dict[Severity, str] = {"error": "error", "warning": "warning", "info": "note"}
# GitHub's recommended properties.problem.severity for non-security rules.
PROBLEM_SEVERITIES: dict[Severity, str] = {"error": "error", "warning": "warning", "info": "recommendation"}
MAX_DESCRIPTION = 1024  # GitHub rejects longer shortDescription / fullDescription texts
MAX_TAGS = 10  # GitHub shows at most 10 tags per rule

_LINK_TEXT_SPECIAL = re.compile(r"([\\\[\]])")
_SOFT_BREAK = re.compile(r"(?<=\S)\n(?=\S)")


@register("sarif")
def render_sarif(findings: Sequence[Finding], ctx: ReportContext) -> str:
    """A SARIF log with one run.

    Findings in ``ctx.suppressed`` (only there with ``--include-suppressed``) carry an in-source
    suppression. GitHub ingests those as open alerts nonetheless (codeql-action#1230), which is
    why they are left out by default.
    """
    descriptors, index_by_code = _rule_descriptors(findings, ctx.rules, ctx.severities)
    driver: dict[str, object] = {"name": "schemalint"}
    if ctx.version:
        driver["version"] = ctx.version
        driver["semanticVersion"] = ctx.version  # preferred by GitHub when present
    driver["informationUri"] = INFORMATION_URI
    driver["rules"] = descriptors
    run: dict[str, object] = {"tool": {"driver": driver}}
    if ctx.sarif_category is not None:
        run["automationDetails"] = {"id": automation_id(ctx.sarif_category)}
    ids = stable_ids(findings)
    run |= {
        # Spec §3.14.14 lets a base id carry no uri, so no absolute path of the machine leaks out.
        "originalUriBaseIds": {SRCROOT: {"description": {"text": "The root of the analysed project."}}},
        "columnKind": "utf16CodeUnits",
        "results": [
            _result(finding, index_by_code[finding.code], identity, ctx)
            for finding, identity in zip(findings, ids, strict=True)
        ],
    }
    log = {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


def automation_id(category: str) -> str:
    """``automationDetails.id`` for a category: everything before the last ``/`` is the category
    (a bare ``name`` would be a run id in an empty category), so ``name`` becomes ``name/``."""
    return category if "/" in category else category + "/"


def _rule_descriptors(
    findings: Sequence[Finding], rules: Sequence[type[Rule]], severities: Mapping[str, Severity]
) -> tuple[list[dict[str, object]], dict[str, int]]:
    """reportingDescriptors of the rules that fired, sorted by code, and each code's index."""
    rule_by_code = {rule.code: rule for rule in rules}
    first_by_code: dict[str, Finding] = {}
    for finding in findings:
        first_by_code.setdefault(finding.code, finding)
    descriptors = []
    index_by_code = {}
    for index, code in enumerate(sorted(first_by_code)):
        rule = rule_by_code.get(code)
        finding = first_by_code[code]
        descriptors.append(
            _descriptor(rule, severities.get(rule.code, rule.severity))
            if rule
            else _fallback_descriptor(finding)
        )
        index_by_code[code] = index
    return descriptors, index_by_code


def _descriptor(rule: type[Rule], severity: Severity) -> dict[str, object]:
    """A reportingDescriptor; its default level is the severity this project configured."""
    sections = rule_doc_sections(rule)
    summary = rule.summary() or rule.name()
    what = dict(sections).get("What it does", summary)
    return {
        "id": rule.code,
        "name": rule.name(),
        "shortDescription": {"text": _truncate(summary)},
        "fullDescription": {"text": _truncate(_unwrap(what))},
        "help": {
            "text": "\n\n".join(f"{heading}\n\n{body}" for heading, body in sections) or summary,
            "markdown": "\n\n".join(f"## {heading}\n\n{body}" for heading, body in sections) or summary,
        },
        "helpUri": HELP_URI.format(name=rule.name()),
        "defaultConfiguration": {"level": LEVELS[severity]},
        "properties": {
            "tags": list(rule.tags[:MAX_TAGS]),
            "problem.severity": PROBLEM_SEVERITIES[severity],
        },
    }


def _fallback_descriptor(finding: Finding) -> dict[str, object]:
    """For a code with no rule class in the run (e.g. an extractor diagnostic): what the finding knows."""
    return {
        "id": finding.code,
        "name": finding.rule,
        "shortDescription": {"text": finding.rule},
        "fullDescription": {"text": finding.rule},
        "help": {"text": finding.rule},
        "helpUri": HELP_URI.format(name=finding.rule),
        "defaultConfiguration": {"level": LEVELS[finding.severity]},
    }


def _unwrap(text: str) -> str:
    """Join the docstring's hard-wrapped lines: GitHub shows fullDescription as flowing text."""
    return _SOFT_BREAK.sub(" ", text)


def _truncate(text: str) -> str:
    return text if len(text) <= MAX_DESCRIPTION else text[: MAX_DESCRIPTION - 1] + "…"


def _result(finding: Finding, rule_index: int, identity: str, ctx: ReportContext) -> dict[str, object]:
    result: dict[str, object] = {
        "ruleId": finding.code,
        "ruleIndex": rule_index,
        "level": LEVELS[finding.severity],
        "message": {"text": result_message(finding)},
        "locations": [{"physicalLocation": _physical_location(finding.span, ctx)}],
    }
    if finding.related:
        result["relatedLocations"] = [
            {
                "id": number,
                "physicalLocation": _physical_location(related.span, ctx),
                "message": {"text": related.message},
            }
            for number, related in enumerate(finding.related, start=1)
        ]
    fingerprints = {IDENTITY_KEY: identity}
    line_hash = ctx.line_hash(finding.span.path, finding.span.line)
    if line_hash is not None:
        # The same value upload-sarif computes from the checked-out file; without the source
        # it is left to upload-sarif (a wrong value would be kept there, with a warning).
        fingerprints = {"primaryLocationLineHash": line_hash, **fingerprints}
    result["partialFingerprints"] = fingerprints
    if finding.fix is not None:
        result["fixes"] = [_fix(finding.fix, ctx)]
    if finding in ctx.suppressed:
        suppression: dict[str, object] = {"kind": "inSource"}
        if ctx.suppressed[finding]:
            suppression["justification"] = ctx.suppressed[finding]
        result["suppressions"] = [suppression]
    return result


def _fix(fix: Fix, ctx: ReportContext) -> dict[str, object]:
    """A SARIF fix: the edits grouped by file (first-edit order), each a deleted region plus text."""
    by_path: dict[str, list[dict[str, object]]] = {}
    for edit in fix.edits:
        region = _physical_location(edit.span, ctx)["region"]
        by_path.setdefault(edit.span.path, []).append(
            {"deletedRegion": region, "insertedContent": {"text": edit.replacement}}
        )
    return {
        "description": {"text": fix.description},
        "artifactChanges": [
            {"artifactLocation": _artifact_location(path), "replacements": replacements}
            for path, replacements in by_path.items()
        ],
    }


def result_message(finding: Finding) -> str:
    """The message, plus ``See [text](1) and [text](2).`` so GitHub links the related locations."""
    text = finding.message.rstrip()
    if not finding.related:
        return text
    if not text.endswith((".", "!", "?")):
        text += "."
    links = [
        f"[{_link_text(related.message or _position(related.span))}]({number})"
        for number, related in enumerate(finding.related, start=1)
    ]
    joined = links[0] if len(links) == 1 else ", ".join(links[:-1]) + " and " + links[-1]
    return f"{text} See {joined}."


def _link_text(text: str) -> str:
    # Spec §3.11.6: "\", "[" and "]" in link text are escaped with a backslash.
    return _LINK_TEXT_SPECIAL.sub(r"\\\1", text)


def _position(span: Span) -> str:
    return f"{span.path}:{span.line}"


def _artifact_location(path: str) -> dict[str, object]:
    return {"uri": quote(path, safe="/"), "uriBaseId": SRCROOT}


def _physical_location(span: Span, ctx: ReportContext) -> dict[str, object]:
    return {
        "artifactLocation": _artifact_location(span.path),
        "region": {
            "startLine": span.line,
            "startColumn": utf16_column(ctx.source_line(span.path, span.line), span.column),
            "endLine": span.end_line,
            "endColumn": utf16_column(ctx.source_line(span.path, span.end_line), span.end_column),
        },
    }


def utf16_column(line_text: str | None, column: int) -> int:
    """A 1-based character column converted to UTF-16 code units (outside the BMP counts twice).

    Without the source line the character column is returned: identical for BMP-only text.
    Columns past the end of the line (an end column after the last character) count one each.
    """
    if line_text is None:
        return column
    prefix = line_text[: column - 1]
    beyond = max(0, column - 1 - len(line_text))
    return len(prefix.encode("utf-16-le")) // 2 + beyond + 1
