"""Every tests/fixtures/<case>/ project through the CLI, compared with its golden outputs.

Set SCHEMALINT_UPDATE_GOLDENS=1 to rewrite the goldens after a deliberate change.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from jsonschema import Draft4Validator

from schemalint.cli import main

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

FIXTURES = Path(__file__).parent / "fixtures"
UPDATE = os.environ.get("SCHEMALINT_UPDATE_GOLDENS") == "1"


def fixture_cases() -> list[Path]:
    return sorted(p for p in FIXTURES.iterdir() if (p / "fixture.toml").exists())


def load_fixture(case: Path) -> tuple[Path, list[str], dict[str, object]]:
    spec = tomllib.loads((case / "fixture.toml").read_text())
    project = (case / str(spec.get("project", "project"))).resolve()
    return project, [str(a) for a in spec.get("args", [])], spec


def run_cli(project: Path, args: list[str], output_format: str) -> tuple[int, str]:
    result = CliRunner().invoke(
        main, ["check", str(project), "--no-cache", "--no-color", "--format", output_format, *args]
    )
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.output


def compare_golden(path: Path, actual: str) -> None:
    if UPDATE or not path.exists():
        path.write_text(actual, encoding="utf-8")
        if not UPDATE:
            pytest.fail(f"golden {path.name} was missing and has been written; review and commit it")
    assert actual == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("case", fixture_cases(), ids=lambda p: p.name)
def test_fixture_matches_goldens(case: Path, sarif_validator: Draft4Validator) -> None:
    project, args, spec = load_fixture(case)
    assert (case / "README.md").exists(), "every fixture says what it proves"
    code, text = run_cli(project, args, "text")
    compare_golden(case / "expected.txt", text)
    code_json, raw = run_cli(project, args, "json")
    compare_golden(case / "expected.json", raw)
    findings = json.loads(raw)
    assert code == code_json == (1 if any(f["severity"] == "error" for f in findings) else 0)
    if spec.get("sarif"):
        _, sarif = run_cli(project, args, "sarif")
        sarif_validator.validate(json.loads(sarif))
        compare_golden(case / "expected.sarif.json", sarif)
