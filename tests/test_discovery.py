"""Project discovery: Alembic environments, raw SQL layouts, model sources, ignore rules and dialect."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

from schemalint.config import Config, ConfigError, LoadedConfig
from schemalint.discovery import (
    TS_MODEL_MARKERS,
    MigrationFile,
    Project,
    discover,
    has_ts_model_markers,
    url_dialect,
)
from schemalint.tsfacts import TsResolution

REVISION = '''"""add users"""
from alembic import op
import sqlalchemy as sa

revision = "{rev}"
down_revision = {down}


def upgrade() -> None:
    op.create_table("users", sa.Column("id", sa.Integer(), primary_key=True))
'''
ENV_PY = "from alembic import context\n"
MAKO = "${message}\n"
MODEL = "from sqlalchemy.orm import Mapped, mapped_column\n\nclass User(Base):\n    id: Mapped[int]\n"

DEFAULTS = LoadedConfig(Config(), None)


def write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def revision(rev: str, down: str | None = None) -> str:
    return REVISION.format(rev=rev, down=repr(down))


def run(
    root: Path, files: dict[str, str], *, config: Config | None = None, dialect: str | None = None
) -> Project:
    write(root, files)
    loaded = LoadedConfig(config, root.resolve() / "schemalint.toml") if config else DEFAULTS
    return discover([root], loaded, dialect)


def migrations(project: Project) -> list[tuple[str, str, str]]:
    return [(file.rel, file.kind, file.history) for file in project.migration_files]


def rels(files: tuple[MigrationFile, ...]) -> list[str]:
    return [file.rel for file in files]


# ------------------------------------------------------------------------------------ alembic


def test_alembic_ini_here_script_location_finds_revisions_not_env_or_mako(tmp_path: Path) -> None:
    project = run(
        tmp_path,
        {
            "alembic.ini": "[alembic]\nscript_location = %(here)s/alembic\nsqlalchemy.url = driver://u@h/db\n",
            "alembic/env.py": ENV_PY,
            "alembic/script.py.mako": MAKO,
            "alembic/versions/__init__.py": "",
            "alembic/versions/0001_users.py": revision("0001"),
            "alembic/versions/0002_posts.py": revision("0002", "0001"),
            "alembic/versions/notes.txt": "",
        },
    )
    assert project.root == tmp_path.resolve()
    assert migrations(project) == [
        ("alembic/versions/0001_users.py", "alembic", "alembic/versions"),
        ("alembic/versions/0002_posts.py", "alembic", "alembic/versions"),
    ]
    assert project.migration_files[0].path == tmp_path.resolve() / "alembic/versions/0001_users.py"
    assert project.migration_files[0].order_key == ()
    assert (
        "alembic: alembic.ini [alembic]: script directory alembic, versions alembic/versions" in project.notes
    )


def test_relative_script_location_is_resolved_against_the_ini_directory_with_a_note(tmp_path: Path) -> None:
    project = run(
        tmp_path,
        {
            "pyproject.toml": "[project]\nname = 'svc'\n",
            "backend/alembic.ini": "[alembic]\nscript_location = migrations\n",
            "backend/migrations/env.py": ENV_PY,
            "backend/migrations/versions/a1_init.py": revision("a1"),
        },
    )
    assert migrations(project) == [
        ("backend/migrations/versions/a1_init.py", "alembic", "backend/migrations/versions")
    ]
    assert any("`migrations` is relative; resolved against backend" in note for note in project.notes)


def test_package_resource_script_location_with_several_colons_names_nested_folders(tmp_path: Path) -> None:
    # Alembic splits `pkg:a:b` on every colon: package `pkg`, then folders `a/b`. The ini lives
    # inside the package, itself under `src/`.
    project = run(
        tmp_path,
        {
            "pyproject.toml": "[project]\nname = 'shop'\n",
            "src/shop/store/alembic.ini": "[alembic]\nscript_location = shop:store:migrations\n",
            "src/shop/store/migrations/env.py": ENV_PY,
            "src/shop/store/migrations/versions/a1_init.py": revision("a1"),
        },
    )
    assert migrations(project) == [
        (
            "src/shop/store/migrations/versions/a1_init.py",
            "alembic",
            "src/shop/store/migrations/versions",
        )
    ]
    assert any("resolved to src/shop/store/migrations" in note for note in project.notes)


def test_version_locations_with_two_directories_form_one_history(tmp_path: Path) -> None:
    project = run(
        tmp_path,
        {
            "alembic.ini": (
                "[alembic]\nscript_location = %(here)s/db\npath_separator = os\n"
                "version_locations = %(here)s/db/core:%(here)s/db/plugins\n"
            ),
            "db/env.py": ENV_PY,
            "db/versions/ignored.py": revision("x"),  # not listed in version_locations
            "db/core/c1.py": revision("c1"),
            "db/plugins/p1.py": revision("p1", "c1"),
        },
    )
    assert migrations(project) == [("db/core/c1.py", "alembic", "db"), ("db/plugins/p1.py", "alembic", "db")]


def test_legacy_version_locations_split_on_spaces_and_commas(tmp_path: Path) -> None:
    project = run(
        tmp_path,
        {
            "alembic.ini": "[alembic]\nscript_location = db\nversion_locations = db/a, db/b db/c\n",
            "db/env.py": ENV_PY,
            "db/a/a.py": revision("a"),
            "db/b/b.py": revision("b"),
            "db/c/c.py": revision("c"),
        },
    )
    assert rels(project.migration_files) == ["db/a/a.py", "db/b/b.py", "db/c/c.py"]


def test_recursive_version_locations_includes_subdirectories_only_when_true(tmp_path: Path) -> None:
    files = {
        "alembic/env.py": ENV_PY,
        "alembic/versions/top.py": revision("t"),
        "alembic/versions/2024/nested.py": revision("n", "t"),
    }
    flat = run(tmp_path / "flat", {"alembic.ini": "[alembic]\nscript_location = %(here)s/alembic\n", **files})
    assert rels(flat.migration_files) == ["alembic/versions/top.py"]
    deep = run(
        tmp_path / "deep",
        {
            "alembic.ini": "[alembic]\nscript_location = %(here)s/alembic\nrecursive_version_locations = true\n",
            **files,
        },
    )
    assert rels(deep.migration_files) == ["alembic/versions/2024/nested.py", "alembic/versions/top.py"]


def test_tool_alembic_in_pyproject(tmp_path: Path) -> None:
    project = run(
        tmp_path,
        {
            "pyproject.toml": (
                '[tool.alembic]\nscript_location = "%(here)s/migrations"\n'
                'version_locations = ["%(here)s/migrations/versions", "%(here)s/extra"]\n'
            ),
            "alembic.ini": "[alembic]\nsqlalchemy.url = sqlite:///app.db\n",
            "migrations/env.py": ENV_PY,
            "migrations/versions/m1.py": revision("m1"),
            "extra/e1.py": revision("e1", "m1"),
        },
    )
    assert migrations(project) == [
        ("extra/e1.py", "alembic", "migrations"),
        ("migrations/versions/m1.py", "alembic", "migrations"),
    ]
    assert (project.dialect, project.dialect_source) == ("sqlite", "alembic.ini sqlalchemy.url")


def test_tool_alembic_without_ini_file(tmp_path: Path) -> None:
    project = run(
        tmp_path,
        {
            "pyproject.toml": '[tool.alembic]\nscript_location = "%(here)s/alembic"\n',
            "alembic/env.py": ENV_PY,
            "alembic/versions/r1.py": revision("r1"),
        },
    )
    assert migrations(project) == [("alembic/versions/r1.py", "alembic", "alembic/versions")]


def test_two_alembic_ini_files_give_two_histories(tmp_path: Path) -> None:
    project = run(
        tmp_path,
        {
            ".git/HEAD": "",
            "services/billing/alembic.ini": "[alembic]\nscript_location = %(here)s/alembic\n",
            "services/billing/alembic/env.py": ENV_PY,
            "services/billing/alembic/versions/b1.py": revision("b1"),
            "services/users/alembic.ini": "[alembic]\nscript_location = %(here)s/migrations\n",
            "services/users/migrations/env.py": ENV_PY,
            "services/users/migrations/versions/u1.py": revision("u1"),
        },
    )
    assert migrations(project) == [
        ("services/billing/alembic/versions/b1.py", "alembic", "services/billing/alembic/versions"),
        ("services/users/migrations/versions/u1.py", "alembic", "services/users/migrations/versions"),
    ]


DIALECT_FOLDERS = {
    "alembic.ini": "[alembic]\nscript_location = %(here)s/migrations\n",
    "migrations/env.py": ENV_PY,
    "migrations/versions/postgresql/p1.py": revision("p1"),
    "migrations/versions/sqlite/s1.py": revision("s1"),
}


@pytest.mark.parametrize(
    ("dialect", "picked"),
    [("postgresql", "migrations/versions/postgresql/p1.py"), ("sqlite", "migrations/versions/sqlite/s1.py")],
)
def test_versions_folders_named_after_dialects_pick_the_configured_one(
    tmp_path: Path, dialect: str, picked: str
) -> None:
    project = run(tmp_path, DIALECT_FOLDERS, config=Config(dialect=dialect))  # type: ignore[arg-type]
    assert rels(project.migration_files) == [picked]
    assert project.migration_files[0].history == picked.rpartition("/")[0]
    assert any(note.startswith(f"dialect {dialect}: using ") for note in project.notes)


def test_version_locations_named_after_dialects_pick_the_dialect_given_on_the_command_line(
    tmp_path: Path,
) -> None:
    project = run(
        tmp_path,
        {
            "alembic.ini": (
                "[alembic]\nscript_location = %(here)s/db\npath_separator = space\n"
                "version_locations = %(here)s/db/postgres %(here)s/db/mysql\n"
                "sqlalchemy.url = postgresql://localhost/app\n"
            ),
            "db/env.py": ENV_PY,
            "db/postgres/p1.py": revision("p1"),
            "db/mysql/m1.py": revision("m1"),
        },
        dialect="mariadb",
    )
    assert (project.dialect, project.dialect_source) == ("mysql", "--dialect")
    assert rels(project.migration_files) == ["db/mysql/m1.py"]


def test_versions_next_to_env_py_without_alembic_ini(tmp_path: Path) -> None:
    project = run(
        tmp_path,
        {
            "pyproject.toml": "[project]\nname = 'app'\n",
            "app/db/migrations/env.py": ENV_PY,
            "app/db/migrations/versions/r1.py": revision("r1"),
            "app/db/migrations/versions/helpers.py": "X = 1\n",
            "docs/versions/v1.py": revision("v1"),  # no env.py next to it: not a history, not a model
        },
    )
    assert migrations(project) == [
        ("app/db/migrations/versions/helpers.py", "alembic", "app/db/migrations/versions"),
        ("app/db/migrations/versions/r1.py", "alembic", "app/db/migrations/versions"),
    ]
    assert [file.rel for file in project.python_files] == []


def test_revision_files_and_env_py_are_not_model_sources(tmp_path: Path) -> None:
    project = run(
        tmp_path,
        {
            "alembic.ini": "[alembic]\nscript_location = %(here)s/alembic\n",
            "alembic/env.py": "from app.models import Base\ntarget_metadata = Base.metadata  # Enum\n",
            "alembic/versions/r1.py": revision("r1"),
            "app/models.py": MODEL,
            "app/enums.py": "import enum\n\nclass Role(enum.Enum):\n    ADMIN = 'admin'\n",
            "app/views.py": "def index():\n    return 'hi'\n",
            "tests/test_models.py": "t = Table('t', meta)\n",
        },
    )
    assert [file.rel for file in project.python_files] == [
        "app/enums.py",
        "app/models.py",
        "tests/test_models.py",
    ]


def test_models_setting_selects_python_files_by_glob(tmp_path: Path) -> None:
    project = run(
        tmp_path,
        {
            "app/models/user.py": "class User: ...\n",
            "app/models/sub/order.py": "class Order: ...\n",
            "app/other.py": MODEL,
        },
        config=Config(models=["app/models/**/*.py"]),
    )
    assert [file.rel for file in project.python_files] == ["app/models/sub/order.py", "app/models/user.py"]


# ------------------------------------------------------------------------------------ raw SQL


def order(project: Project) -> list[str]:
    return [file.rel.rsplit("/", 1)[-1] for file in project.migration_files]


def test_flyway_versions_compare_numerically_repeatables_last_undo_skipped(tmp_path: Path) -> None:
    base = "src/main/resources/db/migration/"
    project = run(
        tmp_path,
        {
            base + "V10__add_index.sql": "",
            base + "V2__add_users.sql": "",
            base + "V1_10__z.sql": "",
            base + "V1_2__y.sql": "",
            base + "V1__init.sql": "",
            base + "R__a_view.sql": "",
            base + "R__b_view.sql": "",
            base + "U2__add_users.sql": "",
        },
    )
    assert order(project) == [
        "V1__init.sql",
        "V1_2__y.sql",
        "V1_10__z.sql",
        "V2__add_users.sql",
        "V10__add_index.sql",
        "R__a_view.sql",
        "R__b_view.sql",
    ]
    assert {file.history for file in project.migration_files} == {"src/main/resources/db/migration"}
    assert all(file.kind == "sql" for file in project.migration_files)
    assert sorted(file.order_key for file in project.migration_files) == [
        file.order_key for file in project.migration_files
    ]


def test_golang_migrate_takes_up_files_only(tmp_path: Path) -> None:
    project = run(
        tmp_path,
        {
            "migrations/000002_posts.up.sql": "",
            "migrations/000002_posts.down.sql": "",
            "migrations/000001_users.up.sql": "",
            "migrations/000001_users.down.sql": "",
            "migrations/000010_tags.up.sql": "",
        },
    )
    assert order(project) == ["000001_users.up.sql", "000002_posts.up.sql", "000010_tags.up.sql"]


def test_diesel_migration_directories(tmp_path: Path) -> None:
    project = run(
        tmp_path,
        {
            "diesel.toml": '[print_schema]\nfile = "src/schema.rs"\n',
            "migrations/00000000000000_diesel_initial_setup/up.sql": "",
            "migrations/00000000000000_diesel_initial_setup/down.sql": "",
            "migrations/2020-02-01-000000_posts/up.sql": "",
            "migrations/2020-01-01-000000_users/up.sql": "",
            "migrations/2020-01-01-000000_users/down.sql": "",
        },
    )
    assert rels(project.migration_files) == [
        "migrations/00000000000000_diesel_initial_setup/up.sql",
        "migrations/2020-01-01-000000_users/up.sql",
        "migrations/2020-02-01-000000_posts/up.sql",
    ]
    assert {file.history for file in project.migration_files} == {"migrations"}
    assert (project.dialect, project.dialect_source) == ("postgresql", "diesel.toml")


def test_diesel_backend_from_cargo_features(tmp_path: Path) -> None:
    project = run(
        tmp_path,
        {
            "diesel.toml": "",
            "Cargo.toml": '[dependencies]\ndiesel = { version = "2", features = ["sqlite"] }\n',
            "migrations/2020-01-01-000000_users/up.sql": "",
        },
    )
    assert (project.dialect, project.dialect_source) == ("sqlite", "Cargo.toml diesel features")


def test_dbmate_files_with_migrate_up_marker(tmp_path: Path) -> None:
    project = run(
        tmp_path,
        {
            "db/migrations/20200102000000_posts.sql": "-- migrate:up\ncreate table posts();\n-- migrate:down\n",
            "db/migrations/20200101000000_users.sql": "-- migrate:up\ncreate table users();\n",
            "db/schema.sql": "create table users();\n",  # dbmate's dump, not a migration
            ".env": "DATABASE_URL=mysql://root@localhost/app\n",
        },
    )
    assert rels(project.migration_files) == [
        "db/migrations/20200101000000_users.sql",
        "db/migrations/20200102000000_posts.sql",
    ]
    assert (project.dialect, project.dialect_source) == ("mysql", ".env DATABASE_URL")


def test_numbered_sql_files_in_migration_folders(tmp_path: Path) -> None:
    project = run(
        tmp_path,
        {
            "migrations/010_tags.sql": "",
            "migrations/002_posts.sql": "",
            "migrations/001_init.sql": "",
            "migrations/001_init_down.sql": "",
            "sql/0002-x.sql": "",
            "sql/0001-y.sql": "",
        },
    )
    assert migrations(project) == [
        ("migrations/001_init.sql", "sql", "migrations"),
        ("migrations/002_posts.sql", "sql", "migrations"),
        ("migrations/010_tags.sql", "sql", "migrations"),
        ("sql/0001-y.sql", "sql", "sql"),
        ("sql/0002-x.sql", "sql", "sql"),
    ]


def test_prisma_migrations(tmp_path: Path) -> None:
    project = run(
        tmp_path,
        {
            "prisma/schema.prisma": 'datasource db {\n  provider = "mysql"\n  url = env("DATABASE_URL")\n}\n',
            "prisma/migrations/migration_lock.toml": 'provider = "mysql"\n',
            "prisma/migrations/20200102000000_posts/migration.sql": "",
            "prisma/migrations/20200101000000_init/migration.sql": "",
        },
    )
    assert migrations(project) == [
        ("prisma/migrations/20200101000000_init/migration.sql", "sql", "prisma/migrations"),
        ("prisma/migrations/20200102000000_posts/migration.sql", "sql", "prisma/migrations"),
    ]
    assert (project.dialect, project.dialect_source) == ("mysql", "schema.prisma datasource provider")


def test_sql_and_alembic_outside_migration_folders_are_not_migrations(tmp_path: Path) -> None:
    project = run(
        tmp_path,
        {
            "queries/001_report.sql": "select 1;",
            "app/queries/get_user.sql": "select 1;",
            "seed.sql": "insert into users values (1);",
            "db/seeds/001_users.sql": "insert into users values (1);",
            "tests/fixtures/migrations/001_init.sql": "create table t();",
            "scripts/20200101_cleanup.sql": "delete from t;",
            "db/schema.sql": "create table t();",
            "examples/blog/alembic.ini": "[alembic]\nscript_location = %(here)s/alembic\n",
            "examples/blog/alembic/env.py": ENV_PY,
            "examples/blog/alembic/versions/r1.py": revision("r1"),
        },
    )
    assert project.migration_files == ()


def test_sql_files_inside_an_alembic_script_directory_are_revision_assets(tmp_path: Path) -> None:
    project = run(
        tmp_path,
        {
            "alembic.ini": "[alembic]\nscript_location = %(here)s/migrations\n",
            "migrations/env.py": ENV_PY,
            "migrations/versions/r1.py": revision("r1"),
            "migrations/sql/001_functions.sql": "create function f() ...",
        },
    )
    assert migrations(project) == [("migrations/versions/r1.py", "alembic", "migrations/versions")]


def test_migrations_setting_overrides_detection(tmp_path: Path) -> None:
    project = run(
        tmp_path,
        {
            "migrations/001_ignored.sql": "",
            "database/changes/10-b.sql": "",
            "database/changes/2-a.sql": "",
            "database/changes/2-a.rollback.sql": "",
        },
        config=Config(migrations=["database/changes"]),
    )
    assert migrations(project) == [
        ("database/changes/2-a.sql", "sql", "database/changes"),
        ("database/changes/10-b.sql", "sql", "database/changes"),
    ]


def test_migrations_setting_with_a_glob(tmp_path: Path) -> None:
    project = run(
        tmp_path,
        {"schema/up/a.sql": "", "schema/up/b.sql": "", "schema/other/c.sql": ""},
        config=Config(migrations=["schema/up/*.sql"]),
    )
    assert rels(project.migration_files) == ["schema/up/a.sql", "schema/up/b.sql"]


# ------------------------------------------------------------------------------------ ignores


def test_gitignore_and_exclude_are_honoured(tmp_path: Path) -> None:
    project = run(
        tmp_path,
        {
            ".git/HEAD": "",
            ".gitignore": "generated/\n*.bak.py\n",
            "generated/models.py": MODEL,
            "app/models.py": MODEL,
            "app/old.bak.py": MODEL,
            "app/legacy/models.py": MODEL,
            "app/vendor/.gitignore": "*\n!keep.py\n",
            "app/vendor/lib.py": MODEL,
            "app/vendor/keep.py": MODEL,
            ".venv/lib/models.py": MODEL,
            "node_modules/x/models.py": MODEL,
            "build/lib/models.py": MODEL,
        },
        config=Config(exclude=["legacy/"]),
    )
    assert [file.rel for file in project.python_files] == ["app/models.py", "app/vendor/keep.py"]


def test_gitignore_above_the_project_root_applies_up_to_the_repository_root(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            ".git/HEAD": "",
            ".gitignore": "backend/scratch/\n",
            "backend/pyproject.toml": "[project]\nname = 'b'\n",
            "backend/app/models.py": MODEL,
            "backend/scratch/models.py": MODEL,
        },
    )
    project = discover([tmp_path / "backend" / "app"], DEFAULTS, None)
    assert project.root == (tmp_path / "backend").resolve()
    assert [file.rel for file in project.python_files] == ["app/models.py"]


# ------------------------------------------------------------------------------------ dialect


def test_dialect_from_alembic_url_with_async_driver(tmp_path: Path) -> None:
    project = run(
        tmp_path,
        {
            "alembic.ini": "[alembic]\nscript_location = %(here)s/alembic\nsqlalchemy.url = postgresql+asyncpg://u@h/db\n"
        },
    )
    assert (project.dialect, project.dialect_source) == ("postgresql", "alembic.ini sqlalchemy.url")


def test_dialect_option_beats_config_beats_alembic_url(tmp_path: Path) -> None:
    files = {"alembic.ini": "[alembic]\nscript_location = a\nsqlalchemy.url = mysql+pymysql://u@h/db\n"}
    assert run(tmp_path, files).dialect == "mysql"
    configured = run(tmp_path, files, config=Config(dialect="sqlite"))
    assert (configured.dialect, configured.dialect_source) == ("sqlite", "config")
    overridden = run(tmp_path, files, config=Config(dialect="sqlite"), dialect="postgres")
    assert (overridden.dialect, overridden.dialect_source) == ("postgresql", "--dialect")


def test_alembic_url_placeholder_is_ignored_and_env_example_is_used(tmp_path: Path) -> None:
    project = run(
        tmp_path,
        {
            "alembic.ini": "[alembic]\nscript_location = a\nsqlalchemy.url = %(DB_URL)s\n",
            ".env.example": 'export DATABASE_URL="sqlite:///./app.db"\n',
        },
    )
    assert (project.dialect, project.dialect_source) == ("sqlite", ".env.example DATABASE_URL")


def test_gitignored_env_file_is_not_read(tmp_path: Path) -> None:
    project = run(tmp_path, {".gitignore": ".env\n", ".env": "DATABASE_URL=mysql://x/y\n"})
    assert (project.dialect, project.dialect_source) == ("postgresql", "default")


def test_unknown_dialect_option_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="unknown dialect `oracle`"):
        run(tmp_path, {}, dialect="oracle")


@pytest.mark.parametrize(
    ("url", "dialect"),
    [
        ("postgresql+asyncpg://u@h/db", "postgresql"),
        ("postgres://u@h/db", "postgresql"),
        ("mysql+pymysql://u@h/db", "mysql"),
        ("mariadb+mariadbconnector://u@h/db", "mysql"),
        ("sqlite:///app.db", "sqlite"),
        ("sqlite+aiosqlite:///app.db", "sqlite"),
        ("jdbc:postgresql://h/db", "postgresql"),
        ("driver://user:pass@localhost/dbname", None),
        ("mssql+pyodbc://h/db", None),
        ("%(DB_URL)s", None),
        ("${DATABASE_URL}", None),
    ],
)
def test_url_dialect(url: str, dialect: str | None) -> None:
    assert url_dialect(url) == dialect


# ------------------------------------------------------------------------------------ general


def test_project_root_is_the_nearest_directory_with_a_marker(tmp_path: Path) -> None:
    write(tmp_path, {"pyproject.toml": "", "src/app/models.py": MODEL})
    project = discover([tmp_path / "src" / "app" / "models.py"], DEFAULTS, None)
    assert project.root == tmp_path.resolve()
    assert [file.rel for file in project.python_files] == ["src/app/models.py"]


def test_discovery_is_deterministic(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "alembic.ini": "[alembic]\nscript_location = %(here)s/alembic\n",
            "alembic/env.py": ENV_PY,
            **{f"alembic/versions/r{i}.py": revision(f"r{i}") for i in range(5)},
            "migrations/V2__b.sql": "",
            "migrations/V1__a.sql": "",
            **{f"app/m{i}.py": MODEL for i in range(5)},
        },
    )
    first = discover([tmp_path], DEFAULTS, None)
    assert first == discover([tmp_path], DEFAULTS, None)
    assert [file.rel for file in first.python_files] == sorted(file.rel for file in first.python_files)


# ------------------------------------------------------------------------------------ oracle

ALEMBIC_INI_VARIANTS = {
    "here": "script_location = %(here)s/alembic\n",
    "relative": "script_location = alembic\n",
    "os-separator": "script_location = alembic\npath_separator = os\nversion_locations = %(here)s/v1:%(here)s/v2\n",
    "space-separator": "script_location = alembic\npath_separator = space\nversion_locations = v1 v2\n",
    "newline-separator": "script_location = alembic\npath_separator = newline\nversion_locations =\n  v1\n  v2\n",
    "legacy-commas": "script_location = alembic\nversion_locations = %(here)s/v1, %(here)s/v2\n",
    "deprecated-separator": "script_location = alembic\nversion_path_separator = ;\nversion_locations = v1;v2\n",
}


@pytest.mark.parametrize("body", ALEMBIC_INI_VARIANTS.values(), ids=ALEMBIC_INI_VARIANTS.keys())
def test_version_directories_agree_with_alembic_itself(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, body: str
) -> None:
    config_module = pytest.importorskip("alembic.config")
    files = {"alembic.ini": "[alembic]\n" + body, "alembic/env.py": ENV_PY}
    for directory in ("alembic/versions", "v1", "v2"):
        files[f"{directory}/r_{directory.replace('/', '_')}.py"] = revision(directory)
    project = run(tmp_path, files)
    # Alembic resolves relative locations against the working directory: run it from the ini's.
    monkeypatch.chdir(tmp_path)
    alembic_config = config_module.Config(str(tmp_path / "alembic.ini"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Alembic's deprecation warnings for the legacy separators
        listed = alembic_config.get_version_locations_list()
    script = Path(alembic_config.get_main_option("script_location") or "")
    expected = {(tmp_path / location).resolve() for location in listed or [script / "versions"]}
    assert {file.path.parent for file in project.migration_files} == expected


# ------------------------------------------------------------------------------------ typescript

MIKRO_MIGRATION = (
    'import {{ Migration }} from "@mikro-orm/migrations";\n\n'
    "export class {name} extends Migration {{\n"
    "  async up(): Promise<void> {{\n"
    '    this.addSql(\'alter table "render_job" add column "x" text;\');\n'
    "  }}\n"
    "}}\n"
)
JOB = 'export default async function handler() {}\n\nexport const config = { name: "x", schedule: "* * * * *" };\n'

MEDUSA_MONOREPO = {
    "package.json": '{"private": true, "workspaces": {"packages": ["apps/*", "packages/*"]}}',
    "apps/server/package.json": (
        '{"name": "server", "dependencies": {"@medusajs/framework": "2.8.0", "@mikro-orm/core": "6.4.3"}}'
    ),
    "apps/server/medusa-config.ts": "module.exports = defineConfig({})\n",
    "apps/server/tsconfig.json": (
        '{\n  // Medusa\'s starter keeps comments here\n  "compilerOptions": {\n'
        '    "paths": { "@/*": ["./src/*"], },  /* trailing comma */\n'
        '    "outDir": "./.medusa/server",\n  },\n}\n'
    ),
    "apps/server/src/modules/render-engine/models/render-job.ts": (
        'import { model } from "@medusajs/framework/utils";\n'
        'import { PRESETS } from "../constants";\n'
        'import { Tone } from "@acme/shared";\n'
        'import { SIZES } from "@/modules/render-engine/sizes";\n\n'
        "export const RenderJob = model\n"
        '  .define("render_job", {\n'
        "  id: model.id().primaryKey(),\n"
        "  preset: model.enum([...PRESETS]),\n"
        "});\n"
    ),
    "apps/server/src/modules/render-engine/constants/index.ts": 'export * from "./presets";\n',
    "apps/server/src/modules/render-engine/constants/presets.ts": 'export const PRESETS = ["a", "b"] as const;\n',
    "apps/server/src/modules/render-engine/sizes.ts": 'export const SIZES = ["s"];\n',
    "apps/server/src/modules/render-engine/service.ts": "export class RenderService {}\n",
    "apps/server/src/modules/render-engine/migrations/Migration20240401000000_AddSize.ts": MIKRO_MIGRATION.format(
        name="Migration20240401000000_AddSize"
    ),
    "apps/server/src/modules/render-engine/migrations/Migration20240301101500.ts": MIKRO_MIGRATION.format(
        name="Migration20240301101500"
    ),
    "apps/server/src/modules/render-engine/migrations/.snapshot-render-engine.json": '{"tables": []}',
    "apps/server/src/modules/render-engine/migrations/helpers.ts": "export const addSql = 1;\n",
    "apps/server/src/modules/render-engine/__tests__/render-job.spec.ts": 'import { model } from "x"; model.define\n',
    "apps/server/src/modules/billing/migrations/Migration20231201000000.ts": MIKRO_MIGRATION.format(
        name="Migration20231201000000"
    ),
    "apps/server/src/jobs/render-engine/cleanup-temp-files.ts": JOB,
    "apps/server/src/jobs/render-engine/queue-config.ts": "export const QUEUE = { attempts: 3 };\n",
    "apps/server/src/jobs/render-engine/_shared.ts": "export const x = 1;\n",
    "apps/server/src/jobs/index.ts": "",
    "apps/server/src/jobs/nightly.js": JOB,
    "apps/server/src/jobs/nightly.test.ts": "",
    "apps/server/src/jobs/types.d.ts": "",
    "apps/server/src/jobs/__tests__/nightly.ts": JOB,
    "apps/server/src/jobs/README.md": "",
    "apps/server/.medusa/server/src/modules/render-engine/models/render-job.js": "model.define",
    "apps/server/node_modules/@medusajs/framework/index.ts": "export enum X {}\n",
    "packages/shared/package.json": '{"name": "@acme/shared", "main": "dist/index.js"}',
    "packages/shared/src/index.ts": 'export * from "./tone";\n',
    "packages/shared/src/tone.ts": 'export enum Tone { Warm = "warm" }\n',
    "packages/shared/src/unused.ts": "export const unused = 1;\n",
}


def test_medusa_app_in_a_workspace(tmp_path: Path) -> None:
    write(tmp_path, MEDUSA_MONOREPO)
    project = discover([tmp_path / "apps/server"], DEFAULTS, None)
    # The app's package.json belongs to the root's workspaces, so the monorepo is the project.
    assert project.root == tmp_path.resolve()
    module = "apps/server/src/modules/render-engine/migrations"
    assert migrations(project) == [
        ("apps/server/src/modules/billing/migrations/Migration20231201000000.ts", "typescript",
         "apps/server/src/modules/billing/migrations"),
        (f"{module}/Migration20240301101500.ts", "typescript", module),
        (f"{module}/Migration20240401000000_AddSize.ts", "typescript", module),
    ]  # fmt: skip
    assert project.migration_files[2].order_key == ("Migration20240401000000_AddSize.ts",)
    assert (project.dialect, project.dialect_source) == ("postgresql", "medusa-config")
    assert project.frameworks == frozenset({"medusa", "mikro-orm"})
    assert [f.rel for f in project.job_files] == [
        "apps/server/src/jobs/nightly.js",
        "apps/server/src/jobs/render-engine/cleanup-temp-files.ts",
        "apps/server/src/jobs/render-engine/queue-config.ts",
    ]
    assert [f.rel for f in project.snapshot_files] == [f"{module}/.snapshot-render-engine.json"]
    assert [f.rel for f in project.ts_files] == [
        "apps/server/src/modules/render-engine/constants/index.ts",  # a barrel the model imports from
        "apps/server/src/modules/render-engine/constants/presets.ts",
        "apps/server/src/modules/render-engine/models/render-job.ts",
        "apps/server/src/modules/render-engine/sizes.ts",  # through tsconfig paths
        "packages/shared/src/index.ts",  # the workspace package's entry (dist/index.js → src/index.ts)
        "packages/shared/src/tone.ts",
    ]
    assert project.ts_resolution.packages == (("@acme/shared", "packages/shared"), ("server", "apps/server"))
    assert project.ts_resolution.paths == (("@/*", ("./src/*",)),)
    assert project.ts_resolution.base_url == "apps/server"
    assert any("helpers.ts looks like a migration" in note for note in project.notes)


def test_mikro_orm_migrations_named_freely_run_in_file_name_order(tmp_path: Path) -> None:
    # MikroORM's glob takes every file of the folder; the sorted list is the run order, so a
    # hand-named first migration precedes the generated ones and digits compare as text.
    folder = "src/modules/gallery/migrations"
    write(
        tmp_path,
        {
            "package.json": '{"dependencies": {"@mikro-orm/core": "6.4.0"}}',
            f"{folder}/Setup20240105120000.ts": MIKRO_MIGRATION.format(name="Setup20240105120000"),
            f"{folder}/Migration20240310090000-Data.ts": MIKRO_MIGRATION.format(
                name="Migration20240310090000"
            ),
            f"{folder}/Migration202406011200.ts": MIKRO_MIGRATION.format(name="Migration202406011200"),
            f"{folder}/Migration20240501000000.ts": MIKRO_MIGRATION.format(name="Migration20240501000000"),
            f"{folder}/Migration20240220080000.ts": MIKRO_MIGRATION.format(name="Migration20240220080000"),
            f"{folder}/sql-helpers.ts": "export const addSql = (s: string) => s;\n",
        },
    )
    project = discover([tmp_path], DEFAULTS, None)
    assert [file.rel.rsplit("/", 1)[-1] for file in project.migration_files] == [
        "Migration20240220080000.ts",
        "Migration20240310090000-Data.ts",
        "Migration20240501000000.ts",
        "Migration202406011200.ts",  # text order: a 12-digit stamp is not a smaller number here
        "Setup20240105120000.ts",
    ]
    assert {file.history for file in project.migration_files} == {folder}
    assert any("sql-helpers.ts looks like a migration" in note for note in project.notes)


def test_jobs_folder_of_a_package_that_is_not_a_medusa_app_is_not_loaded(tmp_path: Path) -> None:
    # Medusa's own repository: the framework package implements the loader under src/jobs/ and
    # depends on no Medusa package; only an application's src/jobs/ holds scheduled jobs.
    write(
        tmp_path,
        {
            "package.json": '{"private": true, "workspaces": ["packages/*", "apps/*"]}',
            "packages/framework/package.json": '{"name": "@medusajs/framework", "dependencies": {}}',
            "packages/framework/src/jobs/job-loader.ts": "export class JobLoader {}\n",
            "apps/shop/package.json": '{"name": "shop", "dependencies": {"@medusajs/framework": "2.8.0"}}',
            "apps/shop/src/jobs/nightly.ts": JOB,
            "apps/shop/src/jobs/nested/helper.ts": "export const RETRIES = 3;\n",
        },
    )
    project = discover([tmp_path], DEFAULTS, None)
    assert [f.rel for f in project.job_files] == [
        "apps/shop/src/jobs/nested/helper.ts",
        "apps/shop/src/jobs/nightly.ts",
    ]


def test_standalone_package_json_is_the_nearest_root(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "pyproject.toml": "[project]\nname = 'x'\n",
            "web/package.json": '{"dependencies": {"@medusajs/medusa": "1.20.0", "typeorm": "0.3.0"}}',
            "web/src/migrations/1611063162649-initial_schema.ts": (
                'import { MigrationInterface, QueryRunner } from "typeorm";\n'
                "export class initialSchema1611063162649 implements MigrationInterface {\n"
                "  public async up(queryRunner: QueryRunner): Promise<void> {}\n}\n"
            ),
            "web/src/migrations/1611063162649-initial_schema.d.ts": "queryRunner",
            "web/data-source.ts": 'export default new DataSource({ type: "mysql", entities: [] });\n',
        },
    )
    project = discover([tmp_path / "web"], DEFAULTS, None)
    assert project.root == (tmp_path / "web").resolve()
    assert migrations(project) == [
        ("src/migrations/1611063162649-initial_schema.ts", "typescript", "src/migrations")
    ]
    assert project.migration_files[0].order_key == ("00000001611063162649", "initial_schema")
    assert (project.dialect, project.dialect_source) == ("mysql", "data-source.ts type")
    assert project.frameworks == frozenset({"medusa", "typeorm"})
    assert project.job_files == ()  # no src/jobs folder


def test_knex_migrations_and_knexfile_client(tmp_path: Path) -> None:
    project = run(
        tmp_path,
        {
            "package.json": '{"dependencies": {"knex": "3.1.0"}}',
            "knexfile.js": "module.exports = { client: 'sqlite3', connection: {} };\n",
            "db/migrations/20240102000000_add_mood.js": "exports.up = (knex) => knex.raw('select 1');\n",
            "db/migrations/20240101000000_init.ts": "export async function up(knex) {}\n",
            "db/migrations/20240103000000_unrelated.ts": "export const nothing = 1;\n",
            "db/seeds/20240101000000_users.ts": "export async function seed(knex) {}\n",
        },
    )
    assert [(rel, kind) for rel, kind, _ in migrations(project)] == [
        ("db/migrations/20240101000000_init.ts", "typescript"),
        ("db/migrations/20240102000000_add_mood.js", "typescript"),
    ]
    assert (project.dialect, project.dialect_source) == ("sqlite", "knexfile.js client")
    assert project.frameworks == frozenset({"knex"})


def test_jobs_are_only_listed_in_a_medusa_project(tmp_path: Path) -> None:
    project = run(tmp_path, {"package.json": "{}", "src/jobs/a.ts": JOB})
    assert project.job_files == ()
    assert project.frameworks == frozenset()


def test_python_projects_get_empty_typescript_fields(tmp_path: Path) -> None:
    project = run(tmp_path, {"pyproject.toml": "", "app/models.py": MODEL})
    assert project.ts_files == () and project.job_files == () and project.snapshot_files == ()
    assert project.ts_resolution == TsResolution()


def test_tsconfig_is_read_with_comments_trailing_commas_and_extends(tmp_path: Path) -> None:
    project = run(
        tmp_path,
        {
            "package.json": '{"workspaces": ["libs/**"]}',
            "tsconfig.base.json": (
                '{"compilerOptions": {"baseUrl": "./src", "paths": {"~enums/*": ["enums/*",],},},}'
            ),
            "tsconfig.json": '{ "extends": "./tsconfig.base", /* "paths": {} */ "include": ["src/**//*.ts"] }',
            "libs/deep/core/package.json": '{"name": "@x/core"}',
            "libs/deep/core/index.ts": "export enum Y { A = 'a' }\n",
        },
    )
    assert project.ts_resolution.base_url == "src"
    assert project.ts_resolution.paths == (("~enums/*", ("enums/*",)),)
    assert project.ts_resolution.packages == (("@x/core", "libs/deep/core"),)
    assert [f.rel for f in project.ts_files] == ["libs/deep/core/index.ts"]


def test_workspace_entries_from_exports_that_name_sources(tmp_path: Path) -> None:
    project = run(
        tmp_path,
        {
            "package.json": '{"workspaces": ["packages/*"]}',
            "packages/enums/package.json": (
                '{"name": "@x/enums", "types": "./dist/index.d.ts", '
                '"exports": {".": {"types": "./src/index.ts", "default": "./dist/index.js"}, '
                '"./status": "./src/status.ts", "./*": "./src/*.ts"}}'
            ),
            "packages/enums/src/index.ts": 'export * from "./status";\n',
            "packages/enums/src/status.ts": "export enum Status { A = 'a' }\n",
            "packages/built/package.json": '{"name": "@x/built", "types": "./dist/index.d.ts"}',
        },
    )
    assert project.ts_resolution.entries == (
        ("@x/enums", "packages/enums/src/index.ts"),
        ("@x/enums/status", "packages/enums/src/status.ts"),
    )


@pytest.mark.parametrize(
    "text",
    [
        'export const M = model\n  .define("m", {})\n',
        "@Entity()\nclass A {}\n",
        "export enum Tone { Warm }\n",
        "const xenum enum Tone {}\n",  # a candidate inside a word, then the real marker
        'export const T = ["a"] as   const\n',
        "export const F = Object.freeze({})\n",
        "const mymodel = 1; mymodel.define; has const; renum X; Entity\n",
        "",
    ],
)
def test_fast_model_marker_scan_agrees_with_the_marker_regex(text: str) -> None:
    assert has_ts_model_markers(text) == bool(TS_MODEL_MARKERS.search(text))
