"""Structural drift (SL201-SL205) and migration history (SL301-SL305): semantics beyond the examples."""

from __future__ import annotations

from pathlib import Path

import pytest

from schemalint.cli import run_check
from schemalint.config import Config, ConfigError, load_config
from schemalint.extract.alembic import extract_alembic_revision
from schemalint.extract.sql import extract_sql_file, statement_features
from schemalint.extract.testdb import extract_test_database_urls
from schemalint.graph import build_database_graph, revision_graphs
from schemalint.rules._examples import PLAIN_MODELS_HEADER, alembic_project, revision
from tests.conftest import write_project

USERS_SQL = "CREATE TABLE users (id serial PRIMARY KEY, email varchar(255) NOT NULL);\n"


def _codes(root: Path, select: str = "ALL", dialect: str = "postgresql") -> list[tuple[str, str, int]]:
    result = run_check([root], select=[select], dialect=dialect, use_cache=False)
    return sorted((f.code, f.span.path, f.span.line) for f in result.findings)


def _models(body: str) -> str:
    return PLAIN_MODELS_HEADER + "import datetime\n\n\n" + body


# ------------------------------------------------------------------------------------ structural


@pytest.mark.parametrize(
    ("db_type", "model_type"),
    [
        ("varchar(255)", "sa.String(255)"),
        ("timestamptz", "sa.DateTime(timezone=True)"),
        ("timestamp", "sa.DateTime()"),
        ("serial", "sa.Integer"),
        ("bigint", "sa.BigInteger"),
        ("numeric(10, 2)", "sa.Float"),
        ("jsonb", "sa.JSON"),
        ("varchar(255)", "sa.String(100)"),  # a model shorter than the database is fine
    ],
)
def test_type_families_agree_whatever_the_spelling(tmp_path: Path, db_type: str, model_type: str) -> None:
    root = write_project(
        tmp_path,
        {
            "migrations/V1__init.sql": f"CREATE TABLE t (id integer PRIMARY KEY, x {db_type});\n",
            "app/models.py": _models(
                'class T(Base):\n    __tablename__ = "t"\n    id: Mapped[int] = mapped_column(primary_key=True)\n'
                f"    x = sa.Column({model_type}, nullable={db_type != 'serial'})\n"
            ),
        },
    )
    assert _codes(root, "SL2") == []


@pytest.mark.parametrize(
    ("db_type", "model_type"),
    [
        ("varchar(50)", "sa.String(255)"),  # the database is shorter: a length shrink
        ("timestamp", "sa.DateTime(timezone=True)"),
        ("text", "sa.Integer"),
        ("integer", "sa.Boolean"),
    ],
)
def test_type_drift_is_reported_at_the_model_column(tmp_path: Path, db_type: str, model_type: str) -> None:
    root = write_project(
        tmp_path,
        {
            "migrations/V1__init.sql": f"CREATE TABLE t (id integer PRIMARY KEY, x {db_type});\n",
            "app/models.py": _models(
                'class T(Base):\n    __tablename__ = "t"\n    id: Mapped[int] = mapped_column(primary_key=True)\n'
                f"    x = sa.Column({model_type})\n"
            ),
        },
    )
    assert _codes(root, "SL2") == [("SL204", "app/models.py", 14)]


def test_boolean_over_tinyint_agrees_on_mysql_but_not_on_postgresql(tmp_path: Path) -> None:
    files = {
        "migrations/V1__init.sql": "CREATE TABLE t (id integer PRIMARY KEY, x tinyint(1));\n",
        "app/models.py": _models(
            'class T(Base):\n    __tablename__ = "t"\n    id: Mapped[int] = mapped_column(primary_key=True)\n'
            "    x = sa.Column(sa.Boolean)\n"
        ),
    }
    assert _codes(write_project(tmp_path, files), "SL204", dialect="mysql") == []


def test_native_enum_whose_type_is_never_created_is_sl105_not_sl204(tmp_path: Path) -> None:
    root = write_project(
        tmp_path,
        {
            "migrations/V1__init.sql": "CREATE TABLE t (id integer PRIMARY KEY, role varchar(20));\n",
            "app/models.py": _models(
                "import enum\n\n\nclass Role(enum.Enum):\n    A = 'a'\n\n\n"
                'class T(Base):\n    __tablename__ = "t"\n    id: Mapped[int] = mapped_column(primary_key=True)\n'
                "    role = sa.Column(sa.Enum(Role))\n"
            ),
        },
    )
    assert [c for c, _, _ in _codes(root)] == ["SL105"]


def test_foreign_key_column_without_type_takes_the_referenced_type(tmp_path: Path) -> None:
    # SQLAlchemy gives `Mapped[str]` + ForeignKey the referenced column's type (observed: Uuid).
    root = write_project(
        tmp_path,
        {
            "migrations/V1__init.sql": (
                "CREATE TABLE r (id uuid PRIMARY KEY);\n"
                "CREATE TABLE v (r_id uuid PRIMARY KEY REFERENCES r (id));\n"
            ),
            "app/models.py": _models(
                "import uuid\n\n\n"
                'class R(Base):\n    __tablename__ = "r"\n    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)\n\n\n'
                'class V(Base):\n    __tablename__ = "v"\n'
                '    r_id: Mapped[str] = mapped_column(sa.ForeignKey("r.id"), primary_key=True)\n'
            ),
        },
    )
    assert _codes(root, "SL2") == []


def test_sqlalchemy_nullability_defaults(tmp_path: Path) -> None:
    root = write_project(
        tmp_path,
        {
            "migrations/V1__init.sql": (
                "CREATE TABLE t (id integer PRIMARY KEY, a text, b text NOT NULL, c text NOT NULL,\n"
                "    d text, e timestamptz NOT NULL DEFAULT now());\n"
            ),
            "app/models.py": _models(
                "from typing import Optional\n\n\n"
                'class T(Base):\n    __tablename__ = "t"\n'
                "    id: Mapped[Optional[int]] = mapped_column(primary_key=True)  # pk: never reported\n"
                "    a = sa.Column(sa.Text)  # Column(): nullable\n"
                "    b: Mapped[str] = mapped_column(sa.Text)  # Mapped[T]: NOT NULL\n"
                "    c = sa.Column(sa.Text)  # nullable over NOT NULL: line 19\n"
                "    d: Mapped[str] = mapped_column(sa.Text)  # NOT NULL over nullable: line 20\n"
                "    e: Mapped[Optional[datetime.datetime]] = mapped_column(sa.DateTime(timezone=True))\n"
            ),
        },
    )
    assert _codes(root, "SL203") == [("SL203", "app/models.py", 19), ("SL203", "app/models.py", 20)]


def test_core_table_primary_key_constraint_makes_columns_not_null(tmp_path: Path) -> None:
    root = write_project(
        tmp_path,
        {
            "migrations/V1__init.sql": "CREATE TABLE a (x integer NOT NULL, y integer NOT NULL, PRIMARY KEY (x, y));\n",
            "app/models.py": _models(
                'a = sa.Table("a", Base.metadata, sa.Column("x", sa.Integer), sa.Column("y", sa.Integer),\n'
                '    sa.PrimaryKeyConstraint("x", "y"))\n'
            ),
        },
    )
    assert _codes(root, "SL2") == []


def test_joined_inheritance_child_table_has_only_its_own_and_mixin_columns(tmp_path: Path) -> None:
    root = write_project(
        tmp_path,
        {
            "migrations/V1__init.sql": (
                "CREATE TABLE publishers (id integer PRIMARY KEY, kind text);\n"
                "CREATE TABLE github_publishers (id integer PRIMARY KEY REFERENCES publishers (id), repo text);\n"
            ),
            "app/models.py": _models(
                "class KindMixin:\n    kind: Mapped[str | None] = mapped_column(sa.Text)\n\n\n"
                "class RepoMixin:\n    repo: Mapped[str | None] = mapped_column(sa.Text)\n\n\n"
                'class Publisher(KindMixin, Base):\n    __tablename__ = "publishers"\n'
                "    id: Mapped[int] = mapped_column(primary_key=True)\n\n\n"
                'class GitHubPublisher(RepoMixin, Publisher):\n    __tablename__ = "github_publishers"\n'
                '    id: Mapped[int] = mapped_column(sa.ForeignKey("publishers.id"), primary_key=True)\n'
            ),
        },
    )
    assert _codes(root, "SL2") == []


def test_partly_visible_model_gives_one_sl004_and_no_drift(tmp_path: Path) -> None:
    root = write_project(
        tmp_path,
        {
            "migrations/V1__init.sql": USERS_SQL,
            "app/models.py": _models(
                "from fastapi_users_db_sqlalchemy import SQLAlchemyBaseUserTable\n\n\n"
                'class User(SQLAlchemyBaseUserTable[int], Base):\n    __tablename__ = "users"\n'
                "    id: Mapped[int] = mapped_column(primary_key=True)\n"
                "    nickname: Mapped[str] = mapped_column(sa.String(200))\n"
            ),
        },
    )
    assert [c for c, _, _ in _codes(root)] == ["SL004"]


def test_table_assigned_from_elsewhere_gives_one_sl004(tmp_path: Path) -> None:
    root = write_project(
        tmp_path,
        {
            "migrations/V1__init.sql": USERS_SQL,
            "app/models.py": _models(
                "from app.tables import users_table\n\n\nclass User(Base):\n    __table__ = users_table\n"
            ),
        },
    )
    assert [c for c, _, _ in _codes(root)] == ["SL004"]


def test_create_all_in_a_migration_skips_structural_checks_with_one_sl004(tmp_path: Path) -> None:
    files = alembic_project(
        {"0001_init": revision("0001", None, "Base.metadata.create_all(op.get_bind())", "pass")}
    )
    files["app/models.py"] = _models(
        'class Invoice(Base):\n    __tablename__ = "invoices"\n    id: Mapped[int] = mapped_column(primary_key=True)\n'
    )
    assert [c for c, _, _ in _codes(write_project(tmp_path, files), "SL2")] == []
    assert [c for c, _, _ in _codes(tmp_path, "SL004")] == ["SL004"]


def test_history_starting_from_an_existing_schema_skips_structural_checks(tmp_path: Path) -> None:
    root = write_project(
        tmp_path,
        {
            "migrations/V1__add.sql": "ALTER TABLE incident ADD COLUMN title text;\n",
            "app/models.py": _models(
                'class Incident(Base):\n    __tablename__ = "incident"\n'
                "    id: Mapped[int] = mapped_column(primary_key=True)\n"
            ),
        },
    )
    assert _codes(root) == [("SL004", "migrations/V1__add.sql", 1)]


def test_test_models_are_not_compared(tmp_path: Path) -> None:
    root = write_project(
        tmp_path,
        {
            "migrations/V1__init.sql": USERS_SQL,
            "tests/test_db.py": _models(
                'class Scratch(Base):\n    __tablename__ = "scratch"\n    id: Mapped[int] = mapped_column(primary_key=True)\n'
            ),
        },
    )
    assert _codes(root, "SL2") == []


# ------------------------------------------------------------------------------------ history


def test_revision_graph_heads_and_components() -> None:
    files = alembic_project(
        {
            "a": revision("a", None, "pass", "pass"),
            "b1": revision("b1", "a", "pass", "pass"),
            "b2": revision("b2", "a", "pass", "pass"),
        }
    )
    facts = [
        extract_alembic_revision(text, path, "postgresql", history="alembic/versions")
        for path, text in files.items()
        if path.startswith("alembic/versions/")
    ]
    (graph,) = revision_graphs(facts)
    assert graph.heads() == ["b1", "b2"]
    assert [sorted(c) for c in graph.components()] == [["a", "b1", "b2"]]


def test_two_unlabelled_bases_are_two_heads(tmp_path: Path) -> None:
    files = alembic_project(
        {"a": revision("a", None, "pass", "pass"), "b": revision("b", None, "pass", "pass")}
    )
    assert [c for c, _, _ in _codes(write_project(tmp_path, files), "SL3")] == ["SL301"]


def test_missing_parent_is_not_also_counted_as_a_head(tmp_path: Path) -> None:
    files = alembic_project(
        {"a": revision("a", None, "pass", "pass"), "b": revision("b", "gone", "pass", "pass")}
    )
    assert [c for c, _, _ in _codes(write_project(tmp_path, files), "SL3")] == ["SL302"]


def test_golang_migrate_versions_compare_as_integers(tmp_path: Path) -> None:
    root = write_project(
        tmp_path,
        {
            "db/migrations/0001_users.up.sql": "CREATE TABLE users (id integer PRIMARY KEY);\n",
            "db/migrations/0001_users.down.sql": "DROP TABLE users;\n",
            "db/migrations/1_again.up.sql": "CREATE TABLE again (id integer PRIMARY KEY);\n",
        },
    )
    assert [c for c, _, _ in _codes(root, "SL303")] == ["SL303"]


def test_data_only_and_enum_label_migrations_need_no_downgrade(tmp_path: Path) -> None:
    files = alembic_project(
        {
            "a": revision(
                "a", None, "op.execute(\"CREATE TYPE mood AS ENUM ('ok')\")", 'op.execute("DROP TYPE mood")'
            ),
            "b": revision("b", "a", "op.execute(\"ALTER TYPE mood ADD VALUE 'sad'\")", "pass"),
            "c": revision("c", "b", 'op.execute("UPDATE t SET x = 1")', "pass"),
            "d": revision("d", "c", 'op.create_index("ix", "t", ["x"])', "pass"),
        }
    )
    assert _codes(write_project(tmp_path, files), "SL304") == [("SL304", "alembic/versions/d.py", 13)]


def test_dbmate_down_section_is_read() -> None:
    facts = extract_sql_file(
        "-- migrate:up\nCREATE TABLE t (id int);\n-- migrate:down\nDROP TABLE t;\n",
        "db/1_t.sql",
        "postgresql",
    )
    assert facts.has_downgrade and not facts.downgrade_empty and facts.changes_schema


def test_sibling_down_file_missing_empty_or_comment_only() -> None:
    up = "CREATE TABLE t (id int);\n"
    missing = extract_sql_file(up, "m/1_t.up.sql", "postgresql", down_file=("m/1_t.down.sql", None))
    assert (missing.has_downgrade, missing.down_file) == (False, "m/1_t.down.sql")
    for text in ("", "\n", "-- nothing to undo\n/* really */\n;\n"):
        empty = extract_sql_file(up, "m/1_t.up.sql", "postgresql", down_file=("m/1_t.down.sql", text))
        assert empty.has_downgrade and empty.downgrade_empty
        assert empty.downgrade_span is not None and empty.downgrade_span.path == "m/1_t.down.sql"
    full = extract_sql_file(up, "m/1_t.up.sql", "postgresql", down_file=("m/1_t.down.sql", "DROP TABLE t;"))
    assert full.has_downgrade and not full.downgrade_empty
    # Without a sibling file (Flyway, numbered folders) the down direction stays unknown.
    assert extract_sql_file(up, "m/V1__t.sql", "postgresql").has_downgrade is None


def test_golang_migrate_down_files_are_checked_not_replayed(tmp_path: Path) -> None:
    root = write_project(
        tmp_path,
        {
            "migrations/000001_users.up.sql": USERS_SQL,
            "migrations/000001_users.down.sql": "DROP TABLE users;\n",
            "migrations/000002_name.up.sql": "ALTER TABLE users ADD COLUMN name text;\n",
            "migrations/000003_age.up.sql": "ALTER TABLE users ADD COLUMN age int;\n",
            "migrations/000003_age.down.sql": "-- irreversible\n",
            "migrations/000004_backfill.up.sql": "UPDATE users SET name = email;\n",
        },
    )
    assert _codes(root) == [
        ("SL304", "migrations/000002_name.up.sql", 1),
        ("SL304", "migrations/000003_age.down.sql", 1),
    ]
    result = run_check([root], select=["SL304"], use_cache=False)
    messages = [f.message for f in result.findings]
    assert "has no `000002_name.down.sql`; `migrate down` reports success" in messages[0]
    assert "its `000003_age.down.sql` is empty" in messages[1]
    # The down SQL is never replayed: `DROP TABLE users` did not remove the table (no SL1xx/SL2xx).


def test_golang_migrate_folder_without_any_down_file_is_forward_only(tmp_path: Path) -> None:
    root = write_project(
        tmp_path,
        {
            "migrations/000001_users.up.sql": USERS_SQL,
            "migrations/000002_name.up.sql": "ALTER TABLE users ADD COLUMN name text;\n",
        },
    )
    assert _codes(root, "SL304") == []


def test_down_file_suppression_marks_a_one_way_migration(tmp_path: Path) -> None:
    root = write_project(
        tmp_path,
        {
            "migrations/000001_users.up.sql": USERS_SQL,
            "migrations/000001_users.down.sql": "-- schemalint: ignore[SL304] -- the data is gone\n",
        },
    )
    assert _codes(root) == []


def test_diesel_down_sql_missing_or_comment_only(tmp_path: Path) -> None:
    root = write_project(
        tmp_path,
        {
            "diesel.toml": '[print_schema]\nfile = "src/schema.rs"\n',
            "migrations/2024-01-01-000000_users/up.sql": USERS_SQL,
            "migrations/2024-01-01-000000_users/down.sql": "DROP TABLE users;\n",
            "migrations/2024-01-02-000000_name/up.sql": "ALTER TABLE users ADD COLUMN name text;\n",
            "migrations/2024-01-03-000000_age/up.sql": "ALTER TABLE users ADD COLUMN age int;\n",
            "migrations/2024-01-03-000000_age/down.sql": "-- This file should undo anything in `up.sql`\n",
        },
    )
    result = run_check([root], select=["SL304"], use_cache=False)
    assert [(f.span.path, f.message.split(";")[1].strip()) for f in result.findings] == [
        ("migrations/2024-01-02-000000_name/up.sql", "`diesel migration revert` fails"),
        ("migrations/2024-01-03-000000_age/down.sql", "`diesel migration revert` cannot undo it"),
    ]
    assert result.findings[0].message.startswith("`2024-01-02-000000_name/up.sql` changes the schema")


# ------------------------------------------------------------------------------------ SL305


@pytest.mark.parametrize(
    ("statement", "features"),
    [
        ("CREATE TABLE t (d jsonb, tags text[])", ("jsonb", "array")),
        ("CREATE INDEX i ON t (x) WHERE x ILIKE 'a%'", ("ilike",)),
        ("CREATE TYPE mood AS ENUM ('a')", ("enum-type",)),
        ("CREATE TABLE t (m ENUM('a', 'b'))", ("inline-enum",)),
        (
            "ALTER TABLE t ADD CONSTRAINT c CHECK (EXTRACT(year FROM d) > 2000)",
            ("check-extract", "alter-constraint"),
        ),
        ("ALTER TABLE t ALTER COLUMN x SET NOT NULL", ("alter-column",)),
        ("INSERT INTO t VALUES ('jsonb ILIKE')", ()),  # inside a string literal
        ("CREATE TABLE t (id integer)", ()),
    ],
)
def test_statement_features(statement: str, features: tuple[str, ...]) -> None:
    assert statement_features(statement) == features


def test_alembic_features_skip_dialect_branches_and_variants() -> None:
    source = (
        'revision = "a"\ndown_revision = None\nimport sqlalchemy as sa\nfrom alembic import op\n'
        "from sqlalchemy.dialects import postgresql\n\n\ndef upgrade():\n"
        '    op.create_table("t", sa.Column("a", sa.JSON().with_variant(postgresql.JSONB(), "postgresql")),\n'
        '        sa.Column("b", postgresql.JSONB()))\n'
        '    if op.get_bind().dialect.name == "postgresql":\n'
        '        op.execute("CREATE EXTENSION citext")\n'
        '    with op.batch_alter_table("t") as batch:\n'
        '        batch.alter_column("b", nullable=False)\n'
        '    op.alter_column("t", "a", new_column_name="c")\n'
    )
    facts = extract_alembic_revision(source, "v/a.py", "postgresql")
    assert [(f.name, f.span.line) for f in facts.features] == [("jsonb", 10)]


def test_test_dialects_key_accepts_aliases_and_rejects_unknown_names(tmp_path: Path) -> None:
    (tmp_path / "schemalint.toml").write_text('test-dialects = ["sqlite3", "mariadb"]\n')
    loaded = load_config(None, tmp_path)
    assert loaded.config.test_dialects == ["sqlite", "mysql"]
    (tmp_path / "schemalint.toml").write_text('test-dialects = ["oracle"]\n')
    with pytest.raises(ConfigError, match="test-dialects"):
        load_config(None, tmp_path)
    assert Config().rule_options() == {"test-dialects": ()}


def test_non_portable_ddl_is_silent_for_the_main_dialect_itself(tmp_path: Path) -> None:
    root = write_project(
        tmp_path,
        {
            "pyproject.toml": '[project]\nname = "x"\n[tool.schemalint]\ntest-dialects = ["postgresql"]\n',
            "migrations/V1__init.sql": "CREATE TABLE t (d jsonb);\n",
        },
    )
    assert _codes(root, "SL305") == []


_JSONB_MIGRATION = {"migrations/V1__init.sql": "CREATE TABLE t (d jsonb);\n"}
_SQLITE_CONFTEST = 'import sqlalchemy as sa\n\nENGINE = sa.create_engine("sqlite:///./test.db")\n'


@pytest.mark.parametrize(
    ("rel", "text", "expected"),
    [
        (
            ".env.test",
            "DATABASE_URL=sqlite:///test.db\nREDIS_URL=redis://x\n",
            [("sqlite", "DATABASE_URL", 1)],
        ),
        (
            ".env",
            "DATABASE_URL=postgres://a@h/dev\nTEST_DATABASE_URL=sqlite://\n",
            [("sqlite", "TEST_DATABASE_URL", 2)],
        ),
        ("pytest.ini", "[pytest]\nenv =\n    DATABASE_URL=sqlite:///t.db\n", [("sqlite", "DATABASE_URL", 3)]),
        (
            "pyproject.toml",
            '[tool.pytest.ini_options]\nenv = ["APP_DB_URL=mysql+pymysql://u@h/t"]\n',
            [("mysql", "APP_DB_URL", 2)],
        ),
        (
            "tests/conftest.py",
            'import os\nos.environ["DATABASE_URL"] = "sqlite://"\n'
            'URL = os.environ.get("TEST_DATABASE_URL", "postgresql+psycopg://u@h/t")\n',
            [("sqlite", "conftest.py", 2), ("postgresql", "conftest.py", 3)],
        ),
        (
            "tests/test_db.py",
            '"""Uses sqlite:// in memory."""\nimport pytest\n\n\n@pytest.fixture\nasync def url():\n'
            '    yield f"sqlite+aiosqlite:///{tmp}/t.db"\n\n\ndef test_parse():\n'
            '    assert parse("mysql://u@h/db")\n',
            [("sqlite", "a pytest fixture", 7)],
        ),
        (
            "jest.setup.ts",
            'process.env.DATABASE_URL = "postgresql://u@h/t";\n',
            [("postgresql", "DATABASE_URL", 1)],
        ),
        ("tests/helpers.py", 'ENGINE = create_engine("sqlite://")\n', []),  # not a fixture
    ],
)
def test_test_database_urls_from_test_configuration_and_fixtures(
    rel: str, text: str, expected: list[tuple[str, str, int]]
) -> None:
    urls = extract_test_database_urls(text, rel)
    assert [(u.dialect, u.setting, u.span.line) for u in urls] == expected


def test_sl305_detects_the_tests_dialect_when_none_is_configured(tmp_path: Path) -> None:
    root = write_project(tmp_path, {**_JSONB_MIGRATION, "tests/conftest.py": _SQLITE_CONFTEST})
    result = run_check([root], select=["SL305"], use_cache=False)
    assert [(f.span.path, f.span.line) for f in result.findings] == [("migrations/V1__init.sql", 1)]
    assert "SQLite (the tests' database, from `tests/conftest.py:3`)" in result.findings[0].message
    assert [r.span.path for r in result.findings[0].related] == ["tests/conftest.py"]
    assert "test dialect: sqlite (from tests/conftest.py:3)" in result.notes


@pytest.mark.parametrize(
    "config",
    [
        "[tool.schemalint]\ntest-dialects = []\n",
        '[tool.schemalint]\ntest-dialects = ["mysql"]\n',
        "[tool.schemalint.rules.SL305]\ntest-dialects = []\n",
    ],
)
def test_configured_test_dialects_win_over_detection(tmp_path: Path, config: str) -> None:
    root = write_project(
        tmp_path,
        {
            "pyproject.toml": '[project]\nname = "x"\n\n' + config,
            **_JSONB_MIGRATION,
            "tests/conftest.py": _SQLITE_CONFTEST,
        },
    )
    result = run_check([root], select=["SL305"], use_cache=False)
    expected = ["MySQL/MariaDB (in `test-dialects`)"] if "mysql" in config else []
    assert [f.message.split("which ")[1].split(" does")[0] for f in result.findings] == expected


def test_a_dialect_with_its_own_history_is_not_a_test_dialect(tmp_path: Path) -> None:
    """Prefect: versions/postgresql and versions/sqlite, tests on SQLite run the SQLite history."""
    pg = "from sqlalchemy.dialects import postgresql"
    files = alembic_project(
        {
            "postgresql/0001": revision(
                "p1",
                None,
                'op.create_table("t", sa.Column("d", postgresql.JSONB()))',
                'op.drop_table("t")',
                pg,
            ),
            "sqlite/0001": revision(
                "s1", None, 'op.create_table("t", sa.Column("d", sa.JSON()))', 'op.drop_table("t")'
            ),
        }
    )
    root = write_project(tmp_path, {**files, "tests/conftest.py": _SQLITE_CONFTEST})
    result = run_check([root], select=["SL305"], dialect="postgresql", use_cache=False)
    assert result.findings == ()
    assert any(
        "tests use sqlite (from tests/conftest.py:3), which has its own history" in n for n in result.notes
    )


def test_test_setups_of_nested_fixture_projects_are_not_the_projects(tmp_path: Path) -> None:
    nested = "tests/fixtures/case/project"
    root = write_project(
        tmp_path,
        {
            **_JSONB_MIGRATION,
            f"{nested}/pyproject.toml": "[project]\nname = 'case'\n",
            f"{nested}/tests/conftest.py": _SQLITE_CONFTEST,
            "docs/tutorial/conftest.py": _SQLITE_CONFTEST,
        },
    )
    assert _codes(root, "SL305") == []
    # A fixtures module of the project's own tests counts.
    (root / "tests/fixtures/db.py").write_text(
        'import pytest\n\n\n@pytest.fixture\ndef url():\n    return "sqlite://"\n'
    )
    assert _codes(root, "SL305") == [("SL305", "migrations/V1__init.sql", 1)]


def test_database_graph_records_presumed_tables() -> None:
    facts = extract_sql_file(
        "ALTER TABLE t ADD COLUMN x int;\nDROP TABLE IF EXISTS u;\n", "m/V1__x.sql", "postgresql"
    )
    graph = build_database_graph([facts], "postgresql")
    assert [t for t, _ in graph.presumed] == ["t"]
