"""MikroORM ``.snapshot-*.json`` files: the enum columns the schema generator last wrote.

The snapshot is the migration generator's memory (what it believes the schema is after the last
generated migration), not the database: hand-written migrations, failed runs and git-ignored or
stale snapshots all make it differ from what the migrations build. It is read only to predict
the next generated migration (SL110), never as the database side.

Format (MikroORM 6): ``{"tables": [{"name", "schema", "columns": {"<col>": {"enumItems": [...],
"mappedType": "enum", ...}}}]}``. ``json`` gives no positions, so a small tokenizer finds the
line of each ``"<col>":`` key inside ``tables[i].columns``.
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Iterator

from schemalint.facts import Diagnostic, Span
from schemalint.tsfacts import SnapshotColumn, SnapshotFacts
from schemalint.tsir import js_string

# One JSON token: a string (escapes kept), a structural character, or a bare literal.
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\]:,]|[^\s{}\[\]:,"]+', re.S)
_DEFAULT_SCHEMAS = frozenset({"", "public"})


def extract_snapshot(text: str, path: str) -> SnapshotFacts:
    """The columns with ``enumItems`` in a MikroORM snapshot, each at the line of its key."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        span = Span(path, exc.lineno, exc.colno, exc.lineno, exc.colno + 1)
        return SnapshotFacts(path, diagnostics=(Diagnostic("SL002", f"invalid JSON: {exc.msg}", span),))
    tables = data.get("tables") if isinstance(data, dict) else None
    if not isinstance(tables, list):
        return SnapshotFacts(
            path,
            diagnostics=(
                Diagnostic(
                    "SL004",
                    "this file has no `tables` list, so it is not read as a MikroORM schema snapshot",
                    Span.file(path),
                ),
            ),
        )
    wanted = {
        (i, name)
        for i, table in enumerate(tables)
        if isinstance(table, dict) and isinstance(table.get("columns"), dict)
        for name, column in table["columns"].items()
        if isinstance(column, dict) and isinstance(column.get("enumItems"), list)
    }
    if not wanted:
        return SnapshotFacts(path)
    positions = dict(_column_key_positions(text, wanted))
    lines = _LineIndex(text)
    columns: list[SnapshotColumn] = []
    for i, table in enumerate(tables):
        if not isinstance(table, dict) or not isinstance(table.get("name"), str):
            continue
        schema = table.get("schema")
        table_name = (
            table["name"] if schema in _DEFAULT_SCHEMAS or schema is None else f"{schema}.{table['name']}"
        )
        for name, column in table["columns"].items():
            if (i, name) not in wanted:
                continue
            start, end = positions.get((i, name), (0, 0))
            columns.append(
                SnapshotColumn(
                    table=table_name,
                    column=name,
                    # JSON numbers in enumItems (numeric enums) compare as their JS spelling.
                    enum_items=tuple(js_string(v) for v in column["enumItems"] if v is not None),
                    span=lines.span(path, start, end),
                )
            )
    return SnapshotFacts(path, columns=tuple(columns))


def _column_key_positions(
    text: str, wanted: set[tuple[int, str]]
) -> Iterator[tuple[tuple[int, str], tuple[int, int]]]:
    """((table index, column), (start, end)) offsets of each wanted ``tables[i].columns.<col>`` key.

    Two parallel stacks track the path: the open containers' kinds (``{`` or ``[``) and, per
    container, the last key read (objects) or the current element index (arrays).
    """
    kinds: list[str] = []
    slots: list[str | int | None] = []
    expect_key = False
    for match in _TOKEN.finditer(text):
        token = match.group()
        if token in ("{", "["):
            kinds.append(token)
            slots.append(None if token == "{" else 0)
            expect_key = token == "{"
        elif token in ("}", "]"):
            if kinds:
                kinds.pop()
                slots.pop()
            expect_key = False
        elif token == ",":
            last = slots[-1] if slots else None
            if kinds and kinds[-1] == "[" and isinstance(last, int):
                slots[-1] = last + 1
            expect_key = bool(kinds) and kinds[-1] == "{"
        elif token == ":":
            expect_key = False
        elif expect_key and token.startswith('"'):
            key = json.loads(token)
            slots[-1] = key
            expect_key = False
            index = slots[1] if len(slots) == 4 else None
            if (
                isinstance(index, int)
                and slots[0] == "tables"
                and kinds[1] == "["
                and slots[2] == "columns"
                and (index, key) in wanted
            ):
                yield (index, key), (match.start(), match.end())


class _LineIndex:
    """Character offset → 1-based line and column."""

    def __init__(self, text: str) -> None:
        self.starts = [0] + [m.end() for m in re.finditer(r"\n", text)]

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.starts, offset)
        return line, offset - self.starts[line - 1] + 1

    def span(self, path: str, start: int, end: int) -> Span:
        line, column = self.position(start)
        end_line, end_column = self.position(end)
        return Span(path, line, column, end_line, end_column)
