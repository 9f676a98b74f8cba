"""Every rule's VALID/INVALID examples, run end to end through the engine."""

from __future__ import annotations

from pathlib import Path

import pytest

from schemalint.cli import run_check
from schemalint.rule import Example, Rule, all_rules
from tests.conftest import expected_markers, write_project


def _cases() -> list[object]:
    cases = []
    for rule in all_rules():
        for kind in ("invalid", "valid"):
            for n, example in enumerate(getattr(rule, kind)):
                cases.append(pytest.param(rule, kind, example, id=f"{rule.code}-{kind}-{n}"))
    return cases


@pytest.mark.parametrize(("rule", "kind", "example"), _cases())
def test_rule_example(rule: type[Rule], kind: str, example: Example, tmp_path: Path) -> None:
    root = write_project(tmp_path, example.files)
    # Every default rule runs, as for a user; only this rule's findings are compared.
    select = [r.code for r in all_rules() if r.enabled_by_default or r is rule]
    result = run_check([root], select=select, dialect=example.dialect, use_cache=False)
    got = {(f.span.path, f.span.line, f.code) for f in result.findings if f.code == rule.code}
    expected = expected_markers(example.files) if kind == "invalid" else set()
    assert got == expected, [f"{f.span.path}:{f.span.line} {f.code} {f.message}" for f in result.findings]


def test_every_rule_has_both_kinds_of_example() -> None:
    for rule in all_rules():
        assert rule.invalid, f"{rule.code} has no invalid example"
        assert rule.valid, f"{rule.code} has no valid example"
        assert expected_markers(rule.invalid[0].files), f"{rule.code}'s invalid example marks no line"


def test_rule_metadata_is_complete_and_unique() -> None:
    rules = all_rules()
    codes = [r.code for r in rules]
    assert len(codes) == len(set(codes))
    for rule in rules:
        assert rule.code.startswith("SL") and len(rule.code) == 5
        assert rule.summary().endswith("."), rule.code
        for section in ("What it does", "Why is this bad?"):
            assert section in rule.sections(), f"{rule.code} lacks '## {section}'"
        assert rule.__module__.rsplit(".", 1)[-1] == rule.name().replace("-", "_"), rule.code
