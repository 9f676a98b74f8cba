"""Paths and environment files: machine-specific paths, cwd-built paths and env entries, with spans.

One file at a time, never executed: Python through ``ast``, TypeScript/JavaScript through
tree-sitter, shell scripts and configuration files (JSON, YAML, TOML, INI) through small lexical
scanners that know where comments and keys are. Only string literals and configuration values
are searched for machine paths; comments, docstrings and keys never are.
"""

from __future__ import annotations

import ast
import bisect
import io
import re
import sys
import tokenize
from collections.abc import Iterable, Iterator, Sequence
from functools import cache
from typing import TYPE_CHECKING

from schemalint.extract.pysource import SourceText, parse_python
from schemalint.facts import Span
from schemalint.pathfacts import CwdPath, EnvEntry, EnvFileFacts, MachinePath, PathFacts

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

if TYPE_CHECKING:
    from tree_sitter import Node

# The folder right after a machine prefix is normally a user name; these stand for "any user"
# in documentation, examples and tests, or name the fixed account of a container image or CI
# runner (`/home/node/app` in a Node image, `/home/runner/work` on GitHub Actions), so a path
# under them is no particular developer's machine.
PLACEHOLDER_USERS = frozenset(
    {"user", "username", "users", "yourname", "your-name", "your_name", "youruser", "your-user"}
    | {"your_user", "your-username", "yourusername", "me", "you", "name", "someone", "somebody"}
    | {"foo", "bar", "baz", "example", "john", "jane", "johndoe", "jdoe", "alice", "bob"}
    | {"test", "tester", "testuser", "x", "xxx", "xyz", "myuser", "my-user", "nobody"}
    | {"runner", "node", "vscode", "codespace", "gitpod", "circleci", "travis", "jenkins"}
    | {"vagrant", "ubuntu", "ec2-user", "app", "appuser", "nonroot", "pwuser", "docker"}
)

_PLACEHOLDER_KEYS = frozenset(re.sub(r"[._-]", "", name) for name in PLACEHOLDER_USERS)

# Keys that hold a database URL, in env files and in test configuration.
DATABASE_URL_KEYS = re.compile(r"^(?:TEST_)?(?:DATABASE|DB)_URL(?:_TEST)?$")

_POSIX_REST = r"(?:/[^\s\"'`:;,|*?<>(){}\[\]$\\]*)?"
_WINDOWS_REST = r"(?:(?:\\{1,2}|/)[^\s\"'`:;,|*?<>(){}\[\]$]*)?"
# A path starts at the beginning of a value or after a character that cannot be part of a URL,
# a word or another path (`https://example.com/home/x` is a URL, `~/home/x` is relative);
# `file:///home/...` is a path again.
_BEFORE = r"(?:(?<![\w.~/\\%+-])|(?<=file://))"
_USER = r"(?P<first>[A-Za-z0-9._-]+)"


@cache
def machine_path_patterns(prefixes: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    """One regex per configured prefix; a separator matches `/`, `\\` and the escaped `\\\\`."""
    patterns = []
    for prefix in prefixes:
        parts = [part for part in re.split(r"[\\/]+", prefix)]
        windows = re.match(r"^[A-Za-z]:", prefix) is not None or "\\" in prefix
        separator = r"(?:\\{1,2}|/)" if windows else "/"
        body = separator.join(re.escape(part) for part in parts)
        if not re.search(r"[\\/]$", prefix):
            body += separator  # a prefix names a folder: what follows it is inside
        rest = _WINDOWS_REST if windows else _POSIX_REST
        flags = re.IGNORECASE if windows else 0
        patterns.append(re.compile(f"{_BEFORE}(?P<prefix>{body}){_USER}{rest}", flags))
    return tuple(patterns)


def prefilter_words(prefixes: Sequence[str]) -> tuple[str, ...]:
    """Substrings one of which a file must contain to hold a machine path (a cheap test)."""
    words = []
    for prefix in prefixes:
        if prefix.startswith("/") and "\\" not in prefix:
            words.append(prefix if prefix.endswith("/") else prefix + "/")
        else:
            runs = re.findall(r"[A-Za-z0-9_]{2,}", prefix)
            words.append(max(runs, key=len) if runs else prefix)
    return tuple(words)


class _Offsets:
    """Character offsets of a text to 1-based (line, column) spans."""

    def __init__(self, path: str, text: str) -> None:
        self.path = path
        self.text = text
        self.starts = [0] + [m.end() for m in re.finditer(r"\r\n|\r|\n", text)]

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.starts, offset) - 1
        return line + 1, offset - self.starts[line] + 1

    def span(self, start: int, end: int) -> Span:
        (line, column), (end_line, end_column) = self.position(start), self.position(end)
        return Span(self.path, line, column, end_line, end_column)

    def offset(self, line: int, column: int) -> int:
        """Character offset of a 1-based line and 0-based character column."""
        if line - 1 >= len(self.starts):
            return len(self.text)
        return self.starts[line - 1] + column


Region = tuple[int, int, str]  # character offsets of a string or value, and its usage
# `dbfs:/home/x`, `s3:/...`: a path inside another scheme's namespace, not on this machine. A
# `$PATH:/home/...` list is not a scheme.
_SCHEME_BEFORE = re.compile(r"(?<![$\w])[A-Za-z][\w+.-]*:$")


def is_placeholder_user(name: str) -> bool:
    """Whether the folder after a prefix stands for "any user" (`user`, `user.name`, `<you>`)."""
    return re.sub(r"[._-]", "", name.lower()) in _PLACEHOLDER_KEYS


def _scan(offsets: _Offsets, regions: Iterable[Region], prefixes: tuple[str, ...]) -> list[MachinePath]:
    """Machine paths inside the given character regions of the text."""
    found: list[MachinePath] = []
    patterns = machine_path_patterns(prefixes)
    for start, end, usage in regions:
        chunk = offsets.text[start:end]
        for prefix, pattern in zip(prefixes, patterns, strict=True):
            for match in pattern.finditer(chunk):
                if is_placeholder_user(match["first"]) and not prefix.rstrip("/\\").endswith("root"):
                    continue
                if _SCHEME_BEFORE.search(chunk[: match.start()]):
                    continue
                text = match.group(0).rstrip(".")
                begin = start + match.start()
                found.append(MachinePath(text, prefix, offsets.span(begin, begin + len(text)), usage))
    found.sort(key=lambda m: (m.span.line, m.span.column))
    return _unique(found)


def _unique(paths: list[MachinePath]) -> list[MachinePath]:
    seen: set[tuple[int, int]] = set()
    out = []
    for path in paths:
        key = (path.span.line, path.span.column)
        if key not in seen:
            seen.add(key)
            out.append(path)
    return out


def _may_hold_machine_path(text: str, prefixes: Sequence[str]) -> bool:
    return any(word in text for word in prefilter_words(prefixes))


# --------------------------------------------------------------------------------------------
# File kinds
# --------------------------------------------------------------------------------------------

PYTHON_EXTENSIONS = (".py",)
JS_EXTENSIONS = (".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs")
SHELL_EXTENSIONS = (".sh", ".bash")
JSON_EXTENSIONS = (".json", ".jsonc")
CONFIG_EXTENSIONS = (".yaml", ".yml", ".toml", ".ini", ".cfg")
_TSX_EXTENSIONS = (".tsx", ".jsx", ".js", ".mjs", ".cjs")  # JSX may appear in any .js file
# Jest/Vitest configuration and setup files, where tests' environment variables are set.
JS_TEST_CONFIG = re.compile(
    r"^(?:jest|vitest|vite)(?:\.[\w-]+)*\.config\.[mc]?[jt]s$|^(?:jest|vitest)[\w.-]*setup[\w.-]*\.[mc]?[jt]s$"
    r"|^setup-?tests?(?:\.[\w-]+)*\.[mc]?[jt]s$|^(?:test|tests)[.-]setup\.[mc]?[jt]s$",
    re.IGNORECASE,
)
PYTEST_CONFIGS = frozenset({"pytest.ini", "pyproject.toml", "setup.cfg", "tox.ini", "conftest.py"})


def file_kind(rel: str) -> str | None:
    """ "python", "javascript", "shell", "json" or "config" by name; None for other files."""
    name = rel.rsplit("/", 1)[-1].lower()
    if name.endswith(PYTHON_EXTENSIONS):
        return "python"
    if name.endswith(JS_EXTENSIONS) and not name.endswith((".d.ts", ".min.js")):
        return "javascript"
    if name.endswith(SHELL_EXTENSIONS):
        return "shell"
    if name.endswith(JSON_EXTENSIONS):
        return "json"
    if name.endswith(CONFIG_EXTENSIONS):
        return "config"
    return None


def is_test_config(rel: str) -> bool:
    """Whether a file may set the tests' environment (pytest-env, conftest.py, Jest/Vitest config)."""
    name = rel.rsplit("/", 1)[-1]
    return name in PYTEST_CONFIGS or JS_TEST_CONFIG.match(name) is not None


def extract_path_facts(text: str, rel: str, prefixes: tuple[str, ...], kind: str | None = None) -> PathFacts:
    """Machine paths, cwd-built paths and test environment settings of one code/script/config file.

    ``kind`` is the file kind when the name does not say it (a shell script known by its shebang).
    """
    kind = kind or file_kind(rel) or "config"
    offsets = _Offsets(rel, text)
    scan_paths = _may_hold_machine_path(text, prefixes)
    if kind == "python":
        return _python_facts(offsets, prefixes, scan_paths)
    if kind == "javascript":
        return _javascript_facts(offsets, prefixes, scan_paths)
    usage = "script" if kind == "shell" else "config"
    regions = ((start, end, usage) for start, end in _REGION_SCANNERS[kind](text))
    machine = _scan(offsets, regions, prefixes) if scan_paths else []
    test_env = _pytest_env(offsets) if is_test_config(rel) else []
    return PathFacts(
        rel, "config" if kind == "json" else kind, machine_paths=tuple(machine), test_env=tuple(test_env)
    )


# --------------------------------------------------------------------------------------------
# Python
# --------------------------------------------------------------------------------------------

# Expressions that evaluate to the process's working directory, as `ast.unparse` spells them.
PYTHON_CWD_CALLS = frozenset(
    {
        "os.getcwd()",
        "getcwd()",
        "os.getcwdb()",
        "Path.cwd()",
        "pathlib.Path.cwd()",
        "os.path.abspath('.')",
        "os.path.abspath(os.curdir)",
        "os.path.realpath('.')",
        "Path('.').resolve()",
        "Path().resolve()",
        "Path('.').absolute()",
        "Path().absolute()",
        "pathlib.Path().resolve()",
    }
)
_PATH_CONSTRUCTORS = frozenset({"Path", "pathlib.Path", "PurePath", "PosixPath"})
_PATH_JOINS = frozenset({"os.path.join", "path.join", "join", "os.path.abspath", "os.path.realpath"})


def _python_facts(offsets: _Offsets, prefixes: tuple[str, ...], scan_paths: bool) -> PathFacts:
    source = SourceText(offsets.path, offsets.text)
    try:
        tree = parse_python(offsets.text, offsets.path)
    except (SyntaxError, ValueError):
        # Not Python this interpreter reads (Python 2, a template): its string tokens still are.
        tokens = ((start, end, "") for start, end in _python_token_strings(offsets))
        machine = _scan(offsets, tokens, prefixes) if scan_paths else []
        return PathFacts(offsets.path, "python", machine_paths=tuple(machine))
    usage = _python_usage(tree)
    regions = _python_string_regions(tree, source, offsets, usage)
    machine = _scan(offsets, regions, prefixes) if scan_paths else []
    cwd = _python_cwd_paths(tree, source, offsets, usage) if "cwd" in offsets.text else []
    test_env = _conftest_env(tree, source) if offsets.path.rsplit("/", 1)[-1] == "conftest.py" else []
    return PathFacts(
        offsets.path, "python", machine_paths=tuple(machine), cwd_paths=tuple(cwd), test_env=tuple(test_env)
    )


def _node_region(node: ast.AST, source: SourceText, offsets: _Offsets, usage: str) -> Region:
    span = source.span(node)
    start = offsets.offset(span.line, span.column - 1)
    return start, offsets.offset(span.end_line, span.end_column - 1), usage


# Calls that reach the filesystem, the import system or a process with their arguments: a machine
# path passed to them is used on this machine, not merely data for the code under test.
PYTHON_FILESYSTEM_CALLS = frozenset(
    {"sys.path.insert", "sys.path.append", "site.addsitedir", "os.chdir", "chdir", "open", "io.open"}
    | {"os.listdir", "os.scandir", "os.walk", "os.makedirs", "os.mkdir", "os.remove", "os.unlink"}
    | {"os.path.exists", "os.path.isfile", "os.path.isdir", "shutil.copy", "shutil.copyfile"}
    | {"shutil.copytree", "shutil.rmtree", "shutil.move", "load_dotenv", "dotenv.load_dotenv"}
    | {"subprocess.run", "subprocess.call", "subprocess.check_call", "subprocess.check_output"}
    | {"subprocess.Popen", "os.system", "runpy.run_path", "glob.glob", "sqlite3.connect"}
    | {"importlib.util.spec_from_file_location", "os.environ.setdefault", "monkeypatch.chdir"}
)
# Path methods that touch the file they are called on.
PYTHON_FILESYSTEM_METHODS = frozenset(
    {"open", "read_text", "read_bytes", "write_text", "write_bytes", "exists", "is_file", "is_dir"}
    | {"mkdir", "iterdir", "glob", "rglob", "touch", "unlink", "rmdir", "from_yaml_file"}
)
_FILESYSTEM_TAILS = frozenset(name.rsplit(".", 1)[-1] for name in PYTHON_FILESYSTEM_CALLS)
_CONSTANT_NAME = re.compile(r"^_?[A-Z][A-Z0-9_]*$")


def _python_usage(tree: ast.Module) -> dict[int, str]:
    """Node id → usage for every node inside a filesystem call's arguments or a constant's value."""
    usage: dict[int, str] = {}

    def mark(node: ast.AST, how: str) -> None:
        for inner in ast.walk(node):
            usage.setdefault(id(inner), how)

    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = _call_name(node, _FILESYSTEM_TAILS)
            if name in PYTHON_FILESYSTEM_CALLS:
                for argument in (*node.args, *(k.value for k in node.keywords)):
                    mark(argument, name)
            elif isinstance(node.func, ast.Attribute) and node.func.attr in PYTHON_FILESYSTEM_METHODS:
                mark(node.func.value, node.func.attr)
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and _CONSTANT_NAME.match(t.id) for t in node.targets
        ):
            mark(node.value, "constant")
    for statement in tree.body:
        if isinstance(statement, (ast.Assign, ast.AnnAssign)) and statement.value is not None:
            mark(statement.value, "constant")
    return usage


def _python_string_regions(
    tree: ast.Module, source: SourceText, offsets: _Offsets, usage: dict[int, str]
) -> Iterator[Region]:
    # A string that is a statement of its own (a docstring, a commented-out block) does nothing:
    # it is documentation, like Markdown, and is not searched.
    documentation = {
        id(node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Expr) and isinstance(node.value, (ast.Constant, ast.JoinedStr))
    }
    stack: list[ast.AST] = [tree]
    while stack:
        node = stack.pop()
        if id(node) in documentation:
            continue
        if isinstance(node, ast.JoinedStr) or (
            isinstance(node, ast.Constant) and isinstance(node.value, str)
        ):
            # f-string parts have no reliable positions before Python 3.12: the whole literal is
            # searched as written, so `{expressions}` end a path there.
            yield _node_region(node, source, offsets, usage.get(id(node), ""))
            continue
        stack.extend(ast.iter_child_nodes(node))


def _python_token_strings(offsets: _Offsets) -> Iterator[tuple[int, int]]:
    try:
        for token in tokenize.generate_tokens(io.StringIO(offsets.text).readline):
            if token.type == tokenize.STRING:
                start = offsets.offset(token.start[0], token.start[1])
                yield start, offsets.offset(token.end[0], token.end[1])
    except (tokenize.TokenError, SyntaxError):
        return


def _unparse(node: ast.AST) -> str:
    try:
        return ast.unparse(node)
    except Exception:  # pragma: no cover - unparse covers every node ast produces
        return ""


def _is_python_literal(node: ast.AST) -> bool:
    return (isinstance(node, ast.Constant) and isinstance(node.value, str)) or (
        isinstance(node, ast.JoinedStr) and any(isinstance(v, ast.Constant) for v in node.values)
    )


def _tail(func: ast.AST) -> str:
    """The last name of a called expression (``getcwd`` of ``os.getcwd``): a cheap first test
    before ``ast.unparse``, which large test modules would otherwise pay on every call."""
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""


def _call_name(node: ast.Call, tails: frozenset[str]) -> str:
    return _unparse(node.func) if _tail(node.func) in tails else ""


_CWD_TAILS = frozenset({"getcwd", "getcwdb", "cwd", "abspath", "realpath", "resolve", "absolute"})
_JOIN_TAILS = frozenset(name.rsplit(".", 1)[-1] for name in _PATH_CONSTRUCTORS | _PATH_JOINS)


def _python_cwd_root(node: ast.AST) -> tuple[str | None, bool]:
    """(the cwd call the expression starts from, whether a literal was joined on), or (None, False)."""
    text = _unparse(node) if isinstance(node, ast.Call) and _tail(node.func) in _CWD_TAILS else ""
    if text in PYTHON_CWD_CALLS:
        return text, False
    if isinstance(node, ast.Call):
        func = _call_name(node, _JOIN_TAILS)
        if node.args and (func in _PATH_CONSTRUCTORS or func in _PATH_JOINS):
            cwd, joined = _python_cwd_root(node.args[0])
            if cwd is not None:
                return cwd, joined or any(_is_python_literal(a) for a in node.args[1:])
        if isinstance(node.func, ast.Attribute) and node.func.attr in ("joinpath", "resolve", "absolute"):
            cwd, joined = _python_cwd_root(node.func.value)
            if cwd is not None:
                return cwd, joined or any(_is_python_literal(a) for a in node.args)
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Div, ast.Add)):
        cwd, joined = _python_cwd_root(node.left)
        if cwd is not None:
            return cwd, joined or _is_python_literal(node.right)
    if isinstance(node, ast.JoinedStr) and node.values:
        first = node.values[0]
        if isinstance(first, ast.FormattedValue):
            cwd, _ = _python_cwd_root(first.value)
            if cwd is not None:
                return cwd, any(isinstance(v, ast.Constant) and v.value for v in node.values[1:])
    return None, False


def _python_cwd_paths(
    tree: ast.Module, source: SourceText, offsets: _Offsets, usage: dict[int, str]
) -> list[CwdPath]:
    found: list[CwdPath] = []
    stack: list[ast.AST] = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.expr):
            cwd, joined = _python_cwd_root(node)
            if cwd is not None and joined:
                start, end, _ = _node_region(node, source, offsets, "")
                expression = " ".join(offsets.text[start:end].split())
                found.append(CwdPath(expression, cwd, "python", source.span(node), usage.get(id(node), "")))
                continue  # the outermost expression is the path; its parts are not reported again
        stack.extend(ast.iter_child_nodes(node))
    found.sort(key=lambda c: (c.span.line, c.span.column))
    return found


def _conftest_env(tree: ast.Module, source: SourceText) -> list[EnvEntry]:
    """``os.environ["KEY"] = "value"`` and ``os.environ.setdefault("KEY", "value")`` in a conftest.py."""
    found: list[EnvEntry] = []
    for node in ast.walk(tree):
        key_node: ast.AST | None = None
        value_node: ast.AST | None = None
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
            if isinstance(target, ast.Subscript) and _unparse(target.value) in ("os.environ", "environ"):
                key_node, value_node = target.slice, node.value
        elif (
            isinstance(node, ast.Call)
            and _unparse(node.func)
            in (
                "os.environ.setdefault",
                "environ.setdefault",
                "monkeypatch.setenv",
            )
            and len(node.args) == 2
        ):
            key_node, value_node = node.args
        if (
            isinstance(key_node, ast.Constant)
            and isinstance(key_node.value, str)
            and isinstance(value_node, ast.Constant)
            and isinstance(value_node.value, str)
        ):
            found.append(
                EnvEntry(key_node.value, value_node.value, source.span(node), source.span(value_node))
            )
    return found


# --------------------------------------------------------------------------------------------
# TypeScript / JavaScript
# --------------------------------------------------------------------------------------------

JS_CWD_CALLS = frozenset({"process.cwd()", "Deno.cwd()", "cwd()"})
_JS_JOINS = frozenset(
    {"path.join", "path.resolve", "join", "resolve", "path.posix.join", "path.posix.resolve"}
    | {"nodePath.join", "nodePath.resolve", "pathLib.join", "pathLib.resolve", "upath.join"}
)


class _ByteOffsets:
    """Tree-sitter byte offsets to character offsets (identical for ASCII files)."""

    def __init__(self, text: str, data: bytes) -> None:
        self._table: list[int] | None = None
        if len(data) != len(text):
            table = []
            for index, char in enumerate(text):
                table.extend([index] * len(char.encode("utf-8")))
            table.append(len(text))
            self._table = table

    def __call__(self, byte: int) -> int:
        return self._table[byte] if self._table is not None else byte


def _javascript_facts(offsets: _Offsets, prefixes: tuple[str, ...], scan_paths: bool) -> PathFacts:
    from schemalint.extract.tsparse import parse_typescript

    data = offsets.text.encode("utf-8", "surrogatepass")
    root = parse_typescript(data, tsx=offsets.path.lower().endswith(_TSX_EXTENSIONS)).root_node
    chars = _ByteOffsets(offsets.text, data)
    regions: list[Region] = []
    cwd_paths: list[CwdPath] = []
    test_env: list[EnvEntry] = []
    test_config = JS_TEST_CONFIG.match(offsets.path.rsplit("/", 1)[-1]) is not None
    look_for_cwd = "cwd" in offsets.text

    def text_of(node: Node) -> str:
        return offsets.text[chars(node.start_byte) : chars(node.end_byte)]

    def span_of(node: Node) -> Span:
        return offsets.span(chars(node.start_byte), chars(node.end_byte))

    stack = [root]
    while stack:
        node = stack.pop()
        kind = node.type
        if kind == "comment":
            continue
        if look_for_cwd and kind in ("call_expression", "binary_expression", "template_string"):
            cwd = _js_cwd_root(node, text_of)
            if cwd is not None and cwd[1]:
                cwd_paths.append(
                    CwdPath(
                        " ".join(text_of(node).split()),
                        cwd[0],
                        "javascript",
                        span_of(node),
                        _js_usage(node, text_of),
                    )
                )
                look_inside_only_strings = True
            else:
                look_inside_only_strings = False
        else:
            look_inside_only_strings = False
        if kind == "string":
            regions.append((chars(node.start_byte) + 1, chars(node.end_byte) - 1, _js_usage(node, text_of)))
            continue
        if kind == "template_string":
            cursor = chars(node.start_byte) + 1
            usage = _js_usage(node, text_of)
            for child in node.named_children:
                if child.type == "template_substitution":
                    regions.append((cursor, chars(child.start_byte), usage))
                    cursor = chars(child.end_byte)
                    stack.append(child)
            regions.append((cursor, chars(node.end_byte) - 1, usage))
            continue
        if test_config:
            entry = _js_env_entry(node, text_of, span_of)
            if entry is not None:
                test_env.append(entry)
        if look_inside_only_strings:
            stack.extend(_js_nested_strings(node))
            continue
        stack.extend(node.children)
    machine = _scan(offsets, sorted(regions), prefixes) if scan_paths else []
    cwd_paths.sort(key=lambda c: (c.span.line, c.span.column))
    return PathFacts(
        offsets.path,
        "javascript",
        machine_paths=tuple(machine),
        cwd_paths=tuple(cwd_paths),
        test_env=tuple(test_env),
    )


# Calls that reach the filesystem, the module system or a process with their arguments.
JS_FILESYSTEM_CALLS = frozenset(
    {"require", "import", "require.resolve", "process.chdir", "dotenv.config", "config", "loadEnv"}
    | {"execSync", "exec", "spawn", "spawnSync", "execFile", "execFileSync", "execa"}
    | {"child_process.exec", "child_process.execSync", "child_process.spawn", "child_process.spawnSync"}
    | {"readFile", "writeFile", "readdir", "mkdir", "rm", "access", "stat", "open", "copyFile"}
)
_JS_FILESYSTEM_OBJECTS = ("fs.", "fsp.", "fs.promises.", "fse.", "fsExtra.", "promises.")
_JS_STATEMENTS = frozenset(
    {"expression_statement", "lexical_declaration", "variable_declaration", "return_statement"}
    | {"if_statement", "for_statement", "class_body", "statement_block", "program"}
)


def _js_usage(node: Node, text_of: _TextOf) -> str:
    """How a string is used, looking up to its statement: a filesystem or module call's argument,
    an import, a top-level or ALL_CAPS constant, or "" (data)."""
    current = node
    parent = node.parent
    while parent is not None:
        kind = parent.type
        if (
            kind in ("import_statement", "export_statement")
            and parent.child_by_field_name("source") is current
        ):
            return "import"
        if kind == "call_expression" and current.type == "arguments":
            function = parent.child_by_field_name("function")
            name = text_of(function).replace(" ", "") if function is not None else ""
            if (
                name in JS_FILESYSTEM_CALLS
                or name.endswith("Sync")
                or name.startswith(_JS_FILESYSTEM_OBJECTS)
            ):
                return name
        if kind == "variable_declarator":
            name_node = parent.child_by_field_name("name")
            declaration = parent.parent
            scope = declaration.parent if declaration is not None else None
            if scope is not None and scope.type == "export_statement":
                scope = scope.parent
            if (name_node is not None and _CONSTANT_NAME.match(text_of(name_node))) or (
                scope is not None and scope.type == "program"
            ):
                return "constant"
            return ""
        if kind in _JS_STATEMENTS:
            return ""
        current, parent = parent, parent.parent
    return ""


def _js_nested_strings(node: Node) -> Iterator[Node]:
    """The string nodes inside an expression already reported as a cwd path (searched for
    machine paths, but not for a second, nested cwd path)."""
    stack = list(node.children)
    while stack:
        child = stack.pop()
        if child.type in ("string", "template_string"):
            yield child
        elif child.type != "comment":
            stack.extend(child.children)


def _js_unwrap(node: Node) -> Node:
    while node.type in (
        "parenthesized_expression",
        "as_expression",
        "non_null_expression",
        "await_expression",
    ):
        inner = [c for c in node.named_children if c.type != "comment"]
        if not inner:
            break
        node = inner[0]
    return node


def _js_is_literal(node: Node) -> bool:
    node = _js_unwrap(node)
    if node.type == "string":
        return True
    return node.type == "template_string" and any(c.type == "string_fragment" for c in node.named_children)


def _js_cwd_root(node: Node, text_of: _TextOf) -> tuple[str, bool] | None:
    """(the cwd call an expression starts from, whether a literal was joined on), or None."""
    node = _js_unwrap(node)
    if node.type == "call_expression":
        function = node.child_by_field_name("function")
        arguments = node.child_by_field_name("arguments")
        if function is None:
            return None
        name = text_of(function).replace(" ", "")
        args = [c for c in arguments.named_children if c.type != "comment"] if arguments is not None else []
        if not args and name + "()" in JS_CWD_CALLS:
            return name + "()", False
        if name in _JS_JOINS and args:
            inner = _js_cwd_root(args[0], text_of)
            if inner is not None:
                return inner[0], inner[1] or any(_js_is_literal(a) for a in args[1:])
        return None
    if node.type == "binary_expression":
        operator = node.child_by_field_name("operator")
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        if operator is not None and text_of(operator) == "+" and left is not None and right is not None:
            inner = _js_cwd_root(left, text_of)
            if inner is not None:
                return inner[0], inner[1] or _js_is_literal(right)
        return None
    if node.type == "template_string":
        children = [c for c in node.named_children if c.type != "comment"]
        if children and children[0].type == "template_substitution":
            inner_nodes = [c for c in children[0].named_children if c.type != "comment"]
            inner = _js_cwd_root(inner_nodes[0], text_of) if inner_nodes else None
            if inner is not None:
                return inner[0], any(c.type == "string_fragment" and text_of(c).strip() for c in children[1:])
    return None


if TYPE_CHECKING:
    from collections.abc import Callable

    _TextOf = Callable[[Node], str]
    _SpanOf = Callable[[Node], Span]


_JS_ENV_TARGET = re.compile(r"^process\.env(?:\.(?P<dot>\w+)|\[\s*[\"'`](?P<bracket>\w+)[\"'`]\s*\])$")


def _js_string(node: Node, text_of: _TextOf) -> str | None:
    node = _js_unwrap(node)
    if node.type == "string":
        return text_of(node)[1:-1]
    if node.type == "template_string" and not any(
        c.type == "template_substitution" for c in node.named_children
    ):
        return text_of(node)[1:-1]
    return None


def _js_env_entry(node: Node, text_of: _TextOf, span_of: _SpanOf) -> EnvEntry | None:
    """``process.env.KEY = "value"``, or a ``KEY: "value"`` property (Vitest ``test.env``)."""
    if node.type == "assignment_expression":
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        if left is None or right is None:
            return None
        target = _JS_ENV_TARGET.match(text_of(left).replace(" ", ""))
        value = _js_string(right, text_of)
        if target is not None and value is not None:
            return EnvEntry(target["dot"] or target["bracket"], value, span_of(node), span_of(right))
    if node.type == "pair":
        key, value_node = node.child_by_field_name("key"), node.child_by_field_name("value")
        if key is None or value_node is None:
            return None
        name = text_of(key).strip("\"'`")
        value = _js_string(value_node, text_of)
        if DATABASE_URL_KEYS.match(name) and value is not None:
            return EnvEntry(name, value, span_of(node), span_of(value_node))
    return None


# --------------------------------------------------------------------------------------------
# Shell scripts and configuration files: the regions that are values, not comments or keys
# --------------------------------------------------------------------------------------------


def _shell_regions(text: str) -> Iterator[tuple[int, int]]:
    """Everything but comments: a `#` starting a word outside quotes runs to the end of the line."""
    quote = ""
    start = 0
    index = 0
    length = len(text)
    while index < length:
        char = text[index]
        if quote:
            if char == "\\" and quote == '"':
                index += 2
                continue
            if char == quote:
                quote = ""
        elif char == "\\":
            index += 2
            continue
        elif char in ("'", '"'):
            quote = char
        elif char == "#" and (index == 0 or text[index - 1] in " \t\n;(|&"):
            yield start, index
            newline = text.find("\n", index)
            index = length if newline < 0 else newline
            start = index
            continue
        index += 1
    yield start, length


_JSON_TOKEN = re.compile(r'"(?:[^"\\\n]|\\.)*"|//[^\n]*|/\*.*?\*/', re.DOTALL)


def _json_regions(text: str) -> Iterator[tuple[int, int]]:
    """String values (not keys) of JSON, JSONC (tsconfig) and package.json."""
    for match in _JSON_TOKEN.finditer(text):
        if not match.group(0).startswith('"'):
            continue
        after = text[match.end() : match.end() + 64].lstrip()
        if not after.startswith(":"):
            yield match.start() + 1, match.end() - 1


# `key = value` (TOML, INI), `key: value` (YAML, INI); the key is never searched.
_CONFIG_KEY = re.compile(
    r"""^[ \t]*(?:-[ \t]+)?(?:"[^"\n]*"|'[^'\n]*'|[^\s=:#;"'\[\]{}][^=:#\n]*?)[ \t]*(?:=|:(?=[ \t]|$))"""
)


def _config_regions(text: str) -> Iterator[tuple[int, int]]:
    """Values of YAML, TOML and INI files: each line minus its key, its comment and section headers."""
    offset = 0
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        stripped = body.lstrip()
        if stripped and stripped[0] not in "#;[":
            key = _CONFIG_KEY.match(body)
            start = key.end() if key else 0
            end = _comment_start(body, start)
            yield offset + start, offset + end
        offset += len(line)


def _comment_start(line: str, start: int) -> int:
    """Where a ` #` comment starts on a config line (outside quotes), or the line's end."""
    quote = ""
    for index in range(start, len(line)):
        char = line[index]
        if quote:
            if char == quote:
                quote = ""
        elif char in ("'", '"'):
            quote = char
        elif char == "#" and (index == start or line[index - 1] in " \t"):
            return index
    return len(line)


_REGION_SCANNERS = {
    "shell": _shell_regions,
    "json": _json_regions,
    "config": _config_regions,
}


# --------------------------------------------------------------------------------------------
# pytest-env settings
# --------------------------------------------------------------------------------------------

# Sections that hold pytest's ini options, per file.
_PYTEST_SECTIONS = {"pytest.ini": "pytest", "tox.ini": "pytest", "setup.cfg": "tool:pytest"}
_ENV_ITEM = re.compile(r"^[ \t]*(?:[DR]:)*(?P<key>[A-Za-z_]\w*)=(?P<value>.*?)[ \t]*$")


def _pytest_env(offsets: _Offsets) -> list[EnvEntry]:
    name = offsets.path.rsplit("/", 1)[-1]
    if name == "pyproject.toml":
        return _pyproject_pytest_env(offsets)
    section = _PYTEST_SECTIONS.get(name)
    if section is None:
        return []
    found: list[EnvEntry] = []
    current = ""
    in_env = False
    position = 0
    for line in offsets.text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        header = re.match(r"^\[(?P<name>[^\]]+)\]", body)
        if header:
            current, in_env = header["name"].strip(), False
        elif current == section:
            option = re.match(r"^env[ \t]*[=:][ \t]*(?P<rest>.*)$", body)
            if option:
                in_env = True
                body_start = position + option.start("rest")
                found += _env_item(offsets, option["rest"], body_start)
            elif in_env and body[:1] in (" ", "\t") and body.strip():
                found += _env_item(offsets, body, position)
            elif body.strip() and not body.lstrip().startswith(("#", ";")):
                in_env = False
        position += len(line)
    return found


def _env_item(offsets: _Offsets, text: str, start: int) -> list[EnvEntry]:
    match = _ENV_ITEM.match(text)
    if match is None:
        return []
    value = match["value"].strip().strip("\"'")
    value_start = start + match.start("value") + (len(match["value"]) - len(match["value"].lstrip()))
    return [
        EnvEntry(
            match["key"],
            value,
            offsets.span(start + match.start("key"), start + match.end("value")),
            offsets.span(value_start, value_start + len(match["value"].strip())),
        )
    ]


def _pyproject_pytest_env(offsets: _Offsets) -> list[EnvEntry]:
    """``[tool.pytest.ini_options] env = ["KEY=value", ...]`` and ``[tool.pytest_env] KEY = "value"``."""
    try:
        data = tomllib.loads(offsets.text)
    except tomllib.TOMLDecodeError:
        return []
    tool = data.get("tool")
    tool = tool if isinstance(tool, dict) else {}
    found: list[EnvEntry] = []
    options = tool.get("pytest", {}).get("ini_options", {}) if isinstance(tool.get("pytest"), dict) else {}
    items = options.get("env", []) if isinstance(options, dict) else []
    for item in items if isinstance(items, list) else []:
        if isinstance(item, str) and "=" in item:
            key, _, value = item.partition("=")
            key = re.sub(r"^(?:[DR]:)*", "", key.strip())
            found += _locate_toml_entry(offsets, key, value.strip(), f"{key}=")
    table = tool.get("pytest_env")
    for key, value in table.items() if isinstance(table, dict) else ():
        text = value.get("value") if isinstance(value, dict) else value
        if isinstance(text, str):
            found += _locate_toml_entry(offsets, key, text, key)
    return found


def _locate_toml_entry(offsets: _Offsets, key: str, value: str, marker: str) -> list[EnvEntry]:
    """Find where a TOML value read by tomllib is written, for its span (first occurrence)."""
    at = offsets.text.find(marker)
    if at < 0:
        return []
    value_at = offsets.text.find(value, at) if value else -1
    if value_at < 0 or "\n" in offsets.text[at:value_at]:
        span = offsets.span(at, at + len(marker))
        return [EnvEntry(key, value, span, span)]
    return [
        EnvEntry(
            key, value, offsets.span(at, value_at + len(value)), offsets.span(value_at, value_at + len(value))
        )
    ]


# --------------------------------------------------------------------------------------------
# .env files
# --------------------------------------------------------------------------------------------

_ENV_LINE = re.compile(
    r"^[ \t]*(?:export[ \t]+)?(?P<key>[A-Za-z_][\w.-]*)[ \t]*(?:=|:[ \t])[ \t]*", re.MULTILINE
)


def extract_env_file(
    text: str, rel: str, prefixes: tuple[str, ...], gitignored: bool = False
) -> EnvFileFacts:
    """The entries of a dotenv file (``KEY=value``, ``export KEY=value``, quoted values across lines)
    and, for a file that is not git-ignored, the machine paths in its values."""
    offsets = _Offsets(rel, text)
    entries: list[EnvEntry] = []
    index = 0
    length = len(text)
    while index < length:
        newline = text.find("\n", index)
        line_end = length if newline < 0 else newline
        match = _ENV_LINE.match(text, index, line_end)
        if match is None:
            index = line_end + 1
            continue
        value_start = match.end()
        quote = text[value_start] if value_start < line_end and text[value_start] in "\"'`" else ""
        if quote:
            close = _closing_quote(text, value_start + 1, quote)
            value_end = close if close >= 0 else line_end
            value = text[value_start + 1 : value_end]
            if quote == '"':
                value = value.replace("\\n", "\n").replace('\\"', '"')
            entry_end = min(value_end + 1, length)
            newline = text.find("\n", entry_end)
            line_end = length if newline < 0 else newline
            value_span = offsets.span(value_start + 1, value_end)
        else:
            raw = text[value_start:line_end].rstrip("\r")
            comment = re.search(r"(?:^|[ \t])#", raw)
            raw = raw[: comment.start()] if comment else raw
            value = raw.strip()
            entry_end = value_start + len(raw.rstrip())
            value_span = offsets.span(value_start, value_start + len(value))
        entries.append(
            EnvEntry(
                match["key"],
                value,
                offsets.span(match.start("key"), max(entry_end, match.end("key"))),
                value_span,
            )
        )
        index = line_end + 1
    machine: list[MachinePath] = []
    if not gitignored and _may_hold_machine_path(text, prefixes):
        regions: list[Region] = []
        for entry in entries:
            start = offsets.offset(entry.value_span.line, entry.value_span.column - 1)
            end = offsets.offset(entry.value_span.end_line, entry.value_span.end_column - 1)
            regions.append((start, end, "env"))
        machine = _scan(offsets, regions, prefixes)
    return EnvFileFacts(rel, tuple(entries), tuple(machine), gitignored)


def _closing_quote(text: str, start: int, quote: str) -> int:
    index = start
    while index < len(text):
        char = text[index]
        if char == "\\" and quote != "'":
            index += 2
            continue
        if char == quote:
            return index
        index += 1
    return -1
