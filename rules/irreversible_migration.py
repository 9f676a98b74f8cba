"""SL304: a migration changes the schema but its down direction is missing or does nothing."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from schemalint.facts import AddEnumValue, Alternatives, DialectBranch, MigrationFacts, Op, Span
from schemalint.findings import Finding, FindingData
from schemalint.rule import Example, Rule
from schemalint.rules._examples import alembic_project, revision

if TYPE_CHECKING:
    from schemalint.runner import RuleContext

_UP = 'op.add_column("users", sa.Column("email", sa.String(255)))'


def _problem(m: MigrationFacts) -> str | None:
    """ "missing" / "empty" when the down direction cannot undo a schema change, else None.

    Alembic revisions, dbmate/goose files (one file with up and down sections), TypeScript
    migrations and golang-migrate/Diesel migrations (a sibling down file) say whether they have
    a down direction. Flyway has none by design (undo is a separate, optional product feature):
    its facts leave ``has_downgrade`` unknown and it is never reported.
    """
    if not m.changes_schema or m.has_downgrade is None:
        return None
    if m.ops and all(isinstance(op, AddEnumValue) for op in _leaves(m.ops)):
        return None  # PostgreSQL cannot remove an enum label: there is nothing to write
    if not m.has_downgrade:
        return "missing"
    if m.downgrade_empty and not m.downgrade_raises:
        return "empty"
    return None


def _leaves(ops: tuple[Op, ...]) -> list[Op]:
    """The operations inside dialect and ``if``/``else`` branches, as if every branch ran."""
    leaves: list[Op] = []
    for op in ops:
        if isinstance(op, DialectBranch):
            leaves += _leaves(tuple(inner for _, arm in op.branches for inner in arm))
        elif isinstance(op, Alternatives):
            leaves += _leaves(tuple(inner for arm in op.branches for inner in arm))
        else:
            leaves.append(op)
    return leaves


class IrreversibleMigration(Rule):
    """A migration changes the schema but its down direction is missing or does nothing.

    ## What it does
    Reports Alembic revisions whose `upgrade()` changes the schema while `downgrade()` is
    missing or contains only `pass`, `...` or a docstring, and dbmate/goose migrations whose
    `-- migrate:down` (`-- +goose Down`) section is missing or empty. A `downgrade()` that
    raises (`raise NotImplementedError("one-way: drops data")`) says so on purpose and is not
    reported; neither are merge revisions, data-only migrations and migrations that only add
    PostgreSQL enum labels (`ALTER TYPE ... ADD VALUE` cannot be undone short of recreating the
    type).

    golang-migrate and Diesel keep the down direction in a file of its own: a `1_users.up.sql`
    without `1_users.down.sql` (or a Diesel `up.sql` without `down.sql`) has none, and a down
    file holding only comments is empty. A golang-migrate folder in which no migration has a
    down file is read as forward-only by choice and is not reported; a Diesel project's
    migrations are always checked, since `diesel migration revert` needs `down.sql`. Flyway
    migrations have no down direction by design and are never reported.

    ## Why is this bad?
    `alembic downgrade -1` then reports success and leaves the schema changed: the rollback
    a deployment counts on silently does nothing, and the next `upgrade` fails because the
    column or table already exists.

    ## Use instead
    Write the inverse operations (`op.drop_column(...)` for `op.add_column(...)`), or make the
    irreversibility explicit with `raise NotImplementedError("why")`. In a golang-migrate or
    Diesel down file, write the inverse statements, or mark a one-way migration with a
    `-- schemalint: ignore[SL304] -- why` comment there.
    """

    code = "SL304"
    severity = "warning"
    tags = ("history",)
    invalid = (
        Example(
            alembic_project(
                {
                    "0001_users": revision(
                        "0001",
                        None,
                        'op.create_table("users", sa.Column("id", sa.Integer, primary_key=True))',
                        'op.drop_table("users")',
                    ),
                    "0002_email": revision("0002", "0001", _UP, "pass").replace(
                        "def downgrade():", "def downgrade():  # expect: SL304"
                    ),
                }
            )
        ),
        Example(
            {
                "db/migrations/20240101000000_users.sql": (
                    "-- migrate:up\nCREATE TABLE users (id integer PRIMARY KEY);\n\n"
                    "-- migrate:down  -- expect: SL304\n"
                ),
            }
        ),
        Example(
            {
                "migrations/000001_users.up.sql": "CREATE TABLE users (id integer PRIMARY KEY);\n",
                "migrations/000001_users.down.sql": "DROP TABLE users;\n",
                "migrations/000002_email.up.sql": "ALTER TABLE users ADD COLUMN email text;\n",
                "migrations/000002_email.down.sql": "-- nothing to undo  -- expect: SL304\n",
            },
            title="golang-migrate: the down file holds only a comment",
        ),
        Example(
            {
                "diesel.toml": '[print_schema]\nfile = "src/schema.rs"\n',
                "migrations/2024-01-01-000000_users/up.sql": (
                    "CREATE TABLE users (id integer PRIMARY KEY);  -- expect: SL304\n"
                ),
            },
            title="Diesel: `up.sql` without `down.sql`",
        ),
    )
    valid = (
        Example(
            alembic_project(
                {
                    "0001_users": revision(
                        "0001",
                        None,
                        'op.create_table("users", sa.Column("id", sa.Integer, primary_key=True))',
                        'op.drop_table("users")',
                    ),
                    "0002_email": revision("0002", "0001", _UP, 'op.drop_column("users", "email")'),
                    "0003_backfill": revision(
                        "0003", "0002", "op.execute(\"UPDATE users SET email = ''\")", "pass"
                    ),
                    "0004_oneway": revision(
                        "0004",
                        "0003",
                        'op.drop_column("users", "email")',
                        'raise NotImplementedError("the data is gone")',
                    ),
                }
            )
        ),
        Example(
            alembic_project(
                {
                    "0001_mood": revision(
                        "0001",
                        None,
                        'if op.get_bind().dialect.name == "postgresql":\n'
                        "        op.execute(\"ALTER TYPE mood ADD VALUE 'calm'\")",
                        "pass",
                    )
                }
            ),
            title="an enum label added only on PostgreSQL cannot be removed there either",
        ),
        Example(
            {"db/migrations/V1__users.sql": "CREATE TABLE users (id integer PRIMARY KEY);\n"},
            title="Flyway migrations have no down direction by design",
        ),
        Example(
            {
                "migrations/000001_users.up.sql": "CREATE TABLE users (id integer PRIMARY KEY);\n",
                "migrations/000002_email.up.sql": "ALTER TABLE users ADD COLUMN email text;\n",
            },
            title="a golang-migrate folder without any down file is forward-only by choice",
        ),
        Example(
            {
                "diesel.toml": '[print_schema]\nfile = "src/schema.rs"\n',
                "migrations/2024-01-01-000000_users/up.sql": "CREATE TABLE users (id integer PRIMARY KEY);\n",
                "migrations/2024-01-01-000000_users/down.sql": (
                    "-- This file should undo anything in `up.sql`\nDROP TABLE users;\n"
                ),
            },
        ),
    )

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for m in ctx.migrations:
            problem = _problem(m)
            if problem is None:
                continue
            if m.down_file is not None:
                yield self._down_file_finding(m, m.down_file, problem)
                continue
            name = (
                f"revision `{m.revision.revision}`"
                if m.revision is not None
                else f"`{m.path.rsplit('/', 1)[-1]}`"
            )
            down = "`downgrade()`" if m.kind == "alembic" else "the down section"
            what = "has no" if problem == "missing" else "has an empty"
            down_noun = down.removeprefix("the ")
            span = m.downgrade_span or (m.revision.span if m.revision else None) or Span.file(m.path)
            consequence = (
                "rolling it back fails"
                if problem == "missing" and m.kind == "alembic"
                else "rolling it back reports success and leaves the schema changed"
            )
            yield self.finding(
                span,
                f"{name} changes the schema but {what} {down_noun}; {consequence}",
                help='write the inverse operations, or `raise NotImplementedError("why")` to make '
                "the migration explicitly one-way"
                if m.kind == "alembic"
                else "write the statements that undo the up section under `-- migrate:down`",
                data=FindingData(rule_data=(("down", problem),)),
            )

    def _down_file_finding(self, m: MigrationFacts, down_file: str, problem: str) -> Finding:
        """A golang-migrate or Diesel migration whose down file is missing or does nothing."""
        down_name = down_file.rsplit("/", 1)[-1]
        diesel = down_name == "down.sql"
        # Diesel's `up.sql` says nothing on its own: name the migration's folder.
        name = "/".join(m.path.rsplit("/", 2)[-2:]) if diesel else m.path.rsplit("/", 1)[-1]
        what = f"has no `{down_name}`" if problem == "missing" else f"its `{down_name}` is empty"
        # golang-migrate runs a missing or empty down file as an empty migration and moves the
        # version back; Diesel refuses to revert without `down.sql` (and with an empty one) but
        # runs a comment-only one.
        consequence = _DOWN_FILE_CONSEQUENCES["diesel" if diesel else "golang-migrate", problem]
        return self.finding(
            m.downgrade_span or Span.file(m.path),
            f"`{name}` changes the schema but {what}; {consequence}",
            help=f"write the statements that undo it in `{down_file}`; when the migration is one-way on "
            "purpose, say so there with `-- schemalint: ignore[SL304] -- why`",
            data=FindingData(rule_data=(("down", problem), ("down_file", down_file))),
        )


_DOWN_FILE_CONSEQUENCES: dict[tuple[str, str], str] = {
    ("golang-migrate", "missing"): "`migrate down` reports success and leaves the schema changed",
    ("golang-migrate", "empty"): "`migrate down` reports success and leaves the schema changed",
    ("diesel", "missing"): "`diesel migration revert` fails",
    ("diesel", "empty"): "`diesel migration revert` cannot undo it",
}
