"""Helpers for reading Python source with the stdlib ``ast``: spans and static constant evaluation.

Nothing here imports or executes the analysed code. ``eval_const`` evaluates the small subset of
Python that migrations and models use to spell constants (literals, module constants, tuples and
lists, ``*spread``, string concatenation, f-strings over resolvable names, ``.upper()``/``.lower()``).
``reduce_function`` turns a small helper (a computed ``__tablename__``) into a PureExpr tree that
the model graph interprets once every module is known.
"""

from __future__ import annotations

import ast
import io
import re
import sys
import tokenize
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from schemalint.facts import Diagnostic, PureExpr, PureFunction, PyConst, Ref, Span


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


# --------------------------------------------------------------------------------------------
# Pure expressions: small functions (a computed ``__tablename__`` and the helpers it calls)
# reduced to ``PureExpr`` trees that the model graph interprets. Reduction only checks the
# shape; names defined elsewhere stay references, resolved where every module is known.
# --------------------------------------------------------------------------------------------

# ``re`` functions and flags a pure expression may use, by their absolute dotted name.
PURE_RE_FUNCTIONS = frozenset({"re.sub", "re.split", "re.findall", "re.compile", "re.escape"})
_RE_FLAGS: dict[str, int] = {
    f"re.{name}": int(getattr(re, name))
    for name in ("I", "IGNORECASE", "M", "MULTILINE", "S", "DOTALL", "X", "VERBOSE", "A", "ASCII")
}
PURE_BUILTINS = frozenset({"str", "len", "list", "tuple", "bool"})
_PURE_BINOPS: dict[type[ast.operator], str] = {ast.Add: "+"}
_PURE_COMPARE: dict[type[ast.cmpop], str] = {
    ast.Eq: "==",
    ast.NotEq: "!=",
    ast.In: "in",
    ast.NotIn: "not in",
    ast.Is: "is",
    ast.IsNot: "is not",
}


class NotPure(Exception):
    """The code is outside the subset a PureExpr can express; the message says what."""


Resolver = Callable[[str], tuple[str, bool]]


def reduce_function(
    func: ast.FunctionDef, module: str, env: Mapping[str, PyConst], resolve: Resolver
) -> PureFunction:
    """``func`` as a PureFunction: docstring, ``name = expr`` assignments, one final ``return``.

    ``env`` holds the module's constants; ``resolve`` maps a name to its import target (and
    whether it was imported). Raises NotPure naming the first construct outside the subset.
    """
    args = func.args
    if args.vararg or args.kwarg or args.kwonlyargs or args.defaults or args.posonlyargs:
        raise NotPure(f"`{func.name}` takes optional or variadic arguments")
    if func.decorator_list and func.name != "__tablename__":
        raise NotPure(f"`{func.name}` is decorated")
    params = tuple(a.arg for a in args.args)
    reducer = _Reducer(module, env, resolve, set(params))
    body = list(func.body)
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]  # docstring
    assigns: list[tuple[str, PureExpr]] = []
    for stmt in body[:-1]:
        target: ast.expr | None = None
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
            target, value = stmt.targets[0], stmt.value
        elif isinstance(stmt, ast.AnnAssign) and stmt.value is not None:
            target, value = stmt.target, stmt.value
        if not isinstance(target, ast.Name):
            raise NotPure(f"`{ast.unparse(stmt).splitlines()[0]}` is not a plain local assignment")
        assigns.append((target.id, reducer.expr(value)))
        reducer.locals.add(target.id)
    last = body[-1] if body else None
    if not (isinstance(last, ast.Return) and last.value is not None):
        raise NotPure(f"`{func.name}` does not end with a single `return <expression>`")
    return PureFunction(func.name, module, params, tuple(assigns), reducer.expr(last.value))


def reduce_value(node: ast.expr, module: str, env: Mapping[str, PyConst], resolve: Resolver) -> PureExpr:
    """A module-level value such as ``CAMEL = re.compile(r"(?<!^)(?=[A-Z])")``; raises NotPure."""
    return _Reducer(module, env, resolve, set()).expr(node)


def is_self_contained(expr: PureExpr) -> bool:
    """No reference to another name or function (worth keeping as a module-level value)."""
    return expr.op not in ("global", "call") and all(is_self_contained(a) for a in expr.args)


class _Reducer:
    def __init__(self, module: str, env: Mapping[str, PyConst], resolve: Resolver, local: set[str]) -> None:
        self.module = module
        self.env = env
        self.resolve = resolve
        self.locals = local

    def exprs(self, nodes: list[ast.expr]) -> tuple[PureExpr, ...]:
        return tuple(self.expr(n) for n in nodes)

    def expr(self, node: ast.expr) -> PureExpr:
        if isinstance(node, ast.Constant) and (
            node.value is None or isinstance(node.value, (str, int, float, bool))
        ):
            return PureExpr("const", value=node.value)
        if isinstance(node, ast.Name):
            return self.name(node.id)
        if isinstance(node, ast.Attribute):
            known = self.known_dotted(node)
            if known is not None:
                return known
            return PureExpr("attr", (self.expr(node.value),), value=node.attr)
        if isinstance(node, ast.Call):
            return self.call(node)
        if isinstance(node, ast.BinOp) and type(node.op) in _PURE_BINOPS:
            return PureExpr(
                "binop", (self.expr(node.left), self.expr(node.right)), value=_PURE_BINOPS[type(node.op)]
            )
        if isinstance(node, ast.Compare) and len(node.ops) == 1 and type(node.ops[0]) in _PURE_COMPARE:
            operands = (self.expr(node.left), self.expr(node.comparators[0]))
            return PureExpr("compare", operands, value=_PURE_COMPARE[type(node.ops[0])])
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            return PureExpr("not", (self.expr(node.operand),))
        if isinstance(node, ast.BoolOp):
            return PureExpr("and" if isinstance(node.op, ast.And) else "or", self.exprs(node.values))
        if isinstance(node, ast.IfExp):
            return PureExpr("ifexp", (self.expr(node.test), self.expr(node.body), self.expr(node.orelse)))
        if isinstance(node, ast.Subscript):
            return PureExpr("subscript", (self.expr(node.value), self.expr(node.slice)))
        if isinstance(node, ast.Slice):
            parts = (node.lower, node.upper, node.step)
            return PureExpr("slice", tuple(PureExpr("const") if p is None else self.expr(p) for p in parts))
        if isinstance(node, (ast.List, ast.Tuple)) and not any(isinstance(e, ast.Starred) for e in node.elts):
            return PureExpr("list", self.exprs(node.elts))
        if isinstance(node, (ast.ListComp, ast.GeneratorExp)):
            return self.comprehension(node)
        if isinstance(node, ast.JoinedStr):
            return self.fstring(node)
        raise NotPure(f"`{ast.unparse(node)}` is outside the expressions schemalint evaluates")

    def name(self, name: str) -> PureExpr:
        if name in self.locals:
            return PureExpr("local", value=name)
        if name in self.env:
            return PureExpr("const", value=self.env[name])
        target, imported = self.resolve(name)
        if imported and target in _RE_FLAGS:
            return PureExpr("const", value=_RE_FLAGS[target])
        return PureExpr("global", ref=Ref(name, self.module))

    def known_dotted(self, node: ast.Attribute) -> PureExpr | None:
        """``re.IGNORECASE`` and friends: a constant, when the head is not a local name."""
        dotted = dotted_name(node)
        if dotted is None or dotted.split(".", 1)[0] in self.locals:
            return None
        target, imported = self.resolve(dotted)
        if imported and target in _RE_FLAGS:
            return PureExpr("const", value=_RE_FLAGS[target])
        return None

    def call(self, node: ast.Call) -> PureExpr:
        if any(isinstance(a, ast.Starred) for a in node.args) or any(k.arg is None for k in node.keywords):
            raise NotPure(f"`{ast.unparse(node)}` spreads its arguments")
        args = self.exprs([*node.args, *(k.value for k in node.keywords)])
        keywords = tuple(k.arg for k in node.keywords if k.arg is not None)
        func = node.func
        dotted = dotted_name(func)
        if dotted is not None and dotted.split(".", 1)[0] not in self.locals:
            target, imported = self.resolve(dotted)
            if imported and target in PURE_RE_FUNCTIONS:
                return PureExpr("builtin", args, value=target, keywords=keywords)
            if not imported and dotted in PURE_BUILTINS:
                return PureExpr("builtin", args, value=dotted, keywords=keywords)
        if isinstance(func, ast.Attribute):
            return PureExpr("method", (self.expr(func.value), *args), value=func.attr, keywords=keywords)
        if isinstance(func, ast.Name):
            return PureExpr("call", (self.name(func.id), *args), keywords=keywords)
        raise NotPure(f"`{ast.unparse(node)}` calls something schemalint cannot follow")

    def comprehension(self, node: ast.ListComp | ast.GeneratorExp) -> PureExpr:
        if len(node.generators) != 1:
            raise NotPure(f"`{ast.unparse(node)}` has more than one `for`")
        gen = node.generators[0]
        if gen.is_async or not isinstance(gen.target, ast.Name):
            raise NotPure(f"`{ast.unparse(node)}` unpacks its loop variable")
        iterable = self.expr(gen.iter)
        var = gen.target.id
        shadowed = var in self.locals
        self.locals.add(var)
        try:
            parts = (self.expr(node.elt), iterable, *self.exprs(gen.ifs))
        finally:
            if not shadowed:
                self.locals.discard(var)
        return PureExpr("comp", parts, value=var)

    def fstring(self, node: ast.JoinedStr) -> PureExpr:
        parts: list[PureExpr] = []
        for part in node.values:
            if isinstance(part, ast.Constant) and isinstance(part.value, str):
                parts.append(PureExpr("const", value=part.value))
            elif (
                isinstance(part, ast.FormattedValue)
                and part.format_spec is None
                and part.conversion in (-1, ord("s"))
            ):
                parts.append(PureExpr("builtin", (self.expr(part.value),), value="str"))
            else:
                raise NotPure(f"`{ast.unparse(node)}` formats with a conversion or a format spec")
        return PureExpr("fstring", tuple(parts))


def computed_tablename_unreadable(owner: str, span: Span, reason: str) -> Diagnostic:
    """The SL004 for a ``__tablename__`` directive whose names cannot be computed statically.

    Raised by the extractor (outside the pure subset) or the model graph (a helper it calls is
    not in the project, or fails); either way once, at the directive.
    """
    return Diagnostic(
        "SL004",
        f"The table names `{owner}.__tablename__` computes for its subclasses cannot be read "
        "statically; models without a literal `__tablename__` are not checked.",
        span,
        help=f'{reason}; write `__tablename__ = "..."` in each model class so its columns can be checked.',
    )


# String methods a values_callable may apply to a member's name or value (ValuesCallable steps).
_STR_STEPS = frozenset({"lower", "upper", "title", "strip"})
_MEMBER_ATTRS = frozenset({"value", "name"})


def values_callable_steps(args: ast.arguments, bodies: list[ast.expr]) -> tuple[str, ...] | None:
    """Steps of ``[<f(e)> for e in cls]`` / ``list(map(lambda e: <f(e)>, cls))`` over parameter ``cls``."""
    params = args.posonlyargs + args.args
    if len(params) != 1 or len(bodies) != 1:
        return None
    param = params[0].arg
    body = bodies[0]
    if isinstance(body, ast.Call) and isinstance(body.func, ast.Name) and body.func.id in ("list", "tuple"):
        if len(body.args) != 1 or body.keywords:
            return None
        body = body.args[0]
        if isinstance(body, ast.Call) and isinstance(body.func, ast.Name) and body.func.id == "map":
            if len(body.args) != 2 or not isinstance(body.args[0], ast.Lambda):
                return None
            if not (isinstance(body.args[1], ast.Name) and body.args[1].id == param):
                return None
            mapper = body.args[0]
            inner = mapper.args.posonlyargs + mapper.args.args
            return member_steps(mapper.body, inner[0].arg) if len(inner) == 1 else None
    if not isinstance(body, (ast.ListComp, ast.GeneratorExp)) or len(body.generators) != 1:
        return None
    gen = body.generators[0]
    if gen.ifs or gen.is_async or not isinstance(gen.target, ast.Name):
        return None
    if not (isinstance(gen.iter, ast.Name) and gen.iter.id == param):
        return None  # iterating __members__ would include aliases: not what SQLAlchemy zips against
    return member_steps(body.elt, gen.target.id)


def member_steps(expr: ast.expr, var: str) -> tuple[str, ...] | None:
    """``e.value`` → ("value",); ``str(e.value)`` → ("value", "str"); ``e.name.lower()`` → ("name", "lower")."""
    if isinstance(expr, ast.Attribute) and expr.attr in _MEMBER_ATTRS:
        if isinstance(expr.value, ast.Name) and expr.value.id == var:
            return (expr.attr,)
        return None
    if isinstance(expr, ast.Call) and not expr.keywords:
        func = expr.func
        if isinstance(func, ast.Attribute) and func.attr in _STR_STEPS and not expr.args:
            inner = member_steps(func.value, var)
            return (*inner, func.attr) if inner else None
        if isinstance(func, ast.Name) and func.id == "str" and len(expr.args) == 1:
            inner = member_steps(expr.args[0], var)
            return (*inner, "str") if inner else None
    if isinstance(expr, ast.JoinedStr) and len(expr.values) == 1:
        part = expr.values[0]
        if isinstance(part, ast.FormattedValue) and part.format_spec is None and part.conversion == -1:
            inner = member_steps(part.value, var)
            return (*inner, "str") if inner else None
    return None
