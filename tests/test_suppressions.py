"""Inline suppressions: where they apply, what they name, and the SL003 findings for unused ones."""

from __future__ import annotations

from collections.abc import Sequence

from schemalint.facts import Span
from schemalint.findings import Finding, Related
from schemalint.rule import Rule
from schemalint.suppressions import SuppressionFacts, apply_suppressions, scan_suppressions


class EnumValueDrift(Rule):
    """A native enum type lacks a label the model writes."""

    code = "SL101"


class EnumStoresNamesNotValues(Rule):
    """The model persists enum member names."""

    code = "SL102"


class EnumTypeNeverCreated(Rule):
    """A model column uses a native enum type that no migration creates."""

    code = "SL105"


RULES = (EnumValueDrift, EnumStoresNamesNotValues, EnumTypeNeverCreated)


def finding(path: str, line: int, code: str = "SL102", related: Sequence[Span] = ()) -> Finding:
    rule = next(r for r in RULES if r.code == code)
    return Finding(
        code=code,
        rule=rule.name(),
        severity="error",
        message="m",
        span=Span(path, line, 5, line, 9),
        related=tuple(Related(span, "r") for span in related),
    )


def run(
    files: dict[str, str], findings: Sequence[Finding], report_unused: bool = True
) -> tuple[list[Finding], list[Finding], list[Finding]]:
    by_path = {path: scan_suppressions(path, text) for path, text in files.items()}
    return apply_suppressions(findings, by_path, RULES, report_unused)


def messages(findings: Sequence[Finding]) -> list[tuple[str, int, str]]:
    return [(f.span.path, f.span.line, f.message) for f in findings]


# ---------------------------------------------------------------------------------------------
# scanning
# ---------------------------------------------------------------------------------------------


def test_scan_without_the_marker_finds_nothing() -> None:
    assert scan_suppressions("a.py", "x = 1  # noqa\n") == SuppressionFacts("a.py")


def test_scan_python_comment_with_reason() -> None:
    (s,) = scan_suppressions(
        "a.py", "x = 1\ny = 2  # schemalint: ignore[SL102] -- legacy data\n"
    ).suppressions
    assert s.keys == ("SL102",)
    assert s.reason == "legacy data"
    assert s.lines == (2,)
    assert not s.file_level
    assert s.span == Span("a.py", 2, 8, 2, 50)


def test_scan_sql_comment_with_several_keys_and_hash_reason() -> None:
    text = "-- schemalint: ignore[SL102, enum-value-drift] # vendor quirk\nALTER TYPE t ADD VALUE 'x';\n"
    (s,) = scan_suppressions("m.sql", text).suppressions
    assert s.keys == ("SL102", "enum-value-drift")
    assert s.reason == "vendor quirk"
    assert s.lines == (1, 2)  # comment-only: the next line


def test_scan_typescript_comment_and_crlf() -> None:
    text = "const a = 1;\r\nconst b = 2; // schemalint: ignore[SL101]\r\n"
    (s,) = scan_suppressions("m.ts", text).suppressions
    assert s.keys == ("SL101",)
    assert s.lines == (2,)
    assert s.span.end_column == len("const b = 2; // schemalint: ignore[SL101]") + 1


def test_scan_stacked_comment_only_suppressions_share_the_next_code_line() -> None:
    text = "-- schemalint: ignore[SL101]\n-- schemalint: ignore[SL102]\nALTER TYPE t ADD VALUE 'x';\n"
    first, second = scan_suppressions("m.sql", text).suppressions
    assert first.lines == (1, 3)
    assert second.lines == (2, 3)


def test_scan_file_level_forms() -> None:
    text = "# schemalint: ignore-file[SL105]\n# schemalint: file-ignore\n"
    first, second = scan_suppressions("a.py", text).suppressions
    assert (first.file_level, first.keys, first.lines) == (True, ("SL105",), ())
    assert (second.file_level, second.keys) == (True, ())


def test_scan_bare_ignore_means_every_rule() -> None:
    (s,) = scan_suppressions("a.py", "x = 1  # schemalint: ignore -- generated\n").suppressions
    assert (s.keys, s.reason) == ((), "generated")


def test_scan_reports_malformed_directives_and_ignores_prose() -> None:
    text = (
        "x = 1  # schemalint: ignore SL102\n"  # brackets forgotten: not silently "every rule"
        "y = 2  # schemalint: ignore[]\n"
        "z = 3  # schemalint: ignroe[SL102]\n"
        '"""Run schemalint: it checks enums."""\n'  # not in a comment
    )
    facts = scan_suppressions("a.py", text)
    assert facts.suppressions == ()
    assert [span.line for span in facts.malformed] == [1, 2, 3]


def test_scan_trailing_text_after_brackets_is_the_reason() -> None:
    (s,) = scan_suppressions("m.sql", "-- schemalint: ignore[SL101]  expect: SL003\n").suppressions
    assert (s.keys, s.reason) == (("SL101",), "expect: SL003")


# ---------------------------------------------------------------------------------------------
# applying
# ---------------------------------------------------------------------------------------------


def test_line_suppression_on_the_finding_line() -> None:
    files = {"app/models.py": "a\nrole = x  # schemalint: ignore[SL102]\n"}
    kept, suppressed, unused = run(files, [finding("app/models.py", 2), finding("app/models.py", 1)])
    assert [f.span.line for f in suppressed] == [2]
    assert [f.span.line for f in kept] == [1]
    assert unused == []


def test_comment_only_line_suppresses_the_line_below_but_not_further() -> None:
    files = {"m.sql": "-- schemalint: ignore[SL102] -- legacy data\nALTER 1;\nALTER 2;\n"}
    kept, suppressed, _ = run(files, [finding("m.sql", 2), finding("m.sql", 3)])
    assert [f.span.line for f in suppressed] == [2]
    assert [f.span.line for f in kept] == [3]


def test_trailing_comment_does_not_reach_the_next_line() -> None:
    files = {"m.sql": "ALTER 1; -- schemalint: ignore[SL102]\nALTER 2;\n"}
    kept, suppressed, _ = run(files, [finding("m.sql", 2)])
    assert suppressed == []
    assert len(kept) == 1


def test_file_level_suppression_covers_only_named_rules_in_that_file() -> None:
    files = {"a.py": "# schemalint: ignore-file[SL102]\n", "b.py": ""}
    findings = [finding("a.py", 5), finding("a.py", 9, "SL101"), finding("b.py", 5)]
    kept, suppressed, _ = run(files, findings)
    assert messages(suppressed) == [("a.py", 5, "m")]
    assert [(f.span.path, f.code) for f in kept] == [("a.py", "SL101"), ("b.py", "SL102")]


def test_file_level_without_brackets_covers_every_rule() -> None:
    files = {"a.py": "# schemalint: ignore-file -- generated code\n"}
    kept, suppressed, unused = run(files, [finding("a.py", 5), finding("a.py", 9, "SL101")])
    assert kept == [] and len(suppressed) == 2 and unused == []


def test_rule_names_and_codes_in_any_case() -> None:
    files = {
        "a.py": (
            "x  # schemalint: ignore[enum-stores-names-not-values]\n"
            "y  # schemalint: ignore[sl102]\n"
            "z  # schemalint: ignore[Enum-Stores-Names-Not-Values]\n"
        )
    }
    kept, suppressed, unused = run(files, [finding("a.py", 1), finding("a.py", 2), finding("a.py", 3)])
    assert kept == [] and len(suppressed) == 3 and unused == []


def test_suppression_at_a_related_location_counts() -> None:
    files = {"app/models.py": "", "m.sql": "CREATE TYPE t; -- schemalint: ignore[SL102] -- known\n"}
    cross = finding("app/models.py", 4, related=[Span("m.sql", 1, 13, 1, 14)])
    kept, suppressed, unused = run(files, [cross])
    assert suppressed == [cross] and kept == [] and unused == []


def test_file_level_suppression_does_not_reach_through_related_locations() -> None:
    files = {"app/models.py": "", "m.sql": "-- schemalint: ignore-file[SL102]\n"}
    cross = finding("app/models.py", 4, related=[Span("m.sql", 3, 1, 3, 2)])
    kept, _, _ = run(files, [cross], report_unused=False)
    assert kept == [cross]


def test_unused_suppression_becomes_sl003_naming_only_the_unused_codes() -> None:
    files = {"m.sql": "ALTER 1; -- schemalint: ignore[SL102, SL105] -- why\n"}
    kept, suppressed, unused = run(files, [finding("m.sql", 1)])
    assert len(suppressed) == 1 and kept == []
    (sl003,) = unused
    assert (sl003.code, sl003.rule, sl003.severity) == ("SL003", "unused-suppression", "warning")
    assert sl003.message == "suppression `schemalint: ignore[SL105]` matched no finding"
    assert sl003.help == "remove it, or fix the code it names"
    assert sl003.span == Span("m.sql", 1, 10, 1, 52)


def test_unused_bare_and_file_level_suppressions() -> None:
    files = {"a.py": "# schemalint: ignore-file[SL101]\nx = 1  # schemalint: ignore\n"}
    _, _, unused = run(files, [])
    assert messages(unused) == [
        ("a.py", 1, "suppression `schemalint: ignore-file[SL101]` matched no finding"),
        ("a.py", 2, "suppression `schemalint: ignore` matched no finding"),
    ]


def test_unknown_rule_becomes_sl003() -> None:
    files = {"a.py": "x = 1  # schemalint: ignore[SL999, SL102]\n"}
    _, suppressed, unused = run(files, [finding("a.py", 1)])
    assert len(suppressed) == 1
    assert messages(unused) == [("a.py", 1, "suppression names unknown rule `SL999`")]


def test_malformed_directive_becomes_sl003() -> None:
    _, _, unused = run({"a.py": "x = 1  # schemalint: ignore SL102\n"}, [])
    assert len(unused) == 1
    assert unused[0].message.startswith("malformed suppression")
    assert unused[0].span == Span("a.py", 1, 8, 1, 34)


def test_sl003_only_when_selected() -> None:
    files = {"a.py": "x  # schemalint: ignore[SL105]\ny  # schemalint: ignore[SL999]\n"}
    assert run(files, [], report_unused=False) == ([], [], [])


def test_suppressions_for_rules_that_did_not_run_are_not_unused() -> None:
    by_path = {"a.py": scan_suppressions("a.py", "x  # schemalint: ignore[SL105, SL101]\n")}
    _, _, unused = apply_suppressions([], by_path, RULES, True, selected_codes=["SL101", "SL003"])
    assert messages(unused) == [("a.py", 1, "suppression `schemalint: ignore[SL101]` matched no finding")]


def test_naming_sl003_keeps_a_deliberate_suppression_quiet() -> None:
    files = {"a.py": "x  # schemalint: ignore[SL105, unused-suppression] -- kept for the next release\n"}
    assert run(files, []) == ([], [], [])


def test_codes_of_findings_without_a_rule_class_are_known() -> None:
    files = {"m.sql": "FROBNICATE; -- schemalint: ignore[SL001] -- vendor extension\n"}
    diag = Finding("SL001", "unparsed-statement", "info", "m", Span("m.sql", 1, 1, 1, 12))
    assert run(files, [diag]) == ([], [diag], [])
