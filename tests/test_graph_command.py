"""``schemalint graph``: both schema graphs and their differences, checked against goldens."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from schemalint.cli import main

# A fixture without fixture.toml: test_fixtures does not run `check` over it.
CASE = Path(__file__).parent / "fixtures" / "graph-small"
UPDATE = os.environ.get("SCHEMALINT_UPDATE_GOLDENS") == "1"
SUFFIXES = {"json": "json", "text": "txt", "mermaid": "mmd"}


def graph(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["graph", *args])
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.output


@pytest.mark.parametrize("output_format", sorted(SUFFIXES))
def test_graph_output_matches_golden(output_format: str) -> None:
    code, output = graph(str(CASE / "project"), "--no-cache", "--format", output_format)
    assert code == 0
    golden = CASE / f"expected.graph.{SUFFIXES[output_format]}"
    if UPDATE or not golden.exists():
        golden.write_text(output, encoding="utf-8")
        if not UPDATE:
            pytest.fail(f"golden {golden.name} was missing and has been written; review and commit it")
    assert output == golden.read_text(encoding="utf-8")


def test_graph_json_lists_every_kind_of_difference_the_fixture_has() -> None:
    _, output = graph(str(CASE / "project"), "--no-cache", "--format", "json")
    document = json.loads(output)
    kinds = {(d["kind"], d["table"], d.get("column")) for d in document["differences"]}
    assert kinds == {
        ("table-only-in-models", "audit_log", None),
        ("column-only-in-models", "users", "nickname"),
        ("column-only-in-database", "orders", "legacy_code"),
        ("enum-values", "users", "status"),
        ("enum-values", "orders", "state"),
    }
    enum_types = {e["name"]: e["labels"] for e in document["database"]["enum_types"]}
    assert enum_types == {"user_status": ["active", "invited"]}


def test_graph_mermaid_is_an_er_diagram_with_mismatches_marked() -> None:
    _, output = graph(str(CASE / "project"), "--no-cache", "--format", "mermaid")
    assert output.startswith("erDiagram\n")
    assert "status \"not null; default 'active'; labels active|invited" in output
    assert "MISMATCH rejected suspended" in output


def test_graph_of_a_missing_path_exits_2(tmp_path: Path) -> None:
    code, _ = graph(str(tmp_path / "nowhere"))
    assert code == 2


def test_graph_with_a_bad_config_names_the_key_and_exits_2(tmp_path: Path) -> None:
    (tmp_path / "schemalint.toml").write_text('fail-level = "fatal"\n')
    code, output = graph(str(tmp_path))
    assert code == 2
    assert "`fail-level`" in output
