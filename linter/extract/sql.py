"""SQL front-end: split, parse (sqlglot, pglast fallback) and turn statements into schema operations."""

from __future__ import annotations

from schemalint.facts import CheckDef, Diagnostic, Dialect, MigrationFacts, Op, Span


def sql_to_ops(
    sql: str, path: str, dialect: Dialect, origin: tuple[int, int] = (1, 1)
) -> tuple[tuple[Op, ...], tuple[Diagnostic, ...], int]:
    """Operations, coverage diagnostics and statement count for SQL text (stub, being written)."""
    raise NotImplementedError


def extract_sql_file(
    text: str, path: str, dialect: Dialect, *, history: str = "", order_key: tuple[str, ...] = ()
) -> MigrationFacts:
    """Facts for a raw SQL migration file (up direction only) (stub, being written)."""
    raise NotImplementedError


def check_from_expression(expression: str, dialect: Dialect, span: Span, name: str | None = None) -> CheckDef:
    """A CheckDef from a CHECK condition's SQL text, with its value set when it is one (stub)."""
    raise NotImplementedError
