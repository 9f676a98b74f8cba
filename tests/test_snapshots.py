"""MikroORM snapshots: enum columns read with their key's line, and SL110 against the model graph."""

from __future__ import annotations

import json
import time

from schemalint.extract.snapshots import extract_snapshot
from schemalint.facts import Span
from schemalint.graph import build_database_graph
from schemalint.model_graph import EnumUse, ModelColumnNode, ModelGraph, ModelTable
from schemalint.rule import RuleSettings
from schemalint.rules.snapshot_enum_drift import SnapshotEnumDrift
from schemalint.runner import RuleContext
from schemalint.tsfacts import SnapshotColumn, SnapshotFacts

PATH = "src/modules/render/migrations/.snapshot-render.json"

SNAPSHOT = """{
  "namespaces": ["public"],
  "name": "public",
  "tables": [
    {
      "columns": {
        "id": { "name": "id", "type": "text", "nullable": false, "mappedType": "text" },
        "status": {
          "name": "status",
          "type": "text",
          "default": "'{\\"status\\": 1}'",
          "enumItems": ["pending", "done"],
          "mappedType": "enum"
        }
      },
      "name": "render_job",
      "schema": "public",
      "indexes": [{ "keyName": "IDX_status", "columnNames": ["status"], "composite": false }],
      "checks": [],
      "foreignKeys": {}
    },
    {
      "columns": { "level": { "name": "level", "enumItems": [1, 2], "mappedType": "enum" } },
      "name": "audit",
      "schema": "reporting"
    }
  ]
}
"""


def test_enum_columns_are_read_at_the_line_of_their_key() -> None:
    facts = extract_snapshot(SNAPSHOT, PATH)
    assert facts.diagnostics == ()
    assert facts.columns == (
        SnapshotColumn("render_job", "status", ("pending", "done"), Span(PATH, 8, 9, 8, 17)),
        # A non-default PostgreSQL schema qualifies the table; numbers compare as JS spells them.
        SnapshotColumn("reporting.audit", "level", ("1", "2"), Span(PATH, 23, 20, 23, 27)),
    )


def test_a_key_named_like_a_column_inside_a_string_or_an_index_is_not_taken() -> None:
    text = SNAPSHOT.replace('"indexes": [{ "keyName"', '"indexes": [{ "status": 1, "keyName"')
    assert extract_snapshot(text, PATH).columns[0].span.line == 8


def test_invalid_json_is_a_syntax_error_at_its_position() -> None:
    facts = extract_snapshot('{\n  "tables": [\n}\n', PATH)
    assert [(d.code, d.span.line) for d in facts.diagnostics] == [("SL002", 3)]
    assert facts.columns == ()


def test_json_that_is_not_a_snapshot_is_reported_as_not_read() -> None:
    facts = extract_snapshot('{"compilerOptions": {}}', PATH)
    assert [d.code for d in facts.diagnostics] == ["SL004"]


def test_large_combined_snapshot_is_read_quickly() -> None:
    tables = [
        {
            "name": f"t{i}",
            "schema": "public",
            "columns": {
                f"c{j}": {"name": f"c{j}", "type": "text", "enumItems": ["a", "b"]} for j in range(20)
            },
            "indexes": [{"keyName": f"i{i}", "columnNames": ["c0"]}],
        }
        for i in range(400)
    ]
    text = json.dumps({"tables": tables}, indent=2)
    started = time.perf_counter()
    facts = extract_snapshot(text, PATH)
    assert len(facts.columns) == 8000
    assert facts.columns[-1].span.line > 60_000
    assert time.perf_counter() - started < 5


# ---------------------------------------------------------------------------------------------
# SL110
# ---------------------------------------------------------------------------------------------

MODEL_SPAN = Span("src/modules/render/models/render-job.ts", 5, 3, 5, 40)


def models(values: tuple[str, ...]) -> ModelGraph:
    use = EnumUse(values, "values", False, None, True, None, MODEL_SPAN)
    column = ModelColumnNode("render_job", "status", "status", MODEL_SPAN, False, use, (), None, "RenderJob")
    return ModelGraph({"render_job": ModelTable("render_job", "RenderJob", MODEL_SPAN, (column,), ())}, {})


def sl110(values: tuple[str, ...]) -> list[tuple[int, str, tuple[str, ...]]]:
    ctx = RuleContext(
        dialect="postgresql",
        database=build_database_graph((), "postgresql"),
        models=models(values),
        migrations=(),
        modules=(),
        settings=RuleSettings(),
        snapshots=(extract_snapshot(SNAPSHOT, PATH), SnapshotFacts("other.json")),
    )
    return [
        (f.span.line, f.message, tuple(r.message for r in f.related)) for f in SnapshotEnumDrift().check(ctx)
    ]


def test_snapshot_behind_the_model_is_reported_at_the_snapshot_with_the_model_related() -> None:
    assert sl110(("pending", "running", "done")) == [
        (
            8,
            "the snapshot records `render_job.status` with enum items `pending`, `done` while the model "
            "writes `pending`, `running`, `done`: the next generated migration rewrites the column's CHECK "
            "constraint to add `running`",
            ("model column",),
        )
    ]


def test_reordered_values_count_as_drift_like_mikro_orm_compares_them() -> None:
    [(_, message, _)] = sl110(("done", "pending"))
    assert message.endswith("to reorder the values")


def test_snapshot_that_matches_the_model_is_quiet() -> None:
    assert sl110(("pending", "done")) == []
