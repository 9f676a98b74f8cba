"""TypeScript with tree-sitter: parsing, spans in characters, and reduction of expressions to the IR.

tree-sitter and its TypeScript grammar are imported only when a TypeScript file is read. Nothing
here runs the analysed code: expressions become ``schemalint.tsir`` values, evaluated later with
JavaScript's semantics.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from typing import TYPE_CHECKING

from schemalint.facts import Span
from schemalint.tsir import (
    Arr,
    Call,
    Concat,
    Lit,
    Member,
    Name,
    Obj,
    Opaque,
    Spread,
    TsExpr,
)

if TYPE_CHECKING:
    from tree_sitter import Node, Parser, Tree


@cache
def _parser(tsx: bool) -> Parser:
    import tree_sitter
    import tree_sitter_typescript

    language = tree_sitter_typescript.language_tsx() if tsx else tree_sitter_typescript.language_typescript()
    return tree_sitter.Parser(tree_sitter.Language(language))


def parse_typescript(source: bytes, tsx: bool = False) -> Tree:
    """A tree-sitter tree for TypeScript (or TSX) source."""
    return _parser(tsx).parse(source)


class TsSource:
    """A TypeScript file's text, with spans in characters (tree-sitter positions are in bytes)."""

    def __init__(self, path: str, text: str) -> None:
        self.path = path
        self.text = text
        self.data = text.encode("utf-8")
        self._lines = self.data.split(b"\n")

    def _char_col(self, row: int, byte_col: int) -> int:
        if 0 <= row < len(self._lines):
            return len(self._lines[row][:byte_col].decode("utf-8", errors="replace"))
        return byte_col

    def span(self, node: Node) -> Span:
        (sr, sc), (er, ec) = node.start_point, node.end_point
        return Span(self.path, sr + 1, self._char_col(sr, sc) + 1, er + 1, self._char_col(er, ec) + 1)

    def position(self, node: Node) -> tuple[int, int]:
        """1-based (line, column) of the node's first character."""
        row, col = node.start_point
        return row + 1, self._char_col(row, col) + 1

    def node_text(self, node: Node) -> str:
        return self.data[node.start_byte : node.end_byte].decode("utf-8", errors="replace")


# Declarations that state types only: no value schemalint reads lives in them.
_TYPE_ONLY_DECLARATIONS = frozenset({"type_alias_declaration", "interface_declaration"})
# Statements that bind values: a type declaration holding one has swallowed following code.
_VALUE_STATEMENTS = frozenset(
    {
        "lexical_declaration",
        "variable_declaration",
        "enum_declaration",
        "class_declaration",
        "abstract_class_declaration",
        "function_declaration",
        "export_statement",
        "expression_statement",
        "import_statement",
    }
)


def value_syntax_errors(root: Node) -> list[Node]:
    """ERROR and MISSING nodes that may hide values, outermost first.

    Errors inside JSX markup are left out (see ``_inside_jsx``). An error confined to a type alias
    or an interface is left out too: the grammar trips over some valid type syntax (``(string) => void``, call signatures on consecutive lines in an object
    type), and nothing schemalint reads lives in a type. The declaration must have parsed as a
    whole, with no statement swallowed into it.
    """
    found: list[Node] = []
    stack = [root]
    while stack:
        node = stack.pop()
        if node.type == "ERROR" or node.is_missing:
            if not _confined_to_a_type(node) and not _inside_jsx(node):
                found.append(node)
            continue
        stack.extend(reversed([c for c in node.children if c.has_error or c.is_missing]))
    return found


def _inside_jsx(error: Node) -> bool:
    """Errors inside JSX markup: the TSX grammar trips over a bare ``&`` in JSX text and in
    attribute strings (``Save & Exit``, ``href="...?a=1&b=2"``), which React accepts; no enum or
    model that schemalint reads is declared inside markup."""
    owner = error.parent
    while owner is not None:
        if owner.type.startswith("jsx_"):
            return True
        owner = owner.parent
    return False


def _confined_to_a_type(error: Node) -> bool:
    owner = error.parent
    while owner is not None and owner.type not in _TYPE_ONLY_DECLARATIONS:
        owner = owner.parent
    if owner is None:
        return False
    stack = [owner]
    while stack:
        node = stack.pop()
        if node.type in _VALUE_STATEMENTS:
            return False
        stack.extend(node.children)
    return True


def named_children(node: Node) -> Iterator[Node]:
    for child in node.named_children:
        if child.type != "comment":
            yield child


def unwrap(node: Node) -> Node:
    """Strip what does not change a value: parentheses, ``as``/``satisfies``, ``!``, ``<T>x``."""
    while node.type in (
        "parenthesized_expression",
        "as_expression",
        "satisfies_expression",
        "non_null_expression",
        "type_assertion",
    ):
        inner = [c for c in named_children(node)]
        if not inner:
            break
        node = inner[0] if node.type != "type_assertion" else inner[-1]
    return node


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "0": "\0"}


def string_value(source: TsSource, node: Node) -> str:
    """The value of a string literal node, escapes decoded."""
    out: list[str] = []
    for child in node.named_children:
        text = source.node_text(child)
        out.append(decode_escape(text) if child.type == "escape_sequence" else text)
    return "".join(out)


def decode_escape(text: str) -> str:
    body = text[1:]
    if body[:1] in _ESCAPES:
        return _ESCAPES[body[0]]
    if body.startswith("u{"):
        return chr(int(body[2:-1], 16))
    if body[:1] in ("u", "x"):
        return chr(int(body[1:], 16))
    if body.startswith("\n") or body.startswith("\r"):
        return ""  # a line continuation
    return body


def to_ir(source: TsSource, node: Node, module: str, scope: frozenset[str] = frozenset()) -> TsExpr:
    """Reduce an expression node to the IR. ``scope`` holds arrow-function parameters."""
    node = unwrap(node)
    kind = node.type
    if kind == "string":
        return Lit(string_value(source, node))
    if kind == "template_string":
        parts: list[TsExpr] = []
        for child in node.named_children:
            if child.type == "template_substitution":
                inner = list(named_children(child))
                parts.append(to_ir(source, inner[0], module, scope) if inner else Lit(""))
            elif child.type == "escape_sequence":
                parts.append(Lit(decode_escape(source.node_text(child))))
            else:
                parts.append(Lit(source.node_text(child)))
        return Concat(tuple(parts))
    if kind == "number":
        text = source.node_text(node).replace("_", "")
        try:
            value = int(text, 0) if re.fullmatch(r"0[xXoObB][0-9a-fA-F]+|\d+", text) else float(text)
        except ValueError:
            return Opaque(text)
        return Lit(value)
    if kind in ("true", "false"):
        return Lit(kind == "true")
    if kind in ("null", "undefined"):
        return Lit(None)
    if kind in ("identifier", "shorthand_property_identifier"):
        # `{ tableName }` names the variable `tableName`: option lookups hand over the key node.
        name = source.node_text(node)
        return Name(name, module if name not in scope else "")
    if kind == "member_expression":
        obj = node.child_by_field_name("object")
        prop = node.child_by_field_name("property")
        if obj is not None and prop is not None:
            return Member(to_ir(source, obj, module, scope), source.node_text(prop))
    if kind == "subscript_expression":
        obj = node.child_by_field_name("object")
        index = node.child_by_field_name("index")
        if obj is not None and index is not None and unwrap(index).type == "string":
            return Member(to_ir(source, obj, module, scope), string_value(source, unwrap(index)))
    if kind == "array":
        items: list[TsExpr | Spread] = []
        for child in named_children(node):
            if child.type == "spread_element":
                inner = list(named_children(child))
                items.append(Spread(to_ir(source, inner[0], module, scope)))
            else:
                items.append(to_ir(source, child, module, scope))
        return Arr(tuple(items))
    if kind == "object":
        entries: list[tuple[str, TsExpr] | Spread] = []
        for child in named_children(node):
            if child.type == "pair":
                key = child.child_by_field_name("key")
                value_node = child.child_by_field_name("value")
                if key is None or value_node is None:
                    return Opaque(source.node_text(node))
                key_text = string_value(source, key) if key.type == "string" else source.node_text(key)
                entries.append((key_text, to_ir(source, value_node, module, scope)))
            elif child.type == "shorthand_property_identifier":
                name = source.node_text(child)
                entries.append((name, Name(name, module)))
            elif child.type == "spread_element":
                inner = list(named_children(child))
                entries.append(Spread(to_ir(source, inner[0], module, scope)))
            else:
                return Opaque(source.node_text(node))
        return Obj(tuple(entries))
    if kind == "binary_expression":
        operator = node.child_by_field_name("operator")
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        if operator is not None and source.node_text(operator) == "+" and left and right:
            return Concat((to_ir(source, left, module, scope), to_ir(source, right, module, scope)))
    if kind == "call_expression":
        return _call_ir(source, node, module, scope)
    return Opaque(source.node_text(node))


_STRING_METHODS = ("toLowerCase", "toUpperCase", "trim")


def _call_ir(source: TsSource, node: Node, module: str, scope: frozenset[str]) -> TsExpr:
    func = node.child_by_field_name("function")
    args_node = node.child_by_field_name("arguments")
    args = list(named_children(args_node)) if args_node is not None else []
    if func is None:
        return Opaque(source.node_text(node))
    func = unwrap(func)
    text = source.node_text(func)
    if text in ("Object.values", "Object.keys") and len(args) == 1:
        return Call(text, None, (to_ir(source, args[0], module, scope),))
    if text == "Object.freeze" and len(args) == 1:
        return to_ir(source, args[0], module, scope)  # freezing does not change the value
    if func.type == "member_expression":
        target_node = func.child_by_field_name("object")
        prop_node = func.child_by_field_name("property")
        if target_node is None or prop_node is None:
            return Opaque(source.node_text(node))
        method = source.node_text(prop_node)
        target = to_ir(source, target_node, module, scope)
        if method == "map" and len(args) == 1 and unwrap(args[0]).type == "arrow_function":
            arrow = unwrap(args[0])
            params = arrow.child_by_field_name("parameters") or arrow.child_by_field_name("parameter")
            body = arrow.child_by_field_name("body")
            names = re.findall(r"[A-Za-z_$][\w$]*", source.node_text(params)) if params is not None else []
            if len(names) >= 1 and body is not None and body.type != "statement_block":
                param = names[0]
                return Call("map", target, (), param=param, body=to_ir(source, body, module, scope | {param}))
        if method in ("join", "concat", *_STRING_METHODS):
            return Call(method, target, tuple(to_ir(source, a, module, scope) for a in args))
    return Opaque(source.node_text(node))
