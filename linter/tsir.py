"""The TypeScript constant IR and its evaluator, with JavaScript's semantics (no tree-sitter here).

Extractors reduce TypeScript expressions to these small immutable values, which refer to names by
module and identifier, so per-file facts stay cacheable; ``evaluate`` computes them once names can
be resolved (in the same file, or across files by the graph layer).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Union

# ---------------------------------------------------------------------------------------------
# The IR: what a constant expression is, before names are resolved.
# ---------------------------------------------------------------------------------------------

TsValue = Union[str, int, float, bool, None, tuple["TsValue", ...], "TsObject"]


@dataclass(frozen=True, slots=True)
class TsObject:
    """A JavaScript object: entries in JavaScript's own key order (integer keys first)."""

    entries: tuple[tuple[str, TsValue], ...]

    def values(self) -> tuple[TsValue, ...]:
        return tuple(v for _, v in self.entries)

    def keys(self) -> tuple[str, ...]:
        return tuple(k for k, _ in self.entries)

    def get(self, key: str) -> TsValue | Unknown:
        for k, v in self.entries:
            if k == key:
                return v
        return Unknown(f"property `{key}` does not exist")


@dataclass(frozen=True, slots=True)
class Unknown:
    """A value that cannot be computed statically; ``reason`` names the expression."""

    reason: str


@dataclass(frozen=True, slots=True)
class Lit:
    value: TsValue


@dataclass(frozen=True, slots=True)
class Name:
    """An identifier, resolved later in ``module`` (local declaration or import)."""

    name: str
    module: str


@dataclass(frozen=True, slots=True)
class Member:
    obj: TsExpr
    prop: str


@dataclass(frozen=True, slots=True)
class Spread:
    expr: TsExpr


@dataclass(frozen=True, slots=True)
class Arr:
    items: tuple[TsExpr | Spread, ...]


@dataclass(frozen=True, slots=True)
class Obj:
    entries: tuple[tuple[str, TsExpr] | Spread, ...]


@dataclass(frozen=True, slots=True)
class Concat:
    """``a + b`` and template literals: the parts' string forms joined."""

    parts: tuple[TsExpr, ...]


@dataclass(frozen=True, slots=True)
class Call:
    """A call the evaluator knows: ``Object.values(x)``, ``xs.join(sep)``, ``xs.map(v => ...)``."""

    func: str  # "Object.values" | "Object.keys" | "join" | "map" | "concat" | "toLowerCase" | ...
    target: TsExpr | None
    args: tuple[TsExpr, ...]
    param: str = ""  # for map: the arrow function's parameter
    body: TsExpr | None = None  # for map: the arrow function's body


@dataclass(frozen=True, slots=True)
class Opaque:
    """Something the evaluator cannot reduce (a call to an unknown function, ...)."""

    source: str


@dataclass(frozen=True, slots=True)
class EnumDecl:
    """A TS ``enum``: members with explicit or auto-incremented values, in declaration order."""

    members: tuple[tuple[str, TsExpr | None], ...]


TsExpr = Union[Lit, Name, Member, Arr, Obj, Concat, Call, Opaque, EnumDecl]  # noqa: UP007

# ---------------------------------------------------------------------------------------------
# Evaluation with JavaScript semantics.
# ---------------------------------------------------------------------------------------------

_STRING_METHODS: dict[str, Callable[[str], str]] = {
    "toLowerCase": str.lower,
    "toUpperCase": str.upper,
    "trim": str.strip,
}

Resolver = Callable[[Name], "TsExpr | TsValue | Unknown"]


def js_object(entries: list[tuple[str, TsValue]]) -> TsObject:
    """An object with JavaScript's property order: integer-like keys ascending, then insertion order."""
    merged: dict[str, TsValue] = {}
    for key, value in entries:
        merged[key] = value
    integer = sorted((k for k in merged if re.fullmatch(r"0|[1-9]\d*", k)), key=int)
    others = [k for k in merged if k not in set(integer)]
    return TsObject(tuple((k, merged[k]) for k in [*integer, *others]))


def js_string(value: TsValue) -> str:
    """``String(value)`` as JavaScript spells it."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, tuple):
        return ",".join("" if v is None else js_string(v) for v in value)
    if isinstance(value, TsObject):
        return "[object Object]"
    return str(value)


def evaluate(
    expr: TsExpr, resolve: Resolver, local: dict[str, TsValue] | None = None, depth: int = 0
) -> TsValue | Unknown:
    """The value of ``expr``; names go to ``local`` (arrow parameters) then to ``resolve``."""
    if depth > 64:
        return Unknown("the expression is nested too deeply (or refers to itself)")
    local = local or {}

    def ev(e: TsExpr) -> TsValue | Unknown:
        return evaluate(e, resolve, local, depth + 1)

    if isinstance(expr, Lit):
        return expr.value
    if isinstance(expr, Name):
        if expr.module == "" and expr.name in local:
            return local[expr.name]
        resolved = resolve(expr)
        if isinstance(resolved, (Lit, Name, Member, Arr, Obj, Concat, Call, Opaque, EnumDecl)):
            return ev(resolved)
        return resolved
    if isinstance(expr, Member):
        obj = ev(expr.obj)
        if isinstance(obj, Unknown):
            return obj
        if isinstance(obj, TsObject):
            return obj.get(expr.prop)
        if isinstance(obj, tuple) and expr.prop == "length":
            return len(obj)
        return Unknown(f"`.{expr.prop}` of a non-object")
    if isinstance(expr, Arr):
        items: list[TsValue] = []
        for item in expr.items:
            value = ev(item.expr if isinstance(item, Spread) else item)
            if isinstance(value, Unknown):
                return value
            if isinstance(item, Spread):
                if isinstance(value, (tuple, str)):
                    items.extend(value)
                else:
                    return Unknown("spread of a non-array")
            else:
                items.append(value)
        return tuple(items)
    if isinstance(expr, Obj):
        entries: list[tuple[str, TsValue]] = []
        for entry in expr.entries:
            if isinstance(entry, Spread):
                value = ev(entry.expr)
                if not isinstance(value, TsObject):
                    return value if isinstance(value, Unknown) else Unknown("spread of a non-object")
                entries.extend(value.entries)
            else:
                value = ev(entry[1])
                if isinstance(value, Unknown):
                    return value
                entries.append((entry[0], value))
        return js_object(entries)
    if isinstance(expr, EnumDecl):
        return _enum_object(expr, ev)
    if isinstance(expr, Concat):
        out: list[str] = []
        for part in expr.parts:
            value = ev(part)
            if isinstance(value, Unknown):
                return value
            out.append(js_string(value))
        return "".join(out)
    if isinstance(expr, Call):
        return _evaluate_call(expr, ev, resolve, local, depth)
    return Unknown(f"`{expr.source}` cannot be evaluated statically")


def _enum_object(expr: EnumDecl, ev: Callable[[TsExpr], TsValue | Unknown]) -> TsObject | Unknown:
    """A TS enum as the object TypeScript compiles it to: numeric members get a reverse mapping
    (``E[0] === "A"``), so ``Object.values`` of a numeric enum holds the names and the numbers."""
    entries: list[tuple[str, TsValue]] = []
    next_number: int | float | None = 0
    for name, value_expr in expr.members:
        if value_expr is None:
            if next_number is None:
                return Unknown(f"enum member `{name}` follows a string member and has no value")
            value: TsValue | Unknown = next_number
        else:
            value = ev(value_expr)
        if isinstance(value, Unknown):
            return value
        entries.append((name, value))
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            entries.append((js_string(value), name))
            next_number = value + 1
        else:
            next_number = None
    return js_object(entries)


def _evaluate_call(
    expr: Call,
    ev: Callable[[TsExpr], TsValue | Unknown],
    resolve: Resolver,
    local: dict[str, TsValue],
    depth: int,
) -> TsValue | Unknown:
    if expr.func in ("Object.values", "Object.keys"):
        value = ev(expr.args[0])
        if isinstance(value, TsObject):
            return value.values() if expr.func == "Object.values" else value.keys()
        if isinstance(value, tuple):  # Object.values of an array is the array
            return value if expr.func == "Object.values" else tuple(str(i) for i in range(len(value)))
        return value if isinstance(value, Unknown) else Unknown(f"{expr.func} of a non-object")
    target = ev(expr.target) if expr.target is not None else Unknown("no target")
    if isinstance(target, Unknown):
        return target
    if expr.func == "map" and expr.body is not None and isinstance(target, tuple):
        out: list[TsValue] = []
        for item in target:
            value = evaluate(expr.body, resolve, {**local, expr.param: item}, depth + 1)
            if isinstance(value, Unknown):
                return value
            out.append(value)
        return tuple(out)
    args = [ev(a) for a in expr.args]
    for arg in args:
        if isinstance(arg, Unknown):
            return arg
    if expr.func == "join" and isinstance(target, tuple):
        separator = js_string(args[0]) if args else ","  # type: ignore[arg-type]
        return separator.join("" if v is None else js_string(v) for v in target)
    if expr.func == "concat":
        if isinstance(target, tuple):
            out2: list[TsValue] = list(target)
            for arg in args:
                out2.extend(arg if isinstance(arg, tuple) else (arg,))  # type: ignore[arg-type]
            return tuple(out2)
        if isinstance(target, str):
            return target + "".join(js_string(a) for a in args)  # type: ignore[arg-type]
    if expr.func in _STRING_METHODS and isinstance(target, str):
        return _STRING_METHODS[expr.func](target)
    return Unknown(f"`.{expr.func}(...)` cannot be evaluated statically here")


def as_strings(value: TsValue | Unknown) -> tuple[str, ...] | None:
    """A list of enum values as the strings a CHECK compares (numbers in their JS spelling)."""
    if isinstance(value, tuple) and all(
        isinstance(v, (str, int, float)) and not isinstance(v, bool) for v in value
    ):
        return tuple(js_string(v) for v in value)
    return None


def describe(value: Any) -> str:
    """Short, stable text for a value in messages."""
    return json.dumps(value, default=str)[:80]
