"""Tests for TypeScript model tables (``schemalint.ts_model_graph``): resolution across files and ORM value semantics."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from schemalint.cli import run_check
from schemalint.extract.ts_models import extract_ts_module
from schemalint.facts import Diagnostic, Dialect, Span
from schemalint.model_graph import EnumUse, ModelColumnNode, ModelTable, PersistedDefault
from schemalint.ts_model_graph import build_ts_model_tables
from schemalint.tsfacts import TsResolution

MODEL = "apps/server/src/modules/studio/models/print.ts"


def build(
    files: dict[str, str], resolution: TsResolution | None = None, dialect: Dialect = "postgresql"
) -> tuple[dict[str, ModelTable], tuple[Diagnostic, ...]]:
    modules = [extract_ts_module(textwrap.dedent(text), path) for path, text in files.items()]
    return build_ts_model_tables(modules, resolution or TsResolution(), dialect)


def dml(field: str, imports: str = "") -> str:
    return f'{imports}\nexport const Print = model.define("print", {{\n  {field},\n}})\n'


def span_in(source: str, snippet: str, after: str = "", path: str = MODEL) -> Span:
    """The span of ``snippet`` in ``source`` (a single line), the first after ``after``."""
    start = source.index(snippet, source.index(after) + len(after))
    line = source.count("\n", 0, start) + 1
    col = start - (source.rfind("\n", 0, start) + 1) + 1
    return Span(path, line, col, line, col + len(snippet))


def column(tables: dict[str, ModelTable], name: str, table: str = "print") -> ModelColumnNode:
    found = tables[table].column(name)
    assert found is not None
    return found


def persisted(tables: dict[str, ModelTable], name: str, table: str = "print") -> tuple[str, ...]:
    use = column(tables, name, table).enum
    assert use is not None
    return use.persisted


def test_dml_column_node_carries_values_default_and_spans() -> None:
    source = dml('tone: model.enum(["warm", "cold"]).default("warm").nullable()')
    tables, diagnostics = build({MODEL: source})
    assert diagnostics == ()
    field_span = span_in(source, 'tone: model.enum(["warm", "cold"]).default("warm").nullable()')
    assert tables["print"] == ModelTable(
        name="print",
        class_name="Print",
        span=Span(MODEL, 2, 22, 4, 3),
        columns=(
            ModelColumnNode(
                table="print",
                name="tone",
                attribute="tone",
                span=field_span,
                nullable=True,
                enum=EnumUse(
                    persisted=("warm", "cold"),
                    stores="values",
                    native=False,
                    type_name=None,
                    create_constraint=True,
                    length=None,
                    span=field_span,
                    enum=None,
                ),
                defaults=(
                    PersistedDefault("warm", span_in(source, '"warm"', after=".default("), False, '"warm"'),
                ),
                type=None,
                class_name="Print",
            ),
        ),
        checks=(),
    )


def test_spread_of_an_imported_as_const_array() -> None:
    tables, diagnostics = build(
        {
            MODEL: dml(
                'size: model.enum(["xs", ...SIZES, ...MORE])', 'import { SIZES, MORE } from "../sizes"'
            ),
            "apps/server/src/modules/studio/sizes.ts": (
                'export const SIZES = ["s", "m"] as const\nexport const MORE = ["l"]\n'
            ),
        }
    )
    assert diagnostics == ()
    assert persisted(tables, "size") == ("xs", "s", "m", "l")


def test_ts_enum_through_relative_js_specifier_and_directory_index() -> None:
    tables, diagnostics = build(
        {
            MODEL: dml(
                "finish: model.enum(Finish).default(Finish.Gloss)",
                'import { Finish } from "../types/finish.js"',
            ),
            "apps/server/src/modules/studio/types/finish.ts": (
                'export enum Finish { Matte = "matte", Gloss = "gloss" }\n'
            ),
        }
    )
    assert diagnostics == ()
    assert persisted(tables, "finish") == ("matte", "gloss")
    assert column(tables, "finish").defaults[0].value == "gloss"
    assert column(tables, "finish").defaults[0].source == "Finish.Gloss"

    tables, diagnostics = build(
        {
            MODEL: dml("finish: model.enum(Finish)", 'import { Finish } from "../types"'),
            "apps/server/src/modules/studio/types/index.ts": 'export const Finish = { M: "matte" } as const\n',
        }
    )
    assert diagnostics == ()
    assert persisted(tables, "finish") == ("matte",)


def test_export_star_barrels_and_aliased_reexports_are_followed() -> None:
    tables, diagnostics = build(
        {
            MODEL: dml(
                "a: model.enum(Mood),\n  b: model.enum(Shade),\n  c: model.enum(Tools.Grip)",
                'import { Mood, Shade, Tools } from "../lib"',
            ),
            "apps/server/src/modules/studio/lib/index.ts": 'export * from "./feelings"\nexport * from "./colour"\n',
            "apps/server/src/modules/studio/lib/feelings.ts": 'export * from "./deeper/mood"\n',
            "apps/server/src/modules/studio/lib/deeper/mood.ts": 'export enum Mood { Calm = "calm" }\n',
            "apps/server/src/modules/studio/lib/colour.ts": (
                'export { Hue as Shade } from "./hue"\nexport * as Tools from "./tools"\n'
            ),
            "apps/server/src/modules/studio/lib/hue.ts": 'const local = ["red"]\nexport { local as Hue }\n',
            "apps/server/src/modules/studio/lib/tools.ts": 'export const Grip = ["firm", "loose"]\n',
        }
    )
    assert diagnostics == ()
    assert persisted(tables, "a") == ("calm",)
    assert persisted(tables, "b") == ("red",)
    assert persisted(tables, "c") == ("firm", "loose")


def test_imported_name_exported_again_under_an_alias() -> None:
    tables, diagnostics = build(
        {
            MODEL: dml("a: model.enum(Renamed)", 'import { Renamed } from "../relay"'),
            "apps/server/src/modules/studio/relay.ts": 'import { Source } from "./source"\nexport { Source as Renamed }\n',
            "apps/server/src/modules/studio/source.ts": 'export const Source = ["relayed"]\n',
        }
    )
    assert diagnostics == ()
    assert persisted(tables, "a") == ("relayed",)


def test_barrel_cycles_end_in_a_diagnostic() -> None:
    tables, diagnostics = build(
        {
            MODEL: dml("a: model.enum(Nowhere)", 'import { Nowhere } from "../a"'),
            "apps/server/src/modules/studio/a.ts": 'export * from "./b"\n',
            "apps/server/src/modules/studio/b.ts": 'export * from "./a"\n',
        }
    )
    assert column(tables, "a").enum is None
    assert [d.code for d in diagnostics] == ["SL004"]


def test_namespace_import_member_is_the_modules_export() -> None:
    tables, diagnostics = build(
        {
            MODEL: dml("a: model.enum(Kinds.Paper)", 'import * as Kinds from "./kinds"'),
            "apps/server/src/modules/studio/models/kinds.ts": (
                'export enum Paper { Cotton = "cotton" }\nexport const Broken = compute()\n'
            ),
        }
    )
    assert diagnostics == ()
    assert persisted(tables, "a") == ("cotton",)


def test_ts_namespace_member_is_read_without_its_siblings() -> None:
    tables, diagnostics = build(
        {
            MODEL: dml("a: model.enum(StudioUtils.Paper)", 'import { StudioUtils } from "./utils"'),
            "apps/server/src/modules/studio/models/utils.ts": """
                export namespace StudioUtils {
                  export enum Paper { Rag = "rag", Pulp = "pulp" }
                  export const clock = Date.now()
                }
            """,
        }
    )
    assert diagnostics == ()
    assert persisted(tables, "a") == ("rag", "pulp")


def test_object_values_of_an_as_const_object() -> None:
    tables, diagnostics = build(
        {
            MODEL: dml("a: model.enum(Object.values(Inks))")
            + 'const Inks = { A: "aqua", B: "black" } as const\n'
        }
    )
    assert diagnostics == ()
    assert persisted(tables, "a") == ("aqua", "black")


WORKSPACE = TsResolution(
    packages=(("@studio/core", "packages/core"), ("@studio/legacy", "packages/legacy")),
    paths=(("@shared/*", ("libs/shared/src/*", "libs/fallback/*")), ("~config", ("config/main.ts",))),
    base_url="apps/server",
    entries=(("@studio/legacy", "packages/legacy/lib/entry.ts"),),
)


@pytest.mark.parametrize(
    ("specifier", "path"),
    [
        ("@studio/core", "packages/core/src/index.ts"),
        ("@studio/core/enums/paper", "packages/core/src/enums/paper.ts"),
        ("@studio/legacy", "packages/legacy/lib/entry.ts"),
        ("@shared/paper", "apps/server/libs/shared/src/paper.ts"),
        ("@shared/other", "apps/server/libs/fallback/other/index.ts"),
        ("~config", "apps/server/config/main.ts"),
    ],
)
def test_workspace_packages_entries_and_tsconfig_paths(specifier: str, path: str) -> None:
    tables, diagnostics = build(
        {
            MODEL: dml("a: model.enum(Paper)", f'import {{ Paper }} from "{specifier}"'),
            path: 'export const Paper = ["laid", "wove"] as const\n',
        },
        WORKSPACE,
    )
    assert diagnostics == ()
    assert persisted(tables, "a") == ("laid", "wove")


def test_enum_from_a_package_outside_the_repository_is_sl004_naming_both() -> None:
    source = dml(
        "status: model.enum(NotificationStatus)",
        'import { NotificationStatus } from "@medusajs/framework/utils"',
    )
    tables, diagnostics = build({MODEL: source})
    assert column(tables, "status").enum is None
    (diagnostic,) = diagnostics
    assert diagnostic.code == "SL004"
    assert diagnostic.message == (
        "`NotificationStatus` is imported from `@medusajs/framework/utils`, outside this repository; "
        "the values `print.status` stores are unknown, so its enum checks were skipped"
    )
    assert diagnostic.span == column(tables, "status").span
    assert "tsconfig `paths`" in diagnostic.help


def test_member_of_an_outside_namespace_names_the_package() -> None:
    source = """
        import { Entity, Enum } from "@mikro-orm/core"
        import { PromotionUtils } from "@medusajs/framework/utils"
        @Entity()
        export class Promotion {
          @Enum(() => PromotionUtils.PromotionType)
          type: string
        }
    """
    _, diagnostics = build({"packages/promotion/src/models/promotion.ts": source})
    (diagnostic,) = diagnostics
    assert "`PromotionUtils` is imported from `@medusajs/framework/utils`" in diagnostic.message


def test_relative_import_of_a_missing_file_is_sl004() -> None:
    _, diagnostics = build({MODEL: dml("a: model.enum(Gone)", 'import { Gone } from "./gone"')})
    (diagnostic,) = diagnostics
    assert "`./gone`, which names no file in this repository" in diagnostic.message


def test_unreadable_default_is_sl004_at_the_default() -> None:
    source = dml('a: model.enum(["x"]).default(pick())')
    tables, diagnostics = build({MODEL: source})
    (diagnostic,) = diagnostics
    assert diagnostic.span == span_in(source, "pick()")
    assert "`pick()`" in diagnostic.message
    assert column(tables, "a").defaults == ()
    assert persisted(tables, "a") == ("x",)


def test_numeric_ts_enum_in_dml_stores_names_and_numbers_without_a_check() -> None:
    # Object.values of a numeric enum includes the reverse mapping; MikroORM then maps the
    # column to a small integer with no CHECK, because not every item is a string.
    source = dml("level: model.enum(Level).default(Level.High)") + "enum Level { Low, High = 5 }\n"
    tables, diagnostics = build({MODEL: source})
    assert diagnostics == ()
    use = column(tables, "level").enum
    assert use is not None
    assert use.persisted == ("Low", "High", "0", "5")
    assert not use.create_constraint
    assert column(tables, "level").defaults[0].value == "5"


MIKRO = """
import { Entity, Enum } from "@mikro-orm/core"
import { Level, Tone } from "./enums"

@Entity()
export class StudioLamp {
  @Enum(() => Level)
  level: Level = Level.High

  @Enum({ items: () => Object.values(Level) })
  levelValues: Level

  @Enum({ items: () => Tone, nativeEnumName: "lamp_tone" })
  tone: Tone

  @Enum({ items: () => Tone, default: Tone.Warm })
  plainTone: Tone
}
"""
ENUMS = 'export enum Level { Low = 1, High }\nexport enum Tone { Warm = "warm", Cold = "cold" }\n'


def test_mikro_orm_numeric_enum_stores_only_the_numbers() -> None:
    tables, diagnostics = build({"src/lamp.ts": MIKRO, "src/enums.ts": ENUMS})
    assert diagnostics == ()
    assert persisted(tables, "level", "studio_lamp") == ("1", "2")
    assert column(tables, "level", "studio_lamp").defaults[0].value == "2"
    use = column(tables, "level", "studio_lamp").enum
    assert use is not None and not use.create_constraint  # a tinyint column, no CHECK
    # Object.values(...) returns an array: extractEnumValues keeps names and numbers.
    assert persisted(tables, "level_values", "studio_lamp") == ("Low", "High", "1", "2")


def test_mikro_orm_native_enum_name_and_text_check() -> None:
    tables, _ = build({"src/lamp.ts": MIKRO, "src/enums.ts": ENUMS})
    native = column(tables, "tone", "studio_lamp").enum
    # MikroORM never names the type in a write, so the model depends on no type name.
    assert native is not None and native.native and native.type_name is None
    plain = column(tables, "plain_tone", "studio_lamp").enum
    assert plain is not None and not plain.native and plain.create_constraint
    assert plain.persisted == ("warm", "cold")
    assert column(tables, "plain_tone", "studio_lamp").defaults[0].value == "warm"


def test_mikro_orm_string_enum_is_an_inline_enum_on_mysql() -> None:
    tables, _ = build({"src/lamp.ts": MIKRO, "src/enums.ts": ENUMS}, dialect="mysql")
    plain = column(tables, "plain_tone", "studio_lamp").enum
    assert plain is not None and plain.native and plain.type_name is None


TYPEORM = """
import { Column, Entity } from "typeorm"
import { Level, Tone } from "./enums"

@Entity()
export class StudioLamp {
  @Column({ type: "enum", enum: Level, default: Level.Low })
  level: Level

  @Column({ type: "simple-enum", enum: Tone })
  tone: Tone
}
"""


def test_typeorm_numeric_enum_drops_the_reverse_mapping() -> None:
    tables, diagnostics = build({"src/lamp.ts": TYPEORM, "src/enums.ts": ENUMS})
    assert diagnostics == ()
    level = column(tables, "level", "studio_lamp")
    assert level.enum is not None
    assert level.enum.persisted == ("1", "2")
    assert level.enum.native and level.enum.type_name is None
    assert level.defaults[0].value == "1"


def test_typeorm_simple_enum_is_text_with_a_check() -> None:
    tables, _ = build({"src/lamp.ts": TYPEORM, "src/enums.ts": ENUMS})
    tone = column(tables, "tone", "studio_lamp").enum
    assert tone is not None
    assert tone.persisted == ("warm", "cold")
    assert not tone.native and tone.create_constraint


def test_mikro_orm_enum_without_items_reads_the_property_type_across_files() -> None:
    source = """
        import { Entity, Enum } from "@mikro-orm/core"
        import { Tone } from "./enums"
        @Entity({ tableName: "bulbs" })
        export class Bulb {
          @Enum()
          tone!: Tone
        }
    """
    tables, diagnostics = build({"src/bulb.ts": source, "src/enums.ts": ENUMS})
    assert diagnostics == ()
    assert persisted(tables, "tone", "bulbs") == ("warm", "cold")


def test_values_that_are_not_strings_are_sl004() -> None:
    tables, diagnostics = build({MODEL: dml("a: model.enum([{ nested: 1 }])")})
    assert column(tables, "a").enum is None
    assert [d.code for d in diagnostics] == ["SL004"]


def test_first_model_by_path_wins_a_table_name() -> None:
    tables, _ = build(
        {
            "b/print.ts": 'export const Second = model.define("print", { a: model.enum(["b"]) })\n',
            "a/print.ts": 'export const First = model.define("print", { a: model.enum(["a"]) })\n',
        }
    )
    assert tables["print"].class_name == "First"


def test_name_behind_a_barrel_that_reexports_an_outside_package() -> None:
    _, diagnostics = build(
        {
            MODEL: dml("a: model.enum(Remote)", 'import { Remote } from "../utils"'),
            "apps/server/src/modules/studio/utils/index.ts": (
                'export * from "@medusajs/framework/utils"\nexport const Local = ["here"]\n'
            ),
        }
    )
    (diagnostic,) = diagnostics
    assert "may come from `@medusajs/framework/utils`" in diagnostic.message
    assert diagnostic.help


def test_payment_session_define_name_is_the_payment_session_table() -> None:
    source = 'export const PaymentSession = model.define("PaymentSession", { state: model.enum(["new"]) })\n'
    tables, _ = build({MODEL: source})
    assert list(tables) == ["payment_session"]
    assert tables["payment_session"].class_name == "PaymentSession"


def test_native_enum_under_another_type_name_is_not_a_missing_type(tmp_path: Path) -> None:
    # Medusa v1 created the type as "DELIVERY_KIND_ENUM" while TypeORM would name it
    # `parcel_kind_enum`; TypeORM writes untyped parameters, so inserts work and nothing is
    # reported. The labels of the column's type are still compared with the model.
    files = {
        "package.json": '{"dependencies": {"typeorm": "0.3.17", "pg": "8.11.0"}}',
        "src/models/parcel.ts": (
            'import { Column, Entity } from "typeorm"\n\n'
            'export enum DeliveryKind { Pickup = "pickup", Courier = "courier", Drone = "drone" }\n\n'
            "@Entity()\nexport class Parcel {\n"
            '  @Column({ type: "enum", enum: DeliveryKind })\n  kind: DeliveryKind\n}\n'
        ),
        "src/migrations/1700000000000-parcel.ts": (
            'import { MigrationInterface, QueryRunner } from "typeorm"\n\n'
            "export class parcel1700000000000 implements MigrationInterface {\n"
            "  public async up(queryRunner: QueryRunner): Promise<void> {\n"
            "    await queryRunner.query(`CREATE TYPE \"DELIVERY_KIND_ENUM\" AS ENUM ('pickup', 'courier');\n"
            '      CREATE TABLE parcel (id serial PRIMARY KEY, kind "DELIVERY_KIND_ENUM" NOT NULL);`)\n'
            "  }\n\n  public async down(queryRunner: QueryRunner): Promise<void> {}\n}\n"
        ),
    }
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    result = run_check([tmp_path], use_cache=False)
    enum_errors = [
        (f.code, f.span.path, f.span.line) for f in result.findings if f.code in ("SL101", "SL105")
    ]
    assert enum_errors == [("SL101", "src/models/parcel.ts", 7)]
    assert "`drone`" in next(f.message for f in result.findings if f.code == "SL101")


ENTITIES = """
import { Entity, Enum } from "@mikro-orm/core"

@Entity({ tableName: "address" })
export class Address {
  @Enum({ items: ["active", "inactive"] })
  status!: string
}

@Entity({ schema: "email", tableName: "address" })
export class EmailAddress {
  @Enum({ items: ["verified", "pending"] })
  status!: string
}

@Entity({ schema: "public", tableName: "plain" })
export class Plain {
  @Enum({ items: ["x"] })
  kind!: string
}
"""


def test_tables_of_the_same_name_in_two_schemas_are_two_model_tables() -> None:
    tables, diagnostics = build({MODEL: ENTITIES})
    assert diagnostics == ()
    assert set(tables) == {"address", "email.address", "plain"}
    assert column(tables, "status", "email.address").table == "email.address"
    assert persisted(tables, "status", "email.address") == ("verified", "pending")
    assert persisted(tables, "status", "address") == ("active", "inactive")


def test_schemas_are_dropped_outside_postgresql() -> None:
    tables, _ = build({MODEL: ENTITIES}, dialect="mysql")
    assert set(tables) == {"address", "plain"}
    assert persisted(tables, "status", "address") == ("active", "inactive")  # the first by path wins


def test_mikro_orm_types_of_the_same_name_in_two_schemas_do_not_merge(tmp_path: Path) -> None:
    # The incident: `"email"."address_status_enum"` and `public.address_status_enum` were one
    # type, so the second CREATE TYPE was "already exists" (SL109) and email's column was
    # compared with public's labels. Each schema now has its own type and table.
    files = {
        "package.json": '{"dependencies": {"@mikro-orm/core": "6.2.0", "@mikro-orm/postgresql": "6.2.0"}}',
        "src/entities/address.ts": (
            'import { Entity, Enum } from "@mikro-orm/core"\n\n'
            '@Entity({ tableName: "address" })\nexport class Address {\n'
            '  @Enum({ items: ["active", "inactive"], nativeEnumName: "address_status_enum" })\n'
            "  status!: string\n}\n\n"
            '@Entity({ schema: "email", tableName: "address" })\nexport class EmailAddress {\n'
            '  @Enum({ items: ["verified", "pending", "bounced"], nativeEnumName: "address_status_enum" })\n'
            "  status!: string\n}\n"
        ),
        "src/migrations/Migration20240301101500.ts": (
            'import { Migration } from "@mikro-orm/migrations"\n\n'
            "export class Migration20240301101500 extends Migration {\n"
            "  async up(): Promise<void> {\n"
            "    this.addSql(`create type \"address_status_enum\" as enum ('active', 'inactive');`)\n"
            '    this.addSql(`create table "address" ("id" serial primary key, "status" "address_status_enum" not null);`)\n'
            '    this.addSql(`create schema if not exists "email";`)\n'
            "    this.addSql(`create type \"email\".\"address_status_enum\" as enum ('verified', 'pending');`)\n"
            '    this.addSql(`create table "email"."address" ("id" serial primary key, "status" "email"."address_status_enum" not null);`)\n'
            "  }\n}\n"
        ),
    }
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    result = run_check([tmp_path], use_cache=False, dialect="postgresql")
    errors = [(f.code, f.data.table, f.data.missing) for f in result.findings if f.severity == "error"]
    assert errors == [("SL101", "email.address", ("bounced",))]
