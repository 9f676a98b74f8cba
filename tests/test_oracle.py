"""The oracle: error-level findings must predict exactly the writes real databases reject.

For every fixture whose fixture.toml has an ``[oracle]`` table, and every database it names, a
fresh database is created, the fixture's migrations are applied (Alembic through its own API,
raw SQL files as they are), and every value each model enum column can persist is written through
SQLAlchemy (PostgreSQL: psycopg and asyncpg; MariaDB: PyMySQL; SQLite: sqlite3) and read back.
The set of rejected (table, column, value) must equal the union of the ``missing`` values of the
error-level findings schemalint reports for that dialect. A migration that fails to apply must be
predicted by a finding marked ``migration_fails``, which then predicts that every write fails.

TypeScript fixtures (``typescript = true``) list their migrations in run order and the values
their models write (``[oracle.values]``, read by a person from the model files). The SQL of each
``up()`` is computed here by a deliberately small evaluator (string and template literals with
constant parts, ``+``, through schemalint's TypeScript IR, not its migration extractor) and, when
the migration extractor exposes ``evaluated_sql``, checked against it.
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


_SQL_CALLS = frozenset({"this.addSql", "this.execute"})


def up_sql(path: Path) -> list[str]:
    """The SQL strings passed to ``this.addSql`` / ``this.execute`` in a MikroORM ``up()``, in order.

    Only what a hand-written or generated migration needs: the argument must be a constant
    string (literals, template literals with constant substitutions, ``+``); anything else
    fails the test rather than being guessed.
    """
    from schemalint.extract.tsparse import TsSource, parse_typescript, to_ir
    from schemalint.tsir import Unknown, evaluate

    source = TsSource(path.name, path.read_text(encoding="utf-8"))
    tree = parse_typescript(source.data)

    def walk(node: Any) -> Iterator[Any]:
        yield node
        for child in node.named_children:
            yield from walk(child)

    methods = [
        n
        for n in walk(tree.root_node)
        if n.type == "method_definition" and source.node_text(n.child_by_field_name("name")) == "up"
    ]
    assert len(methods) == 1, f"{path.name}: expected one `up()` method"
    out: list[str] = []
    for node in walk(methods[0]):
        func = node.child_by_field_name("function") if node.type == "call_expression" else None
        if func is None or source.node_text(func) not in _SQL_CALLS:
            continue
        args = node.child_by_field_name("arguments")
        assert args is not None and args.named_child_count == 1, source.node_text(node)
        value = evaluate(to_ir(source, args.named_children[0], path.name), lambda n: Unknown(n.name))
        assert isinstance(value, str), f"{path.name}: cannot evaluate {source.node_text(node)}: {value}"
        out.append(value)
    return out


def typescript_migration_sql(project: Path, oracle: dict[str, Any], out_dir: Path) -> list[Path]:
    """One SQL file per migration listed in the fixture, in order, written under ``out_dir``."""
    try:
        from schemalint.extract import ts_migrations
    except ImportError:  # the TypeScript migration extractor is not there yet
        ts_migrations = None  # type: ignore[assignment]
    extractor = getattr(ts_migrations, "evaluated_sql", None)
    files = []
    for n, rel in enumerate(oracle["migrations"]):
        path = project / rel
        statements = up_sql(path)
        if extractor is not None:
            # The extractor's string evaluation must agree with this independent one.
            assert list(extractor(path.read_text(encoding="utf-8"), rel)) == statements, rel
        target = out_dir / f"{n:03d}_{path.stem}.sql"
        target.write_text("\n".join(s if s.rstrip().endswith(";") else s + ";" for s in statements))
        files.append(target)
    return files


def probe(project: Path, url: str, oracle: dict[str, Any], tmp_path: Path) -> dict[str, Any]:
    cmd = [sys.executable, str(PROBE), "--url", url, "--project", str(project)]
    cmd += ["--sys-path", str(oracle.get("sys_path", "."))]
    for module in oracle.get("models", []):
        cmd += ["--module", module]
    if "alembic_ini" in oracle:
        cmd += ["--alembic-ini", oracle["alembic_ini"]]
    for sql in oracle.get("sql", []):
        cmd += ["--sql", sql]
    if oracle.get("typescript"):
        for sql_file in typescript_migration_sql(project, oracle, tmp_path):
            cmd += ["--sql-text", str(sql_file)]
        values = tmp_path / "oracle-values.json"
        values.write_text(json.dumps(oracle["values"]))
        cmd += ["--values", str(values)]
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
        observed = probe(project, url, oracle, tmp_path)

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
