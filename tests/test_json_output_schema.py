"""Every JSON golden validates against the published schema of the JSON output."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

ROOT = Path(__file__).parent.parent
SCHEMA = json.loads((ROOT / "docs" / "json-output.schema.json").read_text())
GOLDENS = sorted((ROOT / "tests" / "fixtures").glob("*/expected.json"))


def test_schema_is_itself_valid_and_there_are_goldens_to_check() -> None:
    Draft202012Validator.check_schema(SCHEMA)
    assert len(GOLDENS) > 10


@pytest.mark.parametrize("golden", GOLDENS, ids=lambda p: p.parent.name)
def test_json_golden_matches_the_published_schema(golden: Path) -> None:
    errors = sorted(Draft202012Validator(SCHEMA).iter_errors(json.loads(golden.read_text())), key=str)
    assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors[:5]]


def test_schema_rejects_a_finding_without_a_position() -> None:
    finding = {"code": "SL101", "rule": "enum-value-drift", "severity": "error", "message": "m", "help": ""}
    assert list(Draft202012Validator(SCHEMA).iter_errors([finding]))
