"""SL401: a string in code, scripts or configuration is an absolute path on one machine."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING

from schemalint.findings import Finding, FindingData
from schemalint.pathfacts import MachinePath, is_test_location
from schemalint.rule import Example, Rule

if TYPE_CHECKING:
    from schemalint.runner import RuleContext

# What to write instead, by the kind of file the path is in.
_HELP: Mapping[str, str] = {
    "python": "build the path from this file's location (`Path(__file__).resolve().parent / ...`), "
    "or read it from an environment variable or a setting",
    "javascript": "build the path from this file's location (`path.join(__dirname, ...)`, "
    '`new URL("./...", import.meta.url)`), or read it from an environment variable',
    "shell": 'build the path from the script\'s location (`"$(dirname "$0")/..."`) or from `$HOME`, '
    "or read it from an environment variable",
    "config": "make the path relative to the project, or set it per machine in a git-ignored file "
    "(`.env.local`) or an environment variable",
    "env": "keep machine-specific values in a git-ignored file (`.env.local`); committed env files "
    "should hold values that work on every machine",
}


class HardcodedAbsolutePath(Rule):
    """A string in code, scripts or configuration is an absolute path on one machine.

    ## What it does
    Reports string literals and configuration values that are absolute paths under a folder
    that exists on one machine only: a user's home folder (`/home/<user>/...`,
    `/Users/<user>/...`, `C:\\Users\\<user>\\...`) or root's (`/root/...`). The prefixes are the
    `machine-path-prefixes` setting; `/tmp`, system paths (`/etc/ssl/certs`, `/usr/...`),
    `~/...` and URLs (`https://example.com/home/x`) are never reported.

    Read: Python (string literals and f-strings, through `ast`), TypeScript and JavaScript
    (strings and template literals, through tree-sitter), shell scripts (`*.sh`, `*.bash`, files
    with a `sh`/`bash` shebang), the values (not the keys) of JSON, YAML, TOML and INI files, and
    committed `.env*` files. Comments, docstrings (a string that is a statement of its own is
    documentation), Markdown and git-ignored files are not read: a git-ignored `.env` is where a
    machine's own paths belong. Test files are read: a test that only passes on its author's
    machine is the bug. There (tests, mocks, fixtures) a path is reported when it is the test's
    own setup: given to the filesystem, the import system or a process (`sys.path.insert`,
    `open`, `.read_text()`, `require`, `import`), or assigned to a top-level or ALL_CAPS
    constant. A path that a test merely passes to the code under test or compares with a result
    (`describe_path("/home/reporter/x")`) is test data, as are JSON and YAML files there.

    Paths whose user folder is a placeholder (`/home/user/...`, `/Users/me/...`,
    `/Users/user.name/...`) or the fixed account of a container image or CI runner
    (`/home/node/app`, `/home/runner/work`) are not specific to one machine, and a path inside
    another scheme's namespace (`dbfs:/home/x`) is not on this machine: neither is reported.

    ## Why is this bad?
    The path exists on the machine of whoever wrote it. Everywhere else (a colleague's laptop,
    CI, a container) the file is not found, or worse, a different file is: a test helper that
    puts `/home/ken/api-gateway/src` on `sys.path` imports stale code on the one machine where
    the folder exists and fails everywhere else.

    ## Use instead
    Build paths from the file's own location (`Path(__file__).parent`, `__dirname`,
    `import.meta.url`), or read machine-specific locations from an environment variable.

    ## Options
    `machine-path-prefixes` (default `["/home/", "/Users/", "C:\\\\Users\\\\", "/root/"]`): the folders
    whose contents are specific to one machine.
    """

    code = "SL401"
    severity = "warning"
    tags = ("portability", "paths")
    invalid = (
        Example(
            {
                "tests/helpers.py": (
                    'import sys\n\nsys.path.insert(0, "/home/ken/api-gateway/src")  # expect: SL401\n'
                ),
                "scripts/backup-database.sh": (
                    "#!/bin/sh\n"
                    "# Dump the development database before running the tests.\n"
                    "cd /Users/simon/Dev/shop && pg_dump shop > backups/shop.sql  # expect: SL401\n"
                ),
                "src/render.ts": 'export const fonts = "/Users/simon/Library/Fonts";  // expect: SL401\n',
            }
        ),
    )
    valid = (
        Example(
            {
                "tests/helpers.py": (
                    '"""Was /home/ken/api-gateway/src; now relative to this file."""\n'
                    "import sys\n"
                    "from pathlib import Path\n\n"
                    "# not sys.path.insert(0, '/home/ken/api-gateway/src')\n"
                    'sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))\n'
                    'CACHE = "/tmp/api-gateway"\n'
                    'CA_BUNDLE = "/etc/ssl/certs/ca-certificates.crt"\n'
                    'DOCS = "https://example.com/home/getting-started"\n'
                    'CONFIG = "~/.config/api-gateway"\n'
                    'EXAMPLE = "/home/user/project"  # a placeholder user, as in documentation\n'
                ),
                "README.md": "Clone into `/home/ken/api-gateway` and run `make`.\n",
            }
        ),
    )

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for facts in ctx.path_facts:
            in_tests = is_test_location(facts.path)
            for path in facts.machine_paths:
                # In tests, a path that code only passes around is test data (an input to the
                # path handling under test, an expected value); one given to the filesystem,
                # the import system or a constant is the test's own setup.
                if in_tests and path.usage in ("", "config"):
                    continue
                yield self._finding(path, facts.kind)
        for env in ctx.env_files:
            if not env.gitignored:
                for path in env.machine_paths:
                    yield self._finding(path, "env")

    def _finding(self, path: MachinePath, kind: str) -> Finding:
        return self.finding(
            path.span,
            f"`{path.text}` is an absolute path under `{path.prefix}`, which exists on one machine "
            "only; elsewhere (another developer, CI, a container) it is missing or different",
            help=_HELP.get(kind, _HELP["config"]),
            data=FindingData(rule_data=(("path", path.text), ("prefix", path.prefix))),
        )
