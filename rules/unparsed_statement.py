"""SL001: a migration statement that may change the schema was not understood."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from schemalint.findings import Finding
from schemalint.rule import Example, Rule

if TYPE_CHECKING:
    from schemalint.runner import RuleContext


class UnparsedStatement(Rule):
    """A migration statement that may change the schema was not understood.

    ## What it does
    Reports each migration statement that could change tables, columns, types or constraints
    but that neither sqlglot nor (for PostgreSQL) pglast could turn into a schema operation.
    Also reported: PostgreSQL's `SET search_path` to a schema other than `public`. schemalint
    does not follow the search path: a table or type named without a schema is taken to be in
    `public`, so the statements after it may be replayed into the wrong schema.

    ## Why is this bad?
    schemalint replays migrations to know what the database looks like. A statement it cannot
    read is a hole in that picture: an enum label it added, or a CHECK it dropped, is missing,
    so later findings may be wrong or absent. This finding makes the gap visible instead of
    silently guessing.

    ## Fix
    Rewrite the statement in a form schemalint understands, or suppress the finding with
    `-- schemalint: ignore[SL001] -- reason` once you have checked it does not touch enums or
    CHECK constraints.
    """

    code = "SL001"
    severity = "info"
    tags = ("coverage",)
    invalid = (
        Example.sql(
            "CREATE TABLE users (id integer PRIMARY KEY, role text);\n"
            "CREATE TABLE audit_users (LIKE users INCLUDING ALL); -- expect: SL001\n"
        ),
        Example.sql(
            "CREATE SCHEMA auth;\n"
            "SET search_path TO auth; -- expect: SL001\n"
            "CREATE TABLE users (id integer PRIMARY KEY, role text);\n",
            title="`users` is created in `auth`, but schemalint places it in `public`",
        ),
    )
    valid = (
        Example.sql("CREATE TABLE users (id integer PRIMARY KEY, role text NOT NULL);\n"),
        Example.sql(
            "CREATE SCHEMA auth;\nCREATE TABLE auth.users (id integer PRIMARY KEY, role text NOT NULL);\n",
            title="Names written with their schema need no search path",
        ),
    )

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for diag in ctx.diagnostics():
            if diag.code == self.code:
                yield self.finding(diag.span, diag.message, help=diag.help)
