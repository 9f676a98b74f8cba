"""Tests for the TypeScript module front-end (``schemalint.extract.ts_models``)."""

from __future__ import annotations

import textwrap

import pytest

from schemalint.extract.ts_models import camel_to_snake, extract_ts_module, typeorm_snake_case
from schemalint.facts import Span
from schemalint.tsfacts import TsImport, TsModelDef, TsModelField, TsModuleFacts, TsReexport
from schemalint.tsir import Arr, Call, EnumDecl, Lit, Member, Name, Obj, Spread

PATH = "src/modules/studio/models/session.ts"


def extract(source: str, path: str = PATH) -> TsModuleFacts:
    return extract_ts_module(textwrap.dedent(source), path)


def span_of(source: str, snippet: str, occurrence: int = 0, path: str = PATH) -> Span:
    """The span of ``snippet`` in the dedented ``source``, found by text search (may span lines)."""
    text = textwrap.dedent(source)
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(snippet, start + 1)
    end = start + len(snippet)

    def position(offset: int) -> tuple[int, int]:
        line = text.count("\n", 0, offset) + 1
        return line, offset - (text.rfind("\n", 0, offset) + 1) + 1

    (line, column), (end_line, end_column) = position(start), position(end)
    return Span(path, line, column, end_line, end_column)


def model_of(facts: TsModuleFacts, table: str) -> TsModelDef:
    return next(m for m in facts.models if m.table == table)


def field_of(facts: TsModuleFacts, table: str, attribute: str) -> TsModelField:
    return next(f for f in model_of(facts, table).fields if f.attribute == attribute)


# -- naming rules -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("PaymentSession", "payment_session"),
        ("ShippingOptionRule", "shipping_option_rule"),
        ("render_job", "render_job"),
        ("Step2Done", "step2done"),  # digits do not split words
        ("HTTPLogEntry", "httplog_entry"),  # a capital run is not split before a word
    ],
)
def test_camel_to_snake_follows_medusa_and_mikro_orm(name: str, expected: str) -> None:
    assert camel_to_snake(name) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [("PaymentSession", "payment_session"), ("HTTPLogEntry", "http_log_entry"), ("Step2Done", "step2_done")],
)
def test_typeorm_snake_case_splits_capital_runs_and_digits(name: str, expected: str) -> None:
    assert typeorm_snake_case(name) == expected


# -- imports, exports, declarations -----------------------------------------------------------


def test_imports_record_named_aliased_default_and_namespace_bindings() -> None:
    facts = extract(
        """
        import { Colour, Size as Dimension } from "./palette"
        import Shape from "../shape"
        import * as Units from "@acme/units"
        import type { OnlyAType } from "./types"
        import { type AlsoAType, Kept } from "./mixed"
        import "./side-effect"
        import legacy = require("./legacy")
        """
    )
    assert facts.imports == (
        TsImport("Colour", "./palette", "Colour"),
        TsImport("Dimension", "./palette", "Size"),
        TsImport("Shape", "../shape", "default"),
        TsImport("Units", "@acme/units", "*"),
        TsImport("Kept", "./mixed", "Kept"),
    )


def test_exports_and_reexports_are_recorded_with_their_local_names() -> None:
    facts = extract(
        """
        const hidden = 1
        export const Shown = 2
        export enum Mood { Calm = "calm" }
        export { hidden as Revealed }
        export default hidden
        export * from "./everything"
        export * as Tools from "./tools"
        export { inner as outer, plain } from "./picked"
        export type { Shape } from "./shape"
        """
    )
    assert facts.exported == (
        ("Shown", "Shown"),
        ("Mood", "Mood"),
        ("Revealed", "hidden"),
        ("default", "hidden"),
    )
    assert facts.reexports == (
        TsReexport("./everything"),
        TsReexport("./tools", (("*", "Tools"),)),
        TsReexport("./picked", (("inner", "outer"), ("plain", "plain"))),
    )


def test_default_export_of_a_decorated_class_is_a_model_and_the_default_export() -> None:
    facts = extract(
        """
        import { Entity, Enum } from "@mikro-orm/core"
        @Entity()
        export default class Easel {
          @Enum({ items: ["oak"] }) wood: string
        }
        """
    )
    assert facts.exported == (("default", "Easel"),)
    assert [(m.table, [f.column for f in m.fields]) for m in facts.models] == [("easel", ["wood"])]


def test_default_export_of_an_expression_is_a_declaration_named_default() -> None:
    facts = extract('export default ["one", "two"] as const\n')
    assert dict(facts.declarations)["default"] == Arr((Lit("one"), Lit("two")))
    assert facts.exported == (("default", "default"),)


def test_top_level_constants_enums_and_frozen_objects_become_ir() -> None:
    facts = extract(
        """
        const Sizes = ["s", "m", ...Extra] as const
        export const Colours = { RED: "red", BLUE: "blue" } as const
        const Frozen = Object.freeze({ ON: "on" })
        enum Level { Low, High = 10, Max }
        export const enum Flag { A = "a" }
        declare enum Ambient { X }
        let later
        """
    )
    declarations = dict(facts.declarations)
    assert declarations["Sizes"] == Arr((Lit("s"), Lit("m"), Spread(Name("Extra", PATH))))
    assert declarations["Colours"] == Obj((("RED", Lit("red")), ("BLUE", Lit("blue"))))
    assert declarations["Frozen"] == Obj((("ON", Lit("on")),))
    assert declarations["Level"] == EnumDecl((("Low", None), ("High", Lit(10)), ("Max", None)))
    assert declarations["Flag"] == EnumDecl((("A", Lit("a")),))
    assert "Ambient" not in declarations  # `declare enum` has no values here
    assert "later" not in declarations


def test_namespace_becomes_an_object_of_its_exported_members() -> None:
    facts = extract(
        """
        export namespace StudioUtils {
          export enum Finish { Matte = "matte", Gloss = "gloss" }
          export const DEFAULT_FINISH = Finish.Matte
          const internal = 3
          export namespace Deep { export const Depth = 2 }
        }
        """
    )
    assert dict(facts.declarations)["StudioUtils"] == Obj(
        (
            ("Finish", EnumDecl((("Matte", Lit("matte")), ("Gloss", Lit("gloss"))))),
            ("DEFAULT_FINISH", Member(Name("Finish", PATH), "Matte")),
            ("Deep", Obj((("Depth", Lit(2)),))),
        )
    )
    assert ("StudioUtils", "StudioUtils") in facts.exported


# -- Medusa DML ---------------------------------------------------------------------------------

DML = """
import { model } from "@medusajs/framework/utils"
import { Finish } from "../types"

const SIZES = ["small", "large"] as const

export const PrintSession = model
  .define("PrintSession", {
    id: model.id().primaryKey(),
    size: model.enum(["small", "medium", ...SIZES]),
    finish: model
      .enum(Finish)
      .default(Finish.Matte)
      .nullable(),
    channel: model.enum(SIZES).default("small").index(),
    title: model.text(),
  })
  .indexes([{ on: ["size"] }])
"""


def test_dml_table_name_is_the_snake_case_of_the_define_name() -> None:
    facts = extract(DML)
    model = model_of(facts, "print_session")
    assert model.name == "PrintSession"
    assert model.orm == "medusa-dml"
    assert model.span == span_of(DML, DML[DML.index("model\n  .define") : DML.index("\n  .indexes")])


def test_dml_array_literal_with_spread_is_used_as_is() -> None:
    field = field_of(extract(DML), "print_session", "size")
    assert field.values == Arr((Lit("small"), Lit("medium"), Spread(Name("SIZES", PATH))))
    assert field.column == "size"
    assert field.native_type is None and field.check_constraint
    assert field.span == span_of(DML, 'size: model.enum(["small", "medium", ...SIZES])')


def test_dml_identifier_argument_is_wrapped_in_object_values() -> None:
    field = field_of(extract(DML), "print_session", "channel")
    assert field.values == Call("Object.values", None, (Name("SIZES", PATH),))
    assert field.default == Lit("small")
    assert not field.nullable


def test_dml_chain_across_lines_reads_default_and_nullable() -> None:
    field = field_of(extract(DML), "print_session", "finish")
    assert field.values == Call("Object.values", None, (Name("Finish", PATH),))
    assert field.default == Member(Name("Finish", PATH), "Matte")
    assert field.default_source == "Finish.Matte"
    assert field.default_span == span_of(DML, "Finish.Matte")
    assert field.nullable
    start = DML.index("finish: model")
    assert field.span == span_of(DML, DML[start : DML.index("      .nullable()") + len("      .nullable()")])


def test_dml_non_enum_properties_are_not_fields() -> None:
    attributes = [f.attribute for f in model_of(extract(DML), "print_session").fields]
    assert attributes == ["size", "finish", "channel"]


@pytest.mark.parametrize(
    ("define", "table", "name"),
    [
        ('model.define("gallery_item", {})', "gallery_item", "GalleryItem"),
        (
            'model.define({ name: "GalleryItem", tableName: "gallery_items" }, {})',
            "gallery_items",
            "GalleryItem",
        ),
        ('model.define("studio.ArtPiece", {})', "art_piece", "GalleryItem"),
        ("model.define(TABLE, {})", "gallery_table", "GalleryItem"),
    ],
)
def test_dml_table_name_forms(define: str, table: str, name: str) -> None:
    facts = extract(f'const TABLE = "galleryTable"\nexport const GalleryItem = {define}\n')
    assert [(m.table, m.name) for m in facts.models] == [(table, name)]


def test_dml_define_without_table_name_is_reported_at_the_call() -> None:
    source = 'const Thing = model.define({ name: "Thing" }, { kind: model.enum(["a"]) })\n'
    facts = extract(source)
    assert facts.models == ()
    (diagnostic,) = facts.diagnostics
    assert diagnostic.code == "SL004"
    assert "tableName" in diagnostic.message
    assert diagnostic.span == span_of(source, source[source.index("model.define") : source.rindex(")") + 1])


def test_dml_model_not_assigned_to_a_variable_is_named_by_its_table() -> None:
    facts = extract('export default model.define("poster", { tone: model.enum(["warm"]) })\n')
    assert [(m.name, m.table) for m in facts.models] == [("poster", "poster")]


# -- MikroORM decorators --------------------------------------------------------------------------

MIKRO = """
import { Entity, Enum, Index, PrimaryKey, Property } from "@mikro-orm/core"
import { RuleKind, Tier } from "./enums"

@Entity()
export class ShippingOptionRule {
  @PrimaryKey()
  id!: string

  @Enum({ items: ["open", "closed"], default: "open" })
  state: string

  @Enum(() => RuleKind)
  @Index({ name: "IDX_rule_kind" })
  ruleKind: RuleKind = RuleKind.Weight

  @Enum({ items: () => Object.values(Tier), nullable: true, nativeEnumName: "rule_tier" })
  tier?: Tier

  @Enum({ items: () => Tier, fieldName: "tier_level" })
  level?: Tier

  @Enum()
  fallback: RuleKind

  @Enum({ items: ["a"], array: true })
  tags: string[]

  @Property()
  label: string
}

@Entity({ tableName: "audit.rule_history" })
export class RuleHistory {
  @Enum({ items: () => RuleKind, name: "changeKind" })
  kind!: RuleKind
}

@Entity({ abstract: true })
export abstract class Base {}
"""


def test_mikro_orm_entity_table_names() -> None:
    facts = extract(MIKRO)
    assert [(m.name, m.table, m.orm) for m in facts.models] == [
        ("ShippingOptionRule", "shipping_option_rule", "mikro-orm"),
        ("RuleHistory", "rule_history", "mikro-orm"),
    ]


def test_mikro_orm_items_array_is_used_as_is_and_default_option_is_read() -> None:
    field = field_of(extract(MIKRO), "shipping_option_rule", "state")
    assert field.values == Arr((Lit("open"), Lit("closed")))
    assert field.values_from == "list"
    assert field.default == Lit("open")
    assert field.span == span_of(MIKRO, '@Enum({ items: ["open", "closed"], default: "open" })')


def test_mikro_orm_items_function_goes_through_extract_enum_values() -> None:
    facts = extract(MIKRO)
    kind = field_of(facts, "shipping_option_rule", "ruleKind")
    assert kind.values == Name("RuleKind", PATH)
    assert kind.values_from == "mikro-orm"
    assert kind.column == "rule_kind"  # propertyToColumnName
    # Stacked decorators do not hide the property initializer, which is the default.
    assert kind.default == Member(Name("RuleKind", PATH), "Weight")
    assert kind.default_span == span_of(MIKRO, "RuleKind.Weight")
    tier = field_of(facts, "shipping_option_rule", "tier")
    assert tier.values == Call("Object.values", None, (Name("Tier", PATH),))
    assert tier.nullable
    assert tier.native_type == "rule_tier"


def test_mikro_orm_optional_property_is_nullable_and_field_name_wins() -> None:
    level = field_of(extract(MIKRO), "shipping_option_rule", "level")
    assert level.nullable
    assert level.column == "tier_level"
    assert level.default is None


def test_mikro_orm_enum_without_items_takes_the_property_type() -> None:
    fallback = field_of(extract(MIKRO), "shipping_option_rule", "fallback")
    assert fallback.values == Name("RuleKind", PATH)
    assert fallback.values_from == "mikro-orm"
    assert not fallback.nullable


def test_mikro_orm_skips_enum_arrays_and_plain_properties() -> None:
    attributes = [f.attribute for f in model_of(extract(MIKRO), "shipping_option_rule").fields]
    assert attributes == ["state", "ruleKind", "tier", "level", "fallback"]


def test_mikro_orm_name_option_renames_the_property_before_underscoring() -> None:
    assert field_of(extract(MIKRO), "rule_history", "kind").column == "change_kind"


# -- TypeORM ----------------------------------------------------------------------------------------

TYPEORM = """
import { Column, Entity, PrimaryGeneratedColumn } from "typeorm"
import { OrderState } from "./order-state"

@Entity("customer_order")
export class CustomerOrder {
  @PrimaryGeneratedColumn()
  id: number

  @Column({ type: "enum", enum: OrderState, default: OrderState.Pending })
  state: OrderState

  @Column({ type: "enum", enum: ["eu", "us"], enumName: "order_region", nullable: true })
  region: string

  @Column({ type: "simple-enum", enum: OrderState, name: "legacy_state" })
  legacyState: OrderState

  @Column("enum", { enum: OrderState })
  paymentState: OrderState

  @Column({ type: "varchar" })
  note: string

  @Column({ type: "enum", enum: OrderState, default: () => "'pending'" })
  rawDefault: OrderState
}

@Entity({ name: "refunds" })
export class Refund {
  @Column({ enum: ["full", "partial"] })
  kind: string
}

@Entity()
export class HTTPLogEntry {
  @Column({ type: "enum", enum: OrderState })
  State: OrderState
}
"""


def test_typeorm_entity_table_names() -> None:
    facts = extract(TYPEORM)
    assert [(m.name, m.table, m.orm) for m in facts.models] == [
        ("CustomerOrder", "customer_order", "typeorm"),
        ("Refund", "refunds", "typeorm"),
        ("HTTPLogEntry", "http_log_entry", "typeorm"),
    ]


def test_typeorm_enum_column_uses_the_table_column_enum_type() -> None:
    facts = extract(TYPEORM)
    state = field_of(facts, "customer_order", "state")
    assert state.native_type == "customer_order_state_enum"
    assert not state.check_constraint
    assert state.values == Name("OrderState", PATH)
    assert state.values_from == "typeorm"
    assert state.default == Member(Name("OrderState", PATH), "Pending")
    assert state.span == span_of(
        TYPEORM, '@Column({ type: "enum", enum: OrderState, default: OrderState.Pending })'
    )
    # The column part of the type name is lower-cased, the table part is not touched.
    assert field_of(facts, "http_log_entry", "State").native_type == "http_log_entry_state_enum"


def test_typeorm_enum_name_array_and_nullable() -> None:
    region = field_of(extract(TYPEORM), "customer_order", "region")
    assert region.native_type == "order_region"
    assert region.values == Arr((Lit("eu"), Lit("us")))
    assert region.values_from == "list"
    assert region.nullable


def test_typeorm_simple_enum_is_a_check_constraint_and_name_option_names_the_column() -> None:
    legacy = field_of(extract(TYPEORM), "customer_order", "legacyState")
    assert legacy.column == "legacy_state"
    assert legacy.native_type is None
    assert legacy.check_constraint


def test_typeorm_positional_enum_type_and_enum_without_type() -> None:
    facts = extract(TYPEORM)
    assert field_of(facts, "customer_order", "paymentState").native_type == "customer_order_paymentstate_enum"
    assert field_of(facts, "refunds", "kind").native_type == "refunds_kind_enum"


def test_typeorm_ignores_non_enum_columns_and_raw_sql_defaults() -> None:
    facts = extract(TYPEORM)
    attributes = [f.attribute for f in model_of(facts, "customer_order").fields]
    assert attributes == ["state", "region", "legacyState", "paymentState", "rawDefault"]
    assert field_of(facts, "customer_order", "rawDefault").default is None


# -- files ------------------------------------------------------------------------------------------


def test_tsx_files_parse_with_the_tsx_grammar() -> None:
    source = (
        'export const Tones = ["warm", "cold"] as const\nexport const View = () => <div>{Tones[0]}</div>\n'
    )
    facts = extract_ts_module(source, "src/admin/view.tsx")
    assert facts.diagnostics == ()
    assert dict(facts.declarations)["Tones"] == Arr((Lit("warm"), Lit("cold")))


def test_spans_count_characters_not_bytes() -> None:
    source = 'const Ünïcode = model.define("ärt", { tone: model.enum(["wärm"]) })\n'
    field = field_of(extract(source), "ärt", "tone")
    assert field.span == span_of(source, 'tone: model.enum(["wärm"])')


def test_syntax_error_is_reported() -> None:
    facts = extract("export const Broken = [\n")
    assert [d.code for d in facts.diagnostics] == ["SL002"]


def test_entity_table_name_given_by_a_shorthand_property_reads_the_module_constant() -> None:
    # `@Entity({ tableName })` with `const tableName = "..."` above, as Medusa's modules write it.
    source = """
    import { Entity, Enum } from "@mikro-orm/core"

    const tableName = "studio_booking_slot"

    @Entity({ tableName })
    export class BookingSlot {
      @Enum({ items: ["open", "held"] })
      state: string
    }
    """
    facts = extract(source)
    assert [(m.name, m.table) for m in facts.models] == [("BookingSlot", "studio_booking_slot")]
    assert facts.diagnostics == ()


@pytest.mark.parametrize(
    "type_declaration",
    [
        # A parameter named like a predefined type, without an annotation.
        "type Props = { onPick: (string) => void }\n",
        # Two generic call signatures on consecutive lines of an object type.
        "export type Run = {\n  <const A extends string>(a: A): Promise<A>\n"
        "  <const B extends number>(b: B): Promise<B>\n}\n",
        "interface Handler { handle: (number) => void }\n",
    ],
)
def test_grammar_gaps_inside_type_declarations_are_not_syntax_errors(type_declaration: str) -> None:
    source = type_declaration + 'export const Tones = ["warm", "cold"] as const\n'
    facts = extract_ts_module(source, PATH)
    assert facts.diagnostics == ()
    assert dict(facts.declarations)["Tones"] == Arr((Lit("warm"), Lit("cold")))


def test_syntax_error_outside_a_type_declaration_is_still_reported() -> None:
    facts = extract("type Props = { onPick: (string) => void }\nexport const Broken = [\n")
    assert [(d.code, d.span.line) for d in facts.diagnostics] == [("SL002", 2)]


def test_mikro_orm_virtual_entities_have_no_table() -> None:
    source = """
    import { Entity, Enum, Property } from "@mikro-orm/core"

    @Entity({ expression: "select id, state from parcel where archived" })
    export class ArchivedParcel {
      @Enum({ items: ["new", "sent"] })
      state: string
    }

    @Entity({ virtual: true })
    export class ParcelCount {
      @Property()
      total: number
    }
    """
    assert extract(source).models == ()


# -- PostgreSQL schemas ---------------------------------------------------------------------------

MIKRO_SCHEMAS = """
import { Entity, Enum } from "@mikro-orm/core"

@Entity({ schema: "email", tableName: "address" })
export class EmailAddress {
  @Enum({ items: ["verified", "pending"], nativeEnumName: "address_status_enum" })
  status!: string
}

@Entity({ tableName: "billing.invoice" })
export class Invoice {
  @Enum({ items: ["draft"] })
  status!: string
}

@Entity({ schema: "*" })
export class TenantNote {
  @Enum({ items: ["a"] })
  kind!: string
}
"""

TYPEORM_SCHEMAS = """
import { Entity, Column } from "typeorm"

@Entity({ name: "refunds", schema: "payments" })
export class Refund {
  @Column({ type: "enum", enum: ["open", "done"] })
  state: string
}

@Entity("audit_log", { schema: "audit" })
export class AuditLog {
  @Column({ type: "enum", enum: ["x"] })
  level: string
}
"""


def test_entity_schema_option_and_dotted_table_names_keep_the_schema() -> None:
    mikro, typeorm = extract(MIKRO_SCHEMAS), extract(TYPEORM_SCHEMAS)
    assert [(m.name, m.schema, m.table) for m in (*mikro.models, *typeorm.models)] == [
        ("EmailAddress", "email", "address"),
        ("Invoice", "billing", "invoice"),
        ("TenantNote", None, "tenant_note"),  # "*": every schema, read as the default one
        ("Refund", "payments", "refunds"),
        ("AuditLog", "audit", "audit_log"),
    ]
    # TypeORM names the type after the bare table (PostgresQueryRunner.buildEnumName).
    assert field_of(typeorm, "refunds", "state").native_type == "refunds_state_enum"


def test_dml_schema_qualified_name_keeps_the_schema() -> None:
    facts = extract('export const Address = model.define("email.Address", { status: model.enum(["a"]) })\n')
    (model,) = facts.models
    assert (model.schema, model.table) == ("email", "address")


def test_ampersands_in_jsx_text_and_attributes_are_not_syntax_errors() -> None:
    source = (
        "export const Kind = { A: 'a' } as const\n"
        "export function Toolbar() {\n"
        "  return (\n"
        "    <div>\n"
        "      <button>Save & Exit</button>\n"
        '      <a href="https://example.com/?a=1&b=2">docs</a>\n'
        "    </div>\n"
        "  )\n"
        "}\n"
    )
    facts = extract_ts_module(source, "src/components/toolbar.tsx")
    assert facts.diagnostics == ()
    assert dict(facts.declarations)["Kind"] is not None
