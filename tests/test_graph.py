"""Database graph replay: ordering, provenance, constraint names, renames and undecidable branches."""

from __future__ import annotations

from schemalint.extract.sql import extract_sql_file
from schemalint.facts import (
    AddEnumValue,
    Alternatives,
    CreateEnumType,
    Dialect,
    DialectBranch,
    MigrationFacts,
    RevisionInfo,
    Span,
)
from schemalint.graph import DatabaseGraph, build_database_graph, migration_order
from schemalint.runner import Job, extract_all


def replay(*files: str, dialect: Dialect = "postgresql") -> DatabaseGraph:
    facts = [
        extract_sql_file(
            text, f"migrations/V{n}__m.sql", dialect, history="migrations", order_key=(f"{n:05d}",)
        )
        for n, text in enumerate(files, start=1)
    ]
    return build_database_graph(facts, dialect)


def test_unnamed_column_check_gets_the_postgresql_name_so_a_later_migration_can_drop_it() -> None:
    graph = replay(
        "CREATE TABLE t (s text CHECK (s IN ('a', 'b')));",
        "ALTER TABLE t DROP CONSTRAINT t_s_check;",
    )
    assert graph.table("t").checks == ()


def test_check_rebuilt_by_drop_and_add_keeps_only_the_new_value_set_with_both_locations() -> None:
    graph = replay(
        "CREATE TABLE t (s text CHECK (s IN ('a', 'b')));",
        "ALTER TABLE t DROP CONSTRAINT t_s_check;\nALTER TABLE t ADD CONSTRAINT t_s_check CHECK (s IN ('a', 'b', 'c'));",
    )
    (check,) = graph.table("t").checks
    assert check.values == ("a", "b", "c")
    assert check.provenance.declared.path == "migrations/V2__m.sql"
    assert check.provenance.declared.line == 2


def test_alter_type_add_value_before_and_after_keeps_label_order() -> None:
    graph = replay(
        "CREATE TYPE mood AS ENUM ('sad', 'happy');",
        "ALTER TYPE mood ADD VALUE 'ok' BEFORE 'happy';\nALTER TYPE mood ADD VALUE 'ecstatic' AFTER 'happy';",
        "ALTER TYPE mood ADD VALUE IF NOT EXISTS 'ok';\nALTER TYPE mood RENAME VALUE 'sad' TO 'blue';",
    )
    mood = graph.enum_type("mood")
    assert mood.labels == ("blue", "ok", "happy", "ecstatic")
    assert len(mood.provenance.altered) == 3
    assert graph.problems == ()


def test_adding_an_existing_label_without_if_not_exists_is_a_replay_problem() -> None:
    graph = replay("CREATE TYPE mood AS ENUM ('sad');", "ALTER TYPE mood ADD VALUE 'sad';")
    assert [p.kind for p in graph.problems] == ["duplicate-label"]


def test_renamed_type_is_followed_by_the_columns_that_use_it() -> None:
    graph = replay(
        "CREATE TYPE mood AS ENUM ('sad');\nCREATE TABLE t (m mood);",
        "ALTER TYPE mood RENAME TO feeling;",
    )
    column = graph.table("t").column("m", "postgresql")
    assert column.type.type_ref == "feeling"
    assert graph.native_labels(column)[0] == ("sad",)


def test_column_rename_carries_its_checks_and_drop_column_drops_them() -> None:
    graph = replay(
        "CREATE TABLE t (s text CHECK (s IN ('a')), u text CHECK (u IN ('x')));",
        "ALTER TABLE t RENAME s TO status;\nALTER TABLE t DROP COLUMN u;",
    )
    table = graph.table("t")
    assert [c.name for c in table.columns] == ["status"]
    assert [(c.name, c.column) for c in table.checks] == [("t_s_check", "status")]


def test_column_of_a_type_never_created_is_a_replay_problem_on_postgresql_only() -> None:
    pg = replay("CREATE TABLE t (m mood);")
    assert [(p.kind, p.type_name) for p in pg.problems] == [("missing-type", "mood")]


def test_mysql_identifiers_compare_case_insensitively() -> None:
    graph = replay(
        "CREATE TABLE Orders (Status ENUM('new', 'paid'));",
        "ALTER TABLE orders MODIFY COLUMN status ENUM('new', 'paid', 'void') NOT NULL;",
        dialect="mysql",
    )
    column = graph.table("ORDERS").column("STATUS", "mysql")
    assert column.type.labels == ("new", "paid", "void")
    assert column.nullable is False


def test_dialect_branch_replays_only_the_configured_dialect() -> None:
    span = Span.file("m.py")
    branch = DialectBranch(
        ((frozenset({"postgresql"}), (CreateEnumType("pg_only", ("a",), span),)), (None, ())), span
    )
    facts = [MigrationFacts("m.py", "alembic", ops=(branch,))]
    assert build_database_graph(facts, "postgresql").enum_type("pg_only") is not None
    assert build_database_graph(facts, "sqlite").enum_type("pg_only") is None


def test_alternatives_that_disagree_make_the_subject_undecided_instead_of_guessing() -> None:
    span = Span.file("m.ts")
    create = CreateEnumType("status", ("a",), span)
    alternatives = Alternatives(((AddEnumValue("status", "b", span),), ()), span)
    facts = [MigrationFacts("m.ts", "sql", ops=(create, alternatives))]
    graph = build_database_graph(facts, "postgresql")
    assert graph.is_undecided("status")


def test_alembic_revisions_replay_parents_first_whatever_the_file_names() -> None:
    def rev(path: str, revision: str, *down: str) -> MigrationFacts:
        return MigrationFacts(path, "alembic", revision=RevisionInfo(revision, tuple(down)), history="v")

    files = [
        rev("a_merge.py", "m", "b1", "b2"),
        rev("z_base.py", "base"),
        rev("b.py", "b1", "base"),
        rev("c.py", "b2", "base"),
    ]
    order = [m.revision.revision for m in migration_order(files) if m.revision]
    assert order[0] == "base" and order[-1] == "m"


def test_parallel_extraction_gives_the_same_facts_as_serial() -> None:
    jobs = [
        Job(
            "sql",
            f"migrations/V{n}__t.sql",
            f"CREATE TABLE t{n} (s text CHECK (s IN ('a', 'b{n}')));",
            "postgresql",
        )
        for n in range(60)
    ]
    assert extract_all(jobs, None, workers=2) == extract_all(jobs, None, workers=1)


def test_alternatives_that_build_the_same_table_on_different_lines_agree() -> None:
    a = Span("m.ts", 3, 1, 3, 40)
    b = Span("m.ts", 9, 1, 9, 40)
    from schemalint.facts import CheckDef, ColumnDef, ColumnType, CreateTable

    def create(span: Span) -> CreateTable:
        check = CheckDef("t_s_check", "s IN ('a')", span, column="s", values=("a",))
        return CreateTable("t", (ColumnDef("s", ColumnType("text", "text"), span, checks=(check,)),), span)

    facts = [MigrationFacts("m.ts", "typescript", ops=(Alternatives(((create(a),), (create(b),)), a),))]
    graph = build_database_graph(facts, "postgresql")
    assert not graph.is_undecided("t")
    assert graph.table("t") is not None


def test_types_and_tables_of_the_same_name_in_two_schemas_stay_apart() -> None:
    graph = replay(
        "CREATE TYPE address_status_enum AS ENUM ('active');\n"
        "CREATE TABLE address (status address_status_enum);",
        'CREATE SCHEMA email;\nCREATE TYPE "email"."address_status_enum" AS ENUM (\'verified\');\n'
        'CREATE TABLE "email"."address" (status "email"."address_status_enum");\n'
        "ALTER TYPE public.address_status_enum ADD VALUE 'archived';",
    )
    assert graph.problems == ()  # no "type already exists"
    public, email = graph.table("address"), graph.table("email.address")
    assert public is not None and email is not None and public is not email
    assert graph.native_labels(public.columns[0])[0] == ("active", "archived")  # type: ignore[index]
    assert graph.native_labels(email.columns[0])[0] == ("verified",)  # type: ignore[index]


def test_lookups_accept_public_qualified_names() -> None:
    graph = replay("CREATE TYPE mood AS ENUM ('a');\nCREATE TABLE t (m mood);")
    assert graph.table("public.t") is graph.table("t") is not None
    assert graph.enum_type("public.mood") is graph.enum_type("mood") is not None


def test_unqualified_type_reference_resolves_in_public_not_in_another_schema() -> None:
    graph = replay("CREATE SCHEMA s;\nCREATE TYPE s.mood AS ENUM ('a');\nCREATE TABLE t (m mood);")
    (problem,) = graph.problems
    assert problem.kind == "missing-type" and problem.type_name == "mood"


def test_unnamed_check_in_a_schema_is_named_after_the_bare_table() -> None:
    graph = replay(
        "CREATE TABLE auth.t (s text CHECK (s IN ('a', 'b')));",
        "ALTER TABLE auth.t DROP CONSTRAINT t_s_check;",
    )
    table = graph.table("auth.t")
    assert table is not None and table.checks == ()


def test_table_moved_with_set_schema_is_found_in_its_new_schema() -> None:
    graph = replay("CREATE TABLE auth.t (id int);", "ALTER TABLE auth.t SET SCHEMA archive;")
    assert graph.table("auth.t") is None
    moved = graph.table("archive.t")
    assert moved is not None and moved.name == "archive.t"


def test_mysql_database_qualifiers_still_name_one_table() -> None:
    graph = replay("CREATE TABLE app.users (id int);", "ALTER TABLE users ADD COLUMN x int;", dialect="mysql")
    table = graph.table("users")
    assert table is not None and [c.name for c in table.columns] == ["id", "x"]


def test_branches_that_disagree_on_one_column_leave_the_others_checked() -> None:
    from schemalint.facts import CheckDef, ColumnDef, ColumnType, CreateTable

    span = Span("m.ts", 1, 1, 1, 10)

    def create(kinds: tuple[str, ...]) -> CreateTable:
        status = CheckDef("t_status_check", "status IN ('a')", span, column="status", values=("a",))
        kind = CheckDef("t_kind_check", "kind IN (...)", span, column="kind", values=kinds)
        columns = (
            ColumnDef("status", ColumnType("text", "text"), span, checks=(status,)),
            ColumnDef("kind", ColumnType("text", "text"), span, checks=(kind,)),
        )
        return CreateTable("t", columns, span)

    branches = Alternatives(((create(("x",)),), (create(("x", "y")),)), span)
    graph = build_database_graph([MigrationFacts("m.ts", "typescript", ops=(branches,))], "postgresql")
    assert not graph.is_undecided("t")
    assert not graph.is_undecided("t", "status")
    assert graph.is_undecided("t", "kind")
