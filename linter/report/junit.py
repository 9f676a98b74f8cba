"""JUnit XML for CI test-report views (GitLab ``artifacts:reports:junit``, Jenkins, Azure): one testcase per rule.

A rule that ran and reported nothing is a passing testcase; a rule with findings is a failing one
whose ``failure`` lists them, one ``path:line:column: message`` line each. Findings of codes no
rule class declares (extractor diagnostics such as SL001) get a testcase of their own. There are
no timing attributes: the report is deterministic, like every schemalint output.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence

from schemalint.findings import SEVERITY_ORDER, Finding
from schemalint.report import ReportContext, register

SUITE = "schemalint"
# Characters XML 1.0 cannot carry, even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@register("junit")
def render_junit(findings: Sequence[Finding], ctx: ReportContext) -> str:
    """A ``testsuites`` document with one ``testsuite`` named schemalint."""
    names = {rule.code: rule.name() for rule in ctx.rules}
    by_code: dict[str, list[Finding]] = {code: [] for code in names}
    for finding in findings:
        by_code.setdefault(finding.code, []).append(finding)
        names.setdefault(finding.code, finding.rule)
    failures = sum(1 for found in by_code.values() if found)
    counts = {"tests": str(len(by_code)), "failures": str(failures), "errors": "0", "skipped": "0"}
    root = ET.Element("testsuites", {"name": SUITE, **counts})
    suite = ET.SubElement(root, "testsuite", {"name": SUITE, **counts})
    for code in sorted(by_code):
        case = ET.SubElement(suite, "testcase", {"classname": SUITE, "name": f"{code} {names[code]}"})
        found = by_code[code]
        if found:
            worst = max(found, key=lambda f: SEVERITY_ORDER[f.severity]).severity
            failure = ET.SubElement(
                case, "failure", {"type": worst, "message": _xml(_count(len(found)) + f" of {code}")}
            )
            failure.text = _xml("\n".join(_line(finding) for finding in found))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _count(n: int) -> str:
    return "1 finding" if n == 1 else f"{n} findings"


def _line(finding: Finding) -> str:
    span = finding.span
    return f"{span.path}:{span.line}:{span.column}: {finding.severity}: {finding.message}"


def _xml(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)
