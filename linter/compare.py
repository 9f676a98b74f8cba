"""Pairs model enum columns with database columns and decides which strings the database accepts.

Acceptance is a round trip, because that is what the application needs: the write succeeds and
the value reads back as the same string. PostgreSQL and SQLite compare exactly. MariaDB compares
ENUM and CHECK case-insensitively under its default ``_ci`` collation: a CHECK column stores the
string as sent (round trip fine), but an ENUM column stores the declared label, so ``'WRITER'``
written to ``ENUM('writer')`` reads back as ``'writer'`` and SQLAlchemy raises LookupError.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from schemalint.facts import Dialect, Span
from schemalint.findings import Related
from schemalint.graph import DatabaseGraph, DbCheck, DbColumn, DbTable, Provenance
from schemalint.model_graph import EnumUse, ModelColumnNode, ModelTable


def accepted_by_check(value: str, allowed: Sequence[str], dialect: Dialect) -> bool:
    if dialect == "mysql":
        return value.casefold() in {a.casefold() for a in allowed}
    return value in allowed


def accepted_by_native(value: str, labels: Sequence[str], dialect: Dialect) -> bool:
    # Exact on every dialect for a round trip (MariaDB folds case on write, then the read fails).
    return value in labels


def rejected_on_write_only_by_case(value: str, labels: Sequence[str], dialect: Dialect) -> bool:
    """MariaDB accepts the write (case-folded) but the model cannot read the stored label back."""
    return dialect == "mysql" and value not in labels and value.casefold() in {x.casefold() for x in labels}


@dataclass(frozen=True, slots=True)
class EnumPair:
    """A model column that writes a known set of strings, and the database column it writes to."""

    model_table: ModelTable
    model_column: ModelColumnNode
    use: EnumUse
    db_table: DbTable
    db_column: DbColumn
    native: tuple[tuple[str, ...], Provenance] | None
    checks: tuple[DbCheck, ...]

    @property
    def subject(self) -> str:
        return f"{self.model_table.name}.{self.model_column.name}"


def enum_pairs(models_tables: Sequence[ModelTable], database: DatabaseGraph) -> Iterator[EnumPair]:
    """Every model enum column whose table and column exist in the database graph."""
    if database.unknowable:
        return
    for table in models_tables:
        db_table = database.table(table.name)
        if db_table is None or database.is_undecided(table.name):
            continue
        for column in table.columns:
            if column.enum is None:
                continue
            db_column = db_table.column(column.name, database.dialect)
            if db_column is None:
                continue
            yield EnumPair(
                model_table=table,
                model_column=column,
                use=column.enum,
                db_table=db_table,
                db_column=db_column,
                native=database.native_labels(db_column),
                checks=database.value_checks(db_table, db_column),
            )


def names_values_mismatch(
    pair: EnumPair, allowed: Sequence[str], native: bool, dialect: Dialect
) -> str | None:
    """``"names"`` when the model stores member names while ``allowed`` holds the values,
    ``"values"`` for the reverse, else None."""
    use = pair.use
    if use.enum is None or use.names == use.values or use.stores not in ("names", "values"):
        return None

    def accepted(v: str) -> bool:
        return accepted_by_native(v, allowed, dialect) if native else accepted_by_check(v, allowed, dialect)

    if all(accepted(v) for v in use.persisted):
        return None
    hit_names = sum(1 for n in use.names if accepted(n))
    hit_values = sum(1 for v in use.values if accepted(v))
    if use.stores == "names" and hit_values > hit_names:
        return "names"
    if use.stores == "values" and hit_names > hit_values:
        return "values"
    return None


def provenance_related(prov: Provenance, what: str) -> tuple[Related, ...]:
    out = [Related(prov.declared, f"{what} declared here")]
    out.extend(Related(span, f"{what} altered here") for span in prov.altered)
    return tuple(out)


def fmt(values: Sequence[str]) -> str:
    """``a``, ``b`` for messages."""
    return ", ".join(f"`{v}`" for v in values)


def model_span(pair: EnumPair) -> Span:
    return pair.model_column.span


def column_allowed(pair: EnumPair, dialect: Dialect) -> tuple[str, ...] | None:
    """The strings the database column accepts (all constraints together), or None if unconstrained."""
    allowed: list[str] | None = None
    if pair.native is not None:
        allowed = list(pair.native[0])
    for check in pair.checks:
        values = check.values or ()
        if allowed is None:
            allowed = list(values)
        else:
            allowed = [a for a in allowed if accepted_by_check(a, values, dialect)]
    return tuple(allowed) if allowed is not None else None


def rejected_values(pair: EnumPair, values: Sequence[str], dialect: Dialect) -> tuple[str, ...]:
    """The strings among ``values`` that fail a round trip through the database column."""
    out = []
    for v in values:
        ok = pair.native is None or accepted_by_native(v, pair.native[0], dialect)
        ok = ok and all(accepted_by_check(v, c.values or (), dialect) for c in pair.checks)
        if not ok:
            out.append(v)
    return tuple(out)


def is_names_values_pair(pair: EnumPair, dialect: Dialect) -> bool:
    """True when SL102 reports this column (so SL101/SL103/SL104 stay quiet about it)."""
    if pair.native is not None and names_values_mismatch(pair, pair.native[0], True, dialect):
        return True
    return any(names_values_mismatch(pair, c.values or (), False, dialect) for c in pair.checks)


def check_label(check: DbCheck) -> str:
    """How messages name a CHECK constraint."""
    return f"the CHECK constraint `{check.name}`" if check.name else "an unnamed CHECK constraint"


def native_label(pair: EnumPair) -> str:
    """How messages name the native enum a column uses (PostgreSQL type or MySQL inline ENUM)."""
    type_name = pair.db_column.type.type_ref
    return f"the enum type `{type_name}`" if type_name else f"the inline ENUM of `{pair.subject}`"


def rejection_clause(pair: EnumPair, missing: Sequence[str], dialect: Dialect) -> str:
    """Says how the database treats the missing values: rejected, or (MariaDB) folded and unreadable."""
    labels = pair.native[0] if pair.native is not None else ()
    folded = [v for v in missing if rejected_on_write_only_by_case(v, labels, dialect)]
    refused = [v for v in missing if v not in folded]
    parts = []
    if refused:
        parts.append(f"the database rejects {fmt(refused)}")
    if folded:
        parts.append(
            f"MariaDB accepts {fmt(folded)} case-insensitively but stores the declared label, "
            "which the model cannot read back"
        )
    return "; ".join(parts)
