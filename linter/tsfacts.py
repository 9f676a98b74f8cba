"""Immutable facts from one TypeScript file: declarations, imports, ORM models, Medusa jobs, snapshots.

Like ``schemalint.facts`` for Python, these refer to other files only by import specifier; the
graph layer resolves specifiers (relative paths, ``export *`` barrels, workspace packages,
tsconfig ``paths``) once every file's facts exist.
"""

from __future__ import annotations

from dataclasses import dataclass

from schemalint.facts import Diagnostic, Span
from schemalint.tsir import TsExpr


@dataclass(frozen=True, slots=True)
class TsImport:
    """``import { imported as local } from "specifier"`` (``imported`` is "default" or "*" too)."""

    local: str
    specifier: str
    imported: str


@dataclass(frozen=True, slots=True)
class TsReexport:
    """``export * from "x"`` (``names`` None) or ``export { a as b } from "x"`` (pairs of (a, b)).

    ``export * as ns from "x"`` is the pair ``("*", "ns")``: ``ns`` is the namespace of module x.
    """

    specifier: str
    names: tuple[tuple[str, str], ...] | None = None


@dataclass(frozen=True, slots=True)
class TsModelField:
    """One enum-like column of a TypeScript model.

    ``values`` is the expression for the list of values the ORM stores (already wrapped in
    ``Object.values`` where the ORM does that); ``native_type`` names a PostgreSQL enum type the
    column uses (MikroORM ``nativeEnumName``, TypeORM ``type: "enum"``), None for text + CHECK.

    ``values_from`` says how the ORM turns ``values`` into the list: ``"list"`` as it evaluates;
    ``"mikro-orm"`` through MikroORM's ``Utils.extractEnumValues`` (``Object.values``, minus the
    names of a numeric enum's reverse mapping); ``"typeorm"`` through TypeORM's ``ColumnMetadata``
    (an object's values under its non-numeric keys; an array as is).
    """

    attribute: str
    column: str
    span: Span
    values: TsExpr | None = None
    default: TsExpr | None = None
    default_span: Span | None = None
    nullable: bool = False
    native_type: str | None = None
    check_constraint: bool = True  # the ORM's schema generator writes a CHECK for it
    values_from: str = "list"  # "list" | "mikro-orm" | "typeorm"
    default_source: str = ""  # the default expression as written, for messages


@dataclass(frozen=True, slots=True)
class TsModelDef:
    """A table declared by Medusa DML (``model.define``), a MikroORM or a TypeORM entity."""

    name: str
    table: str
    span: Span
    orm: str  # "medusa-dml" | "mikro-orm" | "typeorm"
    fields: tuple[TsModelField, ...] = ()
    schema: str | None = None  # ``@Entity({ schema })`` or ``"schema.table"``; None: the default


@dataclass(frozen=True, slots=True)
class JobFacts:
    """What a file under a Medusa ``src/jobs/`` folder exports."""

    default_export: str | None  # "function" | "other" | "unknown" (imported, a call) | None
    config_keys: tuple[str, ...] | None  # keys of ``export const config = {...}``, None if absent
    config_span: Span | None = None
    config_resolved: bool = True  # False: config is built in a way that cannot be read statically
    default_span: Span | None = None  # the ``export default`` statement, when there is one
    # The file opts out of loading: "always" (``defineFileConfig({ isDisabled: () => true })``,
    # the ``Symbol.for("__MEDUSA_SKIP_FILE__")`` export set to ``true``) or "conditional" (the
    # same markers with a run-time condition). None: the loader always validates the file.
    skip: str | None = None


@dataclass(frozen=True, slots=True)
class TsModuleFacts:
    """Everything schemalint needs from one TypeScript module."""

    path: str
    declarations: tuple[tuple[str, TsExpr], ...] = ()  # top-level const/enum/let, by name
    exported: tuple[tuple[str, str], ...] = ()  # (exported name, local name), "default" included
    imports: tuple[TsImport, ...] = ()
    reexports: tuple[TsReexport, ...] = ()
    models: tuple[TsModelDef, ...] = ()
    job: JobFacts | None = None
    diagnostics: tuple[Diagnostic, ...] = ()


@dataclass(frozen=True, slots=True)
class SnapshotColumn:
    table: str
    column: str
    enum_items: tuple[str, ...]
    span: Span


@dataclass(frozen=True, slots=True)
class SnapshotFacts:
    """A MikroORM ``.snapshot-*.json``: the schema generator's memory, not the database."""

    path: str
    columns: tuple[SnapshotColumn, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()


@dataclass(frozen=True, slots=True)
class TsResolution:
    """How the project's TypeScript resolves bare specifiers to files inside the repository.

    ``packages``: workspace package name → its directory (project-relative POSIX), from the root
    package.json ``workspaces``. ``paths``: tsconfig ``compilerOptions.paths`` patterns → target
    patterns, relative to ``base_url`` (project-relative). Specifiers that match neither and are
    not relative name packages outside the repository.
    """

    packages: tuple[tuple[str, str], ...] = ()
    paths: tuple[tuple[str, tuple[str, ...]], ...] = ()
    base_url: str = "."
    # Specifier (a package name, or name + subpath) → project-relative source file, from the
    # package.json ``types``/``main``/``exports`` of a workspace package when they point at
    # sources; tried before the ``src/index.ts`` / ``index.ts`` conventions.
    entries: tuple[tuple[str, str], ...] = ()
