"""SL003: a suppression comment matched nothing."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from schemalint.findings import Finding
from schemalint.rule import Example, Rule

if TYPE_CHECKING:
    from schemalint.runner import RuleContext


class UnusedSuppression(Rule):
    """A suppression comment matched no finding.

    ## What it does
    Reports `schemalint: ignore[...]` comments that suppressed nothing in this run, and
    suppressions naming a rule that does not exist.

    ## Why is this bad?
    A stale suppression hides the next real problem on that line, and a misspelt code
    suppresses nothing while looking as if it did.

    ## Fix
    Remove the comment, or correct the rule code or name in it.

    ## How it runs
    Suppressions are matched after every other rule ran, so this rule's findings are produced
    by that matching step; `check` itself reports nothing.
    """

    code = "SL003"
    severity = "warning"
    tags = ("suppressions",)
    invalid = (
        Example.sql(
            "-- schemalint: ignore[SL101]  expect: SL003\nCREATE TABLE users (id integer PRIMARY KEY);\n"
        ),
    )
    valid = (
        Example.sql(
            "CREATE TABLE users (id integer PRIMARY KEY);\n"
            "CREATE TABLE audit_users (LIKE users); -- schemalint: ignore[SL001] -- copies no enums\n"
        ),
    )

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        return iter(())
