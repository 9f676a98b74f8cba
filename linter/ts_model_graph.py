"""Model tables from TypeScript models: names resolved across modules, enum values evaluated with JavaScript semantics."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from schemalint.facts import Diagnostic, Dialect, Span, qualified_name
from schemalint.model_graph import EnumUse, ModelColumnNode, ModelTable, PersistedDefault
from schemalint.tsfacts import TsModelDef, TsModelField, TsModuleFacts, TsResolution
from schemalint.tsir import (
    Arr,
    Call,
    Concat,
    Member,
    Name,
    Obj,
    Spread,
    TsExpr,
    TsObject,
    TsValue,
    Unknown,
    as_strings,
    evaluate,
    js_string,
)

# Module files a specifier may name, in TypeScript's order ("moduleResolution": "node"/"bundler").
_EXTENSIONS = (".ts", ".tsx", ".d.ts", ".js", ".jsx", ".mts", ".cts")
_INDEXES = ("/index.ts", "/index.tsx", "/index.d.ts", "/index.js")
# `import "./x.js"` names ./x.ts in TypeScript sources compiled to ESM.
_JS_TO_TS = {".js": (".ts", ".tsx"), ".jsx": (".tsx",), ".mjs": (".mts",), ".cjs": (".cts",)}
# A Name whose module starts with this names an export of that module, not a local binding.
_EXPORT_OF = "\x00export:"
_HELP_OUTSIDE = (
    "map the package into the repository (workspaces or tsconfig `paths`), or suppress this finding "
    "with the reason the values are known to match"
)


@dataclass(frozen=True, slots=True)
class _Outside:
    """A bare specifier that names a package outside the repository."""

    specifier: str


@dataclass(frozen=True, slots=True)
class _Bound:
    expr: TsExpr


@dataclass(frozen=True, slots=True)
class _Namespace:
    module: str


@dataclass(frozen=True, slots=True)
class _Missing:
    reason: str
    outside: bool = False  # the name comes from a package that is not in the repository


_Binding = _Bound | _Namespace | _Missing


class _Modules:
    """Every TypeScript module's bindings, with TypeScript's module resolution over the repository."""

    def __init__(self, modules: Sequence[TsModuleFacts], resolution: TsResolution) -> None:
        self.modules = {m.path: m for m in modules}
        self.declarations = {m.path: dict(m.declarations) for m in modules}
        self.exports: dict[str, dict[str, str]] = {}
        for m in modules:
            exports: dict[str, str] = {}
            for exported, local in m.exported:
                exports.setdefault(exported, local)
            self.exports[m.path] = exports
        self.imports = {m.path: {i.local: i for i in m.imports} for m in modules}
        self.resolution = resolution
        self.packages = sorted(resolution.packages, key=lambda p: -len(p[0]))
        self.entries = dict(resolution.entries)
        self._specifiers: dict[tuple[str, str], str | _Outside | None] = {}
        self.outside_reasons: set[str] = set()  # Unknown reasons that name a package outside the repository

    # -- module resolution ------------------------------------------------------------------

    def file(self, base: str) -> str | None:
        """The module for a path without guessing beyond TypeScript's extension and index rules."""
        base = posixpath.normpath(base)
        if base in self.modules:
            return base
        stem, ext = posixpath.splitext(base)
        for replacement in _JS_TO_TS.get(ext, ()):
            if stem + replacement in self.modules:
                return stem + replacement
        for candidate in (*(base + e for e in _EXTENSIONS), *(base + i for i in _INDEXES)):
            if candidate in self.modules:
                return candidate
        return None

    def specifier(self, importer: str, spec: str) -> str | _Outside | None:
        """The module ``spec`` names from ``importer``; ``_Outside`` for a package not in the
        repository; None for a relative path (or mapped specifier) that names no file here."""
        key = (posixpath.dirname(importer), spec)
        if key not in self._specifiers:
            self._specifiers[key] = self._specifier(key[0], spec)
        return self._specifiers[key]

    def _specifier(self, directory: str, spec: str) -> str | _Outside | None:
        if spec.startswith("./") or spec.startswith("../") or spec in (".", ".."):
            return self.file(posixpath.join(directory, spec))
        if spec.startswith("/"):
            return None
        if spec in self.entries:
            return self.file(self.entries[spec])
        mapped = self._tsconfig_paths(spec)
        if mapped is not None:
            return mapped
        for name, directory_of in self.packages:
            if spec == name:
                return self.file(posixpath.join(directory_of, "src/index")) or self.file(
                    posixpath.join(directory_of, "index")
                )
            if spec.startswith(name + "/"):
                sub = spec[len(name) + 1 :]
                return self.file(posixpath.join(directory_of, "src", sub)) or self.file(
                    posixpath.join(directory_of, sub)
                )
        return _Outside(spec)

    def _tsconfig_paths(self, spec: str) -> str | None:
        # TypeScript picks the pattern with the longest prefix before `*`; an exact pattern wins.
        best: tuple[int, str, tuple[str, ...]] | None = None
        for pattern, targets in self.resolution.paths:
            if "*" not in pattern:
                if pattern == spec:
                    best = (len(pattern) + 1, "", targets)
                    break
                continue
            prefix, _, suffix = pattern.partition("*")
            if spec.startswith(prefix) and spec.endswith(suffix) and len(spec) >= len(prefix) + len(suffix):
                star = spec[len(prefix) : len(spec) - len(suffix)]
                if best is None or len(prefix) > best[0]:
                    best = (len(prefix), star, targets)
        if best is None:
            return None
        for target in best[2]:
            found = self.file(posixpath.join(self.resolution.base_url, target.replace("*", best[1])))
            if found is not None:
                return found
        return None

    # -- bindings ---------------------------------------------------------------------------

    def lookup(self, module: str, name: str, seen: frozenset[tuple[str, str]] = frozenset()) -> _Binding:
        """What ``name`` is bound to in ``module``: a declaration, a namespace, or why not known."""
        declared = self.declarations.get(module, {}).get(name)
        if declared is not None:
            return _Bound(declared)
        imported = self.imports.get(module, {}).get(name)
        if imported is None:
            return _Missing(f"`{name}` is neither declared nor imported in `{module}`")
        target = self.specifier(module, imported.specifier)
        if isinstance(target, _Outside):
            return _Missing(
                f"`{name}` is imported from `{target.specifier}`, outside this repository",
                outside=True,
            )
        if target is None:
            return _Missing(
                f"`{name}` is imported from `{imported.specifier}`, which names no file in this repository"
            )
        if imported.imported == "*":
            return _Namespace(target)
        return self.export(target, imported.imported, seen, importer_name=name)

    def export(
        self, module: str, name: str, seen: frozenset[tuple[str, str]] = frozenset(), importer_name: str = ""
    ) -> _Binding:
        """What ``module`` exports as ``name``, through re-exports and ``export *`` barrels."""
        if (module, name) in seen:
            return _Missing(f"`{name}` is re-exported in a cycle through `{module}`")
        seen = seen | {(module, name)}
        local = self.exports.get(module, {}).get(name)
        if local is not None:
            return self.lookup(module, local, seen)
        facts = self.modules.get(module)
        reexports = facts.reexports if facts is not None else ()
        for reexport in reexports:
            for original, exported in reexport.names or ():
                if exported != name:
                    continue
                target = self.specifier(module, reexport.specifier)
                if isinstance(target, _Outside):
                    return _Missing(
                        f"`{importer_name or name}` is re-exported by `{module}` from `{target.specifier}`, "
                        "outside this repository",
                        outside=True,
                    )
                if target is None:
                    return _Missing(
                        f"`{name}` is re-exported from `{reexport.specifier}`, which names no file"
                    )
                if original == "*":
                    return _Namespace(target)
                return self.export(target, original, seen, importer_name)
        outside: str | None = None
        deeper: _Missing | None = None  # found behind a barrel, in a package outside the repository
        if name != "default":  # `export *` never re-exports a default export
            for reexport in reexports:
                if reexport.names is not None:
                    continue
                target = self.specifier(module, reexport.specifier)
                if isinstance(target, _Outside):
                    outside = outside or target.specifier
                    continue
                if target is None:
                    continue
                found = self.export(target, name, seen, importer_name)
                if not isinstance(found, _Missing):
                    return found
                if found.outside and deeper is None:
                    deeper = found
        if deeper is not None:
            return deeper
        if outside is not None:
            # `export * from "pkg"` may be where it comes from; the package is not here to read.
            return _Missing(
                f"`{importer_name or name}` is not exported by `{module}` itself and may come from "
                f"`{outside}`, which it re-exports from outside this repository",
                outside=True,
            )
        return _Missing(f"`{name}` is not exported by `{module}`")

    # -- evaluation -------------------------------------------------------------------------

    def resolve(self, name: Name) -> TsExpr | TsValue | Unknown:
        """The tsir resolver: a name's declaration (rewritten for member access), or why not."""
        if not name.module:
            return Unknown(f"`{name.name}` is not defined")
        if name.module.startswith(_EXPORT_OF):
            binding = self.export(name.module[len(_EXPORT_OF) :], name.name)
        else:
            binding = self.lookup(name.module, name.name)
        if isinstance(binding, _Bound):
            return self.rewrite(binding.expr)
        if isinstance(binding, _Namespace):
            return self.namespace_object(binding.module)
        if binding.outside:
            self.outside_reasons.add(binding.reason)
        return Unknown(binding.reason)

    def namespace_object(self, module: str) -> Obj:
        """``import * as ns``: an object of the module's own exports (names from ``export *`` are left out)."""
        exports = self.exports.get(module, {})
        return Obj(tuple((exported, Name(exported, _EXPORT_OF + module)) for exported in exports))

    def rewrite(self, expr: TsExpr, depth: int = 0) -> TsExpr:
        """``ns.X`` on a namespace import becomes the export ``X`` of that module, and ``obj.k`` on an
        object literal becomes its entry, so one unreadable sibling does not hide the member read."""
        if depth > 32:
            return expr
        if isinstance(expr, Member):
            target = self.rewrite(expr.obj, depth + 1)
            shortcut = self.member(target, expr.prop, depth + 1)
            return shortcut if shortcut is not None else Member(target, expr.prop)
        if isinstance(expr, Arr):
            return Arr(
                tuple(
                    Spread(self.rewrite(i.expr, depth + 1))
                    if isinstance(i, Spread)
                    else self.rewrite(i, depth + 1)
                    for i in expr.items
                )
            )
        if isinstance(expr, Call):
            return Call(
                expr.func,
                self.rewrite(expr.target, depth + 1) if expr.target is not None else None,
                tuple(self.rewrite(a, depth + 1) for a in expr.args),
                expr.param,
                expr.body,
            )
        if isinstance(expr, Concat):
            return Concat(tuple(self.rewrite(p, depth + 1) for p in expr.parts))
        return expr

    def member(self, target: TsExpr, prop: str, depth: int) -> TsExpr | None:
        if depth > 32:
            return None
        if isinstance(target, Obj) and not any(isinstance(e, Spread) for e in target.entries):
            for entry in reversed(target.entries):  # a later duplicate key wins in JavaScript
                if not isinstance(entry, Spread) and entry[0] == prop:
                    return entry[1]
            return None
        if not isinstance(target, Name) or not target.module:
            return None
        if target.module.startswith(_EXPORT_OF):
            binding = self.export(target.module[len(_EXPORT_OF) :], target.name)
        else:
            binding = self.lookup(target.module, target.name)
        if isinstance(binding, _Namespace):
            return Name(prop, _EXPORT_OF + binding.module)
        if isinstance(binding, _Bound) and isinstance(binding.expr, (Obj, Name)):
            return self.member(binding.expr, prop, depth + 1)
        return None

    def evaluate(self, expr: TsExpr) -> TsValue | Unknown:
        return evaluate(self.rewrite(expr), self.resolve)


# -- how each ORM turns its enum argument into the stored values --------------------------------


def _js_number_is_nan(key: str) -> bool:
    """``isNaN(+key)`` for a property key: JavaScript's string-to-number conversion."""
    text = key.strip()
    if text == "":
        return False  # +"" is 0
    numeric = r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?|0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|[+-]?Infinity"
    return re.fullmatch(numeric, text) is None


def _is_number(value: TsValue) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _keys_and_values(value: TsValue) -> tuple[tuple[str, ...], tuple[TsValue, ...]] | None:
    if isinstance(value, TsObject):
        return value.keys(), value.values()
    if isinstance(value, tuple):
        return tuple(str(i) for i in range(len(value))), value
    return None


def _mikro_orm_items(value: TsValue) -> TsValue | Unknown:
    """MikroORM's ``Utils.extractEnumValues`` (packages/core/src/utils/Utils.ts): the object's
    values; when one is a number (a numeric TS enum), values that are also keys (the names of the
    reverse mapping) are dropped, so a numeric enum stores its numbers only."""
    split = _keys_and_values(value)
    if split is None:
        return Unknown("the enum items are neither an object nor an array")
    keys, values = split
    if any(_is_number(v) for v in values):
        return tuple(v for v in values if not (isinstance(v, str) and v in keys))
    return values


def _typeorm_items(value: TsValue) -> TsValue | Unknown:
    """TypeORM's ``ColumnMetadata``: an array as is; an object's values under the keys for which
    ``isNaN(+key)`` holds, so a numeric enum's reverse-mapping entries are dropped."""
    if isinstance(value, tuple):
        return value
    if isinstance(value, TsObject):
        return tuple(v for k, v in value.entries if _js_number_is_nan(k))
    return Unknown("the `enum` option is neither an object nor an array")


_VALUES_FROM: Mapping[str, Callable[[TsValue], TsValue | Unknown]] = {
    "list": lambda value: value,
    "mikro-orm": _mikro_orm_items,
    "typeorm": _typeorm_items,
}


def _generates_check(model: TsModelDef, field: TsModelField, values: tuple[TsValue, ...]) -> bool:
    """Whether the ORM's schema generator constrains the column to the values.

    MikroORM (and DML, which generates MikroORM properties) maps an enum whose items are not all
    strings to a small integer column without a CHECK (``MetadataDiscovery.getMappedType``:
    ``items.every(isString) ? 'enum' : 'tinyint'``).
    """
    if model.orm in ("medusa-dml", "mikro-orm") and not all(isinstance(v, str) for v in values):
        return False
    return field.check_constraint


def _native(model: TsModelDef, field: TsModelField, strings_only: bool, dialect: Dialect) -> bool:
    """Whether the column is a PostgreSQL enum type or MySQL's inline ENUM (else text + CHECK).

    The type's name is not part of the model's enum use: MikroORM and TypeORM send enum values
    as untyped parameters (node-postgres' `$1`, no `::type` cast), so PostgreSQL takes the type
    of the column whatever it is called. A migration naming the type otherwise
    (`"PAYMENT_COLLECTION_TYPE_ENUM"`, another schema's type) breaks no write; the labels of
    the column's actual type are what the rules compare.
    """
    if field.native_type is not None:
        return True
    # MikroORM's MySQL platform renders a string enum as an inline `enum('a', 'b')` column.
    return model.orm in ("medusa-dml", "mikro-orm") and dialect == "mysql" and strings_only


class _Builder:
    def __init__(self, modules: Sequence[TsModuleFacts], resolution: TsResolution, dialect: Dialect) -> None:
        self.index = _Modules(modules, resolution)
        self.dialect = dialect
        self.diagnostics: list[Diagnostic] = []

    def unresolved(self, span: Span, message: str, help: str = "") -> None:
        self.diagnostics.append(Diagnostic("SL004", message, span, help))

    def table_name(self, model: TsModelDef) -> str:
        """The model's table as the database graph names it (``schema.table`` outside ``public``)."""
        return qualified_name(model.schema, model.table, self.dialect)

    def table(self, model: TsModelDef) -> ModelTable:
        columns = tuple(self.column(model, f) for f in model.fields)
        return ModelTable(self.table_name(model), model.name, model.span, columns, checks=())

    def column(self, model: TsModelDef, field: TsModelField) -> ModelColumnNode:
        use = self.enum_use(model, field)
        defaults: tuple[PersistedDefault, ...] = ()
        if field.default is not None:
            default = self.default(model, field)
            defaults = (default,) if default is not None else ()
        return ModelColumnNode(
            table=self.table_name(model),
            name=field.column,
            attribute=field.attribute,
            span=field.span,
            nullable=field.nullable,
            enum=use,
            defaults=defaults,
            type=None,
            class_name=model.name,
        )

    def enum_use(self, model: TsModelDef, field: TsModelField) -> EnumUse | None:
        subject = f"`{self.table_name(model)}.{field.column}`"
        if field.values is None:
            self.unresolved(
                field.span,
                f"the enum values of {subject} are not given (no `items` and no enum type on the "
                "property); its enum checks were skipped",
            )
            return None
        value = self.index.evaluate(field.values)
        if not isinstance(value, Unknown):
            value = _VALUES_FROM.get(field.values_from, _VALUES_FROM["list"])(value)
        if isinstance(value, Unknown):
            if value.reason in self.index.outside_reasons:
                message = f"{value.reason}; the values {subject} stores are unknown, so its enum checks were skipped"
                self.unresolved(field.span, message, help=_HELP_OUTSIDE)
            else:
                self.unresolved(
                    field.span,
                    f"the values {subject} stores cannot be read statically: {value.reason}; its enum "
                    "checks were skipped",
                )
            return None
        strings = as_strings(value)
        if strings is None or not isinstance(value, tuple):
            self.unresolved(
                field.span,
                f"the values of {subject} do not evaluate to a list of strings or numbers; its enum "
                "checks were skipped",
            )
            return None
        return EnumUse(
            persisted=strings,
            stores="values",
            native=_native(model, field, all(isinstance(v, str) for v in value), self.dialect),
            type_name=None,
            create_constraint=_generates_check(model, field, value),
            length=None,
            span=field.span,
            enum=None,
        )

    def default(self, model: TsModelDef, field: TsModelField) -> PersistedDefault | None:
        assert field.default is not None
        span = field.default_span or field.span
        value = self.index.evaluate(field.default)
        if isinstance(value, Unknown):
            self.unresolved(
                span,
                f"the default `{field.default_source}` of `{self.table_name(model)}.{field.column}` cannot be read "
                f"statically: {value.reason}",
                help=_HELP_OUTSIDE if value.reason in self.index.outside_reasons else "",
            )
            return None
        if isinstance(value, str) or _is_number(value):
            # Numbers reach the database in their JavaScript spelling (a numeric enum member).
            return PersistedDefault(js_string(value), span, server=False, source=field.default_source)
        return None  # null, booleans and objects are not enum strings


def build_ts_model_tables(
    modules: Sequence[TsModuleFacts], resolution: TsResolution, dialect: Dialect
) -> tuple[dict[str, ModelTable], tuple[Diagnostic, ...]]:
    """Every TypeScript model table by name (the first by path wins), and the SL004 diagnostics
    for values that could not be read."""
    ordered = sorted(modules, key=lambda m: m.path)
    builder = _Builder(ordered, resolution, dialect)
    tables: dict[str, ModelTable] = {}
    for module in ordered:
        for model in module.models:
            name = builder.table_name(model)
            if name not in tables:
                tables[name] = builder.table(model)
    return tables, tuple(builder.diagnostics)
