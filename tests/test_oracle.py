"""The oracle: error-level findings must predict exactly the writes real databases reject.

For every fixture whose fixture.toml has an ``[oracle]`` table, and every database it names, a
fresh database is created, the fixture's migrations are applied (Alembic through its own API,
raw SQL files as they are), and every value each model enum column can persist is written through
SQLAlchemy (PostgreSQL: psycopg and asyncpg; MariaDB: PyMySQL; SQLite: sqlite3) and read back.
The set of rejected (table, column, value) must equal the union of the ``missing`` values of the
error-level findings schemalint reports for that dialect. A migration that fails to apply must be
predicted by a finding marked ``migration_fails``, which then predicts that every write fails.
"""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from schemalint.cli import run_check
from tests.test_fixtures import fixture_cases, load_fixture

PROBE = Path(__file__).parent / "oracle" / "probe.py"
PG = "127.0.0.1:5432"
MY = "127.0.0.1:3306"


def _pg_admin() -> Any:
    import psycopg

    return psycopg.connect(
        f"host={PG.split(':')[0]} port={PG.split(':')[1]} user=postgres dbname=postgres",
        autocommit=True,
        connect_timeout=3,
    )


def _my_admin() -> Any:
    import pymysql

    host, port = MY.split(":")
    return pymysql.connect(
        host=host, port=int(port), user="root", password="", connect_timeout=3, autocommit=True
    )


@contextmanager
def fresh_database(dialect: str, tmp_path: Path) -> Iterator[str]:
    """A new empty database and its SQLAlchemy URL; skipped with the reason when unreachable."""
    name = f"schemalint_oracle_{uuid.uuid4().hex[:12]}"
    if dialect == "sqlite":
        yield f"sqlite:///{tmp_path / 'oracle.sqlite'}"
        return
    try:
        admin = _pg_admin() if dialect == "postgresql" else _my_admin()
    except Exception as exc:  # no server here: skip visibly, never pass silently
        pytest.skip(f"{dialect} server at {PG if dialect == 'postgresql' else MY} unreachable: {exc}")
    try:
        with admin.cursor() as cur:
            if dialect == "postgresql":
                cur.execute(f'CREATE DATABASE "{name}"')
            else:
                cur.execute(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4")
        if dialect == "postgresql":
            yield f"postgresql+psycopg://postgres@{PG}/{name}"
        else:
            yield f"mysql+pymysql://root@{MY}/{name}"
    finally:
        with admin.cursor() as cur:
            if dialect == "postgresql":
                cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            else:
                cur.execute(f"DROP DATABASE IF EXISTS `{name}`")
        admin.close()


def oracle_cases() -> list[Any]:
    cases = []
    for case in fixture_cases():
        _, _, spec = load_fixture(case)
        oracle = spec.get("oracle")
        if isinstance(oracle, dict):
            for dialect in oracle.get("dialects", []):
                cases.append(pytest.param(case, dialect, id=f"{case.name}-{dialect}"))
    return cases


def probe(project: Path, url: str, oracle: dict[str, Any]) -> dict[str, Any]:
    cmd = [sys.executable, str(PROBE), "--url", url, "--project", str(project)]
    cmd += ["--sys-path", str(oracle.get("sys_path", "."))]
    for module in oracle.get("models", []):
        cmd += ["--module", module]
    if "alembic_ini" in oracle:
        cmd += ["--alembic-ini", oracle["alembic_ini"]]
    for sql in oracle.get("sql", []):
        cmd += ["--sql", sql]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    result: dict[str, Any] = json.loads(proc.stdout)
    return result


@pytest.mark.oracle
@pytest.mark.parametrize(("case", "dialect"), oracle_cases())
def test_error_findings_predict_exactly_the_rejected_writes(case: Path, dialect: str, tmp_path: Path) -> None:
    project, _args, spec = load_fixture(case)
    oracle = spec["oracle"]
    assert isinstance(oracle, dict)
    result = run_check([project], dialect=dialect, use_cache=False)
    errors = [f for f in result.findings if f.severity == "error"]
    predicted = {(f.data.table, f.data.column, value) for f in errors for value in (f.data.missing or ())}
    predicts_failure = any(("migration_fails", "true") in f.data.rule_data for f in errors)

    with fresh_database(dialect, tmp_path) as url:
        observed = probe(project, url, oracle)

    writes = observed["writes"]
    assert writes, "the oracle wrote nothing: the fixture's models have no enum columns"
    if predicts_failure:
        # A migration that fails leaves no schema to write to: the finding that predicts the
        # failure predicts every write's rejection.
        predicted |= {(w["table"], w["column"], w["value"]) for w in writes}
    rejected = {(w["table"], w["column"], w["value"]) for w in writes if not w["ok"]}
    reasons = {(w["table"], w["column"], w["value"]): w["error"] for w in writes if not w["ok"]}
    assert (observed["migration_error"] is not None) == predicts_failure, observed["migration_error"]
    assert rejected == predicted, {
        "rejected but not predicted": {k: reasons[k] for k in sorted(rejected - predicted)},
        "predicted but accepted": sorted(predicted - rejected),
    }
