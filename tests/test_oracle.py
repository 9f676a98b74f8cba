"""The oracle: error-level findings must predict exactly the writes real databases reject.

For every fixture whose fixture.toml has an ``[oracle]`` table, and every database it names, a
fresh database is created, the fixture's migrations are applied (Alembic through its own API,
raw SQL files as they are), and every value each model enum column can persist is written through
SQLAlchemy (PostgreSQL: psycopg and asyncpg; MariaDB: PyMySQL; SQLite: sqlite3) and read back.
The set of rejected (table, column, value) must equal the union of the ``missing`` values of the
error-level findings schemalint reports for that dialect. A migration that fails to apply must be
predicted by a finding marked ``migration_fails``, which then predicts that every write fails.

With ``structural = true`` the probe also writes one row per model table with every column set:
a row rejected because the table is missing must be predicted by SL201 (table-not-in-migrations),
one rejected for a missing column by SL202 (column-not-in-migrations), and any other rejection
fails the test.

TypeScript fixtures (``typescript = true``) list their migrations in run order and the values
their models write (``[oracle.values]``, read by a person from the model files). The SQL of each
``up()`` (MikroORM ``this.addSql``/``this.execute``, TypeORM ``queryRunner.query``) is computed
here by a deliberately small evaluator (string and template literals with constant parts, ``+``,
``.map``/``.join``, one-``return`` helper methods of the migration class, through schemalint's
TypeScript IR, not its migration extractor) and, when the migration extractor exposes
``evaluated_sql``, checked against it. A migration whose ``up()`` has an ``if`` needs
``if_arm = "else"`` (or ``"then"``): the arm a fresh database takes, stated by the fixture.
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


def up_sql(path: Path, if_arm: str | None = None) -> list[str]:
    """The SQL strings a migration's ``up()`` runs, in order: ``this.addSql`` / ``this.execute``
    (MikroORM) or ``<first parameter>.query`` (TypeORM's ``queryRunner``).

    Only what a hand-written or generated migration needs: the argument must be a constant
    string (literals, template literals with constant substitutions, ``+``, ``.map``/``.join``)
    or a call of a method of the same class whose body is one ``return`` of such a string (its
    parameters bound to the arguments, ``ClassName.FIELD`` read from the class's static fields).
    An ``if`` is replayed only when the fixture says which arm a fresh database takes
    (``if_arm = "else"`` when the conditions probe for tables that do not exist yet); anything
    else fails the test rather than being guessed.
    """
    from schemalint.extract.tsparse import TsSource, parse_typescript, to_ir, unwrap
    from schemalint.tsir import Name, TsObject, Unknown, evaluate

    source = TsSource(path.name, path.read_text(encoding="utf-8"))
    tree = parse_typescript(source.data)

    def walk(node: Any) -> Iterator[Any]:
        yield node
        for child in node.named_children:
            yield from walk(child)

    def text(node: Any) -> str:
        return source.node_text(node) if node is not None else ""

    methods = [
        n
        for n in walk(tree.root_node)
        if n.type == "method_definition" and text(n.child_by_field_name("name")) == "up"
    ]
    assert len(methods) == 1, f"{path.name}: expected one `up()` method"
    up = methods[0]
    cls = up.parent.parent if up.parent is not None and up.parent.type == "class_body" else None
    class_name = text(cls.child_by_field_name("name")) if cls is not None else ""
    members = list(up.parent.named_children) if cls is not None else []
    helpers = {text(m.child_by_field_name("name")): m for m in members if m.type == "method_definition"}
    static_fields = {
        text(m.child_by_field_name("name")): m.child_by_field_name("value")
        for m in members
        if m.type == "public_field_definition"
        and any(c.type == "static" for c in m.children)
        and m.child_by_field_name("value") is not None
    }
    params = up.child_by_field_name("parameters")
    first = next(iter(params.named_children), None) if params is not None else None
    first_name = text(first.child_by_field_name("pattern")) if first is not None else ""
    sql_calls = _SQL_CALLS | ({f"{first_name}.query"} if first_name else set())

    def value(node: Any, bindings: dict[str, Any]) -> Any:
        def resolve(name: Name) -> Any:
            if name.name in bindings:
                return bindings[name.name]
            if name.name == class_name and class_name:
                return TsObject(tuple((k, value(v, {})) for k, v in static_fields.items()))
            return Unknown(name.name)

        node = unwrap(node)
        func = node.child_by_field_name("function") if node.type == "call_expression" else None
        if func is not None and text(func).startswith("this.") and text(func)[5:] in helpers:
            helper = helpers[text(func)[5:]]
            body = [c for c in helper.child_by_field_name("body").named_children if c.type != "comment"]
            assert len(body) == 1 and body[0].type == "return_statement", text(func)
            names = [
                text(p.child_by_field_name("pattern"))
                for p in helper.child_by_field_name("parameters").named_children
            ]
            args = node.child_by_field_name("arguments").named_children
            bound = {n: value(a, bindings) for n, a in zip(names, args, strict=True)}
            return value(body[0].named_children[0], bound)
        return evaluate(to_ir(source, node, path.name), resolve)

    def calls(node: Any) -> Iterator[Any]:
        if node.type == "if_statement":
            assert if_arm in ("then", "else"), f"{path.name}: an `if` in `up()`: set `if_arm`"
            arm = node.child_by_field_name("consequence" if if_arm == "then" else "alternative")
            if arm is not None:
                yield from calls(arm)
            return
        if node.type == "call_expression" and text(node.child_by_field_name("function")) in sql_calls:
            yield node
        for child in node.named_children:
            yield from calls(child)

    out: list[str] = []
    for node in calls(up):
        args = node.child_by_field_name("arguments")
        assert args is not None and args.named_child_count == 1, text(node)
        sql = value(args.named_children[0], {})
        assert isinstance(sql, str), f"{path.name}: cannot evaluate {text(node)}: {sql}"
        out.append(sql)
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
        statements = up_sql(path, oracle.get("if_arm"))
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
    if oracle.get("structural"):
        cmd += ["--structural"]
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
    if oracle.get("structural"):
        # SL201 predicts that every write to the table fails, SL202 every write of the column
        # (the full row of structural mode, and the enum values written to that column).
        missing_tables = {f.data.table for f in errors if f.code == "SL201"}
        missing_columns = {(f.data.table, f.data.column) for f in errors if f.code == "SL202"}
        predicted |= {(t, None, "row") for t in missing_tables}
        predicted |= {(t, c, "row") for t, c in missing_columns}
        predicted |= {
            (w["table"], w["column"], w["value"])
            for w in writes
            if w["value"] != "row"
            and (w["table"] in missing_tables or (w["table"], w["column"]) in missing_columns)
        }
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
