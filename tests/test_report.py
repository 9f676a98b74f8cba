"""Reporter snapshots (every format) over a fixed set of findings, and the generated rule docs.

Each registered format has a golden in tests/goldens/reporters/ over FINDINGS; set
SCHEMALINT_UPDATE_GOLDENS=1 to rewrite them after a deliberate change.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft4Validator

from schemalint.docs import check_docs, main, render_index, render_rule_doc, write_docs
from schemalint.facts import Span
from schemalint.findings import Finding, FindingData, Related
from schemalint.report import REPORTERS, ReportContext, register, render
from schemalint.report.sarif import result_message, utf16_column
from schemalint.rule import Example, Rule

# ---------------------------------------------------------------------------------------------
# The fixed inputs: three source files and four findings covering the awkward cases.
# ---------------------------------------------------------------------------------------------

MODELS = (
    "class Order(Base):\n"
    '    note = "📦 shipped"; größe = mapped_column(Enum(Size))\n'  # emoji before the span
    "\tstatus = mapped_column(Enum(Status))\n"  # a tab before the span
)
INIT_SQL_CRLF = (
    "CREATE TYPE status AS ENUM ('new', 'paid');\r\n"
    "CREATE TABLE orders (\r\n"
    "    id int,\r\n"
    "    status status\r\n"
    ");\r\n"
)
SOURCES = {
    "app/models.py": MODELS,
    "migrations/V1__init.sql": INIT_SQL_CRLF,
    "migrations/V2__opaque.sql": "DO $$ BEGIN END $$;\n",
}

NON_ASCII_WITH_RELATED = Finding(
    code="SL102",
    rule="enum-stores-names-not-values",
    severity="error",
    message="`orders.größe` writes enum names",
    span=Span("app/models.py", 2, 25, 2, 30),  # `größe`
    help="pass `values_callable=lambda e: [m.value for m in e]`",
    related=(
        Related(Span("migrations/V1__init.sql", 1, 13, 1, 19), "enum `status` defined here"),
        Related(Span("migrations/V1__init.sql", 4, 5, 4, 18), "column `orders.status` created here"),
    ),
    data=FindingData(table="orders", column="größe", enum_type="size", missing=("S", "M"), extra=("s",)),
)
TAB_INDENTED = Finding(
    code="SL104",
    rule="database-allows-unknown-values",
    severity="warning",
    message="the database accepts `refunded`, which the model never writes",
    span=Span("app/models.py", 3, 2, 3, 8),  # `status` after a tab
)
MULTI_LINE_CRLF = Finding(
    code="SL103",
    rule="check-constraint-missing-values",
    severity="warning",
    message="`orders` is created without a CHECK on `status`",
    span=Span("migrations/V1__init.sql", 2, 1, 5, 3),  # CREATE TABLE ... );
    help="add a CHECK constraint",
)
FILE_LEVEL = Finding(
    code="SL001",
    rule="unparsed-statement",
    severity="info",
    message="statement not understood: `DO $$ BEGIN END $$`",
    span=Span.file("migrations/V2__opaque.sql"),
    data=FindingData(rule_data=(("statement", "DO $$ BEGIN END $$"),)),
)
FINDINGS = (NON_ASCII_WITH_RELATED, TAB_INDENTED, MULTI_LINE_CRLF, FILE_LEVEL)


class EnumStoresNamesNotValues(Rule):
    """The model persists enum member names while the database holds the values.

    ## What it does
    Compares what the model writes with what the
    database accepts.

    ## Why is this bad?
    Every write fails.

    ## Fix
    Pass `values_callable`.
    """

    code = "SL102"
    severity = "error"
    tags = ("enum", "correctness")
    invalid = (Example.sql("CREATE TYPE size AS ENUM ('s');  -- expect: SL102\n"),)
    valid = (
        Example(
            {"app/models.py": "x = 1\n", "migrations/V1.sql": "SELECT 1;\n"},
            dialect="mysql",
            title="With values_callable",
        ),
    )


class DatabaseAllowsUnknownValues(Rule):
    """The database accepts values the model can never write."""

    code = "SL104"
    severity = "warning"
    enabled_by_default = False


def context(color: bool = False) -> ReportContext:
    return ReportContext(
        root=Path("/home/someone/project"),
        sources=SOURCES,
        color=color,
        rules=(EnumStoresNamesNotValues, DatabaseAllowsUnknownValues),
        version="0.1.0",
    )


# ---------------------------------------------------------------------------------------------
# Registry
# ---------------------------------------------------------------------------------------------


GOLDENS = Path(__file__).parent / "goldens" / "reporters"
GOLDEN_EXTENSIONS = {"json": "json", "gitlab": "json", "sarif": "json", "junit": "xml"}


def test_importing_the_package_registers_every_reporter() -> None:
    assert set(REPORTERS) == {"text", "concise", "json", "sarif", "github", "gitlab", "junit"}


@pytest.mark.parametrize("output_format", sorted(REPORTERS))
def test_every_format_matches_its_golden_over_the_fixed_findings(output_format: str) -> None:
    golden = GOLDENS / f"findings.{output_format}.{GOLDEN_EXTENSIONS.get(output_format, 'txt')}"
    actual = render(output_format, FINDINGS, context())
    assert "\r" not in actual, "CRLF sources never leak carriage returns into a report"
    update = os.environ.get("SCHEMALINT_UPDATE_GOLDENS") == "1"
    if update or not golden.exists():
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(actual, encoding="utf-8")
        if not update:
            pytest.fail(f"golden {golden.name} was missing and has been written; review and commit it")
    assert actual == golden.read_text(encoding="utf-8")


def test_unknown_format_names_the_known_ones() -> None:
    with pytest.raises(ValueError, match=r"unknown output format 'xml'.*json"):
        render("xml", FINDINGS, context())


def test_registering_a_format_twice_is_an_error() -> None:
    with pytest.raises(RuntimeError, match="registered twice"):
        register("json")(lambda findings, ctx: "")


# ---------------------------------------------------------------------------------------------
# text
# ---------------------------------------------------------------------------------------------

EXPECTED_TEXT = """\
app/models.py:2:25: SL102 [enum-stores-names-not-values] `orders.größe` writes enum names
  2 |     note = "📦 shipped"; größe = mapped_column(Enum(Size))
    |                         ^^^^^
  help: pass `values_callable=lambda e: [m.value for m in e]`
  = related: migrations/V1__init.sql:1:13: enum `status` defined here
  = related: migrations/V1__init.sql:4:5: column `orders.status` created here

app/models.py:3:2: SL104 [database-allows-unknown-values] the database accepts `refunded`, which the model never writes
  3 |     status = mapped_column(Enum(Status))
    |     ^^^^^^

migrations/V1__init.sql:2:1: SL103 [check-constraint-missing-values] `orders` is created without a CHECK on `status`
  2 | CREATE TABLE orders (
    | ^^^^^^^^^^^^^^^^^^^^^
  help: add a CHECK constraint

migrations/V2__opaque.sql:1:1: SL001 [unparsed-statement] statement not understood: `DO $$ BEGIN END $$`

Found 4 findings (1 error, 2 warnings, 1 info).
"""


def test_text_snapshot() -> None:
    assert render("text", FINDINGS, context()) == EXPECTED_TEXT


def test_text_has_no_carriage_returns_from_crlf_sources() -> None:
    assert "\r" not in render("text", FINDINGS, context())


def test_text_without_findings() -> None:
    assert render("text", [], context()) == "No findings.\n"


def test_text_summary_counts_singular_and_plural() -> None:
    assert render("text", [FILE_LEVEL], context()).endswith(
        "Found 1 finding (0 errors, 0 warnings, 1 info).\n"
    )


def test_text_colors_the_code_by_severity_only_when_asked() -> None:
    colored = render("text", FINDINGS, context(color=True))
    assert "\x1b[1;31mSL102\x1b[0m" in colored  # error: bold red
    assert "\x1b[1;33mSL104\x1b[0m" in colored  # warning: bold yellow
    assert "\x1b[1;34mSL001\x1b[0m" in colored  # info: bold blue
    assert "\x1b" not in render("text", FINDINGS, context(color=False))


def test_text_zero_width_span_gets_one_caret_and_unknown_source_no_snippet() -> None:
    zero = Finding("SL101", "enum-value-drift", "error", "m", Span("app/models.py", 1, 7, 1, 7))
    missing = Finding("SL101", "enum-value-drift", "error", "m", Span("elsewhere.py", 3, 1, 3, 4))
    out = render("text", [zero, missing], context())
    assert "  1 | class Order(Base):\n    |       ^\n" in out
    assert "elsewhere.py:3:1: SL101 [enum-value-drift] m\n\n" in out


# ---------------------------------------------------------------------------------------------
# json
# ---------------------------------------------------------------------------------------------


def test_json_keys_are_exactly_the_documented_ones_in_order() -> None:
    data = json.loads(render("json", FINDINGS, context()))
    keys = ["code", "rule", "severity", "message", "help", "path", "line", "column", "end_line"]
    keys += ["end_column", "related", "data"]
    assert [list(item) for item in data] == [keys] * len(FINDINGS)
    related_keys = ["path", "line", "column", "end_line", "end_column", "message"]
    assert [list(r) for r in data[0]["related"]] == [related_keys, related_keys]


def test_json_snapshot_of_the_cross_file_finding() -> None:
    text = render("json", FINDINGS, context())
    assert text.endswith("]\n")
    assert "größe" in text  # ensure_ascii=False
    assert json.loads(text)[0] == {
        "code": "SL102",
        "rule": "enum-stores-names-not-values",
        "severity": "error",
        "message": "`orders.größe` writes enum names",
        "help": "pass `values_callable=lambda e: [m.value for m in e]`",
        "path": "app/models.py",
        "line": 2,
        "column": 25,  # characters, not UTF-16 units: JSON output is not SARIF
        "end_line": 2,
        "end_column": 30,
        "related": [
            {
                "path": "migrations/V1__init.sql",
                "line": 1,
                "column": 13,
                "end_line": 1,
                "end_column": 19,
                "message": "enum `status` defined here",
            },
            {
                "path": "migrations/V1__init.sql",
                "line": 4,
                "column": 5,
                "end_line": 4,
                "end_column": 18,
                "message": "column `orders.status` created here",
            },
        ],
        "data": {
            "table": "orders",
            "column": "größe",
            "enum_type": "size",
            "missing": ["S", "M"],
            "extra": ["s"],
        },
    }


def test_json_file_level_finding_and_rule_specific_data() -> None:
    item = json.loads(render("json", FINDINGS, context()))[3]
    assert (item["line"], item["column"], item["end_line"], item["end_column"]) == (1, 1, 1, 1)
    assert item["help"] == ""
    assert item["related"] == []
    assert item["data"] == {"statement": "DO $$ BEGIN END $$"}


def test_json_without_findings_is_an_empty_array() -> None:
    assert render("json", [], context()) == "[]\n"


# ---------------------------------------------------------------------------------------------
# sarif
# ---------------------------------------------------------------------------------------------


def schema_errors(validator: Draft4Validator, log: Any) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(log)]


def sarif_log(findings: tuple[Finding, ...] = FINDINGS) -> Any:
    return json.loads(render("sarif", findings, context()))


def test_sarif_is_valid_against_the_official_schema(sarif_validator: Draft4Validator) -> None:
    assert schema_errors(sarif_validator, sarif_log()) == []
    assert schema_errors(sarif_validator, sarif_log(())) == []


def test_the_schema_check_catches_an_invalid_log(sarif_validator: Draft4Validator) -> None:
    log = sarif_log()
    log["runs"][0]["results"][0]["level"] = "critical"
    del log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"]
    assert len(schema_errors(sarif_validator, log)) == 2


def test_sarif_envelope_and_run() -> None:
    log = sarif_log()
    assert log["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    assert log["version"] == "2.1.0"
    (run,) = log["runs"]
    assert run["columnKind"] == "utf16CodeUnits"
    assert run["tool"]["driver"]["name"] == "schemalint"
    assert run["tool"]["driver"]["version"] == "0.1.0"
    assert run["tool"]["driver"]["informationUri"] == "https://github.com/schemalint/schemalint"
    assert run["originalUriBaseIds"]["%SRCROOT%"] == {
        "description": {"text": "The root of the analysed project."}
    }


def test_sarif_leaks_no_absolute_path() -> None:
    text = render("sarif", FINDINGS, context())
    assert "/home/someone" not in text
    assert "file://" not in text


def test_sarif_lists_the_rules_that_fired_with_consistent_indexes() -> None:
    run = sarif_log()["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == ["SL001", "SL102", "SL103", "SL104"]
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
    only_one = json.loads(render("sarif", (TAB_INDENTED,), context()))["runs"][0]["tool"]["driver"]["rules"]
    assert [r["id"] for r in only_one] == ["SL104"]


def test_sarif_rule_descriptor_from_the_rule_class() -> None:
    rules = sarif_log()["runs"][0]["tool"]["driver"]["rules"]
    assert rules[1] == {
        "id": "SL102",
        "name": "enum-stores-names-not-values",
        "shortDescription": {
            "text": "The model persists enum member names while the database holds the values."
        },
        "fullDescription": {"text": "Compares what the model writes with what the database accepts."},
        "help": {
            "text": "What it does\n\nCompares what the model writes with what the\ndatabase accepts.\n\n"
            "Why is this bad?\n\nEvery write fails.\n\n"
            "Example\n\n`migrations/V1__example.sql`:\n\n```sql\nCREATE TYPE size AS ENUM ('s');\n```\n\n"
            "Use instead\n\n*With values_callable*\n\n`app/models.py` (mysql):\n\n```python\nx = 1\n```\n\n"
            "`migrations/V1.sql` (mysql):\n\n```sql\nSELECT 1;\n```\n\n"
            "Fix\n\nPass `values_callable`.",
            "markdown": "## What it does\n\nCompares what the model writes with what the\ndatabase accepts.\n\n"
            "## Why is this bad?\n\nEvery write fails.\n\n"
            "## Example\n\n`migrations/V1__example.sql`:\n\n```sql\nCREATE TYPE size AS ENUM ('s');\n```\n\n"
            "## Use instead\n\n*With values_callable*\n\n`app/models.py` (mysql):\n\n```python\nx = 1\n```\n\n"
            "`migrations/V1.sql` (mysql):\n\n```sql\nSELECT 1;\n```\n\n"
            "## Fix\n\nPass `values_callable`.",
        },
        "helpUri": "https://github.com/schemalint/schemalint/blob/main/docs/rules/enum-stores-names-not-values.md",
        "defaultConfiguration": {"level": "error"},
        "properties": {"tags": ["enum", "correctness"], "problem.severity": "error"},
    }
    info = rules[0]  # SL001 did not run as a rule class here: described from its finding
    assert info["defaultConfiguration"] == {"level": "note"}
    assert info["shortDescription"]["text"] == "unparsed-statement"


def test_sarif_result_with_related_locations_and_utf16_columns() -> None:
    result = sarif_log()["runs"][0]["results"][0]
    assert result == {
        "ruleId": "SL102",
        "ruleIndex": 1,
        "level": "error",
        "message": {
            "text": "`orders.größe` writes enum names. See [enum `status` defined here](1) and "
            "[column `orders.status` created here](2)."
        },
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": "app/models.py", "uriBaseId": "%SRCROOT%"},
                    # "📦" (U+1F4E6) is two UTF-16 code units: character column 25 is unit 26.
                    "region": {"startLine": 2, "startColumn": 26, "endLine": 2, "endColumn": 31},
                }
            }
        ],
        "relatedLocations": [
            {
                "id": 1,
                "physicalLocation": {
                    "artifactLocation": {"uri": "migrations/V1__init.sql", "uriBaseId": "%SRCROOT%"},
                    "region": {"startLine": 1, "startColumn": 13, "endLine": 1, "endColumn": 19},
                },
                "message": {"text": "enum `status` defined here"},
            },
            {
                "id": 2,
                "physicalLocation": {
                    "artifactLocation": {"uri": "migrations/V1__init.sql", "uriBaseId": "%SRCROOT%"},
                    "region": {"startLine": 4, "startColumn": 5, "endLine": 4, "endColumn": 18},
                },
                "message": {"text": "column `orders.status` created here"},
            },
        ],
        "partialFingerprints": {
            # GitHub's line hash of `    note = "📦 shipped"; größe = ...` (see test_output_formats).
            "primaryLocationLineHash": "d4f7f76a0999237b:1",
            "schemalintFinding/v1": "e93f28443963849da99ffd646481d989a655c4be78598da6f436d4af2141e609",
        },
    }


def test_sarif_levels_regions_and_line_hashes() -> None:
    results = sarif_log()["runs"][0]["results"]
    assert [r["level"] for r in results] == ["error", "warning", "warning", "note"]
    assert results[2]["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 2,
        "startColumn": 1,
        "endLine": 5,
        "endColumn": 3,
    }
    assert results[3]["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 1,
        "startColumn": 1,
        "endLine": 1,
        "endColumn": 1,
    }
    assert "relatedLocations" not in results[1]
    # A file-level finding is hashed at line 1, as upload-sarif does for it.
    assert [r["partialFingerprints"]["primaryLocationLineHash"] for r in results] == [
        "d4f7f76a0999237b:1",
        "b1ee7a3e33f00459:1",
        "49dbf0f12cf2001e:1",
        "9ecdd06a24e250ef:1",
    ]


def test_sarif_uri_is_percent_encoded() -> None:
    finding = Finding("SL101", "enum-value-drift", "error", "m", Span("app/my models.py", 1, 1, 1, 2))
    location = json.loads(render("sarif", (finding,), context()))["runs"][0]["results"][0]["locations"][0]
    assert location["physicalLocation"]["artifactLocation"]["uri"] == "app/my%20models.py"


@pytest.mark.parametrize(
    ("line", "column", "expected"),
    [
        ("abc", 2, 2),
        ("größe", 6, 6),  # BMP characters are one unit each
        ("😀x", 2, 3),  # outside the BMP: two units
        ("😀x", 3, 4),
        ("ab", 5, 5),  # past the end of the line
        (None, 7, 7),  # source unknown: the character column
    ],
)
def test_utf16_column(line: str | None, column: int, expected: int) -> None:
    assert utf16_column(line, column) == expected


def test_sarif_message_link_text_is_escaped_and_a_period_added() -> None:
    finding = Finding(
        "SL101",
        "enum-value-drift",
        "error",
        "values differ",
        Span("a.py", 1, 1, 1, 2),
        related=(Related(Span("b.sql", 2, 1, 2, 2), "ENUM[3] here"),),
    )
    assert result_message(finding) == r"values differ. See [ENUM\[3\] here](1)."


# ---------------------------------------------------------------------------------------------
# rule docs
# ---------------------------------------------------------------------------------------------

EXPECTED_RULE_DOC = """\
# enum-stores-names-not-values (SL102)

The model persists enum member names while the database holds the values.

Severity: error · Enabled by default: yes

## What it does

Compares what the model writes with what the
database accepts.

## Why is this bad?

Every write fails.

## Example

`migrations/V1__example.sql`:

```sql
CREATE TYPE size AS ENUM ('s');
```

## Use instead

*With values_callable*

`app/models.py` (mysql):

```python
x = 1
```

`migrations/V1.sql` (mysql):

```sql
SELECT 1;
```

## Fix

Pass `values_callable`.
"""


def test_rule_doc_sections_in_fixed_order_with_generated_examples() -> None:
    assert render_rule_doc(EnumStoresNamesNotValues) == EXPECTED_RULE_DOC


def test_rule_doc_keeps_a_written_use_instead_section() -> None:
    class WithUseInstead(Rule):
        """Summary.

        ## Use instead
        Do the other thing.

        ## Why is this bad?
        Because.

        ## What it does
        Checks.
        """

        code = "SL199"
        valid = (Example.sql("SELECT 1;\n"),)

    doc = render_rule_doc(WithUseInstead)
    assert doc == (
        "# with-use-instead (SL199)\n\nSummary.\n\nSeverity: error · Enabled by default: yes\n\n"
        "## What it does\n\nChecks.\n\n## Why is this bad?\n\nBecause.\n\n"
        "## Use instead\n\nDo the other thing.\n"
    )


def test_rule_doc_fence_is_longer_than_backticks_in_the_example() -> None:
    class Fenced(Rule):
        """Summary."""

        code = "SL198"
        invalid = (Example({"notes.ts": "const s = ```;\n"}),)

    assert "````typescript\nconst s = ```;\n````" in render_rule_doc(Fenced)


def test_rule_index_table() -> None:
    assert render_index([DatabaseAllowsUnknownValues, EnumStoresNamesNotValues]) == (
        "# Rules\n\n"
        "| Code | Name | Severity | Enabled by default | Summary |\n"
        "|---|---|---|---|---|\n"
        "| SL102 | [enum-stores-names-not-values](enum-stores-names-not-values.md) | error | yes | "
        "The model persists enum member names while the database holds the values. |\n"
        "| SL104 | [database-allows-unknown-values](database-allows-unknown-values.md) | warning | no | "
        "The database accepts values the model can never write. |\n"
    )


def test_write_then_check_docs_reports_stale_missing_and_extra(tmp_path: Path) -> None:
    rules = (EnumStoresNamesNotValues, DatabaseAllowsUnknownValues)
    written = write_docs(tmp_path, rules)
    assert sorted(p.name for p in written) == [
        "database-allows-unknown-values.md",
        "enum-stores-names-not-values.md",
        "index.md",
    ]
    assert check_docs(tmp_path, rules) == []
    (tmp_path / "enum-stores-names-not-values.md").write_text("edited\n")
    (tmp_path / "database-allows-unknown-values.md").unlink()
    (tmp_path / "removed-rule.md").write_text("old\n")
    assert check_docs(tmp_path, rules) == [
        "database-allows-unknown-values.md",
        "enum-stores-names-not-values.md",
        "removed-rule.md",
    ]
    write_docs(tmp_path, rules)
    assert check_docs(tmp_path, rules) == []
    assert not (tmp_path / "removed-rule.md").exists()


def test_docs_entry_point_check_fails_until_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "rules"
    assert main(["--check", "--out", str(out)]) == 1
    assert "is out of date" in capsys.readouterr().err
    assert main(["--out", str(out)]) == 0
    assert main(["--check", "--out", str(out)]) == 0
