"""Alembic front-end: revision files read with ``ast`` and replayed into schema operations."""

from __future__ import annotations

import textwrap

import pytest

from schemalint.extract.alembic import extract_alembic_revision, iter_ops, resolve_enum_labels
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
    Dialect,
    DialectBranch,
    DropColumn,
    DropConstraint,
    DropEnumType,
    DropTable,
    FailingStatement,
    MigrationFacts,
    Op,
    RenameColumn,
    RenameTable,
    SchemaUnknowable,
    SetDefault,
    SetNullable,
    Span,
    SyncEnumValues,
)

PATH = "migrations/versions/0001_init.py"

HEADER = """\
from alembic import op, context
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, mysql

revision = "0001"
down_revision = None
"""


def migration(body: str, prelude: str = "") -> str:
    """A revision file whose upgrade() runs ``body``."""
    upgrade = "def upgrade() -> None:\n" + textwrap.indent(textwrap.dedent(body).strip("\n"), "    ")
    return HEADER + textwrap.dedent(prelude) + "\n\n" + upgrade + "\n\n\ndef downgrade() -> None:\n    pass\n"


def extract(body: str, dialect: Dialect = "postgresql", prelude: str = "") -> MigrationFacts:
    return extract_alembic_revision(migration(body, prelude), PATH, dialect)


def only(ops: tuple[Op, ...], kind: type[Op]) -> list[Op]:
    return [op for op in ops if isinstance(op, kind)]


def position(source: str, needle: str, occurrence: int = 0) -> tuple[int, int]:
    """1-based (line, column) of ``needle`` in ``source``."""
    index = -1
    for _ in range(occurrence + 1):
        index = source.index(needle, index + 1)
    line = source.count("\n", 0, index) + 1
    column = index - (source.rfind("\n", 0, index) + 1) + 1
    return line, column


def codes(facts: MigrationFacts) -> list[str]:
    return [d.code for d in facts.diagnostics]


# --------------------------------------------------------------------------------------------
# Revision graph fields and downgrade
# --------------------------------------------------------------------------------------------


def test_revision_identifiers_are_read_from_module_assignments() -> None:
    source = """\
revision: str = "ae1027a6acf"
down_revision: str | None = ("1975ea83b712", "27c6a30d7c24")
branch_labels = "feature"
depends_on = None

def upgrade() -> None:
    pass
"""
    facts = extract_alembic_revision(source, PATH, "postgresql", history="migrations/versions")
    assert facts.kind == "alembic"
    assert facts.history == "migrations/versions"
    assert facts.revision is not None
    assert facts.revision.revision == "ae1027a6acf"
    assert facts.revision.down_revisions == ("1975ea83b712", "27c6a30d7c24")
    assert facts.revision.branch_labels == ("feature",)
    assert facts.revision.depends_on == ()
    assert facts.diagnostics == ()


def test_down_revision_none_is_a_root_and_lists_are_merges() -> None:
    root = extract_alembic_revision('revision = "a"\ndown_revision = None\n', PATH, "sqlite")
    merge = extract_alembic_revision(
        'revision = "m"\ndown_revision = ["a", "b"]\ndepends_on = "x"\n', PATH, "sqlite"
    )
    assert root.revision is not None and root.revision.down_revisions == ()
    assert merge.revision is not None and merge.revision.down_revisions == ("a", "b")
    assert merge.revision.depends_on == ("x",)


def test_revision_from_constant_expression_resolves() -> None:
    facts = extract_alembic_revision('PREFIX = "ab"\nrevision = PREFIX + "cd"\n', PATH, "sqlite")
    assert facts.revision is not None and facts.revision.revision == "abcd"


def test_missing_revision_is_reported_as_unresolved_reference() -> None:
    facts = extract_alembic_revision("def upgrade():\n    pass\n", PATH, "sqlite")
    assert facts.revision is None
    assert codes(facts) == ["SL004"]
    assert "`revision`" in facts.diagnostics[0].message


def test_downgrade_with_only_pass_docstring_or_ellipsis_is_empty() -> None:
    for body in ("pass", '"""Nothing to undo."""\n    # comment\n    pass', "..."):
        source = f'revision = "a"\ndef upgrade():\n    pass\ndef downgrade() -> None:\n    {body}\n'
        facts = extract_alembic_revision(source, PATH, "sqlite")
        assert facts.has_downgrade is True
        assert facts.downgrade_empty is True


def test_missing_downgrade_counts_as_empty_and_a_real_one_does_not() -> None:
    missing = extract_alembic_revision('revision = "a"\ndef upgrade():\n    pass\n', PATH, "sqlite")
    real = extract_alembic_revision(
        'revision = "a"\nfrom alembic import op\ndef downgrade():\n    op.drop_table("t")\n', PATH, "sqlite"
    )
    assert (missing.has_downgrade, missing.downgrade_empty) == (False, True)
    assert (real.has_downgrade, real.downgrade_empty) == (True, False)


def test_only_upgrade_is_replayed() -> None:
    facts = extract_alembic_revision(
        'revision = "a"\nfrom alembic import op\ndef downgrade():\n    op.drop_table("t")\n', PATH, "sqlite"
    )
    assert facts.ops == ()


def test_syntax_error_is_a_single_sl002_at_the_error_position() -> None:
    source = 'revision = "a"\n\ndef upgrade():\n    op.create_table("t",\n'
    facts = extract_alembic_revision(source, PATH, "postgresql")
    assert facts.ops == ()
    assert len(facts.diagnostics) == 1
    diagnostic = facts.diagnostics[0]
    assert diagnostic.code == "SL002"
    assert (diagnostic.span.path, diagnostic.span.line, diagnostic.span.column) == (PATH, 4, 20)
    assert "not valid Python" in diagnostic.message


# --------------------------------------------------------------------------------------------
# create_table: columns, types, defaults
# --------------------------------------------------------------------------------------------


def test_create_table_columns_nullable_by_default_unless_not_null_or_primary_key() -> None:
    facts = extract(
        """
        op.create_table(
            "users",
            sa.Column("id", sa.Integer(), primary_key=True),
            sa.Column("email", sa.String(length=255), nullable=False),
            sa.Column("nick", sa.String(20)),
            sa.Column("org_id", sa.Integer, sa.ForeignKey("orgs.id")),
        )
        """
    )
    (table,) = facts.ops
    assert isinstance(table, CreateTable)
    assert table.table == "users"
    assert [(c.name, c.nullable, c.primary_key) for c in table.columns] == [
        ("id", False, True),
        ("email", False, False),
        ("nick", True, False),
        ("org_id", True, False),
    ]
    assert table.columns[1].type == ColumnType("text", "varchar", length=255)
    assert table.columns[3].type.family == "integer"
    assert facts.diagnostics == ()


def test_primary_key_constraint_marks_columns_not_null() -> None:
    facts = extract(
        """
        op.create_table(
            "t",
            sa.Column("a", sa.Integer()),
            sa.Column("b", sa.Integer()),
            sa.PrimaryKeyConstraint("a", name="pk_t"),
            sa.UniqueConstraint("b"),
            sa.ForeignKeyConstraint(["b"], ["o.id"]),
        )
        """
    )
    (table,) = facts.ops
    assert isinstance(table, CreateTable)
    assert [(c.name, c.nullable, c.primary_key) for c in table.columns] == [
        ("a", False, True),
        ("b", True, False),
    ]


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("sa.String(20)", ColumnType("text", "varchar", length=20)),
        ("sa.String(length=20)", ColumnType("text", "varchar", length=20)),
        ("sa.types.String", ColumnType("text", "varchar")),
        ("sa.VARCHAR(10)", ColumnType("text", "varchar", length=10)),
        ("sa.Unicode(5)", ColumnType("text", "varchar", length=5)),
        ("sa.Text()", ColumnType("text", "text")),
        ("sa.CHAR(2)", ColumnType("text", "char", length=2)),
        ("sa.Integer()", ColumnType("integer", "integer")),
        ("sa.BigInteger()", ColumnType("integer", "bigint")),
        ("sa.SmallInteger", ColumnType("integer", "smallint")),
        ("sa.Boolean()", ColumnType("boolean", "boolean")),
        ("sa.DateTime(timezone=True)", ColumnType("timestamp", "timestamp", timezone=True)),
        ("sa.DateTime()", ColumnType("timestamp", "timestamp", timezone=False)),
        ("postgresql.TIMESTAMP(timezone=True)", ColumnType("timestamp", "timestamp", timezone=True)),
        ("sa.Date()", ColumnType("date", "date")),
        ("sa.Time()", ColumnType("time", "time", timezone=False)),
        ("sa.Interval()", ColumnType("interval", "interval")),
        ("sa.Numeric(10, 2)", ColumnType("numeric", "numeric")),
        ("sa.DECIMAL(10, 2)", ColumnType("numeric", "decimal")),
        ("sa.Float()", ColumnType("float", "float")),
        ("sa.JSON()", ColumnType("json", "json")),
        ("postgresql.JSONB(astext_type=sa.Text())", ColumnType("json", "jsonb")),
        ("postgresql.UUID(as_uuid=True)", ColumnType("uuid", "uuid")),
        ("sa.Uuid()", ColumnType("uuid", "uuid")),
        ("sa.LargeBinary()", ColumnType("binary", "blob")),
        ("postgresql.ARRAY(sa.String())", ColumnType("array", "varchar[]")),
        ("sa.JSON().with_variant(postgresql.JSONB(), 'postgresql')", ColumnType("json", "jsonb")),
        ("postgresql.INET()", ColumnType("other", "inet")),
    ],
)
def test_column_types_map_to_families(written: str, expected: ColumnType) -> None:
    facts = extract(f'op.add_column("t", sa.Column("c", {written}))')
    (add,) = facts.ops
    assert isinstance(add, AddColumn)
    assert add.column.type == expected
    assert facts.diagnostics == ()


def test_types_imported_by_name_or_full_path_resolve() -> None:
    prelude = """
    import sqlalchemy.dialects.postgresql
    from sqlalchemy import Column, Enum, String
    from sqlalchemy.dialects.postgresql import ENUM as PgEnum
    """
    facts = extract(
        """
        op.create_table(
            "t",
            Column("a", String(3)),
            Column("b", Enum("x", name="b_kind")),
            Column("c", PgEnum("y", name="c_kind")),
            Column("d", sqlalchemy.dialects.postgresql.ENUM("z", name="d_kind")),
        )
        """,
        prelude=prelude,
    )
    creates = only(facts.ops, CreateEnumType)
    assert [(c.name, c.labels) for c in creates] == [
        ("b_kind", ("x",)),
        ("c_kind", ("y",)),
        ("d_kind", ("z",)),
    ]
    (table,) = only(facts.ops, CreateTable)
    assert table.columns[0].type == ColumnType("text", "varchar", length=3)
    assert facts.diagnostics == ()


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ('"draft"', DefaultValue("draft", True, "'draft'")),
        ('"it\'s"', DefaultValue("it's", True, "'it''s'")),
        ("sa.text(\"'draft'\")", DefaultValue("draft", True, "'draft'")),
        (
            "sa.text(\"'draft'::character varying\")",
            DefaultValue("draft", True, "'draft'::character varying"),
        ),
        ('sa.text("0")', DefaultValue("0", True, "0")),
        ('sa.text("now()")', DefaultValue(None, False, "now()")),
        ("sa.func.now()", DefaultValue(None, False, "now()")),
        ("sa.false()", DefaultValue("false", True, "false")),
    ],
)
def test_server_default_string_is_literal_and_text_is_sql(written: str, expected: DefaultValue) -> None:
    facts = extract(f'op.add_column("t", sa.Column("c", sa.String(10), server_default={written}))')
    (add,) = facts.ops
    assert isinstance(add, AddColumn)
    assert add.column.default == expected


# --------------------------------------------------------------------------------------------
# Enums in create_table, per dialect
# --------------------------------------------------------------------------------------------

ENUM_TABLE = """
op.create_table(
    "posts",
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("status", sa.Enum("draft", "published", name="post_status"), nullable=False),
)
"""


def test_create_table_with_enum_creates_type_before_table_on_postgresql() -> None:
    facts = extract(ENUM_TABLE, "postgresql")
    create_type, table = facts.ops
    assert (
        create_type == CreateEnumType("post_status", ("draft", "published"), create_type.span)
        and not create_type.if_not_exists
    )
    assert isinstance(table, CreateTable)
    assert table.columns[1].type == ColumnType(
        "user", "post_status", type_ref="post_status", labels=("draft", "published")
    )
    assert table.checks == ()


def test_create_table_with_enum_is_inline_enum_on_mysql() -> None:
    facts = extract(ENUM_TABLE, "mysql")
    (table,) = facts.ops
    assert isinstance(table, CreateTable)
    assert table.columns[1].type == ColumnType("enum", "enum", labels=("draft", "published"))
    assert table.checks == ()


def test_create_table_with_enum_is_varchar_of_longest_label_on_sqlite() -> None:
    facts = extract(ENUM_TABLE, "sqlite")
    (table,) = facts.ops
    assert isinstance(table, CreateTable)
    assert table.columns[1].type == ColumnType("text", "varchar", length=len("published"))
    assert table.checks == ()


def test_create_constraint_on_sqlite_adds_check_named_after_type_even_when_native() -> None:
    facts = extract(
        'op.create_table("t", sa.Column("role", sa.Enum("a", "bb", name="user_role", create_constraint=True)))',
        "sqlite",
    )
    (table,) = facts.ops
    assert isinstance(table, CreateTable)
    (check,) = table.checks
    assert (check.name, check.column, check.values) == ("user_role", "role", ("a", "bb"))
    assert check.expression == "role IN ('a', 'bb')"


@pytest.mark.parametrize("dialect", ["postgresql", "mysql"])
def test_native_enum_never_gets_a_check_on_postgresql_or_mysql(dialect: Dialect) -> None:
    facts = extract(
        'op.create_table("t", sa.Column("role", sa.Enum("a", name="user_role", create_constraint=True)))',
        dialect,
    )
    (table,) = only(facts.ops, CreateTable)
    assert table.checks == ()


@pytest.mark.parametrize("dialect", ["postgresql", "mysql", "sqlite"])
def test_non_native_enum_is_varchar_with_check_named_after_type_on_every_dialect(dialect: Dialect) -> None:
    facts = extract(
        """
        op.create_table(
            "t",
            sa.Column(
                "role",
                sa.Enum("writer", "admin", name="userrole", native_enum=False, create_constraint=True),
            ),
        )
        """,
        dialect,
    )
    (table,) = facts.ops  # no CREATE TYPE, even on PostgreSQL
    assert isinstance(table, CreateTable)
    assert table.columns[0].type == ColumnType("text", "varchar", length=6)
    (check,) = table.checks
    assert (check.name, check.column, check.values) == ("userrole", "role", ("writer", "admin"))


def test_non_native_enum_without_constraint_has_no_check_and_length_keyword_wins() -> None:
    facts = extract('op.create_table("t", sa.Column("r", sa.Enum("a", native_enum=False, length=50)))')
    (table,) = facts.ops
    assert isinstance(table, CreateTable)
    assert table.columns[0].type == ColumnType("text", "varchar", length=50)
    assert table.checks == ()


def test_nameless_non_native_enum_check_is_unnamed() -> None:
    facts = extract(
        'op.create_table("t", sa.Column("r", sa.Enum("a", "b", native_enum=False, create_constraint=True)))'
    )
    (table,) = facts.ops
    assert isinstance(table, CreateTable)
    assert table.checks[0].name is None
    assert table.checks[0].values == ("a", "b")


def test_enum_type_used_twice_in_one_migration_is_created_once() -> None:
    facts = extract(
        """
        op.create_table(
            "a",
            sa.Column("s", sa.Enum("x", "y", name="st")),
            sa.Column("t", sa.Enum("x", "y", name="st")),
        )
        op.create_table("b", sa.Column("s", sa.Enum("x", "z", name="st")))
        """
    )
    creates = only(facts.ops, CreateEnumType)
    # The first definition wins; the second table silently reuses it (its labels are ignored).
    assert [(c.name, c.labels) for c in creates] == [("st", ("x", "y"))]
    assert [type(op).__name__ for op in facts.ops] == ["CreateEnumType", "CreateTable", "CreateTable"]


def test_postgresql_enum_with_create_type_false_creates_no_type() -> None:
    facts = extract(
        """
        op.create_table(
            "t",
            sa.Column("s", postgresql.ENUM("x", "y", name="status", create_type=False)),
            sa.Column("k", postgresql.ENUM(name="kind", create_type=False)),
        )
        """
    )
    (table,) = facts.ops
    assert isinstance(table, CreateTable)
    assert [c.type.type_ref for c in table.columns] == ["status", "kind"]


def test_mysql_enum_is_inline_enum_on_mysql() -> None:
    facts = extract('op.create_table("t", sa.Column("s", mysql.ENUM("x", "Y")))', "mysql")
    (table,) = facts.ops
    assert isinstance(table, CreateTable)
    assert table.columns[0].type == ColumnType("enum", "enum", labels=("x", "Y"))


def test_enum_labels_from_module_constants_and_spread() -> None:
    facts = extract(
        """
        op.create_table(
            "t",
            sa.Column("s", sa.Enum(*STATUSES, name="status")),
            sa.Column("k", status_type),
        )
        """,
        prelude="""
        STATUSES = ("new", "done")
        KINDS = ["A", "B"]
        status_type = postgresql.ENUM(*KINDS, "C", name=KIND_NAME)
        KIND_NAME = "kind"
        """,
    )
    creates = only(facts.ops, CreateEnumType)
    assert [(c.name, c.labels) for c in creates] == [("status", ("new", "done")), ("kind", ("A", "B", "C"))]


def test_enum_of_an_application_class_is_a_reference_not_an_sl004() -> None:
    facts = extract(
        'op.add_column("t", sa.Column("role", sa.Enum(UserRole, name="userrole")))',
        prelude="from app.models import UserRole",
    )
    (add,) = facts.ops
    assert isinstance(add, AddColumn)
    column_type = add.column.type
    assert (column_type.family, column_type.type_ref, column_type.labels) == ("user", "userrole", None)
    assert column_type.labels_ref is not None
    assert column_type.labels_ref.target == "app.models.UserRole"
    assert column_type.labels_ref.values_callable is None
    assert codes(facts) == []  # the labels are read from the application after extraction


def resolved(facts: MigrationFacts, labels: dict[str, tuple[str, ...]]) -> MigrationFacts:
    """``facts`` after the resolution pass, with the application enums found in ``labels``."""
    return resolve_enum_labels(facts, lambda ref: labels.get(ref.target))


def test_resolved_application_enum_on_postgresql_creates_the_type_with_its_labels() -> None:
    facts = extract(
        """
        op.create_table("users", sa.Column("role", sa.Enum(UserRole), nullable=False))
        op.add_column("teams", sa.Column("role", sa.Enum(UserRole)))
        """,
        prelude="from app.models import UserRole",
    )
    create, table, add = resolved(facts, {"app.models.UserRole": ("WRITER", "ADMIN")}).ops
    assert (
        isinstance(create, CreateEnumType) and isinstance(table, CreateTable) and isinstance(add, AddColumn)
    )
    assert (create.name, create.labels, create.labels_known, create.labels_ref) == (
        "userrole",
        ("WRITER", "ADMIN"),
        True,
        None,
    )
    assert table.columns[0].type == ColumnType(
        "user", "userrole", labels=("WRITER", "ADMIN"), type_ref="userrole"
    )
    assert add.column.type.labels == ("WRITER", "ADMIN")


def test_unresolved_application_enum_keeps_the_named_type_with_unknown_labels_and_one_sl004() -> None:
    facts = extract(
        'op.create_table("t", sa.Column("role", sa.Enum(UserRole, name="user_role")))',
        prelude="from vendor.roles import UserRole\n",
    )
    after = resolved(facts, {})
    create, table = after.ops
    assert isinstance(create, CreateEnumType) and isinstance(table, CreateTable)
    assert (create.name, create.labels_known, create.labels_ref) == ("user_role", False, None)
    assert (table.columns[0].type.type_ref, table.columns[0].type.labels) == ("user_role", None)
    (diagnostic,) = after.diagnostics
    assert diagnostic.code == "SL004"
    assert '`sa.Enum(UserRole, name="user_role")`' in diagnostic.message
    assert "`vendor.roles.UserRole`, which is not defined in this project" in diagnostic.message


def test_resolved_application_enum_on_mysql_is_an_inline_enum() -> None:
    facts = extract(
        'op.create_table("t", sa.Column("role", sa.Enum(UserRole)))',
        "mysql",
        prelude="from app.models import UserRole",
    )
    (table,) = resolved(facts, {"app.models.UserRole": ("WRITER", "ADMIN")}).ops
    assert isinstance(table, CreateTable)
    assert table.columns[0].type == ColumnType("enum", "enum", labels=("WRITER", "ADMIN"))
    (unknown,) = resolved(facts, {}).ops
    assert isinstance(unknown, CreateTable) and unknown.columns[0].type.family == "unknown"


def test_resolved_non_native_application_enum_is_a_varchar_of_the_longest_label_with_its_check() -> None:
    facts = extract(
        """
        op.create_table("t", sa.Column("role", sa.Enum(UserRole, name="role", create_constraint=True)))
        op.add_column(
            "u",
            sa.Column("role", sa.Enum(UserRole, native_enum=False, length=20, create_constraint=True)),
        )
        """,
        "sqlite",
        prelude="from app.models import UserRole",
    )
    # SQLite cannot add a constraint to an existing table: Alembic skips the second CHECK.
    table, add = resolved(facts, {"app.models.UserRole": ("WRITER", "SUPERVISOR")}).ops
    assert isinstance(table, CreateTable) and isinstance(add, AddColumn)
    assert table.columns[0].type == ColumnType("text", "varchar", length=10)
    (check,) = table.checks
    assert (check.name, check.column, check.values) == ("role", "role", ("WRITER", "SUPERVISOR"))
    assert check.expression == "role IN ('WRITER', 'SUPERVISOR')"
    assert add.column.type.length == 20  # length= wins over the longest label
    unresolved = resolved(facts, {})
    table, add = unresolved.ops
    assert isinstance(table, CreateTable) and table.checks == () and table.columns[0].type.family == "unknown"
    assert codes(unresolved) == ["SL004", "SL004"]


def test_non_native_application_enum_added_on_postgresql_adds_its_check_after_resolution() -> None:
    facts = extract(
        'op.add_column("t", sa.Column("role", sa.Enum(UserRole, native_enum=False, create_constraint=True)))',
        prelude="from app.models import UserRole",
    )
    add, check = resolved(facts, {"app.models.UserRole": ("A", "B")}).ops
    assert isinstance(add, AddColumn) and isinstance(check, AddCheck)
    assert (check.check.name, check.check.values) == ("userrole", ("A", "B"))
    (add,) = resolved(facts, {}).ops  # unknown labels: no CHECK to compare
    assert isinstance(add, AddColumn)


def test_application_enum_reference_carries_values_callable_and_omit_aliases() -> None:
    facts = extract(
        """
        op.add_column("t", sa.Column("r", postgresql.ENUM(
            app.enums.UserRole, name="role", create_type=False,
            values_callable=lambda e: [m.value.upper() for m in e], omit_aliases=False,
        )))
        """,
        prelude="import app.enums",
    )
    (add,) = facts.ops
    assert isinstance(add, AddColumn)
    ref = add.column.type.labels_ref
    assert ref is not None and ref.target == "app.enums.UserRole" and ref.omit_aliases is False
    assert ref.values_callable is not None and ref.values_callable.steps == ("value", "upper")


def test_application_enum_type_is_named_after_the_class_not_its_import_alias() -> None:
    facts = extract(
        'op.create_table("t", sa.Column("r", sa.Enum(Role)))',
        prelude="from app.models import UserRole as Role",
    )
    create, _ = facts.ops
    assert isinstance(create, CreateEnumType) and create.name == "userrole"  # enum_class.__name__.lower()


def test_application_enum_with_an_unreadable_values_callable_stays_an_sl004() -> None:
    facts = extract(
        'op.add_column("t", sa.Column("r", sa.Enum(UserRole, name="r", values_callable=helpers.values)))',
        prelude="from app.models import UserRole\nfrom app import helpers",
    )
    (add,) = facts.ops
    assert isinstance(add, AddColumn) and add.column.type.labels_ref is None
    assert codes(facts) == ["SL004"]


def test_enum_create_of_an_application_class_is_resolved_and_drop_needs_only_the_name() -> None:
    facts = extract(
        """
        sa.Enum(UserRole, name="userrole").create(op.get_bind())
        sa.Enum(UserRole, name="userrole").drop(op.get_bind())
        """,
        prelude="from app.models import UserRole",
    )
    assert codes(facts) == []
    create, drop = resolved(facts, {"app.models.UserRole": ("A",)}).ops
    assert isinstance(create, CreateEnumType) and isinstance(drop, DropEnumType)
    assert (create.labels, create.labels_known) == (("A",), True)
    unresolved = resolved(facts, {})
    assert codes(unresolved) == ["SL004"]
    assert [type(op) for op in unresolved.ops] == [CreateEnumType, DropEnumType]


def test_resolution_reaches_into_dialect_branches_and_leaves_other_facts_alone() -> None:
    facts = extract(
        """
        if op.get_bind().dialect.name == "postgresql":
            op.add_column("t", sa.Column("r", sa.Enum(UserRole)))
        """,
        prelude="from app.models import UserRole",
    )
    (branch,) = resolved(facts, {"app.models.UserRole": ("A",)}).ops
    assert isinstance(branch, DialectBranch)
    (add,) = branch.branches[0][1]
    assert isinstance(add, AddColumn) and add.column.type.labels == ("A",)
    plain = extract('op.add_column("t", sa.Column("n", sa.Integer()))')
    assert resolve_enum_labels(plain, lambda ref: None) is plain


LOCAL_ENUM = """
import enum

class Role(str, enum.Enum):
    WRITER = "writer"
    ADMIN = "admin"
    EDITOR = "writer"  # alias of WRITER: left out of the type
"""


def test_enum_of_class_defined_in_the_migration_uses_member_names_and_class_name() -> None:
    facts = extract('op.create_table("t", sa.Column("role", sa.Enum(Role)))', prelude=LOCAL_ENUM)
    create, _ = facts.ops
    assert create == CreateEnumType("role", ("WRITER", "ADMIN"), create.span)
    assert facts.diagnostics == ()


def test_enum_of_local_class_with_values_callable_uses_member_values() -> None:
    facts = extract(
        'op.create_table("t", sa.Column("r", sa.Enum(Role, name="r", values_callable=lambda e: [m.value for m in e])))',
        prelude=LOCAL_ENUM,
    )
    create, _ = facts.ops
    assert isinstance(create, CreateEnumType) and create.labels == ("writer", "admin")


def test_enum_of_local_class_with_unreadable_values_callable_is_unresolved() -> None:
    facts = extract(
        'op.add_column("t", sa.Column("r", sa.Enum(Role, name="r", values_callable=label_values)))',
        prelude=LOCAL_ENUM,
    )
    (add,) = facts.ops
    assert isinstance(add, AddColumn) and add.column.type.type_ref == "r" and add.column.type.labels is None
    assert codes(facts) == ["SL004"]


def test_nameless_native_enum_on_postgresql_is_unresolved_and_unknown() -> None:
    facts = extract('op.create_table("t", sa.Column("s", sa.Enum("a", "b")))', "postgresql")
    (table,) = facts.ops
    assert isinstance(table, CreateTable)
    assert table.columns[0].type.family == "unknown"
    assert codes(facts) == ["SL004"]
    assert "requires a name" not in facts.diagnostics[0].message  # our own words, not SQLAlchemy's
    assert "no `name=`" in facts.diagnostics[0].message


def test_nameless_native_enum_is_fine_on_mysql() -> None:
    facts = extract('op.create_table("t", sa.Column("s", sa.Enum("a", "b")))', "mysql")
    assert facts.diagnostics == ()


# --------------------------------------------------------------------------------------------
# add_column / alter_column / drop_column / constraints / tables
# --------------------------------------------------------------------------------------------


def test_add_column_with_enum_does_not_create_type_on_postgresql() -> None:
    facts = extract('op.add_column("posts", sa.Column("status", sa.Enum("a", "b", name="post_status")))')
    (add,) = facts.ops
    assert isinstance(add, AddColumn)
    assert add.table == "posts"
    assert add.column.type == ColumnType("user", "post_status", type_ref="post_status", labels=("a", "b"))


def test_add_column_non_native_enum_check_is_added_after_the_column() -> None:
    facts = extract(
        'op.add_column("t", sa.Column("s", sa.Enum("a", name="st", native_enum=False, create_constraint=True)))',
        "mysql",
    )
    add, check = facts.ops
    assert isinstance(add, AddColumn) and isinstance(check, AddCheck)
    assert (check.table, check.check.name, check.check.values) == ("t", "st", ("a",))


def test_add_column_enum_check_is_skipped_on_sqlite_outside_batch_mode() -> None:
    body = 'op.add_column("t", sa.Column("s", sa.Enum("a", name="st", create_constraint=True)))'
    facts = extract(body, "sqlite")
    assert [type(op) for op in facts.ops] == [AddColumn]
    in_batch = extract(
        """
        with op.batch_alter_table("t") as batch_op:
            batch_op.add_column(sa.Column("s", sa.Enum("a", name="st", create_constraint=True)))
        """,
        "sqlite",
    )
    assert [type(op) for op in in_batch.ops] == [AddColumn, AddCheck]


def test_alter_column_emits_type_nullable_default_and_rename_in_alembic_order() -> None:
    facts = extract(
        """
        op.alter_column(
            "t",
            "s",
            type_=sa.String(9),
            nullable=False,
            server_default="q",
            new_column_name="s2",
            existing_type=sa.String(5),
        )
        """
    )
    span = facts.ops[0].span
    assert facts.ops == (
        AlterColumnType("t", "s", ColumnType("text", "varchar", length=9), span),
        SetNullable("t", "s", False, span),
        SetDefault("t", "s", DefaultValue("q", True, "'q'"), span),
        RenameColumn("t", "s", "s2", span),
    )


def test_alter_column_server_default_none_drops_it_and_false_leaves_it() -> None:
    dropped = extract('op.alter_column("t", "c", server_default=None)')
    unchanged = extract('op.alter_column("t", "c", server_default=False, nullable=True)')
    assert [(type(op), getattr(op, "default", "-")) for op in dropped.ops] == [(SetDefault, None)]
    assert [type(op) for op in unchanged.ops] == [SetNullable]


def test_alter_column_to_enum_on_postgresql_does_not_create_the_type() -> None:
    facts = extract(
        'op.alter_column("t", "s", type_=sa.Enum("a", name="st"), existing_type=sa.String(5))', "postgresql"
    )
    (alter,) = facts.ops
    assert isinstance(alter, AlterColumnType)
    assert alter.type == ColumnType("user", "st", type_ref="st", labels=("a",))


def test_alter_column_between_non_native_enums_swaps_the_implicit_check() -> None:
    facts = extract(
        """
        op.alter_column(
            "t",
            "s",
            type_=sa.Enum("a", "b", name="st2", native_enum=False, create_constraint=True),
            existing_type=sa.Enum("a", name="st", native_enum=False, create_constraint=True),
        )
        """
    )
    drop, alter, add = facts.ops
    assert drop == DropConstraint("t", "st", drop.span)
    assert isinstance(alter, AlterColumnType) and alter.type == ColumnType("text", "varchar", length=1)
    assert isinstance(add, AddCheck) and add.check.values == ("a", "b") and add.check.name == "st2"


def test_alter_column_on_mysql_restates_the_whole_column() -> None:
    # Without existing_nullable / existing_server_default, MODIFY makes the column NULL-able and
    # drops its default.
    facts = extract('op.alter_column("t", "s", type_=sa.String(9), existing_type=sa.String(5))', "mysql")
    (alter,) = facts.ops
    assert isinstance(alter, AlterColumnType)
    assert (alter.nullable, alter.default, alter.replaces_default) == (True, None, True)
    renamed = extract(
        """
        op.alter_column(
            "t", "s", new_column_name="s2", existing_type=sa.String(5),
            existing_nullable=False, existing_server_default="x",
        )
        """,
        "mysql",
    )
    (change,) = renamed.ops
    assert isinstance(change, AlterColumnType)
    assert (change.new_name, change.nullable, change.default) == ("s2", False, DefaultValue("x", True, "'x'"))


def test_create_check_constraint_from_sqlalchemy_in_expression() -> None:
    facts = extract('op.create_check_constraint("ck_status", "t", sa.column("status").in_(["a", "b"]))')
    (add,) = facts.ops
    assert isinstance(add, AddCheck)
    assert add.check == CheckDef(
        "ck_status", "status IN ('a', 'b')", add.span, column="status", values=("a", "b")
    )


def test_create_check_constraint_from_unreadable_expression_is_unresolved() -> None:
    facts = extract('op.create_check_constraint("ck", "t", sa.column("n") > limit())')
    assert facts.ops == ()
    assert codes(facts) == ["SL004"]
    assert '`sa.column("n") > limit()`' in facts.diagnostics[0].message


def test_drop_constraint_drop_column_rename_and_drop_table() -> None:
    facts = extract(
        """
        op.drop_constraint(op.f("ck_t_status"), "t", type_="check")
        op.drop_column("t", "old")
        op.rename_table("t", "t2")
        op.drop_table("t2", if_exists=True)
        """
    )
    spans = [op.span for op in facts.ops]
    assert facts.ops == (
        DropConstraint("t", "ck_t_status", spans[0]),
        DropColumn("t", "old", spans[1]),
        RenameTable("t", "t2", spans[2]),
        DropTable("t2", spans[3], if_exists=True),
    )


def test_batch_alter_table_operations_apply_to_the_batch_table() -> None:
    facts = extract(
        """
        with op.batch_alter_table("orders", schema=None) as batch_op:
            batch_op.add_column(sa.Column("state", sa.String(10), nullable=True))
            batch_op.alter_column("total", nullable=False)
            batch_op.create_check_constraint("ck_state", sa.column("state").in_(["new"]))
            batch_op.drop_constraint("ck_old", type_="check")
            batch_op.drop_column("legacy")
            batch_op.create_index("ix_state", ["state"])
        """
    )
    assert [(type(op).__name__, getattr(op, "table", None)) for op in facts.ops] == [
        ("AddColumn", "orders"),
        ("SetNullable", "orders"),
        ("AddCheck", "orders"),
        ("DropConstraint", "orders"),
        ("DropColumn", "orders"),
    ]
    assert facts.diagnostics == ()


def test_table_names_from_module_constants_and_loops_resolve() -> None:
    facts = extract(
        """
        for table in TABLES:
            op.add_column(table, sa.Column("deleted", sa.Boolean(), server_default=sa.false()))
        op.drop_column(PREFIX + "_x", "c")
        """,
        prelude='TABLES = ("a", "b")\nPREFIX = "app"',
    )
    assert [(type(op).__name__, getattr(op, "table", None)) for op in facts.ops] == [
        ("AddColumn", "a"),
        ("AddColumn", "b"),
        ("DropColumn", "app_x"),
    ]


def test_helper_function_called_from_upgrade_is_inlined() -> None:
    facts = extract(
        """
        _add_status("orders")
        _add_status(table="invoices")
        """,
        prelude="""
        def _add_status(table, name="status"):
            op.add_column(table, sa.Column(name, sa.String(5)))
        """,
    )
    assert [(op.table, op.column.name) for op in facts.ops if isinstance(op, AddColumn)] == [
        ("orders", "status"),
        ("invoices", "status"),
    ]


# --------------------------------------------------------------------------------------------
# Enum types created and dropped explicitly; alembic-postgresql-enum
# --------------------------------------------------------------------------------------------


def test_enum_create_with_checkfirst_is_create_enum_type_if_not_exists() -> None:
    facts = extract('sa.Enum("a", "b", name="st").create(op.get_bind(), checkfirst=True)')
    (create,) = facts.ops
    assert create == CreateEnumType("st", ("a", "b"), create.span, if_not_exists=True)


def test_enum_create_and_drop_through_a_variable() -> None:
    facts = extract(
        """
        status_enum = postgresql.ENUM("a", "b", name="status", create_type=False)
        bind = op.get_bind()
        status_enum.create(bind)
        op.add_column("t", sa.Column("status", status_enum))
        postgresql.ENUM(name="old_status").drop(bind, checkfirst=True)
        """
    )
    create, add, drop = facts.ops
    # postgresql.ENUM.create() defaults to checkfirst=True (sa.Enum.create() to False).
    assert create == CreateEnumType("status", ("a", "b"), create.span, if_not_exists=True)
    assert isinstance(add, AddColumn) and add.column.type.type_ref == "status"
    assert drop == DropEnumType("old_status", drop.span, if_exists=True)


def test_postgresql_enum_create_is_a_failing_statement_on_mysql() -> None:
    facts = extract('postgresql.ENUM("a", name="st").create(op.get_bind())', "mysql")
    (failing,) = facts.ops
    assert isinstance(failing, FailingStatement) and "MySQL" in failing.reason


def test_sa_enum_create_defaults_to_no_checkfirst() -> None:
    (create,) = extract('sa.Enum("a", name="st").create(op.get_bind())').ops
    assert create == CreateEnumType("st", ("a",), create.span, if_not_exists=False)


@pytest.mark.parametrize("dialect", ["mysql", "sqlite"])
def test_enum_create_does_nothing_outside_postgresql(dialect: Dialect) -> None:
    facts = extract('sa.Enum("a", name="st").create(op.get_bind(), checkfirst=True)', dialect)
    assert facts.ops == ()
    assert facts.diagnostics == ()


def test_explicit_create_then_create_table_with_the_same_type_creates_it_twice() -> None:
    # The table's before_create event does not know about the explicit create(): a real
    # upgrade fails with "type already exists"; the graph reports it from the two ops.
    facts = extract(
        """
        st = postgresql.ENUM("a", name="st")
        st.create(op.get_bind(), checkfirst=True)
        op.create_table("t", sa.Column("s", st))
        """
    )
    assert [(type(op).__name__, getattr(op, "if_not_exists", None)) for op in facts.ops] == [
        ("CreateEnumType", True),
        ("CreateEnumType", False),
        ("CreateTable", False),
    ]


def test_sync_enum_values_positional_and_keyword() -> None:
    facts = extract(
        """
        op.sync_enum_values("public", "status", ["new", "done"], [TableReference("t", "s")])
        op.sync_enum_values(
            enum_schema="public",
            enum_name="kind",
            new_values=KINDS,
            affected_columns=[],
            enum_values_to_rename=[("a", "A")],
        )
        """,
        prelude='KINDS = ("A", "B")',
    )
    first, second = facts.ops
    assert first == SyncEnumValues("status", ("new", "done"), first.span)
    assert second == SyncEnumValues("kind", ("A", "B"), second.span)


# --------------------------------------------------------------------------------------------
# Control flow: dialect branches, undecidable ifs, create_all
# --------------------------------------------------------------------------------------------


def test_dialect_branch_with_elif_and_else() -> None:
    facts = extract(
        """
        if op.get_bind().dialect.name == "postgresql":
            op.drop_column("t", "pg")
        elif op.get_bind().dialect.name in ("mysql", "mariadb"):
            op.drop_column("t", "my")
        else:
            op.drop_column("t", "other")
        """
    )
    (branch,) = facts.ops
    assert isinstance(branch, DialectBranch)
    assert [
        (dialects, [op.column for op in ops if isinstance(op, DropColumn)])
        for dialects, ops in branch.branches
    ] == [
        (frozenset({"postgresql"}), ["pg"]),
        (frozenset({"mysql"}), ["my"]),
        (None, ["other"]),
    ]


@pytest.mark.parametrize(
    ("prelude_body", "test", "expected"),
    [
        ("bind = op.get_bind()", 'bind.dialect.name == "sqlite"', {"sqlite"}),
        ("bind = op.get_bind()", 'bind.dialect.name != "sqlite"', {"postgresql", "mysql"}),
        ("", 'context.get_context().dialect.name == "postgresql"', {"postgresql"}),
        ("dialect = op.get_bind().dialect.name", 'dialect == "mariadb"', {"mysql"}),
        ("is_pg = op.get_bind().dialect.name == 'postgresql'", "not is_pg", {"mysql", "sqlite"}),
    ],
)
def test_dialect_tests_are_recognised(prelude_body: str, test: str, expected: set[str]) -> None:
    facts = extract(f'{prelude_body}\nif {test}:\n    op.drop_table("t")')
    (branch,) = facts.ops
    assert isinstance(branch, DialectBranch)
    assert branch.branches[0][0] == frozenset(expected)


def test_enum_in_dialect_branch_is_read_for_the_branch_dialect() -> None:
    facts = extract(
        """
        if op.get_bind().dialect.name == "postgresql":
            op.create_table("t", sa.Column("s", sa.Enum("a", name="st")))
            op.execute(build_pg_sql())
        """,
        "sqlite",
    )
    (branch,) = facts.ops
    assert isinstance(branch, DialectBranch)
    ops = branch.branches[0][1]
    assert [type(op) for op in ops] == [CreateEnumType, CreateTable]
    # Code that never runs on the configured dialect raises no coverage findings.
    assert facts.diagnostics == ()


def test_early_return_makes_the_rest_of_upgrade_the_other_branch() -> None:
    facts = extract(
        """
        if not _is_postgres():
            return
        op.execute(build_sql())
        op.drop_table("pg_only")
        """,
        "postgresql",
        prelude="""
        def _is_postgres() -> bool:
            return op.get_bind().dialect.name == "postgresql"
        """,
    )
    (branch,) = facts.ops
    assert isinstance(branch, DialectBranch)
    (not_pg, nothing), (otherwise, rest) = branch.branches
    assert (not_pg, nothing, otherwise) == (frozenset({"mysql", "sqlite"}), (), None)
    assert [type(op) for op in rest] == [DropTable]
    assert codes(facts) == ["SL004"]  # op.execute(build_sql()) runs on PostgreSQL


def test_return_inside_a_dialect_branch_keeps_the_rest_out_of_that_branch() -> None:
    facts = extract(
        """
        if op.get_bind().dialect.name == "postgresql":
            op.drop_column("t", "pg")
            return
        with op.batch_alter_table("t") as batch_op:
            batch_op.drop_column("other")
        """,
        "sqlite",
    )
    (branch,) = facts.ops
    assert isinstance(branch, DialectBranch)
    assert [[op.column for op in ops if isinstance(op, DropColumn)] for _, ops in branch.branches] == [
        ["pg"],
        ["other"],
    ]


def test_types_chosen_by_dialect_in_expressions_and_helpers() -> None:
    prelude = """
    def _json_type():
        if op.get_bind().dialect.name == "postgresql":
            return postgresql.JSONB()
        return sa.JSON()
    """
    body = """
    is_pg = op.get_bind().dialect.name == "postgresql"
    uuid_type = postgresql.UUID(as_uuid=True) if is_pg else sa.String(32)
    op.create_table("t", sa.Column("id", uuid_type), sa.Column("doc", _json_type()))
    """
    on_pg = only(extract(body, "postgresql", prelude).ops, CreateTable)[0]
    on_lite = only(extract(body, "sqlite", prelude).ops, CreateTable)[0]
    assert isinstance(on_pg, CreateTable) and isinstance(on_lite, CreateTable)
    assert [c.type.name for c in on_pg.columns] == ["uuid", "jsonb"]
    assert [c.type.name for c in on_lite.columns] == ["varchar", "json"]


def test_reading_the_schema_through_the_connection_is_not_reported() -> None:
    facts = extract(
        """
        inspector = sa.inspect(op.get_bind())
        if "t" in inspector.get_table_names():
            op.drop_table("t")
        """,
        prelude='down_revision = "0000"',
    )
    assert codes(facts) == []
    (alternatives,) = facts.ops
    assert isinstance(alternatives, Alternatives)


EXISTS_HELPER = """
def table_exists(name):
    return sa.inspect(op.get_bind()).has_table(name)
"""


def test_existence_guard_in_first_revision_takes_the_empty_database_branch() -> None:
    facts = extract(
        """
        if table_exists("accounts"):
            return
        op.create_table("accounts", sa.Column("id", sa.Integer(), primary_key=True))
        """,
        prelude=EXISTS_HELPER,
    )
    assert codes(facts) == []
    assert [type(op) for op in facts.ops] == [CreateTable]


def test_table_listing_probe_in_first_revision_is_decided() -> None:
    facts = extract(
        """
        if "accounts" not in sa.inspect(op.get_bind()).get_table_names():
            op.create_table("accounts", sa.Column("id", sa.Integer(), primary_key=True))
        else:
            op.drop_table("accounts")
        """
    )
    assert [type(op) for op in facts.ops] == [CreateTable]


def test_existence_guard_after_a_parent_revision_stays_undecided() -> None:
    facts = extract(
        """
        if table_exists("accounts"):
            return
        op.create_table("accounts", sa.Column("id", sa.Integer(), primary_key=True))
        """,
        prelude=EXISTS_HELPER + 'down_revision = "0000"\n',
    )
    (alternatives,) = facts.ops
    assert isinstance(alternatives, Alternatives)


def test_metadata_create_all_inside_upgrade_makes_schema_unknowable() -> None:
    facts = extract(
        """
        Base.metadata.create_all(op.get_bind())
        """,
        prelude="from app.models import Base",
    )
    (unknowable,) = facts.ops
    assert isinstance(unknowable, SchemaUnknowable)
    assert "Base.metadata.create_all(op.get_bind())" in unknowable.reason


def test_undecidable_if_becomes_alternatives() -> None:
    facts = extract(
        """
        if has_column("t", "c"):
            op.drop_column("t", "c")
        else:
            op.add_column("t", sa.Column("d", sa.Integer()))
        """
    )
    (alternatives,) = facts.ops
    assert isinstance(alternatives, Alternatives)
    then_ops, else_ops = alternatives.branches
    assert [type(op) for op in then_ops] == [DropColumn]
    assert [type(op) for op in else_ops] == [AddColumn]


def test_constant_and_offline_mode_conditions_are_decided() -> None:
    facts = extract(
        """
        if FEATURE:
            op.drop_table("a")
        if context.is_offline_mode():
            op.drop_table("offline")
        else:
            op.drop_table("online")
        """,
        prelude="FEATURE = False",
    )
    assert [op.table for op in facts.ops if isinstance(op, DropTable)] == ["online"]


def test_iter_ops_descends_into_branches() -> None:
    facts = extract(
        """
        if op.get_bind().dialect.name == "postgresql":
            if feature_enabled():
                op.drop_table("x")
        """
    )
    assert [type(op).__name__ for op in iter_ops(facts.ops)] == ["DialectBranch", "Alternatives", "DropTable"]


# --------------------------------------------------------------------------------------------
# Calls that change nothing, and calls that cannot be read
# --------------------------------------------------------------------------------------------


def test_calls_that_cannot_change_the_enum_graph_produce_nothing() -> None:
    facts = extract(
        """
        op.create_index("ix_t_a", "t", ["a"])
        op.drop_index("ix_old", table_name="t")
        op.create_foreign_key("fk", "t", "o", ["o_id"], ["id"])
        op.create_unique_constraint("uq", "t", ["a"])
        op.create_primary_key("pk", "t", ["id"])
        op.bulk_insert(table, [{"a": 1}])
        op.create_table_comment("t", "comment")
        op.execute(table.update().where(table.c.a == 1).values(a=2))
        logger.info("done %s", op.f("x"))
        print("migrated")
        """,
        prelude='import logging\nlogger = logging.getLogger(__name__)\ntable = sa.table("t", sa.column("a"))',
    )
    assert facts.ops == ()
    assert facts.diagnostics == ()


def test_unresolvable_execute_is_reported_with_the_expression() -> None:
    facts = extract("op.execute(build_sql())")
    assert facts.ops == ()
    (diagnostic,) = facts.diagnostics
    assert diagnostic.code == "SL004"
    assert diagnostic.message == (
        "`op.execute(build_sql())` could not be resolved statically; its statements are not in the database graph"
    )


def test_unknown_op_and_unresolvable_table_name_are_reported() -> None:
    facts = extract(
        """
        op.frobnicate("t")
        op.drop_column(table_name(), "c")
        run_data_fixes(op.get_bind())
        """
    )
    assert facts.ops == ()
    messages = [d.message for d in facts.diagnostics]
    assert codes(facts) == ["SL004", "SL004", "SL004"]
    assert messages[0].startswith('`op.frobnicate("t")` could not be resolved statically')
    assert messages[1].startswith('`table_name()` in `op.drop_column(table_name(), "c")`')
    assert messages[2].startswith("`run_data_fixes(op.get_bind())`")


def test_column_of_unknown_local_type_is_unresolved() -> None:
    facts = extract('op.add_column("t", sa.Column("c", mystery_type))')
    (add,) = facts.ops
    assert isinstance(add, AddColumn) and add.column.type.family == "unknown"
    assert codes(facts) == ["SL004"]


# --------------------------------------------------------------------------------------------
# Spans
# --------------------------------------------------------------------------------------------


def test_spans_point_at_each_call() -> None:
    source = migration(ENUM_TABLE + 'op.drop_column("posts", "id")\n')
    facts = extract_alembic_revision(source, PATH, "postgresql")
    create_type, table, drop = facts.ops
    line, column = position(source, "op.create_table(")
    assert table.span == Span(PATH, line, column, line + 4, column + 1)
    enum_line, enum_column = position(source, 'sa.Enum("draft"')
    enum_end = (
        source.splitlines()[enum_line - 1].index('name="post_status")') + len('name="post_status")') + 1
    )
    assert create_type.span == Span(PATH, enum_line, enum_column, enum_line, enum_end)
    assert isinstance(table, CreateTable)
    assert (table.columns[1].span.line, table.columns[1].span.column) == position(
        source, 'sa.Column("status"'
    )
    drop_line, drop_column = position(source, "op.drop_column(")
    assert drop.span == Span(
        PATH, drop_line, drop_column, drop_line, drop_column + len('op.drop_column("posts", "id")')
    )


def test_spans_count_characters_not_bytes() -> None:
    source = migration('op.drop_column("tëst", "ç"); op.drop_table("x")')
    facts = extract_alembic_revision(source, PATH, "sqlite")
    line, column = position(source, "op.drop_table(")
    assert (facts.ops[1].span.line, facts.ops[1].span.column) == (line, column)


# --------------------------------------------------------------------------------------------
# Depends on schemalint.extract.sql (sql_to_ops / check_from_expression), written separately:
# these pass once sql.py has landed.
# --------------------------------------------------------------------------------------------


def test_execute_sql_string_is_replayed_with_spans_inside_the_literal() -> None:
    source = migration("op.execute(\"CREATE TYPE mood AS ENUM ('sad', 'ok')\")")
    facts = extract_alembic_revision(source, PATH, "postgresql")
    (create,) = facts.ops
    assert isinstance(create, CreateEnumType)
    assert (create.name, create.labels) == ("mood", ("sad", "ok"))
    line, column = position(source, "CREATE TYPE")
    assert (create.span.line, create.span.column) == (line, column)
    assert facts.statements == 1


def test_execute_text_triple_quoted_and_fstring_sql_is_replayed() -> None:
    source = migration(
        '''
        op.execute(sa.text("""
            ALTER TYPE mood ADD VALUE 'happy'
        """))
        op.execute(f"ALTER TYPE {TYPE} ADD VALUE IF NOT EXISTS 'meh'")
        op.get_bind().execute(sa.text(ADD_SQL))
        ''',
        prelude='TYPE = "mood"\nADD_SQL = "ALTER TYPE mood ADD VALUE \'glad\'"',
    )
    facts = extract_alembic_revision(source, PATH, "postgresql")
    adds = only(facts.ops, AddEnumValue)
    assert [(op.type_name, op.value) for op in adds] == [("mood", "happy"), ("mood", "meh"), ("mood", "glad")]
    line, column = position(source, "ALTER TYPE mood ADD VALUE 'happy'")
    assert (adds[0].span.line, adds[0].span.column) == (line, column)
    line, column = position(source, "ALTER TYPE mood ADD VALUE 'glad'")
    assert (adds[2].span.line, adds[2].span.column) == (line, column)


def test_text_with_bound_parameters_runs_the_same_sql() -> None:
    facts = extract(
        """
        conn = op.get_bind()
        conn.execute(sa.text("ALTER TYPE mood ADD VALUE 'calm'").bindparams(limit=3))
        conn.execute(sa.text("UPDATE things SET kind = :k").params({"k": "x"}))
        """
    )
    assert [(op.type_name, op.value) for op in only(facts.ops, AddEnumValue)] == [("mood", "calm")]
    assert facts.diagnostics == ()


def test_execute_whose_result_is_read_is_still_replayed() -> None:
    facts = extract(
        """
        bind = op.get_bind()
        first = bind.execute(sa.text("ALTER TYPE mood ADD VALUE 'one'")).fetchone()[0]
        bind.execute(sa.text("ALTER TYPE mood ADD VALUE 'two'")).scalar()
        """
    )
    assert [op.value for op in only(facts.ops, AddEnumValue)] == ["one", "two"]
    assert facts.diagnostics == ()


def test_batched_data_migration_loop_changes_no_schema() -> None:
    facts = extract(
        """
        conn = op.get_bind()
        while count_pending(conn) > 0:
            conn.execute(sa.text("UPDATE jobs SET state = 'done' WHERE id IN (SELECT id FROM jobs LIMIT 9)"))
        for row in conn.execute(sa.text("SELECT id, name FROM jobs")):
            conn.execute(sa.text("UPDATE jobs SET slug = :s WHERE id = :i"), {"s": row.name, "i": row.id})
        op.alter_column("jobs", "state", nullable=False)
        """,
        prelude=(
            "def count_pending(conn):\n"
            '    return conn.execute(sa.text("SELECT count(*) FROM jobs WHERE state IS NULL")).scalar()\n'
        ),
    )
    assert [type(op) for op in facts.ops] == [SetNullable]
    assert facts.diagnostics == ()


def test_loop_repeating_ddl_an_unknown_number_of_times_is_reported() -> None:
    facts = extract(
        """
        while more_to_do():
            op.execute("ALTER TYPE mood ADD VALUE 'again'")
        """
    )
    assert facts.ops == ()
    (diagnostic,) = facts.diagnostics
    assert diagnostic.code == "SL004"
    assert diagnostic.message.startswith("`more_to_do()` in `while more_to_do()")


def test_helper_return_value_runs_its_sql() -> None:
    facts = extract(
        "add_label(op.get_bind())",
        prelude=(
            "def add_label(conn):\n    return conn.execute(sa.text(\"ALTER TYPE mood ADD VALUE 'new'\"))\n"
        ),
    )
    assert [(op.type_name, op.value) for op in only(facts.ops, AddEnumValue)] == [("mood", "new")]


@pytest.mark.parametrize(
    "sql",
    [
        "f\"UPDATE accounts SET name = '{name}' WHERE id = {key}\"",
        '"-- backfill\\nDELETE FROM accounts WHERE id = " + str(key)',
        "\"INSERT INTO accounts (name) VALUES ('%s')\" % name",
        "\"select id from accounts where name = '{}'\".format(name)",
    ],
)
def test_row_statement_with_runtime_values_is_not_a_coverage_gap(sql: str) -> None:
    facts = extract(f"op.execute({sql})")
    assert facts.ops == () and facts.diagnostics == ()
    assert facts.statements == 1


@pytest.mark.parametrize(
    "sql",
    [
        "f\"ALTER TYPE mood ADD VALUE '{label}'\"",
        'f"UPDATE accounts SET a = 1; {more}"',
        'f"{verb} accounts SET a = 1"',
    ],
)
def test_runtime_sql_that_may_change_the_schema_stays_unresolved(sql: str) -> None:
    assert codes(extract(f"op.execute({sql})")) == ["SL004"]


def test_inspector_from_a_connection_only_reads() -> None:
    facts = extract(
        """
        inspector = Inspector.from_engine(op.get_bind())
        names = inspector.get_table_names()
        """
    )
    assert facts.diagnostics == ()


def test_check_constraints_from_sql_text_carry_their_value_set() -> None:
    facts = extract(
        """
        op.create_table(
            "t",
            sa.Column("status", sa.String(10), sa.CheckConstraint("status <> ''")),
            sa.CheckConstraint("status IN ('a', 'b')", name="ck_t_status"),
        )
        op.create_check_constraint("ck_kind", "t", sa.text("kind IN ('x')"))
        """
    )
    table, add = facts.ops
    assert isinstance(table, CreateTable) and isinstance(add, AddCheck)
    assert (table.checks[0].name, table.checks[0].column, table.checks[0].values) == (
        "ck_t_status",
        "status",
        ("a", "b"),
    )
    assert table.columns[0].checks[0].expression == "status <> ''"
    assert (add.check.name, add.check.column, add.check.values) == ("ck_kind", "kind", ("x",))


# Alembic itself as the oracle: run the same upgrade() through Alembic in offline (--sql) mode,
# replay the DDL it prints through the SQL front-end, and expect the same operations.

ORACLE_CASES = {
    "enum-tables": """
        op.create_table(
            "posts",
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("status", sa.Enum("draft", "published", name="post_status"), nullable=False),
            sa.Column("title", sa.String(80), server_default="untitled"),
            sa.PrimaryKeyConstraint("id"),
        )
        op.create_table("b", sa.Column("s", sa.Enum("draft", "x", name="post_status")))
    """,
    "non-native-and-constraint": """
        op.create_table(
            "t",
            sa.Column("role", sa.Enum("writer", "admin", name="userrole", native_enum=False, create_constraint=True)),
            sa.Column("kind", sa.Enum("a", "bb", name="kind", create_constraint=True)),
            sa.Column("free", sa.Enum("x", "yy", native_enum=False, length=40)),
        )
    """,
    "add-column": """
        op.add_column("t", sa.Column("s", sa.Enum("a", "b", name="st")))
        op.add_column(
            "t",
            sa.Column(
                "n",
                sa.Enum("a", "bcd", name="nn", native_enum=False, create_constraint=True),
                nullable=False,
                server_default="a",
            ),
        )
    """,
    "alter-column": """
        op.alter_column("t", "s", type_=sa.String(9), nullable=False, server_default="q", existing_type=sa.String(5))
        op.alter_column("t", "s", new_column_name="s2", existing_type=sa.String(9))
        op.alter_column(
            "t",
            "k",
            type_=sa.Enum("a", "b", name="st2", native_enum=False, create_constraint=True),
            existing_type=sa.Enum("a", name="st", native_enum=False, create_constraint=True),
        )
    """,
    "create-type-false": """
        op.create_table("t", sa.Column("s", postgresql.ENUM("x", "y", name="status", create_type=False)))
    """,
}


def _inline_labels(column_type: ColumnType) -> tuple[str, ...] | None:
    # A PostgreSQL column of a user type carries the labels its migration declared; the emitted
    # DDL cannot show them, so only inline (MySQL) ENUM labels are compared.
    return None if column_type.family == "user" else column_type.labels


def _projection(ops: tuple[Op, ...]) -> list[tuple[object, ...]]:
    """What the graph needs from each op, without names that differ between front-ends."""
    out: list[tuple[object, ...]] = []
    for op in ops:
        if isinstance(op, CreateTable):
            columns = tuple(
                (c.name, c.type.family, c.type.type_ref, _inline_labels(c.type), c.type.length, c.nullable)
                for c in op.columns
            )
            checks = sorted(
                (str(k.name), k.column, k.values)
                for k in (*op.checks, *(k for c in op.columns for k in c.checks))
            )
            out.append(("create-table", op.table, columns, tuple(checks)))
        elif isinstance(op, AddColumn):
            c = op.column
            out.append(
                (
                    "add",
                    op.table,
                    c.name,
                    c.type.family,
                    c.type.type_ref,
                    _inline_labels(c.type),
                    c.type.length,
                )
            )
        elif isinstance(op, AddCheck):
            out.append(("check", op.table, op.check.name, op.check.column, op.check.values))
        elif isinstance(op, AlterColumnType):
            out.append(
                ("alter", op.table, op.column, op.type.family, op.type.length, op.nullable, op.new_name)
            )
        elif isinstance(op, SetDefault):
            out.append(("default", op.table, op.column, op.default.value if op.default else None))
        elif isinstance(op, CreateEnumType):
            out.append(("create-type", op.name, op.labels))
        else:
            out.append(
                (type(op).__name__, *(getattr(op, f) for f in ("table", "column", "name") if hasattr(op, f)))
            )
    return out


def _alembic_offline_sql(source: str, dialect: Dialect) -> str:
    import io
    import warnings

    from alembic.migration import MigrationContext
    from alembic.operations import Operations

    buffer = io.StringIO()
    context = MigrationContext.configure(dialect_name=dialect, opts={"as_sql": True, "output_buffer": buffer})
    namespace: dict[str, object] = {}
    # On SQLite Alembic warns that it skips implicit CHECKs outside batch mode.
    with Operations.context(context), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        exec(compile(source, PATH, "exec"), namespace)
        upgrade = namespace["upgrade"]
        assert callable(upgrade)
        upgrade()
    return buffer.getvalue()


@pytest.mark.parametrize("dialect", ["postgresql", "mysql", "sqlite"])
@pytest.mark.parametrize("case", sorted(ORACLE_CASES))
def test_ops_match_what_alembic_emits(case: str, dialect: Dialect) -> None:
    from schemalint.extract.sql import sql_to_ops

    source = migration(ORACLE_CASES[case])
    emitted = _alembic_offline_sql(source, dialect)
    sql_ops, sql_diagnostics, _ = sql_to_ops(emitted, "emitted.sql", dialect)
    facts = extract_alembic_revision(source, PATH, dialect)
    assert sql_diagnostics == ()
    assert facts.diagnostics == ()
    assert _projection(facts.ops) == _projection(sql_ops), emitted


def test_check_condition_built_by_a_comprehension_over_a_constant_is_read() -> None:
    facts = extract(
        'op.create_check_constraint("ck_s", "t", f"s IN ({\', \'.join(repr(v) for v in STATES)})")',
        "postgresql",
        prelude='STATES = ("a", "b")\n',
    )
    (add,) = facts.ops
    assert isinstance(add, AddCheck)
    assert add.check.values == ("a", "b")


# --------------------------------------------------------------------------------------------
# PostgreSQL schemas: ``schema=`` on ops and on enum types
# --------------------------------------------------------------------------------------------


def test_schema_keyword_qualifies_the_table_of_every_op() -> None:
    facts = extract(
        """
        op.create_table("users", sa.Column("id", sa.Integer, primary_key=True), schema="auth")
        op.add_column("users", sa.Column("x", sa.Integer), schema="auth")
        op.alter_column("users", "x", nullable=False, schema="auth")
        op.create_check_constraint("ck", "users", "x > 0", schema="auth")
        op.drop_constraint("ck", "users", schema="auth")
        op.drop_column("users", "x", schema="auth")
        op.rename_table("users", "people", schema="auth")
        with op.batch_alter_table("people", schema="auth") as batch_op:
            batch_op.add_column(sa.Column("y", sa.Integer))
        op.drop_table("people", schema="public")
        """
    )
    assert facts.diagnostics == ()
    tables = [op.table for op in facts.ops]
    assert tables == ["auth.users"] * 7 + ["auth.people", "people"]
    (rename,) = only(facts.ops, RenameTable)
    assert isinstance(rename, RenameTable) and rename.new_name == "auth.people"


def test_enum_type_schema_follows_schema_then_inherit_schema_else_public() -> None:
    # Observed with Alembic on PostgreSQL: a plain sa.Enum in op.create_table(schema="auth") is
    # created in public (the op's MetaData has no schema); inherit_schema=True puts it in auth.
    facts = extract(
        """
        op.create_table(
            "users",
            sa.Column("a", sa.Enum("x", name="e_plain")),
            sa.Column("b", sa.Enum("x", name="e_inherit", inherit_schema=True)),
            sa.Column("c", sa.Enum("x", name="e_email", schema="email")),
            sa.Column("d", postgresql.ENUM("x", name="e_pg", schema="email")),
            schema="auth",
        )
        op.add_column(
            "users", sa.Column("e", postgresql.ENUM(name="e_email", schema="email", create_type=False)),
            schema="auth",
        )
        """
    )
    creates = [op.name for op in only(facts.ops, CreateEnumType)]  # type: ignore[attr-defined]
    assert creates == ["e_plain", "auth.e_inherit", "email.e_email", "email.e_pg"]
    (create_table,) = only(facts.ops, CreateTable)
    assert isinstance(create_table, CreateTable)
    assert [c.type.type_ref for c in create_table.columns] == [
        "e_plain",
        "auth.e_inherit",
        "email.e_email",
        "email.e_pg",
    ]
    (add,) = only(facts.ops, AddColumn)
    assert isinstance(add, AddColumn) and add.column.type.type_ref == "email.e_email"


def test_enum_create_drop_and_sync_name_the_schema() -> None:
    facts = extract(
        """
        sa.Enum("a", name="status", schema="email").create(op.get_bind())
        postgresql.ENUM(name="status", schema="email").drop(op.get_bind())
        op.sync_enum_values("email", "status", ["a", "b"], [])
        op.sync_enum_values("public", "mood", ["a"], [])
        """
    )
    create, drop, sync, sync_public = facts.ops
    assert isinstance(create, CreateEnumType) and create.name == "email.status"
    assert isinstance(drop, DropEnumType) and drop.type_name == "email.status"
    assert isinstance(sync, SyncEnumValues) and sync.type_name == "email.status"
    assert isinstance(sync_public, SyncEnumValues) and sync_public.type_name == "mood"


def test_same_type_name_in_two_schemas_is_created_twice_by_create_table() -> None:
    facts = extract(
        """
        op.create_table("a", sa.Column("s", sa.Enum("x", name="status")))
        op.create_table("b", sa.Column("s", sa.Enum("y", name="status", schema="email")), schema="email")
        """
    )
    assert [op.name for op in only(facts.ops, CreateEnumType)] == ["status", "email.status"]  # type: ignore[attr-defined]


def test_schema_keyword_names_a_database_on_mysql_and_is_dropped() -> None:
    facts = extract(
        """
        op.create_table("users", sa.Column("s", sa.Enum("a", name="e", schema="app")), schema="app")
        op.add_column("users", sa.Column("x", sa.Integer), schema="app")
        """,
        dialect="mysql",
    )
    assert [op.table for op in facts.ops] == ["users", "users"]


def test_dedented_update_with_runtime_values_is_a_row_write() -> None:
    facts = extract(
        '''
        flag = choose_flag()
        op.execute(
            dedent(
                f"""
                UPDATE accounts SET active = {flag}
                WHERE active IS NULL
                """
            )
        )
        ''',
        prelude="from textwrap import dedent",
    )
    assert codes(facts) == []
    assert facts.ops == ()


def test_dedented_ddl_is_replayed_at_its_source_position() -> None:
    source = migration(
        'op.execute(textwrap.dedent("ALTER TABLE accounts ADD COLUMN note text"))', prelude="import textwrap"
    )
    facts = extract_alembic_revision(source, PATH, "postgresql")
    (add,) = only(facts.ops, AddColumn)
    assert isinstance(add, AddColumn) and add.column.name == "note"
    line, column = position(source, "ALTER TABLE accounts")
    assert (add.span.line, add.span.column) == (line, column)


def test_reading_rows_with_a_select_imported_by_name_is_not_reported() -> None:
    facts = extract(
        """
        conn = op.get_bind()
        rows = select(accounts.c.id).select_from(accounts)
        for row in conn.execute(rows):
            conn.execute(accounts.update().where(accounts.c.id == row.id).values(active=True))
        """,
        prelude='from sqlalchemy import select\naccounts = sa.table("accounts", sa.column("id"))',
    )
    assert codes(facts) == []


def test_a_local_function_named_like_a_dml_builder_is_still_reported() -> None:
    facts = extract(
        """
        conn = op.get_bind()
        conn.execute(select("accounts"))
        """,
        prelude="from app.ddl import select",
    )
    assert codes(facts) == ["SL004"]
