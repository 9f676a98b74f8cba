"""SL302: a `down_revision` or `depends_on` names a revision that does not exist."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from schemalint.facts import Span
from schemalint.findings import Finding, FindingData
from schemalint.graph import RevisionGraph, revision_graphs
from schemalint.rule import Example, Rule
from schemalint.rules._examples import alembic_project, revision

if TYPE_CHECKING:
    from schemalint.runner import RuleContext

_BASE = revision("0001", None, 'op.create_table("users", sa.Column("id", sa.Integer, primary_key=True))',
                 'op.drop_table("users")')  # fmt: skip
_NEXT = revision("0002", "0001", 'op.add_column("users", sa.Column("email", sa.String(255)))',
                 'op.drop_column("users", "email")')  # fmt: skip


def _names(graph: RevisionGraph, name: str) -> bool:
    """Whether ``depends_on`` entry ``name`` is a revision, a unique revision prefix or a branch label."""
    if name in graph.revisions or name in graph.labels:
        return True
    return len([rev for rev in graph.revisions if rev.startswith(name)]) == 1


class MissingParentRevision(Rule):
    """A `down_revision` or `depends_on` names a revision that does not exist.

    ## What it does
    Reports Alembic revisions whose `down_revision` names no revision file of the same history
    (a parent deleted, renamed, or never committed: often a migration written on a branch
    whose own parent was later squashed), and `depends_on` entries that name neither a
    revision (or a unique prefix of one) nor a branch label.

    ## Why is this bad?
    Alembic refuses to load the history at all: `KeyError: "Revision 0002 referenced from
    0002 -> 0003 is not present"`. Every `alembic` command fails, including the deployment's
    `upgrade`.

    ## Use instead
    Point `down_revision` at the revision that is now the parent (`alembic heads` lists the
    candidates), or restore the missing file.
    """

    code = "SL302"
    severity = "error"
    tags = ("history", "correctness")
    invalid = (
        Example(
            alembic_project(
                {
                    "0001_users": _BASE,
                    "0002_email": _NEXT.replace(
                        "down_revision = '0001'", "down_revision = '0000'  # expect: SL302"
                    ),
                }
            )
        ),
    )
    valid = (
        Example(alembic_project({"0001_users": _BASE, "0002_email": _NEXT})),
        Example(
            alembic_project(
                {
                    "0001_users": revision(
                        "0001",
                        None,
                        'op.create_table("users", sa.Column("id", sa.Integer, primary_key=True))',
                        'op.drop_table("users")',
                        "branch_labels = ('core',)",
                    ),
                    "0100_audit": revision(
                        "0100",
                        None,
                        'op.create_table("audit", sa.Column("id", sa.Integer, primary_key=True))',
                        'op.drop_table("audit")',
                        "branch_labels = ('audit',)\ndepends_on = 'core'",
                    ),
                }
            ),
            title="`depends_on` may name a branch label of another branch",
        ),
    )

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for graph in revision_graphs(ctx.migrations):
            for rev, m in sorted(graph.revisions.items(), key=lambda item: item[1].path):
                info = m.revision
                assert info is not None
                for parent in graph.missing_parents(rev):
                    yield self._missing(
                        graph, rev, "down_revision", parent, info.down_span or Span.file(m.path)
                    )
                for dependency in info.depends_on:
                    if not _names(graph, dependency):
                        yield self._missing(
                            graph, rev, "depends_on", dependency, info.depends_span or Span.file(m.path)
                        )

    def _missing(self, graph: RevisionGraph, rev: str, field: str, name: str, span: Span) -> Finding:
        return self.finding(
            span,
            f"`{field}` of revision `{rev}` names `{name}`, which no revision in `{graph.history}` "
            "defines; Alembic cannot load the history, so every `alembic` command fails",
            help="point it at the revision that is now the parent (`alembic heads` lists them), "
            "or restore the missing revision file",
            data=FindingData(values=(name,), rule_data=(("revision", rev), ("field", field))),
        )
