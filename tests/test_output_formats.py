"""Output formats and CLI conventions: line hashes, GitHub escaping, GitLab fingerprints, JUnit, exit codes."""

from __future__ import annotations

import inspect
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from jsonschema import Draft4Validator

from schemalint.cli import main
from schemalint.facts import Span
from schemalint.findings import Finding, FindingData, Fix, Related, TextEdit
from schemalint.output import exit_code, use_color
from schemalint.report import ReportContext, render
from schemalint.report.fingerprints import line_hashes
from schemalint.report.github import annotation, escape_data, escape_property
from schemalint.report.identity import stable_ids
from schemalint.report.sarif import automation_id
from tests.test_report import FILE_LEVEL, FINDINGS, NON_ASCII_WITH_RELATED, TAB_INDENTED, context

# ---------------------------------------------------------------------------------------------
# primaryLocationLineHash
# ---------------------------------------------------------------------------------------------

# The test vectors of github/codeql-action src/fingerprints.test.ts (test "hash"): the hash of
# every line of the input, in order.
UPSTREAM_VECTORS = [
    ("", ["c129715d7a2bc9a3:1"]),
    (
        " a\nb\n  \t\tc\n d",
        ["271789c17abda88f:1", "54703d4cd895b18:1", "180aee12dab6264:1", "a23a3dc5e078b07b:1"],
    ),
    (
        " hello; \t\nworld!!!\n\n\n  \t\tGreetings\n End",
        [
            "8b7cf3e952e7aeb2:1",
            "b1ae1287ec4718d9:1",
            "bff680108adb0fcc:1",
            "c6805c5e1288b612:1",
            "b86d3392aea1be30:1",
            "e6ceba753e1a442:1",
        ],
    ),
    *[
        (
            text,
            [
                "e9496ae3ebfced30:1",
                "fb7c023a8b9ccb3f:1",
                "ce8ba1a563dcdaca:1",
                "e20e36e16fcb0cc8:1",
                "b3edc88f2938467e:1",
                "c8e28b0b4002a3a0:1",
                "c129715d7a2bc9a3:1",
            ],
        )
        for text in (
            " hello; \t\nworld!!!\n\n\n  \t\tGreetings\n End\n",
            " hello; \t\nworld!!!\r\r\r  \t\tGreetings\r End\r",
            " hello; \t\r\nworld!!!\r\n\r\n\r\n  \t\tGreetings\r\n End\r\n",
            " hello; \t\nworld!!!\r\n\n\r  \t\tGreetings\r End\r\n",
        )
    ],
    (
        "Lorem ipsum dolor sit amet.\n" * 10,
        [
            *(f"a7f2ff13bc495cf2:{n}" for n in range(1, 7)),
            *("a7f2ff1481e87703:1", "a9cf91f7bbf1862b:1", "55ec222b86bcae53:1", "cc97dc7b1d7d8f7b:1"),
            "c129715d7a2bc9a3:1",
        ],
    ),
    (
        "x = 2\nx = 1\nprint(x)\nx = 3\nprint(x)\nx = 4\nprint(x)\n",
        [
            "e54938cc54b302f1:1",
            "bb609acbe9138d60:1",
            "1131fd5871777f34:1",
            "5c482a0f8b35ea28:1",
            "54517377da7028d2:1",
            "2c644846cb18d53e:1",
            "f1b89f20de0d133:1",
            "c129715d7a2bc9a3:1",
        ],
    ),
]


@pytest.mark.parametrize(("text", "expected"), UPSTREAM_VECTORS, ids=lambda v: repr(v)[:30])
def test_line_hashes_match_github_upload_sarif_vectors(text: str, expected: list[str]) -> None:
    assert line_hashes(text) == expected


def test_line_hash_counts_utf16_code_units_like_javascript() -> None:
    # The window holds 100 code units: after an astral character (two units) and 98 more, the
    # 101st unit is outside it; after a BMP character (one unit) the same position is inside.
    assert line_hashes("😀" + "a" * 98 + "b") == line_hashes("😀" + "a" * 98 + "c")
    assert line_hashes("é" + "a" * 98 + "b") != line_hashes("é" + "a" * 98 + "c")
    assert len(line_hashes("größe\n📦\n")) == 3


def test_report_context_line_hash_is_the_same_for_crlf_and_lf_sources() -> None:
    lf = ReportContext(root=Path("."), sources={"a.sql": "CREATE TABLE t (\n  id int\n);\n"})
    crlf = ReportContext(root=Path("."), sources={"a.sql": "CREATE TABLE t (\r\n  id int\r\n);\r\n"})
    assert [lf.line_hash("a.sql", n) for n in (1, 2, 3)] == [crlf.line_hash("a.sql", n) for n in (1, 2, 3)]
    assert lf.line_hash("a.sql", 99) is None
    assert lf.line_hash("unknown.sql", 1) is None


# ---------------------------------------------------------------------------------------------
# SARIF: fixes, category, suppressions
# ---------------------------------------------------------------------------------------------

WITH_FIX = Finding(
    code="SL102",
    rule="enum-stores-names-not-values",
    severity="error",
    message="`orders.größe` writes enum names",
    span=Span("app/models.py", 2, 25, 2, 30),
    fix=Fix(
        "store the values",
        (
            TextEdit(Span("app/models.py", 2, 53, 2, 53), ", values_callable=lambda e: [m.value for m in e]"),
            TextEdit(Span("migrations/V1__init.sql", 1, 1, 1, 1), "-- reviewed\n"),
        ),
    ),
)


def sarif(findings: tuple[Finding, ...], **changes: Any) -> Any:
    ctx = context()
    ctx = ReportContext(root=ctx.root, sources=ctx.sources, rules=ctx.rules, version=ctx.version, **changes)
    return json.loads(render("sarif", findings, ctx))


def test_sarif_fix_becomes_artifact_changes_in_utf16_columns(sarif_validator: Draft4Validator) -> None:
    log = sarif((WITH_FIX,))
    assert list(sarif_validator.iter_errors(log)) == []
    (fix,) = log["runs"][0]["results"][0]["fixes"]
    assert fix == {
        "description": {"text": "store the values"},
        "artifactChanges": [
            {
                "artifactLocation": {"uri": "app/models.py", "uriBaseId": "%SRCROOT%"},
                "replacements": [
                    {
                        # Column 53 follows the emoji on that line: 54 in UTF-16 code units.
                        "deletedRegion": {"startLine": 2, "startColumn": 54, "endLine": 2, "endColumn": 54},
                        "insertedContent": {"text": ", values_callable=lambda e: [m.value for m in e]"},
                    }
                ],
            },
            {
                "artifactLocation": {"uri": "migrations/V1__init.sql", "uriBaseId": "%SRCROOT%"},
                "replacements": [
                    {
                        "deletedRegion": {"startLine": 1, "startColumn": 1, "endLine": 1, "endColumn": 1},
                        "insertedContent": {"text": "-- reviewed\n"},
                    }
                ],
            },
        ],
    }


def test_sarif_without_fix_has_no_fixes() -> None:
    assert all("fixes" not in r for r in sarif(FINDINGS)["runs"][0]["results"])


def test_sarif_category_sets_automation_details_only_when_given() -> None:
    assert "automationDetails" not in sarif(FINDINGS)["runs"][0]
    assert sarif(FINDINGS, sarif_category="schemalint")["runs"][0]["automationDetails"] == {
        "id": "schemalint/"
    }
    assert automation_id("monorepo/api") == "monorepo/api"  # already category/run-id
    assert automation_id("api/") == "api/"


def test_sarif_suppressed_finding_carries_in_source_suppression(sarif_validator: Draft4Validator) -> None:
    log = sarif(FINDINGS, suppressed={TAB_INDENTED: "legacy rows", FILE_LEVEL: ""})
    assert list(sarif_validator.iter_errors(log)) == []
    results = log["runs"][0]["results"]
    assert results[1]["suppressions"] == [{"kind": "inSource", "justification": "legacy rows"}]
    assert results[3]["suppressions"] == [{"kind": "inSource"}]  # no reason: no empty justification
    assert "suppressions" not in results[0]


def test_stable_ids_ignore_positions_and_tell_repeats_apart() -> None:
    moved = Finding(**{**_fields(NON_ASCII_WITH_RELATED), "span": Span("app/models.py", 40, 5, 40, 10)})
    assert stable_ids([NON_ASCII_WITH_RELATED]) == stable_ids([moved])
    twice = stable_ids([FILE_LEVEL, FILE_LEVEL])
    assert twice[0] != twice[1]
    assert twice[0] == stable_ids([FILE_LEVEL])[0]
    other_column = Finding(**{**_fields(NON_ASCII_WITH_RELATED), "data": FindingData(table="orders")})
    assert stable_ids([other_column]) != stable_ids([NON_ASCII_WITH_RELATED])


def _fields(finding: Finding) -> dict[str, Any]:
    return {name: getattr(finding, name) for name in Finding.__slots__}


# ---------------------------------------------------------------------------------------------
# github
# ---------------------------------------------------------------------------------------------


def test_github_escapes_data_and_properties_like_actions_core() -> None:
    assert escape_data("100% done\r\nnext: a, b") == "100%25 done%0D%0Anext: a, b"
    assert escape_property("100% done\r\nnext: a, b") == "100%25 done%0D%0Anext%3A a%2C b"


def test_github_annotation_escapes_path_title_and_message() -> None:
    finding = Finding(
        "SL401",
        "hardcoded-absolute-path",
        "info",
        "50% of `C:\\x`\nsecond line",
        Span("dir,with:odd/file.py", 3, 2, 4, 7),
        help="fix it",
        related=(Related(Span("b.sql", 1, 1, 1, 2), "see, here"),),
    )
    assert annotation(finding) == (
        "::notice file=dir%2Cwith%3Aodd/file.py,line=3,endLine=4,col=2,endColumn=7,"
        "title=SL401 hardcoded-absolute-path"
        "::50%25 of `C:\\x`%0Asecond line%0Ahelp: fix it%0Arelated: b.sql:1:1: see, here"
    )


def test_github_maps_severities_and_omits_columns_of_file_level_findings() -> None:
    lines = render("github", FINDINGS, context()).splitlines()
    assert [line.split(" ", 1)[0] for line in lines] == ["::error", "::warning", "::warning", "::notice"]
    assert lines[3].startswith("::notice file=migrations/V2__opaque.sql,line=1,endLine=1,title=SL001 ")
    assert render("github", (), context()) == ""


# ---------------------------------------------------------------------------------------------
# gitlab
# ---------------------------------------------------------------------------------------------


def test_gitlab_code_quality_issue_shape_and_severities() -> None:
    issues = json.loads(render("gitlab", FINDINGS, context()))
    assert [i["severity"] for i in issues] == ["critical", "major", "major", "info"]
    assert issues[2]["location"] == {"path": "migrations/V1__init.sql", "lines": {"begin": 2, "end": 5}}
    assert issues[0]["check_name"] == "SL102 enum-stores-names-not-values"
    assert len({i["fingerprint"] for i in issues}) == len(issues)
    assert render("gitlab", (), context()) == "[]\n"


def test_gitlab_fingerprint_survives_a_line_shift() -> None:
    shifted = Finding(**{**_fields(TAB_INDENTED), "span": Span("app/models.py", 13, 2, 13, 8)})
    before = json.loads(render("gitlab", (TAB_INDENTED,), context()))[0]["fingerprint"]
    after = json.loads(render("gitlab", (shifted,), context()))[0]["fingerprint"]
    assert before == after


# ---------------------------------------------------------------------------------------------
# junit
# ---------------------------------------------------------------------------------------------


def test_junit_has_one_testcase_per_rule_that_ran_passing_when_clean() -> None:
    root = ET.fromstring(render("junit", (NON_ASCII_WITH_RELATED,), context()).encode("utf-8"))
    (suite,) = root
    cases = {case.get("name"): case for case in suite}
    assert set(cases) == {"SL102 enum-stores-names-not-values", "SL104 database-allows-unknown-values"}
    assert (suite.get("tests"), suite.get("failures")) == ("2", "1")
    failure = cases["SL102 enum-stores-names-not-values"].find("failure")
    assert failure is not None and failure.get("type") == "error"
    assert failure.text == "app/models.py:2:25: error: `orders.größe` writes enum names"
    assert list(cases["SL104 database-allows-unknown-values"]) == []


def test_junit_strips_characters_xml_cannot_carry() -> None:
    finding = Finding("SL001", "unparsed-statement", "info", "bell \x07 here", Span.file("a.sql"))
    ET.fromstring(render("junit", (finding,), context()).encode("utf-8"))


# ---------------------------------------------------------------------------------------------
# text and concise: source excerpts and --quiet
# ---------------------------------------------------------------------------------------------


def with_options(**changes: Any) -> ReportContext:
    ctx = context()
    return ReportContext(root=ctx.root, sources=ctx.sources, rules=ctx.rules, version=ctx.version, **changes)


def test_concise_is_one_line_per_finding_with_source_only_when_asked() -> None:
    plain = render("concise", FINDINGS, with_options())
    assert plain.splitlines()[:4] == [
        "app/models.py:2:25: SL102 [enum-stores-names-not-values] `orders.größe` writes enum names",
        "app/models.py:3:2: SL104 [database-allows-unknown-values] the database accepts `refunded`, "
        "which the model never writes",
        "migrations/V1__init.sql:2:1: SL103 [check-constraint-missing-values] `orders` is created "
        "without a CHECK on `status`",
        "migrations/V2__opaque.sql:1:1: SL001 [unparsed-statement] statement not understood: "
        "`DO $$ BEGIN END $$`",
    ]
    assert "help:" not in plain
    assert "  2 |     note" in render("concise", FINDINGS, with_options(show_source=True))


def test_text_no_show_source_keeps_help_and_related() -> None:
    out = render("text", FINDINGS, with_options(show_source=False))
    assert " | " not in out
    assert "  help: add a CHECK constraint" in out


def test_quiet_drops_the_summary_line() -> None:
    assert not render("text", FINDINGS, with_options(quiet=True)).rstrip().endswith("1 info).")
    assert render("text", (), with_options(quiet=True)) == ""
    assert render("concise", (), with_options(quiet=True)) == ""
    assert render("concise", (), with_options()) == "No findings.\n"


# ---------------------------------------------------------------------------------------------
# Exit codes, colour and the CLI options
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("severities", "fail_level", "exit_zero", "expected"),
    [
        (["warning"], "error", False, 0),
        (["error"], "error", False, 1),
        (["warning"], "warning", False, 1),
        (["info"], "warning", False, 0),
        (["info"], "info", False, 1),
        (["error"], "error", True, 0),
        ([], "info", False, 0),
    ],
)
def test_exit_code_by_fail_level(
    severities: list[str], fail_level: Any, exit_zero: bool, expected: int
) -> None:
    findings = [Finding("SL101", "enum-value-drift", s, "m", Span.file("a.py")) for s in severities]  # type: ignore[arg-type]
    assert exit_code(findings, fail_level, exit_zero) == expected


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    ("no_color", "environ", "tty", "expected"),
    [
        (False, {}, True, True),
        (False, {}, False, False),
        (True, {}, True, False),
        (False, {"NO_COLOR": "1"}, True, False),
        (False, {"NO_COLOR": ""}, True, True),  # set but empty: ignored (no-color.org)
        (False, {"FORCE_COLOR": "1"}, False, True),
        (False, {"FORCE_COLOR": "0"}, False, False),
        (False, {"FORCE_COLOR": "1", "NO_COLOR": "1"}, False, False),
        (True, {"FORCE_COLOR": "1"}, False, False),
    ],
)
def test_color_honours_no_color_and_force_color(
    no_color: bool, environ: dict[str, str], tty: bool, expected: bool
) -> None:
    stream = _Tty() if tty else io.StringIO()
    assert use_color(no_color, stream, environ) is expected


FIXTURE = Path(__file__).parent / "fixtures" / "output-formats" / "project"


def run(*args: str, env: dict[str, str] | None = None) -> Any:
    return CliRunner().invoke(main, ["check", str(FIXTURE), "--no-cache", *args], env=env)


def test_cli_exit_codes_for_exit_zero_and_fail_level() -> None:
    # The fixture reports one error (SL101) and one warning (SL403).
    assert run().exit_code == 1
    assert run("--exit-zero").exit_code == 0
    assert run("--select", "SL403").exit_code == 0
    assert run("--select", "SL403", "--fail-level", "warning").exit_code == 1
    assert run("--select", "SL403", "--fail-level", "info").exit_code == 1
    assert run("--select", "SL403", "--fail-level", "error").exit_code == 0
    assert run("--fail-level", "critical").exit_code == 2


def test_cli_force_color_colors_text_but_never_machine_formats() -> None:
    assert "\x1b[" in run("--format", "concise", env={"FORCE_COLOR": "1", "NO_COLOR": ""}).output
    assert "\x1b[" not in run("--format", "concise", env={"FORCE_COLOR": "1", "NO_COLOR": "1"}).output
    assert "\x1b[" not in run("--format", "json", env={"FORCE_COLOR": "1", "NO_COLOR": ""}).output


def test_cli_statistics_go_to_stderr_for_machine_formats() -> None:
    args = ["check", str(FIXTURE), "--no-cache", "--format", "json", "--statistics"]
    # Click < 8.2 mixes stderr into stdout unless told not to; 8.2 always keeps them apart.
    separate = "mix_stderr" in inspect.signature(CliRunner.__init__).parameters
    result = (CliRunner(mix_stderr=False) if separate else CliRunner()).invoke(main, args)  # type: ignore[call-arg]
    assert json.loads(result.stdout)  # still a valid report
    assert "migration statements read: 3" in result.stderr


def test_cli_output_file_and_quiet(tmp_path: Path) -> None:
    out = tmp_path / "report.sarif"
    result = run("--format", "sarif", "-o", str(out), "--quiet")
    assert result.output == ""
    assert json.loads(out.read_text(encoding="utf-8"))["version"] == "2.1.0"
    quiet = run("--format", "concise", "--quiet").output
    assert quiet.count("\n") == 2 and "Found" not in quiet


def test_cli_include_suppressed_only_adds_inline_suppressed_findings_to_sarif() -> None:
    plain = json.loads(run("--format", "sarif").output)["runs"][0]["results"]
    included = json.loads(run("--format", "sarif", "--include-suppressed").output)["runs"][0]["results"]
    assert len(included) == len(plain) + 1
    (suppressed,) = [r for r in included if "suppressions" in r]
    assert suppressed["suppressions"][0]["justification"].startswith("storniert orders")
    # The suppressed error does not change the exit code, and other formats ignore the option.
    assert run("--select", "SL403", "--include-suppressed").exit_code == 0
    assert "storniert" not in run("--format", "json", "--include-suppressed").output
