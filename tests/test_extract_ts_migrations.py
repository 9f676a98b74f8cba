"""TypeScript migrations (MikroORM, TypeORM, Knex): SQL evaluated statically, spans, branches, ordering."""

from __future__ import annotations

import textwrap
import time

from schemalint.extract.ts_migrations import class_order_key, extract_ts_migration
from schemalint.facts import (
    AddCheck,
    AddColumn,
    AddEnumValue,
    AlterColumnType,
    Alternatives,
    CreateEnumType,
    CreateTable,
    DropConstraint,
    DropEnumType,
    MigrationFacts,
    Op,
    RenameEnumType,
)


def extract(
    source: str, path: str = "src/modules/render/migrations/Migration20240301101500.ts"
) -> MigrationFacts:
    return extract_ts_migration(textwrap.dedent(source).lstrip("\n"), path, "postgresql")


def mikro(body: str, extra: str = "", prelude: str = "") -> str:
    """A MikroORM migration class whose ``up()`` body is ``body`` (8-space indented in the file)."""
    indented = textwrap.indent(textwrap.dedent(body).strip("\n"), " " * 4)
    return (
        'import { Migration } from "@mikro-orm/migrations";\n'
        f"{prelude}\n"
        "export class Migration20240301101500 extends Migration {\n"
        f"{extra}"
        "  async up(): Promise<void> {\n"
        f"{indented}\n"
        "  }\n\n"
        "  async down(): Promise<void> {\n"
        "    this.addSql('drop table if exists \"render_job\" cascade;');\n"
        "  }\n"
        "}\n"
    )


def check_values(ops: tuple[Op, ...] | list[Op]) -> list[tuple[str, tuple[str, ...] | None]]:
    """(table.column, values) for every value-set CHECK the operations declare."""
    found: list[tuple[str, tuple[str, ...] | None]] = []
    for op in ops:
        if isinstance(op, CreateTable):
            found += [(f"{op.table}.{c.name}", k.values) for c in op.columns for k in c.checks]
        elif isinstance(op, AddColumn):
            found += [(f"{op.table}.{op.column.name}", k.values) for k in op.column.checks]
        elif isinstance(op, AddCheck):
            found.append((f"{op.table}.{op.check.column}", op.check.values))
    return found


def codes(facts: MigrationFacts) -> list[str]:
    return [d.code for d in facts.diagnostics]


# ------------------------------------------------------------------ MikroORM generated forms


def test_generated_create_table_with_inline_check_and_escaped_quotes() -> None:
    facts = extract(
        mikro(
            """
            this.addSql('create table if not exists "render_job" ("id" text not null, "preset" text check ("preset" in (\\'chest-large\\', \\'back-small\\')) not null default \\'back-small\\', constraint "render_job_pkey" primary key ("id"));');
            """
        )
    )
    assert facts.kind == "typescript"
    assert facts.diagnostics == ()
    assert check_values(facts.ops) == [("render_job.preset", ("chest-large", "back-small"))]
    (create,) = facts.ops
    assert isinstance(create, CreateTable) and create.if_not_exists
    preset = create.columns[1]
    assert preset.default is not None and preset.default.value == "back-small"
    assert facts.statements == 1
    assert facts.has_downgrade is True and facts.downgrade_empty is False


def test_generated_add_column_and_rebuilt_check_without_space_after_check() -> None:
    facts = extract(
        mikro(
            """
            this.addSql('alter table if exists "render_job" add column if not exists "size" text check ("size" in (\\'s\\', \\'m\\')) not null default \\'s\\';');
            this.addSql('alter table if exists "render_job" drop constraint if exists "render_job_preset_check";');
            this.addSql('alter table if exists "render_job" alter column "preset" type text using ("preset"::text);');
            this.addSql('alter table if exists "render_job" add constraint "render_job_preset_check" check("preset" in (\\'a\\', \\'b\\', \\'c\\'));');
            """
        )
    )
    assert [type(op) for op in facts.ops] == [AddColumn, DropConstraint, AlterColumnType, AddCheck]
    assert check_values(facts.ops) == [
        ("render_job.size", ("s", "m")),
        ("render_job.preset", ("a", "b", "c")),
    ]
    drop = facts.ops[1]
    assert isinstance(drop, DropConstraint) and drop.name == "render_job_preset_check" and drop.if_exists


def test_uppercase_hand_written_template_with_several_statements_and_any_array() -> None:
    facts = extract(
        mikro(
            """
            this.addSql(`
              CREATE TABLE IF NOT EXISTS "payment" (
                "id" TEXT NOT NULL,
                "status" TEXT CHECK ("status" IN ('not_paid', 'captured')) NOT NULL
              );
              ALTER TABLE "payment" ADD CONSTRAINT "payment_kind_check" CHECK (kind = ANY (ARRAY['a'::text, 'b'::text]));
              ALTER TABLE "payment" ADD CONSTRAINT "payment_mode_check" check ("mode" is null or "mode" in ('x', 'y'));
            `);
            """
        )
    )
    assert codes(facts) == []
    assert facts.statements == 3
    assert check_values(facts.ops) == [
        ("payment.status", ("not_paid", "captured")),
        ("payment.kind", ("a", "b")),
        ("payment.mode", ("x", "y")),
    ]


def test_native_enum_in_do_block_then_add_value_inside_template_literal() -> None:
    facts = extract(
        mikro(
            """
            this.addSql(`
              DO $$ BEGIN
                IF NOT EXISTS (SELECT 1 FROM pg_type WHERE typname = 'return_status_enum') THEN
                  CREATE TYPE return_status_enum AS ENUM ('requested', 'received');
                END IF;
              END$$;
              CREATE TABLE IF NOT EXISTS "return" ("id" TEXT NOT NULL, "status" return_status_enum NOT NULL DEFAULT 'requested');
            `);
            this.addSql(`ALTER TYPE return_status_enum ADD VALUE IF NOT EXISTS 'canceled';`);
            """
        )
    )
    create, table, add = facts.ops
    assert (
        isinstance(create, CreateEnumType)
        and create.labels == ("requested", "received")
        and create.if_not_exists
    )
    assert isinstance(table, CreateTable)
    assert isinstance(add, AddEnumValue) and add.value == "canceled"


# ------------------------------------------------------------------ evaluation forms


def test_template_substitutions_static_fields_module_consts_and_map_join() -> None:
    facts = extract(
        mikro(
            """
            this.addSql(`alter table "job" add constraint "job_a_check" check ("a" in (${Migration20240301101500.PRESETS.map((p) => `'${p}'`).join(", ")}));`);
            this.addSql(`alter table "job" add constraint "job_b_check" check ("b" in (${this.constructorless()}));`);
            this.addSql("alter table \\"job\\" add constraint \\"job_c_check\\" check (\\"c\\" in (" + SIZES.map((s) => "'" + s + "'").join(", ") + "))");
            this.addSql(`alter table "job" add constraint "job_d_check" check ("d" in (${Migration20240301101500.KINDS.map((k) => `'${k}'`)}))`);
            """,
            extra=(
                '  static PRESETS = ["front", "back"];\n'
                '  private static readonly KINDS: string[] = ["x", "y"];\n'
                "  private constructorless(): string {\n"
                "    return FLAVOURS.map((f) => `'${f}'`).join(\", \");\n"
                "  }\n\n"
            ),
            prelude='const SIZES = ["s", "m"] as const;\nexport const FLAVOURS = ["sweet"];\n',
        )
    )
    assert codes(facts) == []
    assert check_values(facts.ops) == [
        ("job.a", ("front", "back")),
        ("job.b", ("sweet",)),
        ("job.c", ("s", "m")),
        # An array in a template is joined with commas, as JavaScript does.
        ("job.d", ("x", "y")),
    ]


def test_local_consts_and_plus_equals_sequence() -> None:
    facts = extract(
        mikro(
            """
            const table = "render_job";
            let sql = `alter table "${table}" add column "size" text`;
            sql += ` check ("size" in ('s', 'm'))`;
            sql += ";";
            this.addSql(sql);
            sql = `alter table "${table}" add column "tone" text check ("tone" in ('warm'));`;
            await this.execute(sql);
            """
        )
    )
    assert codes(facts) == []
    assert check_values(facts.ops) == [("render_job.tone", ("warm",)), ("render_job.size", ("s", "m"))], (
        "execute() runs at once, addSql() is queued until up() returns"
    )


def test_same_class_helper_binds_parameters_to_argument_values() -> None:
    facts = extract(
        mikro(
            """
            this.addSql(this.buildCheck("shipping_option", Migration20240301101500.ALL_OPS));
            """,
            extra=(
                '  static ALL_OPS = ["eq", "ne", "in"];\n\n'
                "  buildCheck(table: string, ops: string[]): string {\n"
                "    const list = ops.map((o) => `'${o}'`).join(\", \");\n"
                '    return `alter table "${table}" add constraint "${table}_op_check" check ("op" in (${list}));`;\n'
                "  }\n\n"
            ),
        )
    )
    assert codes(facts) == []
    assert check_values(facts.ops) == [("shipping_option.op", ("eq", "ne", "in"))]


def test_helper_that_calls_add_sql_itself_and_loops_over_constant_arrays() -> None:
    facts = extract(
        mikro(
            """
            for (const table of TABLES) {
              this.addCheck(table);
            }
            TABLES.forEach((table) => this.addSql(`alter table "${table}" add column "kind" text check ("kind" in ('k'));`));
            """,
            extra=(
                "  private addCheck(table: string): void {\n"
                '    this.addSql(`alter table "${table}" add constraint "${table}_s_check" check ("s" in (\'on\'));`);\n'
                "  }\n\n"
            ),
            prelude='const TABLES = ["a", "b"];\n',
        )
    )
    assert codes(facts) == []
    assert check_values(facts.ops) == [
        ("a.s", ("on",)),
        ("b.s", ("on",)),
        ("a.kind", ("k",)),
        ("b.kind", ("k",)),
    ]


def test_imported_helper_is_reported_naming_the_call() -> None:
    facts = extract(
        mikro(
            """
            this.addSql(`${generatePostgresAlterColummnIfExistStatement("order", ["status"], "DROP NOT NULL")}`);
            this.addSql('alter table "order" add column "x" text;');
            """,
            prelude='import { generatePostgresAlterColummnIfExistStatement } from "@medusajs/framework/utils";\n',
        )
    )
    (diagnostic,) = facts.diagnostics
    assert diagnostic.code == "SL004"
    assert (
        "`generatePostgresAlterColummnIfExistStatement(...)` is imported from `@medusajs/framework/utils`"
        in (diagnostic.message)
    )
    assert (diagnostic.span.line, diagnostic.span.column) == (6, 20)
    assert [type(op) for op in facts.ops] == [AddColumn]


def test_runtime_values_and_loops_over_them_are_reported_not_dropped() -> None:
    facts = extract(
        mikro(
            """
            const rows = await this.execute(`select table_name from information_schema.tables`);
            for (const row of rows) {
              this.addSql(`alter table "${row.table_name}" drop column "legacy";`);
            }
            this.addSql(process.env.EXTRA_SQL);
            """
        )
    )
    assert codes(facts) == ["SL004", "SL004"]
    assert "the loop over `rows` could not be unrolled" in facts.diagnostics[0].message
    assert "process.env.EXTRA_SQL" in facts.diagnostics[1].message
    assert facts.ops == ()
    assert facts.statements == 1  # the information_schema probe, which changes nothing


# ------------------------------------------------------------------ branches


def test_if_else_on_a_runtime_probe_becomes_alternatives() -> None:
    facts = extract(
        mikro(
            """
            const tableExists = await this.execute(`select 1 from information_schema.tables where table_name = 'fulfillment'`);
            if (tableExists.length > 0) {
              this.addSql(`alter table "fulfillment" add constraint "fulfillment_k_check" check ("k" in ('old'));`);
            } else {
              this.addSql(`create table "fulfillment" ("k" text check ("k" in ('new')));`);
            }
            this.addSql('alter table "fulfillment" add column "after" text;');
            """
        )
    )
    assert codes(facts) == []
    branch, after = facts.ops
    assert isinstance(branch, Alternatives)
    assert [check_values(ops) for ops in branch.branches] == [
        [("fulfillment.k", ("old",))],
        [("fulfillment.k", ("new",))],
    ]
    assert isinstance(after, AddColumn)
    assert branch.span.line == 6


def test_if_without_else_early_return_and_ternary_choose_sql() -> None:
    facts = extract(
        mikro(
            """
            const [{ exists }] = await this.execute(`select exists (select 1 from pg_type where typname = 'mood')`);
            const ddl = exists ? `alter type mood add value 'ok'` : `create type mood as enum ('ok')`;
            this.addSql(ddl);
            if (!exists) {
              return;
            }
            this.addSql(`alter type mood add value 'meh'`);
            """
        )
    )
    assert codes(facts) == []
    choice, early = facts.ops
    assert isinstance(choice, Alternatives) and isinstance(early, Alternatives)
    assert [[type(op) for op in ops] for ops in choice.branches] == [[AddEnumValue], [CreateEnumType]]
    # Only the arm that does not return runs what follows the `if`.
    assert [[type(op) for op in ops] for ops in early.branches] == [[], [AddEnumValue]]


def test_branches_assigning_the_sql_variable_are_merged_into_alternatives() -> None:
    facts = extract(
        mikro(
            """
            let sql = "";
            if (this.ctx) {
              sql = `alter table "t" add constraint "t_c_check" check ("c" in ('a'));`;
            } else {
              sql = `alter table "t" add constraint "t_c_check" check ("c" in ('b'));`;
            }
            this.addSql(sql);
            """
        )
    )
    (choice,) = facts.ops
    assert isinstance(choice, Alternatives)
    assert [check_values(ops) for ops in choice.branches] == [[("t.c", ("a",))], [("t.c", ("b",))]]


def test_constant_condition_is_decided_not_branched() -> None:
    facts = extract(
        mikro(
            """
            if (USE_NATIVE) {
              this.addSql(`create type mood as enum ('ok')`);
            } else {
              this.addSql(`create table "x" ("id" text)`);
            }
            """,
            prelude="const USE_NATIVE = false;\n",
        )
    )
    assert [type(op) for op in facts.ops] == [CreateTable]


# ------------------------------------------------------------------ spans


def test_finding_inside_a_multiline_template_points_at_its_line() -> None:
    facts = extract(
        mikro(
            """
            this.addSql(`
              alter table "t" add column "a" text;
              alter table "t" add column "b" wibble wobble;
            `);
            """
        )
    )
    (diagnostic,) = facts.diagnostics
    assert diagnostic.code == "SL002"
    # Line 7 of the file: the second statement inside the template literal, indented 6 spaces.
    assert (diagnostic.span.line, diagnostic.span.column) == (7, 7)
    assert isinstance(facts.ops[0], AddColumn) and (facts.ops[0].span.line, facts.ops[0].span.column) == (
        6,
        7,
    )


def test_spans_survive_escapes_and_concatenation_across_lines() -> None:
    source = mikro(
        """
        const sql = 'alter table "t" add column "a" text check ("a" in (\\'x\\'));\\n' +
          'alter table "t" add column "b" text check ("b" in (\\'y\\'));';
        this.addSql(sql);
        """
    )
    facts = extract(source)
    first, second = facts.ops
    lines = source.splitlines()
    assert (first.span.line, first.span.column) == (5, lines[4].index("'alter") + 2)
    assert (second.span.line, second.span.column) == (6, lines[5].index("'alter") + 2)
    # The first statement ends at its `)` before the escaped `\n`, on its own line.
    assert first.span.end_line == 5 and first.span.end_column == lines[4].index(";") + 1


# ------------------------------------------------------------------ TypeORM and Knex


def test_typeorm_create_type_and_rename_recreate_dance() -> None:
    facts = extract(
        """
        import { MigrationInterface, QueryRunner, Table } from "typeorm";

        export class ensureCancellation1625560513367 implements MigrationInterface {
          name = "ensureCancellation1625560513367";

          public async up(runner: QueryRunner): Promise<void> {
            await runner.query(`CREATE TYPE "order_status_enum" AS ENUM('pending', 'completed')`);
            await runner.query(`ALTER TYPE "order_status_enum" RENAME TO "order_status_enum_old"`);
            await runner.query(`CREATE TYPE "order_status_enum" AS ENUM('pending', 'completed', 'canceled')`);
            await runner.query(
              `ALTER TABLE "order" ALTER COLUMN "status" TYPE "order_status_enum" USING "status"::"text"::"order_status_enum"`
            );
            await runner.query(`DROP TYPE "order_status_enum_old"`);
            await runner.createTable(new Table({ name: "note" }));
          }

          public async down(runner: QueryRunner): Promise<void> {}
        }
        """,
        path="packages/medusa/src/migrations/1625560513367-ensure_cancellation_fields_exist.ts",
    )
    assert [type(op) for op in facts.ops] == [
        CreateEnumType,
        RenameEnumType,
        CreateEnumType,
        AlterColumnType,
        DropEnumType,
    ]
    (diagnostic,) = facts.diagnostics
    assert (
        diagnostic.code == "SL004"
        and '`runner.createTable(new Table({ name: "note" }))`' in diagnostic.message
    )
    assert facts.has_downgrade is False and facts.downgrade_empty is True


def test_knex_raw_and_schema_builder_calls() -> None:
    facts = extract(
        """
        import type { Knex } from "knex";

        export async function up(knex: Knex): Promise<void> {
          await knex.raw("CREATE TYPE mood AS ENUM ('sad', 'ok')");
          await knex.schema.raw('ALTER TABLE "p" ADD CONSTRAINT "p_k_check" CHECK ("k" IN (\\'a\\'))');
          await knex.schema.createTable("users", (table) => {
            table.enu("role", ["a", "b"]);
          });
        }

        export async function down(knex: Knex): Promise<void> {
          await knex.raw("DROP TYPE mood");
        }
        """,
        path="migrations/20240101120000_moods.ts",
    )
    assert [type(op) for op in facts.ops] == [CreateEnumType, AddCheck]
    (diagnostic,) = facts.diagnostics
    assert diagnostic.code == "SL004" and "`knex.schema.createTable(...)`" in diagnostic.message
    assert diagnostic.span.line == 6
    assert facts.has_downgrade is True


def test_knex_commonjs_exports() -> None:
    facts = extract(
        """
        exports.up = function (db) {
          return db.raw("CREATE TYPE mood AS ENUM ('sad')");
        };
        """,
        path="migrations/20240101120000_moods.js",
    )
    assert [type(op) for op in facts.ops] == [CreateEnumType]


def test_function_given_the_runner_is_reported() -> None:
    facts = extract(
        """
        import { MigrationInterface, QueryRunner } from "typeorm";
        import { addEnum } from "../utils";

        export class Moods1700000000000 implements MigrationInterface {
          public async up(queryRunner: QueryRunner): Promise<void> {
            await addEnum(queryRunner, "mood");
            await this.local(queryRunner);
          }

          private async local(qr: QueryRunner): Promise<void> {
            await qr.query(`ALTER TYPE "mood" ADD VALUE 'happy'`);
          }
        }
        """
    )
    assert [type(op) for op in facts.ops] == [AddEnumValue]
    (diagnostic,) = facts.diagnostics
    assert '`addEnum(queryRunner, "mood")` could not be resolved statically' in diagnostic.message


# ------------------------------------------------------------------ syntax errors, no up(), ordering


def test_unclosed_class_is_sl002_and_up_is_still_read() -> None:
    source = mikro("this.addSql(`create type mood as enum ('ok')`);").rstrip().removesuffix("}")
    facts = extract(source)
    assert "SL002" in codes(facts)
    assert [type(op) for op in facts.ops] == [CreateEnumType]


def test_syntax_error_only_in_down_is_ignored() -> None:
    source = mikro("this.addSql(`create type mood as enum ('ok')`);").replace(
        "this.addSql('drop table", "this.addSql(('drop table"
    )
    facts = extract(source)
    assert codes(facts) == []


def test_file_without_up_is_reported() -> None:
    facts = extract("export const helper = 1;\n")
    assert codes(facts) == ["SL004"]


def test_order_key_from_class_name_when_discovery_gives_none() -> None:
    assert class_order_key("Migration20240301101500_AddPresets") == ("00000020240301101500", "AddPresets")
    assert class_order_key("initialSchema1611063162649") == ("00000001611063162649", "initialSchema")
    assert class_order_key("Helper") == ()
    assert extract(mikro("")).order_key == ("00000020240301101500", "")
    given = extract_ts_migration(mikro(""), "m.ts", "postgresql", order_key=("7",), history="h")
    assert given.order_key == ("7",) and given.history == "h"


def test_tsx_files_use_the_tsx_grammar() -> None:
    facts = extract(
        mikro("this.addSql(`create type mood as enum ('ok')`);"),
        path="migrations/Migration20240101000000.tsx",
    )
    assert [type(op) for op in facts.ops] == [CreateEnumType]


def test_three_hundred_generated_migrations_extract_linearly() -> None:
    """Sanity, not a timing assertion: nothing here should grow faster than the input."""
    sources = [
        mikro(
            f'this.addSql(\'create table if not exists "t{i}" ("id" text not null, "s" text check ("s" in (\\\'a\\\', \\\'b\\\')) not null);\');'
        )
        for i in range(300)
    ]
    started = time.perf_counter()
    facts = [extract_ts_migration(s, f"m/Migration{i}.ts", "postgresql") for i, s in enumerate(sources)]
    elapsed = time.perf_counter() - started
    assert sum(len(f.ops) for f in facts) == 300
    assert elapsed < 60  # generous: guards against accidental quadratic behaviour only


def test_knex_arrow_export_promise_all_and_statement_arrays() -> None:
    facts = extract(
        """
        import type { Knex } from "knex";

        const STATEMENTS = [
          "CREATE TYPE mood AS ENUM ('sad')",
          "ALTER TYPE mood ADD VALUE 'glad'",
        ];

        export const up = async (knex: Knex) => {
          for (const statement of STATEMENTS) {
            await knex.raw(statement);
          }
          await Promise.all([knex.raw("ALTER TYPE mood ADD VALUE 'calm'"), knex.raw(STATEMENTS.join(";\\n"))]);
        };
        """,
        path="migrations/20240101120000_moods.ts",
    )
    assert codes(facts) == []
    assert [type(op) for op in facts.ops] == [
        CreateEnumType,
        AddEnumValue,
        AddEnumValue,
        CreateEnumType,
        AddEnumValue,
    ]
    assert facts.has_downgrade is False


def test_module_functions_called_with_this_bound_run_their_sql() -> None:
    # Medusa's fulfillment module: each branch of up() lives in a module function whose `this`
    # is the migration, invoked as `helper.call(this)`; arguments pass through call and apply.
    source = """
    import { Migration } from "@mikro-orm/migrations"

    export class Migration20240311145700_Setup extends Migration {
      async up(): Promise<void> {
        const found = await this.execute(`select 1 from information_schema.tables where table_name = 'parcel'`)
        if (!found.length) {
          await createParcel.call(this, "parcel")
        } else {
          await widenParcel.apply(this, ["parcel", ["new", "sent"]])
        }
      }
    }

    async function createParcel(this: Migration20240311145700_Setup, table: string) {
      this.addSql(`create table "${table}" ("state" text check ("state" in ('new')) not null);`)
    }

    async function widenParcel(this: Migration20240311145700_Setup, table: string, states: string[]) {
      const listed = states.map((s) => `'${s}'`).join(", ")
      this.addSql(`alter table "${table}" add constraint "${table}_state_check" check ("state" in (${listed}));`)
    }
    """
    facts = extract(source)
    assert codes(facts) == []
    (branch,) = facts.ops
    assert isinstance(branch, Alternatives)
    assert [check_values(ops) for ops in branch.branches] == [
        [("parcel.state", ("new",))],
        [("parcel.state", ("new", "sent"))],
    ]


def test_unknown_statements_between_known_ones_leave_the_others_replayed() -> None:
    # Medusa's order module: one long template whose middle statement comes from an imported
    # helper. The helper's SQL is a gap reported where it stands; the rest is still replayed.
    facts = extract(
        mikro(
            """
            const sql = `
              create table if not exists "shipment" ("state" text check ("state" in ('packed')) not null);

              ${relaxColumns("shipment", ["carrier"], "DROP NOT NULL")}

              alter table "shipment" add column "mode" text check ("mode" in ('air', 'sea'));
            `;
            this.addSql(sql);
            """,
            prelude='import { relaxColumns } from "@acme/sql-helpers";\n',
        )
    )
    (gap,) = facts.diagnostics
    assert gap.code == "SL004"
    assert "`relaxColumns(...)` is imported from `@acme/sql-helpers`" in gap.message
    assert "the statements around it are" in gap.message
    assert (gap.span.line, gap.span.column) == (9, 7)
    assert check_values(facts.ops) == [("shipment.state", ("packed",)), ("shipment.mode", ("air", "sea"))]


def test_unknown_value_inside_a_statement_still_makes_the_whole_string_unknown() -> None:
    facts = extract(
        mikro(
            """
            this.addSql(`alter table "shipment" add constraint "c" check ("state" in (${listStates()}));`);
            this.addSql(`create table "${tableName()}" ("state" text);`);
            """,
            prelude='import { listStates, tableName } from "@acme/sql-helpers";\n',
        )
    )
    assert codes(facts) == ["SL004", "SL004"]
    assert facts.ops == ()
