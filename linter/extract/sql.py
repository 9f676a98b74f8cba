"""SQL front-end: split, parse (sqlglot, pglast fallback) and turn statements into schema operations."""

from __future__ import annotations

import dataclasses
import logging
import re
from bisect import bisect_right
from collections.abc import Callable, Sequence

import sqlglot
from sqlglot import exp
from sqlglot.dialects.dialect import Dialect as SqlglotDialect
from sqlglot.errors import SqlglotError
from sqlglot.tokenizer_core import Token, TokenType

from schemalint.facts import (
    AddCheck,
    AddColumn,
    AlterColumnType,
    CheckDef,
    ColumnDef,
    ColumnType,
    CreateEnumType,
    CreateTable,
    DefaultValue,
    Diagnostic,
    Dialect,
    DropColumn,
    DropConstraint,
    DropEnumType,
    DropTable,
    Feature,
    MigrationFacts,
    Op,
    RenameColumn,
    RenameTable,
    SetDefault,
    SetNullable,
    Span,
    qualified_name,
    schema_of,
    unqualified_name,
)

# sqlglot logs a warning for every statement it falls back to ``exp.Command`` for; we report
# those ourselves (pglast re-parse, or SL001), so its log output would only be noise.
logging.getLogger("sqlglot").setLevel(logging.ERROR)

_SQLGLOT_NAME: dict[Dialect, str] = {"postgresql": "postgres", "mysql": "mysql", "sqlite": "sqlite"}

# sqlglot type (DataType.Type member name) -> ColumnType.family. Anything missing is "other".
_FAMILY_BY_DTYPE: dict[str, str] = {
    **dict.fromkeys(
        ("CHAR", "NCHAR", "VARCHAR", "NVARCHAR", "TEXT", "TINYTEXT", "MEDIUMTEXT", "LONGTEXT", "BPCHAR", "NAME"),
        "text",
    ),
    **dict.fromkeys(
        (
            "TINYINT", "SMALLINT", "MEDIUMINT", "INT", "BIGINT", "UTINYINT", "USMALLINT", "UMEDIUMINT",
            "UINT", "UBIGINT", "INT128", "UINT128", "INT256", "UINT256", "SERIAL", "SMALLSERIAL",
            "BIGSERIAL",
        ),
        "integer",
    ),
    **dict.fromkeys(
        ("DECIMAL", "UDECIMAL", "BIGDECIMAL", "DECIMAL32", "DECIMAL64", "DECIMAL128", "DECIMAL256",
         "MONEY", "SMALLMONEY"),
        "numeric",
    ),
    **dict.fromkeys(("FLOAT", "DOUBLE", "UDOUBLE", "DECFLOAT"), "float"),
    "BOOLEAN": "boolean",
    **dict.fromkeys(
        ("TIMESTAMP", "TIMESTAMPTZ", "TIMESTAMPLTZ", "TIMESTAMPNTZ", "TIMESTAMP_S", "TIMESTAMP_MS",
         "TIMESTAMP_NS", "DATETIME", "DATETIME2", "DATETIME64", "SMALLDATETIME"),
        "timestamp",
    ),
    **dict.fromkeys(("DATE", "DATE32"), "date"),
    **dict.fromkeys(("TIME", "TIMETZ", "TIME_NS"), "time"),
    "INTERVAL": "interval",
    **dict.fromkeys(("JSON", "JSONB"), "json"),
    "UUID": "uuid",
    **dict.fromkeys(
        ("BINARY", "VARBINARY", "BLOB", "TINYBLOB", "MEDIUMBLOB", "LONGBLOB", "IMAGE"), "binary"
    ),
    "ARRAY": "array",
    **dict.fromkeys(("ENUM", "ENUM8", "ENUM16"), "enum"),
    "USERDEFINED": "user",
}  # fmt: skip

# Whether a type stores a time zone (timestamptz/timetz); None for types where it does not apply.
_TIMEZONE_BY_DTYPE: dict[str, bool] = {
    "TIMESTAMPTZ": True,
    "TIMESTAMPLTZ": True,
    "TIMETZ": True,
    "TIMESTAMP": False,
    "TIMESTAMPNTZ": False,
    "DATETIME": False,
    "TIME": False,
}

# PostgreSQL serial types are integers whose default draws from an owned sequence, NOT NULL.
SERIAL_TYPE_NAMES = frozenset({"serial", "smallserial", "bigserial"})

# PostgreSQL and MySQL make PRIMARY KEY columns NOT NULL; SQLite (for historical reasons) does
# not, except for INTEGER PRIMARY KEY, which aliases the rowid and fills NULL in itself.
_PRIMARY_KEY_IMPLIES_NOT_NULL: dict[Dialect, bool] = {"postgresql": True, "mysql": True, "sqlite": False}

# Types that `CREATE EXTENSION` brings (contrib modules, PostGIS, pgvector), by family. They are
# not enum types, and no CREATE TYPE in the migrations creates them, so they are not references
# to resolve against the migrations' own types.
EXTENSION_TYPES: dict[str, str] = {
    "citext": "text",
    **dict.fromkeys(
        ("ltree", "lquery", "ltxtquery", "hstore", "cube", "earth", "seg", "isbn", "isbn13", "ismn",
         "ismn13", "issn", "issn13", "ean13", "upc", "geometry", "geography", "box2d", "box3d",
         "raster", "vector", "halfvec", "sparsevec"),
        "other",
    ),
}  # fmt: skip

# Statements (sqlglot node types) that cannot change tables, columns, enum types or constraints.
_IRRELEVANT_NODES: tuple[type[exp.Expr], ...] = tuple(
    node
    for node in (
        getattr(exp, name, None)
        for name in (
            "Query", "Insert", "Update", "Delete", "Merge", "Comment", "Set", "Transaction", "Commit",
            "Rollback", "Use", "Pragma", "Grant", "Revoke", "Analyze", "Describe", "Show", "Copy",
            "Cache", "Uncache", "Refresh", "TruncateTable", "Kill", "LoadData", "Execute", "Summarize",
        )
    )
    if isinstance(node, type)
)  # fmt: skip

# What sqlglot returns for text that is an expression rather than a statement.
_BARE_EXPRESSIONS: tuple[type[exp.Expr], ...] = (exp.Condition, exp.Alias)

# CREATE / DROP / ALTER object kinds that do not affect the schema graph (tables, columns, enums).
_IRRELEVANT_KINDS = frozenset(
    {
        "INDEX", "VIEW", "MATERIALIZED VIEW", "FUNCTION", "PROCEDURE", "TRIGGER", "SEQUENCE", "SCHEMA",
        "DATABASE", "EXTENSION", "ROLE", "USER", "TABLESPACE", "DOMAIN", "POLICY", "RULE", "STATISTICS",
        "MACRO", "STAGE", "WAREHOUSE", "EVENT", "SERVER", "PUBLICATION", "SUBSCRIPTION", "COLLATION",
        "AGGREGATE", "OPERATOR", "CAST", "LANGUAGE", "TEXT SEARCH CONFIGURATION", "FOREIGN TABLE",
        "ACCESS METHOD", "CONVERSION", "VIRTUAL TABLE",
    }
)  # fmt: skip

# First words of statements sqlglot keeps as opaque commands that never change the schema graph.
_IRRELEVANT_COMMANDS = frozenset(
    {
        "LOCK", "UNLOCK", "GRANT", "REVOKE", "ANALYZE", "VACUUM", "OPTIMIZE", "FLUSH", "SHOW", "REINDEX",
        "CALL", "REFRESH", "EXPLAIN", "CHECKPOINT", "CLUSTER", "NOTIFY", "LISTEN", "UNLISTEN",
        "DEALLOCATE", "PREPARE", "EXECUTE", "START", "RESET", "DISCARD", "SAVEPOINT", "RELEASE",
        "COMMENT", "SECURITY", "REASSIGN", "HANDLER", "DO",
    }
)  # fmt: skip

# MySQL ALTER TABLE actions sqlglot cannot type that only set table options (charset, engine, ...).
_TABLE_OPTION_ACTIONS = frozenset(
    {
        "CONVERT", "ENGINE", "CHARACTER", "CHARSET", "COLLATE", "DEFAULT", "COMMENT", "AUTO_INCREMENT",
        "ROW_FORMAT", "FORCE", "ALGORITHM", "LOCK", "KEY_BLOCK_SIZE", "STATS_PERSISTENT", "ORDER",
        "ENABLE", "DISABLE", "DISCARD", "IMPORT",
    }
)  # fmt: skip

# Alter-table action node types that do not affect columns, defaults, nullability or CHECKs.
_IRRELEVANT_ACTIONS: tuple[type[exp.Expr], ...] = tuple(
    node
    for node in (getattr(exp, name, None) for name in ("DropPrimaryKey", "AlterSet", "AlterIndex"))
    if isinstance(node, type)
)

# ADD CONSTRAINT kinds that add no CHECK (their NOT NULL effect, for primary keys, is handled).
_IRRELEVANT_CONSTRAINTS: tuple[type[exp.Expr], ...] = (
    exp.ForeignKey,
    exp.UniqueColumnConstraint,
    exp.IndexColumnConstraint,
    exp.Reference,
    exp.ExcludeColumnConstraint,
)

# Migration tools that keep both directions in one file: markers opening the up and down parts.
_SECTION_MARKERS = re.compile(
    r"^[ \t]*--[ \t]*(?:migrate:(?P<dbmate>up|down)|\+goose[ \t]+(?P<goose>up|down))\b.*$",
    re.MULTILINE | re.IGNORECASE,
)

# Constructs not every dialect runs (keys of facts.FEATURE_DIALECTS), matched on a statement's
# text with string literals, quoted names and comments blanked. A statement head selects the
# patterns that apply to it, so `ENUM (` in `CREATE TYPE` is not read as MySQL's inline ENUM.
_TABLE_DDL = (
    r"^\s*(?:CREATE\s+(?:(?:GLOBAL|LOCAL)\s+)?(?:TEMP(?:ORARY)?\s+|UNLOGGED\s+)?TABLE|ALTER\s+TABLE)\b"
)
_FEATURE_PATTERNS: tuple[tuple[str, re.Pattern[str], re.Pattern[str]], ...] = tuple(
    (name, re.compile(head, re.IGNORECASE), re.compile(body, re.IGNORECASE | re.DOTALL))
    for name, head, body in (
        ("jsonb", r"", r"\bJSONB\b"),
        ("ilike", r"", r"\bILIKE\b"),
        ("enum-type", r"^\s*CREATE\s+TYPE\b", r"\bAS\s+ENUM\b"),
        ("inline-enum", _TABLE_DDL, r"\bENUM\s*\("),
        ("array", _TABLE_DDL, r"\w\s*\[\s*\d*\s*\]|\bARRAY\b"),
        ("check-extract", r"", r"\bCHECK\s*\(.*\bEXTRACT\s*\("),
        ("pg-function", r"^\s*(?:DO\b|CREATE\s+(?:OR\s+REPLACE\s+)?(?:FUNCTION|PROCEDURE|TRIGGER)\b)", r""),
        ("create-extension", r"^\s*CREATE\s+EXTENSION\b", r""),
        ("alter-column", r"^\s*ALTER\s+TABLE\b", r"\bALTER\s+(?:COLUMN\s+)?\S+\s+(?:SET|DROP|TYPE)\b"),
        ("alter-constraint", r"^\s*ALTER\s+TABLE\b", r"\b(?:ADD\s+(?:CONSTRAINT|PRIMARY\s+KEY|FOREIGN\s+KEY|CHECK|UNIQUE)|DROP\s+CONSTRAINT)\b"),
    )
)  # fmt: skip
# String literals (standard, E'', dollar-quoted), quoted identifiers and comments.
_OPAQUE_TEXT = re.compile(
    r"""'(?:[^']|'')*'|"(?:[^"]|"")*"|`[^`]*`|--[^\n]*|/\*.*?\*/|(\$\w*\$).*?\1""", re.DOTALL
)

# ``SET [SESSION | LOCAL] search_path TO | = a, b``. The path's default ("$user", public) and
# pg_catalog (always searched first) do not move names out of ``public``.
_SEARCH_PATH = re.compile(
    r"\s*SET\s+(?:(?:SESSION|LOCAL)\s+)?search_path\s*(?:=|\bTO\b)\s*(?P<value>.*?)\s*;?\s*$",
    re.IGNORECASE | re.DOTALL,
)
_DEFAULT_PATH = frozenset({"public", "$user", "pg_catalog", "default"})


def _path_entry(text: str) -> str:
    """A search_path entry as PostgreSQL reads it: quoted kept, unquoted folded to lower case."""
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        return text[1:-1]
    return text.lower()


_SL001_HELP = "schemalint cannot replay this statement, so findings about what it changes may be wrong."


class NotUnderstood(Exception):
    """A statement (or one action of it) that may change the schema but cannot be interpreted."""


class _Positions:
    """Maps character offsets of a SQL text to file positions, honouring the text's origin."""

    def __init__(self, text: str, path: str, origin: tuple[int, int]) -> None:
        self.path = path
        self.origin = origin
        self.line_starts = [0, *(m.end() for m in re.finditer("\n", text))]

    def point(self, offset: int) -> tuple[int, int]:
        index = bisect_right(self.line_starts, offset) - 1
        column = offset - self.line_starts[index]
        if index == 0:
            return self.origin[0], self.origin[1] + column
        return self.origin[0] + index, column + 1

    def span(self, start: int, end: int) -> Span:
        """The span of ``text[start:end]``."""
        return Span(self.path, *self.point(start), *self.point(end))


class _Statement:
    """One statement being converted; also the host the pglast converter calls back into."""

    def __init__(self, run: _Run, text: str, base: int | None, span: Span) -> None:
        self.run = run
        self.text = text  # the statement's own text
        self.base = base  # offset of ``text`` in the whole SQL, None if positions are unknown
        self.statement_span = span
        self.dialect = run.dialect
        self._check_sources: list[str] | None = None

    def check_source(self, condition: exp.Expr) -> str | None:
        """The condition's text as written in the statement, if it can be found.

        sqlglot regenerates SQL in its own spelling (``char_length`` becomes ``LENGTH``), so a
        ``CHECK (...)`` body is looked up in the source: the one that parses to the same tree.
        """
        if self._check_sources is None:
            self._check_sources = _check_bodies(self.text, self.run.sqlglot_dialect)
        target = _strip_parens(condition).sql(self.run.read)
        for index, source in enumerate(self._check_sources):
            try:
                parsed = sqlglot.parse_one(source, read=self.run.read)
            except SqlglotError:
                continue
            if _strip_parens(parsed).sql(self.run.read) == target:
                del self._check_sources[index]
                return source
        return None

    # -- pglast host interface ---------------------------------------------------------------
    def span(self, start: int, end: int) -> Span:
        """The span of ``self.text[start:end]`` (the statement's span if positions are unknown)."""
        if self.base is None:
            return self.statement_span
        return self.run.positions.span(self.base + start, self.base + end)

    def column_type(self, type_sql: str) -> ColumnType:
        try:
            data_type = exp.DataType.build(type_sql, dialect=self.run.read, udt=True)
        except (SqlglotError, ValueError):
            return ColumnType("unknown", type_sql.lower())
        return column_type(data_type, self.run.sqlglot_dialect, self.dialect)

    def default(self, expression_sql: str) -> DefaultValue:
        try:
            expression = sqlglot.parse_one(expression_sql, read=self.run.read)
        except SqlglotError:
            return DefaultValue(None, False, expression_sql)
        return default_value(expression, self.run.read)

    def check(
        self, expression_sql: str, name: str | None, column: str | None = None, not_valid: bool = False
    ) -> CheckDef:
        try:
            source = self.check_source(sqlglot.parse_one(expression_sql, read=self.run.read))
        except SqlglotError:
            source = None
        check = check_from_expression(source or expression_sql, self.dialect, self.statement_span, name)
        if column is not None and check.column is None:
            check = dataclasses.replace(check, column=column)
        return dataclasses.replace(check, not_valid=not_valid) if not_valid else check

    def not_understood(self, reason: str) -> None:
        self.run.not_understood(self.text, self.statement_span, reason)

    def nested(self, sql: str, offset: int | None) -> list[Op]:
        """Operations of a statement inside this one (a DO block's body) at ``offset`` in it."""
        base = None if offset is None or self.base is None else self.base + offset
        return self.run.nested_ops(sql, base, self.statement_span)


class _Run:
    """State of one ``sql_to_ops`` call: dialect, positions and collected diagnostics."""

    def __init__(self, sql: str, path: str, dialect: Dialect, origin: tuple[int, int]) -> None:
        self.path = path
        self.dialect = dialect
        self.read = _SQLGLOT_NAME[dialect]
        self.sqlglot_dialect = SqlglotDialect.get_or_raise(self.read)
        self.positions = _Positions(sql, path, origin)
        self.diagnostics: list[Diagnostic] = []

    def diagnose(self, code: str, message: str, span: Span, help: str = "") -> None:
        self.diagnostics.append(Diagnostic(code, message, span, help))

    def not_understood(self, text: str, span: Span, reason: str) -> None:
        self.diagnose("SL001", f"`{_head(text)}` was not understood; {reason}.", span, _SL001_HELP)

    def statements(self, text: str) -> list[list[Token]] | None:
        """``text``'s tokens split at ``;`` (strings and dollar-quoted bodies are single tokens)."""
        try:
            tokens = self.sqlglot_dialect.tokenize(text)
        except SqlglotError:
            return None
        groups: list[list[Token]] = [[]]
        for token in tokens:
            if token.token_type == TokenType.SEMICOLON:
                groups.append([])
            else:
                groups[-1].append(token)
        return [group for group in groups if group]

    def statement_ops(self, tokens: list[Token], text: str, base: int | None, span: Span) -> list[Op]:
        """Operations of one statement whose tokens index into ``text`` (at ``base`` in the SQL)."""
        start, end = tokens[0].start, tokens[-1].end + 1
        stmt_base = None if base is None else base + start
        statement = _Statement(self, text[start:end], stmt_base, span)
        if self.dialect == "postgresql" and _SEARCH_PATH.match(statement.text):
            self.search_path(statement)
            return []
        tree: exp.Expr | None = None
        error = ""
        try:
            parsed = self.sqlglot_dialect.parser().parse(tokens, text)
            tree = parsed[0] if parsed else None
        except SqlglotError as exc:
            error = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        if tree is None and not error:
            return []
        if self.dialect == "postgresql" and (
            tree is None or isinstance(tree, (exp.Command, *_BARE_EXPRESSIONS))
        ):
            return self._pglast_ops(statement)
        if tree is None or isinstance(tree, _BARE_EXPRESSIONS):
            # sqlglot accepts a bare expression (`garbage here` is `garbage AS here`) as a
            # statement; no database does.
            reason = error or "it is an expression, not a statement"
            self.diagnose("SL002", f"`{_head(statement.text)}` could not be parsed: {reason}.", span)
            return []
        try:
            return _SqlglotConverter(statement, tokens).ops(tree)
        except NotUnderstood as exc:
            if self.dialect == "postgresql":  # the PostgreSQL parser may know better (PARTITION OF)
                return self._pglast_ops(statement, str(exc))
            statement.not_understood(str(exc))
            return []

    def search_path(self, statement: _Statement) -> None:
        """``SET search_path``: reported (SL001) unless it names only the default schemas.

        Names written without a schema are created in, and looked up through, the search path;
        schemalint takes them to be in ``public`` (its default), whatever a migration sets.
        """
        match = _SEARCH_PATH.match(statement.text)
        assert match is not None
        schemas = [_path_entry(part) for part in match.group("value").split(",") if part.strip()]
        if all(schema in _DEFAULT_PATH for schema in schemas):
            return
        self.diagnose(
            "SL001",
            f"`{_head(statement.text)}` is not replayed: schemalint does not follow `search_path` "
            "and takes every table and type named without a schema to be in `public`, so the "
            "statements after it may be replayed into the wrong schema.",
            statement.statement_span,
            "write the schema in the names (`auth.users`) of the statements that follow, then "
            "suppress this finding with that reason.",
        )

    def _pglast_ops(self, statement: _Statement, reason: str = "") -> list[Op]:
        try:
            from schemalint.extract import pg
        except ImportError:
            fallback = _rewrite_unnamed_checks(statement, self)
            if fallback is not None:
                return fallback
            statement.not_understood(
                reason or "sqlglot cannot read it and pglast is unavailable on this platform"
            )
            return []
        try:
            return pg.statement_ops(statement.text, statement)
        except pg.PgSyntaxError as exc:
            self.diagnose(
                "SL002", f"`{_head(statement.text)}` could not be parsed: {exc}.", statement.statement_span
            )
            return []
        except NotUnderstood as exc:
            statement.not_understood(str(exc))
            return []

    def nested_ops(self, sql: str, base: int | None, outer: Span) -> list[Op]:
        """Operations of SQL embedded in a statement (PL/pgSQL bodies); ``base`` is its offset."""
        groups = self.statements(sql)
        if groups is None:
            self.diagnose("SL002", f"`{_head(sql)}` could not be tokenized.", outer)
            return []
        ops: list[Op] = []
        for tokens in groups:
            span = (
                outer
                if base is None
                else self.positions.span(base + tokens[0].start, base + tokens[-1].end + 1)
            )
            ops.extend(self.statement_ops(tokens, sql, base, span))
        return ops


def _check_bodies(text: str, dialect: SqlglotDialect) -> list[str]:
    """The text inside every ``CHECK (...)`` of a statement, in order."""
    try:
        tokens = dialect.tokenize(text)
    except SqlglotError:
        return []
    bodies: list[str] = []
    for index, token in enumerate(tokens[:-1]):
        if token.text.upper() != "CHECK" or tokens[index + 1].token_type != TokenType.L_PAREN:
            continue
        depth = 0
        for close in tokens[index + 1 :]:
            depth += {TokenType.L_PAREN: 1, TokenType.R_PAREN: -1}.get(close.token_type, 0)
            if depth == 0:
                bodies.append(text[tokens[index + 1].end + 1 : close.start].strip())
                break
    return bodies


def _head(text: str) -> str:
    """The first words of a statement, for messages: ``ALTER TABLE modlog ...``."""
    words = text.split()
    return " ".join(words[:3]) + (" ..." if len(words) > 3 else "")


def _strip(expression: exp.Expr) -> exp.Expr:
    """The expression without enclosing parentheses and casts (``(col)::text`` -> ``col``)."""
    while isinstance(expression, (exp.Paren, exp.Cast)):
        expression = expression.this
    return expression


def _is_temporary(tree: exp.Expr) -> bool:
    properties = tree.args.get("properties")
    return properties is not None and any(
        isinstance(p, exp.TemporaryProperty) for p in properties.expressions
    )


def _string_literal(expression: exp.Expr) -> str | None:
    inner = _strip(expression)
    if isinstance(inner, exp.Literal) and inner.is_string:
        return str(inner.this)
    return None


def _identifier_name(node: exp.Expr | str | None, dialect: SqlglotDialect) -> str | None:
    """The dialect-normalised name of an identifier, or the last part of a dotted name."""
    if isinstance(node, str):
        return str(dialect.normalize_identifier(exp.to_identifier(node)).name)
    if isinstance(node, exp.Dot):
        return _identifier_name(node.expression, dialect)
    if isinstance(node, (exp.Table, exp.Column)):
        return _identifier_name(node.this, dialect)
    if isinstance(node, exp.Identifier):
        return str(dialect.normalize_identifier(node).name)
    return None


def _object_name(node: exp.Expr | None, dialect: SqlglotDialect, target: Dialect) -> str | None:
    """A table's or type's name as the graphs key it (``facts.qualified_name``): ``schema.name``
    outside PostgreSQL's default schema, the bare name otherwise and on MySQL and SQLite, where
    the qualifier names a database."""
    if isinstance(node, exp.Table):
        name = _identifier_name(node.this, dialect)
        db = node.args.get("db")
        schema = _identifier_name(db, dialect) if db is not None else None
    elif isinstance(node, exp.Dot):  # a type name: schema.type (catalog.schema.type keeps schema)
        name = _identifier_name(node.expression, dialect)
        schema = _identifier_name(node.this, dialect)
    else:
        return _identifier_name(node, dialect)
    return None if name is None else qualified_name(schema, name, target)


def column_type(data_type: exp.DataType, dialect: SqlglotDialect, target: Dialect) -> ColumnType:
    """A ColumnType from a sqlglot DataType (families by lookup table; user types by name).

    A user type's name keeps its schema on PostgreSQL (``email.status``); an unqualified one is
    looked up in ``public`` (``search_path`` is not followed).
    """
    kind = data_type.this
    key = kind.name if isinstance(kind, exp.DataType.Type) else "UNKNOWN"
    family = _FAMILY_BY_DTYPE.get(key, "other")
    if family == "user":
        kind_node = data_type.args.get("kind")
        builtin = _catalog_type(kind_node, data_type, dialect)
        if builtin is not None:
            return column_type(builtin, dialect, target)
        ref = _object_name(kind_node, dialect, target)
        if ref is not None and unqualified_name(ref).lower() in EXTENSION_TYPES:
            return ColumnType(EXTENSION_TYPES[unqualified_name(ref).lower()], ref)
        return ColumnType("user", ref or "", type_ref=ref)
    if family == "array":
        inner = data_type.expressions[0] if data_type.expressions else None
        element = column_type(inner, dialect, target).name if isinstance(inner, exp.DataType) else ""
        return ColumnType("array", f"{element}[]")
    labels = None
    length = None
    if family == "enum":
        labels = tuple(label for label in map(_string_literal, data_type.expressions) if label is not None)
    elif family in ("text", "binary") and data_type.expressions:
        param = data_type.expressions[0]
        value = param.this if isinstance(param, exp.DataTypeParam) else param
        if isinstance(value, exp.Literal) and not value.is_string and str(value.this).isdigit():
            length = int(value.this)
    return ColumnType(family, key.lower(), length=length, labels=labels, timezone=_TIMEZONE_BY_DTYPE.get(key))


def _catalog_type(
    kind: exp.Expr | None, data_type: exp.DataType, dialect: SqlglotDialect
) -> exp.DataType | None:
    """``pg_catalog.int4``: a built-in type spelled with its schema, read as the built-in."""
    if not isinstance(kind, exp.Dot) or _identifier_name(kind.this, dialect) != "pg_catalog":
        return None
    name = _identifier_name(kind.expression, dialect)
    try:
        builtin = exp.DataType.build(name or "", dialect=dialect)
    except (SqlglotError, ValueError):
        return None
    if builtin.this == exp.DataType.Type.USERDEFINED:
        return None
    if data_type.expressions:
        builtin.set("expressions", data_type.expressions)
    return builtin


def default_value(expression: exp.Expr, read: str) -> DefaultValue:
    """A column default: string/number/boolean/NULL literals (casts of literals too) or an expression."""
    inner = _strip(expression)
    if isinstance(inner, exp.Null):
        return DefaultValue(None, True, "NULL")
    if isinstance(inner, exp.Literal):
        return DefaultValue(str(inner.this), True, inner.sql(read))
    if isinstance(inner, exp.Neg) and isinstance(inner.this, exp.Literal) and not inner.this.is_string:
        return DefaultValue(f"-{inner.this.this}", True, inner.sql(read))
    if isinstance(inner, exp.Boolean):
        return DefaultValue(inner.sql(read).lower(), True, inner.sql(read))
    return DefaultValue(None, False, expression.sql(read))


def _disjuncts(expression: exp.Expr) -> list[exp.Expr]:
    expression = _strip_parens(expression)
    if isinstance(expression, exp.Or):
        return [*_disjuncts(expression.this), *_disjuncts(expression.expression)]
    return [expression]


def _strip_parens(expression: exp.Expr) -> exp.Expr:
    while isinstance(expression, exp.Paren):
        expression = expression.this
    return expression


def _value_set(condition: exp.Expr, dialect: SqlglotDialect) -> tuple[str, tuple[str, ...]] | None:
    """``(column, values)`` when a CHECK condition restricts one column to a set of strings.

    Accepts ``col IN (...)``, ``col = ANY (ARRAY[...])`` (with pg_dump's ``::text`` casts),
    ``col = 'a' OR col = 'b'`` and any of those ``OR col IS NULL``.
    """
    column: str | None = None
    values: list[str] = []
    for part in _disjuncts(condition):
        literals: list[exp.Expr]
        if isinstance(part, exp.Is) and isinstance(part.expression, exp.Null):
            subject, literals = part.this, []
        elif isinstance(part, exp.In) and part.expressions:
            subject, literals = part.this, list(part.expressions)
        elif isinstance(part, exp.EQ) and isinstance(part.expression, exp.Any):
            array = _strip(part.expression.this)
            if not isinstance(array, exp.Array):
                return None
            subject, literals = part.this, list(array.expressions)
        elif isinstance(part, exp.EQ):
            subject, literals = part.this, [part.expression]
            if not isinstance(_strip(subject), exp.Column):
                subject, literals = part.expression, [part.this]
        else:
            return None
        inner = _strip(subject)
        name = _identifier_name(inner, dialect) if isinstance(inner, exp.Column) else None
        strings = [_string_literal(literal) for literal in literals]
        if name is None or (column is not None and name != column) or None in strings:
            return None
        column = name
        values.extend(s for s in strings if s is not None)
    if column is None or not values:
        return None
    return column, tuple(dict.fromkeys(values))


def _check_def(
    condition: exp.Expr,
    dialect: SqlglotDialect,
    read: str,
    span: Span,
    name: str | None,
    expression: str | None = None,
    column: str | None = None,
    not_valid: bool = False,
) -> CheckDef:
    condition = _strip_parens(condition)
    text = expression if expression is not None else condition.sql(read)
    value_set = _value_set(condition, dialect)
    if value_set is not None:
        return CheckDef(name, text, span, value_set[0], value_set[1], not_valid)
    if column is None:
        referenced = {_identifier_name(c, dialect) for c in condition.find_all(exp.Column)}
        column = referenced.pop() if len(referenced) == 1 else None
    return CheckDef(name, text, span, column, None, not_valid)


class _SqlglotConverter:
    """Turns one sqlglot statement tree into operations."""

    def __init__(self, statement: _Statement, tokens: Sequence[Token]) -> None:
        self.statement = statement
        self.tokens = tokens
        self.run = statement.run
        self.dialect = statement.run.sqlglot_dialect
        self.read = statement.run.read
        self.span = statement.statement_span

    def name(self, node: exp.Expr | str | None) -> str:
        name = _identifier_name(node, self.dialect)
        if name is None:
            raise NotUnderstood(f"a name could not be read from `{node}`")
        return name

    def object_name(self, node: exp.Expr | None) -> str:
        """A table's or type's name, with its schema where the graphs keep it."""
        name = _object_name(node, self.dialect, self.run.dialect)
        if name is None:
            raise NotUnderstood(f"a name could not be read from `{node}`")
        return name

    def ops(self, tree: exp.Expr) -> list[Op]:
        if isinstance(tree, _IRRELEVANT_NODES):
            return []
        handlers: dict[type[exp.Expr], Callable[[exp.Expr], list[Op]]] = {
            exp.Create: self.create,
            exp.Drop: self.drop,
            exp.Alter: self.alter,
            exp.Command: self.command,
        }
        handler = handlers.get(type(tree))
        if handler is None:
            raise NotUnderstood(f"sqlglot read it as `{type(tree).__name__}`, which is not replayed")
        return handler(tree)

    # -- CREATE / DROP -------------------------------------------------------------------------
    def create(self, tree: exp.Expr) -> list[Op]:
        kind = str(tree.args.get("kind") or "").upper()
        if kind == "TABLE" and _is_temporary(tree):
            return []  # a temporary table is dropped when the migration's session ends
        if kind == "TABLE":
            return [self.create_table(tree)]
        if kind == "TYPE":
            enum = tree.args.get("expression")
            if isinstance(enum, exp.DataType) and enum.this == exp.DataType.Type.ENUM:
                labels = tuple(label for label in map(_string_literal, enum.expressions) if label is not None)
                return [
                    CreateEnumType(
                        self.object_name(tree.this), labels, self.span, bool(tree.args.get("exists"))
                    )
                ]
            return []  # composite and range types hold no table data
        if kind in _IRRELEVANT_KINDS:
            return []
        raise NotUnderstood(f"CREATE {kind or '(unknown kind)'} is not replayed")

    def create_table(self, tree: exp.Expr) -> CreateTable:
        schema = tree.this
        if not isinstance(schema, exp.Schema) or isinstance(tree.args.get("expression"), exp.Query):
            raise NotUnderstood("the table's columns are not spelled out (CREATE TABLE ... AS / LIKE)")
        properties = tree.args.get("properties")
        if properties is not None and any(
            type(p).__name__ in ("InheritsProperty", "PartitionedOfProperty", "LikeProperty")
            for p in properties.expressions
        ):
            raise NotUnderstood("the table's columns come from another table (INHERITS / PARTITION OF)")
        table = self.object_name(schema.this)
        columns: list[ColumnDef] = []
        checks: list[CheckDef] = []
        not_null: set[str] = set()
        for element in schema.expressions:
            if isinstance(element, exp.ColumnDef):
                columns.append(self.column(element))
            elif isinstance(element, exp.Identifier):  # SQLite allows columns without a type
                columns.append(self.column(exp.ColumnDef(this=element)))
            else:
                name = self.name(element.this) if isinstance(element, exp.Constraint) else None
                kinds = element.expressions if isinstance(element, exp.Constraint) else [element]
                for kind in kinds:
                    if isinstance(kind, exp.CheckColumnConstraint):
                        checks.append(self.check(kind, name))
                    elif isinstance(kind, (exp.PrimaryKey, exp.PrimaryKeyColumnConstraint)):
                        not_null.update(self.key_columns(kind))
                    elif not isinstance(kind, _IRRELEVANT_CONSTRAINTS):
                        raise NotUnderstood(f"the table element `{kind.sql(self.read)}` is not replayed")
        if not_null:
            implied = _PRIMARY_KEY_IMPLIES_NOT_NULL[self.run.dialect]
            columns = [
                dataclasses.replace(c, primary_key=True, nullable=c.nullable and not implied)
                if c.name in not_null
                else c
                for c in columns
            ]
        return CreateTable(table, tuple(columns), self.span, tuple(checks), bool(tree.args.get("exists")))

    def key_columns(self, key: exp.Expr) -> list[str]:
        return [self.name(part) for part in key.expressions if isinstance(part, (exp.Identifier, exp.Column))]

    def drop(self, tree: exp.Expr) -> list[Op]:
        kind = str(tree.args.get("kind") or "").upper()
        if_exists = bool(tree.args.get("exists"))
        targets = tree.args.get("tables") or ([tree.this] if tree.this else [])
        if kind == "TABLE":
            return [DropTable(self.object_name(t), self.span, if_exists) for t in targets]
        if kind == "TYPE":
            return [DropEnumType(self.object_name(t), self.span, if_exists) for t in targets]
        if kind in _IRRELEVANT_KINDS:
            return []
        raise NotUnderstood(f"DROP {kind or '(unknown kind)'} is not replayed")

    # -- ALTER TABLE ---------------------------------------------------------------------------
    def alter(self, tree: exp.Expr) -> list[Op]:
        kind = str(tree.args.get("kind") or "").upper()
        if kind in _IRRELEVANT_KINDS:
            return []
        if kind != "TABLE":
            raise NotUnderstood(f"ALTER {kind or '(unknown kind)'} is not replayed")
        table = self.object_name(tree.this)
        options = tree.args.get("options") or []
        ops: list[Op] = []
        problems: list[str] = []
        for action in tree.args.get("actions") or []:
            try:
                ops.extend(self.action(table, action, options, bool(tree.args.get("not_valid"))))
            except NotUnderstood as exc:
                problems.append(str(exc))
        if problems and self.run.dialect == "postgresql":
            # PostgreSQL has pglast, which reads every action: let it have the whole statement.
            raise NotUnderstood(problems[0])
        for problem in problems:
            self.statement.not_understood(problem)
        return ops

    def action(self, table: str, action: exp.Expr, options: list[exp.Expr], not_valid: bool) -> list[Op]:
        span = self.span
        if isinstance(action, exp.ColumnDef):
            return [AddColumn(table, self.column(action), span, bool(action.args.get("exists")))]
        if isinstance(action, exp.Drop):
            kind = str(action.args.get("kind") or "").upper()
            if_exists = bool(action.args.get("exists"))
            names = [self.name(t) for t in action.args.get("tables") or []]
            if kind == "COLUMN":
                return [DropColumn(table, name, span, if_exists) for name in names]
            if kind in ("CONSTRAINT", "CHECK"):  # MySQL 8 spells it DROP CHECK
                return [DropConstraint(table, name, span, if_exists) for name in names]
            if kind in ("INDEX", "KEY", "FOREIGN KEY", "PRIMARY KEY"):
                return []
            raise NotUnderstood(f"the action DROP {kind} is not replayed")
        if isinstance(action, exp.AlterColumn):
            return self.alter_column(table, action)
        if isinstance(action, exp.RenameColumn):
            return [RenameColumn(table, self.name(action.this), self.name(action.args.get("to")), span)]
        if isinstance(action, exp.AlterRename):
            # sqlglot reads PostgreSQL's `RENAME a TO b` (a column rename without COLUMN) as a
            # table rename to `a` with a stray `TO b` option; the option gives it away.
            stray = [o for o in options if isinstance(o, exp.ToTableProperty)]
            if stray:
                return [RenameColumn(table, self.name(action.this), self.name(stray[0].this), span)]
            # The table stays in its schema: RENAME TO takes a bare name.
            new_name = qualified_name(schema_of(table), self.name(action.this), self.run.dialect)
            return [RenameTable(table, new_name, span)]
        if isinstance(action, exp.AddConstraint):
            return [op for c in action.expressions for op in self.add_constraint(table, c, None, not_valid)]
        if isinstance(action, exp.ModifyColumn):
            return [self.modify_column(table, action)]
        if isinstance(action, _IRRELEVANT_ACTIONS):
            return []
        raise NotUnderstood(f"the action `{action.sql(self.read)}` is not replayed")

    def add_constraint(self, table: str, constraint: exp.Expr, name: str | None, not_valid: bool) -> list[Op]:
        if isinstance(constraint, exp.Constraint):
            inner_name = self.name(constraint.this)
            return [
                op
                for c in constraint.expressions
                for op in self.add_constraint(table, c, inner_name, not_valid)
            ]
        if isinstance(constraint, exp.CheckColumnConstraint):
            return [AddCheck(table, self.check(constraint, name, not_valid=not_valid), self.span)]
        if isinstance(constraint, (exp.PrimaryKey, exp.PrimaryKeyColumnConstraint)):
            if not _PRIMARY_KEY_IMPLIES_NOT_NULL[self.run.dialect]:
                return []
            return [SetNullable(table, c, False, self.span) for c in self.key_columns(constraint)]
        if isinstance(constraint, _IRRELEVANT_CONSTRAINTS):
            return []
        raise NotUnderstood(f"the constraint `{constraint.sql(self.read)}` is not replayed")

    def alter_column(self, table: str, action: exp.AlterColumn) -> list[Op]:
        column = self.name(action.this)
        args = action.args
        if isinstance(args.get("dtype"), exp.DataType):  # USING only converts existing rows
            new_type = column_type(args["dtype"], self.dialect, self.run.dialect)
            return [AlterColumnType(table, column, new_type, self.span)]
        if args.get("allow_null") is not None and (args.get("drop") or args.get("allow_null") is False):
            # SET NOT NULL is allow_null=False; DROP NOT NULL is drop=True with allow_null=True.
            return [SetNullable(table, column, bool(args.get("allow_null")), self.span)]
        if args.get("default") is not None:
            return [SetDefault(table, column, default_value(args["default"], self.read), self.span)]
        if args.get("drop"):
            return [SetDefault(table, column, None, self.span)]
        if args.get("comment") is not None or args.get("visible") is not None:
            return []
        raise NotUnderstood(f"the action `{action.sql(self.read)}` is not replayed")

    def modify_column(self, table: str, action: exp.Expr) -> AlterColumnType:
        # MySQL MODIFY / CHANGE restate the whole column definition: a default or NOT NULL left
        # out is removed, so nullability and default are replaced, not kept.
        new = self.column(action.this)
        old = action.args.get("rename_from")
        column = self.name(old) if old is not None else new.name
        return AlterColumnType(
            table,
            column,
            new.type,
            self.span,
            new_name=new.name if old is not None else None,
            nullable=new.nullable,
            default=new.default,
            replaces_default=True,
            checks=new.checks,
        )

    # -- columns and checks --------------------------------------------------------------------
    def column(self, definition: exp.Expr) -> ColumnDef:
        identifier = definition.this
        name = self.name(identifier)
        data_type = definition.args.get("kind")
        ctype = (
            column_type(data_type, self.dialect, self.run.dialect)
            if isinstance(data_type, exp.DataType)
            else ColumnType("unknown", "")
        )
        nullable = True
        primary_key = False
        default: DefaultValue | None = None
        checks: list[CheckDef] = []
        if ctype.name in SERIAL_TYPE_NAMES:
            default, nullable = DefaultValue(None, False, "nextval(...)"), False
        for constraint in definition.args.get("constraints") or []:
            kind = constraint.args.get("kind")
            if isinstance(kind, exp.NotNullColumnConstraint):
                nullable = bool(kind.args.get("allow_null"))
            elif isinstance(kind, exp.DefaultColumnConstraint):
                default = default_value(kind.this, self.read)
            elif isinstance(kind, exp.PrimaryKeyColumnConstraint):
                primary_key = True
                nullable = nullable and not _PRIMARY_KEY_IMPLIES_NOT_NULL[self.run.dialect]
            elif isinstance(kind, exp.CheckColumnConstraint):
                check_name = self.name(constraint.this) if constraint.this else None
                checks.append(self.check(kind, check_name, column=name))
            elif isinstance(kind, exp.AutoIncrementColumnConstraint):
                default = DefaultValue(None, False, "AUTO_INCREMENT")
            elif isinstance(kind, exp.GeneratedAsIdentityColumnConstraint):
                # Identity columns draw their value from a sequence and are implicitly NOT NULL.
                default, nullable = DefaultValue(None, False, kind.sql(self.read)), False
            elif isinstance(kind, exp.ComputedColumnConstraint):
                default = DefaultValue(None, False, kind.sql(self.read))
        meta = identifier.meta if isinstance(identifier, exp.Identifier) else {}
        span = self.span
        if "start" in meta and "end" in meta and self.statement.base is not None:
            start = int(meta["start"]) - self.tokens[0].start
            span = self.statement.span(start, start + int(meta["end"]) - int(meta["start"]) + 1)
        return ColumnDef(name, ctype, span, nullable, default, tuple(checks), primary_key)

    def check(
        self, constraint: exp.Expr, name: str | None, column: str | None = None, not_valid: bool = False
    ) -> CheckDef:
        source = self.statement.check_source(constraint.this)
        return _check_def(
            constraint.this, self.dialect, self.read, self.span, name, source, column, not_valid
        )

    # -- opaque commands (MySQL / SQLite; PostgreSQL sends them to pglast) ---------------------
    def command(self, tree: exp.Expr) -> list[Op]:
        # The tokenizer keeps the rest of a command (RENAME, LOCK, ...) as one string token, so
        # the first words come from the text.
        words = re.findall(r"[A-Za-z_]+", self.statement.text[:200].upper())[:3]
        if words[:2] == ["RENAME", "TABLE"]:
            return self.rename_tables()
        if words and words[0] in _IRRELEVANT_COMMANDS:
            return []
        if words[:1] in (["CREATE"], ["DROP"], ["ALTER"]) and any(
            w in _IRRELEVANT_KINDS or w in ("UNIQUE", "DEFINER", "ALGORITHM", "OR") for w in words[1:]
        ):
            return []
        if words[:2] == ["ALTER", "TABLE"]:
            if self.table_option_only():
                return []
            rewritten = _rewrite_unnamed_checks(self.statement, self.run)
            if rewritten is not None:
                return rewritten
        raise NotUnderstood("sqlglot could only read it as an opaque command")

    def table_option_only(self) -> bool:
        """Whether an ALTER TABLE has a single action that only sets a table option (MySQL)."""
        index = 2
        while index + 1 < len(self.tokens) and self.tokens[index + 1].token_type == TokenType.DOT:
            index += 2
        action = self.tokens[index + 1].text.upper() if index + 1 < len(self.tokens) else ""
        has_comma = any(t.token_type == TokenType.COMMA for t in self.tokens)
        return action in _TABLE_OPTION_ACTIONS and not has_comma

    def rename_tables(self) -> list[Op]:
        """MySQL ``RENAME TABLE a TO b, c TO d`` (renames happen left to right)."""
        prefix = re.match(r"\s*RENAME\s+TABLES?\s+", self.statement.text, re.IGNORECASE)
        tokens = self.dialect.tokenize(self.statement.text[prefix.end() :] if prefix else "")
        ops: list[Op] = []
        pair: list[Token] = []
        for token in [*tokens, None]:
            if token is not None and token.token_type != TokenType.COMMA:
                pair.append(token)
                continue
            names = [t for t in pair if t.token_type != TokenType.DOT]
            to = next((i for i, t in enumerate(names) if t.text.upper() == "TO"), None)
            if to is None or to == 0 or to == len(names) - 1:
                raise NotUnderstood("a RENAME TABLE pair could not be read")
            ops.append(RenameTable(self.token_name(names[to - 1]), self.token_name(names[-1]), self.span))
            pair = []
        return ops

    def token_name(self, token: Token) -> str:
        quoted = token.token_type == TokenType.IDENTIFIER
        return self.name(exp.to_identifier(token.text, quoted=quoted))


def _rewrite_unnamed_checks(statement: _Statement, run: _Run) -> list[Op] | None:
    """Operations of an ALTER TABLE whose only obstacle for sqlglot is an unnamed ``ADD CHECK``.

    The unnamed checks are given a placeholder name so sqlglot can parse them, then unnamed again.
    """
    placeholder = "schemalint_unnamed_check"
    rewritten, count = re.subn(
        r"\bADD(\s+)CHECK\b", rf"ADD\1CONSTRAINT {placeholder} CHECK", statement.text, flags=re.I
    )
    if not count:
        return None
    try:
        tree = sqlglot.parse_one(rewritten, read=run.read)
    except SqlglotError:
        return None
    if not isinstance(tree, exp.Alter):
        return None
    tokens = run.sqlglot_dialect.tokenize(rewritten)
    shadow = _Statement(run, rewritten, None, statement.statement_span)
    try:
        ops = _SqlglotConverter(shadow, tokens).ops(tree)
    except NotUnderstood:
        return None
    return [
        dataclasses.replace(op, check=dataclasses.replace(op.check, name=None))
        if isinstance(op, AddCheck) and op.check.name == placeholder
        else op
        for op in ops
    ]


def sql_to_ops(
    sql: str, path: str, dialect: Dialect, origin: tuple[int, int] = (1, 1)
) -> tuple[tuple[Op, ...], tuple[Diagnostic, ...], int]:
    """Operations, coverage diagnostics and statement count for SQL text.

    ``origin`` is the (line, column) of ``sql``'s first character in the file, for SQL embedded
    in another language's string literals. Each operation carries the span of its statement.
    """
    run = _Run(sql, path, dialect, origin)
    groups = run.statements(sql)
    if groups is None:
        run.diagnose("SL002", "the SQL could not be tokenized (unterminated string or quoted name?).",
                     run.positions.span(0, len(sql)))  # fmt: skip
        return (), tuple(run.diagnostics), 0
    ops: list[Op] = []
    for tokens in groups:
        span = run.positions.span(tokens[0].start, tokens[-1].end + 1)
        ops.extend(run.statement_ops(tokens, sql, 0, span))
    return tuple(ops), tuple(run.diagnostics), len(groups)


def statement_features(statement: str) -> tuple[str, ...]:
    """Names of the non-portable constructs (``FEATURE_DIALECTS`` keys) one statement uses."""
    bare = _OPAQUE_TEXT.sub(lambda m: " " * len(m.group(0)), statement)
    return tuple(name for name, head, body in _FEATURE_PATTERNS if head.search(bare) and body.search(bare))


def sql_features(
    sql: str, path: str, dialect: Dialect, origin: tuple[int, int] = (1, 1)
) -> tuple[Feature, ...]:
    """The non-portable constructs of every statement in ``sql``, each with its statement's span."""
    run = _Run(sql, path, dialect, origin)
    groups = run.statements(sql)
    if groups is None:
        return ()
    out: list[Feature] = []
    for tokens in groups:
        start, end = tokens[0].start, tokens[-1].end + 1
        span = run.positions.span(start, end)
        out.extend(Feature(name, span) for name in statement_features(sql[start:end]))
    return tuple(out)


def _up_section(text: str) -> str:
    """``text`` with everything outside dbmate/goose up sections blanked (line breaks kept)."""
    markers = list(_SECTION_MARKERS.finditer(text))
    if not markers:
        return text
    parts: list[str] = []
    position = 0
    keep = False  # text before the first marker is not part of any section
    for marker in markers:
        chunk = text[position : marker.start()]
        parts.append(chunk if keep else _blank(chunk))
        parts.append(_blank(marker.group(0)))
        keep = (marker.group("dbmate") or marker.group("goose") or "").lower() == "up"
        position = marker.end()
    tail = text[position:]
    parts.append(tail if keep else _blank(tail))
    return "".join(parts)


def _blank(text: str) -> str:
    return re.sub(r"[^\n]", " ", text)


def extract_sql_file(
    text: str,
    path: str,
    dialect: Dialect,
    *,
    history: str = "",
    order_key: tuple[str, ...] = (),
    down_file: tuple[str, str | None] | None = None,
) -> MigrationFacts:
    """Facts for a raw SQL migration file (up direction only).

    With dbmate (``-- migrate:up`` / ``-- migrate:down``) or goose (``-- +goose Up`` / ``Down``)
    sections, only the up sections are read; positions remain those of the file. ``down_file``
    is the sibling down file of a golang-migrate or Diesel migration: its path and its text (None
    when it does not exist). It is only looked at for whether it does anything.
    """
    up = _up_section(text)
    has_down = up is not text and bool(
        any(
            (m.group("dbmate") or m.group("goose") or "").lower() == "down"
            for m in _SECTION_MARKERS.finditer(text)
        )
    )
    ops, diagnostics, count = sql_to_ops(up, path, dialect)
    down_span, down_empty = _down_section(text, path) if has_down else (None, None)
    has_downgrade: bool | None = has_down if up is not text else None
    if down_file is not None and up is text:
        down_rel, down_text = down_file
        has_downgrade = down_text is not None
        if down_text is not None:
            down_span, down_empty = Span.file(down_rel), is_empty_sql(down_text)
    return MigrationFacts(
        path=path,
        kind="sql",
        ops=ops,
        diagnostics=diagnostics,
        order_key=order_key,
        statements=count,
        history=history,
        has_downgrade=has_downgrade,
        downgrade_empty=down_empty,
        downgrade_span=down_span,
        down_file=down_file[0] if down_file is not None else None,
        changes_schema=bool(ops) or any(_changes_schema(s) for s in _statement_texts(up, path, dialect)),
        features=sql_features(up, path, dialect),
    )


# A statement that changes the schema, by its head (data statements and SET/SELECT do not).
_SCHEMA_STATEMENT = re.compile(r"^\s*(?:CREATE|ALTER|DROP|RENAME|TRUNCATE|COMMENT\s+ON)\b", re.IGNORECASE)


def _changes_schema(statement: str) -> bool:
    return bool(_SCHEMA_STATEMENT.match(_OPAQUE_TEXT.sub(" ", statement)))


def _statement_texts(sql: str, path: str, dialect: Dialect) -> list[str]:
    groups = _Run(sql, path, dialect, (1, 1)).statements(sql)
    return [sql[g[0].start : g[-1].end + 1] for g in groups or ()]


def _down_section(text: str, path: str) -> tuple[Span | None, bool]:
    """The first down marker's span, and whether the down sections hold no statement."""
    markers = list(_SECTION_MARKERS.finditer(text))
    span: Span | None = None
    statements = ""
    for n, marker in enumerate(markers):
        if (marker.group("dbmate") or marker.group("goose") or "").lower() != "down":
            continue
        if span is None:
            line = text.count("\n", 0, marker.start()) + 1
            column = marker.start() - (text.rfind("\n", 0, marker.start()) + 1) + 1
            span = Span(path, line, column, line, column + len(marker.group(0).strip()))
        end = markers[n + 1].start() if n + 1 < len(markers) else len(text)
        statements += text[marker.end() : end]
    return span, is_empty_sql(statements)


def is_empty_sql(sql: str) -> bool:
    """Whether SQL holds no statement: only whitespace, comments and semicolons."""
    return not re.sub(r"[\s;]+", "", _OPAQUE_TEXT.sub(" ", sql))


def check_from_expression(expression: str, dialect: Dialect, span: Span, name: str | None = None) -> CheckDef:
    """A CheckDef from a CHECK condition's SQL text, with its value set when it is one."""
    read = _SQLGLOT_NAME[dialect]
    text = expression.strip()
    try:
        condition = sqlglot.parse_one(text, read=read)
    except SqlglotError:
        return CheckDef(name, text, span)
    return _check_def(condition, SqlglotDialect.get_or_raise(read), read, span, name, text)
