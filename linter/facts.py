"""Immutable facts that extractors produce from one file: spans, schema operations, model declarations.

Every extractor (SQL, Alembic, Python models) works on one file and returns one of the
``*Facts`` values below. Nothing here refers to other files except by name, so facts can be
cached by content hash and produced in parallel; the graph layer resolves names afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, Union

Severity = Literal["error", "warning", "info"]
Dialect = Literal["postgresql", "mysql", "sqlite"]
DIALECTS: tuple[Dialect, ...] = ("postgresql", "mysql", "sqlite")

# PostgreSQL's default schema: where an unqualified name is created and looked up (schemalint
# does not follow ``search_path``; a migration that sets it is reported as SL001).
DEFAULT_SCHEMA = "public"


def qualified_name(schema: str | None, name: str, dialect: Dialect) -> str:
    """How the graphs name a table or type: ``schema.name`` outside the default schema, else ``name``.

    Only PostgreSQL has schemas in this sense. MySQL's ``db.table`` names a database and
    SQLite's ``main.t`` an attached database file; schemalint models one database, so there the
    qualifier is dropped. A quoted name that itself contains a dot (``"a.b"``) cannot be told
    apart from a qualified one; such names are not supported.
    """
    if dialect != "postgresql" or not schema or schema == DEFAULT_SCHEMA:
        return name
    return f"{schema}.{name}"


def unqualified_name(name: str) -> str:
    """The object's own name without its schema (``auth.users`` -> ``users``)."""
    return name.rsplit(".", 1)[-1]


def schema_of(name: str) -> str | None:
    """The schema of a qualified name (``auth.users`` -> ``auth``), None in the default schema."""
    return name.rsplit(".", 1)[0] if "." in name else None


# A Python constant as it appears in source: what enum member values and literals can be.
PyConst = Union[str, int, float, bool, None, tuple["PyConst", ...]]  # noqa: UP007 (recursive alias)


@dataclass(frozen=True, slots=True, order=True)
class Span:
    """A region of a project file. Lines and columns are 1-based, in characters; end is exclusive."""

    path: str  # project-relative POSIX path
    line: int
    column: int
    end_line: int
    end_column: int

    @staticmethod
    def file(path: str) -> Span:
        """A file-level span (the first character of the file)."""
        return Span(path, 1, 1, 1, 1)


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """A coverage finding raised by an extractor (SL001 unparsed, SL002 syntax, SL004 unresolved)."""

    code: str
    message: str
    span: Span
    help: str = ""


# --------------------------------------------------------------------------------------------
# Database side: schema operations, replayed in migration order into the database graph.
# Identifiers are already normalised for the dialect (unquoted PostgreSQL names lower-cased,
# quoted names kept as written).
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ColumnType:
    """A column type as the database sees it.

    ``family`` is one of: text, integer, numeric, float, boolean, timestamp, date, time,
    interval, json, uuid, binary, array, enum (an inline MySQL ``ENUM(...)``), user (a named
    user-defined type such as a PostgreSQL enum, resolved against the graph), other, unknown.
    """

    family: str
    name: str
    length: int | None = None
    labels: tuple[str, ...] | None = None  # inline ENUM('a', 'b') labels, in order
    type_ref: str | None = None  # user-defined type name (family == "user")
    timezone: bool | None = None
    # Labels still to be read from an application enum (``sa.Enum(AppEnum)`` in a migration);
    # the runner's resolution pass fills ``labels`` / ``length`` and clears it.
    labels_ref: EnumLabelsRef | None = None


@dataclass(frozen=True, slots=True)
class DefaultValue:
    """A column default: a literal (``value`` holds the literal's text) or an expression."""

    value: str | None
    is_literal: bool
    sql: str = ""


@dataclass(frozen=True, slots=True)
class CheckDef:
    """A CHECK constraint. ``values`` is set when the check is a value set on ``column``."""

    name: str | None
    expression: str
    span: Span
    column: str | None = None
    values: tuple[str, ...] | None = None
    not_valid: bool = False
    labels_ref: EnumLabelsRef | None = None  # the value set is an application enum's strings


@dataclass(frozen=True, slots=True)
class ColumnDef:
    name: str
    type: ColumnType
    span: Span
    nullable: bool = True
    default: DefaultValue | None = None
    checks: tuple[CheckDef, ...] = ()
    primary_key: bool = False


@dataclass(frozen=True, slots=True)
class CreateTable:
    table: str
    columns: tuple[ColumnDef, ...]
    span: Span
    checks: tuple[CheckDef, ...] = ()
    if_not_exists: bool = False


@dataclass(frozen=True, slots=True)
class DropTable:
    table: str
    span: Span
    if_exists: bool = False


@dataclass(frozen=True, slots=True)
class RenameTable:
    table: str
    new_name: str
    span: Span


@dataclass(frozen=True, slots=True)
class AddColumn:
    table: str
    column: ColumnDef
    span: Span
    if_not_exists: bool = False


@dataclass(frozen=True, slots=True)
class DropColumn:
    table: str
    column: str
    span: Span
    if_exists: bool = False


@dataclass(frozen=True, slots=True)
class RenameColumn:
    table: str
    column: str
    new_name: str
    span: Span


@dataclass(frozen=True, slots=True)
class AlterColumnType:
    """ALTER COLUMN ... TYPE, MySQL MODIFY / CHANGE (``new_name`` for CHANGE)."""

    table: str
    column: str
    type: ColumnType
    span: Span
    new_name: str | None = None
    # MySQL MODIFY/CHANGE restate the whole column: nullability and default come with it.
    nullable: bool | None = None
    default: DefaultValue | None = None
    replaces_default: bool = False
    checks: tuple[CheckDef, ...] = ()


@dataclass(frozen=True, slots=True)
class SetNullable:
    table: str
    column: str
    nullable: bool
    span: Span


@dataclass(frozen=True, slots=True)
class SetDefault:
    table: str
    column: str
    default: DefaultValue | None  # None: DROP DEFAULT
    span: Span


@dataclass(frozen=True, slots=True)
class AddCheck:
    table: str
    check: CheckDef
    span: Span


@dataclass(frozen=True, slots=True)
class DropConstraint:
    table: str
    name: str
    span: Span
    if_exists: bool = False


@dataclass(frozen=True, slots=True)
class RenameConstraint:
    table: str
    name: str
    new_name: str
    span: Span


@dataclass(frozen=True, slots=True)
class CreateEnumType:
    name: str
    labels: tuple[str, ...]
    span: Span
    if_not_exists: bool = False  # DO $$ IF NOT EXISTS (SELECT 1 FROM pg_type ...) idiom, checkfirst=True
    labels_known: bool = True  # False: created from a Python enum defined elsewhere (SL004 says so)
    labels_ref: EnumLabelsRef | None = None  # labels still to be read from an application enum


@dataclass(frozen=True, slots=True)
class AddEnumValue:
    type_name: str
    value: str
    span: Span
    before: str | None = None
    after: str | None = None
    if_not_exists: bool = False


@dataclass(frozen=True, slots=True)
class RenameEnumValue:
    type_name: str
    value: str
    new_value: str
    span: Span


@dataclass(frozen=True, slots=True)
class RenameEnumType:
    type_name: str
    new_name: str
    span: Span


@dataclass(frozen=True, slots=True)
class DropEnumType:
    type_name: str
    span: Span
    if_exists: bool = False


@dataclass(frozen=True, slots=True)
class SyncEnumValues:
    """alembic-postgresql-enum ``op.sync_enum_values``: the type's labels become exactly these."""

    type_name: str
    labels: tuple[str, ...]
    span: Span


@dataclass(frozen=True, slots=True)
class EnumLabelsRef:
    """A migration's ``sa.Enum(AppEnum, ...)`` whose labels live in an application module.

    ``target`` is the enum class's absolute dotted path through the migration's imports
    (``app.models.UserRole``). The labels are what SQLAlchemy derives from the class when the
    migration runs: member names, or ``values_callable``'s output; aliases omitted unless
    ``omit_aliases=False``. ``unresolved`` is the SL004 to report when the class is not found.
    """

    target: str
    unresolved: Diagnostic | None
    values_callable: ValuesCallable | None = None
    omit_aliases: bool = True


@dataclass(frozen=True, slots=True)
class FailingStatement:
    """A statement known to fail on this dialect (e.g. ``postgresql.ENUM(...).create()`` on MySQL)."""

    reason: str
    span: Span


@dataclass(frozen=True, slots=True)
class SchemaUnknowable:
    """The database side cannot be known from here on (``metadata.create_all`` in a migration)."""

    reason: str
    span: Span


@dataclass(frozen=True, slots=True)
class DialectBranch:
    """Operations that run only on some dialects (``if op.get_bind().dialect.name == ...``).

    ``branches`` are tried in order; a branch whose dialect set is None is the ``else``.
    """

    branches: tuple[tuple[frozenset[str] | None, tuple[Op, ...]], ...]
    span: Span


@dataclass(frozen=True, slots=True)
class Alternatives:
    """``if/else`` branches that cannot be decided statically: exactly one of them runs."""

    branches: tuple[tuple[Op, ...], ...]
    span: Span


Op = Union[  # noqa: UP007 (runtime alias used by isinstance dispatch)
    CreateTable,
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
    CreateEnumType,
    AddEnumValue,
    RenameEnumValue,
    RenameEnumType,
    DropEnumType,
    SyncEnumValues,
    SchemaUnknowable,
    FailingStatement,
    DialectBranch,
    Alternatives,
]


@dataclass(frozen=True, slots=True)
class RevisionInfo:
    """Alembic revision identifiers, read with ``ast`` from module-level assignments."""

    revision: str
    down_revisions: tuple[str, ...] = ()
    branch_labels: tuple[str, ...] = ()
    depends_on: tuple[str, ...] = ()
    # Where the identifiers are assigned, for history findings (None: not written in the file).
    span: Span | None = None  # ``revision = ...``
    down_span: Span | None = None  # ``down_revision = ...``
    depends_span: Span | None = None  # ``depends_on = ...``


@dataclass(frozen=True, slots=True)
class Feature:
    """A construct a migration uses that not every dialect supports (see ``FEATURE_DIALECTS``).

    ``name`` is a key of ``FEATURE_DIALECTS``; ``span`` is the statement or call using it.
    """

    name: str
    span: Span


# Which dialects run each construct the extractors record as a ``Feature``. A migration written
# for one dialect and also run on another (tests on SQLite, production on PostgreSQL) fails there.
FEATURE_DIALECTS: dict[str, tuple[frozenset[Dialect], str]] = {
    # name: (dialects that support it, how messages describe it)
    "jsonb": (frozenset({"postgresql"}), "the `JSONB` type"),
    "array": (frozenset({"postgresql"}), "an `ARRAY` column type"),
    "ilike": (frozenset({"postgresql"}), "the `ILIKE` operator"),
    "enum-type": (frozenset({"postgresql"}), "a native enum type (`CREATE TYPE ... AS ENUM`)"),
    "inline-enum": (frozenset({"mysql"}), "an inline `ENUM(...)` column type"),
    "check-extract": (frozenset({"postgresql", "mysql"}), "a CHECK constraint using `EXTRACT`"),
    "pg-function": (frozenset({"postgresql"}), "a PL/pgSQL block or function (`DO $$ ... $$`)"),
    "create-extension": (frozenset({"postgresql"}), "`CREATE EXTENSION`"),
    # SQLite's ALTER TABLE renames and adds/drops columns only: no ALTER COLUMN, no ADD
    # CONSTRAINT (Alembic needs batch mode there, which rebuilds the table).
    "alter-column": (frozenset({"postgresql", "mysql"}), "`ALTER COLUMN` (type, nullability or default)"),
    "alter-constraint": (
        frozenset({"postgresql", "mysql"}),
        "adding or dropping a constraint with `ALTER TABLE`",
    ),
}


@dataclass(frozen=True, slots=True)
class MigrationFacts:
    """What one migration file does, in statement order (up direction only)."""

    path: str
    kind: str  # "alembic" | "sql" | "typescript"
    ops: tuple[Op, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()
    revision: RevisionInfo | None = None
    order_key: tuple[str, ...] = ()  # for raw SQL: version parts; alembic orders by revision graph
    statements: int = 0
    history: str = ""  # which history this file belongs to (alembic versions dir, SQL folder)
    has_downgrade: bool | None = None
    downgrade_empty: bool | None = None
    # The down direction: Alembic ``def downgrade``, dbmate ``-- migrate:down``, a golang-migrate
    # or Diesel down file (the whole file); None when absent.
    downgrade_span: Span | None = None
    # The sibling file golang-migrate (``1_x.down.sql``) and Diesel (``down.sql``) keep the down
    # direction in, present or not; None for layouts without one.
    down_file: str | None = None
    # ``downgrade()`` only raises (``raise NotImplementedError``): irreversible on purpose.
    downgrade_raises: bool = False
    # Whether the up direction changes the schema (DDL, or an ``op.*`` schema call such as
    # ``create_index`` that leaves no op in ``ops``); None when not known.
    changes_schema: bool | None = None
    # Constructs that not every dialect supports, in statement order (SL305 non-portable-ddl).
    features: tuple[Feature, ...] = ()


# --------------------------------------------------------------------------------------------
# Application side: Python enums and ORM model declarations.
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Ref:
    """A name as written in a module (``UserRole``, ``enums.UserRole``, ``sa.Enum``).

    ``module`` is the module the name was used in; the graph layer resolves it through that
    module's imports.
    """

    name: str
    module: str


@dataclass(frozen=True, slots=True)
class AutoValue:
    """``enum.auto()``; its value depends on the enum's kind and is computed by the graph."""


@dataclass(frozen=True, slots=True)
class EnumMemberDef:
    name: str
    value: PyConst | AutoValue
    span: Span
    resolved: bool = True  # False: the value expression could not be evaluated statically


@dataclass(frozen=True, slots=True)
class EnumClassDef:
    """A Python ``enum.Enum`` subclass (or a class whose bases may be one: resolved later)."""

    name: str
    module: str
    bases: tuple[Ref, ...]
    members: tuple[EnumMemberDef, ...]
    span: Span

    @property
    def qualname(self) -> str:
        return f"{self.module}.{self.name}"


@dataclass(frozen=True, slots=True)
class ValuesCallable:
    """A ``values_callable`` reduced to what it does to each member.

    ``steps`` is applied left to right to a member: ``("value",)`` is ``e.value``,
    ``("name", "lower")`` is ``e.name.lower()``, ``("value", "str")`` is ``str(e.value)``.
    Empty ``steps`` with ``unresolved`` set means it could not be read statically.
    """

    steps: tuple[str, ...]
    source: str
    unresolved: bool = False


@dataclass(frozen=True, slots=True)
class EnumTypeSpec:
    """A SQLAlchemy ``Enum`` type as declared (``sa.Enum``, ``postgresql.ENUM``, ``mysql.ENUM``, Literal)."""

    span: Span
    enum_ref: Ref | None = None  # sa.Enum(PyEnum)
    literals: tuple[str, ...] | None = None  # sa.Enum("a", "b") / Literal["a", "b"]
    values_callable: ValuesCallable | None = None
    native_enum: bool = True
    create_constraint: bool = False
    length: int | None = None
    name: str | None = None
    validate_strings: bool = False
    create_type: bool = True
    omit_aliases: bool = True
    from_literal: bool = False  # Mapped[Literal[...]]: SQLAlchemy forces native_enum=False
    generic: bool = False  # sa.Enum(enum.Enum, ...) in a type_annotation_map
    dialect_type: str | None = None  # "postgresql" / "mysql" for dialect-specific ENUM classes
    schema: str | None = None  # ``schema=``: the PostgreSQL schema of the named type
    inherit_schema: bool = False  # ``inherit_schema=True``: the type is in its table's schema


@dataclass(frozen=True, slots=True)
class ModelDefault:
    """A Python-side (``default=``) or server-side (``server_default=``) column default."""

    span: Span
    member: Ref | None = None  # UserRole.WRITER
    # ``UserRole.WRITER.value`` / ``.name``: the member's value or name (a plain string), not the
    # member itself; the Ref holds the whole chain and ``member`` is None.
    member_attribute: Ref | None = None
    literal: PyConst = None
    is_literal: bool = False
    server: bool = False
    expression: str = ""  # anything else, as source text


@dataclass(frozen=True, slots=True)
class ModelColumn:
    attribute: str
    name: str  # database column name
    span: Span
    enum: EnumTypeSpec | None = None  # explicit Enum type
    annotation_enum: Ref | None = None  # Mapped[E] / SQLModel ``role: E`` with no explicit type
    annotation_literals: tuple[str, ...] | None = None  # Mapped[Literal[...]] with no explicit type
    # The module-level alias a Literal annotation was spelled with (``Mapped[Status]`` where
    # ``Status = Literal[...]``): a ``type_annotation_map`` entry keyed by that alias applies.
    annotation_alias: Ref | None = None
    type: ColumnType | None = None  # non-enum SQL type when known
    nullable: bool | None = None
    primary_key: bool = False
    defaults: tuple[ModelDefault, ...] = ()


@dataclass(frozen=True, slots=True)
class ModelCheck:
    """A ``CheckConstraint`` declared in ``__table_args__`` or a Core ``Table``."""

    name: str | None
    expression: str
    span: Span
    column: str | None = None
    values: tuple[str, ...] | None = None


@dataclass(frozen=True, slots=True)
class AnnotationMapEntry:
    key: Ref  # the Python type the entry is for
    enum: EnumTypeSpec


@dataclass(frozen=True, slots=True)
class PureExpr:
    """A node of a side-effect-free expression reduced from Python source, never executed.

    ``op`` names the node (``const``, ``local``, ``global``, ``attr``, ``method``, ``call``,
    ``builtin``, ``binop``, ``compare``, ``not``, ``and``, ``or``, ``ifexp``, ``subscript``,
    ``slice``, ``list``, ``comp``, ``fstring``); ``value`` is its constant, name or operator;
    ``ref`` names a module-level object; ``keywords`` name the last ``len(keywords)`` args.
    The model graph interprets it over a fixed safe subset (string methods, ``re``).
    """

    op: str
    args: tuple[PureExpr, ...] = ()
    value: PyConst = None
    ref: Ref | None = None
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class PureFunction:
    """A module-level function made of local assignments and one ``return`` of a PureExpr."""

    name: str
    module: str
    params: tuple[str, ...]
    assigns: tuple[tuple[str, PureExpr], ...]
    result: PureExpr


@dataclass(frozen=True, slots=True)
class TableRule:
    """A ``@declared_attr def __tablename__(cls)`` that computes each subclass's table name."""

    owner: str  # the class declaring it
    function: PureFunction  # called with the mapped class as its first argument
    span: Span  # the directive's name, where an unreadable rule is reported


@dataclass(frozen=True, slots=True)
class MetadataDef:
    """The ``MetaData`` a declarative base or Core ``Table`` uses: ``MetaData(schema=...)`` written
    in place (``schema``; None for ``MetaData()``), or a name bound elsewhere (``ref``: a
    module-level ``MetaData``, or ``Base.metadata``), which the graph resolves."""

    schema: str | None = None
    ref: Ref | None = None


@dataclass(frozen=True, slots=True)
class ModelClassDef:
    """A declarative class, SQLModel table, declarative base, or Core ``Table``.

    Bases (declarative roots) carry ``type_annotation_map``; table classes carry a table name.
    """

    name: str
    module: str
    bases: tuple[Ref, ...]
    span: Span
    table: str | None = None
    columns: tuple[ModelColumn, ...] = ()
    checks: tuple[ModelCheck, ...] = ()
    is_base: bool = False  # DeclarativeBase subclass / declarative_base() / registry().generate_base()
    type_annotation_map: tuple[AnnotationMapEntry, ...] = ()
    sqlmodel_table: bool = False
    core_table: bool = False
    partial: bool = False  # some of the table could not be read (``__table__`` assigned, ...)
    table_declared: bool = False  # the body itself sets ``__tablename__`` / ``__table__`` (any value)
    table_rule: TableRule | None = None  # a ``declared_attr`` ``__tablename__`` computed per class
    abstract: bool = False  # ``__abstract__ = True``: never mapped, so never a table
    # ``__table_args__`` set in this body (``table_args``), and the ``schema`` it names; for a
    # Core ``Table``, its ``schema=``. None: the table's MetaData decides (``metadata``).
    schema: str | None = None
    table_args: bool = False
    metadata: MetadataDef | None = None  # a base's ``metadata`` / a Core table's MetaData argument


@dataclass(frozen=True, slots=True)
class ImportDef:
    """``local`` names ``target`` (an absolute dotted path: module, or module.attribute)."""

    local: str
    target: str


@dataclass(frozen=True, slots=True)
class PythonModuleFacts:
    """Enums, models, constants and imports of one Python module (never imported or executed)."""

    path: str
    module: str  # dotted module name derived from the path
    enums: tuple[EnumClassDef, ...] = ()
    classes: tuple[ModelClassDef, ...] = ()
    imports: tuple[ImportDef, ...] = ()
    constants: tuple[tuple[str, PyConst], ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()
    class_bases: tuple[tuple[str, tuple[Ref, ...]], ...] = field(default=())  # every class's bases
    # Module-level functions and non-constant values (``re.compile(...)``) that reduce to pure
    # expressions: what a computed ``__tablename__`` may call, here or from another module.
    functions: tuple[PureFunction, ...] = ()
    values: tuple[tuple[str, PureExpr], ...] = ()
    # Module-level names bound to a ``MetaData`` (``metadata_obj = MetaData(schema="auth")``).
    metadata: tuple[tuple[str, MetadataDef], ...] = ()
