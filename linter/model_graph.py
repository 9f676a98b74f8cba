"""The model graph: what the ORM models write, resolved across modules without importing them.

The strings a SQLAlchemy ``Enum`` column persists follow the observed semantics in
shared/research/enum-semantics.md: member names by default, ``values_callable`` output otherwise,
type name = explicit ``name=`` or the lower-cased class name, ``Mapped[Literal[...]]`` non-native.
The same strings are what a migration's ``sa.Enum(AppEnum)`` gives its type (EnumLabelResolver).
A table name computed by a ``declared_attr`` ``__tablename__`` is evaluated per mapped class by a
small interpreter over the extractor's pure expressions.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from schemalint.extract.pysource import computed_tablename_unreadable
from schemalint.facts import (
    AnnotationMapEntry,
    AutoValue,
    ColumnType,
    Diagnostic,
    Dialect,
    EnumClassDef,
    EnumLabelsRef,
    EnumTypeSpec,
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
    qualified_name,
)

# Standard-library enum bases and the kind of enum they make.
_ENUM_BASES: Mapping[str, str] = {
    "enum.Enum": "plain",
    "enum.StrEnum": "strenum",
    "enum.IntEnum": "int",
    "enum.Flag": "plain",
    "enum.IntFlag": "int",
    "strenum.StrEnum": "strenum",
}
_MIXINS: Mapping[str, str] = {"str": "str", "int": "int", "builtins.str": "str", "builtins.int": "int"}
_STDLIB = frozenset(getattr(sys, "stdlib_module_names", ())) or frozenset({"enum", "typing", "abc"})
# Packages whose classes never add mapped columns to a model that inherits them: declarative
# roots (``DeclarativeBase``, ``SQLModel``, Flask-SQLAlchemy's ``Model``), ``AsyncAttrs``, typing
# generics, pydantic, and the standard library.
_COLUMNLESS_LIBRARIES = frozenset({"sqlalchemy", "sqlmodel", "flask_sqlalchemy", "pydantic"}) | _STDLIB


@dataclass(frozen=True, slots=True)
class ResolvedMember:
    name: str
    value: PyConst
    span: Span
    alias_of: str | None = None
    resolved: bool = True  # False: the value expression could not be evaluated statically


@dataclass(frozen=True, slots=True)
class ResolvedEnum:
    """A Python enum with its kind (plain, str, strenum, int) and members in definition order."""

    qualname: str
    name: str
    kind: str
    members: tuple[ResolvedMember, ...]
    span: Span

    @property
    def canonical(self) -> tuple[ResolvedMember, ...]:
        return tuple(m for m in self.members if m.alias_of is None)

    def member(self, name: str) -> ResolvedMember | None:
        for m in self.members:
            if m.name == name:
                return m
        return None


@dataclass(frozen=True, slots=True)
class EnumUse:
    """How one model column stores an enum: the strings it persists, and the DDL it implies."""

    persisted: tuple[str, ...]
    stores: str  # "names" | "values" | "callable" | "literals"
    native: bool
    type_name: str | None
    create_constraint: bool
    length: int | None
    span: Span
    enum: ResolvedEnum | None = None
    names: tuple[str, ...] = ()  # canonical member names, aligned with ``persisted``
    values: tuple[str, ...] = ()  # canonical member values as strings, aligned with ``persisted``
    validate_strings: bool = False
    dialect_type: str | None = None


@dataclass(frozen=True, slots=True)
class PersistedDefault:
    """A default as the string the database receives (or None when it is not a string)."""

    value: str | None
    span: Span
    server: bool
    source: str


@dataclass(frozen=True, slots=True)
class ModelColumnNode:
    table: str
    name: str
    attribute: str
    span: Span
    nullable: bool | None
    enum: EnumUse | None
    defaults: tuple[PersistedDefault, ...]
    type: ColumnType | None
    class_name: str
    primary_key: bool = False


@dataclass(frozen=True, slots=True)
class ModelTable:
    """A model table. ``partial``: some columns are hidden (an unresolvable base class, a
    ``__table__`` not written as ``Table(...)``, a reflected table); an SL004 says so.
    ``structural``: ``columns`` is every column with its type and nullability, as the Python
    front-end reads them; the TypeScript front-end lists only enum-like columns, so its tables
    leave it False and the structural rules (SL202-SL205) compare no column of them."""

    name: str
    class_name: str
    span: Span
    columns: tuple[ModelColumnNode, ...]
    checks: tuple[ModelCheck, ...]
    partial: bool = False
    structural: bool = False

    def column(self, name: str) -> ModelColumnNode | None:
        for col in self.columns:
            if col.name == name:
                return col
        return None


@dataclass(frozen=True, slots=True)
class ModelGraph:
    tables: Mapping[str, ModelTable]
    enums: Mapping[str, ResolvedEnum]
    diagnostics: tuple[Diagnostic, ...] = ()


class _Index:
    """Every module's definitions by absolute dotted name, resolving imports and re-exports."""

    def __init__(self, modules: Sequence[PythonModuleFacts]) -> None:
        self.modules: dict[str, PythonModuleFacts] = {m.module: m for m in modules}
        self.enum_defs: dict[str, EnumClassDef] = {}
        self.classes: dict[str, ModelClassDef] = {}
        self.bases: dict[str, tuple[Ref, ...]] = {}
        self.imports: dict[str, dict[str, str]] = {}
        self.constants: dict[str, dict[str, PyConst]] = {}
        self.functions: dict[str, PureFunction] = {}
        self.values: dict[str, PureExpr] = {}
        self.metadata: dict[str, MetadataDef] = {}  # module-level MetaData objects
        for m in modules:
            for name, metadata in m.metadata:
                self.metadata[f"{m.module}.{name}"] = metadata
            for function in m.functions:
                self.functions[f"{m.module}.{function.name}"] = function
            for name, value in m.values:
                self.values[f"{m.module}.{name}"] = value
            for e in m.enums:
                self.enum_defs[f"{m.module}.{e.name}"] = e
            for c in m.classes:
                self.classes[f"{m.module}.{c.name}"] = c
            for name, refs in m.class_bases:
                self.bases[f"{m.module}.{name}"] = refs
            self.imports[m.module] = {i.local: i.target for i in m.imports}
            self.constants[m.module] = dict(m.constants)
        self._suffix_cache: dict[str, str | None] = {}

    def _module_for(self, dotted: str) -> str | None:
        """The project module a dotted import path names, matching by suffix.

        ``from app.models import X`` inside ``backend/`` names module ``backend.app.models``:
        the import root is not known statically, so the unique module ending in it is taken.
        """
        if dotted in self.modules:
            return dotted
        if dotted.split(".")[0] in _STDLIB:
            return None  # `import enum` is the standard library, not the project's utils/enum.py
        if dotted in self._suffix_cache:
            return self._suffix_cache[dotted]
        hits = [m for m in self.modules if m.endswith("." + dotted)]
        found = min(hits, key=len) if hits else None
        self._suffix_cache[dotted] = found
        return found

    def resolve(self, ref: Ref, depth: int = 0) -> str:
        """An absolute dotted name for ``ref``: a project definition's qualname when found,
        else the import target as written (``enum.Enum``, ``sqlalchemy.Enum``)."""
        head, _, rest = ref.name.partition(".")
        local = f"{ref.module}.{head}"
        if local in self.enum_defs or local in self.classes or local in self.bases or local in self.metadata:
            return local + ("." + rest if rest else "")
        target = self.imports.get(ref.module, {}).get(head)
        if target is None:
            return ref.name
        full = target + ("." + rest if rest else "")
        return self.resolve_dotted(full, depth)

    def resolve_dotted(self, full: str, depth: int = 0) -> str:
        if depth > 8:
            return full
        parts = full.split(".")
        for cut in range(len(parts) - 1, 0, -1):
            module = self._module_for(".".join(parts[:cut]))
            if module is None:
                continue
            name = ".".join(parts[cut:])
            return self.resolve(Ref(name, module), depth + 1)
        return full


def _enum_kind(index: _Index, qualname: str, seen: frozenset[str] = frozenset()) -> str | None:
    """The enum kind of a class (plain/str/strenum/int), or None if it is not an enum."""
    if qualname in _ENUM_BASES:
        return _ENUM_BASES[qualname]
    if qualname in seen or qualname not in index.bases:
        return None
    module = qualname.rsplit(".", 1)[0]
    kind: str | None = None
    mixin: str | None = None
    for base in index.bases[qualname]:
        target = index.resolve(Ref(base.name, module))
        if target in _MIXINS or base.name in _MIXINS:
            mixin = _MIXINS.get(target) or _MIXINS[base.name]
            continue
        base_kind = _enum_kind(index, target, seen | {qualname})
        if base_kind is not None:
            kind = base_kind
    if kind is None:
        return None
    if kind == "plain" and mixin is not None:
        return mixin
    return kind


def _auto_value(kind: str, name: str, previous: list[PyConst]) -> PyConst:
    # enum.auto(): StrEnum gives the lower-cased name; other enums count up from 1 (a str
    # mixin then turns the number into a string).
    if kind == "strenum":
        return name.lower()
    last = next((v for v in reversed(previous) if isinstance(v, int) and not isinstance(v, bool)), 0)
    number = last + 1
    return str(number) if kind == "str" else number


def _resolve_enum(index: _Index, qualname: str) -> ResolvedEnum | None:
    definition = index.enum_defs.get(qualname)
    kind = _enum_kind(index, qualname)
    if definition is None or kind is None:
        return None
    members: list[ResolvedMember] = []
    previous: list[PyConst] = []
    first_with: dict[object, str] = {}
    for m in definition.members:
        value: PyConst = _auto_value(kind, m.name, previous) if isinstance(m.value, AutoValue) else m.value
        if kind in ("str", "strenum") and isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)  # the str mixin converts member values: Role.A = 1 stores "1"
        previous.append(value)
        alias_of = None
        # An unknown value is nobody's alias: treating every unknown as equal would fold the
        # whole enum into its first member.
        if m.resolved:
            key = (type(value).__name__, value)
            alias_of = first_with.get(key)
            if alias_of is None:
                first_with[key] = m.name
        members.append(ResolvedMember(m.name, value, m.span, alias_of, m.resolved))
    return ResolvedEnum(qualname, definition.name, kind, tuple(members), definition.span)


def _apply_steps(member: ResolvedMember, steps: tuple[str, ...]) -> str | None:
    current: object = member
    for step in steps:
        if step == "value" and isinstance(current, ResolvedMember):
            current = current.value
        elif step == "name" and isinstance(current, ResolvedMember):
            current = current.name
        elif step == "str":
            current = str(current)
        elif step in ("lower", "upper", "title", "strip") and isinstance(current, str):
            current = getattr(current, step)()
        else:
            return None
    return current if isinstance(current, str) else None


_UNKNOWN = "\x00unknown"  # stands for a member value that could not be read; matches nothing


def _value_str(value: PyConst) -> str:
    return value if isinstance(value, str) else str(value)


# --------------------------------------------------------------------------------------------
# A small interpreter for PureExpr: what a computed ``__tablename__`` returns for one class.
# Nothing from the analysed project is imported or executed: the extractor reduced the source
# to PureExpr trees, and only the operations below exist. ``re`` runs the project's pattern
# strings as data. Budgets bound the work, since the input is arbitrary source.
#
# Names resolve like Python's module globals: a helper function, a ``re.compile(...)`` value or
# a constant of the same module, or an import of a project module (followed through re-exports,
# to a bounded depth). Anything defined outside the project (a library's ``underscore``) is not
# followed; the directive is then reported once as SL004.
# --------------------------------------------------------------------------------------------


class _Unevaluable(Exception):
    """The expression needs something outside the interpreter; the message says what."""


@dataclass(frozen=True, slots=True)
class _ClassValue:
    """The mapped class passed as ``cls``: only its ``__name__`` is readable."""

    name: str


@dataclass(frozen=True, slots=True)
class _Namespace:
    """A project module used as a value (``from app import naming``; ``naming.snake(...)``)."""

    module: str


# Methods of str a table-name helper may call, with how many arguments each accepts.
_STR_METHOD_ARITY: Mapping[str, tuple[int, int]] = {
    **dict.fromkeys(("lower", "upper", "title", "capitalize", "casefold", "swapcase"), (0, 0)),
    **dict.fromkeys(("isupper", "islower", "isdigit", "isalpha", "isalnum", "isidentifier"), (0, 0)),
    **dict.fromkeys(("strip", "lstrip", "rstrip"), (0, 1)),
    **dict.fromkeys(("split", "rsplit"), (0, 2)),
    **dict.fromkeys(("startswith", "endswith"), (1, 3)),
    **dict.fromkeys(("removeprefix", "removesuffix", "join", "count", "find", "rfind"), (1, 1)),
    "replace": (2, 3),
    "zfill": (1, 1),
}
# Methods of a compiled pattern, with their parameter names after the subject.
_PATTERN_METHODS: Mapping[str, tuple[str, ...]] = {
    "sub": ("repl", "string", "count"),
    "split": ("string", "maxsplit"),
    "findall": ("string",),
}
# ``re`` functions by their parameter names, in order.
_RE_FUNCTIONS: Mapping[str, tuple[str, ...]] = {
    "re.sub": ("pattern", "repl", "string", "count", "flags"),
    "re.split": ("pattern", "string", "maxsplit", "flags"),
    "re.findall": ("pattern", "string", "flags"),
    "re.compile": ("pattern", "flags"),
    "re.escape": ("pattern",),
}
_MAX_STEPS = 20_000
_MAX_DEPTH = 16
_MAX_STRING = 4_096


def _is_plain(value: object) -> bool:
    """A value Python's own operators may safely see: str, numbers, None, lists of those."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return True
    return isinstance(value, (list, tuple)) and all(_is_plain(v) for v in value)


def _bind(
    names: tuple[str, ...], args: Sequence[object], keywords: Mapping[str, object], what: str
) -> dict[str, object]:
    bound = dict(zip(names, args, strict=False))
    if len(args) > len(names):
        raise _Unevaluable(f"`{what}` is called with too many arguments")
    for key, value in keywords.items():
        if key not in names or key in bound:
            raise _Unevaluable(f"`{what}` is called with an unexpected `{key}=`")
        bound[key] = value
    return bound


class _PureEvaluator:
    """Evaluates PureFunctions over the model index; raises _Unevaluable outside the subset."""

    def __init__(self, index: _Index) -> None:
        self.index = index
        self.steps = 0

    def call(self, function: PureFunction, args: Sequence[object], depth: int = 0) -> object:
        if depth > _MAX_DEPTH:
            raise _Unevaluable(f"`{function.name}` calls helpers too deeply (recursion?)")
        if len(args) != len(function.params):
            raise _Unevaluable(f"`{function.name}` is called with {len(args)} arguments")
        scope: dict[str, object] = dict(zip(function.params, args, strict=True))
        for name, expr in function.assigns:
            scope[name] = self.eval(expr, scope, function.module, depth)
        return self.eval(function.result, scope, function.module, depth)

    def eval(self, expr: PureExpr, scope: dict[str, object], module: str, depth: int) -> object:
        self.steps += 1
        if self.steps > _MAX_STEPS:
            raise _Unevaluable("the computation takes too many steps")
        result = _OPS[expr.op](self, expr, scope, module, depth)
        if isinstance(result, str) and len(result) > _MAX_STRING:
            raise _Unevaluable("the computation builds an overlong string")
        return result

    def args(
        self, expr: PureExpr, scope: dict[str, object], module: str, depth: int, skip: int = 0
    ) -> tuple[list[object], dict[str, object]]:
        values = [self.eval(a, scope, module, depth) for a in expr.args[skip:]]
        split = len(values) - len(expr.keywords)
        return values[:split], dict(zip(expr.keywords, values[split:], strict=True))

    # -- names ---------------------------------------------------------------------------------

    def global_value(self, name: str, module: str, depth: int) -> object:
        """What module-level ``name`` is in ``module``: a helper, a value, a constant, or an import."""
        qualname = f"{module}.{name}"
        if qualname in self.index.functions:
            return self.index.functions[qualname]
        if qualname in self.index.values:
            return self.eval(self.index.values[qualname], {}, module, depth + 1)
        if name in self.index.constants.get(module, {}):
            return self.index.constants[module][name]
        target = self.index.imports.get(module, {}).get(name)
        if target is None:
            raise _Unevaluable(f"`{name}` is not a function or constant schemalint can read in `{module}`")
        return self.dotted_value(target, depth)

    def dotted_value(self, target: str, depth: int) -> object:
        """An absolute import target: a project module, or an attribute inside one."""
        if depth > _MAX_DEPTH:
            raise _Unevaluable(f"`{target}` is re-exported too many times")
        whole = self.index._module_for(target)
        if whole is not None:
            return _Namespace(whole)
        parts = target.split(".")
        for cut in range(len(parts) - 1, 0, -1):
            owner = self.index._module_for(".".join(parts[:cut]))
            if owner is None:
                continue
            value = self.global_value(parts[cut], owner, depth + 1)
            for attribute in parts[cut + 1 :]:
                value = self.attribute(value, attribute, depth + 1)
            return value
        raise _Unevaluable(f"`{target}` is not defined in this project")

    def attribute(self, value: object, name: str, depth: int) -> object:
        if isinstance(value, _ClassValue) and name == "__name__":
            return value.name
        if isinstance(value, _Namespace):
            return self.global_value(name, value.module, depth + 1)
        raise _Unevaluable(f"attribute `{name}` cannot be read statically")

    # -- calls ---------------------------------------------------------------------------------

    def invoke(self, callee: object, args: list[object], keywords: dict[str, object], depth: int) -> object:
        if not isinstance(callee, PureFunction):
            raise _Unevaluable("only module-level helpers made of assignments and a `return` can be called")
        if keywords:
            bound = _bind(callee.params, args, keywords, callee.name)
            args = [bound[p] for p in callee.params if p in bound]
        return self.call(callee, args, depth + 1)

    def method(
        self, receiver: object, name: str, args: list[object], keywords: dict[str, object], depth: int
    ) -> object:
        if isinstance(receiver, _Namespace):
            return self.invoke(self.global_value(name, receiver.module, depth + 1), args, keywords, depth)
        if not all(_is_plain(a) for a in [*args, *keywords.values()]):
            raise _Unevaluable(f"`.{name}()` is given a value that is not a string or number")
        if isinstance(receiver, str) and name in _STR_METHOD_ARITY:
            low, high = _STR_METHOD_ARITY[name]
            if keywords or not low <= len(args) <= high:
                raise _Unevaluable(f"`str.{name}` is called with unexpected arguments")
            return _guarded(lambda: getattr(receiver, name)(*args), f"str.{name}")
        if isinstance(receiver, re.Pattern) and name in _PATTERN_METHODS:
            bound = _bind(_PATTERN_METHODS[name], args, keywords, f"Pattern.{name}")
            return _guarded(lambda: getattr(receiver, name)(**bound), f"Pattern.{name}")
        raise _Unevaluable(f"method `.{name}()` is outside what schemalint evaluates")

    def builtin(self, name: str, args: list[object], keywords: dict[str, object]) -> object:
        if not all(_is_plain(a) or isinstance(a, re.Pattern) for a in [*args, *keywords.values()]):
            raise _Unevaluable(f"`{name}` is given a value that is not a string, number or pattern")
        if name in _RE_FUNCTIONS:
            bound = _bind(_RE_FUNCTIONS[name], args, keywords, name)
            if not isinstance(bound.get("repl", ""), str):
                raise _Unevaluable(f"`{name}` is given a replacement that is not a string")
            function = getattr(re, name.split(".", 1)[1])
            return _guarded(lambda: function(**bound), name)
        if keywords or len(args) != 1:
            raise _Unevaluable(f"`{name}` is called with unexpected arguments")
        (arg,) = args
        if name == "str" and (arg is None or isinstance(arg, (str, int, float, bool))):
            return str(arg)
        if name == "len" and isinstance(arg, (str, list, tuple)):
            return len(arg)
        if name in ("list", "tuple") and isinstance(arg, (str, list, tuple)):
            return list(arg) if name == "list" else tuple(arg)
        if name == "bool":
            return bool(arg)
        raise _Unevaluable(f"`{name}` is given an argument schemalint does not evaluate")


def _guarded(run: Callable[[], object], what: str) -> object:
    try:
        return run()
    except (TypeError, ValueError, IndexError, re.error) as exc:
        raise _Unevaluable(f"`{what}` fails: {exc}") from None


def _plain(value: object, what: str) -> object:
    if not _is_plain(value):
        raise _Unevaluable(f"{what} is not a string or number")
    return value


_Handler = Callable[[_PureEvaluator, PureExpr, dict[str, object], str, int], object]


def _op_local(ev: _PureEvaluator, e: PureExpr, scope: dict[str, object], module: str, depth: int) -> object:
    if not isinstance(e.value, str) or e.value not in scope:
        raise _Unevaluable(f"`{e.value}` is used before it is assigned")
    return scope[e.value]


def _op_global(ev: _PureEvaluator, e: PureExpr, scope: dict[str, object], module: str, depth: int) -> object:
    assert e.ref is not None
    return ev.global_value(e.ref.name, e.ref.module, depth)


def _op_attr(ev: _PureEvaluator, e: PureExpr, scope: dict[str, object], module: str, depth: int) -> object:
    return ev.attribute(ev.eval(e.args[0], scope, module, depth), str(e.value), depth)


def _op_call(ev: _PureEvaluator, e: PureExpr, scope: dict[str, object], module: str, depth: int) -> object:
    callee = ev.eval(e.args[0], scope, module, depth)
    args, keywords = ev.args(e, scope, module, depth, skip=1)
    return ev.invoke(callee, args, keywords, depth)


def _op_method(ev: _PureEvaluator, e: PureExpr, scope: dict[str, object], module: str, depth: int) -> object:
    receiver = ev.eval(e.args[0], scope, module, depth)
    args, keywords = ev.args(e, scope, module, depth, skip=1)
    return ev.method(receiver, str(e.value), args, keywords, depth)


def _op_builtin(ev: _PureEvaluator, e: PureExpr, scope: dict[str, object], module: str, depth: int) -> object:
    args, keywords = ev.args(e, scope, module, depth)
    return ev.builtin(str(e.value), args, keywords)


def _op_binop(ev: _PureEvaluator, e: PureExpr, scope: dict[str, object], module: str, depth: int) -> object:
    left, right = (_plain(ev.eval(a, scope, module, depth), "an operand of `+`") for a in e.args)
    same = (str, str), (int, int), (list, list), (tuple, tuple)
    if not any(isinstance(left, a) and isinstance(right, b) for a, b in same):
        raise _Unevaluable("`+` is applied to values of different kinds")
    return left + right  # type: ignore[operator]


def _op_compare(ev: _PureEvaluator, e: PureExpr, scope: dict[str, object], module: str, depth: int) -> object:
    left, right = (_plain(ev.eval(a, scope, module, depth), "a compared value") for a in e.args)
    operator = e.value
    if operator in ("in", "not in"):
        if not isinstance(right, (str, list, tuple)) or (
            isinstance(right, str) and not isinstance(left, str)
        ):
            raise _Unevaluable("`in` is applied to values of different kinds")
        found = left in right
        return found if operator == "in" else not found
    if operator in ("is", "is not"):
        same = left is None and right is None
        if left is not None and right is not None:
            raise _Unevaluable("`is` compares something other than None")
        return same if operator == "is" else not same
    return (left == right) if operator == "==" else (left != right)


def _op_bool(ev: _PureEvaluator, e: PureExpr, scope: dict[str, object], module: str, depth: int) -> object:
    # Python's and/or return the deciding operand, evaluated left to right and short-circuited.
    value: object = None
    for operand in e.args:
        value = ev.eval(operand, scope, module, depth)
        if bool(value) == (e.op == "or"):
            return value
    return value


def _op_not(ev: _PureEvaluator, e: PureExpr, scope: dict[str, object], module: str, depth: int) -> object:
    return not ev.eval(e.args[0], scope, module, depth)


def _op_ifexp(ev: _PureEvaluator, e: PureExpr, scope: dict[str, object], module: str, depth: int) -> object:
    test, body, orelse = e.args
    return ev.eval(body if ev.eval(test, scope, module, depth) else orelse, scope, module, depth)


def _op_subscript(
    ev: _PureEvaluator, e: PureExpr, scope: dict[str, object], module: str, depth: int
) -> object:
    value = ev.eval(e.args[0], scope, module, depth)
    index = ev.eval(e.args[1], scope, module, depth)
    if (
        not isinstance(value, (str, list, tuple))
        or not isinstance(index, (int, slice))
        or isinstance(index, bool)
    ):
        raise _Unevaluable("only strings and lists are indexed, by numbers or slices")
    return _guarded(lambda: value[index], "indexing")


def _op_slice(ev: _PureEvaluator, e: PureExpr, scope: dict[str, object], module: str, depth: int) -> object:
    bounds = [ev.eval(a, scope, module, depth) for a in e.args]
    if not all(b is None or (isinstance(b, int) and not isinstance(b, bool)) for b in bounds):
        raise _Unevaluable("a slice bound is not a number")
    return slice(*bounds)


def _op_list(ev: _PureEvaluator, e: PureExpr, scope: dict[str, object], module: str, depth: int) -> object:
    return [ev.eval(a, scope, module, depth) for a in e.args]


def _op_comp(ev: _PureEvaluator, e: PureExpr, scope: dict[str, object], module: str, depth: int) -> object:
    element, iterable, *conditions = e.args
    items = ev.eval(iterable, scope, module, depth)
    if not isinstance(items, (str, list, tuple)):
        raise _Unevaluable("a comprehension iterates over something other than a string or list")
    inner = dict(scope)
    out: list[object] = []
    for item in items:
        inner[str(e.value)] = item
        if all(ev.eval(c, inner, module, depth) for c in conditions):
            out.append(ev.eval(element, inner, module, depth))
    return out


def _op_fstring(ev: _PureEvaluator, e: PureExpr, scope: dict[str, object], module: str, depth: int) -> object:
    parts = [ev.eval(a, scope, module, depth) for a in e.args]
    return "".join(p for p in parts if isinstance(p, str))


_OPS: Mapping[str, _Handler] = {
    "const": lambda ev, e, scope, module, depth: e.value,
    "local": _op_local,
    "global": _op_global,
    "attr": _op_attr,
    "call": _op_call,
    "method": _op_method,
    "builtin": _op_builtin,
    "binop": _op_binop,
    "compare": _op_compare,
    "and": _op_bool,
    "or": _op_bool,
    "not": _op_not,
    "ifexp": _op_ifexp,
    "subscript": _op_subscript,
    "slice": _op_slice,
    "list": _op_list,
    "comp": _op_comp,
    "fstring": _op_fstring,
}


def computed_table_name(index: _Index, rule: TableRule, class_name: str) -> str:
    """The name ``rule`` gives the mapped class ``class_name``; raises _Unevaluable."""
    value = _PureEvaluator(index).call(rule.function, [_ClassValue(class_name)])
    if not isinstance(value, str) or not value:
        raise _Unevaluable(f"it returns {value!r}, not a table name")
    return value


# The schemas a model's named enum types may take: its table's, and its MetaData's.
_Schemas = tuple[str | None, str | None]


class _Builder:
    def __init__(self, modules: Sequence[PythonModuleFacts], dialect: Dialect) -> None:
        self.index = _Index(modules)
        self.dialect = dialect
        self.diagnostics: list[Diagnostic] = []
        self.enums: dict[str, ResolvedEnum] = {}
        self.failed_rules: set[Span] = set()  # table-name rules already reported unreadable

    def enum(self, ref: Ref) -> ResolvedEnum | None:
        return self.enum_at(self.index.resolve(ref))

    def enum_at(self, qualname: str) -> ResolvedEnum | None:
        if qualname not in self.enums:
            resolved = _resolve_enum(self.index, qualname)
            if resolved is None:
                return None
            self.enums[qualname] = resolved
        return self.enums[qualname]

    def unresolved(self, span: Span, message: str) -> None:
        self.diagnostics.append(Diagnostic("SL004", message, span))

    # -- declarative bases and type_annotation_map -------------------------------------------

    def class_chain(self, qualname: str) -> list[str]:
        """``qualname`` and its project base classes, nearest first (a simple MRO)."""
        out: list[str] = []
        pending = [qualname]
        while pending:
            current = pending.pop(0)
            if current in out:
                continue
            out.append(current)
            module = current.rsplit(".", 1)[0]
            for base in self.index.bases.get(current, ()):
                target = self.index.resolve(Ref(base.name, module))
                if target in self.index.bases or target in self.index.classes:
                    pending.append(target)
        return out

    def annotation_map_entry(self, model_qualname: str, enum: ResolvedEnum | None) -> EnumTypeSpec | None:
        entries: list[AnnotationMapEntry] = []
        for cls in self.class_chain(model_qualname):
            definition = self.index.classes.get(cls)
            if definition is not None and definition.type_annotation_map:
                entries.extend(definition.type_annotation_map)
        if not entries:
            return None
        module_of = {id(e): e.key.module for e in entries}
        keyed = {self.index.resolve(Ref(e.key.name, module_of[id(e)])): e for e in entries}
        if enum is None:  # Literal[...]
            for key in ("typing.Literal", "typing_extensions.Literal", "Literal"):
                if key in keyed:
                    return keyed[key].enum
            return None
        # SQLAlchemy walks the enum class's MRO: the exact class first, then its bases, then
        # the generic enum.Enum entry; an explicit name= is kept only for the exact class.
        for position, cls in enumerate([*self.class_chain(enum.qualname), "enum.Enum", "enum.StrEnum"]):
            entry = keyed.get(cls)
            if entry is None:
                continue
            spec = entry.enum
            if position == 0:
                return spec
            return replace(spec, name=None, enum_ref=None, generic=True)
        return None

    # -- columns ----------------------------------------------------------------------------

    def enum_use(
        self,
        column: ModelColumn,
        spec: EnumTypeSpec,
        enum: ResolvedEnum | None,
        schemas: _Schemas = (None, None),
    ) -> EnumUse | None:
        native = spec.native_enum and not spec.from_literal
        if enum is None:
            literals = spec.literals or ()
            return EnumUse(
                persisted=tuple(literals),
                stores="literals",
                native=native,
                type_name=self.type_name(spec.name, spec, schemas),
                create_constraint=spec.create_constraint,
                length=spec.length,
                span=spec.span,
                validate_strings=spec.validate_strings,
                dialect_type=spec.dialect_type,
            )
        canonical = enum.canonical
        names = tuple(m.name for m in canonical)
        values = tuple(_value_str(m.value) if m.resolved else _UNKNOWN for m in canonical)
        unknown = [m.name for m in canonical if not m.resolved]
        if unknown and spec.values_callable is not None:
            self.unresolved(
                column.span,
                f"the values of {', '.join(f'`{enum.name}.{n}`' for n in unknown)} could not be read "
                f"statically, so the strings `{column.name}` stores are unknown and its enum checks were "
                "skipped",
            )
            return None
        type_name = self.type_name(spec.name or enum.name.lower(), spec, schemas)
        vc = spec.values_callable
        persisted_or_problem = persisted_strings(enum, vc, spec.omit_aliases)
        if isinstance(persisted_or_problem, _Problem):
            source = vc.source if vc is not None else ""
            self.unresolved(
                vc_span(spec), f"`values_callable={source}` on `{column.name}` {persisted_or_problem.reason}"
            )
            return None
        persisted = persisted_or_problem
        if vc is None:
            stores = "names"
        else:
            stores = "values" if persisted == values else ("names" if persisted == names else "callable")
        return EnumUse(
            persisted=persisted,
            stores=stores,
            native=native,
            type_name=type_name,
            create_constraint=spec.create_constraint,
            length=spec.length,
            span=spec.span,
            enum=enum,
            names=names,
            values=values,
            validate_strings=spec.validate_strings,
            dialect_type=spec.dialect_type,
        )

    def type_name(self, name: str | None, spec: EnumTypeSpec, schemas: _Schemas) -> str | None:
        """A named enum type with its schema: ``schema=``, else the table's with
        ``inherit_schema=True``, else the schema of the table's MetaData (SQLAlchemy 2.1 ties
        named types to the MetaData; 2.0 left them in the default schema)."""
        if name is None:
            return None
        table_schema, metadata_schema = schemas
        schema = spec.schema or (table_schema if spec.inherit_schema else metadata_schema)
        return qualified_name(schema, name, self.dialect)

    def column_enum(
        self, model_qualname: str, column: ModelColumn, schemas: _Schemas = (None, None)
    ) -> EnumUse | None:
        spec = column.enum
        if spec is not None:
            enum = None
            if spec.enum_ref is not None:
                enum = self.enum(spec.enum_ref)
                if enum is None:
                    self.unresolved(
                        spec.span,
                        f"enum `{spec.enum_ref.name}` used by column `{column.name}` could not be resolved "
                        "to a Python enum in this project; its values are unknown",
                    )
                    return None
            return self.enum_use(column, spec, enum, schemas)
        if column.annotation_enum is not None:
            enum = self.enum(column.annotation_enum)
            if enum is None:
                return None  # Mapped[SomeClass] that is not an enum: not an enum column
            mapped = self.annotation_map_entry(model_qualname, enum)
            spec = mapped or EnumTypeSpec(span=column.span)
            spec = replace(spec, span=column.span)
            return self.enum_use(column, spec, enum, schemas)
        if column.annotation_literals is not None:
            mapped = self.annotation_map_entry(model_qualname, None)
            spec = mapped or EnumTypeSpec(span=column.span)
            # Mapped[Literal[...]] always becomes a non-native, nameless Enum (observed in 2.0 and 2.1).
            spec = replace(
                spec,
                span=column.span,
                literals=column.annotation_literals,
                from_literal=True,
                native_enum=False,
                name=None,
            )
            return self.enum_use(column, spec, None, schemas)
        return None

    def persist_default(self, default: ModelDefault, use: EnumUse | None) -> PersistedDefault | None:
        if default.member is not None:
            if use is None or use.enum is None:
                return None
            member_name = default.member.name.rsplit(".", 1)[-1]
            member = use.enum.member(member_name)
            if member is None:
                self.unresolved(
                    default.span, f"default `{default.member.name}` is not a member of `{use.enum.name}`"
                )
                return None
            canonical = member.alias_of or member.name
            index = use.names.index(canonical) if canonical in use.names else -1
            if index < 0 or index >= len(use.persisted):
                return None
            return PersistedDefault(use.persisted[index], default.span, default.server, default.member.name)
        if default.is_literal and isinstance(default.literal, str):
            value = default.literal
            if not default.server and use is not None and use.enum is not None:
                value = _raw_string_sent(value, use)
            return PersistedDefault(value, default.span, default.server, repr(default.literal))
        return None

    def inherited_columns(self, qualname: str, cls: ModelClassDef) -> list[ModelColumn]:
        """The class's columns plus those of its mixins and abstract bases, nearest definition first."""
        columns = list(cls.columns)
        seen = {c.attribute for c in columns}
        parents_own: set[str] = set()  # a mapped parent and everything it inherits
        for ancestor in self.class_chain(qualname)[1:]:
            definition = self.index.classes.get(ancestor)
            if definition is None or ancestor in parents_own:
                continue
            if cls.table is not None and self.has_own_table(ancestor, definition):
                # Joined-table inheritance: a mapped parent's columns (its mixins' too) live in
                # the parent's table, which the child's rows join; only the child's own mixins
                # add columns to its table.
                parents_own.update(self.class_chain(ancestor))
                continue
            for column in definition.columns:
                if column.attribute not in seen:
                    seen.add(column.attribute)
                    columns.append(column)
        return columns

    def has_own_table(self, qualname: str, cls: ModelClassDef) -> bool:
        """Whether a class is mapped to a table of its own (not a mixin, base or abstract class)."""
        if cls.is_base or cls.abstract or cls.core_table:
            return False
        return cls.table_declared and cls.table_rule is None and self.is_mapped(qualname, cls)

    # -- table names ----------------------------------------------------------------------------

    def table_name(self, qualname: str, cls: ModelClassDef) -> str | None:
        """The class's table: its own ``__tablename__``, else one computed by an inherited rule.

        SQLAlchemy reads ``__tablename__`` through the class's MRO: the nearest class that sets
        it decides. A ``declared_attr`` there is called with this class (so every subclass gets
        its own name, joined-table style); a plain string set on a mapped parent is not inherited
        (single-table inheritance: no table of its own). Abstract classes, declarative bases and
        mixins outside any declarative hierarchy are never mapped, so they have no table.
        """
        if cls.core_table or cls.is_base or cls.abstract:
            return cls.table
        for ancestor in self.class_chain(qualname):
            definition = self.index.classes.get(ancestor)
            if definition is None:
                continue
            if definition.table_rule is not None:
                if not self.is_mapped(qualname, cls):
                    return None
                return self.computed_table(definition.table_rule, cls.name)
            if definition.table_declared:
                break
        return cls.table

    def is_mapped(self, qualname: str, cls: ModelClassDef) -> bool:
        """Whether the class descends from a declarative base (or is a SQLModel ``table=True``)."""
        if cls.sqlmodel_table:
            return True
        chain = self.class_chain(qualname)[1:]
        return any(c in self.index.classes and self.index.classes[c].is_base for c in chain)

    def computed_table(self, rule: TableRule, class_name: str) -> str | None:
        try:
            return computed_table_name(self.index, rule, class_name)
        except _Unevaluable as reason:
            if rule.span not in self.failed_rules:  # one finding per directive, not per model
                self.failed_rules.add(rule.span)
                self.diagnostics.append(computed_tablename_unreadable(rule.owner, rule.span, str(reason)))
            return None

    # -- schemas -----------------------------------------------------------------------------

    def table_schema(self, qualname: str, cls: ModelClassDef) -> str | None:
        """The schema of the class's table: a Core table's ``schema=``, else the ``schema`` of the
        nearest ``__table_args__`` (the class's own, or a mixin's or abstract base's: a mapped
        parent's is not inherited), else its MetaData's ``schema``."""
        if cls.core_table:
            return cls.schema if cls.schema is not None else self.metadata_schema(cls.metadata)
        for ancestor in self.class_chain(qualname):
            definition = self.index.classes.get(ancestor)
            if definition is None or not definition.table_args:
                continue
            if ancestor != qualname and self.has_own_table(ancestor, definition):
                continue
            if definition.schema is not None:
                return definition.schema
            break
        return self.class_metadata_schema(qualname)

    def class_metadata_schema(self, qualname: str) -> str | None:
        """The ``schema`` of the MetaData a mapped class's declarative base (or ``__table__``) uses."""
        for ancestor in self.class_chain(qualname):
            definition = self.index.classes.get(ancestor)
            if definition is not None and definition.metadata is not None:
                return self.metadata_schema(definition.metadata)
        return None

    def metadata_schema(self, metadata: MetadataDef | None, depth: int = 0) -> str | None:
        """A MetaData's ``schema``, following names to module-level MetaData objects and to
        ``Base.metadata``. A MetaData that cannot be found (a library's, Flask-SQLAlchemy's
        ``db.metadata``) is taken to have no schema."""
        if metadata is None or depth > 8:
            return None
        if metadata.ref is None:
            return metadata.schema
        target = self.index.resolve(metadata.ref)
        if target in self.index.metadata:
            return self.metadata_schema(self.index.metadata[target], depth + 1)
        owner, _, attribute = target.rpartition(".")
        if attribute == "metadata" and owner in self.index.classes:
            return self.class_metadata_schema(owner)
        return None

    def table(self, module: str, cls: ModelClassDef) -> ModelTable | None:
        qualname = f"{module}.{cls.name}"
        table_name = self.table_name(qualname, cls)
        if table_name is None:
            if cls.partial and not cls.abstract:
                # ``__table__ = some_table``: neither the table nor its columns are readable.
                self.unresolved(
                    cls.span,
                    f"`{cls.name}` maps a `__table__` defined elsewhere, which cannot be read "
                    "statically; its table and columns are unknown, so no check covers them",
                )
            return None
        table_schema = self.table_schema(qualname, cls)
        metadata_schema = (
            self.metadata_schema(cls.metadata) if cls.core_table else self.class_metadata_schema(qualname)
        )
        schemas = (table_schema, metadata_schema)
        table_name = qualified_name(table_schema, table_name, self.dialect)
        if table_name != cls.table:
            cls = replace(cls, table=table_name)
        assert cls.table is not None
        columns = []
        for column in self.inherited_columns(qualname, cls):
            use = self.column_enum(qualname, column, schemas)
            defaults = tuple(
                d
                for d in (self.persist_default(default, use) for default in column.defaults)
                if d is not None
            )
            columns.append(
                ModelColumnNode(
                    table=cls.table,
                    name=column.name,
                    attribute=column.attribute,
                    span=column.span,
                    nullable=column.nullable,
                    enum=use,
                    defaults=defaults,
                    type=column.type,
                    class_name=cls.name,
                    primary_key=column.primary_key,
                )
            )
        partial = cls.partial or self.hidden_columns(qualname, cls)
        return ModelTable(
            cls.table, cls.name, cls.span, tuple(columns), cls.checks, partial, structural=not partial
        )

    def hidden_columns(self, qualname: str, cls: ModelClassDef) -> bool:
        """Reports (SL004, once per class) a base class from outside the project that may add
        columns, such as a library's user-table mixin; True when there is one."""
        opaque = self.opaque_bases(qualname)
        if opaque:
            self.unresolved(
                cls.span,
                f"`{cls.name}` (table `{cls.table}`) inherits from {', '.join(f'`{b}`' for b in opaque)}, "
                "which is not in the project, so its columns are not all known; structural checks "
                f"(SL201-SL205) skip `{cls.table}`",
            )
        elif cls.partial:
            self.unresolved(
                cls.span,
                f"the columns of `{cls.name}` (table `{cls.table}`) come from a `__table__` or a "
                f"reflected table that cannot be read statically; structural checks (SL201-SL205) "
                f"skip `{cls.table}`",
            )
        return bool(opaque)

    def opaque_bases(self, qualname: str) -> list[str]:
        """Base classes imported from outside the project and outside SQLAlchemy/SQLModel/typing.

        A base defined in the project is followed (``class_chain``); a name that resolves inside
        the project without being a class there is a local object's attribute (Flask-SQLAlchemy's
        ``db.Model``), which adds no column.
        """
        out: list[str] = []
        for current in self.class_chain(qualname):
            module = current.rsplit(".", 1)[0]
            for base in self.index.bases.get(current, ()):
                name = base.name.split("[", 1)[0]  # ``Mixin[int]``: the generic class itself
                target = self.index.resolve(Ref(name, module))
                if target in self.index.bases or target in self.index.classes or target in out:
                    continue
                imported = self.index.imports.get(module, {}).get(name.split(".")[0])
                if imported is None or imported.split(".")[0] in _COLUMNLESS_LIBRARIES:
                    continue
                if self.index.resolve_dotted(imported) != imported or self.in_project(imported):
                    continue
                out.append(target)
        return out

    def in_project(self, dotted: str) -> bool:
        parts = dotted.split(".")
        return any(self.index._module_for(".".join(parts[:cut])) for cut in range(len(parts), 0, -1))


@dataclass(frozen=True, slots=True)
class _Problem:
    """Why the persisted strings are unknown, phrased to follow "`values_callable=...` on `col`"."""

    reason: str


def persisted_strings(
    enum: ResolvedEnum, values_callable: ValuesCallable | None, omit_aliases: bool
) -> tuple[str, ...] | _Problem:
    """The strings ``sa.Enum(enum, values_callable=..., omit_aliases=...)`` persists, in order.

    SQLAlchemy stores member names unless ``values_callable`` is given, which maps the class to
    the strings instead; aliases are left out by default (``omit_aliases=True``).
    """
    if values_callable is None:
        return tuple(m.name for m in enum.canonical)
    if values_callable.unresolved or not values_callable.steps:
        return _Problem(
            "could not be read statically; the strings this column stores are unknown, "
            "so its enum checks were skipped"
        )
    members = enum.canonical if omit_aliases else enum.members
    out = [_apply_steps(m, values_callable.steps) for m in members]
    if any(v is None for v in out):
        return _Problem(f"does not return strings for every member of `{enum.name}`")
    return tuple(v for v in out if v is not None)


def vc_span(spec: EnumTypeSpec) -> Span:
    return spec.span


def _raw_string_sent(value: str, use: EnumUse) -> str:
    """What SQLAlchemy sends for a raw string default (enum-semantics rule 6).

    A string equal to one of the enum's strings is sent unchanged; for a str-mixin enum a string
    equal to a member's value hashes like the member and is rewritten to that member's string.
    """
    if value in use.persisted:
        return value
    if use.enum is not None and use.enum.kind in ("str", "strenum") and value in use.values:
        return use.persisted[use.values.index(value)]
    return value


class EnumLabelResolver:
    """The labels a migration's ``sa.Enum(AppEnum, ...)`` gives its type, read from the models.

    A migration that imports the application's enum builds the type from the class as it is
    when the migration runs, which on a fresh database is the class in the repository today:
    the same strings a model column with that ``values_callable`` persists.
    """

    def __init__(self, modules: Iterable[PythonModuleFacts]) -> None:
        self._builder = _Builder(sorted(modules, key=lambda m: m.path), "postgresql")

    def __call__(self, ref: EnumLabelsRef) -> tuple[str, ...] | None:
        enum = self._builder.enum_at(self._builder.index.resolve_dotted(ref.target))
        if enum is None:
            return None
        if ref.values_callable is not None and not all(m.resolved for m in enum.canonical):
            return None  # the callable reads values the extractor could not evaluate
        persisted = persisted_strings(enum, ref.values_callable, ref.omit_aliases)
        return None if isinstance(persisted, _Problem) else persisted


def build_model_graph(modules: Iterable[PythonModuleFacts], dialect: Dialect) -> ModelGraph:
    """Collect every model table, resolving enums, bases and defaults across modules."""
    module_list = sorted(modules, key=lambda m: m.path)
    builder = _Builder(module_list, dialect)
    tables: dict[str, ModelTable] = {}
    for module in module_list:
        for cls in module.classes:
            table = builder.table(module.module, cls)
            if table is not None and table.name not in tables:
                tables[table.name] = table
    return ModelGraph(tables=tables, enums=dict(builder.enums), diagnostics=tuple(builder.diagnostics))
