"""The database graph: every migration replayed in order, with where each node was declared and altered."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from schemalint.facts import (
    DEFAULT_SCHEMA,
    AddCheck,
    AddColumn,
    AddEnumValue,
    AlterColumnType,
    Alternatives,
    CheckDef,
    ColumnDef,
    ColumnType,
    CreateEnumType,
    CreateTable,
    DefaultValue,
    Diagnostic,
    Dialect,
    DialectBranch,
    DropColumn,
    DropConstraint,
    DropEnumType,
    DropTable,
    FailingStatement,
    MigrationFacts,
    Op,
    RenameColumn,
    RenameConstraint,
    RenameEnumType,
    RenameEnumValue,
    RenameTable,
    SchemaUnknowable,
    SetDefault,
    SetNullable,
    Span,
    SyncEnumValues,
    unqualified_name,
)


def ident_key(name: str, dialect: Dialect) -> str:
    """The key under which the database finds an identifier.

    Extractors already fold unquoted PostgreSQL names to lower case and keep quoted ones; MySQL
    column names and SQLite identifiers compare case-insensitively, so they are folded here.
    """
    return name if dialect == "postgresql" else name.lower()


def object_key(name: str, dialect: Dialect) -> str:
    """The key of a table or type: ``ident_key`` of its name, ``public.x`` being ``x``.

    Extractors name an object outside PostgreSQL's default schema ``schema.name`` and one inside
    it without a schema (``facts.qualified_name``); lookups accept either spelling for ``public``.
    """
    if dialect == "postgresql" and name.startswith(f"{DEFAULT_SCHEMA}."):
        name = name[len(DEFAULT_SCHEMA) + 1 :]
    return ident_key(name, dialect)


@dataclass(frozen=True, slots=True)
class Provenance:
    declared: Span
    altered: tuple[Span, ...] = ()

    def touch(self, span: Span) -> Provenance:
        return Provenance(self.declared, (*self.altered, span))

    @property
    def last(self) -> Span:
        return self.altered[-1] if self.altered else self.declared


@dataclass(frozen=True, slots=True)
class DbEnumType:
    name: str
    labels: tuple[str, ...]
    provenance: Provenance
    labels_known: bool = True


@dataclass(frozen=True, slots=True)
class DbCheck:
    name: str | None
    expression: str
    column: str | None
    values: tuple[str, ...] | None
    provenance: Provenance
    not_valid: bool = False


@dataclass(frozen=True, slots=True)
class DbColumn:
    name: str
    type: ColumnType
    nullable: bool
    default: DefaultValue | None
    provenance: Provenance


@dataclass(frozen=True, slots=True)
class DbTable:
    name: str
    columns: tuple[DbColumn, ...]
    checks: tuple[DbCheck, ...]
    provenance: Provenance

    def column(self, name: str, dialect: Dialect) -> DbColumn | None:
        key = ident_key(name, dialect)
        for col in self.columns:
            if ident_key(col.name, dialect) == key:
                return col
        return None


@dataclass(frozen=True, slots=True)
class ReplayProblem:
    """A statement that would fail on a fresh database (e.g. a column of a type never created)."""

    kind: str  # "missing-type" | "duplicate-label" | ...
    span: Span
    table: str | None = None
    column: str | None = None
    type_name: str | None = None
    message: str = ""
    declared_enum: bool = False  # the statement itself says the missing type is an enum


@dataclass(frozen=True, slots=True)
class DatabaseGraph:
    """The schema a fresh database has after every migration ran, for one dialect."""

    dialect: Dialect
    tables: Mapping[str, DbTable]
    enum_types: Mapping[str, DbEnumType]
    problems: tuple[ReplayProblem, ...] = ()
    unknowable: tuple[SchemaUnknowable, ...] = ()
    undecided: tuple[tuple[str, Span], ...] = ()  # subjects whose if/else branches disagree
    # (table, column, span): branches agree on the table but not on these columns.
    undecided_columns: tuple[tuple[str, str, Span], ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()
    # Tables a migration alters although no earlier migration creates them: the history starts
    # from an existing schema (``create_all`` then ``alembic stamp``, a dump, squashed-away
    # revisions), so which tables exist cannot be known from the migrations alone.
    presumed: tuple[tuple[str, Span], ...] = ()

    def table(self, name: str) -> DbTable | None:
        """The table named ``name`` (``schema.table`` outside PostgreSQL's default schema)."""
        return self.tables.get(object_key(name, self.dialect))

    def enum_type(self, name: str) -> DbEnumType | None:
        """The enum type named ``name`` (``schema.type`` outside PostgreSQL's default schema)."""
        return self.enum_types.get(object_key(name, self.dialect))

    def is_undecided(self, subject: str, column: str | None = None) -> bool:
        """Whether ``if``/``else`` migration branches disagree about a table or type, or (with
        ``column``) about that column of the table."""
        key = object_key(subject, self.dialect)
        if any(s == key for s, _ in self.undecided):
            return True
        if column is None:
            return False
        column_key = ident_key(column, self.dialect)
        return any(t == key and c == column_key for t, c, _ in self.undecided_columns)

    def native_labels(self, column: DbColumn) -> tuple[tuple[str, ...], Provenance] | None:
        """Labels of a native enum column (PostgreSQL type or MySQL inline ENUM), if it is one."""
        if column.type.type_ref is not None:
            enum = self.enum_type(column.type.type_ref)
            if enum is not None:
                return (enum.labels, enum.provenance) if enum.labels_known else None
        # A MySQL inline ENUM, or a PostgreSQL column whose migration declared the labels of a
        # type it does not create (``create_type=False``): the declaration is all we know.
        if column.type.labels is not None:
            return column.type.labels, column.provenance
        return None

    def value_checks(self, table: DbTable, column: DbColumn) -> tuple[DbCheck, ...]:
        key = ident_key(column.name, self.dialect)
        return tuple(
            c
            for c in table.checks
            if c.values is not None and c.column is not None and ident_key(c.column, self.dialect) == key
        )


@dataclass
class _State:
    dialect: Dialect
    tables: dict[str, DbTable] = field(default_factory=dict)
    enum_types: dict[str, DbEnumType] = field(default_factory=dict)
    problems: list[ReplayProblem] = field(default_factory=list)
    unknowable: list[SchemaUnknowable] = field(default_factory=list)
    undecided: list[tuple[str, Span]] = field(default_factory=list)
    undecided_columns: list[tuple[str, str, Span]] = field(default_factory=list)
    mysql_check_counter: int = 0
    presumed: list[tuple[str, Span]] = field(default_factory=list)

    def copy(self) -> _State:
        return _State(
            dialect=self.dialect,
            tables=dict(self.tables),
            enum_types=dict(self.enum_types),
            problems=list(self.problems),
            unknowable=list(self.unknowable),
            undecided=list(self.undecided),
            undecided_columns=list(self.undecided_columns),
            mysql_check_counter=self.mysql_check_counter,
            presumed=list(self.presumed),
        )

    def key(self, name: str) -> str:
        return ident_key(name, self.dialect)


def _auto_check_name(state: _State, table: str, check: CheckDef, column_level: bool) -> str | None:
    """The name the database gives an unnamed CHECK, so later migrations can drop it by name.

    PostgreSQL: ``<table>_<column>_check`` (first referenced column), ``<table>_check`` without one;
    the table's own name, without its schema (constraint names are per table, not per schema).
    MariaDB: a column-level CHECK is named after the column, a table-level one ``CONSTRAINT_<n>``.
    SQLite: CHECKs have no name that a later statement could use.
    """
    if check.name:
        return check.name
    if state.dialect == "postgresql":
        table = unqualified_name(table)
        return f"{table}_{check.column}_check" if check.column else f"{table}_check"
    if state.dialect == "mysql":
        if column_level and check.column:
            return check.column
        state.mysql_check_counter += 1
        return f"CONSTRAINT_{state.mysql_check_counter}"
    return None


def _db_check(state: _State, table: str, check: CheckDef, span: Span, column_level: bool) -> DbCheck:
    return DbCheck(
        name=_auto_check_name(state, table, check, column_level),
        expression=check.expression,
        column=check.column,
        values=check.values,
        provenance=Provenance(check.span if check.span else span),
        not_valid=check.not_valid,
    )


def _db_column(state: _State, table: str, col: ColumnDef) -> tuple[DbColumn, list[DbCheck]]:
    checks = []
    for check in col.checks:
        if (check.column is None and check.values is not None) or check.column is None:
            check = replace(check, column=col.name)
        checks.append(_db_check(state, table, check, col.span, column_level=True))
    nullable = col.nullable and not col.primary_key
    return DbColumn(col.name, col.type, nullable, col.default, Provenance(col.span)), checks


def _require_type(state: _State, table: str, col: DbColumn, span: Span) -> None:
    # PostgreSQL resolves a column's type when the column is created: a type that no earlier
    # statement created makes the migration fail ("type ... does not exist").
    ref = col.type.type_ref
    if state.dialect == "postgresql" and ref is not None and state.key(ref) not in state.enum_types:
        state.problems.append(
            ReplayProblem(
                "missing-type",
                span,
                table=table,
                column=col.name,
                type_name=ref,
                message=f"type `{ref}` is not created by any earlier migration",
                declared_enum=col.type.labels is not None,
            )
        )


def _replace_column(table: DbTable, name: str, dialect: Dialect, new: DbColumn | None) -> DbTable:
    key = ident_key(name, dialect)
    cols = []
    for col in table.columns:
        if ident_key(col.name, dialect) == key:
            if new is not None:
                cols.append(new)
        else:
            cols.append(col)
    return replace(table, columns=tuple(cols))


def _apply(state: _State, op: Op) -> None:
    handler = _HANDLERS.get(type(op))
    if handler is None:
        return
    if (
        isinstance(op, _ALTERS_TABLE)
        and state.key(op.table) not in state.tables
        and not getattr(op, "if_exists", False)
    ):
        state.presumed.append((op.table, op.span))
    handler(state, op)


def _create_table(state: _State, op: CreateTable) -> None:
    key = state.key(op.table)
    if key in state.tables and op.if_not_exists:
        return
    columns: list[DbColumn] = []
    checks: list[DbCheck] = []
    for col in op.columns:
        db_col, col_checks = _db_column(state, op.table, col)
        _require_type(state, op.table, db_col, col.span)
        columns.append(db_col)
        checks.extend(col_checks)
    for check in op.checks:
        checks.append(_db_check(state, op.table, check, op.span, column_level=False))
    state.tables[key] = DbTable(op.table, tuple(columns), tuple(checks), Provenance(op.span))


def _drop_table(state: _State, op: DropTable) -> None:
    state.tables.pop(state.key(op.table), None)


def _rename_table(state: _State, op: RenameTable) -> None:
    table = state.tables.pop(state.key(op.table), None)
    if table is not None:
        state.tables[state.key(op.new_name)] = replace(
            table, name=op.new_name, provenance=table.provenance.touch(op.span)
        )


def _with_table(state: _State, name: str) -> DbTable | None:
    return state.tables.get(state.key(name))


def _add_column(state: _State, op: AddColumn) -> None:
    table = _with_table(state, op.table)
    if table is None:
        return
    if table.column(op.column.name, state.dialect) is not None:
        return  # ADD COLUMN IF NOT EXISTS on an existing column, or a failing migration
    db_col, checks = _db_column(state, table.name, op.column)
    _require_type(state, table.name, db_col, op.span)
    state.tables[state.key(op.table)] = replace(
        table,
        columns=(*table.columns, db_col),
        checks=(*table.checks, *checks),
        provenance=table.provenance.touch(op.span),
    )


def _drop_column(state: _State, op: DropColumn) -> None:
    table = _with_table(state, op.table)
    if table is None:
        return
    key = state.key(op.column)
    # Dropping a column drops the CHECK constraints that reference it (PostgreSQL, MariaDB).
    checks = tuple(c for c in table.checks if c.column is None or state.key(c.column) != key)
    table = _replace_column(table, op.column, state.dialect, None)
    state.tables[state.key(op.table)] = replace(
        table, checks=checks, provenance=table.provenance.touch(op.span)
    )


def _rename_column(state: _State, op: RenameColumn) -> None:
    table = _with_table(state, op.table)
    if table is None:
        return
    col = table.column(op.column, state.dialect)
    if col is None:
        return
    key = state.key(op.column)
    new_col = replace(col, name=op.new_name, provenance=col.provenance.touch(op.span))
    table = _replace_column(table, op.column, state.dialect, new_col)
    # The database rewrites constraint expressions to the new column name.
    checks = tuple(
        replace(c, column=op.new_name) if c.column is not None and state.key(c.column) == key else c
        for c in table.checks
    )
    state.tables[state.key(op.table)] = replace(table, checks=checks)


def _alter_column_type(state: _State, op: AlterColumnType) -> None:
    table = _with_table(state, op.table)
    if table is None:
        return
    col = table.column(op.column, state.dialect)
    if col is None:
        return
    new_col = replace(col, type=op.type, provenance=col.provenance.touch(op.span))
    if op.new_name:
        new_col = replace(new_col, name=op.new_name)
    if op.nullable is not None:
        new_col = replace(new_col, nullable=op.nullable)
    if op.replaces_default:
        new_col = replace(new_col, default=op.default)
    _require_type(state, table.name, new_col, op.span)
    table = _replace_column(table, op.column, state.dialect, new_col)
    extra = [
        _db_check(state, table.name, replace(c, column=c.column or new_col.name), op.span, True)
        for c in op.checks
    ]
    checks = table.checks
    if op.new_name:
        key = state.key(op.column)
        checks = tuple(
            replace(c, column=op.new_name) if c.column is not None and state.key(c.column) == key else c
            for c in checks
        )
    state.tables[state.key(op.table)] = replace(table, checks=(*checks, *extra))


def _update_column(state: _State, table_name: str, column: str, span: Span, **changes: Any) -> None:
    """Apply ``changes`` to an existing column, recording ``span`` in its provenance."""
    table = _with_table(state, table_name)
    col = table.column(column, state.dialect) if table else None
    if table is None or col is None:
        return
    new_col = replace(col, **changes, provenance=col.provenance.touch(span))
    state.tables[state.key(table_name)] = _replace_column(table, column, state.dialect, new_col)


def _set_nullable(state: _State, op: SetNullable) -> None:
    _update_column(state, op.table, op.column, op.span, nullable=op.nullable)


def _set_default(state: _State, op: SetDefault) -> None:
    _update_column(state, op.table, op.column, op.span, default=op.default)


def _add_check(state: _State, op: AddCheck) -> None:
    table = _with_table(state, op.table)
    if table is None:
        return
    check = _db_check(state, table.name, op.check, op.span, column_level=False)
    state.tables[state.key(op.table)] = replace(
        table, checks=(*table.checks, check), provenance=table.provenance.touch(op.span)
    )


def _drop_constraint(state: _State, op: DropConstraint) -> None:
    table = _with_table(state, op.table)
    if table is None:
        return
    key = state.key(op.name)
    checks = tuple(c for c in table.checks if c.name is None or state.key(c.name) != key)
    state.tables[state.key(op.table)] = replace(table, checks=checks)


def _rename_constraint(state: _State, op: RenameConstraint) -> None:
    table = _with_table(state, op.table)
    if table is None:
        return
    key = state.key(op.name)
    checks = tuple(
        replace(c, name=op.new_name, provenance=c.provenance.touch(op.span))
        if c.name is not None and state.key(c.name) == key
        else c
        for c in table.checks
    )
    state.tables[state.key(op.table)] = replace(table, checks=checks)


def _create_enum_type(state: _State, op: CreateEnumType) -> None:
    key = state.key(op.name)
    if key in state.enum_types:
        if not op.if_not_exists:
            state.problems.append(
                ReplayProblem(
                    "duplicate-type", op.span, type_name=op.name, message=f"type `{op.name}` already exists"
                )
            )
        return
    state.enum_types[key] = DbEnumType(op.name, op.labels, Provenance(op.span), op.labels_known)


def _update_enum(state: _State, name: str, labels: tuple[str, ...], span: Span, new_name: str = "") -> None:
    key = state.key(name)
    enum = state.enum_types.get(key)
    if enum is None:
        return
    updated = replace(enum, labels=labels, provenance=enum.provenance.touch(span))
    if new_name:
        del state.enum_types[key]
        updated = replace(updated, name=new_name)
        key = state.key(new_name)
    state.enum_types[key] = updated


def _add_enum_value(state: _State, op: AddEnumValue) -> None:
    enum = state.enum_types.get(state.key(op.type_name))
    if enum is None:
        return
    labels = list(enum.labels)
    if op.value in labels:
        if not op.if_not_exists:
            state.problems.append(
                ReplayProblem(
                    "duplicate-label",
                    op.span,
                    type_name=op.type_name,
                    message=f"label `{op.value}` already exists in `{op.type_name}`",
                )
            )
        return
    if op.before is not None and op.before in labels:
        labels.insert(labels.index(op.before), op.value)
    elif op.after is not None and op.after in labels:
        labels.insert(labels.index(op.after) + 1, op.value)
    else:
        labels.append(op.value)
    _update_enum(state, op.type_name, tuple(labels), op.span)


def _rename_enum_value(state: _State, op: RenameEnumValue) -> None:
    enum = state.enum_types.get(state.key(op.type_name))
    if enum is None:
        return
    labels = tuple(op.new_value if label == op.value else label for label in enum.labels)
    _update_enum(state, op.type_name, labels, op.span)


def _rename_enum_type(state: _State, op: RenameEnumType) -> None:
    if state.key(op.type_name) not in state.enum_types:
        return
    enum = state.enum_types[state.key(op.type_name)]
    _update_enum(state, op.type_name, enum.labels, op.span, new_name=op.new_name)
    # Columns reference a PostgreSQL type by identity, so they follow the rename.
    old = state.key(op.type_name)
    for tkey, table in list(state.tables.items()):
        cols = tuple(
            replace(c, type=replace(c.type, type_ref=op.new_name, name=op.new_name))
            if c.type.type_ref is not None and state.key(c.type.type_ref) == old
            else c
            for c in table.columns
        )
        state.tables[tkey] = replace(table, columns=cols)


def _drop_enum_type(state: _State, op: DropEnumType) -> None:
    state.enum_types.pop(state.key(op.type_name), None)


def _sync_enum_values(state: _State, op: SyncEnumValues) -> None:
    _update_enum(state, op.type_name, op.labels, op.span)
    enum = state.enum_types.get(state.key(op.type_name))
    if enum is not None:
        state.enum_types[state.key(op.type_name)] = replace(enum, labels_known=True)


def _schema_unknowable(state: _State, op: SchemaUnknowable) -> None:
    state.unknowable.append(op)


def _failing_statement(state: _State, op: FailingStatement) -> None:
    state.problems.append(ReplayProblem("unsupported", op.span, message=op.reason))


def _dialect_branch(state: _State, op: DialectBranch) -> None:
    for dialects, ops in op.branches:
        if dialects is None or state.dialect in dialects:
            for inner in ops:
                _apply(state, inner)
            return


def _alternatives(state: _State, op: Alternatives) -> None:
    """Replay each branch from the same state; where they disagree, the subject is undecided.

    The graph keeps the first branch's result so later migrations still apply, and rules skip
    undecided subjects instead of guessing which branch ran.
    """
    outcomes: list[_State] = []
    for ops in op.branches:
        branch = state.copy()
        for inner in ops:
            _apply(branch, inner)
        outcomes.append(branch)
    if not outcomes:
        return
    first = outcomes[0]
    # Tables an arm alters without any migration having created them: they exist only on
    # databases built before this history (a Medusa v1 store upgraded in place). Such an arm
    # says only what it sets, and agrees with an arm that creates the table if that matches.
    altered_only = [
        {state.key(t) for t in _tables_touched(ops) if state.key(t) not in state.tables} - set(arm.tables)
        for ops, arm in zip(op.branches, outcomes, strict=True)
    ]
    disagree: set[str] = set()
    disagree_columns: set[tuple[str, str]] = set()
    for n, other in enumerate(outcomes[1:], start=1):
        for key in set(first.tables) | set(other.tables):
            mine, theirs = first.tables.get(key), other.tables.get(key)
            mine_altered_only = key in altered_only[0] and mine is None and theirs is not None
            if mine_altered_only and theirs is not None and _sets_agree(state, op.branches[0], key, theirs):
                first.tables[key] = theirs
                continue
            theirs_altered_only = key in altered_only[n] and theirs is None and mine is not None
            if theirs_altered_only and mine is not None and _sets_agree(state, op.branches[n], key, mine):
                continue
            if _table_meaning(mine) == _table_meaning(theirs):
                continue
            columns = _disagreeing_columns(state, mine, theirs)
            if columns is None:
                disagree.add(key)
            else:
                disagree_columns.update((key, column) for column in columns)
        for key in set(first.enum_types) | set(other.enum_types):
            if _enum_meaning(first.enum_types.get(key)) != _enum_meaning(other.enum_types.get(key)):
                disagree.add(key)
    state.tables, state.enum_types = first.tables, first.enum_types
    state.problems, state.unknowable = first.problems, first.unknowable
    state.presumed = first.presumed
    state.undecided = first.undecided + [(key, op.span) for key in sorted(disagree)]
    state.undecided_columns = first.undecided_columns + [
        (table, column, op.span) for table, column in sorted(disagree_columns) if table not in disagree
    ]


def _disagreeing_columns(state: _State, mine: DbTable | None, theirs: DbTable | None) -> list[str] | None:
    """The columns two arms build differently, or None when the tables differ as a whole (one arm
    has no table, or a CHECK that concerns no single column differs)."""
    if mine is None or theirs is None:
        return None

    def loose_checks(table: DbTable) -> frozenset[object]:
        return frozenset((c.name, c.expression, c.not_valid) for c in table.checks if c.column is None)

    if loose_checks(mine) != loose_checks(theirs):
        return None

    def column_meaning(table: DbTable, name: str) -> object:
        column = table.column(name, state.dialect)
        if column is None:
            return None
        checks = frozenset(
            (c.name, frozenset(c.values) if c.values is not None else c.expression, c.not_valid)
            for c in table.checks
            if c.column is not None and state.key(c.column) == state.key(name)
        )
        return column.type, column.nullable, column.default, checks

    names = {state.key(c.name): c.name for c in (*mine.columns, *theirs.columns)}
    return sorted(
        state.key(name)
        for name in names.values()
        if column_meaning(mine, name) != column_meaning(theirs, name)
    )


def _tables_touched(ops: Sequence[Op]) -> set[str]:
    return {table for o in ops if isinstance(table := getattr(o, "table", None), str)}


def _sets_agree(state: _State, ops: Sequence[Op], key: str, table: DbTable) -> bool:
    """Whether what ``ops`` set on a table they did not create (CHECK value sets, defaults)
    matches ``table`` as the other arm built it; False when they set nothing comparable."""
    said = False
    for o in ops:
        if not isinstance(o, (AddCheck, SetDefault)) or state.key(o.table) != key:
            continue
        said = True
        if isinstance(o, AddCheck):
            if o.check.values is None or o.check.column is None:
                return False
            column_key = state.key(o.check.column)
            value_sets = {
                frozenset(c.values)
                for c in table.checks
                if c.values is not None and c.column is not None and state.key(c.column) == column_key
            }
            if frozenset(o.check.values) not in value_sets:
                return False
        else:
            column = table.column(o.column, state.dialect)
            wanted = o.default.value if o.default else None
            if column is None or (column.default.value if column.default else None) != wanted:
                return False
    return said


def _table_meaning(table: DbTable | None) -> object:
    """What the database does with a table, without where it was declared: two arms that build
    the same columns and constraints on different lines agree."""
    if table is None:
        return None
    columns = tuple((c.name, c.type, c.nullable, c.default) for c in table.columns)
    checks = frozenset(
        (c.name, c.column, frozenset(c.values) if c.values is not None else None, c.not_valid)
        for c in table.checks
    )
    return table.name, columns, checks


def _enum_meaning(enum: DbEnumType | None) -> object:
    return None if enum is None else (enum.name, enum.labels, enum.labels_known)


# Operations on an existing table: replayed on a table no migration created, they mean the
# history does not start from an empty database.
_ALTERS_TABLE = (
    DropTable,
    RenameTable,
    AddColumn,
    DropColumn,
    RenameColumn,
    AlterColumnType,
    SetNullable,
    SetDefault,
    AddCheck,
    DropConstraint,
    RenameConstraint,
)

_HANDLERS: dict[type, Callable[[_State, Any], None]] = {
    CreateTable: _create_table,
    DropTable: _drop_table,
    RenameTable: _rename_table,
    AddColumn: _add_column,
    DropColumn: _drop_column,
    RenameColumn: _rename_column,
    AlterColumnType: _alter_column_type,
    SetNullable: _set_nullable,
    SetDefault: _set_default,
    AddCheck: _add_check,
    DropConstraint: _drop_constraint,
    RenameConstraint: _rename_constraint,
    CreateEnumType: _create_enum_type,
    AddEnumValue: _add_enum_value,
    RenameEnumValue: _rename_enum_value,
    RenameEnumType: _rename_enum_type,
    DropEnumType: _drop_enum_type,
    SyncEnumValues: _sync_enum_values,
    SchemaUnknowable: _schema_unknowable,
    FailingStatement: _failing_statement,
    DialectBranch: _dialect_branch,
    Alternatives: _alternatives,
}


def migration_order(migrations: Sequence[MigrationFacts]) -> list[MigrationFacts]:
    """Migrations in the order they run: per history, Alembic revisions topologically
    (parents first, ties broken by path), raw SQL files by version key then path."""
    histories: dict[tuple[str, str], list[MigrationFacts]] = {}
    for m in migrations:
        histories.setdefault((m.history, m.kind), []).append(m)
    ordered: list[MigrationFacts] = []
    for key in sorted(histories):
        files = histories[key]
        if key[1] == "alembic":
            ordered.extend(_topological(files))
        else:
            ordered.extend(sorted(files, key=lambda m: (m.order_key, m.path)))
    return ordered


def _topological(files: list[MigrationFacts]) -> list[MigrationFacts]:
    by_id: dict[str, MigrationFacts] = {}
    for m in sorted(files, key=lambda m: m.path):
        if m.revision is not None:
            by_id.setdefault(m.revision.revision, m)
    parents: dict[str, set[str]] = {}
    for rev, m in by_id.items():
        assert m.revision is not None
        deps = set(m.revision.down_revisions) | set(m.revision.depends_on)
        parents[rev] = {d for d in deps if d in by_id}
    done: set[str] = set()
    out: list[MigrationFacts] = []
    pending = sorted(by_id, key=lambda r: by_id[r].path)
    while pending:
        ready = [r for r in pending if parents[r] <= done]
        if not ready:  # a cycle: replay the rest by path rather than loop forever
            ready = pending[:1]
        rev = ready[0]
        out.append(by_id[rev])
        done.add(rev)
        pending.remove(rev)
    seen = {id(m) for m in out}
    out.extend(m for m in sorted(files, key=lambda m: m.path) if id(m) not in seen)
    return out


def build_database_graph(migrations: Iterable[MigrationFacts], dialect: Dialect) -> DatabaseGraph:
    """Replay every migration's operations in order into a fresh database."""
    state = _State(dialect)
    for migration in migration_order(list(migrations)):
        for op in migration.ops:
            _apply(state, op)
    return DatabaseGraph(
        dialect=dialect,
        tables=dict(state.tables),
        enum_types=dict(state.enum_types),
        problems=tuple(state.problems),
        unknowable=tuple(state.unknowable),
        undecided=tuple(state.undecided),
        undecided_columns=tuple(state.undecided_columns),
        presumed=tuple(state.presumed),
    )


# --------------------------------------------------------------------------------------------
# Alembic revision graphs, for the history rules (SL301-SL304).
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RevisionGraph:
    """One Alembic history: revisions by id (the first file by path), and files repeating an id.

    Edges follow Alembic (``script/revision.py``): a revision's ``down_revision`` entries are
    its parents; ``depends_on`` orders it after other revisions without making them non-heads.
    """

    history: str
    revisions: Mapping[str, MigrationFacts]
    duplicates: tuple[tuple[MigrationFacts, MigrationFacts], ...]  # (first, repeated)

    def parents(self, rev: str) -> tuple[str, ...]:
        info = self.revisions[rev].revision
        return info.down_revisions if info is not None else ()

    def branch_labels(self, rev: str) -> tuple[str, ...]:
        info = self.revisions[rev].revision
        return info.branch_labels if info is not None else ()

    @property
    def labels(self) -> frozenset[str]:
        return frozenset(
            label for m in self.revisions.values() if m.revision for label in m.revision.branch_labels
        )

    def missing_parents(self, rev: str) -> tuple[str, ...]:
        return tuple(p for p in self.parents(rev) if p not in self.revisions)

    def heads(self) -> list[str]:
        """Revisions no other revision names as ``down_revision`` (sorted by path)."""
        named = {p for rev in self.revisions for p in self.parents(rev)}
        return sorted((r for r in self.revisions if r not in named), key=lambda r: self.revisions[r].path)

    def components(self) -> list[set[str]]:
        """Revisions connected by ``down_revision`` edges (a history with several bases has several)."""
        parent_of: dict[str, str] = {rev: rev for rev in self.revisions}

        def find(rev: str) -> str:
            while parent_of[rev] != rev:
                parent_of[rev] = parent_of[parent_of[rev]]
                rev = parent_of[rev]
            return rev

        for rev in self.revisions:
            for parent in self.parents(rev):
                if parent in self.revisions:
                    parent_of[find(rev)] = find(parent)
        groups: dict[str, set[str]] = {}
        for rev in self.revisions:
            groups.setdefault(find(rev), set()).add(rev)
        return sorted(groups.values(), key=lambda g: min(self.revisions[r].path for r in g))


def revision_graphs(migrations: Iterable[MigrationFacts]) -> list[RevisionGraph]:
    """Every Alembic history's revision graph, by history name."""
    by_history: dict[str, list[MigrationFacts]] = {}
    for m in migrations:
        if m.kind == "alembic" and m.revision is not None:
            by_history.setdefault(m.history, []).append(m)
    graphs = []
    for history in sorted(by_history):
        revisions: dict[str, MigrationFacts] = {}
        duplicates: list[tuple[MigrationFacts, MigrationFacts]] = []
        for m in sorted(by_history[history], key=lambda m: m.path):
            assert m.revision is not None
            first = revisions.setdefault(m.revision.revision, m)
            if first is not m:
                duplicates.append((first, m))
        graphs.append(RevisionGraph(history, revisions, tuple(duplicates)))
    return graphs
