"""Benchmark: time schemalint on a generated project (or on --path) cold, warm and after one edit.

    python benchmarks/bench.py                       # 400 SQL migrations, 200 revisions, 60 model files
    python benchmarks/bench.py --sql 50 --alembic 20 --models 10
    python benchmarks/bench.py --path /some/real/repository

Speed targets live here, not in timed tests: the machine CI runs on is shared and noisy. Each
phase is run ``--repeat`` times in a fresh process and the median wall time is reported.
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
from pathlib import Path

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


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sql", type=int, default=400)
    parser.add_argument("--alembic", type=int, default=200)
    parser.add_argument("--models", type=int, default=60)
    parser.add_argument("--path", type=Path, help="benchmark an existing project instead")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="schemalint-bench-"))
    try:
        planted = None
        if args.path:
            root = args.path.resolve()
        else:
            root = tmp / "project"
            root.mkdir()
            planted = generate(root, args.sql, args.alembic, args.models)
        base = [sys.executable, "-m", "schemalint", "check", str(root), "--format", "json"]
        cold, out = timed([*base, "--no-cache"], args.repeat)
        findings = json.loads(out)
        shutil.rmtree(root / ".schemalint_cache", ignore_errors=True)
        timed(base, 1)  # fill the cache
        warm, _ = timed(base, args.repeat)
        files = sum(1 for p in root.rglob("*") if p.suffix in (".sql", ".py"))
        print(f"project: {root} ({files} .sql/.py files)")
        print(f"cold (no cache): {cold * 1000:8.0f} ms")
        print(f"warm (cache):    {warm * 1000:8.0f} ms")
        by_code: dict[str, int] = {}
        for f in findings:
            by_code[f["code"]] = by_code.get(f["code"], 0) + 1
        print("findings:", json.dumps(by_code, sort_keys=True))
        if planted is not None and by_code.get("SL103", 0) != planted:
            raise SystemExit(f"expected {planted} planted SL103 findings, got {by_code.get('SL103', 0)}")
    finally:
        if not args.path:
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            shutil.rmtree(args.path / ".schemalint_cache", ignore_errors=True)


if __name__ == "__main__":
    main()
