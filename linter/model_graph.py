"""The model graph: what the ORM models write, resolved across modules without importing them.

The strings a SQLAlchemy ``Enum`` column persists follow the observed semantics in
shared/research/enum-semantics.md: member names by default, ``values_callable`` output otherwise,
type name = explicit ``name=`` or the lower-cased class name, ``Mapped[Literal[...]]`` non-native.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from schemalint.facts import (
    AnnotationMapEntry,
    AutoValue,
    ColumnType,
    Diagnostic,
    Dialect,
    EnumClassDef,
    EnumTypeSpec,
    ModelCheck,
    ModelClassDef,
    ModelColumn,
    ModelDefault,
    PyConst,
    PythonModuleFacts,
    Ref,
    Span,
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


@dataclass(frozen=True, slots=True)
class ModelTable:
    name: str
    class_name: str
    span: Span
    columns: tuple[ModelColumnNode, ...]
    checks: tuple[ModelCheck, ...]
    partial: bool = False

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
        for m in modules:
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
        if local in self.enum_defs or local in self.classes or local in self.bases:
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


class _Builder:
    def __init__(self, modules: Sequence[PythonModuleFacts], dialect: Dialect) -> None:
        self.index = _Index(modules)
        self.dialect = dialect
        self.diagnostics: list[Diagnostic] = []
        self.enums: dict[str, ResolvedEnum] = {}

    def enum(self, ref: Ref) -> ResolvedEnum | None:
        qualname = self.index.resolve(ref)
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

    def enum_use(self, column: ModelColumn, spec: EnumTypeSpec, enum: ResolvedEnum | None) -> EnumUse | None:
        native = spec.native_enum and not spec.from_literal
        if enum is None:
            literals = spec.literals or ()
            return EnumUse(
                persisted=tuple(literals),
                stores="literals",
                native=native,
                type_name=spec.name,
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
        type_name = spec.name or enum.name.lower()
        vc = spec.values_callable
        if vc is None:
            persisted, stores = names, "names"
        elif vc.unresolved or not vc.steps:
            self.unresolved(
                vc_span(spec),
                f"`values_callable={vc.source}` on `{column.name}` could not be read statically; "
                "the strings this column stores are unknown, so its enum checks were skipped",
            )
            return None
        else:
            members = canonical if spec.omit_aliases else enum.members
            out = [_apply_steps(m, vc.steps) for m in members]
            if any(v is None for v in out):
                self.unresolved(
                    vc_span(spec),
                    f"`values_callable={vc.source}` on `{column.name}` does not return strings for "
                    f"every member of `{enum.name}`",
                )
                return None
            persisted = tuple(v for v in out if v is not None)
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

    def column_enum(self, model_qualname: str, column: ModelColumn) -> EnumUse | None:
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
            return self.enum_use(column, spec, enum)
        if column.annotation_enum is not None:
            enum = self.enum(column.annotation_enum)
            if enum is None:
                return None  # Mapped[SomeClass] that is not an enum: not an enum column
            mapped = self.annotation_map_entry(model_qualname, enum)
            spec = mapped or EnumTypeSpec(span=column.span)
            spec = replace(spec, span=column.span)
            return self.enum_use(column, spec, enum)
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
            return self.enum_use(column, spec, None)
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
        for ancestor in self.class_chain(qualname)[1:]:
            definition = self.index.classes.get(ancestor)
            if definition is None:
                continue
            for column in definition.columns:
                if column.attribute not in seen:
                    seen.add(column.attribute)
                    columns.append(column)
        return columns

    def table(self, module: str, cls: ModelClassDef) -> ModelTable | None:
        if cls.table is None:
            return None
        qualname = f"{module}.{cls.name}"
        columns = []
        for column in self.inherited_columns(qualname, cls):
            use = self.column_enum(qualname, column)
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
                )
            )
        return ModelTable(cls.table, cls.name, cls.span, tuple(columns), cls.checks, cls.partial)


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
