"""Every tests/fixtures/<case>/ project through the CLI, compared with its golden outputs.

Every case has expected.txt and expected.json. fixture.toml may ask for more: ``formats = [...]``
(a golden ``expected.<format>.<ext>`` each; ``sarif = true`` is short for ``formats = ["sarif"]``)
and ``[[variants]]`` (``name``, ``format``, extra ``args``: golden ``expected.<name>.<ext>``).
SARIF goldens are validated against the official schema, JUnit goldens parsed as XML.

Set SCHEMALINT_UPDATE_GOLDENS=1 to rewrite the goldens after a deliberate change.
"""

from __future__ import annotations

import json
import os
import sys
import xml.etree.ElementTree as ET
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
EXTENSIONS = {"text": "txt", "concise": "txt", "github": "txt", "json": "json", "gitlab": "json"}
EXTENSIONS |= {"sarif": "json", "junit": "xml"}


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
    formats = [str(f) for f in spec.get("formats", ["sarif"] if spec.get("sarif") else [])]
    variants = [(f, f, []) for f in formats]
    variants += [
        (str(v["name"]), str(v["format"]), [str(a) for a in v.get("args", [])])
        for v in spec.get("variants", [])
    ]
    for name, output_format, extra in variants:
        code_format, out = run_cli(project, [*args, *extra], output_format)
        assert code_format == code, f"{name}: the exit code does not depend on the format"
        check_output_is_well_formed(output_format, out, sarif_validator)
        compare_golden(case / f"expected.{name}.{EXTENSIONS[output_format]}", out)


def check_output_is_well_formed(output_format: str, out: str, sarif_validator: Draft4Validator) -> None:
    if output_format == "sarif":
        sarif_validator.validate(json.loads(out))
    elif output_format in ("json", "gitlab"):
        assert isinstance(json.loads(out), list)
    elif output_format == "junit":
        assert ET.fromstring(out.encode("utf-8")).tag == "testsuites"
