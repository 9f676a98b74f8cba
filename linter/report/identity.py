"""Stable finding identities: what a finding is about, not where it is, so edits that shift lines keep it.

The identity hashes the rule code, the file, the message and the machine-readable subject
(table, column, enum type, values): none of them holds a line or column number. Findings that
would still collide (the same unparsed statement twice in one file) are told apart by their
order in the file, as GitHub's line hash does (``:2`` for the second).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence

from schemalint.findings import Finding


def identity_key(finding: Finding) -> str:
    """The text hashed for ``finding``: rule, path, message and subject, without positions."""
    subject = json.dumps(finding.data.as_dict(), sort_keys=True, ensure_ascii=False)
    return "\0".join((finding.code, finding.span.path, finding.message, subject))


def stable_ids(findings: Sequence[Finding]) -> list[str]:
    """One id per finding, in order: a SHA-256 hex digest, unique within ``findings``.

    The n-th finding (in the order given, which is position order) with the same key gets the
    key's digest with ``:n`` hashed in from the second one on, so ids are unique and the first
    occurrence keeps the bare digest.
    """
    seen: dict[str, int] = {}
    ids = []
    for finding in findings:
        key = identity_key(finding)
        seen[key] = seen.get(key, 0) + 1
        if seen[key] > 1:
            key += f"\0{seen[key]}"
        ids.append(hashlib.sha256(key.encode("utf-8")).hexdigest())
    return ids
