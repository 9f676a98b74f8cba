"""Oracle probe: apply a fixture's migrations to a real database, then write every enum value.

Run in a subprocess per (fixture, database) so each fixture's models import in a clean
interpreter. This is test code: unlike schemalint, it imports and executes the fixture project,
through SQLAlchemy and Alembic, exactly as the application would.

Prints one JSON object: {"migration_error": str | null, "writes": [{"table", "column", "value",
"ok", "error"}]}. With ``--structural`` it also writes one row per model table with every column
set, recorded as value ``"row"`` with the missing column (or None for the table). A write is ok when the row can be inserted through SQLAlchemy with that member
and the column reads back as the same member (MariaDB folds ENUM case on write, which only the
read-back reveals).

TypeScript projects (``--sql-text`` and ``--values``) have no Python models to import: the test
hands over the SQL of each migration's ``up()`` (one file per migration, applied in order, one
transaction each, as MikroORM runs them) and the values the models can write, and every value is
inserted with plain SQL; the other NOT NULL columns without a default get a value of their type.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import decimal
import enum
import importlib
import itertools
import json
import re
import sys
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.pool import NullPool

MAX_COMBINATIONS = 64


def apply_alembic(engine: sa.Engine, ini: Path) -> None:
    from alembic.config import Config
    from alembic.migration import MigrationContext
    from alembic.operations import Operations
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(Config(str(ini)))
    revisions = list(reversed(list(script.walk_revisions("base", "heads"))))
    for revision in revisions:
        # One transaction per revision, as `alembic upgrade` with transaction_per_migration:
        # a label added by ALTER TYPE cannot be used in the transaction that added it.
        with engine.begin() as conn:
            ctx = MigrationContext.configure(conn)
            with Operations.context(ctx):
                assert revision.module is not None
                revision.module.upgrade()


_DBMATE_DOWN = re.compile(r"^--\s*migrate:down\b.*", re.M | re.S)


def apply_sql(engine: sa.Engine, files: list[Path]) -> None:
    for path in files:
        text = _DBMATE_DOWN.sub("", path.read_text())
        with engine.begin() as conn:
            if engine.dialect.name == "postgresql":
                conn.exec_driver_sql(text)  # psycopg runs several statements without parameters
            elif engine.dialect.name == "sqlite":
                dbapi = conn.connection.dbapi_connection
                assert dbapi is not None
                dbapi.executescript(text)  # type: ignore[attr-defined]
            else:
                for statement in _split(text):
                    conn.exec_driver_sql(statement)


def _split(text: str) -> Iterator[str]:
    without_comments = re.sub(r"^\s*--.*$", "", text, flags=re.M)
    for part in without_comments.split(";"):
        if part.strip():
            yield part


def enum_strings(column: sa.Column[Any]) -> list[tuple[Any, str]]:
    """(what the application passes, the string SQLAlchemy persists) for every member."""
    etype = column.type
    assert isinstance(etype, sa.Enum)
    if etype.enum_class is not None:
        members = list(etype.enum_class)
        return list(zip(members, etype.enums, strict=True))
    return [(value, value) for value in etype.enums]


_DUMMIES: dict[type, Any] = {
    int: 1,
    str: "x",
    bool: False,
    float: 1.0,
    decimal.Decimal: decimal.Decimal("1"),
    datetime.datetime: datetime.datetime(2026, 1, 1, 12, 0),
    datetime.date: datetime.date(2026, 1, 1),
    datetime.time: datetime.time(12, 0),
    uuid.UUID: uuid.UUID(int=1),
    dict: {},
    list: [],
}


def _needs_value(column: sa.Column[Any]) -> bool:
    if column.nullable or column.default is not None or column.server_default is not None:
        return False
    return not (column.primary_key and column.autoincrement in (True, "auto") and _python_type(column) is int)


def _python_type(column: sa.Column[Any]) -> type | None:
    try:
        return column.type.python_type
    except NotImplementedError:
        return None


def _candidates(column: sa.Column[Any], counter: Iterator[int]) -> list[Any]:
    if isinstance(column.type, sa.Enum):
        return [member for member, _ in enum_strings(column)]
    python_type = _python_type(column)
    if column.primary_key and python_type is int:
        return [next(counter)]
    if python_type is str and getattr(column.type, "length", None):
        return ["x"]
    return [_DUMMIES.get(python_type, "x") if python_type is not None else "x"]


def try_write(
    run: Callable[[Callable[[sa.Connection], Any]], Any], table: sa.Table, column: sa.Column[Any], member: Any
) -> str | None:
    """None when some row with ``column = member`` can be written and read back, else the error."""
    counter = itertools.count(1000)
    others = [c for c in table.columns if c is not column and _needs_value(c)]
    choices = [_candidates(c, counter) for c in others]
    last_error = "no combination of the other required columns was tried"
    for n, combo in enumerate(itertools.product(*choices)):
        if n >= MAX_COMBINATIONS:
            break
        values = {c.name: v for c, v in zip(others, combo, strict=True)}
        values[column.name] = member

        def attempt(conn: sa.Connection, values: dict[str, Any] = values) -> str | None:
            trans = conn.begin()
            try:
                result = conn.execute(table.insert().values(**values))
                key = result.inserted_primary_key
                pk = list(table.primary_key.columns)
                query = sa.select(column)
                if key is not None and pk and all(k is not None for k in key):
                    query = query.where(*(c == k for c, k in zip(pk, key, strict=True)))
                stored = conn.execute(query).scalars().all()
                if member not in stored:
                    return f"read back {stored!r} instead of {member!r}"
                return None
            except LookupError as exc:  # SQLAlchemy could not map the stored string to a member
                return f"LookupError: {exc}"
            except sa.exc.SQLAlchemyError as exc:
                return f"{type(exc).__name__}: {str(getattr(exc, 'orig', exc)).splitlines()[0]}"
            finally:
                trans.rollback()

        error = run(attempt)
        if error is None:
            return None
        last_error = error
    return last_error


# Which column a failed insert names, by driver message (PostgreSQL, SQLite, MariaDB).
_MISSING_COLUMN = re.compile(
    r'column "(?P<pg>[^"]+)" of relation "[^"]+" does not exist'
    r"|has no column named (?P<sqlite>\w+)|Unknown column '(?P<mysql>[^']+)'",
    re.IGNORECASE,
)


def _row_value(column: sa.Column[Any], counter: Iterator[int]) -> Any:
    return _candidates(column, counter)[0]


def row_writes(
    drivers: list[tuple[str, Callable[[Callable[[sa.Connection], Any]], Any]]], table: sa.Table
) -> list[dict[str, Any]]:
    """Insert one row with every model column set (structural mode), through every driver.

    A failure naming a missing column is recorded as (table, column, "row") and the insert is
    retried without that column, so each missing column is found; a missing table, or any
    other failure, is recorded as (table, None, "row"). No failure records one ok write.
    """
    counter = itertools.count(2000)
    values = {c.name: _row_value(c, counter) for c in table.columns}
    failures: dict[str | None, list[str]] = {}
    for driver, run in drivers:
        remaining = dict(values)
        while True:

            def attempt(conn: sa.Connection, row: dict[str, Any] = remaining) -> str | None:
                trans = conn.begin()
                try:
                    conn.execute(table.insert().values(**row))
                    return None
                except sa.exc.SQLAlchemyError as exc:
                    return f"{type(exc).__name__}: {str(getattr(exc, 'orig', exc)).splitlines()[0]}"
                finally:
                    trans.rollback()

            error = run(attempt)
            if error is None:
                break
            match = _MISSING_COLUMN.search(error)
            column = next((g for g in match.groups() if g), None) if match else None
            if column is not None and column in remaining:
                failures.setdefault(column, []).append(f"{driver}: {error}")
                del remaining[column]
                continue
            failures.setdefault(None, []).append(f"{driver}: {error}")
            break
    if not failures:
        return [
            {
                "table": table_key(table),
                "column": None,
                "value": "row",
                "member": "row",
                "ok": True,
                "error": "",
            }
        ]
    return [
        {"table": table_key(table), "column": column, "value": "row", "member": "row", "ok": False,
         "error": "; ".join(errors)}
        for column, errors in failures.items()
    ]  # fmt: skip


def runners(url: str) -> list[tuple[str, Callable[[Callable[[sa.Connection], Any]], Any]]]:
    """One way to run a function on a connection per driver the oracle writes through."""
    out: list[tuple[str, Callable[[Callable[[sa.Connection], Any]], Any]]] = []
    engine = sa.create_engine(url, poolclass=NullPool)

    def run_sync(fn: Callable[[sa.Connection], Any]) -> Any:
        with engine.connect() as conn:
            return fn(conn)

    out.append((engine.dialect.driver, run_sync))
    if url.startswith("postgresql+psycopg://"):
        # asyncpg casts every native enum parameter to its type name ($1::userrole), so it also
        # rejects writes into a column whose type the model names differently or that is absent.
        from sqlalchemy.ext.asyncio import create_async_engine

        async_url = url.replace("postgresql+psycopg://", "postgresql+asyncpg://")

        def run_async(fn: Callable[[sa.Connection], Any]) -> Any:
            async def go() -> Any:
                aengine = create_async_engine(async_url, poolclass=NullPool)
                try:
                    async with aengine.connect() as aconn:
                        return await aconn.run_sync(fn)
                finally:
                    await aengine.dispose()

            return asyncio.run(go())

        out.append(("asyncpg", run_async))
    return out


def table_key(table: sa.Table) -> str:
    """How schemalint names a table: ``schema.table`` outside PostgreSQL's default schema."""
    return table.fullname.removeprefix("public.")


def model_tables(modules: list[str]) -> list[sa.Table]:
    metadatas: list[sa.MetaData] = []
    for name in modules:
        module = importlib.import_module(name)
        for value in vars(module).values():
            metadata = getattr(value, "metadata", None)
            if isinstance(value, sa.MetaData):
                metadata = value
            if isinstance(metadata, sa.MetaData) and metadata not in metadatas:
                metadatas.append(metadata)
    tables: dict[str, sa.Table] = {}
    for metadata in metadatas:
        for table in metadata.sorted_tables:
            tables.setdefault(table_key(table), table)
    return list(tables.values())


# A literal for a NOT NULL column without a default, by information_schema data_type.
_SQL_DUMMIES: dict[str, str] = {
    "smallint": "1",
    "integer": "1",
    "bigint": "1",
    "numeric": "1",
    "real": "1",
    "double precision": "1",
    "boolean": "false",
    "timestamp with time zone": "now()",
    "timestamp without time zone": "now()",
    "date": "current_date",
    "time without time zone": "'12:00'",
    "interval": "'1 day'",
    "json": "'{}'",
    "jsonb": "'{}'",
    "uuid": "'00000000-0000-0000-0000-000000000001'",
    "ARRAY": "'{}'",
}


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _first_enum_label(udt: str) -> str:
    return (
        "(SELECT e.enumlabel FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid "
        f"WHERE t.typname = {_literal(udt)} ORDER BY e.enumsortorder LIMIT 1)::{_quote(udt)}"
    )


def sql_writes(engine: sa.Engine, values: dict[str, list[str]]) -> list[dict[str, Any]]:
    """Insert every ``table.column`` value with plain SQL and read it back (PostgreSQL only)."""
    writes = []
    with engine.connect() as conn:
        for key, column_values in values.items():
            table, column = key.split(".", 1)
            rows = conn.exec_driver_sql(
                "SELECT column_name, is_nullable, column_default, data_type, udt_name "
                "FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = "
                + _literal(table)
            ).all()
            conn.rollback()  # end the introspection's implicit transaction: each insert has its own
            required = [r for r in rows if r[0] != column and r[1] == "NO" and r[2] is None]
            choices = [
                [_literal(v) for v in values.get(f"{table}.{r[0]}", [])]
                or [_first_enum_label(r[4]) if r[3] == "USER-DEFINED" else _SQL_DUMMIES.get(r[3], "'x'")]
                for r in required
            ]
            for value in column_values:
                error = _insert_and_read_back(conn, table, column, value, [r[0] for r in required], choices)
                writes.append(
                    {
                        "table": table,
                        "column": column,
                        "value": value,
                        "member": value,
                        "ok": error is None,
                        "error": error or "",
                    }
                )
    return writes


def _insert_and_read_back(
    conn: sa.Connection, table: str, column: str, value: str, others: list[str], choices: list[list[str]]
) -> str | None:
    names = ", ".join(_quote(c) for c in [column, *others])
    last_error = f"table `{table}` has no column `{column}`"
    for n, combo in enumerate(itertools.product(*choices)):
        if n >= MAX_COMBINATIONS:
            break
        statement = (
            f"INSERT INTO {_quote(table)} ({names}) VALUES ({', '.join([_literal(value), *combo])}) "
            f"RETURNING {_quote(column)}::text"
        )
        trans = conn.begin()
        try:
            stored = conn.exec_driver_sql(statement).scalar_one()
            if stored != value:
                return f"read back {stored!r} instead of {value!r}"
            return None
        except sa.exc.SQLAlchemyError as exc:
            last_error = f"{type(exc).__name__}: {str(getattr(exc, 'orig', exc)).splitlines()[0]}"
        finally:
            trans.rollback()
    return last_error


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--project", required=True, type=Path)
    parser.add_argument("--sys-path", default=".")
    parser.add_argument("--module", action="append", default=[])
    parser.add_argument("--alembic-ini")
    parser.add_argument("--sql", action="append", default=[])
    parser.add_argument("--sql-text", action="append", default=[], type=Path)
    parser.add_argument("--values", type=Path, help="JSON {table.column: [values]}: TypeScript mode")
    parser.add_argument("--structural", action="store_true", help="also write one full row per table")
    args = parser.parse_args()

    if args.values is not None:
        main_typescript(args.url, args.sql_text, json.loads(args.values.read_text()))
        return

    sys.path.insert(0, str((args.project / args.sys_path).resolve()))
    tables = model_tables(args.module)
    engine = sa.create_engine(args.url, poolclass=NullPool)
    migration_error = None
    try:
        if args.alembic_ini:
            apply_alembic(engine, args.project / args.alembic_ini)
        else:
            apply_sql(engine, [args.project / p for p in args.sql])
    except Exception as exc:  # the migration itself failed on a fresh database
        migration_error = f"{type(exc).__name__}: {str(getattr(exc, 'orig', exc)).splitlines()[0]}"

    writes = []
    drivers = runners(args.url) if migration_error is None else []
    for table in tables:
        for column in table.columns:
            if not isinstance(column.type, sa.Enum):
                continue
            for member, persisted in enum_strings(column):
                errors = []
                for driver, run in drivers:
                    error = try_write(run, table, column, member)
                    if error is not None:
                        errors.append(f"{driver}: {error}")
                if migration_error is not None:
                    errors.append(f"migration failed: {migration_error}")
                writes.append(
                    {
                        "table": table_key(table),
                        "column": column.name,
                        "value": persisted,
                        "member": member.name if isinstance(member, enum.Enum) else member,
                        "ok": not errors,
                        "error": "; ".join(errors),
                    }
                )
    if args.structural:
        for table in tables:
            if migration_error is None:
                writes.extend(row_writes(drivers, table))
            else:
                writes.append(
                    {"table": table_key(table), "column": None, "value": "row", "member": "row", "ok": False,
                     "error": f"migration failed: {migration_error}"}
                )  # fmt: skip
    json.dump({"migration_error": migration_error, "writes": writes}, sys.stdout, indent=1)


def main_typescript(url: str, sql_files: list[Path], values: dict[str, list[str]]) -> None:
    engine = sa.create_engine(url, poolclass=NullPool)
    migration_error = None
    try:
        for path in sql_files:
            with engine.begin() as conn:
                conn.exec_driver_sql(path.read_text())  # several statements, no parameters
    except Exception as exc:
        migration_error = f"{type(exc).__name__}: {str(getattr(exc, 'orig', exc)).splitlines()[0]}"
    if migration_error is None:
        writes = sql_writes(engine, values)
    else:
        writes = [
            {"table": key.split(".", 1)[0], "column": key.split(".", 1)[1], "value": value, "member": value}
            | {"ok": False, "error": f"migration failed: {migration_error}"}
            for key, column_values in values.items()
            for value in column_values
        ]
    json.dump({"migration_error": migration_error, "writes": writes}, sys.stdout, indent=1)


if __name__ == "__main__":
    main()
