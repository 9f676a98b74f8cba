"""The command line: commands, options, exit codes, config errors and the fact cache."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from schemalint.cli import main
from schemalint.rule import all_rules
from tests.conftest import write_project

MIGRATION = (
    "CREATE TYPE userrole AS ENUM ('writer', 'admin');\n"
    "CREATE TABLE users (id serial PRIMARY KEY, role userrole NOT NULL);\n"
)
MODELS = """import enum

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class UserRole(str, enum.Enum):
    WRITER = "writer"
    ADMIN = "admin"


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    role = mapped_column(sa.Enum(UserRole), nullable=False)
"""


def invoke(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


@pytest.fixture
def names_project(tmp_path: Path) -> Path:
    return write_project(tmp_path, {"migrations/V1__init.sql": MIGRATION, "app/models.py": MODELS})


def test_path_without_command_runs_check_and_exits_1_on_errors(names_project: Path) -> None:
    result = invoke(str(names_project), "--no-cache", "--no-color")
    assert result.exit_code == 1
    assert "app/models.py:19:12: SL102 [enum-stores-names-not-values]" in result.output
    assert "help: pass `values_callable" in result.output


def test_check_exits_0_when_only_warnings_remain(names_project: Path) -> None:
    result = invoke("check", str(names_project), "--no-cache", "--ignore", "SL102")
    assert result.exit_code == 0, result.output


def test_select_by_prefix_and_name(names_project: Path) -> None:
    by_prefix = invoke("check", str(names_project), "--no-cache", "--select", "SL1", "--format", "json")
    by_name = invoke(
        "check",
        str(names_project),
        "--no-cache",
        "--select",
        "enum-stores-names-not-values",
        "--format",
        "json",
    )
    assert {f["code"] for f in json.loads(by_prefix.output)} == {"SL102"}
    assert [f["code"] for f in json.loads(by_name.output)] == ["SL102"]


def test_unknown_rule_code_is_a_usage_error(names_project: Path) -> None:
    result = invoke("check", str(names_project), "--select", "SL999")
    assert result.exit_code == 2
    assert "unknown rule code or name: `SL999`" in result.output


def test_unknown_config_key_names_the_key_and_exits_2(tmp_path: Path) -> None:
    root = write_project(
        tmp_path, {"schemalint.toml": 'selct = ["SL1"]\n', "migrations/V1__x.sql": MIGRATION}
    )
    result = invoke("check", str(root))
    assert result.exit_code == 2
    assert "unknown key `selct`" in result.output


def test_unknown_rule_in_config_is_a_usage_error(tmp_path: Path) -> None:
    root = write_project(
        tmp_path, {"schemalint.toml": 'ignore = ["no-such-rule"]\n', "migrations/V1__x.sql": MIGRATION}
    )
    result = invoke("check", str(root))
    assert result.exit_code == 2
    assert "`no-such-rule`" in result.output


def test_config_select_applies_and_cli_select_overrides_it(names_project: Path) -> None:
    (names_project / "pyproject.toml").write_text('[tool.schemalint]\nselect = ["SL104"]\n')
    assert invoke("check", str(names_project), "--no-cache").exit_code == 0
    assert invoke("check", str(names_project), "--no-cache", "--select", "SL102").exit_code == 1


def test_output_file_receives_the_report(names_project: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.sarif"
    result = invoke("check", str(names_project), "--no-cache", "--format", "sarif", "--output", str(out))
    assert result.exit_code == 1
    assert result.output == ""
    sarif = json.loads(out.read_text())
    assert sarif["runs"][0]["results"][0]["ruleId"] == "SL102"


def test_verbose_says_which_dialect_was_used(names_project: Path) -> None:
    result = CliRunner().invoke(
        main, ["check", str(names_project), "-v", "--no-cache", "--dialect", "sqlite"]
    )
    assert "dialect: sqlite (from --dialect)" in result.output


def test_rules_lists_every_rule_and_rule_prints_its_documentation() -> None:
    listing = invoke("rules")
    assert listing.exit_code == 0
    for rule in all_rules():
        assert rule.code in listing.output and rule.name() in listing.output
    doc = invoke("rule", "SL102")
    assert doc.exit_code == 0
    assert doc.output.startswith("# enum-stores-names-not-values (SL102)")
    assert "## Why is this bad?" in doc.output
    assert invoke("rule", "SL999").exit_code == 2


def test_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    result = invoke("check", str(tmp_path / "nowhere"))
    assert result.exit_code == 2


def test_cache_is_written_in_the_project_and_reused(names_project: Path) -> None:
    first = invoke("check", str(names_project), "--format", "json")
    cache = names_project / ".schemalint_cache"
    assert (cache / ".gitignore").read_text().strip().endswith("*")
    pickles = sorted(cache.rglob("*.pickle"))
    assert len(pickles) == 2  # one per file read
    mtimes = [p.stat().st_mtime_ns for p in pickles]
    second = invoke("check", str(names_project), "--format", "json")
    assert second.output == first.output
    assert [p.stat().st_mtime_ns for p in pickles] == mtimes  # read, not rewritten


def test_no_cache_writes_nothing(names_project: Path) -> None:
    invoke("check", str(names_project), "--no-cache")
    assert not (names_project / ".schemalint_cache").exists()


def test_suppression_on_the_model_line_silences_the_finding(names_project: Path) -> None:
    models = names_project / "app/models.py"
    models.write_text(
        MODELS.replace(
            "nullable=False)\n", "nullable=False)  # schemalint: ignore[SL102] -- migrated next release\n"
        )
    )
    result = invoke("check", str(names_project), "--no-cache", "--format", "json")
    assert json.loads(result.output) == []
    assert result.exit_code == 0


def test_a_rule_that_raises_becomes_one_internal_error_and_the_run_goes_on(
    names_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from schemalint.rules.enum_value_drift import EnumValueDrift

    def boom(self: object, ctx: object) -> None:
        raise RuntimeError("kaboom")

    monkeypatch.setattr(EnumValueDrift, "check", boom)
    result = invoke("check", str(names_project), "--no-cache", "--format", "json")
    findings = json.loads(result.output)
    internal = [f for f in findings if f["code"] == "SL000"]
    assert len(internal) == 1 and "SL101" in internal[0]["message"] and "kaboom" in internal[0]["message"]
    assert any(f["code"] == "SL102" for f in findings)  # the other rules still ran
    assert result.exit_code == 1


def test_an_extractor_crash_is_reported_for_that_file(
    names_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import schemalint.extract.models as models

    def crash(source: str, path: str, module: str) -> None:
        raise ValueError("bad input")

    monkeypatch.setattr(models, "extract_python_module", crash)
    result = invoke("check", str(names_project), "--no-cache", "--format", "json")
    internal = [f for f in json.loads(result.output) if f["code"] == "SL000"]
    assert [f["path"] for f in internal] == ["app/models.py"]
    assert "bad input" in internal[0]["message"]


def test_enum_created_from_an_imported_class_is_not_reported_as_never_created(tmp_path: Path) -> None:
    revision = (
        'revision = "0001"\ndown_revision = None\n\nimport sqlalchemy as sa\nfrom alembic import op\n'
        "from app.models import UserRole\n\n\n"
        'def upgrade():\n    op.create_table("users", sa.Column("id", sa.Integer(), primary_key=True),\n'
        '        sa.Column("role", sa.Enum(UserRole), nullable=False))\n\n\n'
        'def downgrade():\n    op.drop_table("users")\n'
    )
    root = write_project(
        tmp_path,
        {
            "alembic.ini": "[alembic]\nscript_location = %(here)s/alembic\n",
            "alembic/env.py": "",
            "alembic/versions/0001_init.py": revision,
            "app/models.py": MODELS,
        },
    )
    findings = json.loads(invoke("check", str(root), "--no-cache", "--format", "json").output)
    # The migration's sa.Enum(UserRole) resolves through the models: a type holding UserRole's
    # member names, which is exactly what the model writes.
    assert findings == []


def test_cache_keys_change_when_an_extractor_changes(monkeypatch: pytest.MonkeyPatch) -> None:
    from schemalint import runner

    job = runner.Job("sql", "migrations/V1__x.sql", MIGRATION, "postgresql")
    before = job.cache_key()
    runner.extractor_fingerprint.cache_clear()
    monkeypatch.setattr(runner, "extractor_fingerprint", lambda: "another-extractor-build")
    assert job.cache_key() != before


def test_sarif_rule_default_level_follows_the_configured_severity(names_project: Path) -> None:
    (names_project / "pyproject.toml").write_text('[tool.schemalint.severity]\nSL102 = "warning"\n')
    result = invoke("check", str(names_project), "--no-cache", "--format", "sarif")
    run = json.loads(result.output)["runs"][0]
    (rule,) = [r for r in run["tool"]["driver"]["rules"] if r["id"] == "SL102"]
    assert rule["defaultConfiguration"]["level"] == "warning"
    assert {r["level"] for r in run["results"] if r["ruleId"] == "SL102"} == {"warning"}
    assert result.exit_code == 0  # a warning does not reach the default fail level
