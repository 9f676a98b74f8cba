"""TypeScript migrations (MikroORM, TypeORM, Knex): the SQL their ``up()`` runs, evaluated statically."""

from __future__ import annotations

import dataclasses
import re
from bisect import bisect_right
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Union

from schemalint.extract.sql import sql_to_ops
from schemalint.extract.tsparse import (
    TsSource,
    decode_escape,
    named_children,
    parse_typescript,
    to_ir,
    unwrap,
)
from schemalint.facts import Alternatives, Diagnostic, Dialect, MigrationFacts, Op, Span
from schemalint.tsir import (
    Arr,
    Call,
    Concat,
    EnumDecl,
    Member,
    Name,
    Obj,
    Opaque,
    Spread,
    TsExpr,
    TsObject,
    TsValue,
    Unknown,
    evaluate,
    js_string,
)

if TYPE_CHECKING:
    from tree_sitter import Node

UNRESOLVED = "SL004"
SYNTAX_ERROR = "SL002"
_MODULE = "<migration>"  # module name of IR names; every name resolves in this one file

# MikroORM queues ``addSql`` strings and runs them after ``up()`` returns, whereas ``execute``
# (and TypeORM's ``query``, Knex's ``raw``) run at once: DDL sent through ``execute`` happens
# before every queued statement of the same migration (MigrationRunner.run, MikroORM 5/6).
IMMEDIATE, QUEUED = 0, 1

# What a call does, by the role of its receiver and the method name.
_SQL_SINKS: dict[tuple[str, str], int] = {
    ("mikro-orm", "addSql"): QUEUED,
    ("mikro-orm", "execute"): IMMEDIATE,
    ("typeorm", "query"): IMMEDIATE,
    ("knex", "raw"): IMMEDIATE,
    ("knex-schema", "raw"): IMMEDIATE,
}
# Calls that change the schema through a builder schemalint does not replay (SL004 names them).
_SCHEMA_BUILDERS: dict[str, frozenset[str]] = {
    "typeorm": frozenset(
        {
            "createTable", "dropTable", "renameTable", "addColumn", "addColumns", "renameColumn",
            "changeColumn", "changeColumns", "dropColumn", "dropColumns", "createCheckConstraint",
            "createCheckConstraints", "dropCheckConstraint", "dropCheckConstraints", "createSchema",
        }
    ),
    # Everything on ``knex.schema`` except raw SQL and read-only probes builds DDL.
    "knex-schema": frozenset(),
}  # fmt: skip
_PROBES: dict[str, frozenset[str]] = {
    "knex-schema": frozenset({"hasTable", "hasColumn", "withSchema"}),
    "typeorm": frozenset(),
}
# Receivers reached from another receiver by a property: ``knex.schema``, ``queryRunner.manager``.
_ROLE_PROPERTIES: dict[tuple[str, str], str] = {
    ("knex", "schema"): "knex-schema",
    ("typeorm", "manager"): "typeorm",
    ("typeorm", "connection"): "typeorm",
}
# Calls whose result is a receiver: ``this.getKnex()`` in MikroORM, chained Knex schema builders.
_ROLE_CALLS: dict[tuple[str, str], str] = {
    ("mikro-orm", "getKnex"): "knex",
    ("knex-schema", "withSchema"): "knex-schema",
}

_MAX_UNROLL = 500  # iterations of a loop over a constant array
_MAX_CHOICES = 8  # values one variable may hold across undecidable branches
_MAX_CALL_DEPTH = 16

# Ordering from class names when discovery gave none: MikroORM ``Migration20240101120000_x``,
# TypeORM ``InitialSchema1611063162649``.
_CLASS_ORDER: tuple[re.Pattern[str], ...] = (
    re.compile(r"^Migration(?P<ts>\d{14})(?:_(?P<name>\w+))?$"),
    re.compile(r"^(?P<name>[A-Za-z_]\w*?)(?P<ts>\d{13})$"),
)


# ---------------------------------------------------------------------------------------------
# Values: strings keep where each character came from, so SQL findings point into the file.
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Piece:
    """Part of a string value: verbatim source text at ``start``, or a computed part of [start, end)."""

    text: str
    start: int  # file character offset
    end: int
    verbatim: bool
    # Not empty: statements of unknown text stand here (an unresolved `${...}` between two SQL
    # statements); the reason says what could not be read.
    gap: str = ""


@dataclass(frozen=True, slots=True)
class _Str:
    pieces: tuple[_Piece, ...]

    @property
    def text(self) -> str:
        return "".join(piece.text for piece in self.pieces)

    @property
    def gaps(self) -> tuple[_Piece, ...]:
        return tuple(piece for piece in self.pieces if piece.gap)


@dataclass(frozen=True, slots=True)
class _Unresolved:
    reason: str  # names the expression: "`x(...)` is imported from `y`"
    node: Node | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class _Choice:
    """One of several values, depending on which undecidable branch ran."""

    options: tuple[Value, ...]


@dataclass(frozen=True, slots=True)
class _Receiver:
    """A run-time object whose calls run SQL: ``this`` (MikroORM), ``queryRunner``, ``knex``."""

    role: str


@dataclass(frozen=True, slots=True)
class _Callable:
    """A function defined in this file: a method, a module function, an arrow in a const."""

    node: Node = field(compare=False)
    cls: _Class | None = field(default=None, compare=False)
    this_role: str | None = None
    closure: _Scope | None = field(default=None, compare=False)  # variables the function sees


Value = Union[_Str, TsValue, _Unresolved, _Choice, _Receiver, _Callable]  # noqa: UP007
_UNDEFINED: Value = None
_NOT_BOUND: Value = _Unresolved("not a function of this file")  # compared by identity


@dataclass(slots=True)
class _Class:
    name: str
    node: Node
    fields: dict[str, Node] = field(default_factory=dict)  # static and instance initializers
    methods: dict[str, Node] = field(default_factory=dict)


class _Scope:
    """Variables of a function body or block. A fork (one ``if`` branch) keeps assignments to
    outer variables to itself, so the branches can be compared and merged afterwards."""

    __slots__ = ("cls", "fork", "parent", "shadowed", "this_role", "vars")

    def __init__(
        self,
        parent: _Scope | None,
        cls: _Class | None = None,
        this_role: str | None = None,
        fork: bool = False,
    ) -> None:
        self.parent: _Scope | None = parent
        self.cls: _Class | None = cls if cls is not None or parent is None else parent.cls
        self.this_role: str | None = (
            this_role if this_role is not None or parent is None else parent.this_role
        )
        self.vars: dict[str, Value] = {}
        self.shadowed: set[str] = set()
        self.fork = fork

    def child(self, fork: bool = False) -> _Scope:
        return _Scope(self, fork=fork)

    def lookup(self, name: str) -> tuple[bool, Value]:
        scope: _Scope | None = self
        while scope is not None:
            if name in scope.vars:
                return True, scope.vars[name]
            scope = scope.parent
        return False, None

    def declare(self, name: str, value: Value) -> None:
        self.vars[name] = value
        self.shadowed.discard(name)

    def assign(self, name: str, value: Value) -> None:
        scope: _Scope | None = self
        while scope is not None:
            if name in scope.vars and name not in scope.shadowed:
                scope.vars[name] = value
                return
            if scope.fork:
                scope.vars[name] = value
                scope.shadowed.add(name)
                return
            scope = scope.parent
        self.vars[name] = value  # an undeclared name: JavaScript makes it a global


def _choice(values: Sequence[Value]) -> Value:
    options: list[Value] = []
    for value in values:
        for option in value.options if isinstance(value, _Choice) else (value,):
            if option not in options:
                options.append(option)
    if len(options) == 1:
        return options[0]
    if len(options) > _MAX_CHOICES:
        return _Unresolved("the value depends on too many undecidable branches")
    return _Choice(tuple(options))


def _truthy(value: Value) -> bool | None:
    """JavaScript truthiness, None when the value is known only at run time."""
    if isinstance(value, (_Unresolved, _Choice, _Receiver)):
        return None
    if isinstance(value, _Str):
        return value.text != ""
    if isinstance(value, float) and value != value:  # NaN
        return False
    return value not in (None, False, 0, "")


Emitted = tuple[int, Op]  # (IMMEDIATE | QUEUED, operation)


# ---------------------------------------------------------------------------------------------
# Positions: SQL spans (relative to the evaluated string) mapped back into the file.
# ---------------------------------------------------------------------------------------------


class _Lines:
    def __init__(self, text: str) -> None:
        self.starts = [0, *(m.end() for m in re.finditer("\n", text))]

    def offset(self, line: int, column: int) -> int:
        return self.starts[min(line, len(self.starts)) - 1] + column - 1

    def point(self, offset: int) -> tuple[int, int]:
        index = bisect_right(self.starts, offset) - 1
        return index + 1, offset - self.starts[index] + 1


class _SqlMap:
    """Where each character of an evaluated SQL string came from in the file."""

    def __init__(self, value: _Str, file_lines: _Lines, path: str) -> None:
        self.sql_lines = _Lines(value.text)
        self.file_lines = file_lines
        self.path = path
        self.starts: list[int] = []
        self.ends: list[int] = []
        for piece in value.pieces:
            if piece.verbatim:
                self.starts.extend(range(piece.start, piece.start + len(piece.text)))
                self.ends.extend(range(piece.start + 1, piece.start + len(piece.text) + 1))
            else:
                self.starts.extend([piece.start] * len(piece.text))
                self.ends.extend([piece.end] * len(piece.text))
        last = value.pieces[-1].end if value.pieces else 0
        self.starts.append(last)
        self.ends.append(last)

    def span(self, span: Span) -> Span:
        start = min(self.sql_lines.offset(span.line, span.column), len(self.starts) - 1)
        end = min(self.sql_lines.offset(span.end_line, span.end_column), len(self.starts) - 1)
        file_start = self.starts[start]
        file_end = self.ends[end - 1] if end > start else file_start
        # Parts may come from different places (a const defined above its use): never backwards.
        file_end = max(file_end, file_start)
        return Span(self.path, *self.file_lines.point(file_start), *self.file_lines.point(file_end))


def _respan(value: Any, fix: Callable[[Span], Span]) -> Any:
    """``value`` with every Span inside it (ops, checks, columns, diagnostics) passed through ``fix``."""
    if isinstance(value, Span):
        return fix(value)
    if isinstance(value, tuple):
        return tuple(_respan(item, fix) for item in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {}
        for f in dataclasses.fields(value):
            item = getattr(value, f.name)
            if isinstance(item, (Span, tuple)) or (
                dataclasses.is_dataclass(item) and not isinstance(item, type)
            ):
                changes[f.name] = _respan(item, fix)
        return dataclasses.replace(value, **changes) if changes else value
    return value


# ---------------------------------------------------------------------------------------------
# The replay of ``up()``
# ---------------------------------------------------------------------------------------------


class _Replay:
    def __init__(self, source: TsSource, path: str, dialect: Dialect) -> None:
        self.source = source
        self.path = path
        self.dialect = dialect
        self.lines = _Lines(source.text)
        self.diagnostics: list[Diagnostic] = []
        self.statements = 0
        self.depth = 0
        self.module = _Scope(None)
        self.module_nodes: dict[str, Node] = {}  # consts, lets, functions, enums: evaluated on use
        self.imports: dict[str, str] = {}  # local name → module specifier
        self.classes: dict[str, _Class] = {}
        self.evaluating: set[str] = set()
        self.out: list[Emitted] = []  # where SQL operations go: the current branch's list

    # ---- positions and messages -------------------------------------------------------------

    def offsets(self, node: Node) -> tuple[int, int]:
        span = self.source.span(node)
        return self.lines.offset(span.line, span.column), self.lines.offset(span.end_line, span.end_column)

    def short(self, node: Node) -> str:
        text = self.source.node_text(node)
        if "\n" not in text and len(text) <= 100:
            return text
        if node.type == "call_expression":
            callee = node.child_by_field_name("function")
            if callee is not None:
                return f"{self.short(callee)}(...)"
        first = text.splitlines()[0] if text else ""
        return first[:97] + "..."

    def unresolved(self, node: Node, message: str) -> None:
        self.diagnostics.append(Diagnostic(UNRESOLVED, message, self.source.span(node)))

    # ---- module reading ----------------------------------------------------------------------

    def read_module(self, root: Node) -> list[tuple[Node, Node | None, str | None, _Class | None]]:
        """Collect declarations; return the ``up`` functions: (up node, down node, role, class)."""
        ups: list[tuple[Node, Node | None, str | None, _Class | None]] = []
        # A class that does not parse (a missing brace) leaves its methods loose in an ERROR
        # node: they are gathered into a nameless class so its ``up()`` is still read.
        recovered = _Class("", root)
        for statement in _recovered_statements(root):
            node = statement
            if node.type == "method_definition":
                name_node = node.child_by_field_name("name")
                if name_node is not None:
                    recovered.methods[self.source.node_text(name_node)] = node
                continue
            if node.type == "export_statement":
                inner = node.child_by_field_name("declaration") or node.child_by_field_name("value")
                if inner is None:
                    continue
                node = inner
            if node.type == "import_statement":
                self.read_import(node)
            elif node.type in ("lexical_declaration", "variable_declaration"):
                for declarator in named_children(node):
                    name, value = (
                        declarator.child_by_field_name("name"),
                        declarator.child_by_field_name("value"),
                    )
                    if name is not None and value is not None and name.type == "identifier":
                        self.module_nodes[self.source.node_text(name)] = value
            elif node.type in ("function_declaration", "generator_function_declaration", "enum_declaration"):
                name = node.child_by_field_name("name")
                if name is not None:
                    self.module_nodes[self.source.node_text(name)] = node
            elif node.type in ("class_declaration", "abstract_class_declaration", "class"):
                cls = self.read_class(node)
                up = cls.methods.get("up")
                if up is not None:
                    params = _parameters(up)
                    role = None if params else "mikro-orm"
                    ups.append((up, cls.methods.get("down"), role, cls))
            elif node.type == "expression_statement":
                self.read_commonjs_export(node)
        if "up" in recovered.methods:
            up = recovered.methods["up"]
            ups.append(
                (up, recovered.methods.get("down"), None if _parameters(up) else "mikro-orm", recovered)
            )
        knex_up = self.module_nodes.get("up")
        knex_down = self.module_nodes.get("down")
        if knex_up is not None and _function_like(knex_up):
            ups.append((knex_up, knex_down if knex_down is not None and _function_like(knex_down) else None,
                        None, None))  # fmt: skip
        ups.sort(key=lambda item: item[0].start_byte)
        return ups

    def read_import(self, node: Node) -> None:
        specifier_node = node.child_by_field_name("source")
        if specifier_node is None:
            return
        specifier = self.source.node_text(specifier_node).strip("'\"")
        for descendant in _walk(node):
            if descendant.type == "import_specifier":
                alias = descendant.child_by_field_name("alias") or descendant.child_by_field_name("name")
                if alias is not None:
                    self.imports[self.source.node_text(alias)] = specifier
            elif descendant.type == "namespace_import" or (
                descendant.type == "identifier" and descendant.parent is not None
                and descendant.parent.type == "import_clause"
            ):  # fmt: skip
                names = [c for c in named_children(descendant) if c.type == "identifier"] or [descendant]
                self.imports[self.source.node_text(names[0])] = specifier

    def read_commonjs_export(self, node: Node) -> None:
        """``exports.up = function (knex) {...}`` / ``module.exports.up = ...`` (Knex in JavaScript)."""
        expression = next(named_children(node), None)
        if expression is None or expression.type != "assignment_expression":
            return
        left, right = expression.child_by_field_name("left"), expression.child_by_field_name("right")
        if left is None or right is None:
            return
        match = re.fullmatch(r"(?:module\.)?exports\.(\w+)", self.source.node_text(left))
        if match:
            self.module_nodes[match[1]] = right

    def read_class(self, node: Node) -> _Class:
        name_node = node.child_by_field_name("name")
        cls = _Class(self.source.node_text(name_node) if name_node is not None else "", node)
        body = node.child_by_field_name("body")
        for member in named_children(body) if body is not None else ():
            member_name = member.child_by_field_name("name")
            if member_name is None:
                continue
            key = self.source.node_text(member_name)
            if member.type == "method_definition":
                cls.methods[key] = member
            elif member.type == "public_field_definition":
                value = member.child_by_field_name("value")
                if value is not None:
                    if _function_like(unwrap(value)):
                        cls.methods[key] = unwrap(value)
                    else:
                        cls.fields[key] = value
        if cls.name:
            self.classes[cls.name] = cls
        return cls

    # ---- name resolution ---------------------------------------------------------------------

    def lookup(self, name: str, scope: _Scope) -> Value:
        found, value = scope.lookup(name)
        if found:
            return value
        if "." in name:
            owner, _, prop = name.partition(".")
            cls = scope.cls if owner == "this" else self.classes.get(owner)
            if cls is None:
                return _Unresolved(f"`{name}` is not a constant")
            return self.class_member(cls, prop, scope.this_role if owner == "this" else None)
        node = self.module_nodes.get(name)
        if node is not None:
            return self.module_value(name, node)
        if name in self.imports:
            return _Unresolved(
                f"`{name}` is imported from `{self.imports[name]}`, which is not followed in migrations"
            )
        if name in self.classes:
            return _Unresolved(f"`{name}` is a class")
        if name == "undefined":
            return None
        return _Unresolved(f"`{name}` is not defined in this file")

    def module_value(self, name: str, node: Node) -> Value:
        if _function_like(node):
            return _Callable(node)
        found, value = self.module.lookup(name)
        if found:
            return value
        if name in self.evaluating:
            return _Unresolved(f"`{name}` refers to itself")
        self.evaluating.add(name)
        try:
            if node.type == "enum_declaration":
                value = self.enum_value(node)
            else:
                value = self.value(node, self.module.child(), for_effect=False)
        finally:
            self.evaluating.discard(name)
        self.module.declare(name, value)
        return value

    def class_member(self, cls: _Class, prop: str, this_role: str | None) -> Value:
        if prop in cls.methods:
            return _Callable(cls.methods[prop], cls, this_role)
        key = f"{cls.name}.{prop}"
        node = cls.fields.get(prop)
        if node is None:
            return _Unresolved(f"`{cls.name}` has no field `{prop}` with an initializer")
        found, value = self.module.lookup(key)
        if found:
            return value
        if key in self.evaluating:
            return _Unresolved(f"`{key}` refers to itself")
        self.evaluating.add(key)
        try:
            value = self.value(node, _Scope(self.module, cls=cls), for_effect=False)
        finally:
            self.evaluating.discard(key)
        self.module.declare(key, value)
        return value

    def enum_value(self, node: Node) -> Value:
        body = node.child_by_field_name("body")
        members: list[tuple[str, TsExpr | None]] = []
        for member in named_children(body) if body is not None else ():
            if member.type == "enum_assignment":
                name, value = member.child_by_field_name("name"), member.child_by_field_name("value")
                if name is not None and value is not None:
                    members.append(
                        (self.source.node_text(name).strip("'\""), to_ir(self.source, value, _MODULE))
                    )
            else:
                members.append((self.source.node_text(member).strip("'\""), None))
        return self.ir_value(EnumDecl(tuple(members)), node, self.module)

    # ---- expressions as values ---------------------------------------------------------------

    def value(self, node: Node, scope: _Scope, for_effect: bool = True) -> Value:
        """The value of an expression; calls that run SQL are replayed when ``for_effect``."""
        node = unwrap(node)
        kind = node.type
        if kind == "string":
            return _Str(tuple(self.string_pieces(node)))
        if kind == "template_string":
            return self.template(node, scope)
        if kind == "identifier":
            return self.lookup(self.source.node_text(node), scope)
        if kind == "this":
            return _Receiver(scope.this_role) if scope.this_role else _Unresolved("`this` is not a constant")
        if kind == "member_expression":
            obj, prop = node.child_by_field_name("object"), node.child_by_field_name("property")
            if obj is not None and prop is not None:
                owner = unwrap(obj)
                role = self.role(owner, scope)
                if role is not None:
                    derived = _ROLE_PROPERTIES.get((role, self.source.node_text(prop)))
                    if derived is not None:
                        return _Receiver(derived)
                owner_text = self.source.node_text(owner)
                if owner.type == "this" or (owner.type == "identifier" and owner_text in self.classes):
                    return self.lookup(f"{owner_text}.{self.source.node_text(prop)}", scope)
        if kind == "await_expression":
            inner = next(named_children(node), None)
            return self.value(inner, scope, for_effect) if inner is not None else None
        if kind == "binary_expression":
            return self.binary(node, scope, for_effect)
        if kind == "ternary_expression":
            return self.ternary_value(node, scope, for_effect)
        if kind == "unary_expression":
            operator = node.child_by_field_name("operator")
            argument = node.child_by_field_name("argument")
            if operator is not None and argument is not None and self.source.node_text(operator) == "!":
                decided = _truthy(self.value(argument, scope, for_effect))
                return (
                    _Unresolved("the condition is known only at run time", node)
                    if decided is None
                    else (not decided)
                )
        if kind == "call_expression":
            return self.call_value(node, scope, for_effect)
        if kind in ("arrow_function", "function_expression", "function"):
            return _Callable(node, scope.cls, scope.this_role, scope)
        return self.ir_value(to_ir(self.source, node, _MODULE), node, scope)

    def ir_value(self, expr: TsExpr, node: Node, scope: _Scope) -> Value:
        def resolve(name: Name) -> TsValue | Unknown:
            value = self.lookup(name.name, scope)
            return _to_ts(value, name.name)

        result = evaluate(_bind_members(expr, frozenset(self.classes)), resolve)
        if isinstance(result, Unknown):
            return _Unresolved(result.reason, node)
        if isinstance(result, str):
            start, end = self.offsets(node)
            return _Str((_Piece(result, start, end, False),))
        return result

    def string_pieces(self, node: Node) -> Iterator[_Piece]:
        for child in node.named_children:
            start, end = self.offsets(child)
            if child.type == "escape_sequence":
                yield _Piece(decode_escape(self.source.node_text(child)), start, end, False)
            elif child.type != "template_substitution":
                yield _Piece(self.source.node_text(child), start, end, True)

    def template(self, node: Node, scope: _Scope) -> Value:
        pieces: list[_Piece] = []
        choices: list[tuple[int, _Choice]] = []
        children = node.named_children
        for index, child in enumerate(children):
            if child.type != "template_substitution":
                pieces.extend(self.string_pieces_of(child))
                continue
            inner = next(named_children(child), None)
            value = self.value(inner, scope) if inner is not None else ""
            if isinstance(value, _Choice):
                choices.append((len(pieces), value))
                pieces.append(_Piece("", 0, 0, False))  # placeholder, filled per option below
                continue
            text = _to_ts(value, self.short(inner) if inner is not None else "")
            start, end = self.offsets(child)
            if isinstance(text, Unknown):
                unresolved = (
                    value
                    if isinstance(value, _Unresolved) and value.node is not None
                    else _Unresolved(text.reason, inner)
                )
                following = children[index + 1] if index + 1 < len(children) else None
                if following is not None and following.type == "template_substitution":
                    return unresolved
                after = self.source.node_text(following) if following is not None else ""
                if not _statement_position("".join(p.text for p in pieces), after):
                    return unresolved
                # Whole statements of unknown text between known ones: the known statements are
                # still replayed, and the gap is reported where the SQL is run.
                pieces.append(_Piece("", start, end, False, gap=unresolved.reason))
                continue
            # A substituted value is one computed part: it points at its `${...}`.
            pieces.append(_Piece(js_string(text), start, end, False))
        if not choices:
            return _Str(tuple(pieces))
        if len(choices) > 1:
            return _Unresolved("the template depends on several undecidable branches", node)
        index, choice = choices[0]
        options: list[Value] = []
        start, end = self.offsets(node)
        for option in choice.options:
            text = _to_ts(option, "")
            if isinstance(text, Unknown):
                return _Unresolved(text.reason, node)
            filled = [*pieces[:index], _Piece(js_string(text), start, end, False), *pieces[index + 1 :]]
            options.append(_Str(tuple(filled)))
        return _Choice(tuple(options))

    def string_pieces_of(self, child: Node) -> Iterator[_Piece]:
        start, end = self.offsets(child)
        text = self.source.node_text(child)
        if child.type == "escape_sequence":
            yield _Piece(decode_escape(text), start, end, False)
        else:
            yield _Piece(text, start, end, True)

    def binary(self, node: Node, scope: _Scope, for_effect: bool) -> Value:
        operator_node = node.child_by_field_name("operator")
        left_node, right_node = node.child_by_field_name("left"), node.child_by_field_name("right")
        if operator_node is None or left_node is None or right_node is None:
            return _Unresolved(f"`{self.short(node)}` is not a constant", node)
        operator = self.source.node_text(operator_node)
        left = self.value(left_node, scope, for_effect)
        if operator in ("&&", "||", "??"):
            decided = (
                _truthy(left) if operator != "??" else (None if _truthy(left) is None else left is not None)
            )
            if decided is None:
                return _Unresolved(f"`{self.short(node)}` is known only at run time", node)
            if (operator == "&&") != decided or (operator == "??" and decided):
                return left
            return self.value(right_node, scope, for_effect)
        right = self.value(right_node, scope, for_effect)
        if operator == "+":
            return _plus(left, right, self.offsets(right_node))
        if operator in _COMPARISONS:
            a, b = _to_ts(left, ""), _to_ts(right, "")
            if isinstance(a, Unknown) or isinstance(b, Unknown):
                return _Unresolved(f"`{self.short(node)}` is known only at run time", node)
            return _COMPARISONS[operator](a, b)
        return self.ir_value(to_ir(self.source, node, _MODULE), node, scope)

    def ternary_value(self, node: Node, scope: _Scope, for_effect: bool) -> Value:
        condition = node.child_by_field_name("condition")
        consequence = node.child_by_field_name("consequence")
        alternative = node.child_by_field_name("alternative")
        if condition is None or consequence is None or alternative is None:
            return _Unresolved(f"`{self.short(node)}` is not a constant", node)
        decided = _truthy(self.value(condition, scope, for_effect))
        if decided is not None:
            return self.value(consequence if decided else alternative, scope, for_effect)
        return _choice([self.value(consequence, scope, False), self.value(alternative, scope, False)])

    # ---- calls ----------------------------------------------------------------------------------

    def role(self, node: Node, scope: _Scope) -> str | None:
        """The receiver role of an expression (``this``, ``queryRunner``, ``knex.schema``...)."""
        node = unwrap(node)
        if node.type == "this":
            return scope.this_role
        if node.type == "identifier":
            found, value = scope.lookup(self.source.node_text(node))
            return value.role if found and isinstance(value, _Receiver) else None
        if node.type == "member_expression":
            obj, prop = node.child_by_field_name("object"), node.child_by_field_name("property")
            if obj is not None and prop is not None:
                owner = self.role(obj, scope)
                return _ROLE_PROPERTIES.get((owner, self.source.node_text(prop))) if owner else None
        if node.type == "call_expression":
            callee = node.child_by_field_name("function")
            if callee is not None and unwrap(callee).type == "member_expression":
                callee = unwrap(callee)
                obj, prop = callee.child_by_field_name("object"), callee.child_by_field_name("property")
                owner = self.role(obj, scope) if obj is not None else None
                if owner is not None and prop is not None:
                    method = self.source.node_text(prop)
                    if (owner, method) in _ROLE_CALLS:
                        return _ROLE_CALLS[(owner, method)]
                    if owner == "knex-schema" and (owner, method) not in _SQL_SINKS:
                        return "knex-schema"  # builder chains: knex.schema.createTable(...).alterTable(...)
        if node.type == "await_expression":
            inner = next(named_children(node), None)
            return self.role(inner, scope) if inner is not None else None
        return None

    def call_value(self, node: Node, scope: _Scope, for_effect: bool) -> Value:
        callee = node.child_by_field_name("function")
        args_node = node.child_by_field_name("arguments")
        args = list(named_children(args_node)) if args_node is not None else []
        if callee is None:
            return _Unresolved(f"`{self.short(node)}` is not a constant", node)
        callee = unwrap(callee)
        if callee.type == "member_expression":
            obj, prop = callee.child_by_field_name("object"), callee.child_by_field_name("property")
            method = self.source.node_text(prop) if prop is not None else ""
            owner = self.role(obj, scope) if obj is not None else None
            own_method = (
                obj is not None
                and unwrap(obj).type == "this"
                and scope.cls is not None
                and (method in scope.cls.methods)
            )
            if owner is not None and not own_method:
                if not for_effect:
                    return _Unresolved(
                        f"`{self.short(node)}` runs SQL; its result is known only at run time", node
                    )
                return self.receiver_call(node, owner, method, args, scope)
            if method in ("call", "apply") and obj is not None and args:
                bound = self.bound_call(obj, method, args, scope)
                if bound is not _NOT_BOUND:
                    return bound
            if method == "forEach" and obj is not None and len(args) == 1:
                return self.for_each(node, obj, args[0], scope)
            if self.source.node_text(callee) == "Promise.all" and args and unwrap(args[0]).type == "array":
                for item in named_children(unwrap(args[0])):
                    self.effect(item, scope)
                return _Unresolved("the result of `Promise.all` is known only at run time", node)
        target = self.value(callee, scope, for_effect=False)
        if isinstance(target, _Callable):
            return self.call_function(target, node, args, scope)
        name = self.source.node_text(callee)
        if callee.type == "identifier" and name in self.imports:
            value: Value = _Unresolved(
                f"`{name}(...)` is imported from `{self.imports[name]}`, which schemalint does not follow",
                node,
            )
        else:
            value = self.ir_value(to_ir(self.source, node, _MODULE), node, scope)
        if isinstance(value, _Unresolved) and for_effect and any(self.role(arg, scope) for arg in args):
            # An unknown function handed the migration's runner may run SQL with it.
            self.unresolved(
                node,
                f"`{self.short(node)}` could not be resolved statically ({value.reason}); any schema "
                "change it makes is not in the database graph",
            )
        return value

    def bound_call(self, function: Node, method: str, args: list[Node], scope: _Scope) -> Value:
        """``helper.call(this, a)`` / ``helper.apply(this, [a])`` on a function of this file.

        Medusa's fulfillment module keeps each branch of ``up()`` in a module function typed
        ``this: Migration...`` and calls it with ``.call(this)``: ``this`` inside is the migration.
        ``_NOT_BOUND`` when the target is not such a function (the call is then read like any other).
        """
        target = self.value(function, scope, for_effect=False)
        if not isinstance(target, _Callable):
            return _NOT_BOUND
        if self.depth >= _MAX_CALL_DEPTH:
            return _Unresolved(f"`{self.short(function)}` calls helpers too deeply (or recursively)")
        this_node = unwrap(args[0])
        this_role = self.role(this_node, scope)
        cls = scope.cls if this_node.type == "this" else None
        if method == "call":
            values = [self.value(arg, scope) for arg in args[1:]]
        else:
            spread = self.value(args[1], scope, for_effect=False) if len(args) > 1 else ()
            if not isinstance(spread, tuple):
                return _NOT_BOUND
            values = list(spread)
        bound = _Callable(target.node, cls or target.cls, this_role, target.closure)
        return self.invoke(bound, values, scope)

    def receiver_call(self, node: Node, role: str, method: str, args: list[Node], scope: _Scope) -> Value:
        result = _Unresolved(f"the result of `{self.short(node)}` is known only at run time", node)
        phase = _SQL_SINKS.get((role, method))
        if phase is not None:
            if args:
                self.emit_sql(self.value(args[0], scope), args[0], node, phase)
            return result
        if (role, method) in _ROLE_CALLS or method in _PROBES.get(role, frozenset()):
            return result
        builders = _SCHEMA_BUILDERS.get(role)
        if builders is not None and (not builders or method in builders):
            self.unresolved(
                node,
                f"`{self.short(node)}` changes the schema through the {_ROLE_NAMES[role]} schema builder, "
                "which schemalint does not read; its changes are not in the database graph",
            )
        return result

    def call_function(self, target: _Callable, node: Node, args: list[Node], scope: _Scope) -> Value:
        if self.depth >= _MAX_CALL_DEPTH:
            return _Unresolved(f"`{self.short(node)}` calls helpers too deeply (or recursively)", node)
        values = [self.value(arg, scope) for arg in args]
        return self.invoke(target, values, scope)

    def invoke(self, target: _Callable, values: list[Value], scope: _Scope) -> Value:
        """Run a same-file function with bound arguments; SQL it runs goes to the current output."""
        function = target.node
        frame = _Scope(
            target.closure or self.module, cls=target.cls, this_role=target.this_role or scope.this_role
        )
        self.bind_parameters(function, values, frame)
        body = function.child_by_field_name("body")
        if body is None:
            return _UNDEFINED
        self.depth += 1
        try:
            if body.type != "statement_block":
                return self.value(body, frame)
            frame.declare("%return", _UNDEFINED)
            self.block(list(named_children(body)), frame, top=True)
            return frame.lookup("%return")[1]
        finally:
            self.depth -= 1

    def bind_parameters(self, function: Node, values: list[Value], frame: _Scope) -> None:
        for index, param in enumerate(_parameters(function)):
            pattern = param.child_by_field_name("pattern") if param.type != "identifier" else param
            default = param.child_by_field_name("value")
            if pattern is None:
                continue
            if pattern.type == "rest_pattern":
                names = [c for c in named_children(pattern) if c.type == "identifier"]
                if names:
                    frame.declare(self.source.node_text(names[0]), _array(values[index:]))
                continue
            if pattern.type != "identifier":
                for name in _identifiers(pattern):
                    frame.declare(self.source.node_text(name), _Unresolved("a destructured parameter"))
                continue
            value: Value = values[index] if index < len(values) else _UNDEFINED
            if value is None and default is not None:
                value = self.value(default, frame)
            frame.declare(self.source.node_text(pattern), value)

    def for_each(self, node: Node, target: Node, function: Node, scope: _Scope) -> Value:
        """``CONSTANT.forEach((item) => this.addSql(...))``: unrolled like a ``for ... of``."""
        items = self.value(target, scope, for_effect=False)
        callback = self.value(function, scope, for_effect=False)
        if not isinstance(items, tuple) or not isinstance(callback, _Callable) or len(items) > _MAX_UNROLL:
            if self.mentions_sql(function, scope):
                self.unresolved(
                    node,
                    f"`{self.short(node)}` could not be unrolled (its array is not a constant); "
                    "the SQL it runs is not in the database graph",
                )
            return _UNDEFINED
        for index, item in enumerate(items):
            self.invoke(callback, [item, index], scope)
        return _UNDEFINED

    # ---- SQL ------------------------------------------------------------------------------------

    def emit_sql(self, sql: Value, arg: Node, call: Node, phase: int) -> None:
        if isinstance(sql, str):  # an item of a constant array: one computed part at the argument
            sql = _Str((_Piece(sql, *self.offsets(arg), False),))
        if isinstance(sql, _Choice):
            branches: list[list[Emitted]] = []
            for option in sql.options:
                with self.emitting() as branch:
                    self.emit_sql(option, arg, call, phase)
                branches.append(branch)
            _append_alternatives(self.out, branches, self.source.span(call))
            return
        if isinstance(sql, _Str) and sql.gaps:
            callee = call.child_by_field_name("function")
            name = self.short(callee) if callee is not None else "the call"
            for gap in sql.gaps:
                (line, column), (end_line, end_column) = (
                    self.lines.point(gap.start),
                    self.lines.point(gap.end),
                )
                self.diagnostics.append(
                    Diagnostic(
                        UNRESOLVED,
                        f"{gap.gap}; the SQL statements it puts into the string passed to `{name}` are not "
                        "in the database graph (the statements around it are)",
                        Span(self.path, line, column, end_line, end_column),
                    )
                )
        if not isinstance(sql, _Str):
            if isinstance(sql, _Unresolved):
                where = sql.node if sql.node is not None else arg
                reason = sql.reason
            else:
                where, reason = arg, f"`{self.short(arg)}` is not a string"
            callee = call.child_by_field_name("function")
            name = self.short(callee) if callee is not None else "the call"
            what = f"`{self.short(where)}`"
            if not reason.startswith(what):
                reason = f"{what} could not be resolved statically ({reason})"
            self.unresolved(where, f"{reason}; the SQL passed to `{name}` is not in the database graph")
            return
        ops, diagnostics, count = self.sql_ops(sql)
        self.statements += count
        self.diagnostics.extend(diagnostics)
        self.out.extend((phase, op) for op in ops)

    def sql_ops(self, sql: _Str) -> tuple[tuple[Op, ...], tuple[Diagnostic, ...], int]:
        text = sql.text
        if len(sql.pieces) == 1 and sql.pieces[0].verbatim:
            # The common case: the SQL is one stretch of the file, so the SQL front-end can map
            # positions itself.
            return sql_to_ops(text, self.path, self.dialect, self.lines.point(sql.pieces[0].start))
        ops, diagnostics, count = sql_to_ops(text, self.path, self.dialect, (1, 1))
        mapping = _SqlMap(sql, self.lines, self.path)
        return _respan(ops, mapping.span), _respan(diagnostics, mapping.span), count

    @contextmanager
    def emitting(self, into: list[Emitted] | None = None) -> Iterator[list[Emitted]]:
        """Collect what is emitted inside the block in a list of its own (one branch)."""
        previous, self.out = self.out, into if into is not None else []
        try:
            yield self.out
        finally:
            self.out = previous

    # ---- statements -----------------------------------------------------------------------------

    def run_up(self, up: Node, role: str | None, cls: _Class | None) -> list[Emitted]:
        this_role = "mikro-orm" if role == "mikro-orm" else None
        frame = _Scope(self.module, cls=cls, this_role=this_role)
        if _parameters(up):
            # TypeORM's queryRunner, Knex's knex: whatever the parameter is called.
            self.bind_parameters(up, [_Receiver("typeorm" if cls is not None else "knex")], frame)
        frame.declare("%return", _UNDEFINED)
        body = up.child_by_field_name("body")
        with self.emitting() as out:
            if body is not None and body.type != "statement_block":
                self.effect(body, frame)
            elif body is not None:
                self.block(list(named_children(body)), frame, top=True)
        return out

    def block(self, statements: list[Node], scope: _Scope, top: bool = False) -> str:
        """Replay statements; the flow that ends the block: "", "return", "break" or "continue".

        ``top``: the statements are a whole function body, so an ``if`` that returns early can
        hand the statements after it to the arms that fall through.
        """
        for index, statement in enumerate(statements):
            flow = self.statement(statement, statements[index + 1 :] if top else None, scope)
            if flow:
                return flow
        return ""

    def statement(self, node: Node, rest: list[Node] | None, scope: _Scope) -> str:
        kind = node.type
        if kind == "expression_statement":
            for child in named_children(node):
                self.effect(child, scope)
            return ""
        if kind in ("lexical_declaration", "variable_declaration"):
            for declarator in named_children(node):
                self.declare(declarator, scope)
            return ""
        if kind == "statement_block":
            return self.block(list(named_children(node)), scope.child())
        if kind == "if_statement":
            return self.if_statement(node, rest, scope)
        if kind == "for_in_statement":
            return self.for_in(node, scope)
        if kind == "return_statement":
            inner = next(named_children(node), None)
            scope.assign("%return", self.value(inner, scope) if inner is not None else _UNDEFINED)
            return "return"
        if kind == "throw_statement":
            return "return"  # the migration fails here; nothing after it runs
        if kind in ("break_statement", "continue_statement"):
            return kind.split("_")[0]
        if kind == "try_statement":
            return self.try_statement(node, scope)
        if kind in ("function_declaration", "generator_function_declaration"):
            name = node.child_by_field_name("name")
            if name is not None:
                scope.declare(self.source.node_text(name), _Callable(node, scope.cls, scope.this_role, scope))
            return ""
        if kind in ("empty_statement", "comment", "debugger_statement"):
            return ""
        # Loops over run-time values, switch, labelled statements...
        if self.mentions_sql(node, scope):
            head = node.child_by_field_name("condition") or node.child_by_field_name("value") or node
            self.unresolved(
                head,
                f"`{self.short(head)}` could not be resolved statically; the SQL run in this "
                f"`{kind.replace('_statement', '')}` is not in the database graph",
            )
        for assigned in self.assigned_names(node):
            scope.assign(assigned, _Unresolved(f"`{assigned}` is assigned in a loop"))
        return ""

    def try_statement(self, node: Node, scope: _Scope) -> str:
        body = node.child_by_field_name("body")
        flow = self.block(list(named_children(body)), scope.child()) if body is not None else ""
        handler = node.child_by_field_name("handler")
        if handler is not None and self.mentions_sql(handler, scope):
            self.unresolved(
                handler,
                "this `catch` runs only when an earlier statement fails at run time; the SQL in it "
                "is not in the database graph",
            )
        finalizer = node.child_by_field_name("finalizer")
        if finalizer is not None:
            flow = self.block(_statements(finalizer), scope.child()) or flow
        return flow

    def declare(self, declarator: Node, scope: _Scope) -> None:
        name = declarator.child_by_field_name("name")
        value_node = declarator.child_by_field_name("value")
        value = self.value(value_node, scope) if value_node is not None else _UNDEFINED
        if name is None:
            return
        if name.type == "identifier":
            scope.declare(self.source.node_text(name), value)
            return
        for identifier in _identifiers(name):  # destructuring: `const [{ exists }] = await ...`
            scope.declare(
                self.source.node_text(identifier),
                _Unresolved(f"`{self.source.node_text(identifier)}` is known only at run time", identifier),
            )

    def effect(self, node: Node, scope: _Scope) -> None:
        """Replay an expression evaluated for its side effects."""
        node = unwrap(node)
        kind = node.type
        if kind == "await_expression":
            inner = next(named_children(node), None)
            if inner is not None:
                self.effect(inner, scope)
            return
        if kind == "call_expression":
            self.call_value(node, scope, True)
            return
        if kind in ("assignment_expression", "augmented_assignment_expression"):
            self.assignment(node, scope)
            return
        if kind == "ternary_expression":
            condition = node.child_by_field_name("condition")
            arm_nodes = [node.child_by_field_name("consequence"), node.child_by_field_name("alternative")]
            if condition is not None:
                arms = [[a] if a is not None else [] for a in arm_nodes]
                self.branches(node, condition, arms, None, scope, True)
            return
        if kind == "binary_expression":
            operator = node.child_by_field_name("operator")
            left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
            text = self.source.node_text(operator) if operator is not None else ""
            if text in ("&&", "||") and left is not None and right is not None:
                # `exists || this.addSql(...)`: the right side runs only on one outcome of the left.
                sides: list[list[Node]] = [[right], []] if text == "&&" else [[], [right]]
                self.branches(node, left, sides, None, scope, True)
                return
        if kind == "sequence_expression":
            for child in named_children(node):
                self.effect(child, scope)
            return
        self.value(node, scope)

    def assignment(self, node: Node, scope: _Scope) -> None:
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        if left is None or right is None:
            return
        value = self.value(right, scope)
        if unwrap(left).type != "identifier":
            return  # `this.x = ...`: an instance property, not read by the SQL followed here
        name = self.source.node_text(unwrap(left))
        if node.type == "augmented_assignment_expression":
            operator = node.child_by_field_name("operator")
            if operator is None or self.source.node_text(operator) != "+=":
                value = _Unresolved(f"`{self.short(node)}` is not followed", node)
            else:
                value = _plus(self.lookup(name, scope), value, self.offsets(right))
        scope.assign(name, value)

    def if_statement(self, node: Node, rest: list[Node] | None, scope: _Scope) -> str:
        condition = node.child_by_field_name("condition")
        alternative = node.child_by_field_name("alternative")
        else_statements: list[Node] = []
        if alternative is not None:
            else_statements = list(named_children(alternative))
            if len(else_statements) == 1:
                else_statements = _statements(else_statements[0])
        if condition is None:
            return ""
        then_statements = _statements(node.child_by_field_name("consequence"))
        return self.branches(node, condition, [then_statements, else_statements], rest, scope)

    def branches(
        self,
        node: Node,
        condition: Node,
        arms: list[list[Node]],
        rest: list[Node] | None,
        scope: _Scope,
        as_effects: bool = False,
    ) -> str:
        """Replay an ``if``/ternary/``&&``: the decided arm, or every arm as Alternatives."""
        decided = _truthy(self.value(condition, scope))

        def run(arm: list[Node], arm_scope: _Scope) -> str:
            if as_effects:
                for expression in arm:
                    self.effect(expression, arm_scope)
                return ""
            return self.block(arm, arm_scope)

        if decided is not None:
            return run(arms[0] if decided else arms[1], scope.child())
        forks = [scope.child(fork=True) for _ in arms]
        outputs: list[list[Emitted]] = [[] for _ in arms]
        flows: list[str] = []
        for arm, fork, output in zip(arms, forks, outputs, strict=True):
            with self.emitting(output):
                flows.append(run(arm, fork))
        consumed = bool(rest) and "return" in flows
        if consumed and rest:
            # `if (!exists) { ...; return }`: what follows runs only in the arms that fall through.
            for index, fork in enumerate(forks):
                if flows[index] == "":
                    with self.emitting(outputs[index]):
                        flows[index] = self.block(rest, fork, top=True) or "end"
        _append_alternatives(self.out, outputs, self.source.span(node))
        self.merge(scope, forks)
        if consumed:
            return "return" if all(flow == "return" for flow in flows) else "end"
        if len(set(flows)) > 1:
            if rest is None:
                self.unresolved(
                    condition,
                    f"`{self.short(condition)}` decides at run time whether a "
                    f"`{next(f for f in flows if f)}` happens; the statements after this block are "
                    "replayed as if every branch reached them",
                )
            return ""
        return flows[0]

    def merge(self, scope: _Scope, forks: list[_Scope]) -> None:
        names = {name for fork in forks for name in fork.shadowed}
        for name in sorted(names):
            scope.assign(name, _choice([fork.lookup(name)[1] for fork in forks]))

    def for_in(self, node: Node, scope: _Scope) -> str:
        left, right, body = (node.child_by_field_name(f) for f in ("left", "right", "body"))
        over = next((c.type for c in node.children if c.type in ("of", "in")), "of")
        if left is None or right is None or body is None:
            return ""
        items = self.value(right, scope, for_effect=False)
        if over == "in" and isinstance(items, TsObject):
            items = items.keys()
        elif isinstance(items, _Str) and over == "of":
            items = tuple(items.text)
        if not isinstance(items, tuple) or len(items) > _MAX_UNROLL:
            if self.mentions_sql(body, scope):
                reason = items.reason if isinstance(items, _Unresolved) else "not a constant array"
                self.unresolved(
                    right,
                    f"the loop over `{self.short(right)}` could not be unrolled ({reason}); the SQL it "
                    "runs is not in the database graph",
                )
            for name in self.assigned_names(body):
                scope.assign(name, _Unresolved(f"`{name}` is assigned in a loop"))
            return ""
        for item in items:
            iteration = scope.child()
            if left.type == "identifier":
                iteration.declare(self.source.node_text(left), item)
            else:
                for target in _identifiers(left):
                    iteration.declare(
                        self.source.node_text(target), _Unresolved("a destructured loop variable")
                    )
            flow = self.block(_statements(body), iteration)
            if flow == "break":
                break
            if flow in ("return", "end"):
                return flow
        return ""

    # ---- helpers ----------------------------------------------------------------------------------

    def mentions_sql(self, node: Node, scope: _Scope) -> bool:
        """Whether ``node`` calls anything that may run SQL (a receiver, a same-file helper)."""
        for descendant in _walk(node):
            if descendant.type != "call_expression":
                continue
            callee = descendant.child_by_field_name("function")
            if callee is None:
                continue
            callee = unwrap(callee)
            obj = callee.child_by_field_name("object") if callee.type == "member_expression" else None
            if obj is not None and (self.role(obj, scope) is not None or unwrap(obj).type == "this"):
                return True
            args = descendant.child_by_field_name("arguments")
            if args is not None and any(self.role(arg, scope) for arg in named_children(args)):
                return True
        return False

    def assigned_names(self, node: Node) -> set[str]:
        names: set[str] = set()
        for descendant in _walk(node):
            if descendant.type in ("assignment_expression", "augmented_assignment_expression"):
                left = descendant.child_by_field_name("left")
                if left is not None and left.type == "identifier":
                    names.add(self.source.node_text(left))
        return names


_ROLE_NAMES = {
    "typeorm": "TypeORM QueryRunner",
    "knex-schema": "Knex",
    "knex": "Knex",
    "mikro-orm": "MikroORM",
}

_COMPARISONS: dict[str, Callable[[TsValue, TsValue], bool]] = {
    "===": lambda a, b: type(a) is type(b) and a == b,
    "!==": lambda a, b: not (type(a) is type(b) and a == b),
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
}


def _to_ts(value: Value, name: str) -> TsValue | Unknown:
    """A value as the IR evaluator sees it (strings lose their positions)."""
    if isinstance(value, _Str):
        # A string holding statements of unknown text is not known as a value.
        return Unknown(value.gaps[0].gap) if value.gaps else value.text
    if isinstance(value, _Unresolved):
        return Unknown(value.reason)
    if isinstance(value, _Choice):
        return Unknown(f"`{name}` depends on which branch of an `if` ran")
    if isinstance(value, _Receiver):
        return Unknown(f"`{name}` is a run-time object")
    if isinstance(value, _Callable):
        return Unknown(f"`{name}` is a function")
    return value


# What may follow statements of unknown text: the end, a `;`, a comment or the next statement.
_STATEMENT_START = re.compile(r"\s*(?:$|;|--|/\*|[A-Za-z])")


def _statement_position(before: str, after: str) -> bool:
    """Whether an unknown ``${...}`` between ``before`` and ``after`` stands for whole statements.

    It must follow a `;` (or open the string, with a statement after it) and be followed by the
    end of the string or the next statement; a gap inside a statement (a table name, a list of
    values) makes the whole string unknown instead.
    """
    head = before.rstrip()
    if head and not head.endswith(";"):
        return False
    if not head and not after.strip(" \t\r\n;"):
        return False  # the whole string is the unknown value
    return _STATEMENT_START.match(after) is not None


def _plus(left: Value, right: Value, where: tuple[int, int]) -> Value:
    """JavaScript ``+``: numbers add, anything else concatenates as strings.

    A side that is not a positioned string is one computed part located at ``where``.
    """
    if isinstance(left, _Choice) or isinstance(right, _Choice):
        lefts = left.options if isinstance(left, _Choice) else (left,)
        rights = right.options if isinstance(right, _Choice) else (right,)
        return _choice([_plus(a, b, where) for a in lefts for b in rights])
    for side in (left, right):
        if isinstance(side, _Unresolved):
            return side
    if _is_number(left) and _is_number(right):
        return left + right  # type: ignore[operator]
    pieces: list[_Piece] = []
    for side in (left, right):
        if isinstance(side, _Str):
            pieces.extend(side.pieces)
            continue
        text = _to_ts(side, "")
        if isinstance(text, Unknown):
            return _Unresolved(text.reason)
        pieces.append(_Piece(js_string(text), *where, False))
    return _Str(tuple(pieces))


def _is_number(value: Value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _array(values: list[Value]) -> Value:
    items: list[TsValue] = []
    for value in values:
        converted = _to_ts(value, "")
        if isinstance(converted, Unknown):
            return _Unresolved(converted.reason)
        items.append(converted)
    return tuple(items)


def _append_alternatives(out: list[Emitted], branches: list[list[Emitted]], span: Span) -> None:
    if not any(branches):
        return
    phases = {phase for branch in branches for phase, _ in branch}
    # When the arms mix immediate and queued SQL the order inside each arm is kept, queued last.
    phase = phases.pop() if len(phases) == 1 else QUEUED
    ordered = tuple(tuple(op for _, op in sorted(branch, key=lambda item: item[0])) for branch in branches)
    out.append((phase, Alternatives(branches=ordered, span=span)))


def _bind_members(expr: TsExpr, classes: frozenset[str]) -> TsExpr:
    """IR with ``this.x`` and ``SomeClass.x`` turned into names the resolver knows."""

    def bind(e: TsExpr) -> TsExpr:
        if isinstance(e, Member):
            if isinstance(e.obj, Opaque) and e.obj.source == "this":
                return Name(f"this.{e.prop}", _MODULE)
            if isinstance(e.obj, Name) and e.obj.module == _MODULE and e.obj.name in classes:
                return Name(f"{e.obj.name}.{e.prop}", _MODULE)
            return Member(bind(e.obj), e.prop)
        if isinstance(e, Arr):
            return Arr(tuple(Spread(bind(i.expr)) if isinstance(i, Spread) else bind(i) for i in e.items))
        if isinstance(e, Obj):
            return Obj(
                tuple(
                    Spread(bind(i.expr)) if isinstance(i, Spread) else (i[0], bind(i[1])) for i in e.entries
                )
            )
        if isinstance(e, Concat):
            return Concat(tuple(bind(p) for p in e.parts))
        if isinstance(e, Call):
            return Call(
                e.func,
                bind(e.target) if e.target is not None else None,
                tuple(bind(a) for a in e.args),
                e.param,
                bind(e.body) if e.body is not None else None,
            )
        if isinstance(e, EnumDecl):
            return EnumDecl(tuple((n, bind(v) if v is not None else None) for n, v in e.members))
        return e

    return bind(expr)


def _walk(node: Node) -> Iterator[Node]:
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(current.named_children))


def _identifiers(pattern: Node) -> list[Node]:
    return [n for n in _walk(pattern) if n.type in ("identifier", "shorthand_property_identifier_pattern")]


def _statements(node: Node | None) -> list[Node]:
    if node is None:
        return []
    if node.type in ("statement_block", "else_clause"):
        return list(named_children(node))
    return [node]


def _function_like(node: Node) -> bool:
    return node.type in (
        "function_declaration", "generator_function_declaration", "function_expression", "function",
        "arrow_function", "method_definition",
    )  # fmt: skip


def _parameters(function: Node) -> list[Node]:
    single = function.child_by_field_name("parameter")
    if single is not None:
        return [single]
    params = function.child_by_field_name("parameters")
    if params is None:
        return []
    # TypeScript's `this: Foo` pseudo-parameter is not an argument.
    return [
        p for p in named_children(params)
        if not (p.type == "required_parameter" and (p.child_by_field_name("pattern") or p).type == "this")
    ]  # fmt: skip


def _has_body(function: Node | None) -> bool:
    if function is None:
        return False
    body = function.child_by_field_name("body")
    if body is None:
        return False
    return body.type != "statement_block" or any(True for _ in named_children(body))


def _recovered_statements(root: Node) -> Iterator[Node]:
    """Top-level statements, looking inside ERROR nodes tree-sitter wrapped around broken code."""
    for node in named_children(root):
        if node.type == "ERROR":
            yield from _recovered_statements(node)
        else:
            yield node


def _overlaps(a: Node, b: Node) -> bool:
    # Inclusive: a MISSING token is empty, e.g. the `}` tree-sitter expected at the end of a class.
    return a.start_byte <= b.end_byte and b.start_byte <= a.end_byte


def _near_up(error: Node, up: Node, cls: _Class | None) -> bool:
    """Whether a syntax error may change what ``up()`` does: inside it, or in its class but not
    inside another method (an unclosed class body, a stray token between methods)."""
    if _overlaps(error, up):
        return True
    if cls is None or not _overlaps(error, cls.node):
        return False
    return not any(
        method.start_byte <= error.start_byte < method.end_byte and error.end_byte <= method.end_byte
        for method in cls.methods.values()
        if method is not up
    )


def _error_token(error: Node) -> Node:
    """The first token of an ERROR node that no complete construct took (``class`` of an unclosed
    class body), rather than a whole-file span."""
    for child in error.children:
        if not child.is_named or child.type == "ERROR":
            return child
    return error


def _syntax_errors(root: Node) -> Iterator[Node]:
    """ERROR and MISSING nodes, outermost first (only subtrees that contain errors are visited)."""
    stack = [root]
    while stack:
        node = stack.pop()
        if node.type == "ERROR" or node.is_missing:
            yield node
            continue
        stack.extend(reversed([c for c in node.children if c.has_error or c.is_missing]))


def class_order_key(name: str) -> tuple[str, ...]:
    """An order key from a migration class name (MikroORM / TypeORM timestamps), empty if none."""
    for pattern in _CLASS_ORDER:
        match = pattern.match(name)
        if match:
            return (match["ts"].rjust(20, "0"), match["name"] or "")
    return ()


# ---------------------------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------------------------


def extract_ts_migration(
    text: str, path: str, dialect: Dialect, *, history: str = "", order_key: tuple[str, ...] = ()
) -> MigrationFacts:
    """Facts for a MikroORM, TypeORM or Knex migration: the SQL its ``up()`` runs, never executed.

    Undecidable ``if``/``else`` arms become ``Alternatives``; SQL that cannot be computed
    statically is reported (SL004) where it is built.
    """
    source = TsSource(path, text)
    tree = parse_typescript(source.data, tsx=path.endswith(".tsx"))
    replay = _Replay(source, path, dialect)
    ups = replay.read_module(tree.root_node)
    errors = list(_syntax_errors(tree.root_node)) if tree.root_node.has_error else []
    for error in errors:
        # Errors elsewhere (in down(), in an unrelated helper) do not affect what up() runs.
        if ups and not any(_near_up(error, up, cls) for up, _, _, cls in ups):
            continue
        where = _error_token(error)
        what = "a missing token" if where.is_missing else f"`{replay.short(where)}`"
        replay.diagnostics.append(
            Diagnostic(
                SYNTAX_ERROR,
                f"this migration does not parse as TypeScript at {what}; its `up()` may be read incompletely",
                source.span(where),
            )
        )
        break
    if not ups and not errors:
        replay.diagnostics.append(
            Diagnostic(
                UNRESOLVED,
                "no `up()` migration method or function was found in this file; it is not in the "
                "database graph",
                Span.file(path),
            )
        )
    emitted: list[Emitted] = []
    for up, _, role, cls in ups:
        emitted.extend(replay.run_up(up, role, cls))
    ops = [op for phase in (IMMEDIATE, QUEUED) for p, op in emitted if p == phase]
    if not order_key:
        order_key = next(
            (k for _, _, _, cls in ups if cls is not None and (k := class_order_key(cls.name))), ()
        )
    downs = [down for _, down, _, _ in ups if down is not None]
    return MigrationFacts(
        path=path,
        kind="typescript",
        ops=tuple(ops),
        diagnostics=tuple(replay.diagnostics),
        order_key=order_key,
        statements=replay.statements,
        history=history,
        has_downgrade=any(_has_body(down) for down in downs) if ups else None,
        downgrade_empty=(not any(_has_body(down) for down in downs)) if downs else None,
    )
