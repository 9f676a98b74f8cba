"""Helpers for reading Python source with the stdlib ``ast``: spans and static constant evaluation.

Nothing here imports or executes the analysed code. ``eval_const`` evaluates the small subset of
Python that migrations and models use to spell constants (literals, module constants, tuples and
lists, ``*spread``, string concatenation, f-strings over resolvable names, ``.upper()``/``.lower()``).
"""

from __future__ import annotations

import ast
import io
import re
import sys
import tokenize
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from schemalint.facts import PyConst, Span


@dataclass(frozen=True, slots=True)
class Unresolved:
    """A value that cannot be known statically; ``source`` is the expression as written."""

    source: str


# Python's tokenizer ends a line at \r\n, \r or \n only; str.splitlines would also split at
# \x0c, \x1c-\x1e, \x85, \u2028 and \u2029, shifting every later line against ``ast`` positions.
_PYTHON_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def python_lines(text: str) -> list[str]:
    """The lines of a Python source as ``ast`` numbers them (line N is ``lines[N - 1]``)."""
    lines = _PYTHON_LINE_BREAK.split(text)
    if lines and lines[-1] == "":
        lines.pop()  # the text ends with a line break: no further line
    return lines


class SourceText:
    """A file's text with the mapping from ``ast`` positions (UTF-8 byte columns) to characters."""

    def __init__(self, path: str, text: str) -> None:
        self.path = path
        self.text = text
        self.lines = python_lines(text)

    def char_col(self, line: int, byte_col: int) -> int:
        """0-based character column for an ``ast`` 1-based line and 0-based UTF-8 byte offset."""
        if 1 <= line <= len(self.lines):
            raw = self.lines[line - 1].encode("utf-8")
            return len(raw[:byte_col].decode("utf-8", errors="replace"))
        return byte_col

    def span(self, node: ast.AST) -> Span:
        """The span of an ``ast`` node (1-based, end exclusive, in characters)."""
        line = getattr(node, "lineno", 1)
        col = getattr(node, "col_offset", 0)
        end_line = getattr(node, "end_lineno", None) or line
        end_col = getattr(node, "end_col_offset", None)
        if end_col is None:
            end_col = col
        return Span(
            self.path,
            line,
            self.char_col(line, col) + 1,
            end_line,
            self.char_col(end_line, end_col) + 1,
        )

    def segment(self, node: ast.AST) -> str:
        return ast.get_source_segment(self.text, node) or ast.unparse(node)


def parse_python(text: str, path: str) -> ast.Module:
    """``ast.parse``, also reading PEP 695 type parameters (Python 3.12) on older interpreters.

    Older grammars reject ``def first[T](...)``, ``class Box[T]:`` and ``type Alias = ...`` in a
    file that is valid for the project's own Python. Type parameters never change a schema, so
    they are blanked out (same length, so every position still matches the file) and the file is
    parsed again; a ``SyntaxError`` left after that is the file's own and is raised.
    """
    try:
        return ast.parse(text, filename=path)
    except SyntaxError:
        if sys.version_info >= (3, 12):
            raise
        blanked = _without_type_parameters(text)
        if blanked is None:
            raise
        # Positions are unchanged, so an error left in the blanked text is the file's real one.
        return ast.parse(blanked, filename=path)


def _without_type_parameters(text: str) -> str | None:
    """``text`` with PEP 695 syntax blanked out, or None when it has none."""
    tokens: list[tokenize.TokenInfo] = []
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type != tokenize.COMMENT:
                tokens.append(token)
    except (tokenize.TokenError, SyntaxError):
        pass  # an unclosed bracket further on: the tokens before it still show the syntax
    starts = [0]
    for match in _PYTHON_LINE_BREAK.finditer(text):
        starts.append(match.end())

    def offset(position: tuple[int, int]) -> int:
        return starts[position[0] - 1] + position[1]

    chars = list(text)
    changed = False
    statement_start = True
    for index, token in enumerate(tokens):
        following = tokens[index + 1 : index + 3]
        if token.type == tokenize.NAME and len(following) == 2 and following[0].type == tokenize.NAME:
            name, bracket = following
            is_def = token.string in ("def", "class")
            is_alias = token.string == "type" and statement_start
            if is_def or is_alias:
                end = _closing_bracket(tokens, index + 2) if bracket.string == "[" else None
                if is_alias:
                    after = tokens[end + 1] if end is not None else bracket
                    if after.string != "=":
                        end = None
                    else:
                        # `type Alias[T] = v` becomes `Alias       = v`, starting where `type` did.
                        last = tokens[end] if end is not None else name
                        _blank(chars, offset(token.start), offset(last.end))
                        chars[offset(token.start) : offset(token.start) + len(name.string)] = name.string
                        changed = True
                        end = None
                if end is not None:
                    _blank(chars, offset(bracket.start), offset(tokens[end].end))
                    changed = True
        statement_start = token.type in (tokenize.NEWLINE, tokenize.NL, tokenize.INDENT, tokenize.DEDENT) or (
            token.type == tokenize.OP and token.string == ";"
        )
    return "".join(chars) if changed else None


def _closing_bracket(tokens: list[tokenize.TokenInfo], opening: int) -> int | None:
    """Index of the token closing the bracket at ``opening``, on the same line, or None."""
    depth = 0
    for index in range(opening, len(tokens)):
        token = tokens[index]
        if token.type == tokenize.OP and token.string in "([{":
            depth += 1
        elif token.type == tokenize.OP and token.string in ")]}":
            depth -= 1
            if depth == 0:
                # Blanking a bracket that spans lines would end the logical line early.
                return index if token.end[0] == tokens[opening].start[0] else None
    return None


def _blank(chars: list[str], start: int, end: int) -> None:
    for position in range(start, end):
        chars[position] = " "


def dotted_name(node: ast.AST) -> str | None:
    """``a.b.c`` for Name/Attribute chains, else None."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return None


_STR_METHODS: dict[str, Callable[[str], str]] = {
    "upper": str.upper,
    "lower": str.lower,
    "strip": str.strip,
    "title": str.title,
}


def eval_const(node: ast.AST, env: Mapping[str, PyConst] | None = None) -> PyConst | Unresolved:
    """Evaluate ``node`` to a Python constant using ``env`` for names, or return Unresolved."""
    env = env or {}
    result = _eval(node, env)
    return result


def _eval(node: ast.AST, env: Mapping[str, PyConst]) -> PyConst | Unresolved:
    # The Unresolved (and its ast.unparse) is built only when returned: most nodes resolve.
    if isinstance(node, ast.Constant):
        constant = node.value
        if constant is None or isinstance(constant, (str, int, float, bool)):
            return constant
        return _unresolved(node)
    if isinstance(node, (ast.Name, ast.Attribute)):
        name = dotted_name(node)
        if name is not None and name in env:
            return env[name]
        return _unresolved(node)
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        items: list[PyConst] = []
        for elt in node.elts:
            if isinstance(elt, ast.Starred):
                inner = _eval(elt.value, env)
                if not isinstance(inner, tuple):
                    return _unresolved(node)
                items.extend(inner)
                continue
            value = _eval(elt, env)
            if isinstance(value, Unresolved):
                return value
            items.append(value)
        return tuple(items)
    if isinstance(node, ast.JoinedStr):
        out: list[str] = []
        for part in node.values:
            if isinstance(part, ast.Constant) and isinstance(part.value, str):
                out.append(part.value)
            elif isinstance(part, ast.FormattedValue) and part.format_spec is None:
                value = _eval(part.value, env)
                if isinstance(value, (Unresolved, tuple)):
                    return Unresolved(ast.unparse(part.value))
                out.append(_format(value, part.conversion))
            else:
                return _unresolved(node)
        return "".join(out)
    if isinstance(node, ast.BinOp):
        left, right = _eval(node.left, env), _eval(node.right, env)
        if isinstance(left, Unresolved):
            return left
        if isinstance(right, Unresolved):
            return right
        if isinstance(node.op, ast.Add):
            if isinstance(left, str) and isinstance(right, str):
                return left + right
            if isinstance(left, tuple) and isinstance(right, tuple):
                return left + right
            if isinstance(left, (int, float)) and isinstance(right, (int, float)):
                return left + right
        if isinstance(node.op, ast.Mod) and isinstance(left, str):
            try:
                return left % right
            except (TypeError, ValueError):
                return _unresolved(node)
        return _unresolved(node)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        operand = _eval(node.operand, env)
        if isinstance(operand, (int, float)) and not isinstance(operand, bool):
            return -operand
        return _unresolved(node)
    if isinstance(node, ast.Call):
        return _eval_call(node, env)
    if isinstance(node, (ast.GeneratorExp, ast.ListComp, ast.SetComp)):
        return _eval_comprehension(node, env)
    return _unresolved(node)


def _eval_comprehension(
    node: ast.GeneratorExp | ast.ListComp | ast.SetComp, env: Mapping[str, PyConst]
) -> PyConst | Unresolved:
    """``(f(x) for x in CONSTANTS)`` with one ``for`` over a constant sequence and no ``if``.

    Migrations build CHECK conditions this way (``", ".join(repr(s) for s in STATUSES)``).
    """
    if len(node.generators) != 1:
        return _unresolved(node)
    generator = node.generators[0]
    if generator.ifs or generator.is_async or not isinstance(generator.target, ast.Name):
        return _unresolved(node)
    items = _eval(generator.iter, env)
    if not isinstance(items, tuple):
        return _unresolved(node)
    out: list[PyConst] = []
    scope = dict(env)
    for item in items:
        scope[generator.target.id] = item
        value = _eval(node.elt, scope)
        if isinstance(value, Unresolved):
            return value
        out.append(value)
    return tuple(out)


def _eval_call(node: ast.Call, env: Mapping[str, PyConst]) -> PyConst | Unresolved:
    func = node.func
    if isinstance(func, ast.Attribute) and not node.keywords:
        target = _eval(func.value, env)
        if isinstance(target, str):
            if func.attr in _STR_METHODS and not node.args:
                return _STR_METHODS[func.attr](target)
            if func.attr == "join" and len(node.args) == 1:
                items = _eval(node.args[0], env)
                if isinstance(items, tuple) and all(isinstance(i, str) for i in items):
                    return target.join(i for i in items if isinstance(i, str))
            if func.attr == "format":
                args = [_eval(a, env) for a in node.args]
                if all(not isinstance(a, (Unresolved, tuple)) for a in args):
                    try:
                        return target.format(*args)
                    except (IndexError, KeyError, ValueError):
                        return _unresolved(node)
        return _unresolved(node)
    if isinstance(func, ast.Name) and func.id in ("tuple", "list") and len(node.args) == 1:
        value = _eval(node.args[0], env)
        return value if isinstance(value, tuple) else _unresolved(node)
    if (
        isinstance(func, ast.Name)
        and func.id in ("str", "repr")
        and len(node.args) == 1
        and not node.keywords
    ):
        value = _eval(node.args[0], env)
        if isinstance(value, (str, int, float, bool)):
            return str(value) if func.id == "str" else repr(value)
        return _unresolved(node)
    return _unresolved(node)


def _unresolved(node: ast.AST) -> Unresolved:
    return Unresolved(ast.unparse(node))


def _format(value: PyConst, conversion: int) -> str:
    if conversion == ord("r"):
        return repr(value)
    return str(value)


def module_constants(tree: ast.Module) -> dict[str, PyConst]:
    """Module-level ``NAME = <constant>`` assignments, evaluated in order (later ones see earlier)."""
    env: dict[str, PyConst] = {}
    for stmt in tree.body:
        targets: list[ast.expr] = []
        value: ast.expr | None = None
        if isinstance(stmt, ast.Assign):
            targets, value = stmt.targets, stmt.value
        elif isinstance(stmt, ast.AnnAssign) and stmt.value is not None:
            targets, value = [stmt.target], stmt.value
        if value is None:
            continue
        result = _eval(value, env)
        if isinstance(result, Unresolved):
            continue
        for target in targets:
            if isinstance(target, ast.Name):
                env[target.id] = result
    return env
