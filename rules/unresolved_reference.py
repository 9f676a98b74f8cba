"""SL004: a model or migration value could not be resolved statically."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from schemalint.findings import Finding
from schemalint.rule import Example, Rule

if TYPE_CHECKING:
    from schemalint.runner import RuleContext


class UnresolvedReference(Rule):
    """A model or migration value could not be resolved statically, so a check was skipped.

    ## What it does
    Reports values schemalint needs but cannot compute without running your code: an enum
    imported from a package outside the repository, a `values_callable` that is not a simple
    comprehension, SQL built at run time, a migration that calls `metadata.create_all()`.

    ## Why is this bad?
    schemalint never imports or executes your project. When a value depends on run-time
    behaviour, the checks that need it are skipped; this finding tells you which ones, so a
    clean run is never mistaken for a verified one.

    ## Fix
    Spell the value statically (a literal list, a module-level constant, an enum defined in the
    repository), or suppress the finding with a reason.
    """

    code = "SL004"
    severity = "info"
    tags = ("coverage",)
    invalid = (
        Example(
            {
                "alembic.ini": "[alembic]\nscript_location = %(here)s/alembic\n",
                "alembic/env.py": "",
                "alembic/versions/0001_init.py": (
                    'revision = "0001"\ndown_revision = None\n\nfrom alembic import op\n\n\n'
                    "def upgrade():\n"
                    "    op.execute(build_sql())  # expect: SL004\n\n\n"
                    "def downgrade():\n    pass\n"
                ),
            }
        ),
    )
    valid = (
        Example(
            {
                "alembic.ini": "[alembic]\nscript_location = %(here)s/alembic\n",
                "alembic/env.py": "",
                "alembic/versions/0001_init.py": (
                    'revision = "0001"\ndown_revision = None\n\nfrom alembic import op\n\n\n'
                    "def upgrade():\n"
                    '    op.execute("CREATE TABLE users (id integer PRIMARY KEY)")\n\n\n'
                    "def downgrade():\n    pass\n"
                ),
            }
        ),
    )

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for diag in ctx.diagnostics():
            if diag.code == self.code:
                yield self.finding(diag.span, diag.message, help=diag.help)
        for op in ctx.database.unknowable:
            yield self.finding(
                op.span,
                f"{op.reason}; the database side cannot be known from here on, so checks "
                "against it were skipped",
                help="create tables with explicit migration operations instead of `create_all()`",
            )
        if ctx.database.presumed and any(t.structural for t in ctx.models.tables.values()):
            table, span = ctx.database.presumed[0]
            more = len({t for t, _ in ctx.database.presumed}) - 1
            others = f" (and {more} other table{'s' if more > 1 else ''})" if more else ""
            yield self.finding(
                span,
                f"this migration changes table `{table}`{others}, which no earlier migration creates: "
                "the history starts from an existing schema (`create_all` and `alembic stamp`, a dump, "
                "deleted revisions), so the structural checks (SL201-SL205) were skipped",
                help="add the missing baseline migration that creates these tables",
            )
        undecided = [(subject, span) for subject, span in ctx.database.undecided]
        undecided += [(f"{table}.{column}", span) for table, column, span in ctx.database.undecided_columns]
        for subject, span in undecided:
            yield self.finding(
                span,
                f"the branches of this migration disagree about `{subject}`; which one runs cannot "
                "be decided statically, so checks on it were skipped",
            )
