"""Adopting schemalint in an existing project: new settings keys, the baseline, changed-files scoping."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from schemalint.baseline import baseline_document, identity, read_baseline, write_baseline
from schemalint.cli import main
from schemalint.facts import Span
from schemalint.findings import Finding
from tests.conftest import write_project

MIGRATION = (
    "CREATE TYPE user_status AS ENUM ('active', 'invited');\n"
    "CREATE TABLE users (id serial PRIMARY KEY, status user_status NOT NULL, data jsonb);\n"
)
MODELS = """import enum

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class UserStatus(enum.Enum):
    active = "active"
    invited = "invited"
    suspended = "suspended"


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    status = mapped_column(
        sa.Enum(UserStatus, name="user_status", values_callable=lambda e: [m.value for m in e]),
        nullable=False,
    )
    data = mapped_column(sa.JSON)
"""


def invoke(*args: str) -> Result:
    return CliRunner().invoke(main, [*args, "--no-cache"])


def codes(result: Result) -> list[str]:
    return [f["code"] for f in json.loads(result.output)]


@pytest.fixture
def drift_project(tmp_path: Path) -> Path:
    return write_project(tmp_path, {"migrations/V1__init.sql": MIGRATION, "app/models.py": MODELS})


def configure(root: Path, text: str) -> None:
    (root / "pyproject.toml").write_text(f"[project]\nname = 'example'\n\n[tool.schemalint]\n{text}")


# ---- config errors name the bad key and exit 2 ----------------------------------------------


@pytest.mark.parametrize(
    ("settings", "named"),
    [
        ('extend-select = ["SL999"]\n', "`extend-select[0]`: unknown rule code or name `SL999`"),
        ('extend-select = "SL305"\n', "`extend-select` expects a list of strings"),
        ('[tool.schemalint.per-file-ignores]\n"tests/*" = ["nope"]\n', '`per-file-ignores."tests/*"[0]`'),
        ('[tool.schemalint.per-file-ignores]\n"tests/*" = "SL101"\n', '`per-file-ignores."tests/*"` expects'),
        ('fail-level = "fatal"\n', '`fail-level` expects one of "error", "warning", "info"'),
        ('[tool.schemalint.severity]\nSL101 = "fatal"\n', "`severity.SL101` expects one of"),
        ('[tool.schemalint.severity]\nSL999 = "info"\n', "`severity.SL999`: unknown rule code or name"),
        (
            '[tool.schemalint.rules.SL305]\ntest-dialect = ["sqlite"]\n',
            "unknown key `rules.SL305.test-dialect`",
        ),
        (
            '[tool.schemalint.rules.non-portable-ddl]\ntest-dialects = "x"\n',
            "`rules.non-portable-ddl.test-dialects`",
        ),
        (
            "[tool.schemalint.rules.SL101]\nanything = 1\n",
            "`rules.SL101`: rule SL101 [enum-value-drift] has no options",
        ),
        ("[tool.schemalint.rules.SL999]\nx = 1\n", "`rules.SL999`: unknown rule code or name"),
        ("baseline = 3\n", "`baseline` expects a string, got integer 3"),
    ],
)
def test_config_error_names_the_key_and_exits_2(drift_project: Path, settings: str, named: str) -> None:
    configure(drift_project, settings)
    result = invoke("check", str(drift_project))
    assert result.exit_code == 2, result.output
    assert named in result.output
    assert "pyproject.toml: [tool.schemalint] " in result.output


# ---- the new keys ---------------------------------------------------------------------------


def test_extend_select_adds_to_the_default_rules(drift_project: Path) -> None:
    configure(drift_project, 'test-dialects = ["sqlite"]\nextend-select = ["column-not-in-models"]\n')
    found = codes(invoke("check", str(drift_project), "--format", "json"))
    assert "SL101" in found  # a default rule still runs
    assert "SL305" in found


def test_per_file_ignores_matches_patterns_relative_to_the_config_file(drift_project: Path) -> None:
    configure(drift_project, '[tool.schemalint.per-file-ignores]\n"app/*.py" = ["SL1"]\n')
    assert "SL101" not in codes(invoke("check", str(drift_project), "--format", "json"))
    configure(drift_project, '[tool.schemalint.per-file-ignores]\n"migrations/" = ["SL101"]\n')
    assert "SL101" in codes(invoke("check", str(drift_project), "--format", "json"))


def test_severity_override_changes_the_finding_and_the_exit_code(drift_project: Path) -> None:
    configure(drift_project, '[tool.schemalint.severity]\nenum-value-drift = "warning"\n')
    result = invoke("check", str(drift_project), "--format", "json")
    assert {f["code"]: f["severity"] for f in json.loads(result.output)}["SL101"] == "warning"
    assert result.exit_code == 0


def test_fail_level_warning_fails_on_warnings(drift_project: Path) -> None:
    configure(drift_project, 'fail-level = "warning"\n[tool.schemalint.severity]\nSL101 = "warning"\n')
    assert invoke("check", str(drift_project)).exit_code == 1


def test_rule_options_by_name_configure_the_rule(drift_project: Path) -> None:
    configure(drift_project, '[tool.schemalint.rules.non-portable-ddl]\ntest-dialects = ["sqlite3"]\n')
    assert "SL305" in codes(invoke("check", str(drift_project), "--format", "json"))
    configure(
        drift_project, 'test-dialects = ["sqlite"]\n[tool.schemalint.rules.SL305]\ntest-dialects = []\n'
    )
    assert "SL305" not in codes(invoke("check", str(drift_project), "--format", "json"))


# ---- baseline -------------------------------------------------------------------------------


def test_baseline_round_trip_survives_a_line_shift_and_reports_new_values(drift_project: Path) -> None:
    baseline = drift_project / ".schemalint-baseline.json"
    written = invoke("check", str(drift_project), "--write-baseline", str(baseline))
    assert written.exit_code == 0
    assert "recorded 1 finding(s)" in written.output
    configure(drift_project, 'baseline = ".schemalint-baseline.json"\n')
    assert invoke("check", str(drift_project)).exit_code == 0

    models = drift_project / "app" / "models.py"
    models.write_text('"""Models."""\n# shifted\n# by four\n# lines\n' + MODELS)
    shifted = invoke("check", str(drift_project), "--format", "json")
    assert shifted.exit_code == 0 and codes(shifted) == []

    models.write_text(
        MODELS.replace(
            '    suspended = "suspended"\n', '    suspended = "suspended"\n    banned = "banned"\n'
        )
    )
    changed = invoke("check", str(drift_project), "--format", "json")
    assert changed.exit_code == 1
    (finding,) = json.loads(changed.output)
    assert finding["code"] == "SL101" and "`banned`" in finding["message"]


def test_baseline_file_is_sorted_versioned_json(drift_project: Path) -> None:
    baseline = drift_project / "baseline.json"
    invoke("check", str(drift_project), "--write-baseline", str(baseline))
    document = json.loads(baseline.read_text())
    assert document["version"] == 1
    (entry,) = document["findings"]
    assert entry["code"] == "SL101" and entry["path"] == "app/models.py" and entry["count"] == 1
    assert entry["subject"]["missing"] == ["suspended"]
    assert "line" not in json.dumps(entry["subject"])
    first = baseline.read_bytes()
    invoke("check", str(drift_project), "--write-baseline", str(baseline))
    assert baseline.read_bytes() == first


def test_baseline_option_wins_and_a_missing_baseline_exits_2(drift_project: Path) -> None:
    assert invoke("check", str(drift_project), "--baseline", str(drift_project / "none.json")).exit_code == 2
    configure(drift_project, 'baseline = "missing.json"\n')
    result = invoke("check", str(drift_project))
    assert result.exit_code == 2 and "baseline file not found" in result.output


def _finding(line: int) -> Finding:
    return Finding("SL001", "unparsed-statement", "warning", "not read", Span("m.sql", line, 1, line, 5))


def test_finding_without_data_is_identified_by_its_normalised_line() -> None:
    before = {"m.sql": "CREATE TABLE t (id int);\nDO $$  BEGIN END $$;\n"}
    after = {"m.sql": "-- new\n\nCREATE TABLE t (id int);\nDO $$ BEGIN   END $$;\n"}
    assert identity(_finding(2), before) == identity(_finding(4), after)
    assert identity(_finding(2), before) != identity(_finding(3), after)


def test_identical_findings_are_counted(tmp_path: Path) -> None:
    sources = {"m.sql": "DO x;\nDO x;\nDO x;\n"}
    path = tmp_path / "b.json"
    write_baseline(path, [_finding(1), _finding(2)], sources)
    assert baseline_document([_finding(1), _finding(2)], sources)["findings"][0]["count"] == 2
    new, known, gone = read_baseline(path).split([_finding(1), _finding(2), _finding(3)], sources)
    assert (len(new), len(known), gone) == (1, 2, 0)


# ---- changed files --------------------------------------------------------------------------


def test_changed_files_report_findings_located_or_related_in_them(drift_project: Path) -> None:
    migration = drift_project / "migrations" / "V1__init.sql"
    models = drift_project / "app" / "models.py"
    other = write_project(drift_project, {"app/other.py": "X = 1\n"}) / "app" / "other.py"
    # SL101 is reported at the model; its related location is the migration's CREATE TYPE.
    for changed, expected in ((models, ["SL101"]), (migration, ["SL101"]), (other, [])):
        result = invoke("check", "--changed-files", "--format", "json", str(changed))
        assert codes(result) == expected, changed
    # Without the flag a file path still means "the project containing it".
    assert codes(invoke("check", "--format", "json", str(other))) == ["SL101"]


def test_changed_files_that_were_deleted_report_nothing(drift_project: Path) -> None:
    result = invoke("check", "--changed-files", str(drift_project / "gone.py"))
    assert result.exit_code == 0 and result.output == ""
