"""Inline suppressions (``# schemalint: ignore[SL102]``) and the unused-suppression findings (SL003).

Syntax, in any ``#``, ``--`` or ``//`` comment (Python, SQL, TOML/YAML/shell, TypeScript):

* ``schemalint: ignore[SL102, enum-value-drift]`` — the rules named (codes, case-insensitive, or
  kebab names) on this line; on a comment-only line, on the next line instead (stacked
  comment-only suppressions all apply to the first line below them that is not one).
* ``schemalint: ignore`` without brackets — every rule on that line.
* ``schemalint: ignore-file[SL102]`` (also spelled ``file-ignore``) anywhere in the file — those
  rules in the whole file; without brackets, every rule.
* An optional reason follows: ``# schemalint: ignore[SL102] -- legacy data``. After a bare
  ``ignore`` it must start with `` -- `` or `` # `` (``ignore SL102`` is malformed, not "all").

A finding is suppressed when its primary span starts on a suppressed line, or when one of its
related locations does: a cross-file finding can then be silenced on either side (the model or
the migration), as conventions.md §2.5 recommends. File-level suppressions cover only the findings
whose primary location is in that file.

Unused suppressions, unknown rule names and malformed directives become SL003 findings. Those obey
suppressions that name SL003 explicitly (``# schemalint: ignore[SL105, SL003]`` keeps a deliberate
one quiet); a bare ``ignore`` never silences its own SL003.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from schemalint.facts import Span
from schemalint.findings import Finding, FindingData
from schemalint.rule import Rule

UNUSED_CODE = "SL003"
UNUSED_NAME = "unused-suppression"
UNUSED_HELP = "remove it, or fix the code it names"
MALFORMED_MESSAGE = (
    "malformed suppression: expected `schemalint: ignore[CODE, ...]` or `schemalint: ignore-file[...]`"
)

_MARKER = "schemalint:"
# Anything that looks like a directive (a comment introducer, then the marker)...
_DIRECTIVE = re.compile(r"(?:#|--|//)[ \t]*schemalint:")
# ...must parse in full, or it is reported as malformed.
_SUPPRESSION = re.compile(
    r"(?:#|--|//)[ \t]*schemalint:[ \t]*(?P<kind>ignore-file|file-ignore|ignore)"
    # With brackets the rules are explicit, so any trailing text is a reason ("-- legacy data",
    # or an example's "expect:" marker). Without them only " -- reason" / " # reason" may follow:
    # `ignore SL102` (brackets forgotten) must not silently become "every rule".
    r"(?:\[(?P<keys>[^\]]*)\](?P<tail>.*)|(?P<bare_tail>(?:[ \t]+(?:--|#).*)?[ \t]*)$)"
)
_REASON_PREFIX = re.compile(r"^[ \t]*(?:--|#|:)?[ \t]*")


@dataclass(frozen=True, slots=True)
class Suppression:
    """One ``schemalint: ignore…`` comment."""

    span: Span  # the comment, from its introducer to the end of the line
    keys: tuple[str, ...]  # codes or names as written; empty means every rule
    reason: str
    file_level: bool
    lines: tuple[int, ...]  # lines whose findings it covers (empty for file-level)

    @property
    def text(self) -> str:
        """The directive as written for ``keys`` (quoted in SL003 messages)."""
        kind = "ignore-file" if self.file_level else "ignore"
        return f"schemalint: {kind}[{', '.join(self.keys)}]" if self.keys else f"schemalint: {kind}"


@dataclass(frozen=True, slots=True)
class SuppressionFacts:
    """The suppressions of one file, and the directives that did not parse (reported as SL003)."""

    path: str
    suppressions: tuple[Suppression, ...] = ()
    malformed: tuple[Span, ...] = ()


def scan_suppressions(path: str, text: str) -> SuppressionFacts:
    """Find the suppression comments of one file (``path`` project-relative POSIX)."""
    if _MARKER not in text:  # the common case: one substring test, no line splitting
        return SuppressionFacts(path)
    parsed: list[tuple[int, re.Match[str], bool, int]] = []
    malformed: list[Span] = []
    for number, raw in enumerate(text.split("\n"), start=1):
        if _MARKER not in raw:
            continue
        line = raw.removesuffix("\r")
        directive = _DIRECTIVE.search(line)
        if directive is None:
            continue  # the word in code or prose, not a directive
        match = _SUPPRESSION.match(line, directive.start())
        if match is None or (match["keys"] is not None and not match["keys"].strip(" \t,")):
            # A typo (or `ignore[]`) must not silently disable the suppression, nor widen it to
            # every rule: it is reported instead.
            malformed.append(Span(path, number, directive.start() + 1, number, len(line) + 1))
            continue
        comment_only = line[: match.start()].strip() == ""
        parsed.append((number, match, comment_only, len(line)))
    comment_only_lines = {number for number, _, comment_only, _ in parsed if comment_only}
    suppressions = []
    for number, match, comment_only, length in parsed:
        keys = tuple(key.strip() for key in (match["keys"] or "").split(",") if key.strip())
        file_level = match["kind"] != "ignore"
        covered: tuple[int, ...] = ()
        if not file_level:
            covered = (number,)
            if comment_only:
                # A comment-only suppression covers the next line; stacked ones share that line.
                target = number + 1
                while target in comment_only_lines:
                    target += 1
                covered = (number, target)
        span = Span(path, number, match.start() + 1, number, length + 1)
        tail = match["tail"] if match["keys"] is not None else match["bare_tail"]
        reason = _REASON_PREFIX.sub("", tail or "").strip()
        suppressions.append(Suppression(span, keys, reason, file_level, covered))
    return SuppressionFacts(path, tuple(suppressions), tuple(malformed))


def _matches(key: str, finding: Finding) -> bool:
    return key.upper() == finding.code.upper() or key.lower() == finding.rule.lower()


def _covers(suppression: Suppression, finding: Finding) -> bool:
    """Whether the suppression's place covers the finding (ignoring which rules it names)."""
    if suppression.file_level:
        # Only the file's own findings: a file-level comment must not reach into other files
        # through every cross-file finding that merely points at it.
        return finding.span.path == suppression.span.path
    spans = (finding.span, *(related.span for related in finding.related))
    return any(span.path == suppression.span.path and span.line in suppression.lines for span in spans)


def _candidates(finding: Finding, by_path: Mapping[str, SuppressionFacts]) -> list[Suppression]:
    paths = dict.fromkeys([finding.span.path, *(related.span.path for related in finding.related)])
    return [s for path in paths if path in by_path for s in by_path[path].suppressions]


def apply_suppressions(
    findings: Iterable[Finding],
    suppressions_by_path: Mapping[str, SuppressionFacts],
    known_rules: Iterable[type[Rule]],
    report_unused: bool = False,
    *,
    selected_codes: Iterable[str] | None = None,
) -> tuple[list[Finding], list[Finding], list[Finding]]:
    """Split findings into (kept, suppressed) and build the SL003 findings.

    ``report_unused`` is whether SL003 is among the selected rules. A key is reported as unused
    only when its rule ran (``selected_codes``; None means every known rule ran): a suppression for
    a rule switched off in this run is not wrong. Keys naming no known rule are always reported
    (when SL003 is selected), as are SL003 findings' own suppressions.
    """
    findings = list(findings)
    rules = list(known_rules)
    codes = {rule.code.upper(): rule for rule in rules}
    names = {rule.name(): rule for rule in rules}
    # SL003 is produced here, and extractor diagnostics (SL001...) may have no rule class: both
    # are known codes even when no rule class declares them.
    known_codes = set(codes) | {UNUSED_CODE} | {f.code.upper() for f in findings}
    known_names = set(names) | {UNUSED_NAME} | {f.rule.lower() for f in findings}
    ran = {code.upper() for code in selected_codes} if selected_codes is not None else None

    kept: list[Finding] = []
    suppressed: list[Finding] = []
    used: set[tuple[str, int, str]] = set()  # (path, suppression line, key or "*")
    for finding in findings:
        hit = False
        for suppression in _candidates(finding, suppressions_by_path):
            if not _covers(suppression, finding):
                continue
            keys = [key for key in suppression.keys if _matches(key, finding)] or (
                [] if suppression.keys else ["*"]
            )
            for key in keys:
                used.add((suppression.span.path, suppression.span.line, key))
                hit = True
        (suppressed if hit else kept).append(finding)

    if not report_unused:
        return kept, suppressed, []

    unused: list[Finding] = []
    for path in sorted(suppressions_by_path):
        for span in suppressions_by_path[path].malformed:
            unused.append(_unused_finding(span, MALFORMED_MESSAGE, ()))
        for suppression in suppressions_by_path[path].suppressions:
            stale: list[str] = []
            for key in suppression.keys or ("*",):
                if (path, suppression.span.line, key) in used:
                    continue
                if key != "*" and key.upper() not in known_codes and key.lower() not in known_names:
                    unused.append(_unused(suppression, f"suppression names unknown rule `{key}`"))
                elif key == "*" or ran is None or _key_ran(key, codes, names, ran):
                    stale.append(key)
            if stale:
                shown = suppression.text if stale == ["*"] else _with_keys(suppression, stale).text
                unused.append(_unused(suppression, f"suppression `{shown}` matched no finding"))
    # SL003 findings obey suppressions too (`# schemalint: ignore[SL003]` on the same line).
    unused = [f for f in unused if not _suppressed_by_own_line(f, suppressions_by_path)]
    return kept, suppressed, unused


def suppression_reason(finding: Finding, suppressions_by_path: Mapping[str, SuppressionFacts]) -> str | None:
    """The reasons of the inline suppressions that silence ``finding``, ``"; "``-joined (``""`` when
    none gives one); None when no inline suppression does (it was dropped some other way)."""
    matching = [
        suppression
        for suppression in _candidates(finding, suppressions_by_path)
        if _covers(suppression, finding)
        and (not suppression.keys or any(_matches(key, finding) for key in suppression.keys))
    ]
    if not matching:
        return None
    return "; ".join(dict.fromkeys(s.reason for s in matching if s.reason))


def _key_ran(
    key: str, codes: Mapping[str, type[Rule]], names: Mapping[str, type[Rule]], ran: set[str]
) -> bool:
    rule = codes.get(key.upper()) or names.get(key.lower())
    code = rule.code.upper() if rule else key.upper()
    return code in ran or code == UNUSED_CODE


def _with_keys(suppression: Suppression, keys: Sequence[str]) -> Suppression:
    return Suppression(
        suppression.span, tuple(keys), suppression.reason, suppression.file_level, suppression.lines
    )


def _unused(suppression: Suppression, message: str) -> Finding:
    return _unused_finding(suppression.span, message, suppression.keys)


def _unused_finding(span: Span, message: str, keys: tuple[str, ...]) -> Finding:
    return Finding(
        code=UNUSED_CODE,
        rule=UNUSED_NAME,
        severity="warning",
        message=message,
        span=span,
        help=UNUSED_HELP,
        data=FindingData(values=keys or None),
    )


def _suppressed_by_own_line(finding: Finding, by_path: Mapping[str, SuppressionFacts]) -> bool:
    facts = by_path.get(finding.span.path)
    if facts is None:
        return False
    return any(
        _covers(s, finding) and any(_matches(key, finding) for key in s.keys) for s in facts.suppressions
    )
