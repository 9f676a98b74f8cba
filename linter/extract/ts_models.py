"""TypeScript module facts: top-level constants, imports and exports, and Medusa DML, MikroORM and TypeORM models."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from schemalint.extract.tsparse import (
    TsSource,
    named_children,
    parse_typescript,
    string_value,
    to_ir,
    unwrap,
    value_syntax_errors,
)
from schemalint.facts import Diagnostic
from schemalint.tsfacts import TsImport, TsModelDef, TsModelField, TsModuleFacts, TsReexport
from schemalint.tsir import (
    Call,
    EnumDecl,
    Name,
    Obj,
    TsExpr,
    TsValue,
    Unknown,
    evaluate,
)

if TYPE_CHECKING:
    from tree_sitter import Node

# Declarations whose value we keep, and the statement kinds that declare them.
_VARIABLE_DECLARATIONS = ("lexical_declaration", "variable_declaration")
_CLASS_DECLARATIONS = ("class_declaration", "abstract_class_declaration", "class")
_NAMESPACES = ("internal_module", "module")

# `model.define`, also split across lines: the only files whose every node is walked.
_DML_DEFINE = re.compile(rb"model\s*\.\s*define")

# TypeORM column decorators that take `{ type: "enum", enum }`; DbAwareColumn is Medusa v1's wrapper.
_TYPEORM_COLUMNS = frozenset({"Column", "DbAwareColumn"})
_TYPEORM_ENUM_TYPES = frozenset({"enum", "simple-enum"})


def camel_to_snake(name: str) -> str:
    """Medusa's ``camelToSnakeCase`` and MikroORM's ``UnderscoreNamingStrategy.underscore``.

    Both are ``s.replace(/([a-z])([A-Z])/g, "$1_$2").toLowerCase()`` (MikroORM:
    packages/core/src/naming-strategy/UnderscoreNamingStrategy.ts), so digits and runs of capitals
    do not split words: ``HTTPLog`` becomes ``httplog``, ``Step2Done`` becomes ``step2done``.
    """
    return re.sub(r"([a-z])([A-Z])", r"\1_\2", name).lower()


def typeorm_snake_case(name: str) -> str:
    """TypeORM's ``snakeCase`` (src/util/StringUtils.ts), used by ``DefaultNamingStrategy.tableName``.

    Unlike MikroORM it splits a capital run before a capitalised word (``HTTPLog`` becomes
    ``http_log``) and after digits (``Step2Done`` becomes ``step2_done``).
    """
    name = re.sub(r"([A-Z])([A-Z])([a-z])", r"\1_\2\3", name)
    return re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name).lower()


def split_table_name(name: str) -> tuple[str | None, str]:
    """``schema.table`` names the table ``table`` in schema ``schema`` (MikroORM, TypeORM and
    Medusa DML all read a dotted name so); a bare name has no schema of its own."""
    schema, _, table = name.rpartition(".")
    return schema or None, table


def extract_ts_module(text: str, path: str) -> TsModuleFacts:
    """Facts for one TypeScript (``.ts``/``.tsx``) module, from a single tree-sitter parse."""
    source = TsSource(path, text)
    tree = parse_typescript(source.data, tsx=path.endswith(".tsx"))
    extractor = _ModuleExtractor(source)
    extractor.program(tree.root_node)
    if tree.root_node.has_error:
        errors = value_syntax_errors(tree.root_node)
        if errors:
            extractor.syntax_error(errors[0])
    return extractor.facts()


@dataclass
class _ModuleExtractor:
    source: TsSource
    declarations: dict[str, TsExpr] = field(default_factory=dict)
    exported: list[tuple[str, str]] = field(default_factory=list)
    imports: list[TsImport] = field(default_factory=list)
    reexports: list[TsReexport] = field(default_factory=list)
    models: list[TsModelDef] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    # Local names bound by `import { X } from "spec"` → spec, to tell MikroORM from TypeORM.
    import_specs: dict[str, str] = field(default_factory=dict)

    @property
    def path(self) -> str:
        return self.source.path

    def facts(self) -> TsModuleFacts:
        return TsModuleFacts(
            path=self.path,
            declarations=tuple(self.declarations.items()),
            exported=tuple(self.exported),
            imports=tuple(self.imports),
            reexports=tuple(self.reexports),
            models=tuple(self.models),
            diagnostics=tuple(self.diagnostics),
        )

    def text(self, node: Node) -> str:
        return self.source.node_text(node)

    def ir(self, node: Node) -> TsExpr:
        return to_ir(self.source, node, self.path)

    def diagnose(self, code: str, message: str, node: Node, help: str = "") -> None:
        self.diagnostics.append(Diagnostic(code, message, self.source.span(node), help))

    def syntax_error(self, bad: Node) -> None:
        self.diagnostics.append(
            Diagnostic(
                "SL002",
                "tree-sitter could not parse part of this TypeScript file; constants and models in "
                "that part are not read.",
                self.source.span(bad),
                help="Fix the syntax error; the enums and models in it are not checked.",
            )
        )

    # -- statements -------------------------------------------------------------------------

    def program(self, root: Node) -> None:
        # Imports first: decorators name the ORM through the module they are imported from.
        for node in named_children(root):
            if node.type == "import_statement":
                self.import_statement(node)
        for node in named_children(root):
            self.statement(node, decorators=[])
        if not _DML_DEFINE.search(self.source.data):
            return  # walking every node is the costly part; most files define no DML model
        for call in _walk(root):
            if call.type == "call_expression" and _is_model_define(self, call):
                self.dml_model(call)

    def statement(self, node: Node, decorators: list[Node]) -> None:
        kind = node.type
        if kind == "export_statement":
            self.export_statement(node)
        elif kind in _VARIABLE_DECLARATIONS:
            self.variables(node)
        elif kind == "enum_declaration":
            self.enum(node)
        elif kind in _NAMESPACES:
            self.namespace(node)
        elif kind in _CLASS_DECLARATIONS:
            self.class_declaration(node, decorators)
        # `declare enum E {}` (ambient_declaration) states a type whose values live elsewhere, and
        # imports were read first; other statements declare nothing we evaluate.

    def import_statement(self, node: Node) -> None:
        if _has_token(node, "type"):
            return  # `import type` carries no values
        spec_node = node.child_by_field_name("source")
        clause = next((c for c in named_children(node) if c.type == "import_clause"), None)
        if spec_node is None or clause is None:
            return  # `import "./side-effect"` or `import x = require(...)`
        spec = string_value(self.source, spec_node)
        for part in named_children(clause):
            if part.type == "identifier":
                self.add_import(self.text(part), spec, "default")
            elif part.type == "namespace_import":
                name = next((c for c in named_children(part) if c.type == "identifier"), None)
                if name is not None:
                    self.add_import(self.text(name), spec, "*")
            elif part.type == "named_imports":
                for specifier in named_children(part):
                    if specifier.type != "import_specifier" or _has_token(specifier, "type"):
                        continue
                    imported = specifier.child_by_field_name("name")
                    alias = specifier.child_by_field_name("alias")
                    if imported is None:
                        continue
                    imported_name = _name_text(self.source, imported)
                    local = self.text(alias) if alias is not None else imported_name
                    self.add_import(local, spec, imported_name)

    def add_import(self, local: str, spec: str, imported: str) -> None:
        self.imports.append(TsImport(local, spec, imported))
        self.import_specs[local] = spec

    def export_statement(self, node: Node) -> None:
        if _has_token(node, "type") and node.child_by_field_name("declaration") is None:
            return  # `export type { T }` carries no values
        decorators = [c for c in named_children(node) if c.type == "decorator"]
        declaration = node.child_by_field_name("declaration")
        spec_node = node.child_by_field_name("source")
        if declaration is not None:
            default = _has_token(node, "default")  # `export default class X {}`
            for name in self.declared_names(declaration):
                self.exported.append(("default" if default else name, name))
            self.statement(declaration, decorators)
            return
        if _has_token(node, "default"):
            value = node.child_by_field_name("value")
            if value is None:
                return
            value = unwrap(value)
            if value.type == "identifier":
                self.exported.append(("default", self.text(value)))
            elif value.type in _CLASS_DECLARATIONS:
                name_node = value.child_by_field_name("name")
                if name_node is not None:
                    self.exported.append(("default", self.text(name_node)))
                self.class_declaration(value, decorators)
            else:
                # `default` is a reserved word, so it cannot clash with a local declaration.
                self.declarations["default"] = self.ir(value)
                self.exported.append(("default", "default"))
            return
        spec = string_value(self.source, spec_node) if spec_node is not None else None
        clause = next((c for c in named_children(node) if c.type == "export_clause"), None)
        namespace = next((c for c in named_children(node) if c.type == "namespace_export"), None)
        if clause is not None:
            pairs: list[tuple[str, str]] = []
            for specifier in named_children(clause):
                if specifier.type != "export_specifier" or _has_token(specifier, "type"):
                    continue
                name_node = specifier.child_by_field_name("name")
                alias = specifier.child_by_field_name("alias")
                if name_node is None:
                    continue
                local = _name_text(self.source, name_node)
                pairs.append((local, _name_text(self.source, alias) if alias is not None else local))
            if spec is None:
                self.exported.extend((exported, local) for local, exported in pairs)
            else:
                self.reexports.append(TsReexport(spec, tuple(pairs)))
        elif namespace is not None and spec is not None:
            alias = next((c for c in named_children(namespace) if c.type in ("identifier", "string")), None)
            if alias is not None:
                self.reexports.append(TsReexport(spec, (("*", _name_text(self.source, alias)),)))
        elif spec is not None:
            self.reexports.append(TsReexport(spec))

    def declared_names(self, node: Node) -> list[str]:
        if node.type in _VARIABLE_DECLARATIONS:
            names = []
            for declarator in named_children(node):
                name = declarator.child_by_field_name("name")
                if (
                    declarator.type == "variable_declarator"
                    and name is not None
                    and name.type == "identifier"
                ):
                    names.append(self.text(name))
            return names
        if node.type == "ambient_declaration":
            return []
        name = node.child_by_field_name("name")
        return (
            [self.text(name)] if name is not None and name.type in ("identifier", "type_identifier") else []
        )

    def variables(self, node: Node) -> None:
        for declarator in named_children(node):
            name = declarator.child_by_field_name("name")
            value = declarator.child_by_field_name("value")
            if declarator.type != "variable_declarator" or name is None or name.type != "identifier":
                continue  # destructuring binds values we cannot name here
            if value is not None:
                self.declarations[self.text(name)] = self.ir(value)

    def enum(self, node: Node) -> None:
        name = node.child_by_field_name("name")
        if name is not None:
            self.declarations[self.text(name)] = self.enum_decl(node)

    def enum_decl(self, node: Node) -> EnumDecl:
        members: list[tuple[str, TsExpr | None]] = []
        body = node.child_by_field_name("body")
        for member in named_children(body) if body is not None else iter(()):
            if member.type == "enum_assignment":
                key = member.child_by_field_name("name")
                value = member.child_by_field_name("value")
                if key is not None:
                    members.append(
                        (_name_text(self.source, key), self.ir(value) if value is not None else None)
                    )
            elif member.type in ("property_identifier", "string"):
                members.append((_name_text(self.source, member), None))
        return EnumDecl(tuple(members))

    def namespace(self, node: Node) -> None:
        name = node.child_by_field_name("name")
        if name is not None and name.type == "identifier":
            self.declarations[self.text(name)] = self.namespace_object(node)

    def namespace_object(self, node: Node) -> Obj:
        """A namespace as the object TypeScript compiles it to: its exported members."""
        entries: list[tuple[str, TsExpr]] = []
        body = node.child_by_field_name("body")
        for statement in named_children(body) if body is not None else iter(()):
            if statement.type != "export_statement":
                continue
            declaration = statement.child_by_field_name("declaration")
            if declaration is None:
                continue
            if declaration.type == "enum_declaration":
                member_name = declaration.child_by_field_name("name")
                if member_name is not None:
                    entries.append((self.text(member_name), self.enum_decl(declaration)))
            elif declaration.type in _VARIABLE_DECLARATIONS:
                for declarator in named_children(declaration):
                    member_name = declarator.child_by_field_name("name")
                    value = declarator.child_by_field_name("value")
                    if member_name is not None and value is not None and member_name.type == "identifier":
                        entries.append((self.text(member_name), self.ir(value)))
            elif declaration.type in _NAMESPACES:
                member_name = declaration.child_by_field_name("name")
                if member_name is not None:
                    entries.append((self.text(member_name), self.namespace_object(declaration)))
        return Obj(tuple(entries))

    # -- Medusa DML -------------------------------------------------------------------------

    def dml_model(self, call: Node) -> None:
        """``model.define("name" | {name, tableName}, { field: model.enum(...)... })``."""
        args = _arguments(call)
        if len(args) < 2:
            return
        naming, schema = unwrap(args[0]), unwrap(args[1])
        if naming.type == "object":
            options = _object_pairs(self.source, naming)
            table_node = options.get("tableName")
            if table_node is None:
                # Medusa's parseEntityName throws `Missing "tableName" property`: the app does not start.
                self.diagnose(
                    "SL004",
                    "`model.define({...})` has no `tableName`; Medusa refuses such a model, so its table "
                    "and enum columns are unknown",
                    call,
                    help='add `tableName: "..."` to the first argument of `model.define`',
                )
                return
            name_node = options.get("name", table_node)
        else:
            table_node = name_node = naming
        table_name = self.local_string(table_node)
        model_name = self.local_string(name_node)
        if table_name is None:
            self.diagnose(
                "SL004",
                f"the table name `{self.text(table_node)}` of `model.define` cannot be read statically; "
                "its enum columns are not checked",
                table_node,
            )
            return
        if schema.type != "object":
            self.diagnose(
                "SL004",
                f"the schema `{self.text(schema)}` of `model.define` is not an object literal; "
                "its enum columns are not checked",
                schema,
            )
            return
        fields = [f for f in (self.dml_field(pair) for pair in named_children(schema)) if f is not None]
        variable = _assigned_name(self.source, call)
        db_schema, table = split_table_name(camel_to_snake(table_name))
        self.models.append(
            TsModelDef(
                name=variable or model_name or table_name,
                table=table,
                span=self.source.span(call),
                orm="medusa-dml",
                fields=tuple(fields),
                schema=db_schema,
            )
        )

    def dml_field(self, pair: Node) -> TsModelField | None:
        if pair.type != "pair":
            return None
        key, value = pair.child_by_field_name("key"), pair.child_by_field_name("value")
        if key is None or value is None:
            return None
        chain = _call_chain(self.source, value)
        if chain is None or chain.root_object != "model" or chain.root_method != "enum":
            return None
        args = _arguments(chain.root_call)
        if not args:
            return None
        argument = unwrap(args[0])
        values = self.ir(argument)
        if argument.type != "array":
            # EnumProperty: an array is used as is, anything else becomes Object.values(arg).
            values = Call("Object.values", None, (values,))
        default_node: Node | None = None
        nullable = False
        for method, call in chain.calls:
            if method == "default":
                default_args = _arguments(call)
                default_node = default_args[0] if default_args else None
            elif method == "nullable":
                nullable = True
        column = _name_text(self.source, key)
        return TsModelField(
            attribute=column,
            column=column,
            span=self.source.span(pair),
            values=values,
            default=self.ir(default_node) if default_node is not None else None,
            default_span=self.source.span(default_node) if default_node is not None else None,
            nullable=nullable,
            default_source=self.text(default_node) if default_node is not None else "",
        )

    # -- decorated classes: MikroORM and TypeORM --------------------------------------------

    def class_declaration(self, node: Node, decorators: list[Node]) -> None:
        own = [c for c in named_children(node) if c.type == "decorator"]
        decorators = [*decorators, *own]
        entity = next((d for d in decorators if _decorator_name(self.source, d) == "Entity"), None)
        name_node = node.child_by_field_name("name")
        body = node.child_by_field_name("body")
        if entity is None or name_node is None or body is None:
            return
        class_name = self.text(name_node)
        members = list(_class_members(body))
        orm = self.orm_of(entity, [d for _, ds in members for d in ds])
        options = _decorator_args(entity)
        if orm == "mikro-orm":
            named = self.mikro_table(class_name, options)
            fields = [self.mikro_field(member, ds) for member, ds in members]
        else:
            named = self.typeorm_table(class_name, options)
            fields = [self.typeorm_field(named[1], member, ds) for member, ds in members] if named else []
        if named is None:
            return
        schema, table = named
        self.models.append(
            TsModelDef(
                name=class_name,
                table=table,
                span=self.source.span(name_node),
                orm=orm,
                fields=tuple(f for f in fields if f is not None),
                schema=schema,
            )
        )

    def orm_of(self, entity: Node, field_decorators: list[Node]) -> str:
        """The ORM whose ``@Entity`` this is: by the module it is imported from, else by the
        property decorators (``@Enum``/``@Property`` are MikroORM's, ``@Column`` TypeORM's)."""
        spec = self.import_specs.get(_decorator_root(self.source, entity), "")
        if "typeorm" in spec:
            return "typeorm"
        if "mikro-orm" in spec:
            return "mikro-orm"
        names = {_decorator_name(self.source, d) for d in field_decorators}
        return "typeorm" if names & _TYPEORM_COLUMNS else "mikro-orm"

    def mikro_table(self, class_name: str, args: list[Node]) -> tuple[str | None, str] | None:
        """``(schema, table)`` of a MikroORM entity; None when it has no table (or no readable name)."""
        options = (
            _object_pairs(self.source, unwrap(args[0])) if args and unwrap(args[0]).type == "object" else {}
        )
        if self.local_value(options.get("abstract")) is True:
            return None  # an abstract entity has no table of its own
        if "expression" in options or self.local_value(options.get("virtual")) is True:
            return None  # a virtual entity reads a query (`expression`); it has no table
        explicit = options.get("tableName") or options.get("collection")
        schema, table = None, camel_to_snake(class_name)  # UnderscoreNamingStrategy.classToTableName
        if explicit is not None:
            name = self.local_string(explicit)
            if name is None:
                self.diagnose(
                    "SL004", f"the table name `{self.text(explicit)}` cannot be read statically", explicit
                )
                return None
            schema, table = split_table_name(name)  # an explicit name is used as written
        return self.entity_schema(options, schema), table

    def entity_schema(self, options: dict[str, Node], default: str | None) -> str | None:
        """``@Entity({ schema })`` (MikroORM, TypeORM), over a schema written in the table name.

        MikroORM's ``schema: "*"`` makes an entity live in every schema a request picks at run
        time; it is read as the default schema.
        """
        node = options.get("schema")
        if node is None:
            return default
        schema = self.local_string(node)
        if schema is None:
            self.diagnose(
                "SL004",
                f"the schema `{self.text(node)}` cannot be read statically; the table is taken to be "
                "in the default schema `public`",
                node,
            )
            return default
        return None if schema == "*" else schema

    def mikro_field(self, member: Node, decorators: list[Node]) -> TsModelField | None:
        enum = next((d for d in decorators if _decorator_name(self.source, d) == "Enum"), None)
        name_node = member.child_by_field_name("name")
        if enum is None or name_node is None:
            return None
        attribute = _name_text(self.source, name_node)
        args = _decorator_args(enum)
        options: dict[str, Node] = {}
        items: Node | None = None
        if args and unwrap(args[0]).type == "object":
            options = _object_pairs(self.source, unwrap(args[0]))
            items = options.get("items")
        elif args:
            items = args[0]  # @Enum(() => X) is @Enum({ items: () => X })
        if self.local_value(options.get("array")) is True:
            return None  # an enum array is a text[] column; its element CHECK is not modelled
        values: TsExpr | None
        values_from = "mikro-orm"
        if items is None:
            # No items: MikroORM takes the enum from the property's type (`status: Status`).
            type_name = _annotation_identifier(self.source, member)
            values = Name(type_name, self.path) if type_name else None
        else:
            items = unwrap(items)
            body = _arrow_body(items)
            if body is not None:
                values = self.ir(body)  # a function: Utils.extractEnumValues(items())
            else:
                values, values_from = self.ir(items), "list"  # an array is used as is
        default_node = options.get("default") or member.child_by_field_name("value")
        field_name = options.get("fieldName")
        field_names = options.get("fieldNames")
        if field_name is None and field_names is not None and unwrap(field_names).type == "array":
            field_name = next(iter(named_children(unwrap(field_names))), None)
        column = self.local_string(field_name) if field_name is not None else None
        if column is None:
            renamed = self.local_string(options["name"]) if "name" in options else None
            column = camel_to_snake(renamed or attribute)  # UnderscoreNamingStrategy.propertyToColumnName
        native = options.get("nativeEnumName")
        nullable_value = self.local_value(options.get("nullable"))
        return TsModelField(
            attribute=attribute,
            column=column,
            span=self.source.span(enum),
            values=values,
            default=self.ir(default_node) if default_node is not None else None,
            default_span=self.source.span(default_node) if default_node is not None else None,
            # MikroORM's initNullability: `nullable` defaults to the property being optional (`x?:`).
            nullable=nullable_value is True if nullable_value is not None else _has_token(member, "?"),
            native_type=self.local_string(native) if native is not None else None,
            values_from=values_from,
            default_source=self.text(default_node) if default_node is not None else "",
        )

    def typeorm_table(self, class_name: str, args: list[Node]) -> tuple[str | None, str] | None:
        """``(schema, table)`` of a TypeORM entity: ``@Entity(name?, options?)`` or ``@Entity(options)``."""
        explicit: Node | None = None
        options: dict[str, Node] = {}
        objects = [unwrap(a) for a in args if unwrap(a).type == "object"]
        if objects:
            options = _object_pairs(self.source, objects[0])
        if args and unwrap(args[0]).type in ("string", "template_string", "identifier"):
            explicit = args[0]
        elif options:
            explicit = options.get("name")
        # DefaultNamingStrategy.tableName(targetName, undefined) = snakeCase(targetName).
        schema, table = None, typeorm_snake_case(class_name)
        if explicit is not None:
            name = self.local_string(explicit)
            if name is None:
                self.diagnose(
                    "SL004", f"the table name `{self.text(explicit)}` cannot be read statically", explicit
                )
                return None
            schema, table = split_table_name(name)
        return self.entity_schema(options, schema), table

    def typeorm_field(self, table: str, member: Node, decorators: list[Node]) -> TsModelField | None:
        column_decorator = next(
            (d for d in decorators if _decorator_name(self.source, d) in _TYPEORM_COLUMNS), None
        )
        name_node = member.child_by_field_name("name")
        if column_decorator is None or name_node is None:
            return None
        args = _decorator_args(column_decorator)
        type_node: Node | None = None
        options: dict[str, Node] = {}
        for arg in args:
            arg = unwrap(arg)
            if arg.type == "object":
                options = _object_pairs(self.source, arg)
            elif arg.type == "string":
                type_node = arg  # @Column("enum", { enum })
        type_node = options.get("type", type_node)
        column_type = self.local_string(type_node) if type_node is not None else None
        enum_node = options.get("enum")
        # Without `type`, TypeORM makes a column given `enum` an enum column.
        if enum_node is None or (column_type is not None and column_type not in _TYPEORM_ENUM_TYPES):
            return None
        if self.local_value(options.get("array")) is True:
            return None  # an enum array column; not modelled
        attribute = _name_text(self.source, name_node)
        name_option = options.get("name")
        column = (self.local_string(name_option) if name_option is not None else None) or attribute
        enum_arg = unwrap(enum_node)
        native_type: str | None = None
        if column_type != "simple-enum":
            enum_name = options.get("enumName")
            named = self.local_string(enum_name) if enum_name is not None else None
            # PostgresQueryRunner.buildEnumName: `${tableName}_${columnName.toLowerCase()}_enum`.
            native_type = named or f"{table}_{column.lower()}_enum"
        default_node = options.get("default")
        if default_node is not None and _arrow_body(unwrap(default_node)) is not None:
            default_node = None  # `default: () => "now()"` is raw SQL, not a value the model writes
        nullable_value = self.local_value(options.get("nullable"))
        return TsModelField(
            attribute=attribute,
            column=column,
            span=self.source.span(column_decorator),
            values=self.ir(enum_arg),
            default=self.ir(default_node) if default_node is not None else None,
            default_span=self.source.span(default_node) if default_node is not None else None,
            nullable=nullable_value is True,
            native_type=native_type,
            # simple-enum is a varchar with a CHECK (CHK_<hash>); enum is a native type, no CHECK.
            check_constraint=column_type == "simple-enum",
            values_from="list" if enum_arg.type == "array" else "typeorm",
            default_source=self.text(default_node) if default_node is not None else "",
        )

    # -- constants within this module ------------------------------------------------------

    def local_value(self, node: Node | None) -> TsValue | Unknown | None:
        """The value of ``node`` using this module's own declarations (names, table options)."""
        if node is None:
            return None

        def resolve(name: Name) -> TsExpr | TsValue | Unknown:
            found = self.declarations.get(name.name) if name.module == self.path else None
            return found if found is not None else Unknown(f"`{name.name}` is not a constant of this module")

        return evaluate(self.ir(node), resolve)

    def local_string(self, node: Node | None) -> str | None:
        value = self.local_value(node)
        return value if isinstance(value, str) else None


# -- syntax helpers ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Chain:
    """``model.enum(...).default(x).nullable()``: the root call and the calls chained on it."""

    root_object: str
    root_method: str
    root_call: Node
    calls: tuple[tuple[str, Node], ...]  # in the order they apply


def _call_chain(source: TsSource, node: Node) -> _Chain | None:
    calls: list[tuple[str, Node]] = []
    node = unwrap(node)
    while node.type == "call_expression":
        func = node.child_by_field_name("function")
        if func is None or unwrap(func).type != "member_expression":
            return None
        func = unwrap(func)
        obj, prop = func.child_by_field_name("object"), func.child_by_field_name("property")
        if obj is None or prop is None:
            return None
        obj = unwrap(obj)
        if obj.type == "identifier":
            return _Chain(source.node_text(obj), source.node_text(prop), node, tuple(reversed(calls)))
        calls.append((source.node_text(prop), node))
        node = obj
    return None


def _is_model_define(extractor: _ModuleExtractor, call: Node) -> bool:
    func = call.child_by_field_name("function")
    # The chain is often split across lines: `model\n  .define(...)`.
    return func is not None and re.sub(r"\s+", "", extractor.text(unwrap(func))) == "model.define"


def _assigned_name(source: TsSource, call: Node) -> str | None:
    """The variable a ``model.define(...)`` (possibly chained: ``.indexes([...])``) is assigned to."""
    node: Node | None = call
    while node is not None and node.parent is not None:
        parent = node.parent
        if parent.type == "variable_declarator":
            name = parent.child_by_field_name("name")
            return source.node_text(name) if name is not None and name.type == "identifier" else None
        if parent.type not in (
            "member_expression",
            "call_expression",
            "arguments",
            "parenthesized_expression",
            "as_expression",
            "satisfies_expression",
        ):
            return None
        node = parent
    return None


def _arguments(call: Node) -> list[Node]:
    args = call.child_by_field_name("arguments")
    return list(named_children(args)) if args is not None else []


def _object_pairs(source: TsSource, node: Node) -> dict[str, Node]:
    """``{ key: value }`` entries of an object literal by key (shorthand ``{ key }`` included)."""
    out: dict[str, Node] = {}
    for child in named_children(node):
        if child.type == "pair":
            key, value = child.child_by_field_name("key"), child.child_by_field_name("value")
            if key is not None and value is not None:
                out[_name_text(source, key)] = value
        elif child.type == "shorthand_property_identifier":
            out[source.node_text(child)] = child
    return out


def _name_text(source: TsSource, node: Node) -> str:
    """An identifier, property name or string-literal key as a plain name."""
    return string_value(source, node) if node.type == "string" else source.node_text(node)


def _has_token(node: Node, token: str) -> bool:
    return any(not c.is_named and c.type == token for c in node.children)


def _decorator_call(decorator: Node) -> Node | None:
    """What follows ``@``: a call (``@Enum(...)``) or a bare name (``@Enum``)."""
    return next(iter(named_children(decorator)), None)


def _decorator_name(source: TsSource, decorator: Node) -> str:
    """``@Enum(...)`` → ``Enum``; ``@orm.Enum()`` → ``Enum``."""
    inner = _decorator_call(decorator)
    if inner is None:
        return ""
    if inner.type == "call_expression":
        func = inner.child_by_field_name("function")
        inner = func if func is not None else inner
    if inner.type == "member_expression":
        prop = inner.child_by_field_name("property")
        return source.node_text(prop) if prop is not None else ""
    return source.node_text(inner) if inner.type == "identifier" else ""


def _decorator_root(source: TsSource, decorator: Node) -> str:
    """The local name a decorator comes from: ``Entity`` for ``@Entity()``, ``orm`` for ``@orm.Entity()``."""
    inner = _decorator_call(decorator)
    if inner is not None and inner.type == "call_expression":
        inner = inner.child_by_field_name("function")
    while inner is not None and inner.type == "member_expression":
        inner = inner.child_by_field_name("object")
    return source.node_text(inner) if inner is not None and inner.type == "identifier" else ""


def _decorator_args(decorator: Node) -> list[Node]:
    inner = _decorator_call(decorator)
    return _arguments(inner) if inner is not None and inner.type == "call_expression" else []


def _class_members(body: Node) -> Iterator[tuple[Node, list[Node]]]:
    """Each field of a class body with its decorators (children, or preceding siblings in some grammars)."""
    pending: list[Node] = []
    for child in named_children(body):
        if child.type == "decorator":
            pending.append(child)
            continue
        if child.type == "public_field_definition":
            own = [c for c in named_children(child) if c.type == "decorator"]
            yield child, [*pending, *own]
        pending = []


def _annotation_identifier(source: TsSource, member: Node) -> str | None:
    """``Status`` for ``status: Status`` (also ``Status | null``, ``Status[]`` is an array)."""
    annotation = next((c for c in named_children(member) if c.type == "type_annotation"), None)
    if annotation is None:
        return None
    names = [c for c in _walk(annotation) if c.type == "type_identifier"]
    return source.node_text(names[0]) if len(names) == 1 else None


def _arrow_body(node: Node) -> Node | None:
    """The expression an arrow function returns (``() => X``), None for anything else."""
    if node.type != "arrow_function":
        return None
    body = node.child_by_field_name("body")
    return body if body is not None and body.type != "statement_block" else None


def _walk(root: Node) -> Iterator[Node]:
    stack = [root]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(reversed(node.children))
