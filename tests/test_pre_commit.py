"""The pre-commit hooks of .pre-commit-hooks.yaml, run by ``pre-commit try-repo`` on a fixture repository.

pre-commit pip-installs schemalint from a git repository into its own virtualenv. The test
copies the package's current sources (committed or not) into a temporary git repository, so it
checks the working tree in CI's fresh clone and on a developer's machine alike. The install
takes most of the test's time; both hooks share it (``PRE_COMMIT_HOME`` is per test module).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("pre_commit")

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "pre-commit-repo" / "project"
# What `pip install .` needs to build schemalint.
PACKAGE_FILES = ("pyproject.toml", "README.md", ".pre-commit-hooks.yaml", "linter", "rules")
GIT_IDENTITY = {
    "GIT_AUTHOR_NAME": "schemalint tests",
    "GIT_AUTHOR_EMAIL": "tests@example.invalid",
    "GIT_COMMITTER_NAME": "schemalint tests",
    "GIT_COMMITTER_EMAIL": "tests@example.invalid",
}

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def _git_repo(path: Path, env: dict[str, str]) -> None:
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "--no-verify", "-m", "fixture"]):
        subprocess.run(["git", *args], cwd=path, env=env, check=True, capture_output=True)


@pytest.fixture(scope="module")
def environment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    env = {
        **os.environ,
        **GIT_IDENTITY,
        "PRE_COMMIT_HOME": str(tmp_path_factory.mktemp("pre-commit-home")),
        "PRE_COMMIT_COLOR": "never",
        "NO_COLOR": "1",
    }
    env.pop("PRE_COMMIT", None)
    yield env


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory, environment: dict[str, str]) -> Path:
    repo = tmp_path_factory.mktemp("schemalint-hooks")
    for name in PACKAGE_FILES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, repo / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(source, repo / name)
    _git_repo(repo, environment)
    return repo


@pytest.fixture
def project(tmp_path: Path, environment: dict[str, str]) -> Path:
    repo = tmp_path / "project"
    shutil.copytree(FIXTURE, repo)
    _git_repo(repo, environment)
    return repo


def try_repo(hook_repo: Path, project: Path, env: dict[str, str], hook: str, *args: str) -> tuple[int, str]:
    proc = subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(hook_repo), hook, "--verbose", *args],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    return proc.returncode, proc.stdout + proc.stderr


def test_pre_commit_hooks_report_the_project_and_the_changed_files(
    hook_repo: Path, project: Path, environment: dict[str, str]
) -> None:
    # The whole-project hook runs when a matching file changed, and reports every finding.
    code, output = try_repo(hook_repo, project, environment, "schemalint", "--files", "app/helpers.py")
    assert code == 1, output
    assert "app/models.py:21:14: SL101 [enum-value-drift]" in output

    # The changed-files hook reports the finding for the model file it is located in...
    code, output = try_repo(hook_repo, project, environment, "schemalint-changed", "--files", "app/models.py")
    assert code == 1, output
    assert "SL101" in output

    # ...and for the migration holding its related location, which the graphs need anyway...
    code, output = try_repo(
        hook_repo, project, environment, "schemalint-changed", "--files", "migrations/V1__init.sql"
    )
    assert code == 1, output
    assert "app/models.py:21:14: SL101" in output

    # ...but not for a file the finding does not touch, although the graphs are the same.
    code, output = try_repo(
        hook_repo, project, environment, "schemalint-changed", "--files", "app/helpers.py"
    )
    assert code == 0, output
    assert "SL101" not in output

    # A file the `files` pattern does not cover does not run the hooks at all.
    (project / "notes.md").write_text("# notes\n")
    code, output = try_repo(hook_repo, project, environment, "schemalint", "--files", "notes.md")
    assert code == 0 and "(no files to check)Skipped" in output.replace(".", ""), output
