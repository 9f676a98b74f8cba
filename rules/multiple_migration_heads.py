"""SL301: an Alembic history has more than one head and no merge revision."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from schemalint.facts import Span
from schemalint.findings import Finding, FindingData, Related
from schemalint.graph import RevisionGraph, revision_graphs
from schemalint.rule import Example, Rule
from schemalint.rules._examples import alembic_project, revision

if TYPE_CHECKING:
    from schemalint.runner import RuleContext

_BASE = revision("0001", None, 'op.create_table("users", sa.Column("id", sa.Integer, primary_key=True))',
                 'op.drop_table("users")')  # fmt: skip
_A = revision("0002a", "0001", 'op.add_column("users", sa.Column("email", sa.String(255)))',
              'op.drop_column("users", "email")')  # fmt: skip
_B = revision("0002b", "0001", 'op.add_column("users", sa.Column("name", sa.String(100)))',
              'op.drop_column("users", "name")')  # fmt: skip


def conflicting_heads(graph: RevisionGraph) -> list[str]:
    """Heads ``alembic upgrade head`` cannot choose between.

    A fork inside one connected history (two revisions with the same parent and no merge)
    always conflicts. Separate bases are Alembic's multiple-branch workflow when each carries
    ``branch_labels`` (``alembic upgrade heads``); two unlabelled bases conflict. A base whose
    ``down_revision`` names a missing revision is SL302's, not counted here.
    """
    heads = set(graph.heads())
    out: set[str] = set()
    unlabelled: list[set[str]] = []
    for component in graph.components():
        component_heads = heads & component
        if len(component_heads) > 1:
            out |= component_heads
        broken = any(graph.missing_parents(rev) for rev in component)
        labelled = any(graph.branch_labels(rev) for rev in component)
        if not broken and not labelled:
            unlabelled.append(component_heads)
    if len(unlabelled) > 1:
        for component_heads in unlabelled:
            out |= component_heads
    return sorted(out, key=lambda rev: graph.revisions[rev].path)


class MultipleMigrationHeads(Rule):
    """An Alembic history has more than one head and no merge revision.

    ## What it does
    Builds each Alembic history's revision graph from `revision` / `down_revision` and reports
    a history with several heads: two revisions with the same parent (two branches merged in
    git, each with its own migration) and no merge revision joining them, or several
    unlabelled bases. Independent branches whose bases carry `branch_labels` are Alembic's
    multiple-bases workflow and are not reported; `depends_on` does not join heads (it never
    does in Alembic either).

    ## Why is this bad?
    `alembic upgrade head` stops with `Multiple head revisions are present for given argument
    'head'`, so deployments fail; `upgrade heads` applies both branches in an order nobody
    reviewed.

    ## Use instead
    `alembic merge heads -m "merge"` writes a revision whose `down_revision` names both heads.
    """

    code = "SL301"
    severity = "error"
    tags = ("history", "correctness")
    invalid = (
        Example(
            alembic_project(
                {
                    "0001_users": _BASE,
                    "0002a_email": _A,
                    "0002b_name": _B.replace("revision = '0002b'", "revision = '0002b'  # expect: SL301"),
                }
            )
        ),
    )
    valid = (
        Example(
            alembic_project(
                {
                    "0001_users": _BASE,
                    "0002a_email": _A,
                    "0002b_name": _B,
                    "0003_merge": revision("0003", "x", "pass", "pass").replace(
                        "down_revision = 'x'", "down_revision = ('0002a', '0002b')"
                    ),
                }
            ),
            title="a merge revision joins the heads",
        ),
    )

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for graph in revision_graphs(ctx.migrations):
            heads = conflicting_heads(graph)
            if len(heads) < 2:
                continue
            related = [Related(_revision_span(graph, rev), f"head `{rev}`") for rev in heads[:-1]]
            listed = ", ".join(f"`{rev}`" for rev in heads)
            yield self.finding(
                _revision_span(graph, heads[-1]),
                f"the Alembic history in `{graph.history}` has {len(heads)} heads ({listed}) and no "
                'merge revision; `alembic upgrade head` fails with "Multiple head revisions are present"',
                help='run `alembic merge heads -m "merge"` to add a revision whose `down_revision` '
                "names every head",
                related=related,
                data=FindingData(values=tuple(heads), rule_data=(("history", graph.history),)),
            )


def _revision_span(graph: RevisionGraph, rev: str) -> Span:
    m = graph.revisions[rev]
    return (m.revision.span if m.revision else None) or Span.file(m.path)
