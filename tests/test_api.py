"""The Python API: ``schemalint.check`` returns typed findings, like the CLI without output."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import schemalint
from schemalint.api import CheckError, Finding, Report
from tests.conftest import write_project
from tests.test_adoption import MIGRATION, MODELS


@pytest.fixture
def drift_project(tmp_path: Path) -> Path:
    return write_project(tmp_path, {"migrations/V1__init.sql": MIGRATION, "app/models.py": MODELS})


def test_check_returns_typed_findings(drift_project: Path) -> None:
    report = schemalint.check(drift_project, use_cache=False)
    assert isinstance(report, Report)
    assert report.root == drift_project.resolve()
    (finding,) = report.findings
    assert isinstance(finding, Finding)
    assert (finding.code, finding.rule, finding.severity) == ("SL101", "enum-value-drift", "error")
    assert (finding.span.path, finding.span.line) == ("app/models.py", 20)
    assert finding.data.table == "users" and finding.data.column == "status"
    assert finding.data.missing == ("suspended",)
    assert finding.related[0].span.path == "migrations/V1__init.sql"
    assert report.failed and report.by_severity("error") == report.findings


def test_check_accepts_settings_as_a_mapping(drift_project: Path) -> None:
    report = schemalint.check(
        [str(drift_project)],
        config={"severity": {"SL101": "info"}, "test_dialects": ["sqlite"]},
        use_cache=False,
    )
    assert {f.code: f.severity for f in report.findings} == {"SL101": "info", "SL305": "warning"}
    assert not report.failed


def test_check_accepts_a_settings_file_and_select(drift_project: Path, tmp_path: Path) -> None:
    settings = tmp_path / "elsewhere.toml"
    settings.write_text('ignore = ["SL101"]\n')
    assert schemalint.check(drift_project, config=settings, use_cache=False).findings == ()
    assert schemalint.check(drift_project, select=["SL2"], use_cache=False).rules[0].startswith("SL2")


def test_check_raises_check_error_naming_the_bad_key(drift_project: Path) -> None:
    with pytest.raises(CheckError, match="unknown key `selct`"):
        schemalint.check(drift_project, config={"selct": ["SL1"]})
    with pytest.raises(CheckError, match="path does not exist"):
        schemalint.check(drift_project / "nowhere")


def test_import_schemalint_does_not_load_the_engine() -> None:
    code = "import sys, schemalint; print(sorted(m for m in sys.modules if m.startswith(('schemalint.', 'pydantic', 'sqlglot', 'click'))))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
