"""``schemalint graph``: both schema graphs and their differences, as JSON, text or a Mermaid ER diagram.

This shows what schemalint believes: the database after every migration ran (tables, columns
with type, nullability and default, enum types with their labels, CHECK value sets), what the
models write, and the differences the rules compare (tables and columns on one side only, enum
values one side has and the other lacks). It never decides severity: that is the rules' job.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from schemalint.compare import column_allowed, enum_pairs, rejected_values, structural_model_tables
from schemalint.facts import ColumnType, DefaultValue, Span
from schemalint.graph import DatabaseGraph, DbColumn, DbTable, ident_key
from schemalint.model_graph import ModelColumnNode, ModelGraph, ModelTable
from schemalint.runner import RuleContext


@dataclass(frozen=True, slots=True)
class Difference:
    """One disagreement between the graphs, named like the rules name their subjects."""

    kind: str  # see DIFFERENCE_KINDS
    table: str
    column: str | None = None
    missing: tuple[str, ...] = ()  # values the models write that the database rejects
    extra: tuple[str, ...] = ()  # values the database accepts that the models never write

    @property
    def subject(self) -> str:
        return f"{self.table}.{self.column}" if self.column else self.table

    def as_dict(self) -> dict[str, object]:
        out: dict[str, object] = {"kind": self.kind, "table": self.table}
        if self.column is not None:
            out["column"] = self.column
        if self.missing:
            out["missing"] = list(self.missing)
        if self.extra:
            out["extra"] = list(self.extra)
        return out


DIFFERENCE_KINDS: Mapping[str, str] = {
    "table-only-in-models": "a model table no migration creates",
    "table-only-in-database": "a table the migrations create that no model maps",
    "column-only-in-models": "a model column no migration creates",
    "column-only-in-database": "a database column the model does not map",
    "enum-values": "the values a model writes and the values the database accepts differ",
}


def differences(ctx: RuleContext) -> list[Difference]:
    """The differences the rules compare, sorted by subject.

    Tables and columns are compared where the structural rules (SL201-SL205) compare them:
    complete Python model tables, with a migration history that starts from nothing. Enum
    values are compared for every model enum column the database has (SL101-SL104).
    """
    database, dialect = ctx.database, ctx.dialect
    out: list[Difference] = []
    model_tables = tuple(ctx.models.tables.values())
    compared = list(structural_model_tables(model_tables, database, bool(ctx.migrations)))
    for table, db_table in compared:
        if db_table is None:
            out.append(Difference("table-only-in-models", table.name))
            continue
        mapped = {ident_key(c.name, dialect) for c in table.columns}
        out += [
            Difference("column-only-in-models", table.name, c.name)
            for c in table.columns
            if db_table.column(c.name, dialect) is None
        ]
        out += [
            Difference("column-only-in-database", table.name, c.name)
            for c in db_table.columns
            if ident_key(c.name, dialect) not in mapped
        ]
    if compared and not database.unknowable and not database.presumed:
        modelled = {ident_key(t.name, dialect) for t in model_tables}
        out += [
            Difference("table-only-in-database", t.name)
            for t in database.tables.values()
            if ident_key(t.name, dialect) not in modelled
        ]
    for pair in enum_pairs(model_tables, database):
        allowed = column_allowed(pair, dialect)
        if allowed is None:
            continue
        missing = rejected_values(pair, pair.use.persisted, dialect)
        extra = tuple(v for v in allowed if v not in pair.use.persisted)
        if missing or extra:
            out.append(
                Difference("enum-values", pair.model_table.name, pair.model_column.name, missing, extra)
            )
    return sorted(out, key=lambda d: (d.table, d.column or "", d.kind))


# --------------------------------------------------------------------------------------------
# The document: one JSON-able value that every format renders.
# --------------------------------------------------------------------------------------------


def _where(span: Span) -> str:
    return f"{span.path}:{span.line}"


def type_text(column_type: ColumnType | None) -> str:
    """A column type as SQL would spell it, lower-case (``varchar(20)``, ``userrole``)."""
    if column_type is None:
        return "unknown"
    if column_type.type_ref is not None:
        return column_type.type_ref
    name = column_type.name.lower() or column_type.family
    if column_type.labels is not None and "(" not in name:
        return f"{name}({', '.join(repr(label) for label in column_type.labels)})"
    if column_type.length is not None and "(" not in name:
        return f"{name}({column_type.length})"
    return name


def default_text(default: DefaultValue | None) -> str | None:
    if default is None:
        return None
    if default.is_literal and default.value is not None:
        return repr(default.value)
    return default.sql or default.value


def _db_column(column: DbColumn) -> dict[str, Any]:
    return {
        "name": column.name,
        "type": type_text(column.type),
        "nullable": column.nullable,
        "default": default_text(column.default),
        "declared": _where(column.provenance.declared),
    }


def _db_table(database: DatabaseGraph, table: DbTable) -> dict[str, Any]:
    checks = [
        {
            "name": c.name,
            "column": c.column,
            "values": list(c.values),
            "declared": _where(c.provenance.declared),
        }
        for c in table.checks
        if c.values is not None
    ]
    return {
        "name": table.name,
        "declared": _where(table.provenance.declared),
        "columns": [_db_column(c) for c in table.columns],
        "checks": checks,
    }


def _model_column(column: ModelColumnNode) -> dict[str, Any]:
    out: dict[str, Any] = {
        "name": column.name,
        "attribute": column.attribute,
        "type": type_text(column.type) if column.type is not None else None,
        "nullable": column.nullable,
        "primary_key": column.primary_key,
        "defaults": [d.value for d in column.defaults],
        "declared": _where(column.span),
    }
    if column.enum is not None:
        out["enum"] = {
            "type_name": column.enum.type_name,
            "native": column.enum.native,
            "stores": column.enum.stores,
            "writes": list(column.enum.persisted),
        }
    return out


def _model_table(table: ModelTable) -> dict[str, Any]:
    return {
        "name": table.name,
        "class": table.class_name,
        "declared": _where(table.span),
        "complete": table.structural and not table.partial,
        "columns": [_model_column(c) for c in table.columns],
        "checks": [
            {"name": c.name, "column": c.column, "values": list(c.values), "declared": _where(c.span)}
            for c in table.checks
            if c.values is not None
        ],
    }


def graph_document(ctx: RuleContext) -> dict[str, Any]:
    """Both graphs and their differences as plain data (the ``--format json`` output)."""
    database: DatabaseGraph = ctx.database
    models: ModelGraph = ctx.models
    notes = [f"{_where(u.span)}: {u.reason}" for u in database.unknowable]
    notes += [f"{_where(span)}: `{name}` is altered but never created" for name, span in database.presumed]
    return {
        "dialect": ctx.dialect,
        "database": {
            "tables": [_db_table(database, database.tables[k]) for k in sorted(database.tables)],
            "enum_types": [
                {
                    "name": e.name,
                    "labels": list(e.labels) if e.labels_known else None,
                    "declared": _where(e.provenance.declared),
                }
                for _, e in sorted(database.enum_types.items())
            ],
            "notes": notes,
        },
        "models": {"tables": [_model_table(models.tables[k]) for k in sorted(models.tables)]},
        "differences": [d.as_dict() for d in differences(ctx)],
    }


# --------------------------------------------------------------------------------------------
# Renderers, registered by format name.
# --------------------------------------------------------------------------------------------

GraphRenderer = Callable[[Mapping[str, Any]], str]
RENDERERS: dict[str, GraphRenderer] = {}


def renderer(name: str) -> Callable[[GraphRenderer], GraphRenderer]:
    def register(function: GraphRenderer) -> GraphRenderer:
        RENDERERS[name] = function
        return function

    return register


@renderer("json")
def render_json(document: Mapping[str, Any]) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _nullability(nullable: bool | None) -> str:
    return {True: "null", False: "not null", None: "nullability unknown"}[nullable]


def _describe_difference(diff: Mapping[str, Any]) -> str:
    subject = f"{diff['table']}.{diff['column']}" if "column" in diff else diff["table"]
    parts = [f"{diff['kind']}: {subject}"]
    if diff.get("missing"):
        parts.append("the database rejects " + ", ".join(diff["missing"]))
    if diff.get("extra"):
        parts.append("the models never write " + ", ".join(diff["extra"]))
    return "; ".join(parts)


@renderer("text")
def render_text(document: Mapping[str, Any]) -> str:
    lines = [f"Database (after every migration, {document['dialect']})"]
    database = document["database"]
    for table in database["tables"]:
        lines.append(f"  table {table['name']}  ({table['declared']})")
        for column in table["columns"]:
            default = f" default {column['default']}" if column["default"] is not None else ""
            lines.append(
                f"    {column['name']}: {column['type']}, {_nullability(column['nullable'])}{default}"
            )
        for check in table["checks"]:
            name = check["name"] or "unnamed"
            lines.append(f"    check {name} on {check['column']}: {', '.join(check['values'])}")
    for enum in database["enum_types"]:
        labels = ", ".join(enum["labels"]) if enum["labels"] is not None else "(labels unknown)"
        lines.append(f"  enum {enum['name']}: {labels}  ({enum['declared']})")
    lines += [f"  note: {note}" for note in database["notes"]]
    if not database["tables"] and not database["enum_types"]:
        lines.append("  (empty)")
    lines += ["", "Models"]
    for table in document["models"]["tables"]:
        partial = "" if table["complete"] else ", enum columns only or partly hidden"
        lines.append(f"  table {table['name']}  (class {table['class']}, {table['declared']}{partial})")
        for column in table["columns"]:
            kind = column["type"] or "unknown"
            enum = column.get("enum")
            if enum is not None:
                kind = f"enum {enum['type_name'] or ''} writes {', '.join(enum['writes'])}".replace("  ", " ")
            lines.append(f"    {column['name']}: {kind}, {_nullability(column['nullable'])}")
    if not document["models"]["tables"]:
        lines.append("  (empty)")
    lines += ["", "Differences"]
    lines += [f"  {_describe_difference(d)}" for d in document["differences"]] or ["  (none)"]
    return "\n".join(lines) + "\n"


# Mermaid's erDiagram grammar: entity names and attribute words are [A-Za-z0-9_-] (types may
# also hold brackets and parentheses); comments are double-quoted strings without quotes.
_NOT_NAME = re.compile(r"[^A-Za-z0-9_-]")
_NOT_TYPE = re.compile(r"[^A-Za-z0-9_()\[\]-]")


def _mermaid_name(name: str) -> str:
    cleaned = _NOT_NAME.sub("_", name)
    return cleaned if cleaned[:1].isalpha() or cleaned[:1] == "_" else f"_{cleaned}"


def _mermaid_type(text: str) -> str:
    cleaned = _NOT_TYPE.sub("_", text.replace(", ", ","))
    return cleaned if cleaned[:1].isalpha() else f"t_{cleaned}"


def _mermaid_comment(text: str) -> str:
    return text.replace('"', "'")


@renderer("mermaid")
def render_mermaid(document: Mapping[str, Any]) -> str:
    """One entity per table (both sides merged); mismatches marked ``MISMATCH`` in the comments.

    Columns present on one side only, and enum columns whose values differ, carry the
    difference in their comment; tables on one side only say so in a ``%%`` line and in a
    marker attribute, since entities cannot carry comments.
    """
    diffs: dict[tuple[str, str | None], list[Mapping[str, Any]]] = {}
    for diff in document["differences"]:
        diffs.setdefault((diff["table"], diff.get("column")), []).append(diff)
    db_tables = {t["name"]: t for t in document["database"]["tables"]}
    model_tables = {t["name"]: t for t in document["models"]["tables"]}
    enum_labels = {e["name"]: e["labels"] for e in document["database"]["enum_types"]}
    lines = ["erDiagram"]
    for name in sorted(set(db_tables) | set(model_tables)):
        db_table, model_table = db_tables.get(name), model_tables.get(name)
        table_diffs = diffs.get((name, None), [])
        for diff in table_diffs:
            lines.append(f"    %% MISMATCH {diff['kind']}: {name}")
        lines.append(f"    {_mermaid_name(name)} {{")
        for diff in table_diffs:
            lines.append(f'        marker MISMATCH "{_mermaid_comment(DIFFERENCE_KINDS[diff["kind"]])}"')
        model_columns = {c["name"]: c for c in model_table["columns"]} if model_table else {}
        db_columns = {c["name"]: c for c in db_table["columns"]} if db_table else {}
        order = list(db_columns) + [c for c in model_columns if c not in db_columns]
        for column_name in order:
            db_column, model_column = db_columns.get(column_name), model_columns.get(column_name)
            column = db_column or model_column
            assert column is not None
            notes = []
            if db_column is not None:
                notes.append(_nullability(db_column["nullable"]))
                if db_column["default"] is not None:
                    notes.append(f"default {db_column['default']}")
                labels = enum_labels.get(db_column["type"])
                if labels:
                    notes.append("labels " + "|".join(labels))
            elif model_column is not None:
                notes.append(f"model: {_nullability(model_column['nullable'])}")
            if model_column is not None and model_column.get("enum"):
                notes.append("model writes " + "|".join(model_column["enum"]["writes"]))
            for diff in diffs.get((name, column_name), []):
                detail = DIFFERENCE_KINDS[diff["kind"]]
                if diff.get("missing"):
                    detail = "rejected " + "|".join(diff["missing"])
                    if diff.get("extra"):
                        detail += "; never written " + "|".join(diff["extra"])
                elif diff.get("extra"):
                    detail = "never written " + "|".join(diff["extra"])
                notes.append(f"MISMATCH {detail}")
            key = " PK" if model_column is not None and model_column["primary_key"] else ""
            type_name = _mermaid_type(column["type"] or "unknown")
            comment = _mermaid_comment("; ".join(notes))
            lines.append(f'        {type_name} {_mermaid_name(column_name)}{key} "{comment}"')
        lines.append("    }")
    return "\n".join(lines) + "\n"


def render_graph(output_format: str, document: Mapping[str, Any]) -> str:
    return RENDERERS[output_format](document)


def build_context(
    paths: Sequence[Path], dialect: str | None, config_file: Path | None, use_cache: bool
) -> RuleContext:
    """Discover the project holding ``paths[0]`` and build both graphs, running no rule."""
    from schemalint.config import load_config
    from schemalint.discovery import discover
    from schemalint.runner import analyze

    loaded = load_config(config_file, paths[0])
    project = discover(paths, loaded, dialect)
    return analyze(project, (), use_cache=use_cache, options=loaded.config.rule_options()).context
