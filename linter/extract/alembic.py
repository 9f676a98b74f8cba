"""Alembic front-end: read a revision file with ``ast`` and replay its ``upgrade()`` into schema operations."""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

from schemalint.extract import sql
from schemalint.extract.pysource import (
    SourceText,
    Unresolved,
    dotted_name,
    eval_const,
    module_constants,
    parse_python,
    values_callable_steps,
)
from schemalint.extract.satypes import TYPE_FAMILIES
from schemalint.facts import (
    DIALECTS,
    AddCheck,
    AddColumn,
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
    EnumLabelsRef,
    FailingStatement,
    Feature,
    MigrationFacts,
    Op,
    PyConst,
    RenameColumn,
    RenameTable,
    RevisionInfo,
    SchemaUnknowable,
    SetDefault,
    SetNullable,
    Span,
    SyncEnumValues,
    ValuesCallable,
    qualified_name,
    schema_of,
)

UNRESOLVED = "SL004"
SYNTAX_ERROR = "SL002"

# How a column type reaches the database: inside CREATE TABLE, ALTER TABLE ADD COLUMN, or
# ALTER COLUMN ... TYPE. The enum DDL SQLAlchemy/Alembic emit differs between them.
Context = Literal["create", "add", "alter"]

# --------------------------------------------------------------------------------------------
# Lookup tables
# --------------------------------------------------------------------------------------------

ENUM_TYPES = frozenset({"Enum", "ENUM"})
# Types SQLAlchemy cannot compile for every dialect (FEATURE_DIALECTS keys). ``sa.Enum`` is
# portable (a VARCHAR where there are no enum types), so it is not here; ``postgresql.ENUM``
# with ``create_type`` is caught by its CREATE TYPE.
FEATURE_TYPES: dict[str, str] = {"JSONB": "jsonb", "ARRAY": "array"}
# op.* calls that SQLite runs only in batch mode (Alembic raises NotImplementedError or emits
# ALTER COLUMN, which SQLite does not have).
SQLITE_NEEDS_BATCH: dict[str, str] = {
    "alter_column": "alter-column",
    "create_check_constraint": "alter-constraint",
    "create_foreign_key": "alter-constraint",
    "create_unique_constraint": "alter-constraint",
    "create_primary_key": "alter-constraint",
    "drop_constraint": "alter-constraint",
}
# op.* calls that read or write rows, or only look things up: no schema change.
DATA_OPS = frozenset(
    {"execute", "bulk_insert", "get_bind", "get_context", "inline_literal", "f", "run_async", "invoke"}
)
ENUM_BASES = frozenset({"Enum", "StrEnum", "IntEnum"})
TIMEZONE_FAMILIES = frozenset({"timestamp", "time"})
LENGTH_FAMILIES = frozenset({"text", "binary"})

# Positional arguments of sa.Column that are schema items, not the column's type.
COLUMN_SCHEMA_ITEMS = frozenset(
    {"ForeignKey", "CheckConstraint", "Identity", "Computed", "Sequence", "DefaultClause", "FetchedValue"}
)
# op.create_table items that cannot change the enum/check/column graph.
INERT_TABLE_ITEMS = frozenset(
    {"ForeignKeyConstraint", "UniqueConstraint", "Index", "ExcludeConstraint", "Identity", "Computed"}
)

# op.* calls that cannot change the enum/check/column graph.
INERT_OPS = frozenset(
    {
        "create_index",
        "drop_index",
        "create_foreign_key",
        "create_primary_key",
        "create_unique_constraint",
        "create_exclude_constraint",
        "bulk_insert",
        "create_table_comment",
        "drop_table_comment",
        "get_bind",
        "get_context",
        "inline_literal",
        "f",
        "invoke",
        "implementation_for",
        "register_operation",
    }
)

# Parameter names of op.* calls, in positional order ("*x" collects the rest). Inside
# ``batch_alter_table`` the ``table_name`` parameter is absent.
SIGNATURES: dict[str, tuple[str, ...]] = {
    "create_table": ("table_name", "*columns"),
    "drop_table": ("table_name",),
    "rename_table": ("old_table_name", "new_table_name"),
    "add_column": ("table_name", "column"),
    "drop_column": ("table_name", "column_name"),
    "alter_column": ("table_name", "column_name"),
    "create_check_constraint": ("constraint_name", "table_name", "condition"),
    "drop_constraint": ("constraint_name", "table_name", "type_"),
    "execute": ("sqltext",),
    # alembic-postgresql-enum
    "sync_enum_values": (
        "enum_schema",
        "enum_name",
        "new_values",
        "affected_columns",
        "enum_values_to_rename",
    ),
}
BATCH_OPS = frozenset(
    {"add_column", "drop_column", "alter_column", "create_check_constraint", "drop_constraint"}
)

# The statements op.alter_column emits, in order: PostgreSQL changes the type first; the generic
# implementation (SQLite) sets nullability and default first. MySQL restates the column instead.
ALTER_ORDER: dict[str, tuple[str, ...]] = {"postgresql": ("type", "nullable", "default", "rename")}
ALTER_ORDER_DEFAULT = ("nullable", "default", "type", "rename")

# Builder methods of SQLAlchemy DML constructs: ``op.execute(table.update().values(...))`` writes
# rows, it does not change the schema.
DML_METHODS = frozenset(
    {"insert", "update", "delete", "values", "where", "filter", "returning", "select", "from_select"}
)
# Calls that take a connection but only read the schema or run DML (sa.inspect(bind), Session(bind)).
READ_ONLY_BIND_CALLS = frozenset(
    {"inspect", "from_engine", "Session", "sessionmaker", "Table", "MetaData", "reflect"}
)
# Inspector methods that ask whether an object exists, and those that list the existing ones.
SCHEMA_PROBES = frozenset({"has_table", "has_index", "has_sequence"})
SCHEMA_LISTINGS = frozenset({"get_table_names", "get_sequence_names", "get_view_names"})
SQL_WRAPPERS = frozenset({"text", "DDL", "literal_column"})
# Functions that change only the indentation of the SQL text they are given.
TEXT_LAYOUT_CALLS = frozenset({"dedent", "cleandoc"})
# Methods of a TextClause / DDL element that bind parameters or options and keep the SQL text:
# ``sa.text("UPDATE ...").bindparams(x=1)`` runs the same statement as ``sa.text("UPDATE ...")``.
SQL_TEXT_KEEPING_METHODS = frozenset({"params", "bindparams", "columns", "execution_options"})

# Dialect names as SQLAlchemy spells them → the dialect schemalint models (MariaDB is MySQL here).
DIALECT_ALIASES: dict[str, str] = {"mariadb": "mysql"}
DIALECT_UNIVERSE: frozenset[str] = frozenset(DIALECTS)

_SQL_LITERAL = re.compile(
    r"'((?:[^']|'')*)'(?:\s*::\s*[\w\s.\"\[\]()]+|\s+COLLATE\s+\S+)?", re.IGNORECASE | re.DOTALL
)
# A statement that reads or writes rows, after leading blanks and `--` comments.
_ROW_STATEMENT = re.compile(r"(?:\s|--[^\n]*(?:\n|$))*(?:SELECT|INSERT|UPDATE|DELETE|WITH)\b", re.IGNORECASE)
_SQL_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?")
_SQL_KEYWORD_LITERALS = frozenset({"true", "false", "null"})


# --------------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------------


def extract_alembic_revision(
    source: str, path: str, dialect: Dialect, *, history: str = ""
) -> MigrationFacts:
    """Facts for one Alembic revision file: revision identifiers and the ops its ``upgrade()`` runs."""
    try:
        tree = parse_python(source, path)
    except (SyntaxError, ValueError, RecursionError, MemoryError) as error:
        return MigrationFacts(
            path=path, kind="alembic", diagnostics=(_syntax_diagnostic(error, path),), history=history
        )
    text = SourceText(path, source)
    module = _Module.read(tree)
    revision, revision_diagnostics = _revision_info(tree, module, text)
    downgrade = module.functions.get("downgrade")
    upgrade = module.functions.get("upgrade")
    # A revision with no parent upgrades an empty database: nothing it probes for exists yet.
    fresh = revision is not None and not revision.down_revisions and not revision.depends_on
    replay = _Replay(text, dialect, module, fresh=fresh)
    ops: list[Op] = []
    if upgrade is not None:
        ops = replay.block(upgrade.body, replay.root_scope())
    return MigrationFacts(
        path=path,
        kind="alembic",
        ops=tuple(ops),
        diagnostics=(*revision_diagnostics, *replay.diagnostics),
        revision=revision,
        statements=replay.statements,
        history=history,
        has_downgrade=downgrade is not None,
        downgrade_empty=downgrade is None or _is_empty_body(downgrade.body),
        downgrade_span=None if downgrade is None else _def_span(text, downgrade),
        downgrade_raises=downgrade is not None and _only_raises(downgrade.body),
        changes_schema=bool(ops) or replay.schema_calls > 0,
        features=tuple(replay.features),
    )


# --------------------------------------------------------------------------------------------
# Module reading: imports, constants, functions, revision identifiers
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Module:
    """What module-level code tells us: imports, constants, named expressions and functions."""

    imports: dict[str, str]  # local name → absolute dotted target
    constants: dict[str, PyConst]
    bindings: dict[str, ast.expr]  # NAME = <expression>, the last assignment wins
    functions: dict[str, ast.FunctionDef]
    classes: frozenset[str]  # classes defined in the file (custom TypeDecorators, ...)
    # Python enum classes defined in the file: member (name, value), value None when not static.
    enums: dict[str, tuple[tuple[str, PyConst], ...]] = field(default_factory=dict)

    @staticmethod
    def read(tree: ast.Module) -> _Module:
        imports: dict[str, str] = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.asname:
                        imports[alias.asname] = alias.name
                    else:
                        head = alias.name.split(".")[0]
                        imports[head] = head
            elif isinstance(node, ast.ImportFrom) and node.module:
                for alias in node.names:
                    imports[alias.asname or alias.name] = f"{node.module}.{alias.name}"
        bindings: dict[str, ast.expr] = {}
        functions: dict[str, ast.FunctionDef] = {}
        classes = frozenset(stmt.name for stmt in tree.body if isinstance(stmt, ast.ClassDef))
        for stmt in tree.body:
            if isinstance(stmt, ast.Assign):
                for target in stmt.targets:
                    if isinstance(target, ast.Name):
                        bindings[target.id] = stmt.value
            elif (
                isinstance(stmt, ast.AnnAssign)
                and stmt.value is not None
                and isinstance(stmt.target, ast.Name)
            ):
                bindings[stmt.target.id] = stmt.value
            elif isinstance(stmt, ast.FunctionDef):
                functions[stmt.name] = stmt
        constants = module_constants(tree)
        enums = {
            stmt.name: _enum_members(stmt, constants)
            for stmt in tree.body
            if isinstance(stmt, ast.ClassDef) and any(_is_enum_base(base) for base in stmt.bases)
        }
        return _Module(imports, constants, bindings, functions, classes, enums)

    def full_name(self, node: ast.AST) -> str | None:
        """``postgresql.ENUM`` → ``sqlalchemy.dialects.postgresql.ENUM`` through the imports."""
        name = dotted_name(node)
        if name is None:
            return None
        head, _, rest = name.partition(".")
        target = self.imports.get(head, head)
        return f"{target}.{rest}" if rest else target

    def names_for(self, target: str, default: str) -> frozenset[str]:
        """Local names bound to ``target`` (``from alembic import op`` → ``op``)."""
        names = {local for local, full in self.imports.items() if full == target}
        return frozenset(names or {default})


def _is_enum_base(base: ast.expr) -> bool:
    name = dotted_name(base) or ""
    return name.rsplit(".", 1)[-1] in ENUM_BASES


def _enum_members(cls: ast.ClassDef, constants: dict[str, PyConst]) -> tuple[tuple[str, PyConst], ...]:
    """Members in definition order, without aliases (a repeated value names the first member)."""
    members: list[tuple[str, PyConst]] = []
    seen: list[PyConst] = []
    for stmt in cls.body:
        if not (
            isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name)
        ):
            continue
        name = stmt.targets[0].id
        if name.startswith("_"):
            continue
        value = eval_const(stmt.value, constants)
        resolved = None if isinstance(value, Unresolved) else value
        if resolved is not None and resolved in seen:
            continue
        seen.append(resolved)
        members.append((name, resolved))
    return tuple(members)


def _syntax_diagnostic(error: Exception, path: str) -> Diagnostic:
    if isinstance(error, SyntaxError):
        line = error.lineno or 1
        column = error.offset or 1
        end_line = getattr(error, "end_lineno", None) or line
        end_column = getattr(error, "end_offset", None) or column + 1
        if (end_line, end_column) <= (line, column):
            end_line, end_column = line, column + 1
        span = Span(path, line, column, end_line, end_column)
        message = f"`{path}` is not valid Python: {error.msg}; its migration operations are unknown"
    else:
        span = Span.file(path)
        message = f"`{path}` is not valid Python: {error}; its migration operations are unknown"
    return Diagnostic(SYNTAX_ERROR, message, span)


def _revision_info(
    tree: ast.Module, module: _Module, text: SourceText
) -> tuple[RevisionInfo | None, tuple[Diagnostic, ...]]:
    diagnostics: list[Diagnostic] = []
    nodes: dict[str, ast.AST] = {}
    for stmt in tree.body:
        if isinstance(stmt, ast.Assign):
            for target in stmt.targets:
                if isinstance(target, ast.Name):
                    nodes[target.id] = stmt
        elif isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
            nodes[stmt.target.id] = stmt

    def identifiers(name: str) -> tuple[str, ...]:
        if name not in nodes:
            return ()
        value = module.constants.get(name, Unresolved(name))
        if value is None:
            return ()
        if isinstance(value, str):
            return (value,)
        if isinstance(value, tuple) and all(isinstance(item, str) for item in value):
            return tuple(item for item in value if isinstance(item, str))
        diagnostics.append(
            Diagnostic(
                UNRESOLVED,
                f"`{name}` could not be resolved statically to revision identifiers; "
                "this revision's place in the revision graph is unknown",
                text.span(nodes[name]),
            )
        )
        return ()

    revision = module.constants.get("revision")
    if not isinstance(revision, str):
        where = text.span(nodes["revision"]) if "revision" in nodes else Span.file(text.path)
        diagnostics.append(
            Diagnostic(
                UNRESOLVED,
                "`revision` is not a module-level string constant; "
                "the file cannot be placed in the revision graph",
                where,
            )
        )
        return None, tuple(diagnostics)

    def span_of(name: str) -> Span | None:
        return text.span(nodes[name]) if name in nodes else None

    info = RevisionInfo(
        revision=revision,
        down_revisions=identifiers("down_revision"),
        branch_labels=identifiers("branch_labels"),
        depends_on=identifiers("depends_on"),
        span=span_of("revision"),
        down_span=span_of("down_revision"),
        depends_span=span_of("depends_on"),
    )
    return info, tuple(diagnostics)


def _def_span(text: SourceText, func: ast.FunctionDef) -> Span:
    """``def name`` on the function's own line (decorators excluded)."""
    column = text.char_col(func.lineno, func.col_offset)
    return Span(text.path, func.lineno, column + 1, func.lineno, column + 5 + len(func.name))


def _only_raises(body: Sequence[ast.stmt]) -> bool:
    """``raise NotImplementedError(...)`` after an optional docstring: irreversible by design."""
    statements = [s for s in body if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))]
    return bool(statements) and all(isinstance(s, ast.Raise) for s in statements)


def _only_renames(node: ast.Call, method: str) -> bool:
    """``op.alter_column(t, c, new_column_name=...)`` with nothing else: SQLite renames columns."""
    if method != "alter_column":
        return False
    keywords = {kw.arg for kw in node.keywords} - {
        "existing_type",
        "existing_nullable",
        "existing_server_default",
    }
    return keywords == {"new_column_name"} and len(node.args) <= 2


def _is_empty_body(body: Sequence[ast.stmt]) -> bool:
    """Only ``pass``, ``...`` and docstrings (comments never reach the ``ast``)."""
    return all(
        isinstance(stmt, ast.Pass) or (isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant))
        for stmt in body
    )


# --------------------------------------------------------------------------------------------
# Replay of upgrade()
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Batch:
    """A ``with op.batch_alter_table(table) as alias`` block."""

    table: str
    # SQLite "move and copy": the table is rebuilt, so implicit CHECKs of new column types
    # are part of the new table (plain ALTER on SQLite skips them with a warning).
    recreate: bool


@dataclass(slots=True)
class _Scope:
    """Names visible while replaying statements. Branches share the dicts (Python semantics)."""

    dialect: Dialect  # the dialect this code runs on (a dialect branch may pin another one)
    live: bool  # False inside a dialect branch that never runs on the configured dialect
    env: dict[str, PyConst]
    bindings: dict[str, ast.expr]
    batches: dict[str, _Batch] = field(default_factory=dict)
    binds: set[str] = field(default_factory=set)  # names holding a connection: bind = op.get_bind()
    dialect_objects: set[str] = field(default_factory=set)  # names holding bind.dialect
    dialect_names: set[str] = field(default_factory=set)  # names holding bind.dialect.name
    flags: dict[str, frozenset[str]] = field(default_factory=dict)  # is_pg = bind.dialect.name == ...
    inlining: tuple[str, ...] = ()  # helper functions being inlined (recursion guard)
    guarded: bool = False  # inside ``if dialect.name == ...``: written for that dialect on purpose


@dataclass(frozen=True, slots=True)
class _EnumSpec:
    """An ``sa.Enum`` / ``postgresql.ENUM`` / ``mysql.ENUM`` as written in the migration."""

    labels: tuple[str, ...]
    name: str | None
    native_enum: bool
    create_constraint: bool
    length: int | None
    create_type: bool
    # ``schema=``; ``inherit_schema=True`` takes the table's schema instead. Without either the
    # type is in the default schema: Alembic's ops build their tables on a MetaData without one.
    schema: str | None = None
    inherit_schema: bool = False
    # The labels are an application enum's strings, filled in after extraction (``labels`` is
    # empty until then): see resolve_enum_labels.
    labels_ref: EnumLabelsRef | None = None


@dataclass(frozen=True, slots=True)
class _TypeResult:
    """A column type plus the DDL it implies besides the column itself."""

    type: ColumnType
    checks: tuple[CheckDef, ...] = ()  # CHECK of a non-native enum (create_constraint=True)
    creates: tuple[CreateEnumType, ...] = ()  # CREATE TYPE that precedes CREATE TABLE on PostgreSQL


@dataclass(frozen=True, slots=True)
class _OpCall:
    """An ``op.<name>(...)`` or ``batch_op.<name>(...)`` call with its arguments bound to parameters."""

    node: ast.Call
    name: str
    args: dict[str, ast.expr]
    rest: tuple[ast.expr, ...]
    scope: _Scope
    batch: _Batch | None


UNKNOWN_TYPE = ColumnType(family="unknown", name="")
# Expressions whose operands all run where the expression does.
_OPERATOR_NODES = (ast.Compare, ast.BoolOp, ast.BinOp, ast.UnaryOp, ast.Tuple, ast.List)


class _Replay:
    """Walks ``upgrade()`` statement by statement and turns Alembic calls into ops."""

    def __init__(self, text: SourceText, dialect: Dialect, module: _Module, *, fresh: bool = False) -> None:
        self.text = text
        self.fresh = fresh  # upgrade() runs on an empty database (a revision with no parent)
        self.dialect = dialect
        self.module = module
        self.op_names = module.names_for("alembic.op", "op")
        self.context_names = module.names_for("alembic.context", "context")
        self.diagnostics: list[Diagnostic] = []
        self.statements = 0
        # Types created implicitly by op.create_table in this migration. Alembic runs the
        # table's before_create events with itself as DDL runner, whose memo spans the whole
        # run: a type name used again in a later create_table is not created twice.
        self.created_types: set[str] = set()
        self.evaluating: set[str] = set()  # helpers whose return value is being read
        self.features: list[Feature] = []  # non-portable constructs (SL305), outside dialect branches
        self.schema_calls = 0  # op.* calls that change the schema, inert ones (create_index) included
        self.portable = 0  # > 0 while reading a ``with_variant`` type: written for several dialects

    def feature(self, name: str, node: ast.AST, scope: _Scope) -> None:
        if not scope.guarded and not self.portable:
            self.features.append(Feature(name, self.text.span(node)))

    def root_scope(self) -> _Scope:
        return _Scope(
            dialect=self.dialect,
            live=True,
            env=dict(self.module.constants),
            bindings=dict(self.module.bindings),
        )

    # ---- diagnostics ----------------------------------------------------------------------

    def unresolved(
        self, scope: _Scope, node: ast.AST, consequence: str, within: ast.AST | None = None
    ) -> None:
        """An SL004 naming ``node`` (and the call it sits in, if any)."""
        diagnostic = self.unresolved_diagnostic(scope, node, consequence, within)
        if diagnostic is not None:
            self.diagnostics.append(diagnostic)

    def unresolved_diagnostic(
        self, scope: _Scope, node: ast.AST, consequence: str, within: ast.AST | None = None
    ) -> Diagnostic | None:
        if not scope.live:
            return None  # code that never runs on the configured dialect
        what = f"`{self.short(node)}`"
        if within is not None and within is not node:
            what += f" in `{self.short(within)}`"
        message = f"{what} could not be resolved statically; {consequence}"
        return Diagnostic(UNRESOLVED, message, self.text.span(node))

    def short(self, node: ast.AST) -> str:
        source = self.text.segment(node)
        if "\n" not in source and len(source) <= 100:
            return source
        if isinstance(node, ast.Call):
            return f"{self.short(node.func)}(...)"
        first = source.splitlines()[0] if source else ""
        return first[:97] + "..."

    # ---- statements -----------------------------------------------------------------------

    def block(self, body: Sequence[ast.stmt], scope: _Scope) -> list[Op]:
        ops: list[Op] = []
        for index, stmt in enumerate(body):
            if isinstance(stmt, ast.Return) and stmt.value is not None:
                ops.extend(self.expression(stmt.value, scope))  # ``return conn.execute(...)`` runs it
            if isinstance(stmt, (ast.Return, ast.Raise)):
                break  # the rest of the block never runs
            rest = body[index + 1 :]
            if isinstance(stmt, ast.If) and rest and (_ends(stmt.body) or _ends(stmt.orelse)):
                # ``if not is_postgres(): return`` — what follows runs only on the other branch.
                folded = ast.If(
                    test=stmt.test,
                    body=stmt.body if _ends(stmt.body) else [*stmt.body, *rest],
                    orelse=stmt.orelse if _ends(stmt.orelse) else [*stmt.orelse, *rest],
                )
                ops.extend(self.statement(ast.copy_location(folded, stmt), scope))
                return ops
            ops.extend(self.statement(stmt, scope))
        return ops

    def statement(self, stmt: ast.stmt, scope: _Scope) -> list[Op]:
        if isinstance(stmt, ast.Expr):
            if isinstance(stmt.value, ast.Await):
                return self.expression(stmt.value.value, scope)
            return self.expression(stmt.value, scope)
        if isinstance(stmt, (ast.Assign, ast.AnnAssign)):
            return self.assignment(stmt, scope)
        if isinstance(stmt, ast.If):
            return self.if_statement(stmt, scope)
        if isinstance(stmt, ast.With):
            return self.with_statement(stmt, scope)
        if isinstance(stmt, ast.For):
            return self.for_statement(stmt, scope)
        if isinstance(stmt, ast.While):
            return self.repeated(stmt, [stmt.test], scope)
        if isinstance(stmt, ast.Try):
            # The body is what normally runs; handlers are the recovery path.
            return self.block([*stmt.body, *stmt.orelse, *stmt.finalbody], scope)
        if isinstance(stmt, (ast.Pass, ast.Return, ast.Import, ast.ImportFrom, ast.Global, ast.Nonlocal)):
            return []
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            return []
        if self.may_change_schema(stmt, scope):
            self.unresolved(
                scope, stmt, "the schema changes inside this statement are not in the database graph"
            )
        return []

    def assignment(self, stmt: ast.Assign | ast.AnnAssign, scope: _Scope) -> list[Op]:
        value = stmt.value
        if value is None:
            return []
        ops = self.expression(value, scope)
        targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
        for target in targets:
            if isinstance(target, ast.Name):
                self.bind_name(target.id, value, scope)
        return ops

    def bind_name(self, name: str, value: ast.expr, scope: _Scope) -> None:
        scope.bindings[name] = value
        for tracked in (scope.binds, scope.dialect_objects, scope.dialect_names):
            tracked.discard(name)
        scope.flags.pop(name, None)
        constant = eval_const(value, scope.env)
        if isinstance(constant, Unresolved):
            scope.env.pop(name, None)
        else:
            scope.env[name] = constant
        if self.is_bind(value, scope):
            scope.binds.add(name)
        elif (
            isinstance(value, ast.Attribute) and value.attr == "dialect" and self.is_bind(value.value, scope)
        ):
            scope.dialect_objects.add(name)
        elif self.is_dialect_name(value, scope):
            scope.dialect_names.add(name)
        else:
            test = self.dialect_test(value, scope)
            if test is not None:
                scope.flags[name] = test

    def with_statement(self, stmt: ast.With, scope: _Scope) -> list[Op]:
        batches = dict(scope.batches)
        for item in stmt.items:
            call = item.context_expr
            if isinstance(call, ast.Call) and self.op_method(call, scope) == "batch_alter_table":
                self.statements += 1
                batch = self.batch_of(call, scope)
                if batch is None:
                    return []
                if isinstance(item.optional_vars, ast.Name):
                    batches[item.optional_vars.id] = batch
        # Other context managers (op.get_context().autocommit_block(), ...) just run their body.
        return self.block(stmt.body, replace(scope, batches=batches))

    def batch_of(self, call: ast.Call, scope: _Scope) -> _Batch | None:
        table_node = call.args[0] if call.args else _keyword(call, "table_name")
        if table_node is None:
            self.unresolved(scope, call, "the operations in this batch are not in the database graph")
            return None
        table = self.string(
            table_node, scope, call, "the operations in this batch are not in the database graph"
        )
        if table is None:
            return None
        schema = self.optional_string(_keyword(call, "schema"), scope, call)
        table = qualified_name(schema, table, scope.dialect)
        recreate_node = _keyword(call, "recreate")
        recreate = eval_const(recreate_node, scope.env) if recreate_node is not None else "auto"
        # recreate="auto" rebuilds the table only on SQLite, which cannot ALTER most things.
        rebuilds = recreate == "always" or (recreate == "auto" and scope.dialect == "sqlite")
        return _Batch(table, rebuilds)

    def for_statement(self, stmt: ast.For, scope: _Scope) -> list[Op]:
        items = eval_const(stmt.iter, scope.env)
        if not isinstance(items, tuple) or not isinstance(stmt.target, (ast.Name, ast.Tuple)):
            return self.repeated(stmt, [stmt.iter], scope)
        ops: list[Op] = []
        for item in items:
            if not self.assign_loop_target(stmt.target, item, scope):
                self.unresolved(scope, stmt.target, "the loop could not be unrolled", within=stmt)
                return ops
            ops.extend(self.block(stmt.body, scope))
        return ops

    def repeated(self, stmt: ast.For | ast.While, heads: Sequence[ast.expr], scope: _Scope) -> list[Op]:
        """A loop run an unknown number of times, e.g. a data migration updating rows in batches.

        One pass is replayed: when it changes no schema the loop changes none either, and what it
        could not read is reported as usual. A pass that changes the schema cannot be repeated
        faithfully, so the loop is reported instead.
        """
        before = len(self.diagnostics)
        ops = [op for head in heads for op in self.expression(head, scope)]
        ops += self.block([*stmt.body, *stmt.orelse], scope)
        if not ops:
            return []
        del self.diagnostics[before:]
        where = stmt.test if isinstance(stmt, ast.While) else stmt.iter
        self.unresolved(
            scope, where, "the schema changes in this loop are not in the database graph", within=stmt
        )
        return []

    def assign_loop_target(self, target: ast.expr, item: PyConst, scope: _Scope) -> bool:
        if isinstance(target, ast.Name):
            scope.env[target.id] = item
            scope.bindings.pop(target.id, None)
            return True
        if isinstance(target, ast.Tuple) and isinstance(item, tuple) and len(item) == len(target.elts):
            pairs = zip(target.elts, item, strict=True)
            return all(self.assign_loop_target(elt, value, scope) for elt, value in pairs)
        return False

    # ---- if / dialect branches ------------------------------------------------------------

    def if_statement(self, stmt: ast.If, scope: _Scope) -> list[Op]:
        if self.dialect_test(stmt.test, scope) is not None:
            return self.dialect_branches(stmt, scope)
        decided = self.decide(stmt.test, scope)
        if decided is not None:
            return self.block(stmt.body if decided else stmt.orelse, scope)
        then_ops = self.block(stmt.body, scope)
        else_ops = self.block(stmt.orelse, scope)
        if not then_ops and not else_ops:
            return []
        return [Alternatives(branches=(tuple(then_ops), tuple(else_ops)), span=self.text.span(stmt))]

    def decide(self, test: ast.expr, scope: _Scope) -> bool | None:
        """The truth of an ``if`` condition when it is a constant (or ``context.is_offline_mode()``)."""
        # The database graph models an online ``alembic upgrade``.
        if isinstance(test, ast.Call) and self.callee_last(test) == "is_offline_mode":
            return False
        if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
            inner = self.decide(test.operand, scope)
            return None if inner is None else not inner
        if self.fresh:
            found = self.existence_probe(test, ())
            if found is not None:
                return found
        value = eval_const(test, scope.env)
        return None if isinstance(value, Unresolved) else bool(value)

    def existence_probe(self, test: ast.expr, helpers: tuple[str, ...]) -> bool | None:
        """What a probe of the live schema answers on an empty database: ``has_table("users")``,
        ``"users" in insp.get_table_names()``, or a helper in this file returning such a probe.
        None when ``test`` is no such probe."""
        if (
            isinstance(test, ast.Compare)
            and len(test.ops) == 1
            and isinstance(test.ops[0], (ast.In, ast.NotIn))
        ):
            listing = test.comparators[0]
            if isinstance(listing, ast.Call) and _called_name(listing) in SCHEMA_LISTINGS:
                return isinstance(test.ops[0], ast.NotIn)
            return None
        if not isinstance(test, ast.Call):
            return None
        if _called_name(test) in SCHEMA_PROBES:
            return False
        name = test.func.id if isinstance(test.func, ast.Name) else None
        function = self.module.functions.get(name) if name is not None and name not in helpers else None
        if function is None:
            return None
        returns = [s.value for s in ast.walk(function) if isinstance(s, ast.Return)]
        if len(returns) != 1 or returns[0] is None:
            return None
        return self.existence_probe(returns[0], (*helpers, function.name))

    def dialect_branches(self, stmt: ast.If, scope: _Scope) -> list[Op]:
        branches: list[tuple[frozenset[str] | None, tuple[Op, ...]]] = []
        matched = False  # an earlier branch already runs on the configured dialect
        saved_types = set(self.created_types)
        created: set[str] = set()
        node: ast.If | None = stmt
        orelse: list[ast.stmt] = []
        while node is not None:
            dialects = self.dialect_test(node.test, scope)
            if dialects is None:
                orelse = [node]
                break
            runs_here = scope.live and not matched and scope.dialect in dialects
            matched = matched or scope.dialect in dialects
            branch_scope = replace(
                scope, dialect=_branch_dialect(dialects, scope.dialect), live=runs_here, guarded=True
            )
            self.created_types = set(saved_types)
            branches.append((dialects, tuple(self.block(node.body, branch_scope))))
            created |= self.created_types
            orelse = node.orelse
            node = orelse[0] if len(orelse) == 1 and isinstance(orelse[0], ast.If) else None
            if node is not None and self.dialect_test(node.test, scope) is None:
                node = None
        if orelse:
            self.created_types = set(saved_types)
            else_scope = replace(scope, live=scope.live and not matched, guarded=True)
            branches.append((None, tuple(self.block(orelse, else_scope))))
            created |= self.created_types
        self.created_types = saved_types | created
        if not any(ops for _, ops in branches):
            return []
        return [DialectBranch(branches=tuple(branches), span=self.text.span(stmt))]

    def dialect_test(self, test: ast.expr, scope: _Scope) -> frozenset[str] | None:
        """The dialects on which ``test`` is true, or None if it is not a test on the dialect name."""
        if isinstance(test, ast.Name) and test.id in scope.flags:
            return scope.flags[test.id]
        returned = self.helper_result(test, scope)
        if returned is not None:
            return self.dialect_test(returned, scope)  # def _is_postgres(): return ... == "postgresql"
        if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
            inner = self.dialect_test(test.operand, scope)
            return None if inner is None else DIALECT_UNIVERSE - inner
        if isinstance(test, ast.BoolOp):
            parts = [self.dialect_test(value, scope) for value in test.values]
            if any(part is None for part in parts):
                return None
            sets = [part for part in parts if part is not None]
            if isinstance(test.op, ast.Or):
                return frozenset[str]().union(*sets)
            return frozenset(DIALECT_UNIVERSE).intersection(*sets)
        if not isinstance(test, ast.Compare) or len(test.ops) != 1:
            return None
        left, right, operator = test.left, test.comparators[0], test.ops[0]
        if not self.is_dialect_name(left, scope):
            left, right = right, left
            if not self.is_dialect_name(left, scope):
                return None
        value = eval_const(right, scope.env)
        names = (value,) if isinstance(value, str) else value
        if not isinstance(names, tuple) or not all(isinstance(name, str) for name in names):
            return None
        named = frozenset(DIALECT_ALIASES.get(str(name), str(name)) for name in names)
        if isinstance(operator, (ast.Eq, ast.In, ast.Is)):
            return named
        if isinstance(operator, (ast.NotEq, ast.NotIn, ast.IsNot)):
            return DIALECT_UNIVERSE - named
        return None

    def is_bind(self, node: ast.expr, scope: _Scope) -> bool:
        """``op.get_bind()``, ``context.get_bind()``, ``op.get_context()``, or a name holding one."""
        if isinstance(node, ast.Name):
            return node.id in scope.binds
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr in ("get_bind", "get_context"):
                return True
            return node.func.attr == "connect" and self.is_bind(node.func.value, scope)
        if isinstance(node, ast.Attribute) and node.attr in ("engine", "connection", "bind"):
            return self.is_bind(node.value, scope)
        return False

    def is_dialect_name(self, node: ast.expr, scope: _Scope) -> bool:
        if isinstance(node, ast.Name):
            return node.id in scope.dialect_names
        if not (isinstance(node, ast.Attribute) and node.attr == "name"):
            return False
        owner = node.value
        if isinstance(owner, ast.Name):
            return owner.id in scope.dialect_objects
        return (
            isinstance(owner, ast.Attribute) and owner.attr == "dialect" and self.is_bind(owner.value, scope)
        )

    # ---- expressions and calls ------------------------------------------------------------

    def expression(self, node: ast.expr, scope: _Scope) -> list[Op]:
        if isinstance(node, (ast.Await, ast.Subscript, ast.Attribute, ast.NamedExpr)):
            # ``conn.execute(...).fetchone()[0]``, ``conn.execute(...).rowcount``: the call still runs.
            return self.expression(node.value, scope)
        if isinstance(node, _OPERATOR_NODES):
            # ``while count_rows(conn) > 0 and loops < limit``: every operand is evaluated (at least
            # the first of a boolean chain; replaying all of them is the cautious reading).
            return [op for child in ast.iter_child_nodes(node) for op in self.expression_of(child, scope)]
        if not isinstance(node, ast.Call):
            return []
        method = self.op_method(node, scope)
        if method is not None:
            return self.op_call(node, method, scope)
        func = node.func
        if isinstance(func, ast.Attribute):
            if func.attr in ("create_all", "drop_all"):
                self.statements += 1
                reason = (
                    f"`{self.short(node)}` creates tables from models inside the migration, "
                    "so the database schema after it cannot be known from the migrations"
                )
                return [SchemaUnknowable(reason=reason, span=self.text.span(node))]
            if func.attr in ("create", "drop"):
                enum_ops = self.enum_create_or_drop(node, func, scope)
                if enum_ops is not None:
                    return enum_ops
            if func.attr in ("execute", "exec_driver_sql") and self.is_bind(func.value, scope):
                return self.execute(node, node.args[0] if node.args else None, scope)
        if isinstance(func, ast.Name) and func.id in self.module.functions:
            return self.inline(node, self.module.functions[func.id], scope)
        if self.passes_connection(node, scope) and self.callee_last(node) not in READ_ONLY_BIND_CALLS:
            self.unresolved(scope, node, "any schema change it makes is not in the database graph")
            return []
        # Whatever the callee, its receiver and arguments run first and may be DDL:
        # ``conn.execute(...).fetchone()``, ``next(iter(conn.execute(...)))``, ``print(op.execute(...))``.
        inner = [func.value] if isinstance(func, ast.Attribute) else []
        inner += [arg.value if isinstance(arg, ast.Starred) else arg for arg in node.args]
        inner += [keyword.value for keyword in node.keywords]
        return [op for part in inner for op in self.expression(part, scope)]

    def expression_of(self, node: ast.AST, scope: _Scope) -> list[Op]:
        return self.expression(node, scope) if isinstance(node, ast.expr) else []

    def op_method(self, call: ast.Call, scope: _Scope) -> str | None:
        """``create_table`` for ``op.create_table(...)`` / ``batch_op.create_table(...)``."""
        func = call.func
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
            owner = func.value.id
            if owner in self.op_names or owner in scope.batches:
                return func.attr
        return None

    def op_call(self, node: ast.Call, method: str, scope: _Scope) -> list[Op]:
        owner = node.func.value if isinstance(node.func, ast.Attribute) else node.func
        batch = scope.batches.get(owner.id) if isinstance(owner, ast.Name) else None
        if method != "execute":  # op.execute counts the SQL statements it runs
            self.statements += 1
        if method not in DATA_OPS:
            self.schema_calls += 1
        if batch is None and method in SQLITE_NEEDS_BATCH and not _only_renames(node, method):
            # SQLite cannot ALTER a column or add a constraint: Alembic raises unless batch mode
            # rebuilds the table.
            self.feature(SQLITE_NEEDS_BATCH[method], node, scope)
        if method in INERT_OPS:
            return []
        handler = OP_HANDLERS.get(method)
        if handler is None or (batch is not None and method not in BATCH_OPS and method != "execute"):
            self.unresolved(
                scope, node, f"`{method}` is not an Alembic operation schemalint knows; its effect is unknown"
            )
            return []
        params = SIGNATURES[method]
        if batch is not None:
            params = tuple(param for param in params if param != "table_name")
        bound = self.bind_arguments(node, params, scope)
        if bound is None:
            return []
        args, rest = bound
        return handler(self, _OpCall(node, method, args, rest, scope, batch))

    def bind_arguments(
        self, node: ast.Call, params: tuple[str, ...], scope: _Scope
    ) -> tuple[dict[str, ast.expr], tuple[ast.expr, ...]] | None:
        args: dict[str, ast.expr] = {}
        rest: list[ast.expr] = []
        positional = [param for param in params if not param.startswith("*")]
        for index, arg in enumerate(node.args):
            if isinstance(arg, ast.Starred):
                expanded = self.expand_starred(arg, scope)
                if expanded is None:
                    self.unresolved(scope, arg, "this operation is not in the database graph", within=node)
                    return None
                rest.extend(expanded)
            elif index < len(positional):
                args[positional[index]] = arg
            else:
                rest.append(arg)
        for keyword in node.keywords:
            if keyword.arg is None:
                continue  # **kwargs: dialect options, nothing the graph needs
            args[keyword.arg] = keyword.value
        return args, tuple(rest)

    def expand_starred(self, arg: ast.Starred, scope: _Scope) -> list[ast.expr] | None:
        value = self.resolve(arg.value, scope)
        if isinstance(value, (ast.Tuple, ast.List)):
            return list(value.elts)
        return None

    def resolve(self, node: ast.expr, scope: _Scope) -> ast.expr:
        """The expression a value stands for on this dialect.

        Follows names bound to expressions (``status = sa.Enum(...)``; ``sa.Column("s", status)``),
        ``a if is_pg else b`` and small helpers (``_uuid_type()`` returning a type per dialect).
        """
        seen: set[str] = set()
        for _ in range(32):
            if isinstance(node, ast.Name) and node.id in scope.bindings and node.id not in seen:
                seen.add(node.id)
                node = scope.bindings[node.id]
            elif isinstance(node, ast.IfExp) and (chosen := self.choose(node.test, scope)) is not None:
                node = node.body if chosen else node.orelse
            elif (returned := self.helper_result(node, scope)) is not None:
                node = returned
            else:
                break
        return node

    def choose(self, test: ast.expr, scope: _Scope) -> bool | None:
        """Whether ``test`` holds on this scope's dialect, when that can be decided."""
        dialects = self.dialect_test(test, scope)
        if dialects is not None:
            return scope.dialect in dialects
        return self.decide(test, scope)

    def helper_result(self, node: ast.expr, scope: _Scope) -> ast.expr | None:
        """What ``helper()`` returns on this dialect, for a module function without arguments."""
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)) or node.args or node.keywords:
            return None
        function = self.module.functions.get(node.func.id)
        if function is None or function.name in self.evaluating:
            return None
        self.evaluating.add(function.name)
        try:
            statements = list(function.body)
            while statements:
                stmt = statements.pop(0)
                if isinstance(stmt, ast.Return):
                    return stmt.value
                if isinstance(stmt, ast.If) and (chosen := self.choose(stmt.test, scope)) is not None:
                    statements[:0] = stmt.body if chosen else stmt.orelse
                elif not (isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant)):
                    return None
            return None
        finally:
            self.evaluating.discard(function.name)

    def passes_connection(self, node: ast.Call, scope: _Scope) -> bool:
        """A call that is handed ``op``, a connection or a batch may run DDL we cannot see."""
        for arg in [*node.args, *(keyword.value for keyword in node.keywords)]:
            if isinstance(arg, ast.Name) and (
                arg.id in self.op_names or arg.id in scope.binds or arg.id in scope.batches
            ):
                return True
            if self.is_bind(arg, scope):
                return True
        return False

    def may_change_schema(self, node: ast.AST, scope: _Scope) -> bool:
        for child in ast.walk(node):
            if isinstance(child, ast.Call) and (
                self.op_method(child, scope) is not None or self.passes_connection(child, scope)
            ):
                return True
        return False

    def inline(self, node: ast.Call, function: ast.FunctionDef, scope: _Scope) -> list[Op]:
        """Replay a module-level helper called from upgrade() with its arguments bound."""
        if function.name in scope.inlining or len(scope.inlining) >= 8:
            self.unresolved(scope, node, "recursive helpers are not followed", within=None)
            return []
        child = _Scope(
            dialect=scope.dialect,
            live=scope.live,
            env=dict(self.module.constants),
            bindings=dict(self.module.bindings),
            inlining=(*scope.inlining, function.name),
        )
        params = [*function.args.posonlyargs, *function.args.args]
        defaults = function.args.defaults
        for param, default in zip(params[len(params) - len(defaults) :], defaults, strict=True):
            self.bind_name(param.arg, default, child)
        for param, kw_default in zip(function.args.kwonlyargs, function.args.kw_defaults, strict=True):
            if kw_default is not None:
                self.bind_name(param.arg, kw_default, child)
        given = [(param.arg, arg) for param, arg in zip(params, node.args, strict=False)]
        given += [(keyword.arg, keyword.value) for keyword in node.keywords if keyword.arg is not None]
        for name, arg in given:
            if isinstance(arg, ast.Name) and arg.id in scope.batches:
                child.batches[name] = scope.batches[arg.id]
                continue
            if self.is_bind(arg, scope):  # ``helper(conn)``, ``helper(op.get_bind())``
                child.binds.add(name)
                continue
            constant = eval_const(arg, scope.env)
            child.bindings[name] = self.resolve(arg, scope)
            if isinstance(constant, Unresolved):
                child.env.pop(name, None)
            else:
                child.env[name] = constant
        return self.block(function.body, child)

    def string(self, node: ast.expr, scope: _Scope, within: ast.AST, consequence: str) -> str | None:
        """A static string argument (``op.f("name")`` unwrapped), or an SL004 and None."""
        if isinstance(node, ast.Call) and self.op_method(node, scope) == "f" and node.args:
            node = node.args[0]
        value = eval_const(node, scope.env)
        if isinstance(value, str):
            return value
        self.unresolved(scope, node, consequence, within=within)
        return None

    def optional_string(self, node: ast.expr | None, scope: _Scope, within: ast.AST) -> str | None:
        if node is None or (isinstance(node, ast.Constant) and node.value is None):
            return None
        return self.string(node, scope, within, "the name is left unknown")

    def flag(self, node: ast.expr | None, scope: _Scope, default: bool, within: ast.AST) -> bool:
        if node is None:
            return default
        value = eval_const(node, scope.env)
        if isinstance(value, Unresolved):
            self.unresolved(scope, node, f"`{default}` (the default) is assumed", within=within)
            return default
        return bool(value)

    def callee_last(self, call: ast.Call) -> str:
        name = self.module.full_name(call.func)
        return name.rsplit(".", 1)[-1] if name else ""

    # ---- op handlers ----------------------------------------------------------------------

    def table_of(self, c: _OpCall, parameter: str = "table_name") -> str | None:
        """The table an op works on, ``schema.table`` when ``schema=`` names another schema."""
        if c.batch is not None:
            return c.batch.table
        node = c.args.get(parameter)
        if node is None:
            self.unresolved(c.scope, c.node, "this operation is not in the database graph")
            return None
        table = self.string(node, c.scope, c.node, "this operation is not in the database graph")
        return None if table is None else self.in_schema(c, table)

    def in_schema(self, c: _OpCall, name: str) -> str:
        """``name`` in the schema the op's ``schema=`` names (PostgreSQL; a database elsewhere)."""
        schema = self.optional_string(c.args.get("schema"), c.scope, c.node)
        return qualified_name(schema, name, c.scope.dialect)

    def required(self, c: _OpCall, parameter: str) -> str | None:
        node = c.args.get(parameter)
        if node is None:
            self.unresolved(c.scope, c.node, "this operation is not in the database graph")
            return None
        return self.string(node, c.scope, c.node, "this operation is not in the database graph")

    def op_create_table(self, c: _OpCall) -> list[Op]:
        table = self.table_of(c)
        if table is None:
            return []
        span = self.text.span(c.node)
        columns: list[ColumnDef] = []
        checks: list[CheckDef] = []
        creates: list[Op] = []
        primary_key: set[str] = set()
        for written in c.rest:
            item = self.resolve(written, c.scope)
            kind = self.callee_last(item) if isinstance(item, ast.Call) else ""
            if isinstance(item, ast.Call) and kind == "Column":
                built = self.column(item, c.scope, "create", c.batch, schema_of(table))
                if built is None:
                    continue
                column, implied = built
                columns.append(column)
                checks.extend(implied.checks)
                creates.extend(implied.creates)
            elif isinstance(item, ast.Call) and kind == "CheckConstraint":
                check = self.check_constraint(item, c.scope)
                if check is not None:
                    checks.append(check)
            elif isinstance(item, ast.Call) and kind == "PrimaryKeyConstraint":
                for arg in item.args:
                    name = self.string(arg, c.scope, item, "its column is not marked as primary key")
                    if name is not None:
                        primary_key.add(name)
            elif not (isinstance(item, ast.Call) and kind in INERT_TABLE_ITEMS):
                self.unresolved(
                    c.scope, written, "this part of the table is not in the database graph", within=c.node
                )
        # PRIMARY KEY implies NOT NULL on every dialect.
        columns = [
            replace(column, primary_key=True, nullable=False) if column.name in primary_key else column
            for column in columns
        ]
        if_not_exists = self.flag(c.args.get("if_not_exists"), c.scope, False, c.node)
        create = CreateTable(table, tuple(columns), span, checks=tuple(checks), if_not_exists=if_not_exists)
        return [*creates, create]

    def op_drop_table(self, c: _OpCall) -> list[Op]:
        table = self.table_of(c)
        if table is None:
            return []
        if_exists = self.flag(c.args.get("if_exists"), c.scope, False, c.node)
        return [DropTable(table, self.text.span(c.node), if_exists=if_exists)]

    def op_rename_table(self, c: _OpCall) -> list[Op]:
        old, new = self.required(c, "old_table_name"), self.required(c, "new_table_name")
        if old is None or new is None:
            return []
        # Both names are in the op's schema: a rename does not move a table.
        return [RenameTable(self.in_schema(c, old), self.in_schema(c, new), self.text.span(c.node))]

    def op_add_column(self, c: _OpCall) -> list[Op]:
        table = self.table_of(c)
        written = c.args.get("column")
        if table is None or written is None:
            return []
        item = self.resolve(written, c.scope)
        if not (isinstance(item, ast.Call) and self.callee_last(item) == "Column"):
            self.unresolved(c.scope, written, "the added column is not in the database graph", within=c.node)
            return []
        built = self.column(item, c.scope, "add", c.batch, schema_of(table))
        if built is None:
            return []
        column, implied = built
        span = self.text.span(c.node)
        if_not_exists = self.flag(c.args.get("if_not_exists"), c.scope, False, c.node)
        # Alembic adds the column, then each implicit constraint with its own ALTER TABLE.
        return [
            AddColumn(table, column, span, if_not_exists=if_not_exists),
            *(AddCheck(table, check, span) for check in implied.checks),
        ]

    def op_drop_column(self, c: _OpCall) -> list[Op]:
        table, column = self.table_of(c), self.required(c, "column_name")
        if table is None or column is None:
            return []
        if_exists = self.flag(c.args.get("if_exists"), c.scope, False, c.node)
        return [DropColumn(table, column, self.text.span(c.node), if_exists=if_exists)]

    def op_alter_column(self, c: _OpCall) -> list[Op]:
        table, column = self.table_of(c), self.required(c, "column_name")
        if table is None or column is None:
            return []
        scope, span, args = c.scope, self.text.span(c.node), c.args
        new_name = self.optional_string(args.get("new_column_name"), scope, c.node)
        nullable_node = args.get("nullable")
        nullable = None
        if nullable_node is not None and not _is_none(nullable_node):
            nullable = self.flag(nullable_node, scope, True, c.node)
        type_node = None if _is_none(args.get("type_")) else args.get("type_")
        table_schema = schema_of(table)
        new_type = (
            self.column_type(type_node, scope, column, "alter", c.batch, table_schema) if type_node else None
        )
        # server_default: absent (or False, Alembic's "unchanged" sentinel) leaves the default
        # alone; None drops it.
        default_node = args.get("server_default")
        changes_default = default_node is not None and not _is_false(default_node)
        default = None
        if default_node is not None and changes_default:
            default = self.default_value(default_node, scope, c.node)

        ops: list[Op] = []
        existing = args.get("existing_type")
        if (
            new_type is not None
            and existing is not None
            and not _is_none(existing)
            and scope.dialect == "postgresql"
        ):
            # Alembic drops the implicit CHECK of the old (non-native enum) type first. Its MySQL
            # implementation skips type-bound CHECKs (the old one stays and keeps rejecting
            # values), and SQLite cannot drop constraints without a batch rebuild.
            old = self.column_type(
                existing, replace(scope, live=False), column, "alter", c.batch, table_schema
            )
            ops.extend(DropConstraint(table, check.name, span) for check in old.checks if check.name)

        comment = args.get("comment")
        restates = new_name is not None or nullable is not None or new_type is not None
        restates = restates or (comment is not None and not _is_false(comment))
        if scope.dialect == "mysql" and restates:
            restated = self.mysql_restatement(
                c, table, column, new_name, nullable, new_type, default, changes_default
            )
            if restated is not None:
                ops.append(restated)
                ops.extend(AddCheck(table, check, span) for check in (new_type.checks if new_type else ()))
                return ops
        changes: dict[str, Op] = {}
        if new_type is not None:
            changes["type"] = AlterColumnType(table, column, new_type.type, span)
        if nullable is not None:
            changes["nullable"] = SetNullable(table, column, nullable, span)
        if changes_default:
            changes["default"] = SetDefault(table, column, default, span)
        if new_name is not None:
            changes["rename"] = RenameColumn(table, column, new_name, span)
        ops.extend(
            changes[part] for part in ALTER_ORDER.get(scope.dialect, ALTER_ORDER_DEFAULT) if part in changes
        )
        # The implicit CHECK of the new type is added after the column has been altered.
        ops.extend(AddCheck(table, check, span) for check in (new_type.checks if new_type else ()))
        return ops

    def mysql_restatement(
        self,
        c: _OpCall,
        table: str,
        column: str,
        new_name: str | None,
        nullable: bool | None,
        new_type: _TypeResult | None,
        default: DefaultValue | None,
        changes_default: bool,
    ) -> AlterColumnType | None:
        """MySQL MODIFY / CHANGE restate the whole column from the ``existing_*`` arguments.

        Without ``existing_nullable`` the column becomes NULL-able, and without
        ``existing_server_default`` its default is dropped: that is what Alembic emits.
        """
        scope, args = c.scope, c.args
        column_type = new_type
        existing = args.get("existing_type")
        if column_type is None and existing is not None and not _is_none(existing):
            column_type = self.column_type(existing, scope, column, "alter", c.batch, schema_of(table))
        if column_type is None:
            return None  # Alembic refuses MODIFY without the existing type
        if nullable is None:
            nullable = self.flag(args.get("existing_nullable"), scope, True, c.node)
        if not changes_default:
            existing_default = args.get("existing_server_default")
            default = (
                None if existing_default is None else self.default_value(existing_default, scope, c.node)
            )
        return AlterColumnType(
            table,
            column,
            column_type.type,
            self.text.span(c.node),
            new_name=new_name,
            nullable=nullable,
            default=default,
            replaces_default=True,
        )

    def op_create_check_constraint(self, c: _OpCall) -> list[Op]:
        table = self.table_of(c)
        condition = c.args.get("condition")
        if table is None or condition is None:
            return []
        name = self.optional_string(c.args.get("constraint_name"), c.scope, c.node)
        span = self.text.span(c.node)
        check = self.check_condition(condition, name, span, c.scope, c.node)
        return [] if check is None else [AddCheck(table, check, span)]

    def op_drop_constraint(self, c: _OpCall) -> list[Op]:
        table, name = self.table_of(c), self.required(c, "constraint_name")
        if table is None or name is None:
            return []
        if_exists = self.flag(c.args.get("if_exists"), c.scope, False, c.node)
        return [DropConstraint(table, name, self.text.span(c.node), if_exists=if_exists)]

    def op_execute(self, c: _OpCall) -> list[Op]:
        return self.execute(c.node, c.args.get("sqltext"), c.scope)

    def op_sync_enum_values(self, c: _OpCall) -> list[Op]:
        # alembic-postgresql-enum: the type is recreated with exactly these labels; renamed
        # labels are carried over by the column conversion.
        name = self.required(c, "enum_name")
        values_node = c.args.get("new_values")
        if name is None or values_node is None:
            return []
        schema = self.optional_string(c.args.get("enum_schema"), c.scope, c.node)
        name = qualified_name(schema, name, c.scope.dialect)
        labels = eval_const(values_node, c.scope.env)
        if not (isinstance(labels, tuple) and all(isinstance(label, str) for label in labels)):
            self.unresolved(c.scope, values_node, "the enum's new labels are unknown", within=c.node)
            return []
        return [SyncEnumValues(name, tuple(str(label) for label in labels), self.text.span(c.node))]

    # ---- SQL -------------------------------------------------------------------------------

    def execute(self, call: ast.Call, written: ast.expr | None, scope: _Scope) -> list[Op]:
        consequence = "its statements are not in the database graph"
        if written is None:
            self.unresolved(scope, call, consequence)
            return []
        node = self.resolve(written, scope) if isinstance(written, ast.Name) else written
        while isinstance(node, ast.Call):
            if isinstance(node.func, ast.Attribute) and node.func.attr in SQL_TEXT_KEEPING_METHODS:
                inner = node.func.value
            elif self.callee_last(node) in SQL_WRAPPERS | TEXT_LAYOUT_CALLS and node.args:
                inner = node.args[0]
            else:
                break
            node = self.resolve(inner, scope) if isinstance(inner, ast.Name) else inner
        if self.is_dml(node):
            self.statements += 1
            return []
        text = eval_const(node, scope.env)
        if not isinstance(text, str):
            if _writes_rows_only(_sql_fragments(node)):
                self.statements += 1  # f"UPDATE t SET a = '{value}'": its values are unknown, not its kind
                return []
            self.unresolved(scope, call, consequence)
            return []
        ops, diagnostics, count = sql.sql_to_ops(
            text, self.text.path, scope.dialect, origin=self.origin(node)
        )
        self.statements += count
        if not scope.guarded:
            self.features.extend(
                sql.sql_features(text, self.text.path, scope.dialect, origin=self.origin(node))
            )
        if scope.live:
            self.diagnostics.extend(diagnostics)
        return list(ops)

    def is_dml(self, node: ast.expr) -> bool:
        """``table.update().where(...).values(...)``: SQLAlchemy DML, not DDL."""
        while isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr in DML_METHODS:
                return True
            node = node.func.value
        # ``select(...)`` imported by name: ``from sqlalchemy import select``.
        name = self.module.full_name(node.func) if isinstance(node, ast.Call) else None
        return name is not None and name.startswith("sqlalchemy.") and name.rsplit(".", 1)[-1] in DML_METHODS

    def origin(self, node: ast.expr) -> tuple[int, int]:
        """Line and 1-based column of the first character inside a string literal."""
        while isinstance(node, ast.BinOp):
            node = node.left
        line = getattr(node, "lineno", 1)
        column = self.text.char_col(line, getattr(node, "col_offset", 0))
        if not isinstance(node, (ast.Constant, ast.JoinedStr)) or not 1 <= line <= len(self.text.lines):
            return line, column + 1
        source = self.text.lines[line - 1]
        position = column
        while position < len(source) and source[position] in "rRuUbBfF":
            position += 1
        if source[position : position + 3] in ('"""', "'''"):
            position += 3
        else:
            position += 1
        return line, position + 1

    # ---- enum .create() / .drop() ---------------------------------------------------------

    def enum_create_or_drop(self, node: ast.Call, func: ast.Attribute, scope: _Scope) -> list[Op] | None:
        """``sa.Enum(...).create(bind, checkfirst=True)``; None when the receiver is not an enum."""
        target = self.resolve(func.value, scope)
        if not (isinstance(target, ast.Call) and self.callee_last(target) in ENUM_TYPES):
            return None
        self.statements += 1
        span = self.text.span(node)
        pg_enum = self.module.full_name(target.func) == "sqlalchemy.dialects.postgresql.ENUM"
        # postgresql.ENUM.create/drop default to checkfirst=True; sa.Enum (SchemaType) to False.
        checkfirst = self.flag(_keyword(node, "checkfirst"), scope, pg_enum, node)
        native = self.flag(_keyword(target, "native_enum"), scope, True, target)
        if pg_enum and native and scope.dialect == "mysql":
            # MySQL claims native enum support, so postgresql.ENUM.create() does not skip itself
            # there: it fails (observed: AttributeError 'has_type' with checkfirst, otherwise
            # UnsupportedCompilationError). sa.Enum(...).create() is a no-op on MySQL.
            return [
                FailingStatement(
                    f"`postgresql.ENUM(...).{func.attr}()` raises on MySQL/MariaDB; guard it with a dialect check",
                    span,
                )
            ]
        # Only PostgreSQL has named enum types; elsewhere create()/drop() emit nothing.
        if scope.dialect != "postgresql" or not native:
            return []
        if func.attr == "drop":
            # Dropping needs only the name, not the labels.
            name = self.enum_name(target, self.local_enum_class(target, scope), scope)
            if name is None:
                self.unresolved(scope, target, "the dropped type is unknown", within=node)
                return []
            name = qualified_name(self.type_schema(target, scope, None), name, scope.dialect)
            return [DropEnumType(name, span, if_exists=checkfirst)]
        spec = self.enum_spec(target, scope)  # reports an SL004 itself when the labels are unknown
        if spec is None:
            return []
        if spec.name is None:
            self.nameless_enum(target, scope)
            return []
        ref = spec.labels_ref
        return [
            CreateEnumType(
                qualified_name(spec.schema, spec.name, scope.dialect),
                spec.labels,
                span,
                if_not_exists=checkfirst,
                labels_known=ref is None,
                labels_ref=ref,
            )
        ]

    def nameless_enum(self, node: ast.AST, scope: _Scope) -> None:
        if scope.live:
            message = (
                f"`{self.short(node)}` has no `name=`: SQLAlchemy refuses to compile a PostgreSQL ENUM "
                "without a name, so this migration fails on PostgreSQL and the column type is unknown"
            )
            self.diagnostics.append(Diagnostic(UNRESOLVED, message, self.text.span(node)))

    # ---- columns, types, defaults, checks -------------------------------------------------

    def column(
        self,
        call: ast.Call,
        scope: _Scope,
        context: Context,
        batch: _Batch | None,
        table_schema: str | None = None,
    ) -> tuple[ColumnDef, _TypeResult] | None:
        args = list(call.args)
        name_node = _keyword(call, "name")
        if args and name_node is None:
            name_node = args.pop(0)
        if name_node is None:
            self.unresolved(scope, call, "the column has no name and is not in the database graph")
            return None
        name = self.string(name_node, scope, call, "the column is not in the database graph")
        if name is None:
            return None
        type_node = _keyword(call, "type_")
        schema_items = []
        for arg in args:
            resolved = self.resolve(arg, scope)
            is_item = isinstance(resolved, ast.Call) and self.callee_last(resolved) in COLUMN_SCHEMA_ITEMS
            if type_node is None and not is_item:
                type_node = arg
            else:
                schema_items.append(resolved)
        # A column typed only by its ForeignKey takes the referenced column's type.
        implied = (
            self.column_type(type_node, scope, name, context, batch, table_schema)
            if type_node
            else _TypeResult(UNKNOWN_TYPE)
        )
        checks = [
            check
            for item in schema_items
            if isinstance(item, ast.Call) and self.callee_last(item) == "CheckConstraint"
            for check in [self.check_constraint(item, scope)]
            if check is not None
        ]
        primary_key = self.flag(_keyword(call, "primary_key"), scope, False, call)
        nullable = self.flag(_keyword(call, "nullable"), scope, not primary_key, call)
        default_node = _keyword(call, "server_default")
        default = None if default_node is None else self.default_value(default_node, scope, call)
        column = ColumnDef(
            name=name,
            type=implied.type,
            span=self.text.span(call),
            nullable=nullable,
            default=default,
            checks=tuple(checks),
            primary_key=primary_key,
        )
        return column, implied

    def column_type(
        self,
        written: ast.expr,
        scope: _Scope,
        column: str,
        context: Context,
        batch: _Batch | None,
        table_schema: str | None = None,
    ) -> _TypeResult:
        """The type of ``column``; ``table_schema`` is its table's (for ``inherit_schema=True``)."""
        node = self.resolve(written, scope)
        call = node if isinstance(node, ast.Call) else None
        if call is not None and isinstance(call.func, ast.Attribute) and call.func.attr == "with_variant":
            self.portable += 1
            try:
                variant = self.variant(call, scope)
                return self.column_type(variant, scope, column, context, batch, table_schema)
            finally:
                self.portable -= 1
        full = self.module.full_name(call.func if call else node)
        if full is not None and full.rsplit(".", 1)[-1] in FEATURE_TYPES:
            self.feature(FEATURE_TYPES[full.rsplit(".", 1)[-1]], written, scope)
        if full is None:
            self.unresolved(scope, written, f"the type of column `{column}` is unknown")
            return _TypeResult(UNKNOWN_TYPE)
        last = full.rsplit(".", 1)[-1]
        if last in ENUM_TYPES:
            if call is None:
                return _TypeResult(UNKNOWN_TYPE)
            return self.enum_type(call, scope, column, context, batch, table_schema)
        family = TYPE_FAMILIES.get(last)
        if family is None:
            root = (dotted_name(call.func if call else node) or "").split(".")[0]
            known = self.module.imports.keys() | scope.bindings.keys() | self.module.classes
            if root not in known:
                self.unresolved(scope, written, f"the type of column `{column}` is unknown")
                return _TypeResult(UNKNOWN_TYPE)
            # A custom or dialect type we do not model (TypeDecorator, INET, ...).
            return _TypeResult(ColumnType(family="other", name=last.lower()))
        kind, sql_name = family
        if call is None:
            timezone = False if kind in TIMEZONE_FAMILIES else None
            return _TypeResult(ColumnType(family=kind, name=sql_name, timezone=timezone))
        if kind == "array":
            item = call.args[0] if call.args else _keyword(call, "item_type")
            inner = (
                self.column_type(item, scope, column, context, batch, table_schema).type
                if item
                else UNKNOWN_TYPE
            )
            return _TypeResult(ColumnType(family="array", name=f"{inner.name}[]"))
        length: int | None = None
        if kind in LENGTH_FAMILIES:
            length_node = call.args[0] if call.args else _keyword(call, "length")
            value = eval_const(length_node, scope.env) if length_node is not None else None
            length = value if isinstance(value, int) and not isinstance(value, bool) else None
        timezone = None
        if kind in TIMEZONE_FAMILIES:
            timezone = self.flag(_keyword(call, "timezone"), scope, False, call)
        return _TypeResult(ColumnType(family=kind, name=sql_name, length=length, timezone=timezone))

    def variant(self, call: ast.Call, scope: _Scope) -> ast.expr:
        """``sa.JSON().with_variant(postgresql.JSONB(), "postgresql")``: the type used on this dialect."""
        base = call.func.value if isinstance(call.func, ast.Attribute) else call.func
        if len(call.args) < 2:
            return base
        names = eval_const(call.args[1], scope.env)
        names = (names,) if isinstance(names, str) else names
        if isinstance(names, tuple) and scope.dialect in {DIALECT_ALIASES.get(str(n), str(n)) for n in names}:
            return call.args[0]
        return base

    def enum_spec(self, call: ast.Call, scope: _Scope) -> _EnumSpec | None:
        """The enum as written, or None (after an SL004) when its labels are not static strings."""
        enum_class = self.local_enum_class(call, scope)
        labels: PyConst | Unresolved
        labels_ref = None
        if enum_class is not None:
            labels = self.enum_class_labels(call, enum_class, scope)
        else:
            labels = eval_const(ast.Tuple(elts=list(call.args), ctx=ast.Load()), scope.env)
            if isinstance(labels, Unresolved):
                labels_ref = self.application_enum(call, scope)
                if labels_ref is not None:
                    labels = ()
                    enum_class = labels_ref.target.rsplit(".", 1)[-1]
        if not (isinstance(labels, tuple) and all(isinstance(label, str) for label in labels)):
            self.unresolved(
                scope,
                call,
                "its labels come from a Python enum class or a value defined elsewhere, "
                "so the column type is unknown",
            )
            return None
        native = self.flag(_keyword(call, "native_enum"), scope, True, call)
        length_node = _keyword(call, "length")
        length = eval_const(length_node, scope.env) if length_node is not None else None
        return _EnumSpec(
            labels=tuple(str(label) for label in labels),
            name=self.enum_name(call, enum_class, scope),
            native_enum=native,
            create_constraint=self.flag(_keyword(call, "create_constraint"), scope, False, call),
            length=length if isinstance(length, int) and not isinstance(length, bool) else None,
            create_type=self.flag(_keyword(call, "create_type"), scope, True, call),
            schema=self.optional_string(_keyword(call, "schema"), scope, call),
            inherit_schema=self.flag(_keyword(call, "inherit_schema"), scope, False, call),
            labels_ref=labels_ref,
        )

    def application_enum(self, call: ast.Call, scope: _Scope) -> EnumLabelsRef | None:
        """``sa.Enum(UserRole, ...)`` with the class defined outside this file (the application).

        The labels are what SQLAlchemy derives from the class when the migration runs, so they
        are read from the project's models after extraction. None (an SL004 follows) when the
        argument is not a plain class name or its ``values_callable`` cannot be read.
        """
        if len(call.args) != 1:
            return None
        written = self.resolve(call.args[0], scope)
        dotted = dotted_name(written)
        if dotted is None or dotted.split(".", 1)[0] in scope.env:
            return None
        values_callable = None
        callable_node = _keyword(call, "values_callable")
        if callable_node is not None:
            steps = self.values_callable_steps(callable_node)
            if steps is None:
                return None
            values_callable = ValuesCallable(steps, self.short(callable_node))
        target = self.module.full_name(written) or dotted
        unresolved = self.unresolved_diagnostic(
            scope,
            call,
            f"its labels come from the Python enum `{target}`, which is not defined in this project, "
            "so the column type is unknown",
        )
        omit_aliases = self.flag(_keyword(call, "omit_aliases"), scope, True, call)
        return EnumLabelsRef(target, unresolved, values_callable, omit_aliases)

    def values_callable_steps(self, node: ast.expr) -> tuple[str, ...] | None:
        """``lambda e: [m.value for m in e]`` (or a module-level function) as ValuesCallable steps."""
        if isinstance(node, ast.Lambda):
            return values_callable_steps(node.args, [node.body])
        function = self.module.functions.get(node.id) if isinstance(node, ast.Name) else None
        if function is None:
            return None
        returns = [s.value for s in function.body if isinstance(s, ast.Return) and s.value is not None]
        return values_callable_steps(function.args, returns) if len(returns) == 1 else None

    def local_enum_class(self, call: ast.Call, scope: _Scope) -> str | None:
        """``sa.Enum(Status)`` where ``class Status(enum.Enum)`` is defined in this file."""
        if len(call.args) != 1 or not isinstance(call.args[0], ast.Name):
            return None
        name = call.args[0].id
        if name in self.module.enums and name not in scope.env and name not in self.module.bindings:
            return name
        return None

    def enum_class_labels(self, call: ast.Call, enum_class: str, scope: _Scope) -> PyConst | Unresolved:
        # SQLAlchemy stores member names unless values_callable says otherwise.
        members = self.module.enums[enum_class]
        values_callable = _keyword(call, "values_callable")
        if values_callable is None:
            return tuple(name for name, _ in members)
        if _is_values_lambda(values_callable):
            values = tuple(value for _, value in members)
            if all(isinstance(value, str) for value in values):
                return values
        return Unresolved(self.short(values_callable))

    def enum_name(self, call: ast.Call, enum_class: str | None, scope: _Scope) -> str | None:
        name_node = _keyword(call, "name")
        if name_node is None and enum_class is not None:
            return enum_class.lower()  # SQLAlchemy names the type after the class
        return self.optional_string(name_node, scope, call)

    def type_schema(self, call: ast.Call, scope: _Scope, table_schema: str | None) -> str | None:
        """The schema of a named enum type: ``schema=``, else the table's with ``inherit_schema=True``,
        else the default schema (Alembic's ops use a MetaData without a schema)."""
        schema = self.optional_string(_keyword(call, "schema"), scope, call)
        if schema is None and self.flag(_keyword(call, "inherit_schema"), scope, False, call):
            return table_schema
        return schema

    def enum_type(
        self,
        call: ast.Call,
        scope: _Scope,
        column: str,
        context: Context,
        batch: _Batch | None,
        table_schema: str | None = None,
    ) -> _TypeResult:
        spec = self.enum_spec(call, scope)
        dialect = scope.dialect
        span = self.text.span(call)
        if spec is None:
            return self.foreign_enum_type(call, scope, context, span, table_schema)
        ref = spec.labels_ref
        # Until an application enum's labels are filled in, they are unknown (None), not empty.
        labels = None if ref is not None else spec.labels
        # SQLite has no enum type: the column is always a VARCHAR there.
        native = spec.native_enum and dialect != "sqlite"
        if native and dialect == "postgresql":
            if spec.name is None:
                self.nameless_enum(call, scope)
                return _TypeResult(UNKNOWN_TYPE)
            schema = table_schema if spec.schema is None and spec.inherit_schema else spec.schema
            type_name = qualified_name(schema, spec.name, dialect)
            # The labels are what the migration declares the type to hold; the graph uses them
            # only when no migration creates the type (``create_type=False``, op.add_column).
            column_type = ColumnType(
                family="user", name=type_name, type_ref=type_name, labels=labels, labels_ref=ref
            )
            # Only op.create_table creates the type (before the table); op.add_column and
            # op.alter_column with an sa.Enum expect it to exist already.
            if context != "create" or not spec.create_type or type_name in self.created_types:
                return _TypeResult(column_type)
            self.created_types.add(type_name)
            create = CreateEnumType(type_name, spec.labels, span, labels_known=ref is None, labels_ref=ref)
            return _TypeResult(column_type, creates=(create,))
        if native:
            # MySQL / MariaDB: an inline ENUM('a', 'b'); the type name is ignored, no CHECK.
            return _TypeResult(ColumnType(family="enum", name="enum", labels=labels, labels_ref=ref))
        # VARCHAR as long as the longest label unless length= says otherwise (filled in with the
        # labels of an application enum).
        length = spec.length
        if length is None and ref is None:
            length = max((len(label) for label in spec.labels), default=0)
        column_type = ColumnType(family="text", name="varchar", length=length, labels_ref=ref)
        # The CHECK is named after the type (unnamed if the type has none). SQLite cannot ALTER
        # TABLE ADD CONSTRAINT: Alembic skips it there unless a batch rebuilds the table.
        applies = context == "create" or dialect != "sqlite" or (batch is not None and batch.recreate)
        if not (spec.create_constraint and applies):
            return _TypeResult(column_type)
        check = CheckDef(
            name=spec.name,
            expression=_in_list(column, spec.labels),
            span=span,
            column=column,
            values=labels,
            labels_ref=ref,
        )
        return _TypeResult(column_type, checks=(check,))

    def foreign_enum_type(
        self, call: ast.Call, scope: _Scope, context: Context, span: Span, table_schema: str | None = None
    ) -> _TypeResult:
        """``sa.Enum(SomeEnum, values_callable=<unreadable>)``: the labels are unknown (an SL004 says
        so), but on PostgreSQL the type's name, and that op.create_table creates it, are still
        known, so a model using that type is not told it was never created."""
        args = call.args
        if scope.dialect != "postgresql" or len(args) != 1 or dotted_name(args[0]) is None:
            return _TypeResult(UNKNOWN_TYPE)
        if not self.flag(_keyword(call, "native_enum"), scope, True, call):
            return _TypeResult(UNKNOWN_TYPE)
        class_name = (dotted_name(args[0]) or "").rsplit(".", 1)[-1]
        name = self.enum_name(call, class_name, scope)
        if name is None:
            return _TypeResult(UNKNOWN_TYPE)
        name = qualified_name(self.type_schema(call, scope, table_schema), name, scope.dialect)
        column_type = ColumnType(family="user", name=name, type_ref=name)
        create_type = self.flag(_keyword(call, "create_type"), scope, True, call)
        if context != "create" or not create_type or name in self.created_types:
            return _TypeResult(column_type)
        self.created_types.add(name)
        return _TypeResult(column_type, creates=(CreateEnumType(name, (), span, labels_known=False),))

    def default_value(self, written: ast.expr, scope: _Scope, within: ast.AST) -> DefaultValue | None:
        """A ``server_default``: a plain string is a literal, ``sa.text(...)`` is SQL."""
        node = self.resolve(written, scope)
        if _is_none(node):
            return None
        if isinstance(node, ast.Call):
            last = self.callee_last(node)
            full = self.module.full_name(node.func) or ""
            if last in ("text", "literal_column", "DefaultClause") and node.args:
                inner = eval_const(self.resolve(node.args[0], scope), scope.env)
                if isinstance(inner, str):
                    return _sql_default(inner) if last != "DefaultClause" else _string_default(inner)
                if last == "DefaultClause":
                    return self.default_value(node.args[0], scope, within)
            elif ".func." in f".{full}" or full.startswith("func."):
                source = self.text.segment(node)
                return DefaultValue(None, False, source.split("func.", 1)[-1])
            elif last in ("true", "false", "null") and not node.args:
                return _sql_default(last)
        value = eval_const(node, scope.env)
        if isinstance(value, str):
            return _string_default(value)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return _sql_default(str(value))
        self.unresolved(scope, written, "the column default is unknown", within=within)
        return DefaultValue(None, False, self.text.segment(written))

    def check_constraint(self, call: ast.Call, scope: _Scope) -> CheckDef | None:
        condition = call.args[0] if call.args else _keyword(call, "sqltext")
        if condition is None:
            self.unresolved(scope, call, "the CHECK constraint is not in the database graph")
            return None
        name = self.optional_string(_keyword(call, "name"), scope, call)
        return self.check_condition(condition, name, self.text.span(call), scope, call)

    def check_condition(
        self, written: ast.expr, name: str | None, span: Span, scope: _Scope, within: ast.AST
    ) -> CheckDef | None:
        node = self.resolve(written, scope)
        if isinstance(node, ast.Call) and self.callee_last(node) in SQL_WRAPPERS and node.args:
            node = self.resolve(node.args[0], scope)
        text = eval_const(node, scope.env)
        if isinstance(text, str):
            for feature in sql.statement_features(f"CHECK ({text})"):
                self.feature(feature, written, scope)
            return sql.check_from_expression(text, scope.dialect, span, name)
        in_list = self.in_list_condition(node, scope)
        if in_list is not None:
            column, values = in_list
            return CheckDef(name, _in_list(column, values), span, column=column, values=values)
        self.unresolved(scope, written, "the CHECK constraint is not in the database graph", within=within)
        return None

    def in_list_condition(self, node: ast.expr, scope: _Scope) -> tuple[str, tuple[str, ...]] | None:
        """``sa.column("status").in_(["a", "b"])`` → ("status", ("a", "b"))."""
        if not (
            isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "in_"
        ):
            return None
        target = node.func.value
        if not (isinstance(target, ast.Call) and self.callee_last(target) in ("column", "literal_column")):
            return None
        column = eval_const(target.args[0], scope.env) if target.args else None
        values = eval_const(node.args[0], scope.env) if len(node.args) == 1 else None
        if not isinstance(column, str) or not isinstance(values, tuple):
            return None
        if not all(isinstance(value, str) for value in values):
            return None
        return column, tuple(str(value) for value in values)


OpHandler = Callable[[_Replay, _OpCall], list[Op]]

OP_HANDLERS: dict[str, OpHandler] = {
    "create_table": _Replay.op_create_table,
    "drop_table": _Replay.op_drop_table,
    "rename_table": _Replay.op_rename_table,
    "add_column": _Replay.op_add_column,
    "drop_column": _Replay.op_drop_column,
    "alter_column": _Replay.op_alter_column,
    "create_check_constraint": _Replay.op_create_check_constraint,
    "drop_constraint": _Replay.op_drop_constraint,
    "execute": _Replay.op_execute,
    "sync_enum_values": _Replay.op_sync_enum_values,
}


# --------------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------------


def _is_values_lambda(node: ast.expr) -> bool:
    """``lambda e: [m.value for m in e]`` (any names; list, tuple() or generator forms)."""
    if not (isinstance(node, ast.Lambda) and len(node.args.args) == 1):
        return False
    param = node.args.args[0].arg
    body = node.body
    if isinstance(body, ast.Call) and isinstance(body.func, ast.Name) and body.func.id in ("list", "tuple"):
        body = body.args[0] if len(body.args) == 1 else body
    if not isinstance(body, (ast.ListComp, ast.GeneratorExp)) or len(body.generators) != 1:
        return False
    loop = body.generators[0]
    element = body.elt
    return (
        isinstance(loop.iter, ast.Name)
        and loop.iter.id == param
        and isinstance(loop.target, ast.Name)
        and isinstance(element, ast.Attribute)
        and element.attr == "value"
        and isinstance(element.value, ast.Name)
        and element.value.id == loop.target.id
        and not loop.ifs
    )


def _sql_fragments(node: ast.expr) -> list[str | None] | None:
    """The pieces of SQL text built at run time, in order: literal text, or None for a value.

    ``f"UPDATE t SET a = '{x}' WHERE id = {y}"``, ``"DELETE FROM t WHERE id = " + str(y)``,
    ``"UPDATE t SET a = %s" % x`` and ``"...".format(x)`` keep their literal parts. None when
    the text does not start with a literal.
    """
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.JoinedStr):
        if not node.values or not isinstance(node.values[0], ast.Constant):
            return None
        return [
            part.value if isinstance(part, ast.Constant) and isinstance(part.value, str) else None
            for part in node.values
        ]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        head = _sql_fragments(node.left)
        return None if head is None else head + (_sql_fragments(node.right) or [None])
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):
        return _sql_fragments(node.left)  # the %s placeholders stand where the values go
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format":
        return _sql_fragments(node.func.value)
    return None


def _writes_rows_only(fragments: list[str | None] | None) -> bool:
    """Whether SQL with these pieces is one row-level statement (SELECT/INSERT/UPDATE/DELETE).

    A ``;`` before the end could start another statement, so it disqualifies the text; an
    interpolated value is taken to be a value, not a statement of its own.
    """
    if not fragments or fragments[0] is None:
        return False
    text = "".join("?" if piece is None else piece for piece in fragments).rstrip().removesuffix(";")
    return _ROW_STATEMENT.match(fragments[0]) is not None and ";" not in text


def _called_name(call: ast.Call) -> str:
    """The last name of what is called: ``has_table`` in ``sa.inspect(bind).has_table(...)``."""
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""


def _ends(body: Sequence[ast.stmt]) -> bool:
    """The block leaves the function (``return`` / ``raise`` as its last statement)."""
    return bool(body) and isinstance(body[-1], (ast.Return, ast.Raise))


def _keyword(call: ast.Call, name: str) -> ast.expr | None:
    for keyword in call.keywords:
        if keyword.arg == name:
            return keyword.value
    return None


def _is_none(node: ast.expr | None) -> bool:
    return isinstance(node, ast.Constant) and node.value is None


def _is_false(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and node.value is False


def _branch_dialect(dialects: frozenset[str], configured: Dialect) -> Dialect:
    """The dialect a branch's code is read as: the configured one if the branch runs there."""
    if configured in dialects:
        return configured
    return next(iter(sorted(d for d in DIALECTS if d in dialects)), configured)


def _quote(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _in_list(column: str, values: Sequence[str]) -> str:
    return f"{column} IN ({', '.join(_quote(value) for value in values)})"


def _string_default(value: str) -> DefaultValue:
    # A plain Python string is rendered as a quoted SQL literal.
    return DefaultValue(value, True, _quote(value))


def _sql_default(text: str) -> DefaultValue:
    """A ``sa.text(...)`` default: a quoted literal (optionally cast), a number, or an expression."""
    sql_text = text.strip()
    inner = sql_text
    while inner.startswith("(") and inner.endswith(")"):
        inner = inner[1:-1].strip()
    literal = _SQL_LITERAL.fullmatch(inner)
    if literal is not None:
        return DefaultValue(literal.group(1).replace("''", "'"), True, sql_text)
    if _SQL_NUMBER.fullmatch(inner):
        return DefaultValue(inner, True, sql_text)
    if inner.lower() in _SQL_KEYWORD_LITERALS:
        return DefaultValue(None if inner.lower() == "null" else inner.lower(), True, sql_text)
    return DefaultValue(None, False, sql_text)


def iter_ops(ops: Sequence[Op]) -> Iterator[Op]:
    """Every op, descending into dialect branches and alternatives (handy for callers and tests)."""
    for op in ops:
        yield op
        if isinstance(op, DialectBranch):
            for _, branch in op.branches:
                yield from iter_ops(branch)
        elif isinstance(op, Alternatives):
            for branch in op.branches:
                yield from iter_ops(branch)


# --------------------------------------------------------------------------------------------
# Application enums: labels filled in after extraction, once every model module is known
# --------------------------------------------------------------------------------------------

LabelsOf = Callable[[EnumLabelsRef], "tuple[str, ...] | None"]


def has_enum_references(facts: MigrationFacts) -> bool:
    """Whether some op still waits for an application enum's labels."""
    return any(_references(op) for op in iter_ops(facts.ops))


def resolve_enum_labels(facts: MigrationFacts, labels_of: LabelsOf) -> MigrationFacts:
    """``facts`` with every application enum reference replaced by the enum's labels.

    The DDL then reads as if the labels had been written out: PostgreSQL's CREATE TYPE, MySQL's
    inline ENUM, the VARCHAR length and the CHECK of a non-native enum. A reference that cannot
    be resolved (the enum is not in this project) leaves what the extractor knew without the
    labels: on PostgreSQL the named type with unknown labels, elsewhere an unknown column type
    and no CHECK; its SL004 is added once.
    """
    if not has_enum_references(facts):
        return facts
    unresolved: list[Diagnostic] = []

    def labels(ref: EnumLabelsRef) -> tuple[str, ...] | None:
        found = labels_of(ref)
        if found is None and ref.unresolved is not None and ref.unresolved not in unresolved:
            unresolved.append(ref.unresolved)
        return found

    ops = _resolve_ops(facts.ops, labels)
    return replace(facts, ops=ops, diagnostics=(*facts.diagnostics, *unresolved))


def _references(op: Op) -> bool:
    if isinstance(op, CreateEnumType):
        return op.labels_ref is not None
    if isinstance(op, CreateTable):
        return any(c.type.labels_ref for c in op.columns) or any(c.labels_ref for c in op.checks)
    if isinstance(op, AddColumn):
        return op.column.type.labels_ref is not None
    if isinstance(op, AlterColumnType):
        return op.type.labels_ref is not None
    if isinstance(op, AddCheck):
        return op.check.labels_ref is not None
    return False


def _resolve_ops(ops: tuple[Op, ...], labels: LabelsOf) -> tuple[Op, ...]:
    out: list[Op] = []
    for op in ops:
        resolved = _resolve_op(op, labels)
        if resolved is not None:
            out.append(resolved)
    return tuple(out)


def _resolve_op(op: Op, labels: LabelsOf) -> Op | None:
    """The op with its labels filled in; None for a CHECK whose values stay unknown."""
    if isinstance(op, DialectBranch):
        return replace(op, branches=tuple((d, _resolve_ops(b, labels)) for d, b in op.branches))
    if isinstance(op, Alternatives):
        return replace(op, branches=tuple(_resolve_ops(b, labels) for b in op.branches))
    if not _references(op):
        return op
    if isinstance(op, CreateEnumType) and op.labels_ref is not None:
        found = labels(op.labels_ref)
        if found is None:
            return replace(op, labels_ref=None)  # still created, labels unknown (labels_known=False)
        return replace(op, labels=found, labels_known=True, labels_ref=None)
    if isinstance(op, CreateTable):
        columns = tuple(replace(c, type=_resolve_type(c.type, labels)) for c in op.columns)
        checks = tuple(c for c in (_resolve_check(c, labels) for c in op.checks) if c is not None)
        return replace(op, columns=columns, checks=checks)
    if isinstance(op, AddColumn):
        return replace(op, column=replace(op.column, type=_resolve_type(op.column.type, labels)))
    if isinstance(op, AlterColumnType):
        return replace(op, type=_resolve_type(op.type, labels))
    if isinstance(op, AddCheck):
        check = _resolve_check(op.check, labels)
        return None if check is None else replace(op, check=check)
    return op


def _resolve_type(column_type: ColumnType, labels: LabelsOf) -> ColumnType:
    ref = column_type.labels_ref
    if ref is None:
        return column_type
    found = labels(ref)
    if found is None:
        # PostgreSQL: the named type is still known; elsewhere nothing is (as for literal
        # labels that cannot be read).
        return replace(column_type, labels_ref=None) if column_type.family == "user" else UNKNOWN_TYPE
    if column_type.family == "text":
        # A non-native enum's VARCHAR is as long as its longest label unless length= was given.
        length = column_type.length
        if length is None:
            length = max((len(label) for label in found), default=0)
        return replace(column_type, length=length, labels_ref=None)
    return replace(column_type, labels=found, labels_ref=None)


def _resolve_check(check: CheckDef, labels: LabelsOf) -> CheckDef | None:
    if check.labels_ref is None:
        return check
    found = labels(check.labels_ref)
    if found is None or check.column is None:
        return None
    return replace(check, expression=_in_list(check.column, found), values=found, labels_ref=None)
