"""Adoption settings applied to findings after suppressions: severity overrides, per-file ignores, changed files."""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pathspec

from schemalint.config import LoadedConfig, per_file_ignores, severity_overrides
from schemalint.facts import Severity
from schemalint.findings import Finding


def override_severities(findings: Iterable[Finding], overrides: Mapping[str, Severity]) -> list[Finding]:
    """Findings with the severity ``[severity]`` gives their rule (code → severity)."""
    return [
        dataclasses.replace(f, severity=overrides[f.code])
        if f.code in overrides and overrides[f.code] != f.severity
        else f
        for f in findings
    ]


def drop_per_file_ignored(
    findings: Iterable[Finding],
    entries: Sequence[tuple[str, frozenset[str]]],
    root: Path,
    config_dir: Path | None,
) -> list[Finding]:
    """Findings whose primary location is not in a file a ``per-file-ignores`` pattern covers for their rule.

    Patterns are gitignore-style and relative to the settings file's directory (``config_dir``,
    else the project root), like ``exclude``; finding paths are relative to the project root.
    Only the primary location counts: a cross-file finding stays reported at the model when
    only the migrations are covered, as ruff's per-file-ignores do for the file reported.
    """
    if not entries:
        return list(findings)
    base = (config_dir or root).resolve()
    specs = [(pathspec.GitIgnoreSpec.from_lines([pattern]), codes) for pattern, codes in entries]
    kept: list[Finding] = []
    for finding in findings:
        try:
            rel = (root / finding.span.path).resolve().relative_to(base).as_posix()
        except ValueError:
            kept.append(finding)  # outside the settings file's directory: no pattern reaches it
            continue
        if not any(finding.code in codes and spec.match_file(rel) for spec, codes in specs):
            kept.append(finding)
    return kept


def only_in_files(findings: Iterable[Finding], rels: Collection[str]) -> list[Finding]:
    """Findings whose primary or one of whose related locations is in ``rels`` (project-relative POSIX)."""
    return [f for f in findings if f.span.path in rels or any(r.span.path in rels for r in f.related)]


def project_relative(paths: Iterable[Path], root: Path) -> tuple[set[str], list[Path]]:
    """``paths`` as project-relative POSIX paths, and those outside the project."""
    inside: set[str] = set()
    outside: list[Path] = []
    resolved_root = root.resolve()
    for path in paths:
        try:
            inside.add(path.resolve().relative_to(resolved_root).as_posix())
        except ValueError:
            outside.append(path)
    return inside, outside


@dataclass(frozen=True, slots=True)
class Adopted:
    """Findings after the adoption settings, and what they set aside."""

    findings: tuple[Finding, ...]
    baselined: tuple[Finding, ...] = ()
    notes: tuple[str, ...] = ()


def apply_project_settings(
    findings: Iterable[Finding],
    loaded: LoadedConfig,
    sources: Mapping[str, str],
    root: Path,
    *,
    baseline: Path | None = None,
    use_baseline: bool = True,
    changed_files: Sequence[Path] | None = None,
) -> Adopted:
    """Severity overrides, per-file ignores, the baseline and changed-files scoping, in that order.

    ``baseline`` (the ``--baseline`` option) wins over the configured one; ``use_baseline``
    False reads none (``--write-baseline`` records every finding). ``changed_files`` (None:
    every file) keeps the findings whose primary or related location is one of them. Raises
    ``BaselineError`` for an unreadable baseline.
    """
    from schemalint.baseline import read_baseline

    config = loaded.config
    notes: list[str] = []
    kept = override_severities(findings, severity_overrides(config))
    kept = drop_per_file_ignored(kept, per_file_ignores(config), root, loaded.config_dir)
    baselined: list[Finding] = []
    path = baseline.resolve() if baseline is not None else loaded.baseline_path()
    if use_baseline and path is not None:
        kept, baselined, gone = read_baseline(path).split(kept, sources)
        notes.append(f"baseline: {path.name}: {len(baselined)} finding(s) baselined")
        if gone:
            notes.append(
                f"baseline: {gone} recorded finding(s) no longer occur; "
                f"`--write-baseline {path.name}` shrinks it"
            )
    if changed_files is not None:
        rels, outside = project_relative(changed_files, root)
        kept = only_in_files(kept, rels)
        notes += [f"changed file outside the project, not checked: {p}" for p in outside]
    return Adopted(tuple(sorted(kept, key=Finding.sort_key)), tuple(baselined), tuple(notes))
