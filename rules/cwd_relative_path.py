"""SL402: a path is built from the process working directory and literals."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING

from schemalint.findings import Finding, FindingData
from schemalint.pathfacts import is_test_location
from schemalint.rule import Example, Rule

if TYPE_CHECKING:
    from schemalint.runner import RuleContext

_HELP: Mapping[str, str] = {
    "python": "anchor the path on this file: `Path(__file__).resolve().parent / ...`",
    "javascript": 'anchor the path on this file: `path.join(__dirname, ...)` or `new URL("./...", '
    "import.meta.url)` in an ES module",
}


# What a path joined onto the working directory names first, when the working directory is the
# project root by convention: dotenv files (dotenv's own default is the working directory),
# package.json and node_modules, dot-folders (`.medusa`, `.cache`), build output, the public and
# upload folders a server is started next to.
PROJECT_ROOT_ENTRIES = re.compile(
    r"^(?:\..*|package\.json|node_modules|tsconfig[\w.-]*\.json|pyproject\.toml|dist|build|out"
    r"|coverage|tmp|public|static|uploads?)$"
)
# Command-line tools work on the project they are started in: the working directory is the input.
_CLI_FOLDER = re.compile(r"^(?:bin|cli|commands?|[\w.-]+-cli)$")
_FIRST_PART = re.compile(
    r"""cwd\(\)(?:\}/?(?P<template>[^/`$]*)|\s*[),+/]\s*[^"'`]*?["'`](?:\./|/)?(?P<part>[^"'`/\\]*))"""
)


def _project_root_by_convention(expression: str) -> bool:
    first = _FIRST_PART.search(expression)
    if first is None:
        return False
    part = first["part"] if first["part"] is not None else first["template"]
    return PROJECT_ROOT_ENTRIES.match(part or "") is not None


def _in_cli(path: str) -> bool:
    return any(_CLI_FOLDER.match(folder) for folder in path.split("/")[:-1])


class CwdRelativePath(Rule):
    """A path is built from the process working directory and literals.

    ## What it does
    Reports paths that join the working directory of the process with literal parts:
    `path.join(process.cwd(), "assets")`, `path.resolve(process.cwd(), ...)`,
    `` `${process.cwd()}/x` ``, `process.cwd() + "/x"` in TypeScript and JavaScript;
    `os.path.join(os.getcwd(), ...)`, `Path.cwd() / "x"`, `Path(os.getcwd()) / ...`,
    `os.getcwd() + "/x"` and `f"{os.getcwd()}/x"` in Python. A path that joins the working
    directory with a variable only (a file name the user typed on the command line) is the point
    of the working directory and is not reported, nor is `process.cwd()` on its own.

    Where the working directory is the project root by convention, nothing is reported: a path
    that starts with a dotenv file or another dot-file or dot-folder, `package.json`,
    `node_modules`, build output (`dist`, `build`), `public`, `static` or `uploads`, and code
    of command-line tools (under `bin/`, `cli/`, `commands/`, `*-cli/`), which work on the
    project they are started in. In tests, mocks and fixtures, only paths that reach the
    filesystem (`open(...)`, `.read_text()`, `sys.path`) or are assigned to a constant are
    reported: an expected value that mirrors the code under test is not a path in use.

    ## Why is this bad?
    The working directory is wherever the process was started from, not where the code lives.
    The path works when the program is started from the project root and breaks when a test
    runner, a monorepo script (`pnpm --filter`), a service manager or an IDE starts it from
    another folder: templates or migrations are not found, or files are written in the wrong
    place.

    ## Use instead
    Anchor the path on the file that uses it: `Path(__file__).resolve().parent` in Python,
    `__dirname` or `import.meta.url` in JavaScript.
    """

    code = "SL402"
    severity = "warning"
    tags = ("portability", "paths")
    invalid = (
        Example(
            {
                "app/assets.py": (
                    "import os\n"
                    "from pathlib import Path\n\n"
                    'TEMPLATES = os.path.join(os.getcwd(), "app", "templates")  # expect: SL402\n'
                    'EXPORTS = Path.cwd() / "data" / "exports"  # expect: SL402\n'
                ),
                "src/render.ts": (
                    'import path from "node:path";\n\n'
                    'export const templates = path.join(process.cwd(), "src", "templates");  // expect: SL402\n'
                ),
            }
        ),
    )
    valid = (
        Example(
            {
                "app/assets.py": (
                    "import os\n"
                    "from pathlib import Path\n\n"
                    'TEMPLATES = Path(__file__).resolve().parent / "templates"\n'
                    "def user_file(name: str) -> str:\n"
                    "    return os.path.join(os.getcwd(), name)  # what the user typed, relative to where they are\n"
                ),
                "src/render.ts": (
                    'import path from "node:path";\n\n'
                    'export const templates = path.join(__dirname, "templates");\n'
                    "export const root = process.cwd();\n"
                ),
            }
        ),
    )

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for facts in ctx.path_facts:
            in_tests = is_test_location(facts.path)
            for path in facts.cwd_paths:
                if in_tests and not path.usage:
                    continue  # an expected value mirroring the code under test, not a path used
                if _project_root_by_convention(path.expression) or _in_cli(facts.path):
                    continue
                yield self.finding(
                    path.span,
                    f"`{path.expression}` is relative to the directory the process is started from "
                    f"(`{path.cwd}`), not to this file; started from another folder it points elsewhere",
                    help=_HELP.get(path.language, _HELP["python"]),
                    data=FindingData(rule_data=(("expression", path.expression), ("cwd", path.cwd))),
                )
