"""SL403: the tests' environment file is empty or lacks variables the example defines."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from schemalint.facts import Span
from schemalint.findings import Finding, FindingData, Related
from schemalint.pathfacts import EnvFileFacts
from schemalint.rule import Example, Rule

if TYPE_CHECKING:
    from schemalint.runner import RuleContext

TEST_ENV_FILES = frozenset({".env.test", ".env.testing"})
# The file that says which variables the application needs, first found wins; `.env` only when
# the project has no example.
REFERENCE_ENV_FILES = (".env.example", ".env.sample", ".env.template", ".env.dist", ".env")
# Loaders that read `.env` first and `.env.test` over it (Next.js, Vite/Vitest, dotenv-flow):
# there a key defined in `.env` is not missing from the tests.
LAYERING_FRAMEWORKS = frozenset({"nextjs", "vite", "dotenv-flow"})
_SHOWN = 12

_EXAMPLE = (
    "DATABASE_URL=postgres://postgres:postgres@localhost:5432/shop\n"
    "REDIS_URL=redis://localhost:6379\n"
    "JWT_SECRET=change-me\n"
)


class EnvFileMissingKeys(Rule):
    """The tests' environment file is empty or lacks variables the example defines.

    ## What it does
    Compares `.env.test` and `.env.testing` with `.env.example` (or `.env.sample`,
    `.env.template`, `.env.dist`; `.env` when the project has none of them) in the same folder,
    and reports a test file that is empty or lacks variables the reference defines. Only names are
    compared and printed, never values.

    Git-ignored env files are read: a `.env.test` that exists only on a developer's machine is
    still what the tests load there, and reporting it is the point (in a CI checkout it is
    absent and nothing is reported). When the project uses a loader that reads `.env` under
    `.env.test` (Next.js, Vite/Vitest, dotenv-flow), variables that `.env` defines are not
    missing.

    ## Why is this bad?
    A test run that loads an incomplete environment fails on the first missing variable
    (`DATABASE_URL is not defined`) or silently takes a default, and the usual "fix" is to copy
    the development file wholesale, development database URL and all (see SL404).

    ## Use instead
    Give `.env.test` every variable `.env.example` lists, with values for tests: a separate
    database, fake credentials.
    """

    code = "SL403"
    severity = "warning"
    tags = ("tests", "environment")
    invalid = (
        Example(
            {".env.example": _EXAMPLE, ".env.test": "# Test environment  expect: SL403\n"},
            title="an empty `.env.test`",
        ),
        Example(
            {
                ".env.example": _EXAMPLE,
                ".env.test": "DATABASE_URL=postgres://postgres:postgres@localhost:5432/shop_test  # expect: SL403\n",
            },
            title="a `.env.test` without `REDIS_URL` and `JWT_SECRET`",
        ),
    )
    valid = (
        Example(
            {
                ".env.example": _EXAMPLE,
                ".env.test": (
                    "DATABASE_URL=postgres://postgres:postgres@localhost:5432/shop_test\n"
                    "REDIS_URL=redis://localhost:6379/1\n"
                    "JWT_SECRET=test-secret\n"
                ),
            }
        ),
    )

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        by_path = {env.path: env for env in ctx.env_files}
        layered = bool(LAYERING_FRAMEWORKS & ctx.frameworks)
        for env in ctx.env_files:
            if env.name.lower() not in TEST_ENV_FILES:
                continue
            reference = _first(by_path, env.directory, REFERENCE_ENV_FILES)
            defined = {entry.key for entry in env.entries}
            base = by_path.get(_join(env.directory, ".env"))
            if layered and base is not None:
                defined |= {entry.key for entry in base.entries}
            wanted = reference.entries if reference is not None else ()
            missing = list(dict.fromkeys(entry.key for entry in wanted if entry.key not in defined))
            if missing or not (env.entries or (layered and base is not None)):
                yield self._finding(env, reference, missing)

    def _finding(self, env: EnvFileFacts, reference: EnvFileFacts | None, missing: Sequence[str]) -> Finding:
        names = ", ".join(f"`{key}`" for key in missing[:_SHOWN])
        if len(missing) > _SHOWN:
            names += f" and {len(missing) - _SHOWN} more"
        related: list[Related] = []
        if reference is not None and missing:
            message = (
                f"`{env.name}` is empty; tests that load it get none of the {len(missing)} variables "
                f"`{reference.name}` defines ({names})"
                if not env.entries
                else f"`{env.name}` lacks {len(missing)} of the variables `{reference.name}` defines: {names}"
            )
            first = reference.get(missing[0])
            if first is not None:
                related.append(Related(first.span, f"`{reference.name}` defines `{missing[0]}` here"))
        else:
            message = f"`{env.name}` is empty: tests that load it get no variables from it"
        return self.finding(
            Span.file(env.path),
            message,
            help=f"add the missing variables to `{env.name}` with values for tests (their own database, "
            "fake credentials) rather than copying the development file",
            related=related,
            data=FindingData(missing=tuple(missing) or None),
        )


def _join(directory: str, name: str) -> str:
    return f"{directory}/{name}" if directory else name


def _first(by_path: dict[str, EnvFileFacts], directory: str, names: Sequence[str]) -> EnvFileFacts | None:
    for name in names:
        found = by_path.get(_join(directory, name))
        if found is not None:
            return found
    return None
