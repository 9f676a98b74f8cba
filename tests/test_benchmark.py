"""The benchmark's generated project stays valid: it parses cleanly and yields its planted findings."""

from __future__ import annotations

from pathlib import Path

from benchmarks.bench import generate
from schemalint.cli import run_check


def test_generated_benchmark_project_yields_exactly_the_planted_findings(tmp_path: Path) -> None:
    planted = generate(tmp_path, sql=5, alembic=6, models=2)
    result = run_check([tmp_path], use_cache=False)
    codes = [f.code for f in result.findings]
    assert codes.count("SL103") == planted == 6
    assert set(codes) == {"SL103"}, [f.message for f in result.findings if f.code != "SL103"]
