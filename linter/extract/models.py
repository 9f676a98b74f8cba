"""Python model front-end: enums, declarative / SQLModel / Core table declarations of one file, via ``ast``."""

from __future__ import annotations

import ast
import contextlib
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from schemalint.extract.pysource import (
    NotPure,
    SourceText,
    Unresolved,
    computed_tablename_unreadable,
    dotted_name,
    eval_const,
    is_self_contained,
    module_constants,
    parse_python,
    reduce_function,
    reduce_value,
    values_callable_steps,
)
from schemalint.extract.satypes import TYPE_FAMILIES
from schemalint.facts import (
    AnnotationMapEntry,
    AutoValue,
    ColumnType,
    Diagnostic,
    EnumClassDef,
    EnumMemberDef,
    EnumTypeSpec,
    ImportDef,
    MetadataDef,
    ModelCheck,
    ModelClassDef,
    ModelColumn,
    ModelDefault,
    PureExpr,
    PureFunction,
    PyConst,
    PythonModuleFacts,
    Ref,
    Span,
    TableRule,
    ValuesCallable,
)

# --------------------------------------------------------------------------------------------
# Lookup tables. Library callables are matched by their short name once the name is known to
# come from one of these packages (or from a local object such as Flask-SQLAlchemy's ``db``).
# --------------------------------------------------------------------------------------------

_LIBRARY_ROOTS = frozenset({"sqlalchemy", "sqlmodel", "flask_sqlalchemy"})

# Classes whose subclasses are Python enums. Unimported short names cover ``from enum import *``.
_ENUM_BASES = frozenset(
    {
        "enum.Enum",
        "enum.StrEnum",
        "enum.IntEnum",
        "enum.Flag",
        "enum.IntFlag",
        "enum.ReprEnum",
        "strenum.StrEnum",
        "backports.strenum.StrEnum",
    }
)
_ENUM_SHORT = frozenset({"Enum", "StrEnum", "IntEnum", "Flag", "IntFlag", "ReprEnum"})

# Base classes that say nothing about being an enum or a mapped class.
_NEUTRAL_MODULES = frozenset({"typing", "typing_extensions", "abc", "pydantic", "dataclasses", "collections"})
_BUILTIN_CLASSES = frozenset(
    {"object", "str", "int", "float", "bytes", "bool", "dict", "list", "tuple", "set", "frozenset"}
    | {"Exception", "BaseException", "ValueError", "TypeError", "RuntimeError", "KeyError"}
)

# What a class-body call creates, by the library callable's short name.
CallKind = Literal["column", "mapped_column", "field", "not_column", "unwrap"]
_CALL_KINDS: dict[str, CallKind] = {
    "Column": "column",
    "mapped_column": "mapped_column",
    "Field": "field",
    "deferred": "unwrap",  # deferred(Column(...)) is still the column
    "relationship": "not_column",
    "Relationship": "not_column",
    "relation": "not_column",
    "backref": "not_column",
    "dynamic_loader": "not_column",
    "column_property": "not_column",
    "query_expression": "not_column",
    "synonym": "not_column",
    "composite": "not_column",
    "association_proxy": "not_column",
}

# Positional ``Column`` arguments that are schema items, not the column's type.
_SCHEMA_ITEMS = frozenset(
    {
        "ForeignKey",
        "CheckConstraint",
        "Sequence",
        "Identity",
        "Computed",
        "FetchedValue",
        "DefaultClause",
        "UniqueConstraint",
        "PrimaryKeyConstraint",
        "ForeignKeyConstraint",
        "Index",
    }
)

# SQLAlchemy type classes by short name → ColumnType family.
# The column family of each SQLAlchemy type class, from the table the Alembic front-end uses too.
_TYPE_FAMILIES: dict[str, str] = {name: family for name, (family, _) in TYPE_FAMILIES.items()}
_LENGTH_FAMILIES = frozenset({"text", "binary"})

# SQLAlchemy's / SQLModel's default SQL type for a Python annotation (resolved dotted name).
_ANNOTATION_TYPES: dict[str, tuple[str, str]] = {
    "str": ("text", "String"),
    "int": ("integer", "Integer"),
    "bool": ("boolean", "Boolean"),
    "float": ("float", "Float"),
    "bytes": ("binary", "LargeBinary"),
    "decimal.Decimal": ("numeric", "Numeric"),
    "datetime.datetime": ("timestamp", "DateTime"),
    "datetime.date": ("date", "Date"),
    "datetime.time": ("time", "Time"),
    "datetime.timedelta": ("interval", "Interval"),
    "uuid.UUID": ("uuid", "Uuid"),
}
# Generic containers: never an enum, no default column type.
_CONTAINERS = frozenset(
    {"list", "dict", "set", "tuple", "frozenset", "List", "Dict", "Set", "Tuple", "Sequence"}
)

# Enum type classes → the dialect they belong to (None: generic ``sqlalchemy.Enum``).
_ENUM_TYPES: dict[str, str | None] = {
    "Enum": None,
    "ENUM": None,
    "postgresql.ENUM": "postgresql",
    "mysql.ENUM": "mysql",
}

# ``sa.Enum`` keyword → (EnumTypeSpec field, expected Python type).
_ENUM_KEYWORDS: dict[str, tuple[str, type]] = {
    "native_enum": ("native_enum", bool),
    "create_constraint": ("create_constraint", bool),
    "length": ("length", int),
    "name": ("name", str),
    "validate_strings": ("validate_strings", bool),
    "create_type": ("create_type", bool),
    "omit_aliases": ("omit_aliases", bool),
    "schema": ("schema", str),
    "inherit_schema": ("inherit_schema", bool),
}

# ``Role.WRITER.value`` / ``.name``: a member's value or name rather than the member.
_MEMBER_ATTRS = frozenset({"value", "name"})

# Column keywords → whether the default is server-side.
_DEFAULT_KEYWORDS: dict[str, bool] = {
    "default": False,
    "insert_default": False,
    "default_factory": False,
    "server_default": True,
}
_SQL_TEXT_CALLS = frozenset({"text", "literal_column"})

_TYPE_ALIAS: type[ast.stmt] | None = getattr(ast, "TypeAlias", None)

# Enum class-body values that never become members.
_NON_MEMBER_CALLS = frozenset({"nonmember", "property", "staticmethod", "classmethod"})
_LINE_SPLIT = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")
_PRIVATE_NAME = re.compile(r"^__\w+(?<!__)$")  # __x (name-mangled: not a member since 3.11)

# Library base classes that decide what their subclasses are.
ClassKind = Literal["enum", "base", "declarative", "sqlmodel", "unknown", "plain"]
_LIBRARY_BASES: dict[str, ClassKind] = {
    "DeclarativeBase": "base",
    "DeclarativeBaseNoMeta": "base",
    "SQLModel": "sqlmodel",
}
# A default spelled ``datetime.utcnow`` / ``uuid.uuid4`` is a callable, not an enum member.
_NON_MEMBER_ROOTS = frozenset({"datetime", "uuid", "time", "decimal", "sqlalchemy", "sqlmodel"})
# How a base expression classifies its subclass, strongest first.
_KIND_ORDER: tuple[ClassKind, ...] = ("enum", "base", "declarative", "sqlmodel", "unknown", "plain")


def module_name_for(path: str) -> str:
    """Dotted module name for a project-relative POSIX path (``pkg/__init__.py`` → ``pkg``)."""
    parts = [p for p in path.split("/") if p and p != "."]
    if parts:
        last = parts[-1]
        for suffix in (".pyi", ".py"):
            if last.endswith(suffix):
                last = last[: -len(suffix)]
                break
        parts[-1] = last
        if last == "__init__":
            parts.pop()
    return ".".join(parts)


def extract_python_module(source: str, path: str, module: str) -> PythonModuleFacts:
    """Enums, model classes, imports and constants declared in one Python file (never imported)."""
    text = source[1:] if source.startswith("\ufeff") else source
    try:
        tree = parse_python(text, path)
    except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
        return PythonModuleFacts(path=path, module=module, diagnostics=(_syntax_diagnostic(path, exc),))
    is_package = path.rsplit("/", 1)[-1] in ("__init__.py", "__init__.pyi")
    return _ModuleReader(SourceText(path, text), module, is_package, tree).read()


def _syntax_diagnostic(path: str, exc: BaseException) -> Diagnostic:
    if isinstance(exc, SyntaxError) and exc.lineno:
        line, column = exc.lineno, max(exc.offset or 1, 1)
        end_line, end_column = exc.end_lineno or line, exc.end_offset or column
        if (end_line, end_column) <= (line, column):
            end_line, end_column = line, column + 1
        span = Span(path, line, column, end_line, end_column)
        message = f"`{path}` does not parse as Python: {exc.msg}."
    else:
        span = Span.file(path)
        message = f"`{path}` does not parse as Python: {exc}."
    return Diagnostic(
        "SL002", message, span, help="Fix the syntax error; the enums and models in it are not checked."
    )


def _docstring_count(body: Sequence[ast.stmt]) -> int:
    first = body[0] if body else None
    is_doc = (
        isinstance(first, ast.Expr)
        and isinstance(first.value, ast.Constant)
        and isinstance(first.value.value, str)
    )
    return 1 if is_doc else 0


# --------------------------------------------------------------------------------------------
# Intermediate, mutable readings of a class body, a column call and an annotation.
# --------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Annotation:
    """A column annotation reduced to what matters: Mapped or not, Optional or not, the inner type."""

    mapped: bool = False
    optional: bool = False
    inner: ast.expr | None = None
    literals: tuple[str, ...] | None = None
    alias: str | None = None  # the module-level alias the annotation went through (type map key)
    column_call: ast.Call | None = None  # Annotated[T, mapped_column(...)]
    not_column: bool = False  # ClassVar, WriteOnlyMapped, DynamicMapped


@dataclass(slots=True)
class _ColumnCall:
    """Arguments of a Column / mapped_column / Field call; None means not given."""

    name: str | None = None
    type_node: ast.expr | None = None
    nullable: bool | None = None
    nullable_given: bool = False
    primary_key: bool = False
    defaults: list[ModelDefault] = field(default_factory=list)
    checks: list[ModelCheck] = field(default_factory=list)
    max_length: int | None = None
    sa_column: ast.Call | None = None  # SQLModel Field(sa_column=Column(...))
    # A ForeignKey(...) argument: without an explicit type, SQLAlchemy gives the column the
    # referenced column's type (even over a ``Mapped[str]`` annotation), unknown here.
    foreign_key: bool = False

    def overlay(self, other: _ColumnCall) -> _ColumnCall:
        """``other``'s given arguments over this one's (an attribute's own call over its alias)."""
        return _ColumnCall(
            name=other.name if other.name is not None else self.name,
            type_node=other.type_node if other.type_node is not None else self.type_node,
            nullable=other.nullable if other.nullable_given else self.nullable,
            nullable_given=other.nullable_given or self.nullable_given,
            primary_key=other.primary_key or self.primary_key,
            foreign_key=other.foreign_key or self.foreign_key,
            defaults=other.defaults or self.defaults,
            checks=self.checks + other.checks,
            max_length=other.max_length if other.max_length is not None else self.max_length,
            sa_column=other.sa_column or self.sa_column,
        )


@dataclass(slots=True)
class _ClassBody:
    table: str | None = None
    table_given: bool = False
    columns: list[ModelColumn] = field(default_factory=list)
    checks: list[ModelCheck] = field(default_factory=list)
    members: list[EnumMemberDef] = field(default_factory=list)
    ignored: set[str] = field(default_factory=set)
    type_map: tuple[AnnotationMapEntry, ...] = ()
    partial: bool = False
    table_declared: bool = False  # __tablename__ / __table__ set in this body, whatever the value
    table_rule: TableRule | None = None
    abstract: bool = False
    model_evidence: bool = False
    declarative_evidence: bool = False  # Mapped / Column / mapped_column: plain annotations are not fields
    field_attributes: set[str] = field(default_factory=set)  # columns read from SQLModel-style annotations
    schema: str | None = None  # the ``schema`` of ``__table_args__``
    table_args: bool = False  # ``__table_args__`` is set in this body
    metadata: MetadataDef | None = None  # a declarative base's ``metadata`` (or its registry's)


class _ModuleReader:
    """One pass over the module's top-level statements and its class bodies."""

    def __init__(self, src: SourceText, module: str, is_package: bool, tree: ast.Module) -> None:
        self.src = src
        self.module = module
        self.package = module if is_package else module.rpartition(".")[0]
        self.tree = tree
        self.env: dict[str, PyConst] = module_constants(tree)
        self.imports: dict[str, str] = {}
        self.import_defs: list[ImportDef] = []
        self.kinds: dict[str, ClassKind] = {}  # top-level classes (and declarative base variables)
        self.functions: dict[str, ast.FunctionDef | ast.Lambda] = {}
        self.dicts: dict[str, ast.Dict] = {}  # module-level dict literals (type_annotation_map = MAP)
        self.registries: dict[str, tuple[AnnotationMapEntry, ...]] = {}
        self.registry_metadata: dict[str, MetadataDef] = {}  # reg = registry(metadata=MetaData(...))
        self.metadata_defs: list[tuple[str, MetadataDef]] = []  # metadata_obj = MetaData(schema=...)
        self.literal_aliases: dict[str, tuple[str, ...] | None] = {}
        self.annotated_aliases: dict[str, ast.expr] = {}  # X = Annotated[T, mapped_column(...)]
        self.name_aliases: dict[str, str] = {}  # DEFAULT_ROLE = UserRole.WRITER
        self.type_vars: dict[str, ast.Call] = {}  # ROLE_TYPE = sa.Enum(UserRole, name="role")
        self.enums: list[EnumClassDef] = []
        self.classes: list[ModelClassDef] = []
        self.class_bases: list[tuple[str, tuple[Ref, ...]]] = []
        self.pure_functions: list[PureFunction] = []
        self.pure_values: list[tuple[str, PureExpr]] = []
        self.diagnostics: list[Diagnostic] = []
        self._lines: list[bytes] | None = None  # UTF-8 lines with their ends, for _segment

    def _segment(self, node: ast.AST) -> str:
        """Source text of ``node``, as ``ast.get_source_segment`` gives it, without re-splitting the file.

        ``ast.get_source_segment`` splits the whole text on every call, which is quadratic over a
        large models file. Lines are split like ``ast`` does (only on \\r\\n, \\r, \\n).
        """
        end_line, end_col = getattr(node, "end_lineno", None), getattr(node, "end_col_offset", None)
        if end_line is None or end_col is None:
            return ast.unparse(node)
        if self._lines is None:
            self._lines = [line.encode("utf-8") for line in _LINE_SPLIT.findall(self.src.text)]
        line, col = getattr(node, "lineno", 1), getattr(node, "col_offset", 0)
        if end_line > len(self._lines):
            return ast.unparse(node)
        if line == end_line:
            return self._lines[line - 1][col:end_col].decode("utf-8", errors="replace")
        parts = [
            self._lines[line - 1][col:],
            *self._lines[line : end_line - 1],
            self._lines[end_line - 1][:end_col],
        ]
        return b"".join(parts).decode("utf-8", errors="replace")

    def read(self) -> PythonModuleFacts:
        for stmt in self.tree.body:
            self._statement(stmt)
        return PythonModuleFacts(
            path=self.src.path,
            module=self.module,
            enums=tuple(self.enums),
            classes=tuple(self.classes),
            imports=tuple(self.import_defs),
            constants=tuple(self.env.items()),
            diagnostics=tuple(self.diagnostics),
            class_bases=tuple(self.class_bases),
            functions=tuple(self.pure_functions),
            values=tuple(self.pure_values),
            metadata=tuple(self.metadata_defs),
        )

    # ---------------------------------------------------------------- top-level statements

    def _statement(self, stmt: ast.stmt) -> None:
        if isinstance(stmt, ast.ClassDef):
            self._class(stmt)
        elif isinstance(stmt, (ast.Import, ast.ImportFrom)):
            self._import(stmt)
        elif isinstance(stmt, (ast.Assign, ast.AnnAssign)):
            self._module_assign(stmt)
        elif isinstance(stmt, ast.FunctionDef):
            self.functions[stmt.name] = stmt
            self._pure_function(stmt)
        elif isinstance(stmt, (ast.If, ast.Try)):
            # ``if TYPE_CHECKING:`` / ``try: ... except ImportError:`` blocks carry imports.
            for block in _blocks(stmt):
                for inner in block:
                    if isinstance(inner, (ast.Import, ast.ImportFrom)):
                        self._import(inner)
        elif _TYPE_ALIAS is not None and isinstance(stmt, _TYPE_ALIAS):
            # ``type X = Literal[...]`` (Python 3.12+; read by attribute for older stubs).
            alias, value = getattr(stmt, "name", None), getattr(stmt, "value", None)
            if isinstance(alias, ast.Name) and isinstance(value, ast.expr):
                self._type_alias(alias.id, value)

    def _import(self, stmt: ast.Import | ast.ImportFrom) -> None:
        if isinstance(stmt, ast.Import):
            for alias in stmt.names:
                if alias.asname:
                    self._add_import(alias.asname, alias.name)
                else:  # ``import a.b.c`` binds ``a``
                    head = alias.name.split(".", 1)[0]
                    self._add_import(head, head)
            return
        base = self._import_base(stmt)
        for alias in stmt.names:
            if alias.name == "*":
                self.import_defs.append(ImportDef("*", base))
                continue
            target = f"{base}.{alias.name}" if base else alias.name
            self._add_import(alias.asname or alias.name, target)

    def _import_base(self, stmt: ast.ImportFrom) -> str:
        if not stmt.level:
            return stmt.module or ""
        parts = self.package.split(".") if self.package else []
        if stmt.level > 1:
            parts = parts[: len(parts) - (stmt.level - 1)] if stmt.level - 1 <= len(parts) else []
        if stmt.module:
            parts.append(stmt.module)
        return ".".join(parts)

    def _add_import(self, local: str, target: str) -> None:
        self.imports[local] = target
        self.import_defs.append(ImportDef(local, target))

    def _module_assign(self, stmt: ast.Assign | ast.AnnAssign) -> None:
        value = stmt.value
        if value is None:
            return
        targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
        names = [t.id for t in targets if isinstance(t, ast.Name)]
        if not names:
            return
        name = names[0]
        if isinstance(value, ast.Dict):
            self.dicts[name] = value
        elif isinstance(value, ast.Lambda):
            self.functions[name] = value
        elif isinstance(value, ast.Subscript):
            self._type_alias(name, value)
        elif isinstance(value, ast.Attribute) and name not in self.env:
            dotted = dotted_name(value)
            if dotted is not None:
                self.name_aliases[name] = self.name_aliases.get(dotted, dotted)
        elif isinstance(value, ast.Call):
            self._module_call(name, targets[0], value)
            if name not in self.env:
                self._pure_value(name, value)

    def _pure_function(self, func: ast.FunctionDef) -> None:
        """Keep a helper a computed ``__tablename__`` may call (here or from another module)."""
        if func.decorator_list:
            return
        # An ordinary function is skipped: it is reported only if a table name depends on it.
        with contextlib.suppress(NotPure):
            self.pure_functions.append(reduce_function(func, self.module, self.env, self._resolve))

    def _pure_value(self, name: str, value: ast.Call) -> None:
        """``CAMEL = re.compile(r"...")``: a module-level value a table-name helper may use."""
        try:
            reduced = reduce_value(value, self.module, self.env, self._resolve)
        except NotPure:
            return
        if is_self_contained(reduced):
            self.pure_values.append((name, reduced))

    def _type_alias(self, name: str, value: ast.expr) -> None:
        if not isinstance(value, ast.Subscript):
            return
        head = self._typing_name(value.value)
        if head == "Literal":
            self.literal_aliases[name] = self._literal_values(value)
        elif head == "Annotated":
            self.annotated_aliases[name] = value

    def _module_call(self, name: str, target: ast.expr, call: ast.Call) -> None:
        """``Base = declarative_base()``, ``reg = registry(...)``, ``t = Table(...)``, ``E = Enum("E", ...)``."""
        func = call.func
        short = self._lib_name(func)
        if short == "registry":
            self.registries[name] = self._type_map_keyword(call, name)
            metadata = self._metadata_keyword(call)
            if metadata is not None:
                self.registry_metadata[name] = metadata
        elif short == "MetaData":
            self.metadata_defs.append((name, self._metadata_def(call) or MetadataDef()))
        elif short == "declarative_base":
            entries = self._type_map_keyword(call, name)
            self._add_base_variable(name, target, entries, call, self._metadata_keyword(call))
        elif isinstance(func, ast.Attribute) and func.attr == "generate_base":
            owner = func.value
            if isinstance(owner, ast.Name) and owner.id in self.registries:
                entries = self.registries[owner.id]
                metadata = self.registry_metadata.get(owner.id)
            elif isinstance(owner, ast.Call) and self._lib_name(owner.func) == "registry":
                entries = self._type_map_keyword(owner, name)
                metadata = self._metadata_keyword(owner)
            else:
                return
            self._add_base_variable(name, target, entries, call, metadata)
        elif short == "Table":
            self.classes.append(self._core_table(name, target, call))
        elif short is not None and (short in _ENUM_TYPES or short in _TYPE_FAMILIES):
            self.type_vars[name] = call
        elif self._enum_base_target(func):
            self._functional_enum(name, target, call)

    def _add_base_variable(
        self,
        name: str,
        target: ast.expr,
        entries: tuple[AnnotationMapEntry, ...],
        call: ast.Call,
        metadata: MetadataDef | None = None,
    ) -> None:
        # ``declarative_base(cls=CustomBase)``: SQLAlchemy builds the base as a subclass of
        # ``cls``, so its columns and directives (a computed __tablename__) reach every model.
        bases = tuple(
            self._ref(kw.value) for kw in call.keywords if kw.arg == "cls" and dotted_name(kw.value)
        )
        if bases:
            self.class_bases.append((name, bases))
        self.kinds[name] = "base"
        self.classes.append(
            ModelClassDef(
                name=name,
                module=self.module,
                bases=bases,
                span=self.src.span(target),
                is_base=True,
                type_annotation_map=entries,
                metadata=metadata,
            )
        )

    def _metadata_keyword(self, call: ast.Call) -> MetadataDef | None:
        """``declarative_base(metadata=...)`` / ``registry(metadata=...)``."""
        node = next((kw.value for kw in call.keywords if kw.arg == "metadata"), None)
        return self._metadata_def(node) if node is not None else None

    def _metadata_def(self, node: ast.expr) -> MetadataDef | None:
        """``MetaData(schema="auth")`` written in place, or the name of one bound elsewhere."""
        if isinstance(node, ast.Call) and self._lib_name(node.func) == "MetaData":
            schema_node = next((kw.value for kw in node.keywords if kw.arg == "schema"), None)
            return MetadataDef(schema=self._schema_value(schema_node, "the MetaData"))
        dotted = dotted_name(node)
        if dotted is None:
            return None
        return MetadataDef(ref=Ref(self.name_aliases.get(dotted, dotted), self.module))

    def _schema_value(self, node: ast.expr | None, where: str) -> str | None:
        """A ``schema=`` value; an SL004 when it is not a constant (the default schema is assumed)."""
        if node is None:
            return None
        value = eval_const(node, self.env)
        if isinstance(value, str) or value is None:
            return value
        self.diagnostics.append(
            Diagnostic(
                "SL004",
                f"the schema of {where} cannot be read statically: `{self._segment(node)}`; its tables "
                "and types are taken to be in the default schema `public`.",
                self.src.span(node),
                help="Write the schema as a literal or a module constant.",
            )
        )
        return None

    def _table_args_schema(self, node: ast.expr, owner: str) -> str | None:
        """The ``schema`` of ``__table_args__``: a dict, or the dict ending a tuple."""
        if isinstance(node, (ast.Tuple, ast.List)) and node.elts:
            node = node.elts[-1]
        if not isinstance(node, ast.Dict):
            return None
        for key, value in zip(node.keys, node.values, strict=True):
            if key is not None and eval_const(key, self.env) == "schema":
                return self._schema_value(value, f"`{owner}.__table_args__`")
        return None

    def _type_map_keyword(self, call: ast.Call, owner: str) -> tuple[AnnotationMapEntry, ...]:
        for kw in call.keywords:
            if kw.arg == "type_annotation_map":
                return self._type_map(kw.value, owner)
        return ()

    def _functional_enum(self, name: str, target: ast.expr, call: ast.Call) -> None:
        """``Color = Enum("Color", "RED GREEN")`` / ``[("RED", "r")]`` / ``{"RED": "r"}``."""
        if len(call.args) < 2:
            return
        spec = call.args[1]
        members: list[EnumMemberDef] = []
        span = self.src.span(call)
        if isinstance(spec, ast.Dict):
            for key, value in zip(spec.keys, spec.values, strict=True):
                key_value = eval_const(key, self.env) if key is not None else None
                if isinstance(key_value, str):
                    members.append(self._member(key_value, value, span, {}))
        elif isinstance(spec, (ast.List, ast.Tuple)) and spec.elts and isinstance(spec.elts[0], ast.Tuple):
            for pair in spec.elts:
                if isinstance(pair, ast.Tuple) and len(pair.elts) == 2:
                    key_value = eval_const(pair.elts[0], self.env)
                    if isinstance(key_value, str):
                        members.append(self._member(key_value, pair.elts[1], span, {}))
        else:
            names = eval_const(spec, self.env)
            if isinstance(names, str):
                names = tuple(names.replace(",", " ").split())
            if not isinstance(names, tuple):
                return
            members = [EnumMemberDef(n, AutoValue(), span) for n in names if isinstance(n, str)]
        bases: list[Ref] = []
        for kw in call.keywords:
            if kw.arg == "type":
                mixin = dotted_name(kw.value)
                if mixin:
                    bases.append(Ref(mixin, self.module))
        bases.append(Ref(dotted_name(call.func) or "Enum", self.module))
        self.kinds[name] = "enum"
        self.enums.append(
            EnumClassDef(name, self.module, tuple(bases), tuple(members), self.src.span(target))
        )

    # ---------------------------------------------------------------- name resolution

    def _resolve(self, dotted: str) -> tuple[str, bool]:
        """Absolute dotted target of a name used here, and whether it came through an import."""
        head, _, rest = dotted.partition(".")
        target = self.imports.get(head)
        if target is None:
            return dotted, False
        return (f"{target}.{rest}" if rest else target), True

    def _lib_name(self, node: ast.AST) -> str | None:
        """Short name of a SQLAlchemy / SQLModel callable (``Column``, ``postgresql.ENUM``) or None."""
        dotted = dotted_name(node)
        if dotted is None:
            return None
        target, imported = self._resolve(dotted)
        parts = target.split(".")
        if imported:
            if parts[0] not in _LIBRARY_ROOTS:
                return None
        elif parts[0] in self.kinds or parts[0] in self.functions:
            return None  # defined in this module
        last = parts[-1]
        if last == "ENUM":
            for dialect in ("postgresql", "mysql"):
                if dialect in parts[:-1]:
                    return f"{dialect}.ENUM"
        return last

    def _typing_name(self, node: ast.AST) -> str | None:
        """``Optional`` / ``Literal`` / ``Mapped``... for typing and SQLAlchemy annotation helpers."""
        dotted = dotted_name(node)
        if dotted is None:
            return None
        target, imported = self._resolve(dotted)
        root = target.split(".", 1)[0]
        if imported and root not in _LIBRARY_ROOTS and root not in _NEUTRAL_MODULES:
            return None
        return target.rsplit(".", 1)[-1]

    def _enum_base_target(self, node: ast.AST) -> bool:
        dotted = dotted_name(node)
        if dotted is None:
            return False
        target, imported = self._resolve(dotted)
        if imported:
            return target in _ENUM_BASES
        return dotted in _ENUM_SHORT and dotted not in self.kinds

    def _ref(self, node: ast.AST) -> Ref:
        return Ref(dotted_name(node) or ast.unparse(node), self.module)

    # ---------------------------------------------------------------- classes

    def _base_kind(self, node: ast.expr) -> ClassKind:
        dotted = dotted_name(node)
        if dotted is None:
            return "plain"  # Generic[T], calls: no information
        local = self.kinds.get(dotted)
        if local is not None:
            return "declarative" if local == "base" else local  # a subclass of Base is a model
        if self._enum_base_target(node):
            return "enum"
        target, imported = self._resolve(dotted)
        root = target.split(".", 1)[0]
        short = target.rsplit(".", 1)[-1]
        if (imported and root in _LIBRARY_ROOTS) or (not imported and short in _LIBRARY_BASES):
            return _LIBRARY_BASES.get(short, "plain")  # AsyncAttrs, MappedAsDataclass: mixins
        if (not imported and dotted in _BUILTIN_CLASSES) or (
            imported and (root in _NEUTRAL_MODULES or root == "enum")
        ):
            return "plain"
        return "unknown"

    def _class_kind(self, cls: ast.ClassDef) -> ClassKind:
        kinds = {self._base_kind(base) for base in cls.bases}
        for kw in cls.keywords:
            if kw.arg == "metaclass" and self._lib_name(kw.value) == "DeclarativeMeta":
                kinds.add("base")
            elif kw.arg == "table":
                kinds.add("sqlmodel")
        for decorator in cls.decorator_list:
            func = decorator.func if isinstance(decorator, ast.Call) else decorator
            name = dotted_name(func) or ""
            short = name.rsplit(".", 1)[-1]
            if short in ("as_declarative", "as_declarative_base"):
                kinds.add("base")
            elif short in ("mapped", "mapped_as_dataclass"):
                kinds.add("declarative")
        if "base" in kinds:
            return "base"  # DeclarativeBase wins over a mixin that might look like anything
        return next((k for k in _KIND_ORDER if k in kinds), "plain")

    def _class(self, cls: ast.ClassDef) -> None:
        bases = tuple(self._ref(base) for base in cls.bases)
        self.class_bases.append((cls.name, bases))
        kind = self._class_kind(cls)
        sqlmodel_table = any(
            kw.arg == "table" and isinstance(kw.value, ast.Constant) and kw.value.value is True
            for kw in cls.keywords
        )
        body = self._class_body(cls, kind)
        self.kinds[cls.name] = kind
        span = self._class_name_span(cls)
        if kind == "enum" or (kind == "unknown" and not body.model_evidence):
            members = tuple(m for m in body.members if m.name not in body.ignored)
            self.enums.append(EnumClassDef(cls.name, self.module, bases, members, span))
        if kind == "enum" or (kind in ("plain", "unknown") and not body.model_evidence and not body.columns):
            return  # nothing a table could take from it (its bases are in class_bases)
        columns = body.columns
        if kind == "unknown" and body.declarative_evidence:
            # Mapped / Column classes are declarative: a plain annotation there is not a column.
            columns = [c for c in columns if c.attribute not in body.field_attributes]
        table = body.table
        if kind == "sqlmodel" and sqlmodel_table and not body.table_given:
            table = cls.name.lower()  # SQLModel's default __tablename__
        self.classes.append(
            ModelClassDef(
                name=cls.name,
                module=self.module,
                bases=bases,
                span=span,
                table=table,
                columns=tuple(columns),
                checks=tuple(body.checks),
                is_base=kind == "base",
                type_annotation_map=body.type_map,
                sqlmodel_table=sqlmodel_table,
                partial=body.partial,
                table_declared=body.table_declared or body.table_given,
                table_rule=body.table_rule,
                abstract=body.abstract,
                schema=body.schema,
                table_args=body.table_args,
                metadata=body.metadata,
            )
        )

    def _class_name_span(self, cls: ast.ClassDef) -> Span:
        """The class name on its ``class`` line (``ast`` has no position for the name itself)."""
        return self._def_name_span(cls, "class")

    def _def_name_span(self, node: ast.ClassDef | ast.FunctionDef, keyword: str) -> Span:
        """The name after ``class`` / ``def``; ``lineno`` is that line even when decorated."""
        line_text = self.src.lines[node.lineno - 1] if node.lineno <= len(self.src.lines) else ""
        start = line_text.find(node.name, self.src.char_col(node.lineno, node.col_offset) + len(keyword))
        if start < 0:  # the name is on a continuation line
            return self.src.span(node)
        return Span(self.src.path, node.lineno, start + 1, node.lineno, start + 1 + len(node.name))

    def _class_body(self, cls: ast.ClassDef, kind: ClassKind) -> _ClassBody:
        body = _ClassBody()
        sqlmodel_fields = kind in ("sqlmodel", "unknown")
        owner = cls.name
        local_env: dict[str, PyConst] = {}
        for stmt in cls.body:
            if isinstance(stmt, ast.Assign):
                names = [t.id for t in stmt.targets if isinstance(t, ast.Name)]
                for name in names:
                    self._class_assign(body, owner, kind, name, None, stmt.value, stmt, local_env)
            elif isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
                name = stmt.target.id
                if stmt.value is not None:
                    self._class_assign(body, owner, kind, name, stmt.annotation, stmt.value, stmt, local_env)
                elif kind != "enum" and not _is_dunder(name):
                    self._annotation_only(body, owner, name, stmt, sqlmodel_fields)
            elif isinstance(stmt, ast.FunctionDef) and kind != "enum":
                self._declared_attr(body, owner, stmt)
        return body

    def _class_assign(
        self,
        body: _ClassBody,
        owner: str,
        kind: ClassKind,
        name: str,
        annotation: ast.expr | None,
        value: ast.expr,
        stmt: ast.stmt,
        local_env: dict[str, PyConst],
    ) -> None:
        if _is_dunder(name):
            if kind != "enum":
                self._dunder(body, owner, name, value)
            return
        if name == "_ignore_":
            ignored = eval_const(value, self.env)
            if isinstance(ignored, str):
                body.ignored.update(ignored.split())
            elif isinstance(ignored, tuple):
                body.ignored.update(i for i in ignored if isinstance(i, str))
            return
        if kind == "base" and name == "metadata":
            body.metadata = self._metadata_def(value)
            return
        if kind == "base" and name in ("type_annotation_map", "registry"):
            if name == "registry":
                if isinstance(value, ast.Name):
                    body.metadata = self.registry_metadata.get(value.id, body.metadata)
                elif isinstance(value, ast.Call) and self._lib_name(value.func) == "registry":
                    body.metadata = self._metadata_keyword(value) or body.metadata
            body.type_map = self._base_attribute_map(name, value, owner)
            return
        call_kind = None if kind == "enum" else self._call_kind(value)
        may_be_member = kind in ("enum", "unknown") and not _is_sunder(name) and not _PRIVATE_NAME.match(name)
        if may_be_member and call_kind is None:
            member = self._enum_member(name, value, stmt, local_env)
            if member is not None:
                body.members.append(member)
        if kind == "enum":
            return
        ann = self._annotation(annotation) if annotation is not None else None
        mapped = ann is not None and ann.mapped
        if mapped or call_kind is not None:
            body.model_evidence = True
        if mapped or call_kind in ("column", "mapped_column", "unwrap"):
            body.declarative_evidence = True
        if call_kind == "not_column" or (ann is not None and ann.not_column):
            return
        if call_kind is not None and isinstance(value, ast.Call):
            call = value
            if call_kind == "unwrap":  # deferred(Column(...))
                inner = value.args[0] if value.args else None
                call_kind = self._call_kind(inner) if isinstance(inner, ast.Call) else None
                if not isinstance(inner, ast.Call) or call_kind not in ("column", "mapped_column"):
                    return
                call = inner
            column = self._column(owner, name, call, call_kind, ann, body)
            if column is not None:
                body.columns.append(column)
        elif ann is not None and not ann.mapped and kind in ("sqlmodel", "unknown") and _is_field_name(name):
            # SQLModel: ``role: Role = Role.A`` is a field whose default is the value.
            parts = _ColumnCall(defaults=[self._default(value, server=False)])
            body.columns.append(self._sqlmodel_column(owner, name, _target(stmt), parts, ann))
            body.field_attributes.add(name)

    def _dunder(self, body: _ClassBody, owner: str, name: str, value: ast.expr) -> None:
        if name == "__tablename__":
            body.model_evidence = body.table_declared = True
            table = eval_const(value, self.env)
            body.table_given = True
            body.table = table if isinstance(table, str) else None
        elif name == "__table_args__":
            body.model_evidence = body.table_args = True
            body.checks.extend(self._checks_in(value))
            body.schema = self._table_args_schema(value, owner)
        elif name == "__table__":
            body.model_evidence = body.table_declared = True
            # A ``Table(...)`` written here is read like a Core table; anything else (a table
            # defined elsewhere, reflected, built by a function) hides the columns.
            body.partial = True
            if isinstance(value, ast.Call) and self._lib_name(value.func) == "Table":
                table_def = self._core_table(owner, value, value)
                body.table, body.table_given = table_def.table, True
                body.schema, body.table_args = table_def.schema, True
                body.metadata = table_def.metadata
                body.columns.extend(table_def.columns)
                body.checks.extend(table_def.checks)
                body.partial = table_def.partial
        elif name in ("__abstract__", "__mapper_args__"):
            body.model_evidence = True
            body.abstract = body.abstract or (name == "__abstract__" and eval_const(value, self.env) is True)

    def _base_attribute_map(self, name: str, value: ast.expr, owner: str) -> tuple[AnnotationMapEntry, ...]:
        if name == "type_annotation_map":
            return self._type_map(value, owner)
        if isinstance(value, ast.Name):
            return self.registries.get(value.id, ())
        if isinstance(value, ast.Call) and self._lib_name(value.func) == "registry":
            return self._type_map_keyword(value, owner)
        return ()

    def _call_kind(self, value: ast.expr) -> CallKind | None:
        if not isinstance(value, ast.Call):
            return None
        short = self._lib_name(value.func)
        return _CALL_KINDS.get(short) if short is not None else None

    def _annotation_only(
        self, body: _ClassBody, owner: str, name: str, stmt: ast.AnnAssign, sqlmodel_fields: bool
    ) -> None:
        """``x: Mapped[T]`` (a column with defaults) or SQLModel ``role: Role`` (a field)."""
        ann = self._annotation(stmt.annotation)
        if ann.mapped:
            body.model_evidence = body.declarative_evidence = True
        if ann.not_column or (not ann.mapped and (not sqlmodel_fields or not _is_field_name(name))):
            return
        if ann.mapped and ann.column_call is not None:
            column = self._column(owner, name, ann.column_call, "mapped_column", ann, body)
            if column is not None:
                body.columns.append(replace(column, span=self.src.span(stmt.target)))
        elif ann.mapped:
            body.columns.append(self._mapped_column(owner, name, stmt.target, _ColumnCall(), ann))
        else:
            body.columns.append(self._sqlmodel_column(owner, name, stmt.target, _ColumnCall(), ann))
            body.field_attributes.add(name)

    def _declared_attr(self, body: _ClassBody, owner: str, func: ast.FunctionDef) -> None:
        """``@declared_attr def role(cls): return Column(...)``: a mixin column."""
        decorators = (d.func if isinstance(d, ast.Call) else d for d in func.decorator_list)
        if not any("declared_attr" in (dotted_name(d) or "").split(".") for d in decorators):
            return
        body.model_evidence = body.declarative_evidence = True
        returned = next((s.value for s in reversed(func.body) if isinstance(s, ast.Return)), None)
        if func.name == "__tablename__" and len(func.body) - _docstring_count(func.body) == 1:
            table = eval_const(returned, self.env) if returned is not None else None
            if isinstance(table, str):  # ``return "events"``: a literal name spelled as a directive
                body.table, body.table_given = table, True
                return
        if func.name == "__tablename__":
            # SQLAlchemy calls the directive for every mapped class that inherits it (typically a
            # camel-case to snake-case conversion of ``cls.__name__``). It is kept as a pure
            # function; the model graph evaluates it per class, with the helpers of any module.
            body.table_declared = True
            span = self._def_name_span(func, "def")
            try:
                body.table_rule = TableRule(
                    owner, reduce_function(func, self.module, self.env, self._resolve), span
                )
            except NotPure as reason:
                self.diagnostics.append(computed_tablename_unreadable(owner, span, str(reason)))
            return
        if not isinstance(returned, ast.Call):
            return
        kind = self._call_kind(returned)
        if kind in ("column", "mapped_column"):
            ann = self._annotation(func.returns) if func.returns is not None else None
            column = self._column(owner, func.name, returned, kind, ann, body)
            if column is not None:
                body.columns.append(column)

    # ---------------------------------------------------------------- enum members

    def _enum_member(
        self, name: str, value: ast.expr, stmt: ast.stmt, local_env: dict[str, PyConst]
    ) -> EnumMemberDef | None:
        if isinstance(value, ast.Lambda):
            return None  # functions are descriptors, not members
        if isinstance(value, ast.Call):
            short = (dotted_name(value.func) or "").rsplit(".", 1)[-1]
            if short in _NON_MEMBER_CALLS:
                return None
            if short == "member" and len(value.args) == 1:
                value = value.args[0]
        member = self._member(name, value, self.src.span(stmt), local_env)
        if member.resolved and not isinstance(member.value, AutoValue):
            # Later members see earlier ones as plain values in the class body (``B = A`` is an alias).
            local_env[name] = member.value
        return member

    def _member(self, name: str, value: ast.expr, span: Span, local_env: dict[str, PyConst]) -> EnumMemberDef:
        if isinstance(value, ast.Call) and not value.args and not value.keywords:
            dotted = dotted_name(value.func)
            if dotted is not None and self._resolve(dotted)[0] in ("enum.auto", "auto"):
                return EnumMemberDef(name, AutoValue(), span)
        env = {**self.env, **local_env} if local_env else self.env
        result = eval_const(value, env)
        if isinstance(result, Unresolved):
            return EnumMemberDef(name, None, span, resolved=False)
        return EnumMemberDef(name, result, span)

    # ---------------------------------------------------------------- annotations

    def _annotation(self, node: ast.expr) -> _Annotation:
        ann = _Annotation()
        self._unwrap(node, ann, depth=0)
        return ann

    def _unwrap(self, node: ast.expr | None, ann: _Annotation, depth: int) -> None:
        if node is None or depth > 8:
            return
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            try:  # a quoted forward reference: "Mapped[Role]" / Mapped["Role"]
                node = ast.parse(node.value, mode="eval").body
            except SyntaxError:
                return
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
            self._union([node.left, node.right], ann, depth)
            return
        if isinstance(node, ast.Name) and node.id in self.literal_aliases:
            ann.alias = node.id
            ann.literals = self.literal_aliases[node.id]
            return
        if isinstance(node, ast.Name) and node.id in self.annotated_aliases:
            ann.alias = node.id
            self._unwrap(self.annotated_aliases[node.id], ann, depth + 1)
            return
        if not isinstance(node, ast.Subscript):
            ann.inner = node
            return
        head = self._typing_name(node.value)
        args = list(node.slice.elts) if isinstance(node.slice, ast.Tuple) else [node.slice]
        if head == "Mapped":
            ann.mapped = True
            self._unwrap(args[0], ann, depth + 1)
        elif head in ("WriteOnlyMapped", "DynamicMapped", "ClassVar"):
            ann.not_column = True
        elif head == "Optional":
            ann.optional = True
            self._unwrap(args[0], ann, depth + 1)
        elif head == "Union":
            self._union(args, ann, depth)
        elif head == "Annotated":
            for extra in args[1:]:
                if isinstance(extra, ast.Call) and self._call_kind(extra) == "mapped_column":
                    ann.column_call = extra
            self._unwrap(args[0], ann, depth + 1)
        elif head == "Literal":
            ann.literals = self._literal_values(node)
        else:
            ann.inner = node  # list[...], dict[...]: a generic, never an enum

    def _union(self, options: Sequence[ast.expr], ann: _Annotation, depth: int) -> None:
        rest = [o for o in options if not (isinstance(o, ast.Constant) and o.value is None)]
        if len(rest) < len(options):
            ann.optional = True
        if len(rest) == 1:
            self._unwrap(rest[0], ann, depth + 1)

    def _literal_values(self, node: ast.Subscript) -> tuple[str, ...] | None:
        items = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
        values = [eval_const(i, self.env) for i in items]
        strings = tuple(v for v in values if isinstance(v, str))
        # Literal[1, 2] makes SQLAlchemy raise; anything non-string is not an enum here.
        return strings if len(strings) == len(values) else None

    def _annotation_type(self, ann: _Annotation) -> tuple[Ref | None, ColumnType | None]:
        """The enum reference or default column type an annotation implies with no explicit type."""
        node = ann.inner
        if node is None or ann.literals is not None:
            return None, None
        dotted = dotted_name(node)
        if dotted is None:
            return None, None
        target, _ = self._resolve(dotted)
        known = _ANNOTATION_TYPES.get(target)
        if known is not None:
            return None, ColumnType(known[0], known[1])
        if target.rsplit(".", 1)[-1] in _CONTAINERS or dotted in ("None", "Any", "object"):
            return None, None
        if self.kinds.get(dotted) not in (None, "enum", "unknown"):
            return None, None  # a local model or plain class
        return Ref(dotted, self.module), None

    # ---------------------------------------------------------------- columns

    def _column(
        self,
        owner: str,
        attribute: str,
        call: ast.Call,
        kind: CallKind | None,
        ann: _Annotation | None,
        body: _ClassBody,
    ) -> ModelColumn | None:
        if kind == "field":
            parts = self._field_call(call)
            if parts.sa_column is not None:
                # SQLModel uses sa_column as is; the Field's default still fills the attribute.
                sa_parts = self._column_call(parts.sa_column, body)
                if not any(not d.server for d in sa_parts.defaults):
                    sa_parts.defaults.extend(d for d in parts.defaults if not d.server)
                return self._plain_column(owner, attribute, parts.sa_column, sa_parts)
            if ann is None:
                return None
            return self._sqlmodel_column(owner, attribute, call, parts, ann)
        parts = self._column_call(call, body)
        if ann is not None and ann.column_call is not None and ann.column_call is not call:
            parts = self._column_call(ann.column_call, body).overlay(parts)
        if kind == "mapped_column" and ann is not None and ann.mapped:
            return self._mapped_column(owner, attribute, call, parts, ann)
        return self._plain_column(owner, attribute, call, parts)

    def _plain_column(self, owner: str, attribute: str, node: ast.expr, parts: _ColumnCall) -> ModelColumn:
        """``Column(...)`` (annotations never change it) or ``mapped_column(...)`` without ``Mapped``."""
        name = parts.name or attribute
        enum, col_type = self._explicit_type(parts.type_node, f"{owner}.{name}")
        return ModelColumn(
            attribute=attribute,
            name=name,
            span=self.src.span(node),
            enum=enum,
            type=col_type,
            nullable=_nullable(parts, optional=None),
            primary_key=parts.primary_key,
            defaults=tuple(parts.defaults),
        )

    def _mapped_column(
        self, owner: str, attribute: str, node: ast.expr, parts: _ColumnCall, ann: _Annotation
    ) -> ModelColumn:
        """``x: Mapped[T] = mapped_column(...)``: nullable= wins, else Optional[T] decides.

        SQLAlchemy applies the annotation even to primary keys: ``Mapped[Optional[int]]`` with
        ``primary_key=True`` gives a Column with ``nullable=True`` (the database still makes it NOT NULL).
        """
        nullable = parts.nullable if parts.nullable_given else ann.optional
        return self._annotated_column(owner, attribute, node, parts, ann, nullable)

    def _sqlmodel_column(
        self, owner: str, attribute: str, node: ast.expr, parts: _ColumnCall, ann: _Annotation
    ) -> ModelColumn:
        """A SQLModel field: nullable= wins, then primary keys are NOT NULL, then Optional decides."""
        column = self._annotated_column(
            owner, attribute, node, parts, ann, _nullable(parts, optional=ann.optional)
        )
        if column.type is not None and column.type.family == "text" and parts.type_node is None:
            # SQLModel maps ``str`` to AutoString(max_length).
            column = replace(column, type=ColumnType("text", "AutoString", length=parts.max_length))
        return column

    def _annotated_column(
        self,
        owner: str,
        attribute: str,
        node: ast.expr,
        parts: _ColumnCall,
        ann: _Annotation,
        nullable: bool | None,
    ) -> ModelColumn:
        name = parts.name or attribute
        column = ModelColumn(
            attribute=attribute,
            name=name,
            span=self.src.span(node),
            nullable=nullable,
            primary_key=parts.primary_key,
            defaults=tuple(parts.defaults),
        )
        where = f"{owner}.{name}"
        if parts.type_node is not None:
            enum, col_type = self._explicit_type(parts.type_node, where)
            return replace(column, enum=enum, type=col_type)
            enum, col_type = self._explicit_type(parts.type_node, where)
            return replace(column, enum=enum, type=col_type)
        if ann.literals is not None:
            alias = Ref(ann.alias, self.module) if ann.alias else None
            return replace(column, annotation_literals=ann.literals, annotation_alias=alias)
        enum_ref, col_type = self._annotation_type(ann)
        if parts.foreign_key:
            col_type = None  # the referenced column's type
        return replace(column, annotation_enum=enum_ref, type=col_type)

    def _column_call(self, call: ast.Call, body: _ClassBody | None) -> _ColumnCall:
        """Arguments of ``Column(name?, type?, *items, **kw)`` / ``mapped_column(...)``."""
        parts = _ColumnCall()
        args = list(call.args)
        if args and not isinstance(args[0], ast.Starred):
            first = eval_const(args[0], self.env)
            if isinstance(first, str):
                parts.name = first
                args.pop(0)
        if args and not isinstance(args[0], ast.Starred) and not self._is_schema_item(args[0]):
            parts.type_node = args.pop(0)
        for arg in args:
            if isinstance(arg, ast.Call) and self._lib_name(arg.func) == "ForeignKey":
                parts.foreign_key = True
            if isinstance(arg, ast.Call) and self._lib_name(arg.func) == "CheckConstraint":
                check = self._check(arg)
                if check is not None:
                    parts.checks.append(check)
        for kw in call.keywords:
            self._column_keyword(parts, kw.arg, kw.value)
        if body is not None:
            body.checks.extend(parts.checks)
        return parts

    def _column_keyword(self, parts: _ColumnCall, arg: str | None, value: ast.expr) -> None:
        if arg == "name":
            name = eval_const(value, self.env)
            parts.name = name if isinstance(name, str) else parts.name
        elif arg in ("type_", "sa_type"):
            parts.type_node = value
        elif arg == "nullable":
            nullable = eval_const(value, self.env)
            parts.nullable_given = True
            parts.nullable = nullable if isinstance(nullable, bool) else None
        elif arg == "primary_key":
            parts.primary_key = eval_const(value, self.env) is True
        elif arg == "max_length":
            length = eval_const(value, self.env)
            parts.max_length = length if isinstance(length, int) and not isinstance(length, bool) else None
        elif arg in _DEFAULT_KEYWORDS:
            server = _DEFAULT_KEYWORDS[arg]
            is_factory = arg == "default_factory"
            parts.defaults = [d for d in parts.defaults if d.server != server]
            parts.defaults.append(self._default(value, server=server, factory=is_factory))

    def _field_call(self, call: ast.Call) -> _ColumnCall:
        """SQLModel ``Field(default, *, primary_key, nullable, sa_column, sa_type, sa_column_kwargs)``."""
        parts = _ColumnCall()
        if call.args and not _is_ellipsis(call.args[0]):
            parts.defaults.append(self._default(call.args[0], server=False))
        for kw in call.keywords:
            if kw.arg == "default":
                if not _is_ellipsis(kw.value):
                    parts.defaults = [self._default(kw.value, server=False)]
            elif kw.arg == "sa_column":
                if isinstance(kw.value, ast.Call) and self._call_kind(kw.value) == "column":
                    parts.sa_column = kw.value
            elif kw.arg == "sa_column_kwargs" and isinstance(kw.value, ast.Dict):
                for key, value in zip(kw.value.keys, kw.value.values, strict=True):
                    key_value = eval_const(key, self.env) if key is not None else None
                    if isinstance(key_value, str):
                        self._column_keyword(parts, key_value, value)
            else:
                self._column_keyword(parts, kw.arg, kw.value)
        return parts

    def _is_schema_item(self, node: ast.expr) -> bool:
        func = node.func if isinstance(node, ast.Call) else node
        return self._lib_name(func) in _SCHEMA_ITEMS

    def _default(self, node: ast.expr, *, server: bool, factory: bool = False) -> ModelDefault:
        span = self.src.span(node)
        if factory:
            return ModelDefault(span, server=server, expression=self._segment(node))
        if (
            server
            and isinstance(node, ast.Call)
            and self._lib_name(node.func) in _SQL_TEXT_CALLS
            and node.args
        ):
            sql = eval_const(node.args[0], self.env)
            if isinstance(sql, str):
                return ModelDefault(span, server=True, expression=sql)  # the SQL inside text(...)
        value = eval_const(node, self.env)
        if not isinstance(value, Unresolved):
            return ModelDefault(span, literal=value, is_literal=True, server=server)
        dotted = dotted_name(node)
        if dotted is not None:
            dotted = self.name_aliases.get(dotted, dotted)
            root = self._resolve(dotted)[0].split(".", 1)[0]
            if "." in dotted and root not in _NON_MEMBER_ROOTS:
                # ``UserRole.WRITER``: the graph resolves the member. ``UserRole.WRITER.value`` is the
                # member's value (a plain string), which SQLAlchemy treats differently from the member.
                chain = Ref(dotted, self.module)
                if dotted.count(".") >= 2 and dotted.rsplit(".", 1)[1] in _MEMBER_ATTRS:
                    return ModelDefault(
                        span, member_attribute=chain, server=server, expression=self._segment(node)
                    )
                return ModelDefault(span, member=chain, server=server, expression=self._segment(node))
        return ModelDefault(span, server=server, expression=self._segment(node))

    # ---------------------------------------------------------------- types

    def _explicit_type(
        self, node: ast.expr | None, where: str
    ) -> tuple[EnumTypeSpec | None, ColumnType | None]:
        """An explicit SQL type argument: an Enum spec, or a ColumnType."""
        if node is None:
            return None, None
        if isinstance(node, ast.Name) and node.id in self.type_vars:
            node = self.type_vars[node.id]  # a module-level type object reused by several columns
        while (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in ("with_variant", "evaluates_none")
        ):
            node = node.func.value  # the default variant
        func = node.func if isinstance(node, ast.Call) else node
        short = self._lib_name(func)
        if short is None:
            return None, ColumnType("unknown", dotted_name(func) or self._segment(func))
        if short in _ENUM_TYPES:
            if isinstance(node, ast.Call):
                return self._enum_spec(node, where, _ENUM_TYPES[short]), None
            return EnumTypeSpec(span=self.src.span(node), dialect_type=_ENUM_TYPES[short]), None
        family = _TYPE_FAMILIES.get(short)
        if family is None:
            # A library type we do not classify is "other"; a name we cannot place (a custom
            # TypeDecorator, a star import) is "unknown".
            return None, ColumnType(
                "other" if self._resolve(dotted_name(func) or "")[1] else "unknown", short
            )
        length: int | None = None
        timezone: bool | None = None
        if isinstance(node, ast.Call):
            if family in _LENGTH_FAMILIES and node.args:
                first = eval_const(node.args[0], self.env)
                length = first if isinstance(first, int) and not isinstance(first, bool) else None
            for kw in node.keywords:
                value = eval_const(kw.value, self.env)
                if kw.arg == "length" and isinstance(value, int) and not isinstance(value, bool):
                    length = value
                elif kw.arg == "timezone" and isinstance(value, bool):
                    timezone = value
        return None, ColumnType(family, short, length=length, timezone=timezone)

    def _enum_spec(self, call: ast.Call, where: str, dialect: str | None) -> EnumTypeSpec:
        """``sa.Enum(PyEnum | *strings, values_callable=..., native_enum=..., name=..., ...)``."""
        spec = EnumTypeSpec(span=self.src.span(call), dialect_type=dialect)
        literals: list[str] = []
        for arg in call.args:
            node = arg.value if isinstance(arg, ast.Starred) else arg
            value = eval_const(node, self.env)
            if isinstance(value, str) and not isinstance(arg, ast.Starred):
                literals.append(value)
            elif isinstance(value, tuple) and all(isinstance(v, str) for v in value):
                literals.extend(v for v in value if isinstance(v, str))
            elif (
                not isinstance(arg, ast.Starred)
                and not literals
                and spec.enum_ref is None
                and dotted_name(arg)
            ):
                target, _ = self._resolve(dotted_name(arg) or "")
                spec = replace(spec, enum_ref=self._ref(arg), generic=target == "enum.Enum")
            else:
                self.diagnostics.append(
                    Diagnostic(
                        "SL004",
                        f"The values of the enum type of `{where}` cannot be read statically: "
                        f"`{self._segment(arg)}`.",
                        self.src.span(arg),
                        help="Pass the enum class or literal strings so the values can be checked.",
                    )
                )
        if literals:
            spec = replace(spec, literals=tuple(literals))
        changes: dict[str, Any] = {}
        for kw in call.keywords:
            if kw.arg == "values_callable":
                changes["values_callable"] = self._values_callable(kw.value, where)
            elif kw.arg in _ENUM_KEYWORDS:
                attr, expected = _ENUM_KEYWORDS[kw.arg]
                value = eval_const(kw.value, self.env)
                if isinstance(value, expected) and (expected is bool or not isinstance(value, bool)):
                    changes[attr] = value
                elif not (value is None and kw.arg in ("name", "length", "schema")):
                    self.diagnostics.append(
                        Diagnostic(
                            "SL004",
                            f"`{kw.arg}` of the enum type of `{where}` cannot be read statically: "
                            f"`{self._segment(kw.value)}`.",
                            self.src.span(kw.value),
                            help=f"Write `{kw.arg}` as a literal or a module constant.",
                        )
                    )
        return replace(spec, **changes)

    def _values_callable(self, node: ast.expr, where: str) -> ValuesCallable:
        source = self._segment(node)
        steps: tuple[str, ...] | None = None
        if isinstance(node, ast.Lambda):
            steps = values_callable_steps(node.args, [node.body])
        elif isinstance(node, (ast.Name, ast.Attribute)):
            dotted = dotted_name(node) or ""
            local = self.functions.get(dotted)
            if isinstance(local, ast.Lambda):
                steps = values_callable_steps(local.args, [local.body])
            elif local is not None:
                returns = [s.value for s in local.body if isinstance(s, ast.Return) and s.value is not None]
                steps = values_callable_steps(local.args, returns) if len(returns) == 1 else None
            else:
                target, imported = self._resolve(dotted)
                if imported:  # defined elsewhere: the graph reads that module
                    return ValuesCallable((), target, unresolved=True)
        if steps is not None:
            return ValuesCallable(steps, source)
        self.diagnostics.append(
            Diagnostic(
                "SL004",
                f"The `values_callable` of the enum type of `{where}` cannot be read statically: `{source}`.",
                self.src.span(node),
                help="Use a form such as `lambda x: [e.value for e in x]` so the stored strings can be checked.",
            )
        )
        return ValuesCallable((), source, unresolved=True)

    def _type_map(self, node: ast.expr, owner: str) -> tuple[AnnotationMapEntry, ...]:
        if isinstance(node, ast.Name) and node.id in self.dicts:
            node = self.dicts[node.id]
        if not isinstance(node, ast.Dict):
            return ()
        entries: list[AnnotationMapEntry] = []
        for key, value in zip(node.keys, node.values, strict=True):
            if key is None:
                continue
            enum, _ = self._explicit_type(value, f"{owner}.type_annotation_map[{self._segment(key)}]")
            if enum is not None:
                entries.append(AnnotationMapEntry(self._ref(key), enum))
        return tuple(entries)

    # ---------------------------------------------------------------- checks and Core tables

    def _checks_in(self, node: ast.expr) -> Iterator[ModelCheck]:
        """CheckConstraints in ``__table_args__`` (a tuple, a dict, or a tuple ending with a dict)."""
        if isinstance(node, (ast.Tuple, ast.List)):
            for elt in node.elts:
                yield from self._checks_in(elt)
        elif isinstance(node, ast.BinOp):
            yield from self._checks_in(node.left)
            yield from self._checks_in(node.right)
        elif isinstance(node, ast.Call) and self._lib_name(node.func) == "CheckConstraint":
            check = self._check(node)
            if check is not None:
                yield check

    def _check(self, call: ast.Call) -> ModelCheck | None:
        sql_node = (
            call.args[0] if call.args else next((k.value for k in call.keywords if k.arg == "sqltext"), None)
        )
        if sql_node is None:
            return None
        if (
            isinstance(sql_node, ast.Call)
            and self._lib_name(sql_node.func) in _SQL_TEXT_CALLS
            and sql_node.args
        ):
            sql_node = sql_node.args[0]
        name_node = (
            call.args[1]
            if len(call.args) > 1
            else next((k.value for k in call.keywords if k.arg == "name"), None)
        )
        name = eval_const(name_node, self.env) if name_node is not None else None
        name = name if isinstance(name, str) else None
        expression = eval_const(sql_node, self.env)
        span = self.src.span(call)
        if not isinstance(expression, str):
            return ModelCheck(name, self._segment(sql_node), span)
        # Imported here: sqlglot takes longer to import than most model files take to read, and
        # only a CheckConstraint with literal SQL needs it.
        from schemalint.extract.sql import check_from_expression

        try:
            check = check_from_expression(expression, "postgresql", span, name)
        except NotImplementedError:  # the SQL front-end's CHECK reader is not there yet
            return ModelCheck(name, expression, span)
        return ModelCheck(name, expression, span, column=check.column, values=check.values)

    def _core_table(self, name: str, target: ast.expr, call: ast.Call) -> ModelClassDef:
        """``users = Table("users", metadata, Column(...), CheckConstraint(...))``."""
        table = eval_const(call.args[0], self.env) if call.args else None
        columns: list[ModelColumn] = []
        checks: list[ModelCheck] = []
        table_name = table if isinstance(table, str) else name
        # Reflected (``autoload_with=engine``) or built from starred/unnamed items: the column
        # list is not all written here.
        partial = any(kw.arg in ("autoload_with", "autoload") for kw in call.keywords)
        for arg in call.args[2:]:
            if not isinstance(arg, ast.Call):
                partial = partial or isinstance(arg, ast.Starred)
                continue
            short = self._lib_name(arg.func)
            if short == "Column":
                parts = self._column_call(arg, None)
                checks.extend(parts.checks)
                if parts.name is not None:
                    columns.append(self._plain_column(table_name, parts.name, arg, parts))
                else:
                    partial = True
            elif short == "CheckConstraint":
                check = self._check(arg)
                if check is not None:
                    checks.append(check)
            elif short == "PrimaryKeyConstraint":
                keys = {eval_const(a, self.env) for a in arg.args}
                columns = [
                    replace(c, primary_key=True, nullable=False) if c.name in keys else c for c in columns
                ]
        schema_node = next((kw.value for kw in call.keywords if kw.arg == "schema"), None)
        metadata_node = call.args[1] if len(call.args) > 1 else None
        metadata_node = metadata_node or next(
            (kw.value for kw in call.keywords if kw.arg == "metadata"), None
        )
        return ModelClassDef(
            name=name,
            module=self.module,
            bases=(),
            span=self.src.span(target),
            table=table if isinstance(table, str) else None,
            columns=tuple(columns),
            checks=tuple(checks),
            core_table=True,
            partial=partial,
            schema=self._schema_value(schema_node, f"table `{table_name}`"),
            metadata=self._metadata_def(metadata_node) if metadata_node is not None else None,
        )


# ------------------------------------------------------------------------------------------------
# Small pure helpers.
# ------------------------------------------------------------------------------------------------


def _blocks(stmt: ast.If | ast.Try) -> Iterator[list[ast.stmt]]:
    yield stmt.body
    yield stmt.orelse
    if isinstance(stmt, ast.Try):
        yield stmt.finalbody
        for handler in stmt.handlers:
            yield handler.body


def _is_dunder(name: str) -> bool:
    return len(name) > 4 and name.startswith("__") and name.endswith("__")


def _is_sunder(name: str) -> bool:
    return len(name) > 2 and name[0] == "_" and name[-1] == "_" and name[1] != "_" and name[-2] != "_"


def _is_ellipsis(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and node.value is Ellipsis


def _is_field_name(name: str) -> bool:
    """Pydantic makes no field of ``_private`` names or ``model_config``."""
    return not name.startswith("_") and name != "model_config"


def _target(stmt: ast.stmt) -> ast.expr:
    """The target of an (annotated) assignment, for spans."""
    if isinstance(stmt, ast.AnnAssign):
        return stmt.target
    if isinstance(stmt, ast.Assign):
        return stmt.targets[0]
    raise TypeError(stmt)


def _nullable(parts: _ColumnCall, optional: bool | None) -> bool | None:
    """SQLAlchemy's rule: nullable= wins, then primary keys are NOT NULL, then the annotation."""
    if parts.nullable_given:
        return parts.nullable
    if parts.primary_key:
        return False
    return True if optional is None else optional
