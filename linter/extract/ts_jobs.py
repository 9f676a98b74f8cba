"""Medusa scheduled jobs: what a file under ``src/jobs/`` exports, read with tree-sitter.

Medusa's job loader imports every such file and validates ``module.config`` (``name`` and
``schedule`` must be truthy) before it registers ``module.default`` as the handler. This
extractor records what the loader will find: the default export's kind, the keys of ``config``,
and the markers that make the loader skip the file. Nothing is evaluated beyond literals; a
``config`` built at run time is reported as SL004 and left unchecked.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from schemalint.extract.tsparse import (
    TsSource,
    named_children,
    parse_typescript,
    string_value,
    unwrap,
    value_syntax_errors,
)
from schemalint.facts import Diagnostic, Span
from schemalint.tsfacts import JobFacts, TsImport, TsModuleFacts

if TYPE_CHECKING:
    from tree_sitter import Node

SKIP_SYMBOL = "__MEDUSA_SKIP_FILE__"
SKIP_SYMBOL_EXPORT = "MEDUSA_SKIP_FILE"  # `MEDUSA_SKIP_FILE` from @medusajs/framework/utils

# Node kinds that are a function value (tree-sitter-typescript 0.23 names).
_FUNCTION_VALUES = frozenset({"function_expression", "function", "arrow_function", "generator_function"})
_FUNCTION_DECLARATIONS = frozenset({"function_declaration", "generator_function_declaration"})
_NOT_FUNCTIONS = frozenset(
    {"class", "class_declaration", "abstract_class_declaration", "object", "array", "string"}
    | {"template_string", "number", "true", "false", "null", "undefined", "regex"}
)
# Values the loader's `if (!config.schedule)` treats as absent.
_FALSY_LITERALS = frozenset({"null", "undefined", "false"})
_MAX_DEPTH = 16


@dataclass
class _Module:
    """Top-level bindings of one file, collected before exports are interpreted."""

    source: TsSource
    values: dict[str, Node] = field(default_factory=dict)  # const/let/var name → initializer
    declarators: dict[str, Node] = field(default_factory=dict)  # name → variable_declarator
    functions: dict[str, str] = field(default_factory=dict)  # declared function/class → kind
    imports: list[TsImport] = field(default_factory=list)

    def text(self, node: Node) -> str:
        return self.source.node_text(node)


@dataclass
class _Config:
    keys: list[str] = field(default_factory=list)
    resolved: bool = True
    reason: str = ""


def extract_ts_job(text: str, path: str) -> TsModuleFacts:
    """What the Medusa job loader will find when it imports the file at ``path``."""
    source = TsSource(path, text)
    tree = parse_typescript(source.data, tsx=path.endswith((".tsx", ".jsx")))
    program = tree.root_node
    module = _Module(source)
    statements = list(named_children(program))
    for statement in statements:
        _collect_bindings(module, statement)

    diagnostics: list[Diagnostic] = []
    exported: list[tuple[str, str]] = []
    default_kind: str | None = None
    default_span: Span | None = None
    config_node: Node | None = None  # the value of `config`
    config_span: Span | None = None
    config = _Config()
    config_elsewhere = ""  # why `config` may come from another module
    skip: str | None = None

    for statement in statements:
        if statement.type == "export_statement":
            default_value = _export_default_value(statement)
            if default_value is not None:
                exported.append(("default", _local_name(module, default_value)))
                default_kind = _function_kind(module, default_value)
                default_span = source.span(statement)
            for name, local, from_module in _exported_names(module, statement):
                exported.append((name, local))
                if name == "default" and default_value is None:
                    default_span = source.span(statement)
                    default_kind = "unknown" if from_module else _binding_kind(module, local)
                if name != "config":
                    continue
                if from_module:
                    config_elsewhere = f"`config` is re-exported from `{from_module}`"
                elif local in module.values:
                    config_node = module.values[local]
                    config_span = source.span(module.declarators[local])
                else:
                    config_elsewhere = f"`config` is bound to `{local}`, which is not a local constant"
            if _is_star_reexport(statement):
                specifier = _source_specifier(module, statement)
                config_elsewhere = config_elsewhere or f"`export *` from `{specifier}` may provide `config`"
            if _is_export_assignment(statement):
                config_elsewhere = config_elsewhere or "`export =` replaces the module's exports"
        elif statement.type == "expression_statement":
            for expr in named_children(statement):
                marker = _skip_marker(module, expr)
                if marker is not None:
                    skip = _stronger_skip(skip, marker)
                common = _commonjs_export(module, expr)
                if common is None:
                    continue
                name, value, node = common
                if name == "config":
                    config_node, config_span = value, source.span(node)
                elif name == "default":
                    default_kind, default_span = _function_kind(module, value), source.span(node)
                elif name == "*":
                    config_elsewhere = config_elsewhere or "`module.exports` is assigned as a whole"

    if config_node is not None:
        config = _read_config(module, config_node, 0)
    elif config_elsewhere:
        config = _Config(resolved=False, reason=config_elsewhere)

    errors = value_syntax_errors(program) if program.has_error else []
    if errors:
        diagnostics.append(
            Diagnostic(
                "SL002",
                "this file does not parse as TypeScript; its exports were read from what did parse",
                source.span(errors[0]),
            )
        )
        if config_node is None:  # the declaration may sit inside the part that did not parse
            config = _Config(resolved=False, reason="the file does not parse")
    if not config.resolved and config.reason != "the file does not parse":
        diagnostics.append(
            Diagnostic(
                "SL004",
                f"the scheduled job's `config` cannot be read statically ({config.reason}), "
                "so whether it has `name` and `schedule` was not checked",
                config_span or Span.file(path),
                help="declare `export const config = { name: ..., schedule: ... }` in the job file",
            )
        )

    job = JobFacts(
        default_export=default_kind,
        config_keys=tuple(config.keys) if config_node is not None else None,
        config_span=config_span,
        config_resolved=config.resolved,
        default_span=default_span,
        skip=skip,
    )
    return TsModuleFacts(
        path=path,
        exported=tuple(exported),
        imports=tuple(module.imports),
        job=job,
        diagnostics=tuple(diagnostics),
    )


# ---------------------------------------------------------------------------------------------
# Bindings
# ---------------------------------------------------------------------------------------------


def _collect_bindings(module: _Module, statement: Node) -> None:
    node = statement
    if statement.type == "export_statement":
        declaration = statement.child_by_field_name("declaration")
        if declaration is None:
            return
        node = declaration
    if node.type in ("lexical_declaration", "variable_declaration"):
        for declarator in named_children(node):
            name = declarator.child_by_field_name("name")
            value = declarator.child_by_field_name("value")
            if declarator.type == "variable_declarator" and name is not None and name.type == "identifier":
                module.declarators[module.text(name)] = declarator
                if value is not None:
                    module.values[module.text(name)] = value
    elif node.type in _FUNCTION_DECLARATIONS or node.type in (
        "class_declaration",
        "abstract_class_declaration",
    ):
        name = node.child_by_field_name("name")
        if name is not None:
            module.functions[module.text(name)] = (
                "function" if node.type in _FUNCTION_DECLARATIONS else "other"
            )
    elif node.type == "import_statement":
        module.imports.extend(_imports(module, node))


def _imports(module: _Module, statement: Node) -> Iterator[TsImport]:
    source_node = statement.child_by_field_name("source")
    if source_node is None:
        return
    specifier = string_value(module.source, source_node)
    for clause in named_children(statement):
        if clause.type != "import_clause":
            continue
        for part in named_children(clause):
            if part.type == "identifier":
                yield TsImport(module.text(part), specifier, "default")
            elif part.type == "namespace_import":
                for ident in named_children(part):
                    yield TsImport(module.text(ident), specifier, "*")
            elif part.type == "named_imports":
                for spec in named_children(part):
                    name = spec.child_by_field_name("name")
                    alias = spec.child_by_field_name("alias")
                    if name is not None:
                        local = alias if alias is not None else name
                        yield TsImport(module.text(local), specifier, module.text(name))


def _imported(module: _Module, local: str) -> TsImport | None:
    for imp in module.imports:
        if imp.local == local:
            return imp
    return None


# ---------------------------------------------------------------------------------------------
# Exports
# ---------------------------------------------------------------------------------------------


def _export_default_value(statement: Node) -> Node | None:
    """The value of ``export default <x>``, or None when the statement is not a default export."""
    if not any(child.type == "default" for child in statement.children):
        return None
    return statement.child_by_field_name("declaration") or statement.child_by_field_name("value")


def _exported_names(module: _Module, statement: Node) -> Iterator[tuple[str, str, str]]:
    """(exported name, local name, module it comes from or "") for every name the statement exports."""
    declaration = statement.child_by_field_name("declaration")
    if declaration is not None and not any(c.type == "default" for c in statement.children):
        if declaration.type in ("lexical_declaration", "variable_declaration"):
            for declarator in named_children(declaration):
                name = declarator.child_by_field_name("name")
                if name is not None and name.type == "identifier":
                    yield module.text(name), module.text(name), ""
        else:
            name = declaration.child_by_field_name("name")
            if name is not None:
                yield module.text(name), module.text(name), ""
        return
    from_module = _source_specifier(module, statement)
    for clause in named_children(statement):
        if clause.type != "export_clause":
            continue
        for spec in named_children(clause):
            name = spec.child_by_field_name("name")
            alias = spec.child_by_field_name("alias")
            if name is not None:
                exported = module.text(alias if alias is not None else name)
                yield _unquote(exported), _unquote(module.text(name)), from_module


def _source_specifier(module: _Module, statement: Node) -> str:
    source = statement.child_by_field_name("source")
    return string_value(module.source, source) if source is not None else ""


def _is_star_reexport(statement: Node) -> bool:
    return (
        any(c.type == "*" for c in statement.children) and statement.child_by_field_name("source") is not None
    )


def _is_export_assignment(statement: Node) -> bool:
    return any(c.type == "=" for c in statement.children)


def _unquote(name: str) -> str:
    return name[1:-1] if name[:1] in "'\"" and name[-1:] == name[:1] else name


def _local_name(module: _Module, value: Node) -> str:
    value = unwrap(value)
    if value.type == "identifier":
        return module.text(value)
    name = value.child_by_field_name("name")
    return module.text(name) if name is not None else "default"


# ---------------------------------------------------------------------------------------------
# Is the default export a function?
# ---------------------------------------------------------------------------------------------


def _function_kind(module: _Module, value: Node, depth: int = 0) -> str:
    """ "function", "other", or "unknown" (imported, the result of a call) for a value node."""
    value = unwrap(value)
    if value.type in _FUNCTION_VALUES or value.type in _FUNCTION_DECLARATIONS:
        return "function"
    if value.type in _NOT_FUNCTIONS:
        return "other"
    if value.type == "identifier" and depth < _MAX_DEPTH:
        return _binding_kind(module, module.text(value), depth + 1)
    return "unknown"


def _binding_kind(module: _Module, name: str, depth: int = 0) -> str:
    if name in module.functions:
        return module.functions[name]
    if name in module.values:
        return _function_kind(module, module.values[name], depth)
    return "unknown"


# ---------------------------------------------------------------------------------------------
# The config object
# ---------------------------------------------------------------------------------------------


def _read_config(module: _Module, value: Node, depth: int) -> _Config:
    """The keys of the config object whose value is not a falsy literal."""
    value = unwrap(value)
    if depth > _MAX_DEPTH:
        return _Config(resolved=False, reason="`config` refers to itself")
    if value.type == "identifier":
        name = module.text(value)
        if name in module.values:
            return _read_config(module, module.values[name], depth + 1)
        imported = _imported(module, name)
        where = f"imported from `{imported.specifier}`" if imported else "not a local constant"
        return _Config(resolved=False, reason=f"`{name}` is {where}")
    if value.type != "object":
        return _Config(
            resolved=False, reason=f"`config` is `{_short(module.text(value))}`, not an object literal"
        )
    config = _Config()
    for entry in named_children(value):
        if entry.type == "pair":
            key = entry.child_by_field_name("key")
            item = entry.child_by_field_name("value")
            if key is None or key.type == "computed_property_name":
                config.resolved, config.reason = False, f"`{_short(module.text(entry))}` has a computed key"
                continue
            if item is not None and _is_falsy_literal(module, unwrap(item)):
                continue  # the loader's `!config.name` rejects it: the key counts as absent
            config.keys.append(string_value(module.source, key) if key.type == "string" else module.text(key))
        elif entry.type == "shorthand_property_identifier":
            config.keys.append(module.text(entry))
        elif entry.type == "method_definition":
            method = entry.child_by_field_name("name")
            if method is not None:
                config.keys.append(module.text(method))
        elif entry.type == "spread_element":
            inner = next(named_children(entry), None)
            spread = _read_config(module, inner, depth + 1) if inner is not None else _Config(resolved=False)
            config.keys.extend(spread.keys)
            if not spread.resolved:
                config.resolved, config.reason = False, spread.reason
    return config


def _is_falsy_literal(module: _Module, node: Node) -> bool:
    if node.type in _FALSY_LITERALS:
        return True
    if node.type == "identifier" and module.text(node) == "undefined":
        return True
    if node.type in ("string", "template_string"):
        return not any(c.type != "comment" for c in node.named_children)
    return node.type == "number" and module.text(node) in ("0", "0.0")


def _short(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= 40 else flat[:37] + "..."


# ---------------------------------------------------------------------------------------------
# CommonJS exports and the loader's skip markers
# ---------------------------------------------------------------------------------------------


def _exports_object(module: _Module, node: Node) -> bool:
    """``exports`` or ``module.exports``."""
    text = module.text(unwrap(node))
    return text in ("exports", "module.exports")


def _commonjs_export(module: _Module, expr: Node) -> tuple[str, Node, Node] | None:
    """(name, value, statement) for ``exports.name = value``; name "*" for ``module.exports = x``."""
    if expr.type != "assignment_expression":
        return None
    left, right = expr.child_by_field_name("left"), expr.child_by_field_name("right")
    if left is None or right is None:
        return None
    if module.text(left) == "module.exports":
        if _function_kind(module, right) == "function":
            return "default", right, expr  # `resolveExports` keeps the function itself
        return "*", right, expr
    if left.type == "member_expression":
        obj, prop = left.child_by_field_name("object"), left.child_by_field_name("property")
        if obj is not None and prop is not None and _exports_object(module, obj):
            return module.text(prop), right, expr
    return None


def _is_skip_symbol(module: _Module, node: Node, depth: int = 0) -> bool:
    node = unwrap(node)
    if node.type == "call_expression":
        func, args = node.child_by_field_name("function"), node.child_by_field_name("arguments")
        if func is None or args is None or module.text(func) != "Symbol.for":
            return False
        first = next(named_children(args), None)
        return (
            first is not None and first.type == "string" and string_value(module.source, first) == SKIP_SYMBOL
        )
    if node.type == "identifier":
        name = module.text(node)
        imported = _imported(module, name)
        if imported is not None:
            return imported.imported == SKIP_SYMBOL_EXPORT
        if name in module.values and depth < _MAX_DEPTH:
            return _is_skip_symbol(module, module.values[name], depth + 1)
        return name == SKIP_SYMBOL_EXPORT
    if node.type == "member_expression":  # utils.MEDUSA_SKIP_FILE
        prop = node.child_by_field_name("property")
        return prop is not None and module.text(prop) == SKIP_SYMBOL_EXPORT
    return False


def _truth(node: Node | None) -> str | None:
    """ "always" for literal ``true``, None for literal ``false``, else "conditional"."""
    if node is None:
        return None
    node = unwrap(node)
    if node.type == "true":
        return "always"
    if node.type in ("false", "null", "undefined"):
        return None
    return "conditional"


def _skip_marker(module: _Module, expr: Node) -> str | None:
    """How a top-level expression makes the loader skip the file, if it does.

    Recognised: ``defineFileConfig({ isDisabled: () => x })``,
    ``Object.defineProperty(exports, MEDUSA_SKIP_FILE, { value: x })`` and
    ``exports[MEDUSA_SKIP_FILE] = x``; ``dynamicImport`` and ``isFileSkipped`` in
    @medusajs/utils read both.
    """
    if expr.type == "assignment_expression":
        left = expr.child_by_field_name("left")
        if left is not None and left.type == "subscript_expression":
            obj, index = left.child_by_field_name("object"), left.child_by_field_name("index")
            if (
                obj is not None
                and index is not None
                and _exports_object(module, obj)
                and _is_skip_symbol(module, index)
            ):
                return _truth(expr.child_by_field_name("right"))
        return None
    if expr.type != "call_expression":
        return None
    func, args_node = expr.child_by_field_name("function"), expr.child_by_field_name("arguments")
    if func is None or args_node is None:
        return None
    args = list(named_children(args_node))
    name = module.text(func)
    if name == "defineFileConfig" or name.endswith(".defineFileConfig"):
        options = unwrap(args[0]) if args else None
        if options is None or options.type != "object":
            return "conditional" if options is not None else None
        disabled = _object_value(module, options, "isDisabled")
        return _truth(_returned(disabled)) if disabled is not None else None
    if (
        name == "Object.defineProperty"
        and len(args) == 3
        and _exports_object(module, args[0])
        and _is_skip_symbol(module, args[1])
    ):
        descriptor = unwrap(args[2])
        if descriptor.type != "object":
            return "conditional"
        return _truth(_object_value(module, descriptor, "value"))
    return None


def _object_value(module: _Module, obj: Node, key: str) -> Node | None:
    for entry in named_children(obj):
        if entry.type == "pair":
            k = entry.child_by_field_name("key")
            if k is not None and module.text(k).strip("'\"") == key:
                return entry.child_by_field_name("value")
        elif entry.type == "method_definition":
            k = entry.child_by_field_name("name")
            if k is not None and module.text(k) == key:
                return entry
    return None


def _returned(func: Node) -> Node | None:
    """What a function returns when it is ``() => x`` or ``() => { return x }``; else the node."""
    func = unwrap(func)
    if func.type not in _FUNCTION_VALUES and func.type != "method_definition":
        return func  # `isDisabled: flag`: not a function, the loader would fail on calling it
    body = func.child_by_field_name("body")
    if body is None:
        return None
    if body.type != "statement_block":
        return body
    statements = list(named_children(body))
    if len(statements) == 1 and statements[0].type == "return_statement":
        return next(named_children(statements[0]), None)
    return func  # anything else is decided at run time


def _stronger_skip(current: str | None, new: str) -> str:
    return "always" if "always" in (current, new) else new
