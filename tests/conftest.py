"""Shared test helpers: write a small project to disk and run schemalint over it."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

import pytest

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
