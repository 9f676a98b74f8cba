"""Benchmark: time schemalint on generated projects (or on --path) without cache, cold and warm.

    python benchmarks/bench.py                       # 400 SQL migrations, 200 revisions, 60 model files,
                                                     # and a Medusa app: 300 TS migrations, 100 models
    python benchmarks/bench.py --sql 50 --alembic 20 --models 10 --ts-migrations 30 --ts-models 20
    python benchmarks/bench.py --sql 0 --alembic 0 --models 0   # the TypeScript project only
    python benchmarks/bench.py --path /some/real/repository

Speed targets live here, not in timed tests: the machine CI runs on is shared and noisy. Each
phase is run ``--repeat`` times in a fresh process and the median wall time is reported; one
more run in this process splits the time into discovery, extraction and tree-sitter parsing.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ENUM_MEMBERS = ("draft", "review", "published", "archived", "deleted")


def generate(root: Path, sql: int, alembic: int, models: int) -> int:
    """Write a project with planted drift; return how many SL103 findings it must produce."""
    (root / "pyproject.toml").write_text("[project]\nname = 'bench'\n")
    flyway = root / "db" / "migration"
    flyway.mkdir(parents=True)
    for n in range(1, sql + 1):
        body = [
            f"CREATE TYPE state_{n} AS ENUM ('a', 'b');",
            f"CREATE TABLE sql_table_{n} (id serial PRIMARY KEY, state state_{n} NOT NULL DEFAULT 'a',",
            "    status text NOT NULL CHECK (status IN ('draft', 'review')), created timestamptz DEFAULT now());",
            f"ALTER TYPE state_{n} ADD VALUE 'c' AFTER 'b';",
            f"CREATE INDEX sql_table_{n}_status ON sql_table_{n} (status) WHERE status <> 'draft';",
            f"COMMENT ON TABLE sql_table_{n} IS 'generated table {n}';",
        ]
        (flyway / f"V{n}__table_{n}.sql").write_text("\n".join(body) + "\n")
    versions = root / "alembic" / "versions"
    versions.mkdir(parents=True)
    (root / "alembic.ini").write_text("[alembic]\nscript_location = %(here)s/alembic\n")
    (root / "alembic" / "env.py").write_text("")
    previous = None
    for n in range(1, alembic + 1):
        revision = f"{n:012x}"
        statuses = ", ".join(repr(m) for m in ENUM_MEMBERS[:3])
        (versions / f"{revision}_rev_{n}.py").write_text(
            f'"""revision {n}"""\nimport sqlalchemy as sa\nfrom alembic import op\n\n'
            f"revision = {revision!r}\ndown_revision = {previous!r}\n\n\n"
            "def upgrade():\n"
            f"    op.create_table(\n        'alembic_table_{n}',\n"
            "        sa.Column('id', sa.Integer(), primary_key=True),\n"
            f"        sa.Column('status', sa.String(20), nullable=False),\n"
            f"        sa.CheckConstraint(\"status IN ({statuses})\", name='ck_alembic_table_{n}_status'),\n"
            "    )\n"
            f"    op.execute(\"COMMENT ON TABLE alembic_table_{n} IS 'generated'\")\n\n\n"
            f"def downgrade():\n    op.drop_table('alembic_table_{n}')\n"
        )
        previous = revision
    app = root / "app"
    app.mkdir()
    (app / "__init__.py").write_text("")
    (app / "enums.py").write_text(
        "import enum\n\n\nclass Status(str, enum.Enum):\n"
        + "".join(f"    {m.upper()} = {m!r}\n" for m in ENUM_MEMBERS)
    )
    per_file = max(1, alembic // max(models, 1))
    planted = 0
    for n in range(models):
        lines = [
            "import sqlalchemy as sa",
            "from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column",
            "from app.enums import Status",
            "",
            "",
            "class Base(DeclarativeBase):",
            "    pass",
        ]
        for k in range(per_file):
            table = n * per_file + k + 1
            if table > alembic:
                break
            planted += 1
            lines += [
                "",
                "",
                f"class Model{table}(Base):",
                f"    __tablename__ = 'alembic_table_{table}'",
                "    id: Mapped[int] = mapped_column(primary_key=True)",
                "    status: Mapped[Status] = mapped_column(",
                "        sa.Enum(Status, native_enum=False, values_callable=lambda e: [m.value for m in e])",
                "    )",
            ]
        (app / f"models_{n}.py").write_text("\n".join(lines) + "\n")
    return planted


# -- a Medusa v2 application in TypeScript ------------------------------------------------------

TS_STATUSES = ("draft", "review", "published")
TS_KINDS = ("alpha", "beta")
TS_MODELS_PER_MODULE = 10
TS_PLANTED = (0, 7)  # models n with n % 10 in here write a status their CHECK lacks (SL103)
TS_DECORATOR_EVERY = 5  # every 5th model is a MikroORM decorator entity instead of DML
_TS_MIGRATION_BASE = 20240101000000

_TS_PACKAGE_JSON = """{
  "name": "bench-shop",
  "private": true,
  "dependencies": {
    "@medusajs/framework": "2.8.0",
    "@medusajs/medusa": "2.8.0",
    "@mikro-orm/core": "6.4.3",
    "@mikro-orm/migrations": "6.4.3",
    "@mikro-orm/postgresql": "6.4.3"
  }
}
"""
_TS_CONSTANTS = (
    "export const STATUSES = [" + ", ".join(f'"{v}"' for v in TS_STATUSES) + "] as const\n\n"
    "export enum Kind {\n" + "".join(f'  {v.capitalize()} = "{v}",\n' for v in TS_KINDS) + "}\n"
)
_TS_JOB = (
    'import type { MedusaContainer } from "@medusajs/framework/types"\n\n'
    "export default async function cleanup(container: MedusaContainer) {\n"
    '  container.resolve("logger").info("cleanup")\n}\n\n'
    'export const config = { name: "bench-cleanup", schedule: "0 3 * * *" }\n'
)
_TS_JOB_HELPER = "export const RETRY = { attempts: 3, backoff: 1000 }\n"


def _ts_in(values: tuple[str, ...]) -> str:
    return ", ".join(f"'{v}'" for v in values)


def _ts_dml_model(n: int, planted: bool) -> str:
    statuses = '[...STATUSES, "archived"]' if planted else "STATUSES"
    return (
        'import { model } from "@medusajs/framework/utils"\n'
        'import { Kind, STATUSES } from "../constants"\n\n'
        f"export const Bench{n} = model\n"
        f'  .define("bench_{n}", {{\n'
        "    id: model.id().primaryKey(),\n"
        "    title: model.text(),\n"
        f'    status: model.enum({statuses}).default("draft"),\n'
        "    kind: model\n      .enum(Kind)\n      .nullable(),\n"
        "  })\n"
        '  .indexes([{ on: ["status"] }])\n'
    )


def _ts_decorator_model(n: int, planted: bool) -> str:
    statuses = ", ".join(f'"{v}"' for v in (*TS_STATUSES, "archived") if planted or v != "archived")
    return (
        'import { Entity, Enum, PrimaryKey, Property } from "@mikro-orm/core"\n'
        'import { Kind } from "../constants"\n\n'
        f'const tableName = "bench_{n}"\n\n'
        "@Entity({ tableName })\n"
        f"export class Bench{n} {{\n"
        '  @PrimaryKey({ columnType: "text" })\n  id!: string\n\n'
        "  @Property()\n  title!: string\n\n"
        f'  @Enum({{ items: [{statuses}], default: "draft" }})\n  status!: string\n\n'
        "  @Enum({ items: () => Kind, nullable: true })\n  kind?: Kind\n}\n"
    )


def _ts_migration(name: str, body: list[str], extra: str = "") -> str:
    lines = "".join(f"    {line}\n" for line in body)
    return (
        'import { Migration } from "@mikro-orm/migrations"\n\n'
        f"export class {name} extends Migration {{\n"
        f"{extra}"
        f"  async up(): Promise<void> {{\n{lines}  }}\n\n"
        "  async down(): Promise<void> {}\n}\n"
    )


def _ts_create(n: int) -> str:
    return (
        f'create table if not exists "bench_{n}" ("id" text not null, "title" text not null, '
        f'"status" text check ("status" in ({_ts_in(TS_STATUSES)})) not null default \'draft\', '
        f'"kind" text check ("kind" in ({_ts_in(TS_KINDS)})) null, '
        f'constraint "bench_{n}_pkey" primary key ("id"));'
    )


def _ts_followup(kind: int, name: str, n: int, j: int) -> tuple[list[str], str]:
    """The ``up()`` body (and class members) of a later migration touching table ``bench_n``."""
    table = f"bench_{n}"
    if kind == 0:  # MikroORM 6's generated rebuild of a CHECK, same values
        return [
            f'this.addSql(`alter table if exists "{table}" drop constraint if exists "{table}_status_check";`)',
            f'this.addSql(`alter table if exists "{table}" add constraint "{table}_status_check" '
            f'check("status" in ({_ts_in(TS_STATUSES)}));`)',
        ], ""
    if kind == 1:  # a helper method building the CHECK from a static list with map/join
        return [
            f'this.addSql(`alter table "{table}" drop constraint if exists "{table}_kind_check";`)',
            f'this.addSql(this.kindCheck("{table}"))',
        ], (
            f"  static readonly KINDS = [{', '.join(repr(v) for v in TS_KINDS)}]\n\n"
            "  private kindCheck(table: string): string {\n"
            f"    const listed = {name}.KINDS.map((k) => `'${{k}}'`).join(\", \")\n"
            '    return `alter table "${table}" add constraint "${table}_kind_check" check ("kind" in (${listed}));`\n'
            "  }\n\n"
        )
    if kind == 2:  # a native enum created in a DO block, then extended (no model uses it)
        return [
            "this.addSql(`DO $$ BEGIN\n"
            f"      IF NOT EXISTS (SELECT 1 FROM pg_type WHERE typname = 'bench_tone_{j}') THEN\n"
            f"        CREATE TYPE bench_tone_{j} AS ENUM ('warm', 'cold');\n"
            "      END IF;\n    END$$;\n"
            f"    ALTER TYPE bench_tone_{j} ADD VALUE IF NOT EXISTS 'neutral';`)",
        ], ""
    # kind 3: a run-time probe whose two arms agree, and a new column
    return [
        f"const found = await this.execute(`select 1 from information_schema.tables where table_name = '{table}'`)",
        "if (found.length) {",
        f'  this.addSql(`create index if not exists "IDX_{table}_{j}" on "{table}" ("title");`)',
        "} else {",
        f'  this.addSql(`create index if not exists "IDX_{table}_{j}" on "{table}" ("title");`)',
        "}",
        f'this.addSql(`alter table if exists "{table}" add column if not exists "note_{j}" text null;`)',
    ], ""


def generate_ts(root: Path, migrations: int, models: int) -> dict[str, int]:
    """Write a Medusa v2 application with planted drift; return the findings it must produce.

    Modules of ten models each under ``src/modules/<m>/{models,migrations}``: DML models (every
    fifth a MikroORM decorator entity) over enums from a module's ``constants.ts``, and MikroORM
    migrations (the first creates the module's tables in one multi-statement template, the rest
    rebuild CHECKs, run helpers, DO blocks and branches). Two models in ten (one DML, one
    decorator entity) write a status their CHECK lacks (SL103), and a helper module sits in
    ``src/jobs/`` (SL501).
    """
    (root / "package.json").write_text(_TS_PACKAGE_JSON)
    (root / "medusa-config.ts").write_text(
        'import { defineConfig } from "@medusajs/framework/utils"\n\n'
        "module.exports = defineConfig({ projectConfig: { databaseUrl: process.env.DATABASE_URL } })\n"
    )
    jobs = root / "src" / "jobs"
    jobs.mkdir(parents=True)
    (jobs / "cleanup.ts").write_text(_TS_JOB)
    (jobs / "retry-config.ts").write_text(_TS_JOB_HELPER)
    modules = max(1, -(-models // TS_MODELS_PER_MODULE))
    per_module = max(1, migrations // modules)
    planted = 0
    for m in range(modules):
        module = root / "src" / "modules" / f"catalog-{m}"
        (module / "models").mkdir(parents=True)
        (module / "migrations").mkdir()
        (module / "constants.ts").write_text(_TS_CONSTANTS)
        tables = [
            n for n in range(m * TS_MODELS_PER_MODULE + 1, min(models, (m + 1) * TS_MODELS_PER_MODULE) + 1)
        ]
        for n in tables:
            plant = n % 10 in TS_PLANTED
            planted += plant
            writer = _ts_decorator_model if n % TS_DECORATOR_EVERY == 0 else _ts_dml_model
            (module / "models" / f"bench-{n}.ts").write_text(writer(n, plant))
        stamp = _TS_MIGRATION_BASE + m * 100_000
        create = "\n".join(_ts_create(n) for n in tables) or "select 1;"
        first = _ts_migration(f"Migration{stamp}", [f"this.addSql(`\n{create}\n`)"])
        (module / "migrations" / f"Migration{stamp}.ts").write_text(first)
        for j in range(1, per_module):
            name = f"Migration{stamp + j}"
            n = tables[j % len(tables)] if tables else 0
            body, extra = _ts_followup(j % 4, name, n, j) if tables else (["this.addSql(`select 1;`)"], "")
            (module / "migrations" / f"{name}.ts").write_text(_ts_migration(name, body, extra))
    return {"SL103": planted, "SL501": 1}


def timed(cmd: list[str], repeat: int) -> tuple[float, str]:
    times = []
    out = ""
    for _ in range(repeat):
        start = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, text=True)
        times.append(time.perf_counter() - start)
        if proc.returncode not in (0, 1):
            raise SystemExit(f"schemalint failed ({proc.returncode}): {proc.stderr}")
        out = proc.stdout
    return statistics.median(times), out


def phase_shares(root: Path) -> dict[str, float]:
    """Seconds spent in discovery, extraction (and tree-sitter's parser within it) and the rest,
    measured in this process, without the cache and in one worker so every parse is counted."""
    from schemalint import runner
    from schemalint.cli import run_check
    from schemalint.extract import tsparse

    parsing = [0.0]
    real_parser = tsparse._parser

    class TimedParser:
        def __init__(self, parser: Any) -> None:
            self.parser = parser

        def parse(self, source: bytes) -> Any:
            start = time.perf_counter()
            try:
                return self.parser.parse(source)
            finally:
                parsing[0] += time.perf_counter() - start

    spent: dict[str, float] = {}

    def timing(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                spent[name] = spent.get(name, 0.0) + time.perf_counter() - start

        return wrapper

    import schemalint.discovery

    saved = (runner.PARALLEL_THRESHOLD, runner.extract_all, schemalint.discovery.discover, tsparse._parser)
    runner.PARALLEL_THRESHOLD = sys.maxsize
    runner.extract_all = timing("extract", runner.extract_all)  # type: ignore[assignment]
    schemalint.discovery.discover = timing("discover", schemalint.discovery.discover)  # type: ignore[assignment]
    tsparse._parser = lambda tsx: TimedParser(real_parser(tsx))  # type: ignore[assignment]
    try:
        start = time.perf_counter()
        run_check([root], use_cache=False)
        total = time.perf_counter() - start
    finally:
        runner.PARALLEL_THRESHOLD, runner.extract_all, schemalint.discovery.discover, tsparse._parser = saved
    return {"total": total, **spent, "tree-sitter parse": parsing[0]}


def measure(root: Path, planted: dict[str, int] | None, repeat: int, label: str) -> None:
    """Time one project cold and warm, print its findings by rule, and check the planted ones."""
    base = [sys.executable, "-m", "schemalint", "check", str(root), "--format", "json"]
    cold, out = timed([*base, "--no-cache"], repeat)
    findings = json.loads(out)
    shutil.rmtree(root / ".schemalint_cache", ignore_errors=True)
    first, _ = timed(base, 1)  # fills the cache
    warm, _ = timed(base, repeat)
    shutil.rmtree(root / ".schemalint_cache", ignore_errors=True)
    suffixes = (".sql", ".py", ".ts", ".tsx", ".js")
    files = sum(1 for p in root.rglob("*") if p.suffix in suffixes)
    print(f"{label}: {root} ({files} source files)")
    print(f"  no cache:          {cold * 1000:8.0f} ms")
    print(f"  cold (fill cache): {first * 1000:8.0f} ms")
    print(f"  warm (cache):      {warm * 1000:8.0f} ms")
    shares = phase_shares(root)
    total = shares.pop("total")
    print(f"  in-process, one worker, no cache: {total * 1000:.0f} ms, of which")
    for name, seconds in shares.items():
        print(f"    {name:18} {seconds * 1000:8.0f} ms ({seconds / total:5.1%})")
    by_code: dict[str, int] = {}
    for f in findings:
        by_code[f["code"]] = by_code.get(f["code"], 0) + 1
    print("  findings:", json.dumps(by_code, sort_keys=True))
    for code, count in (planted or {}).items():
        if by_code.get(code, 0) != count:
            raise SystemExit(f"{label}: expected {count} planted {code} findings, got {by_code.get(code, 0)}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sql", type=int, default=400)
    parser.add_argument("--alembic", type=int, default=200)
    parser.add_argument("--models", type=int, default=60)
    parser.add_argument(
        "--ts-migrations", type=int, default=300, help="MikroORM migrations (0: no TS project)"
    )
    parser.add_argument("--ts-models", type=int, default=100, help="Medusa DML / MikroORM models")
    parser.add_argument("--path", type=Path, help="benchmark an existing project instead")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    if args.path:
        measure(args.path.resolve(), None, args.repeat, "project")
        return
    tmp = Path(tempfile.mkdtemp(prefix="schemalint-bench-"))
    try:
        if args.sql or args.alembic or args.models:
            root = tmp / "python"
            root.mkdir()
            planted = generate(root, args.sql, args.alembic, args.models)
            measure(root, {"SL103": planted}, args.repeat, "python and sql")
        if args.ts_migrations or args.ts_models:
            root = tmp / "medusa"
            root.mkdir()
            measure(root, generate_ts(root, args.ts_migrations, args.ts_models), args.repeat, "typescript")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
