"""SL110: a MikroORM snapshot's enum items differ from the values the model writes."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from schemalint.compare import fmt
from schemalint.findings import Finding, FindingData, Related
from schemalint.rule import Example, Rule

if TYPE_CHECKING:
    from schemalint.runner import RuleContext

_PACKAGE_JSON = '{\n  "name": "shop-server",\n  "dependencies": { "@medusajs/framework": "2.8.0" }\n}\n'

_MODEL = """import { model } from "@medusajs/framework/utils"

const Shipment = model.define("shipment", {
  id: model.id().primaryKey(),
  status: model.enum(["pending", "shipped", "returned"]).default("pending"),
})

export default Shipment
"""

_MIGRATION = """import { Migration } from "@mikro-orm/migrations"

export class Migration20250101000000 extends Migration {
  async up(): Promise<void> {
    this.addSql(`create table if not exists "shipment" ("id" text not null, "status" text check ("status" in ('pending', 'shipped', 'returned')) not null default 'pending', constraint "shipment_pkey" primary key ("id"));`)
  }

  async down(): Promise<void> {
    this.addSql(`drop table if exists "shipment" cascade;`)
  }
}
"""


def _snapshot(items: str, marker: str = "") -> str:
    # JSON has no comments: the test marker rides in the column's SQL comment.
    comment = f'"comment": "where the parcel is{marker}", '
    return (
        "{\n"
        '  "namespaces": ["public"],\n'
        '  "name": "public",\n'
        '  "tables": [\n'
        "    {\n"
        '      "columns": {\n'
        '        "id": { "name": "id", "type": "text", "nullable": false, "mappedType": "text" },\n'
        f'        "status": {{ {comment}"name": "status", "type": "text", "nullable": false,\n'
        f'          "default": "\'pending\'", "enumItems": [{items}], "mappedType": "enum" }}\n'
        "      },\n"
        '      "name": "shipment",\n'
        '      "schema": "public",\n'
        '      "indexes": [],\n'
        '      "checks": [],\n'
        '      "foreignKeys": {},\n'
        '      "nativeEnums": {}\n'
        "    }\n"
        "  ],\n"
        '  "nativeEnums": {}\n'
        "}\n"
    )


_FILES = {
    "package.json": _PACKAGE_JSON,
    "src/modules/shipping/models/shipment.ts": _MODEL,
    "src/modules/shipping/migrations/Migration20250101000000.ts": _MIGRATION,
}


class SnapshotEnumDrift(Rule):
    """A MikroORM snapshot's enum items differ from the values the model writes.

    ## What it does
    Compares the `enumItems` that a MikroORM schema snapshot (`migrations/.snapshot-*.json`)
    records for a column with the values the model column writes today, in order.

    ## Why is this bad?
    The snapshot is the migration generator's memory: `medusa db:generate` and
    `mikro-orm migration:create` diff the models against it, not against the database. When
    the two disagree, the next generated migration drops and re-adds the column's CHECK
    constraint (MikroORM's `SchemaComparator.diffEnumItems` compares the lists item by item,
    so a new order counts too). That is expected right after a model change, but it is a
    surprise when the model was edited long ago, when a hand-written migration already
    changed the constraint, or when the snapshot is stale or git-ignored on some machines.

    This is reported as information and the snapshot is never used as the database side:
    hand-written migrations, migrations that failed, and snapshots that were committed by
    accident or never committed all make it differ from what the migrations build. Whether
    the database accepts every model value is checked against the migrations themselves
    (SL103, SL104, SL101).

    ## Use instead
    Generate the migration for the model change (`npx medusa db:generate <module>`), review
    it, and commit it together with the updated snapshot, so the snapshot and the models
    agree again.
    """

    code = "SL110"
    severity = "info"
    tags = ("enum", "mikro-orm", "snapshot")
    invalid = (
        Example(
            {
                **_FILES,
                "src/modules/shipping/migrations/.snapshot-shipping.json": _snapshot(
                    '"pending", "shipped"', marker="  expect: SL110"
                ),
            },
            title="the model gained `returned` after the snapshot was written",
        ),
    )
    valid = (
        Example(
            {
                **_FILES,
                "src/modules/shipping/migrations/.snapshot-shipping.json": _snapshot(
                    '"pending", "shipped", "returned"'
                ),
            },
        ),
    )

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for snapshot in ctx.snapshots:
            for snap_column in snapshot.columns:
                table = ctx.models.tables.get(snap_column.table)
                column = table.column(snap_column.column) if table is not None else None
                if column is None or column.enum is None:
                    continue  # nothing the model says to compare with
                written = column.enum.persisted
                recorded = snap_column.enum_items
                if written == recorded:
                    continue
                added = tuple(v for v in written if v not in recorded)
                removed = tuple(v for v in recorded if v not in written)
                changes = [
                    *([f"add {fmt(added)}"] if added else []),
                    *([f"remove {fmt(removed)}"] if removed else []),
                ] or ["reorder the values"]
                subject = f"{snap_column.table}.{snap_column.column}"
                yield self.finding(
                    snap_column.span,
                    f"the snapshot records `{subject}` with enum items {fmt(recorded)} while the model "
                    f"writes {fmt(written)}: the next generated migration rewrites the column's CHECK "
                    f"constraint to {' and '.join(changes)}",
                    help="generate the migration for the model change and commit it with the updated snapshot",
                    related=(Related(column.span, "model column"),),
                    data=FindingData(
                        table=snap_column.table,
                        column=snap_column.column,
                        values=recorded,
                        rule_data=(
                            *((("added", ", ".join(added)),) if added else ()),
                            *((("removed", ", ".join(removed)),) if removed else ()),
                        ),
                    ),
                )
