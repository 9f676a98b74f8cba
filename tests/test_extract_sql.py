"""Tests for the SQL front-end: statements to schema operations, spans and coverage diagnostics."""

from __future__ import annotations

import sys

import pytest

import schemalint.extract
from schemalint.extract.sql import check_from_expression, extract_sql_file, sql_to_ops
from schemalint.facts import (
    AddCheck,
    AddColumn,
    AddEnumValue,
    AlterColumnType,
    Alternatives,
    CheckDef,
    ColumnType,
    CreateEnumType,
    CreateTable,
    DefaultValue,
    Diagnostic,
    Dialect,
    DropColumn,
    DropConstraint,
    DropEnumType,
    DropTable,
    Op,
    RenameColumn,
    RenameConstraint,
    RenameEnumType,
    RenameEnumValue,
    RenameTable,
    SetDefault,
    SetNullable,
    Span,
)

PATH = "migrations/001.sql"


def ops_of(sql: str, dialect: Dialect = "postgresql") -> tuple[Op, ...]:
    ops, diagnostics, _ = sql_to_ops(sql, PATH, dialect)
    assert diagnostics == (), diagnostics
    return ops


def one_op(sql: str, dialect: Dialect = "postgresql") -> Op:
    (op,) = ops_of(sql, dialect)
    return op


def diagnostics_of(sql: str, dialect: Dialect = "postgresql") -> tuple[Diagnostic, ...]:
    return sql_to_ops(sql, PATH, dialect)[1]


def create_table(sql: str, dialect: Dialect = "postgresql") -> CreateTable:
    op = one_op(sql, dialect)
    assert isinstance(op, CreateTable)
    return op


def check_of(sql: str, dialect: Dialect = "postgresql") -> CheckDef:
    op = one_op(sql, dialect)
    assert isinstance(op, AddCheck)
    return op.check


# -- CREATE TABLE ---------------------------------------------------------------------------


def test_create_table_reads_column_types_nullability_defaults_and_primary_key() -> None:
    table = create_table(
        "CREATE TABLE users (id bigint PRIMARY KEY, email varchar(255) NOT NULL, "
        "role user_role NOT NULL DEFAULT 'writer', created timestamptz DEFAULT now(), note text)"
    )
    assert table.table == "users"
    by_name = {c.name: c for c in table.columns}
    assert [c.name for c in table.columns] == ["id", "email", "role", "created", "note"]
    assert by_name["id"].primary_key and not by_name["id"].nullable
    assert by_name["id"].type.family == "integer"
    assert by_name["email"].type == ColumnType("text", "varchar", length=255)
    assert not by_name["email"].nullable
    assert by_name["role"].type == ColumnType("user", "user_role", type_ref="user_role")
    assert by_name["role"].default == DefaultValue("writer", True, "'writer'")
    assert by_name["created"].type.family == "timestamp" and by_name["created"].type.timezone is True
    assert by_name["created"].default is not None and not by_name["created"].default.is_literal
    assert by_name["note"].nullable and by_name["note"].default is None


def test_serial_column_is_a_not_null_integer_with_a_generated_default() -> None:
    (column,) = create_table("CREATE TABLE t (id serial)").columns
    assert column.type.family == "integer"
    assert not column.nullable
    assert column.default is not None and not column.default.is_literal


def test_table_level_primary_key_makes_its_columns_not_null_on_postgresql() -> None:
    table = create_table("CREATE TABLE t (a int, b int, c int, PRIMARY KEY (a, b))")
    assert [(c.name, c.nullable, c.primary_key) for c in table.columns] == [
        ("a", False, True),
        ("b", False, True),
        ("c", True, False),
    ]


def test_schema_qualified_table_name_becomes_the_bare_name() -> None:
    assert create_table("CREATE TABLE public.t (a int)").table == "t"


def test_postgresql_lowercases_unquoted_names_and_keeps_quoted_names() -> None:
    table = create_table('CREATE TABLE "Users" (Email text, "DisplayName" text)')
    assert table.table == "Users"
    assert [c.name for c in table.columns] == ["email", "DisplayName"]


def test_sqlite_names_are_case_insensitive() -> None:
    table = create_table('CREATE TABLE "Users" (Email TEXT, untyped)', "sqlite")
    assert table.table == "users"
    assert [c.name for c in table.columns] == ["email", "untyped"]
    assert table.columns[1].type.family == "unknown"


def test_create_table_if_not_exists_is_flagged() -> None:
    assert create_table("CREATE TABLE IF NOT EXISTS t (a int)").if_not_exists


def test_column_check_is_attached_to_its_column() -> None:
    (column,) = create_table("CREATE TABLE t (status text CHECK (status IN ('a', 'b')))").columns
    (check,) = column.checks
    assert check.column == "status" and check.values == ("a", "b") and check.name is None


def test_named_column_check_keeps_its_name() -> None:
    (column,) = create_table(
        "CREATE TABLE t (status text CONSTRAINT ck_status CHECK (status IN ('a')))"
    ).columns
    assert column.checks[0].name == "ck_status"


def test_table_checks_named_and_unnamed_are_kept_in_order() -> None:
    table = create_table(
        "CREATE TABLE t (status text, n int, CONSTRAINT ck_status CHECK (status IN ('a', 'b')), CHECK (n > 0))"
    )
    named, unnamed = table.checks
    assert (named.name, named.column, named.values) == ("ck_status", "status", ("a", "b"))
    assert (unnamed.name, unnamed.column, unnamed.values) == (None, "n", None)
    assert unnamed.expression == "n > 0"


def test_mysql_inline_enum_column_keeps_its_labels_in_order_and_case() -> None:
    table = create_table(
        "CREATE TABLE `Posts` (`Id` INT AUTO_INCREMENT PRIMARY KEY, "
        "state ENUM('draft','Published') NOT NULL DEFAULT 'draft', KEY ix_state (state)) ENGINE=InnoDB",
        "mysql",
    )
    assert table.table == "Posts"
    state = table.columns[1]
    assert state.type == ColumnType("enum", "enum", labels=("draft", "Published"))
    assert not state.nullable and state.default == DefaultValue("draft", True, "'draft'")
    assert table.columns[0].name == "Id" and table.columns[0].default is not None


def test_postgresql_array_column_is_of_the_array_family() -> None:
    (column,) = create_table("CREATE TABLE t (tags text[])").columns
    assert column.type.family == "array"


def test_pg18_table_not_null_constraint_is_read_through_pglast() -> None:
    table = create_table("CREATE TABLE t (a int, b int, CONSTRAINT t_a_not_null NOT NULL a)")
    assert [(c.name, c.nullable) for c in table.columns] == [("a", False), ("b", True)]


# -- defaults -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("default_sql", "expected"),
    [
        ("'x'", DefaultValue("x", True, "'x'")),
        ("'x'::text", DefaultValue("x", True, "'x'")),
        ("'writer'::user_role", DefaultValue("writer", True, "'writer'")),
        ("42", DefaultValue("42", True, "42")),
        ("NULL", DefaultValue(None, True, "NULL")),
    ],
)
def test_literal_defaults_are_literals_even_when_cast(default_sql: str, expected: DefaultValue) -> None:
    (column,) = create_table(f"CREATE TABLE t (c text DEFAULT {default_sql})").columns
    assert column.default == expected


@pytest.mark.parametrize("default_sql", ["now()", "nextval('t_id_seq'::regclass)", "gen_random_uuid()"])
def test_function_defaults_are_expressions(default_sql: str) -> None:
    (column,) = create_table(f"CREATE TABLE t (c text DEFAULT {default_sql})").columns
    assert column.default is not None
    assert column.default.value is None and not column.default.is_literal and column.default.sql


# -- ALTER TABLE ----------------------------------------------------------------------------


def test_add_column_if_not_exists() -> None:
    op = one_op("ALTER TABLE t ADD COLUMN IF NOT EXISTS c varchar(10) NOT NULL DEFAULT 'a'")
    assert isinstance(op, AddColumn) and op.if_not_exists and op.table == "t"
    assert op.column.name == "c" and not op.column.nullable and op.column.type.length == 10


def test_drop_column_if_exists() -> None:
    assert one_op("ALTER TABLE t DROP COLUMN IF EXISTS c") == DropColumn("t", "c", span_of(1, 1, 38), True)


def test_alter_column_type_ignores_using() -> None:
    op = one_op("ALTER TABLE t ALTER COLUMN c TYPE user_role USING c::user_role")
    assert isinstance(op, AlterColumnType)
    assert (op.column, op.type.type_ref, op.replaces_default) == ("c", "user_role", False)


def test_rename_column() -> None:
    assert one_op("ALTER TABLE t RENAME COLUMN a TO b") == RenameColumn("t", "a", "b", span_of(1, 1, 35))


def test_alter_table_rename_without_column_keyword_is_a_column_rename() -> None:
    assert one_op("ALTER TABLE t RENAME a TO b") == RenameColumn("t", "a", "b", span_of(1, 1, 28))


def test_alter_table_rename_to_is_a_table_rename() -> None:
    assert one_op("ALTER TABLE t RENAME TO u") == RenameTable("t", "u", span_of(1, 1, 26))


@pytest.mark.parametrize(("action", "nullable"), [("SET NOT NULL", False), ("DROP NOT NULL", True)])
def test_set_and_drop_not_null(action: str, nullable: bool) -> None:
    op = one_op(f"ALTER TABLE t ALTER COLUMN c {action}")
    assert isinstance(op, SetNullable) and (op.column, op.nullable) == ("c", nullable)


def test_set_default_and_drop_default() -> None:
    set_op, drop_op = ops_of(
        "ALTER TABLE t ALTER COLUMN c SET DEFAULT 'x'; ALTER TABLE t ALTER COLUMN c DROP DEFAULT"
    )
    assert isinstance(set_op, SetDefault) and set_op.default == DefaultValue("x", True, "'x'")
    assert isinstance(drop_op, SetDefault) and drop_op.default is None


def test_add_named_check_not_valid_flags_the_check() -> None:
    check = check_of("ALTER TABLE t ADD CONSTRAINT ck CHECK (s IN ('a', 'b')) NOT VALID")
    assert (check.name, check.column, check.values, check.not_valid) == ("ck", "s", ("a", "b"), True)


def test_add_unnamed_check_on_postgresql_is_read_through_pglast() -> None:
    check = check_of("ALTER TABLE modlog ADD CHECK (kind IN ('AdminAdd', 'AdminRemove'))")
    assert (check.name, check.column, check.values) == (None, "kind", ("AdminAdd", "AdminRemove"))


def test_add_unnamed_check_on_mysql_is_read() -> None:
    check = check_of("ALTER TABLE t ADD CHECK (s IN ('a'))", "mysql")
    assert (check.name, check.column, check.values) == (None, "s", ("a",))


def test_drop_constraint_if_exists() -> None:
    assert one_op("ALTER TABLE t DROP CONSTRAINT IF EXISTS ck") == DropConstraint(
        "t", "ck", span_of(1, 1, 43), True
    )


def test_rename_constraint() -> None:
    op = one_op("ALTER TABLE t RENAME CONSTRAINT a TO b")
    assert op == RenameConstraint("t", "a", "b", span_of(1, 1, 39))


def test_multi_action_alter_table_keeps_all_actions_in_order() -> None:
    ops = ops_of(
        "ALTER TABLE t ADD COLUMN a int, DROP COLUMN b, ALTER COLUMN c SET NOT NULL, "
        "ALTER COLUMN d SET DEFAULT 1, ADD CONSTRAINT ck CHECK (a > 0)"
    )
    assert [type(op) for op in ops] == [AddColumn, DropColumn, SetNullable, SetDefault, AddCheck]


def test_multi_action_alter_table_sqlglot_cannot_type_keeps_all_actions_in_order() -> None:
    ops = ops_of(
        "ALTER TABLE t ADD CHECK (s IN ('a')), ADD COLUMN c text, VALIDATE CONSTRAINT old, "
        "ALTER COLUMN d TYPE bigint, DROP CONSTRAINT IF EXISTS gone"
    )
    assert [type(op) for op in ops] == [AddCheck, AddColumn, AlterColumnType, DropConstraint]


@pytest.mark.parametrize(
    "sql",
    [
        "ALTER TABLE t OWNER TO app",
        "ALTER TABLE t ENABLE TRIGGER ALL",
        "ALTER TABLE t VALIDATE CONSTRAINT ck",
        "ALTER TABLE t ADD CONSTRAINT fk FOREIGN KEY (a) REFERENCES u (id)",
        "ALTER TABLE t ADD CONSTRAINT uq UNIQUE (a)",
        "ALTER TABLE t ALTER CONSTRAINT fk DEFERRABLE",
        "ALTER TABLE t ALTER COLUMN a SET STATISTICS 100",
    ],
)
def test_alter_table_actions_that_cannot_affect_the_schema_graph_give_nothing(sql: str) -> None:
    assert ops_of(sql) == ()


def test_add_primary_key_makes_columns_not_null() -> None:
    assert ops_of("ALTER TABLE t ADD PRIMARY KEY (a)") == (SetNullable("t", "a", False, span_of(1, 1, 34)),)


def test_unknown_alter_table_action_is_sl001_naming_the_statement() -> None:
    (diagnostic,) = diagnostics_of("ALTER TABLE modlog INHERIT parent")
    assert diagnostic.code == "SL001"
    assert diagnostic.message.startswith("`ALTER TABLE modlog ...` was not understood;")
    assert diagnostic.span == span_of(1, 1, 34)


def test_unknown_action_in_multi_action_alter_keeps_the_other_actions() -> None:
    ops, diagnostics, _ = sql_to_ops("ALTER TABLE t ADD COLUMN a int, INHERIT parent", PATH, "postgresql")
    assert [type(op) for op in ops] == [AddColumn]
    assert [d.code for d in diagnostics] == ["SL001"]


# -- DROP / RENAME TABLE --------------------------------------------------------------------


def test_drop_table_with_several_tables_gives_one_op_each() -> None:
    assert ops_of("DROP TABLE IF EXISTS a, public.b CASCADE") == (
        DropTable("a", span_of(1, 1, 41), True),
        DropTable("b", span_of(1, 1, 41), True),
    )


def test_mysql_rename_table_with_several_pairs() -> None:
    assert ops_of("RENAME TABLE a TO b, db.c TO `D`", "mysql") == (
        RenameTable("a", "b", span_of(1, 1, 33)),
        RenameTable("c", "D", span_of(1, 1, 33)),
    )


# -- MySQL MODIFY / CHANGE ------------------------------------------------------------------


def test_mysql_modify_column_restates_type_nullability_and_default() -> None:
    op = one_op("ALTER TABLE t MODIFY COLUMN s ENUM('a','b','c') NOT NULL DEFAULT 'a'", "mysql")
    assert isinstance(op, AlterColumnType)
    assert op.type.labels == ("a", "b", "c")
    assert (op.column, op.new_name, op.nullable, op.replaces_default) == ("s", None, False, True)
    assert op.default == DefaultValue("a", True, "'a'")


def test_mysql_change_column_renames_and_drops_the_default_it_does_not_restate() -> None:
    op = one_op("ALTER TABLE t CHANGE COLUMN s s2 varchar(10) NULL", "mysql")
    assert isinstance(op, AlterColumnType)
    assert (op.column, op.new_name, op.nullable, op.default, op.replaces_default) == (
        "s",
        "s2",
        True,
        None,
        True,
    )
    assert op.type == ColumnType("text", "varchar", length=10)


# -- enum types -----------------------------------------------------------------------------


def test_create_type_as_enum() -> None:
    assert one_op("CREATE TYPE mood AS ENUM ('sad', 'OK')") == CreateEnumType(
        "mood", ("sad", "OK"), span_of(1, 1, 39)
    )


@pytest.mark.parametrize(
    ("sql", "before", "after", "if_not_exists"),
    [
        ("ALTER TYPE mood ADD VALUE 'meh'", None, None, False),
        ("ALTER TYPE mood ADD VALUE 'meh' BEFORE 'ok'", "ok", None, False),
        ("ALTER TYPE mood ADD VALUE 'meh' AFTER 'sad'", None, "sad", False),
        ("ALTER TYPE mood ADD VALUE IF NOT EXISTS 'meh'", None, None, True),
    ],
)
def test_alter_type_add_value(sql: str, before: str | None, after: str | None, if_not_exists: bool) -> None:
    op = one_op(sql)
    assert isinstance(op, AddEnumValue)
    assert (op.type_name, op.value, op.before, op.after, op.if_not_exists) == (
        "mood",
        "meh",
        before,
        after,
        if_not_exists,
    )


def test_alter_type_rename_value() -> None:
    op = one_op("ALTER TYPE mood RENAME VALUE 'Closed' TO 'closed'")
    assert op == RenameEnumValue("mood", "Closed", "closed", span_of(1, 1, 50))


def test_alter_type_rename_to() -> None:
    assert one_op("ALTER TYPE mood RENAME TO feeling") == RenameEnumType("mood", "feeling", span_of(1, 1, 34))


def test_drop_type_with_several_types() -> None:
    assert ops_of("DROP TYPE IF EXISTS a, b") == (
        DropEnumType("a", span_of(1, 1, 25), True),
        DropEnumType("b", span_of(1, 1, 25), True),
    )


# -- DO blocks ------------------------------------------------------------------------------


DO_PG_TYPE = """\
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_type WHERE typname = 'mood') THEN
        CREATE TYPE mood AS ENUM ('sad', 'ok');
    END IF;
END$$;
"""


def test_do_block_create_type_guarded_by_pg_type_is_if_not_exists_at_the_inner_statement() -> None:
    op = one_op(DO_PG_TYPE)
    assert op == CreateEnumType("mood", ("sad", "ok"), Span(PATH, 4, 9, 4, 47), if_not_exists=True)


def test_do_block_duplicate_object_exception_makes_create_type_if_not_exists() -> None:
    op = one_op(
        "DO $$ BEGIN CREATE TYPE mood AS ENUM ('a'); EXCEPTION WHEN duplicate_object THEN null; END $$;"
    )
    assert isinstance(op, CreateEnumType) and op.if_not_exists
    assert op.span == span_of(1, 13, 43)


def test_do_block_keeps_every_ddl_statement_in_order() -> None:
    ops = ops_of(
        "DO $$ BEGIN ALTER TABLE t ADD COLUMN a int; ALTER TYPE mood ADD VALUE 'x'; PERFORM 1; END $$"
    )
    assert [type(op) for op in ops] == [AddColumn, AddEnumValue]


def test_do_block_undecidable_if_gives_alternatives() -> None:
    (op,) = ops_of(
        "DO $$ BEGIN IF current_setting('x') = 'y' THEN DROP TABLE a; ELSE DROP TABLE b; END IF; END $$"
    )
    assert isinstance(op, Alternatives)
    assert [[o.table for o in branch if isinstance(o, DropTable)] for branch in op.branches] == [["a"], ["b"]]


def test_do_block_execute_of_a_literal_string_is_read() -> None:
    op = one_op("DO $$ BEGIN EXECUTE 'ALTER TABLE t DROP COLUMN c'; END $$")
    assert isinstance(op, DropColumn) and (op.table, op.column) == ("t", "c")


@pytest.mark.parametrize(
    "loop",
    [
        "FOR r IN SELECT id FROM accounts LOOP UPDATE accounts SET tier = 'basic' WHERE id = r.id; END LOOP;",
        "FOR i IN 1..10 LOOP DELETE FROM sessions WHERE shard = i; END LOOP;",
        "WHILE n > 0 LOOP n := n - 1; INSERT INTO ticks VALUES (n); END LOOP;",
    ],
)
def test_do_block_loop_that_only_writes_rows_changes_no_schema(loop: str) -> None:
    assert ops_of(f"DO $$ DECLARE r record; i int; n int := 3; BEGIN {loop} END $$;") == ()


def test_do_block_loop_repeating_ddl_is_reported_not_replayed() -> None:
    ops, diagnostics, _ = sql_to_ops(
        "DO $$ BEGIN FOR i IN 1..2 LOOP ALTER TYPE mood ADD VALUE 'x'; END LOOP; END $$;", PATH, "postgresql"
    )
    assert ops == ()
    (diagnostic,) = diagnostics
    assert diagnostic.code == "SL001" and "PL/pgSQL FOR loop" in diagnostic.message


# -- CHECK value sets -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "condition",
    [
        "status IN ('a', 'B')",
        "status = ANY (ARRAY['a', 'B'])",
        "status::text = ANY (ARRAY['a'::text, 'B'::text])",
        "((status)::text = ANY ((ARRAY['a'::character varying, 'B'::character varying])::text[]))",
        "status IS NULL OR status IN ('a', 'B')",
        "status = 'a' OR status = 'B'",
        "(status = 'a') OR (status = 'B') OR (status = 'a')",
    ],
)
def test_check_value_set_shapes(condition: str) -> None:
    check = check_of(f"ALTER TABLE t ADD CONSTRAINT ck CHECK ({condition})")
    assert (check.column, check.values) == ("status", ("a", "B"))


def test_check_that_is_not_a_value_set_keeps_its_expression_and_single_column() -> None:
    check = check_of("ALTER TABLE t ADD CONSTRAINT ck CHECK (char_length(name) > 2)")
    assert (check.column, check.values) == ("name", None)
    assert "char_length" in check.expression.lower()


def test_check_expression_is_the_condition_as_written() -> None:
    condition = "((status)::text = ANY ((ARRAY['a'::character varying, 'b'::character varying])::text[]))"
    assert check_of(f"ALTER TABLE t ADD CONSTRAINT ck CHECK ({condition})").expression == condition
    assert check_of("ALTER TABLE t ADD CHECK (char_length(name) > 2)").expression == "char_length(name) > 2"


def test_check_over_two_columns_has_no_column() -> None:
    check = check_of("ALTER TABLE t ADD CONSTRAINT ck CHECK (a IN ('x') OR b IN ('y'))")
    assert (check.column, check.values) == (None, None)


def test_check_from_expression_reads_a_bare_condition() -> None:
    span = Span("alembic/versions/x.py", 3, 5, 3, 40)
    check = check_from_expression("status IN ('a','b')", "postgresql", span, "ck_status")
    assert check == CheckDef("ck_status", "status IN ('a','b')", span, "status", ("a", "b"))


def test_check_from_expression_that_does_not_parse_keeps_the_text() -> None:
    span = Span.file("x.py")
    assert check_from_expression("status IN (", "sqlite", span) == CheckDef(None, "status IN (", span)


def test_check_from_expression_on_mysql_reads_the_value_set() -> None:
    check = check_from_expression("`state` in ('a', 'b')", "mysql", Span.file("m.py"))
    assert (check.column, check.values) == ("state", ("a", "b"))


# -- spans ----------------------------------------------------------------------------------


def span_of(line: int, column: int, end_column: int, end_line: int | None = None) -> Span:
    return Span(PATH, line, column, end_line or line, end_column)


def test_statement_span_covers_the_statement_without_its_semicolon() -> None:
    sql = "-- comment\n  DROP TABLE a;\n"
    assert ops_of(sql) == (DropTable("a", span_of(2, 3, 15)),)


def test_statement_after_a_multi_line_statement_has_its_own_line() -> None:
    sql = "CREATE TABLE a (\n  id int\n);\nDROP TABLE b;"
    create, drop = ops_of(sql)
    assert create.span == Span(PATH, 1, 1, 3, 2)
    assert drop.span == span_of(4, 1, 13)


def test_origin_offsets_the_first_line_by_column_and_later_lines_by_line() -> None:
    ops, _, _ = sql_to_ops("DROP TABLE a;\n    DROP TABLE b", PATH, "postgresql", origin=(10, 21))
    assert [op.span for op in ops] == [Span(PATH, 10, 21, 10, 33), Span(PATH, 11, 5, 11, 17)]


def test_column_span_is_the_column_name() -> None:
    (column,) = create_table("CREATE TABLE t (\n    status text\n)").columns
    assert column.span == span_of(2, 5, 11)


def test_spans_count_characters_not_bytes() -> None:
    ops = ops_of('CREATE TABLE "Ünïcode" (a int); DROP TABLE b;')
    assert ops[1].span == span_of(1, 33, 45)


def test_column_span_is_the_column_name_when_read_through_pglast() -> None:
    ops = ops_of("SELECT 1;\nALTER TABLE t ADD CHECK (n > 0),\n  ADD COLUMN n int")
    assert isinstance(ops[1], AddColumn)
    assert ops[1].column.span == span_of(3, 14, 15)
    assert ops[1].span == Span(PATH, 2, 1, 3, 19)


def test_semicolons_inside_strings_and_dollar_quotes_do_not_split_statements() -> None:
    sql = "INSERT INTO t VALUES ('a;b');\nCREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql;\nDROP TABLE a;"
    ops, diagnostics, count = sql_to_ops(sql, PATH, "postgresql")
    assert (ops, diagnostics, count) == ((DropTable("a", span_of(3, 1, 13)),), (), 3)


# -- files ----------------------------------------------------------------------------------


DBMATE = """\
-- migrate:up
CREATE TYPE mood AS ENUM ('a');
ALTER TABLE t ADD COLUMN m mood;

-- migrate:down
DROP TYPE mood;
"""


def test_dbmate_file_reads_only_the_up_section_at_file_positions() -> None:
    facts = extract_sql_file(DBMATE, PATH, "postgresql", history="db", order_key=("001",))
    assert [type(op) for op in facts.ops] == [CreateEnumType, AddColumn]
    assert facts.ops[0].span == span_of(2, 1, 31)
    assert (facts.kind, facts.history, facts.order_key, facts.statements) == ("sql", "db", ("001",), 2)
    assert facts.has_downgrade is True


def test_plain_sql_file_reads_every_statement() -> None:
    facts = extract_sql_file("DROP TABLE a;\nDROP TABLE b;\n", PATH, "postgresql")
    assert [op.table for op in facts.ops if isinstance(op, DropTable)] == ["a", "b"]
    assert facts.statements == 2 and facts.path == PATH


# -- coverage diagnostics -------------------------------------------------------------------


def test_garbage_is_sl002_and_loses_only_its_statement() -> None:
    ops, diagnostics, count = sql_to_ops("DROP TABLE a;\nthis is not sql;\nDROP TABLE b;", PATH, "postgresql")
    assert [op.table for op in ops if isinstance(op, DropTable)] == ["a", "b"]
    assert [(d.code, d.span.line) for d in diagnostics] == [("SL002", 2)]
    assert count == 3


def test_unterminated_string_is_sl002_for_the_text() -> None:
    ops, diagnostics, _ = sql_to_ops("DROP TABLE a;\nSELECT 'abc;\n", PATH, "postgresql")
    assert ops == () and [d.code for d in diagnostics] == ["SL002"]


def test_invalid_statement_that_sqlglot_reads_as_a_command_is_sl002_from_pglast() -> None:
    assert [d.code for d in diagnostics_of("ALTER TABLE t DROP COLUMN IF NOT EXISTS c")] == ["SL002"]


@pytest.mark.parametrize(
    "sql",
    [
        "CREATE TABLE t2 (LIKE t INCLUDING ALL)",
        "CREATE TABLE t2 AS SELECT 1 AS a",
        "CREATE TABLE child (a int) INHERITS (parent)",
        "DO $$ DECLARE r record; BEGIN FOR r IN SELECT 1 LOOP EXECUTE 'DROP TABLE x'; END LOOP; END $$",
        "DO $$ BEGIN EXECUTE format('DROP TABLE %I', 'x'); END $$",
    ],
)
def test_statements_whose_effect_cannot_be_replayed_are_sl001(sql: str) -> None:
    ops, diagnostics, _ = sql_to_ops(sql, PATH, "postgresql")
    assert ops == () and [d.code for d in diagnostics] == ["SL001"]


def test_partition_of_creates_nothing_of_its_own() -> None:
    assert ops_of("CREATE TABLE m_2024 PARTITION OF m FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')") == ()


@pytest.mark.parametrize("dialect", ["mysql", "sqlite"])
def test_garbage_is_sl002_on_other_dialects(dialect: Dialect) -> None:
    assert [d.code for d in diagnostics_of("this is not sql", dialect)] == ["SL002"]


def test_statement_sqlglot_cannot_read_is_sl001_when_pglast_is_unavailable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # What a platform without pglast wheels (Windows) sees: importing the fallback fails.
    monkeypatch.setitem(sys.modules, "schemalint.extract.pg", None)
    monkeypatch.delattr(schemalint.extract, "pg", raising=False)
    (diagnostic,) = diagnostics_of("ALTER TYPE mood ADD VALUE 'x'")
    assert diagnostic.code == "SL001" and "pglast is unavailable" in diagnostic.message


def test_unnamed_add_check_is_read_without_pglast(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "schemalint.extract.pg", None)
    monkeypatch.delattr(schemalint.extract, "pg", raising=False)
    check = check_of(
        "ALTER TABLE t ADD CHECK (s IN ('a')), ADD COLUMN c int".replace(", ADD COLUMN c int", "")
    )
    assert (check.name, check.values) == (None, ("a",))


@pytest.mark.parametrize(
    ("sql", "dialect"),
    [
        ("SELECT 1", "postgresql"),
        ("INSERT INTO t (a) VALUES (1)", "postgresql"),
        ("UPDATE t SET a = 1 WHERE b = 2", "postgresql"),
        ("DELETE FROM t", "postgresql"),
        ("CREATE INDEX CONCURRENTLY ix ON t (a) WHERE b IS NULL", "postgresql"),
        ("DROP INDEX ix_a, ix_b", "postgresql"),
        ("COMMENT ON COLUMN t.a IS 'x'", "postgresql"),
        ("GRANT SELECT ON t TO app", "postgresql"),
        ("CREATE EXTENSION IF NOT EXISTS pg_trgm", "postgresql"),
        ("CREATE OR REPLACE VIEW v AS SELECT 1", "postgresql"),
        ("CREATE SEQUENCE s", "postgresql"),
        ("CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$", "postgresql"),
        ("CREATE TRIGGER tr AFTER INSERT ON t FOR EACH ROW EXECUTE FUNCTION f()", "postgresql"),
        ("SET statement_timeout = 0", "postgresql"),
        ("BEGIN", "postgresql"),
        ("COMMIT", "postgresql"),
        ("LOCK TABLE t IN ACCESS EXCLUSIVE MODE", "postgresql"),
        ("VACUUM ANALYZE t", "postgresql"),
        ("ANALYZE t", "postgresql"),
        ("ALTER SEQUENCE s OWNED BY t.id", "postgresql"),
        ("ALTER INDEX ix RENAME TO iy", "postgresql"),
        ("CREATE TYPE pair AS (a int, b int)", "postgresql"),
        ("DO $$ BEGIN RAISE NOTICE 'hello'; END $$", "postgresql"),
        ("CREATE MATERIALIZED VIEW mv AS SELECT 1", "postgresql"),
        ("REFRESH MATERIALIZED VIEW mv", "postgresql"),
        ("TRUNCATE t", "postgresql"),
        ("SET FOREIGN_KEY_CHECKS = 0", "mysql"),
        ("LOCK TABLES t WRITE", "mysql"),
        ("CREATE INDEX ix ON t (a)", "mysql"),
        ("ALTER TABLE t ADD INDEX ix (a), DROP INDEX iy", "mysql"),
        ("ALTER TABLE t CONVERT TO CHARACTER SET utf8mb4", "mysql"),
        ("ALTER TABLE t ENGINE = InnoDB", "mysql"),
        ("PRAGMA foreign_keys = OFF", "sqlite"),
        ("CREATE INDEX ix ON t (a)", "sqlite"),
    ],
)
def test_statements_that_cannot_affect_the_schema_graph_give_nothing(sql: str, dialect: Dialect) -> None:
    assert sql_to_ops(sql, PATH, dialect)[:2] == ((), ())


@pytest.mark.parametrize(
    ("sql", "dialect"),
    [
        ("CREATE TEMPORARY TABLE scratch AS WITH q AS (SELECT 1 AS n) SELECT n FROM q", "postgresql"),
        ("CREATE TEMP TABLE scratch (n int)", "postgresql"),
        ("CREATE TEMPORARY TABLE scratch (n int)", "mysql"),
        ("CREATE TEMP TABLE scratch (n int)", "sqlite"),
    ],
)
def test_temporary_tables_are_not_part_of_the_schema(sql: str, dialect: Dialect) -> None:
    assert ops_of(sql, dialect) == ()


def test_temporary_table_is_skipped_by_the_postgresql_parser_too() -> None:
    from schemalint.extract import pg

    class Host:
        statement_span = Span(PATH, 1, 1, 1, 2)

        def __getattr__(self, name: str) -> object:
            raise AssertionError(f"a temporary table needs no host call ({name})")

    assert pg.statement_ops("CREATE TEMP TABLE scratch AS SELECT 1 AS n", Host()) == []  # type: ignore[arg-type]
    assert pg.statement_ops("CREATE TEMP TABLE scratch (n int)", Host()) == []  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("type_sql", "family"), [("ltree", "other"), ("public.citext", "text"), ("geometry", "other")]
)
def test_extension_types_are_not_references_to_types_the_migrations_create(
    type_sql: str, family: str
) -> None:
    op = one_op(f"ALTER TABLE comment ADD COLUMN path {type_sql} NOT NULL")
    assert isinstance(op, AddColumn)
    assert (op.column.type.family, op.column.type.type_ref) == (family, None)


def test_an_unknown_type_name_stays_a_reference() -> None:
    op = one_op("ALTER TABLE posts ADD COLUMN mood mood_kind")
    assert isinstance(op, AddColumn) and op.column.type.type_ref == "mood_kind"


# --------------------------------------------------------------------------------------------
# PostgreSQL schemas: names outside `public` keep their schema; MySQL/SQLite qualifiers name a
# database and are dropped.
# --------------------------------------------------------------------------------------------


def test_schema_qualified_table_and_type_keep_their_schema_and_public_is_dropped() -> None:
    ops = ops_of(
        'CREATE TYPE "email"."status" AS ENUM (\'a\');\n'
        "CREATE TYPE public.status AS ENUM ('b');\n"
        'CREATE TABLE auth.users (s "email"."status", t public.status, u status);\n'
        "CREATE TABLE public.plain (id int);\n"
    )
    email_type, public_type, users, plain = ops
    assert isinstance(email_type, CreateEnumType) and email_type.name == "email.status"
    assert isinstance(public_type, CreateEnumType) and public_type.name == "status"
    assert isinstance(users, CreateTable) and users.table == "auth.users"
    assert [c.type.type_ref for c in users.columns] == ["email.status", "status", "status"]
    assert isinstance(plain, CreateTable) and plain.table == "plain"


def test_quoted_schema_keeps_its_case_and_unquoted_schema_folds() -> None:
    assert create_table('CREATE TABLE "Auth".users (id int);').table == "Auth.users"
    assert create_table("CREATE TABLE AUTH.Users (id int);").table == "auth.users"


def test_alter_drop_and_rename_of_qualified_objects_name_the_schema() -> None:
    ops = ops_of(
        "ALTER TABLE auth.users ADD COLUMN z email.status;\n"
        "ALTER TABLE auth.users ALTER COLUMN z TYPE email.status2 USING z::text::email.status2;\n"
        "ALTER TABLE auth.users RENAME TO people;\n"
        "ALTER TYPE email.status ADD VALUE 'c';\n"
        "ALTER TYPE email.status RENAME VALUE 'a' TO 'aa';\n"
        "ALTER TYPE email.status RENAME TO state;\n"
        "DROP TYPE IF EXISTS email.state, public.status;\n"
        "DROP TABLE auth.people;\n"
    )
    add, alter, rename, add_value, rename_value, rename_type, drop_a, drop_b, drop_table = ops
    assert isinstance(add, AddColumn) and (add.table, add.column.type.type_ref) == (
        "auth.users",
        "email.status",
    )
    assert isinstance(alter, AlterColumnType) and alter.type.type_ref == "email.status2"
    # RENAME TO takes a bare name: the table stays in its schema, and so does a renamed type.
    assert rename == RenameTable("auth.users", "auth.people", rename.span)
    assert isinstance(add_value, AddEnumValue) and add_value.type_name == "email.status"
    assert isinstance(rename_value, RenameEnumValue) and rename_value.type_name == "email.status"
    assert rename_type == RenameEnumType("email.status", "email.state", rename_type.span)
    assert [drop_a.type_name, drop_b.type_name] == ["email.state", "status"]  # type: ignore[union-attr]
    assert isinstance(drop_table, DropTable) and drop_table.table == "auth.people"


def test_set_schema_moves_a_table_or_type_as_a_rename() -> None:
    table, enum_type = ops_of(
        "ALTER TABLE auth.users SET SCHEMA archive;\nALTER TYPE email.status SET SCHEMA public;\n"
    )
    assert table == RenameTable("auth.users", "archive.users", table.span)
    assert enum_type == RenameEnumType("email.status", "status", enum_type.span)


def test_create_schema_is_no_operation() -> None:
    assert ops_of("CREATE SCHEMA IF NOT EXISTS email;\nCREATE SCHEMA billing AUTHORIZATION app;") == ()


def test_set_search_path_to_another_schema_is_reported_once_and_replay_goes_on() -> None:
    ops, diagnostics, _ = sql_to_ops(
        "SET search_path TO auth, public;\nCREATE TABLE users (id int);\n", PATH, "postgresql"
    )
    (diagnostic,) = diagnostics
    assert diagnostic.code == "SL001" and "search_path" in diagnostic.message
    assert diagnostic.span.line == 1
    (create,) = ops
    assert isinstance(create, CreateTable) and create.table == "users"  # still taken to be in public


@pytest.mark.parametrize(
    "statement",
    [
        "SET search_path TO public",
        'SET search_path TO "$user", public',
        "SET LOCAL search_path = public, pg_catalog",
        "SET search_path TO DEFAULT",
    ],
)
def test_set_search_path_to_the_default_schemas_is_silent(statement: str) -> None:
    assert ops_of(f"{statement};\n") == ()


def test_pg_catalog_qualified_builtin_type_is_the_builtin_not_a_user_type() -> None:
    (u, w) = create_table("CREATE TABLE t (u pg_catalog.varchar(3), w pg_catalog.int4);").columns
    assert (u.type.family, u.type.length, u.type.type_ref) == ("text", 3, None)
    assert (w.type.family, w.type.type_ref) == ("integer", None)


def test_extension_type_in_its_own_schema_is_still_an_extension_type() -> None:
    (column,) = create_table("CREATE TABLE t (email extensions.citext);").columns
    assert column.type.family == "text" and column.type.type_ref is None


@pytest.mark.parametrize("dialect", ["mysql", "sqlite"])
def test_mysql_and_sqlite_qualifiers_name_a_database_and_are_dropped(dialect: Dialect) -> None:
    assert create_table("CREATE TABLE app.users (id int);", dialect).table == "users"
    (drop,) = ops_of("DROP TABLE app.users;", dialect)
    assert isinstance(drop, DropTable) and drop.table == "users"
