"""SL303: two migration files of one history share a revision id or version."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from schemalint.facts import MigrationFacts, Span
from schemalint.findings import Finding, FindingData, Related
from schemalint.graph import revision_graphs
from schemalint.rule import Example, Rule
from schemalint.rules._examples import alembic_project, revision

if TYPE_CHECKING:
    from schemalint.runner import RuleContext

# Tools whose runner keys migrations by a version taken from the file name, with how that
# version is compared. Flyway compares numeric parts and ignores trailing zeros (1.0 is 1);
# golang-migrate parses an unsigned integer (001 is 1). Flyway repeatables (R__) have no
# version; plain numbered folders without a known runner are not checked.
_VERSIONED_NAMES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("Flyway", re.compile(r"^V(?P<version>\d+(?:[._]\d+)*)__.+\.sql$")),
    ("golang-migrate", re.compile(r"^(?P<version>\d+)_.+\.up\.sql$")),
)


def _version(path: str) -> tuple[str, tuple[int, ...]] | None:
    name = path.rsplit("/", 1)[-1]
    for tool, pattern in _VERSIONED_NAMES:
        match = pattern.match(name)
        if match:
            parts = [int(p) for p in re.split(r"[._]", match["version"])]
            while len(parts) > 1 and parts[-1] == 0:
                parts.pop()
            return tool, tuple(parts)
    return None


class DuplicateRevisionId(Rule):
    """Two migration files of one history share a revision id or version.

    ## What it does
    Reports a second Alembic revision file with the same `revision` identifier as another in
    the same history (a copied file, or two branches that generated ids by hand), and a second
    Flyway versioned migration (`V1_1__a.sql` and `V1.1__b.sql`) or golang-migrate migration
    (`0001_a.up.sql` and `1_b.up.sql`) with the same version in the same folder. Flyway
    repeatable migrations (`R__name.sql`) have no version and are never duplicates.

    ## Why is this bad?
    Alembic keeps one of the two revisions and silently ignores the other (or fails with
    overlapping revisions); Flyway refuses to migrate (`Found more than one migration with
    version 1.1`) and golang-migrate stops with `duplicate migration file`.

    ## Use instead
    Give the newer file a fresh id (`alembic revision` generates one) or the next free version.
    """

    code = "SL303"
    severity = "error"
    tags = ("history", "correctness")
    invalid = (
        Example(
            {
                "db/migrations/V1__users.sql": "CREATE TABLE users (id integer PRIMARY KEY);\n",
                "db/migrations/V2.0__name.sql": "ALTER TABLE users ADD COLUMN name text;\n",
                "db/migrations/V2__email.sql": "ALTER TABLE users ADD COLUMN email text;  -- expect: SL303\n",
            }
        ),
        Example(
            alembic_project(
                {
                    "0001_users": revision("0001", None, "pass", "pass"),
                    "0002_email": revision("0002", "0001", "pass", "pass"),
                    "0002_name": revision("0002", "0001", "pass", "pass").replace(
                        "revision = '0002'", "revision = '0002'  # expect: SL303"
                    ),
                }
            )
        ),
    )
    valid = (
        Example(
            {
                "db/migrations/V1__users.sql": "CREATE TABLE users (id integer PRIMARY KEY);\n",
                "db/migrations/V2__email.sql": "ALTER TABLE users ADD COLUMN email text;\n",
                "db/migrations/R__views.sql": "CREATE OR REPLACE VIEW v AS SELECT id FROM users;\n",
                "db/migrations/R__grants.sql": "SELECT 1;\n",
            },
            title="repeatable migrations have no version",
        ),
    )

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for graph in revision_graphs(ctx.migrations):
            for first, repeated in graph.duplicates:
                assert first.revision is not None and repeated.revision is not None
                yield self._duplicate(
                    repeated.revision.span or Span.file(repeated.path),
                    first.revision.span or Span.file(first.path),
                    f"revision id `{repeated.revision.revision}`",
                    first.path,
                    "Alembic keeps only one of the two revisions",
                )
        by_history: dict[str, list[MigrationFacts]] = {}
        for m in ctx.migrations:
            if m.kind == "sql":
                by_history.setdefault(m.history, []).append(m)
        for files in by_history.values():
            yield from self._sql_duplicates(files)

    def _sql_duplicates(self, files: Sequence[MigrationFacts]) -> Iterator[Finding]:
        seen: dict[tuple[str, tuple[int, ...]], MigrationFacts] = {}
        for m in sorted(files, key=lambda m: m.path):
            version = _version(m.path)
            if version is None:
                continue
            first = seen.setdefault(version, m)
            if first is m:
                continue
            tool, parts = version
            yield self._duplicate(
                Span.file(m.path),
                Span.file(first.path),
                f"{tool} version `{'.'.join(map(str, parts))}`",
                first.path,
                f"{tool} refuses to migrate",
            )

    def _duplicate(self, span: Span, first: Span, what: str, first_path: str, consequence: str) -> Finding:
        return self.finding(
            span,
            f"this migration repeats the {what} of `{first_path}`; {consequence}",
            help="give this migration a new id or the next free version",
            related=(Related(first, "first used here"),),
            data=FindingData(values=(what,)),
        )
