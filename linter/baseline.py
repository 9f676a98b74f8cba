"""Baselines: record today's findings (``--write-baseline``) so later runs report only new ones.

A finding's identity must survive edits that only move it. It is the rule, the file and what
the finding is about (``FindingData``: table, column, enum type, the missing / extra values and
rule-specific data), never a line or column number, nor the message (whose wording may improve
between versions). A finding without data is identified by its source line, with whitespace
collapsed, so inserting lines above it keeps it baselined while editing the line itself does not.

Identical identities are counted: with two baselined, a third occurrence is reported.

The file is JSON, sorted, with ``\\n`` line endings, so it diffs well in review::

    {"version": 1, "tool": "schemalint", "findings": [
      {"code": "SL101", "rule": "enum-value-drift", "path": "app/models.py",
       "subject": {"table": "users", "column": "role", "missing": ["ADMIN"]},
       "count": 1, "message": "..."}]}
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from schemalint.findings import Finding

BASELINE_VERSION = 1


class BaselineError(Exception):
    """A baseline file that cannot be read or has the wrong shape; the message names the file."""


Identity = tuple[str, str, str]  # (code, path, canonical JSON of the subject or the line)


def normalised_line(sources: Mapping[str, str], path: str, line: int) -> str:
    """The text of ``line`` in ``path`` with runs of whitespace collapsed ("" when unknown)."""
    text = sources.get(path)
    if text is None:
        return ""
    lines = text.split("\n")
    return " ".join(lines[line - 1].split()) if 0 < line <= len(lines) else ""


def _subject(finding: Finding, sources: Mapping[str, str]) -> dict[str, Any]:
    data = finding.data.as_dict()
    if data:
        return {"subject": data}
    return {"line": normalised_line(sources, finding.span.path, finding.span.line)}


def identity(finding: Finding, sources: Mapping[str, str]) -> Identity:
    """What makes two findings in two runs the same finding (see the module docstring)."""
    about = json.dumps(_subject(finding, sources), sort_keys=True, ensure_ascii=False)
    return (finding.code, finding.span.path, about)


@dataclass(frozen=True, slots=True)
class Baseline:
    """The identities recorded in a baseline file, with how often each occurred."""

    counts: Mapping[Identity, int]

    def split(
        self, findings: Iterable[Finding], sources: Mapping[str, str]
    ) -> tuple[list[Finding], list[Finding], int]:
        """(new findings, baselined findings, number of recorded findings no longer reported)."""
        left = Counter(self.counts)
        new: list[Finding] = []
        known: list[Finding] = []
        for finding in sorted(findings, key=Finding.sort_key):
            key = identity(finding, sources)
            if left[key] > 0:
                left[key] -= 1
                known.append(finding)
            else:
                new.append(finding)
        return new, known, sum(left.values())


def baseline_document(findings: Sequence[Finding], sources: Mapping[str, str]) -> dict[str, Any]:
    """The JSON document recording ``findings``: entries sorted by path, code and subject."""
    counts: Counter[Identity] = Counter()
    entries: dict[Identity, dict[str, Any]] = {}
    for finding in sorted(findings, key=Finding.sort_key):
        key = identity(finding, sources)
        counts[key] += 1
        if key not in entries:
            entries[key] = {
                "code": finding.code,
                "rule": finding.rule,
                "path": finding.span.path,
                **_subject(finding, sources),
                # For the reader of the file only; matching never looks at it.
                "message": finding.message,
            }
    records = [{**entries[key], "count": counts[key]} for key in sorted(entries)]
    return {"version": BASELINE_VERSION, "tool": "schemalint", "findings": records}


def write_baseline(path: Path, findings: Sequence[Finding], sources: Mapping[str, str]) -> int:
    """Write the baseline of ``findings`` to ``path``; returns how many findings it records."""
    document = baseline_document(findings, sources)
    text = json.dumps(document, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))
    return len(findings)


def read_baseline(path: Path) -> Baseline:
    """The baseline recorded in ``path``. Raises ``BaselineError`` naming the file and the problem."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BaselineError(
            f"{path}: baseline file not found (create it with `schemalint --write-baseline {path.name}`)"
        ) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BaselineError(f"{path}: cannot read the baseline: {error}") from None
    if not isinstance(document, dict) or document.get("version") != BASELINE_VERSION:
        found = document.get("version") if isinstance(document, dict) else None
        raise BaselineError(f"{path}: unsupported baseline version {found!r} (expected {BASELINE_VERSION})")
    records = document.get("findings")
    if not isinstance(records, list):
        raise BaselineError(f"{path}: `findings` must be a list")
    counts: Counter[Identity] = Counter()
    for n, record in enumerate(records):
        try:
            about = {k: record[k] for k in ("subject", "line") if k in record}
            if len(about) != 1:
                raise KeyError("subject")
            key = (
                str(record["code"]),
                str(record["path"]),
                json.dumps(about, sort_keys=True, ensure_ascii=False),
            )
            count = int(record.get("count", 1))
        except (KeyError, TypeError, ValueError) as error:
            raise BaselineError(f"{path}: `findings[{n}]` is malformed (missing or bad {error})") from None
        counts[key] += count
    return Baseline(dict(counts))
