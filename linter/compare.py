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
            if db_column is None or database.is_undecided(table.name, column.name):
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


# --------------------------------------------------------------------------------------------
# Structural comparison (SL201-SL205): model tables and columns against the database graph.
# --------------------------------------------------------------------------------------------


def structural_model_tables(
    models_tables: Sequence[ModelTable], database: DatabaseGraph, has_migrations: bool
) -> Iterator[tuple[ModelTable, DbTable | None]]:
    """Model tables the structural rules compare, with their database table (None: absent).

    Nothing is compared when the project has no migrations (the schema comes from elsewhere),
    when a migration calls ``create_all`` or alters a table no migration creates (the history
    starts from an existing schema: the database side is unknowable; SL004 says so), for
    tables whose columns are partly hidden (SL004 says so), for TypeScript models (their
    front-end reads only enum-like columns, and table names follow ORM naming strategies it
    does not model), for models defined in test files, and for tables whose ``if``/``else``
    migration branches disagree.
    """
    if not has_migrations or database.unknowable or database.presumed:
        return
    for table in models_tables:
        if not table.structural or database.is_undecided(table.name) or is_test_file(table.span.path):
            continue
        yield table, database.table(table.name)


_TEST_DIRS = frozenset({"test", "tests", "testing"})


def is_test_file(path: str) -> bool:
    """Tests define throwaway models whose tables their fixtures create with ``create_all``."""
    *dirs, name = path.split("/")
    return (
        any(d in _TEST_DIRS for d in dirs)
        or name.startswith("test_")
        or name.endswith("_test.py")
        or name == "conftest.py"
    )


def structural_column_pairs(
    models_tables: Sequence[ModelTable], database: DatabaseGraph, has_migrations: bool
) -> Iterator[tuple[ModelTable, ModelColumnNode, DbTable, DbColumn]]:
    """Every column of a fully known model table paired with the database column of its name."""
    for table, db_table in structural_model_tables(models_tables, database, has_migrations):
        if db_table is None or not table.structural:
            continue
        for column in table.columns:
            db_column = db_table.column(column.name, database.dialect)
            if db_column is not None and not database.is_undecided(table.name, column.name):
                yield table, column, db_table, db_column


# Families that store the same values, per dialect. SQLAlchemy renders some model types as
# another family where the database has no such type: ``Uuid`` as CHAR(32) and ``Boolean`` as
# a small integer outside PostgreSQL, ``JSON`` and dates as TEXT on SQLite (which has type
# affinity, not types). Numeric and float both hold numbers (precision aside).
_SAME_FAMILY: dict[str, frozenset[frozenset[str]]] = {
    "postgresql": frozenset({frozenset({"numeric", "float"})}),
    "mysql": frozenset(
        {frozenset({"numeric", "float"}), frozenset({"boolean", "integer"}), frozenset({"uuid", "text"})}
    ),
    "sqlite": frozenset(
        {
            frozenset({"numeric", "float", "integer"}),
            frozenset({"boolean", "integer"}),
            frozenset({"uuid", "text", "json"}),
            frozenset({"timestamp", "date", "time", "text"}),
        }
    ),
}
# Families too loose to compare: a type we could not classify, or a user-defined type that is
# not an enum (a domain, a composite, an extension's type).
_UNCOMPARABLE = frozenset({"other", "unknown"})


def family_of_model(column: ModelColumnNode, dialect: Dialect) -> str | None:
    """The family the model column's type has in the database SQLAlchemy would create."""
    if column.enum is not None:
        native = column.enum.native and dialect != "sqlite"
        return "enum" if native else "text"
    if column.type is None or column.type.family in _UNCOMPARABLE:
        return None
    return column.type.family


def family_of_database(column: DbColumn, database: DatabaseGraph) -> str | None:
    family = column.type.family
    if family == "user":
        ref = column.type.type_ref
        return "enum" if ref is not None and database.enum_type(ref) is not None else None
    return None if family in _UNCOMPARABLE else family


def families_agree(model: str, db: str, dialect: Dialect) -> bool:
    if model == db:
        return True
    return any(model in group and db in group for group in _SAME_FAMILY[dialect])


@dataclass(frozen=True, slots=True)
class TypeDrift:
    """How a model column's type differs from the database column's (None fields: they agree)."""

    model: str  # how messages name the model type
    database: str  # how messages name the database type
    reason: str  # "family" | "length" | "timezone"


def type_drift(column: ModelColumnNode, db_column: DbColumn, database: DatabaseGraph) -> TypeDrift | None:
    """Whether the model and database types disagree in a way that matters for writes or reads.

    Compared: families (text, integer, timestamp, json, enum, ...), a database length shorter
    than the model's (writes the model allows are truncated or rejected), and the time zone of
    PostgreSQL timestamps (``timestamptz`` vs ``timestamp``). Spellings never matter.
    """
    dialect = database.dialect
    model_family = family_of_model(column, dialect)
    db_family = family_of_database(db_column, database)
    if model_family is None or db_family is None:
        return None
    model_name = _model_type_name(column)
    db_name = _db_type_name(db_column)
    if not families_agree(model_family, db_family, dialect):
        return TypeDrift(f"{model_name} ({model_family})", f"{db_name} ({db_family})", "family")
    mtype, dtype = column.type, db_column.type
    if mtype is None or column.enum is not None:
        return None
    shorter = mtype.length is not None and dtype.length is not None and dtype.length < mtype.length
    if model_family == db_family == "text" and dialect != "sqlite" and shorter:
        return TypeDrift(model_name, db_name, "length")
    if dialect == "postgresql" and model_family == db_family == "timestamp":
        model_tz, db_tz = bool(mtype.timezone), dtype.timezone
        if db_tz is not None and model_tz != db_tz:
            return TypeDrift(model_name, db_name, "timezone")
    return None


def _model_type_name(column: ModelColumnNode) -> str:
    if column.enum is not None:
        return f"Enum({column.enum.type_name})" if column.enum.type_name else "Enum"
    assert column.type is not None
    t = column.type
    args = [str(t.length)] if t.length is not None else []
    if t.timezone:
        args.append("timezone=True")
    return f"{t.name}({', '.join(args)})" if args else t.name


def _db_type_name(column: DbColumn) -> str:
    t = column.type
    name = t.type_ref or t.name
    if t.family == "timestamp" and t.timezone:
        name = "timestamptz" if name in ("timestamp", "timestamptz") else f"{name} with time zone"
    return f"{name}({t.length})" if t.length is not None else name
