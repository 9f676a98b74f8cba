"""SL002: a file in scope does not parse."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from schemalint.findings import Finding
from schemalint.rule import Example, Rule

if TYPE_CHECKING:
    from schemalint.runner import RuleContext


class SyntaxError(Rule):  # the rule is named after the pattern it flags
    """A migration or model file in scope does not parse.

    ## What it does
    Reports Python files that `ast` cannot parse and SQL statements that no parser accepts.

    ## Why is this bad?
    A file that does not parse contributes nothing to the schema graphs, so every check that
    depends on it is skipped. The database would also reject the statement when the migration
    runs.

    ## Fix
    Correct the syntax. If the file is not a migration or model, exclude it in the
    `exclude` setting.
    """

    code = "SL002"
    severity = "error"
    tags = ("coverage",)
    invalid = (Example.sql("CREATE TABEL users (id integer PRIMARY KEY, role text);  -- expect: SL002\n"),)
    valid = (Example.sql("CREATE TABLE users (id integer PRIMARY KEY, role text);\n"),)

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for diag in ctx.diagnostics():
            if diag.code == self.code:
                yield self.finding(diag.span, diag.message, help=diag.help)
