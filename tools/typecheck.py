"""Run ``mypy --strict`` on ``linter/`` and ``rules/`` under their import name ``schemalint``.

mypy names modules after directories, and the source tree maps ``linter/`` to ``schemalint`` and
``rules/`` to ``schemalint.rules``. This script lays out that package as symlinks in
``.build/typecheck`` and maps the paths in mypy's output back to the source tree.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    stage = ROOT / ".build" / "typecheck"
    package = stage / "schemalint"
    shutil.rmtree(stage, ignore_errors=True)
    package.mkdir(parents=True)
    for entry in (ROOT / "linter").iterdir():
        if entry.name != "__pycache__":
            os.symlink(entry, package / entry.name)
    os.symlink(ROOT / "rules", package / "rules")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--cache-dir",
            str(ROOT / ".build" / "mypy-cache"),
            "schemalint",
        ],
        cwd=stage,
        capture_output=True,
        text=True,
    )
    out = (proc.stdout + proc.stderr).replace("schemalint/rules/", "rules/").replace("schemalint/", "linter/")
    sys.stdout.write(out)
    return proc.returncode


if __name__ == "__main__":
    sys.exit(main())
