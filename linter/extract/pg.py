"""PostgreSQL fallback: statements sqlglot cannot type, read with pglast (libpg_query) into operations."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Sequence
from typing import Any, Protocol

import pglast
from pglast import ast
from pglast.enums import AlterTableType, ConstrType, ObjectType
from pglast.stream import RawStream

from schemalint.extract.sql import SERIAL_TYPE_NAMES, NotUnderstood
from schemalint.facts import (
    AddCheck,
    AddColumn,
    AlterColumnType,
    Alternatives,
    CheckDef,
    ColumnDef,
    ColumnType,
    CreateEnumType,
    CreateTable,
    DefaultValue,
    DropColumn,
    DropConstraint,
    DropEnumType,
    DropTable,
    Op,
    RenameColumn,
    RenameConstraint,
    RenameEnumType,
    RenameEnumValue,
    RenameTable,
    SetDefault,
    SetNullable,
    Span,
    qualified_name,
    schema_of,
    unqualified_name,
)
from schemalint.facts import AddEnumValue as AddEnumValueOp


class PgSyntaxError(Exception):
    """pglast (the PostgreSQL parser itself) rejected the statement."""


class Host(Protocol):
    """What the converter needs from the SQL front-end: positions and expression readers."""

    statement_span: Span

    def span(self, start: int, end: int) -> Span: ...

    def column_type(self, type_sql: str) -> ColumnType: ...

    def default(self, expression_sql: str) -> DefaultValue: ...

    def check(
        self, expression_sql: str, name: str | None, column: str | None = None, not_valid: bool = False
    ) -> CheckDef: ...

    def not_understood(self, reason: str) -> None: ...

    def nested(self, sql: str, offset: int | None) -> list[Op]: ...


# Statements (pglast node class names) that cannot change tables, columns, enum types or CHECKs.
_IRRELEVANT_STATEMENTS = frozenset(
    {
        "SelectStmt", "InsertStmt", "UpdateStmt", "DeleteStmt", "MergeStmt", "IndexStmt", "CommentStmt",
        "GrantStmt", "GrantRoleStmt", "CreateFunctionStmt", "AlterFunctionStmt", "CreateTrigStmt",
        "CreateEventTrigStmt", "AlterEventTrigStmt", "CreateExtensionStmt", "AlterExtensionStmt",
        "AlterExtensionContentsStmt", "ViewStmt", "CreateSeqStmt", "AlterSeqStmt", "VariableSetStmt",
        "VariableShowStmt", "TransactionStmt", "LockStmt", "VacuumStmt", "ReindexStmt", "CallStmt",
        "RefreshMatViewStmt", "CreatePolicyStmt", "AlterPolicyStmt", "CreateStatsStmt", "AlterStatsStmt",
        "AlterOwnerStmt", "CreateSchemaStmt", "AlterDefaultPrivilegesStmt", "CreateRoleStmt",
        "AlterRoleStmt", "AlterRoleSetStmt", "DropRoleStmt", "NotifyStmt", "ListenStmt", "UnlistenStmt",
        "ClusterStmt", "CopyStmt", "ExplainStmt", "CheckPointStmt", "DiscardStmt", "DeallocateStmt",
        "PrepareStmt", "ExecuteStmt", "CreateDomainStmt", "AlterDomainStmt", "CompositeTypeStmt",
        "CreateRangeStmt", "DefineStmt", "CreateCastStmt", "CreateOpClassStmt", "CreateOpFamilyStmt",
        "AlterOpFamilyStmt", "AlterOperatorStmt", "CreateConversionStmt", "RuleStmt", "AlterCollationStmt",
        "SecLabelStmt", "DropOwnedStmt", "ReassignOwnedStmt", "CreatePublicationStmt",
        "AlterPublicationStmt", "CreateSubscriptionStmt", "AlterSubscriptionStmt", "DropSubscriptionStmt",
        "AlterTSConfigurationStmt", "AlterTSDictionaryStmt", "CreatePLangStmt", "CreateAmStmt",
        "CreateTransformStmt", "AlterTypeStmt", "AlterObjectDependsStmt",
        "TruncateStmt", "ConstraintsSetStmt", "CreateFdwStmt", "AlterFdwStmt", "CreateForeignServerStmt",
        "AlterForeignServerStmt", "CreateUserMappingStmt", "AlterUserMappingStmt", "DropUserMappingStmt",
        "ImportForeignSchemaStmt", "CreateForeignTableStmt", "CreateTableSpaceStmt", "DropTableSpaceStmt",
        "AlterTableSpaceOptionsStmt", "CreatedbStmt", "DropdbStmt", "AlterDatabaseStmt",
        "AlterDatabaseSetStmt", "AlterDatabaseRefreshCollStmt", "AlterSystemStmt", "LoadStmt",
        "DeclareCursorStmt", "FetchStmt", "ClosePortalStmt", "ReplicaIdentityStmt", "PLAssignStmt",
    }
)  # fmt: skip

# ALTER TABLE actions that change neither columns, defaults, nullability nor CHECKs.
_IRRELEVANT_ACTIONS = frozenset(
    {
        "AT_ValidateConstraint", "AT_AlterConstraint", "AT_AddIndexConstraint", "AT_AddIndex",
        "AT_ReAddIndex", "AT_ChangeOwner", "AT_ClusterOn", "AT_DropCluster", "AT_SetLogged",
        "AT_SetUnLogged", "AT_DropOids", "AT_SetAccessMethod", "AT_SetTableSpace", "AT_SetRelOptions",
        "AT_ResetRelOptions", "AT_ReplaceRelOptions", "AT_EnableTrig", "AT_EnableAlwaysTrig",
        "AT_EnableReplicaTrig", "AT_DisableTrig", "AT_EnableTrigAll", "AT_DisableTrigAll",
        "AT_EnableTrigUser", "AT_DisableTrigUser", "AT_EnableRule", "AT_EnableAlwaysRule",
        "AT_EnableReplicaRule", "AT_DisableRule", "AT_ReplicaIdentity", "AT_EnableRowSecurity",
        "AT_DisableRowSecurity", "AT_ForceRowSecurity", "AT_NoForceRowSecurity", "AT_SetStatistics",
        "AT_SetOptions", "AT_ResetOptions", "AT_SetStorage", "AT_SetCompression", "AT_GenericOptions",
        "AT_AlterColumnGenericOptions", "AT_AttachPartition", "AT_DetachPartition",
        "AT_DetachPartitionFinalize", "AT_SetIdentity", "AT_ReAddStatistics",
    }
)  # fmt: skip

# Constraint kinds that add no CHECK and do not change nullability.
_IRRELEVANT_CONSTRAINTS = frozenset(
    {
        ConstrType.CONSTR_UNIQUE, ConstrType.CONSTR_FOREIGN, ConstrType.CONSTR_EXCLUSION,
        ConstrType.CONSTR_ATTR_DEFERRABLE, ConstrType.CONSTR_ATTR_NOT_DEFERRABLE,
        ConstrType.CONSTR_ATTR_DEFERRED, ConstrType.CONSTR_ATTR_IMMEDIATE,
    }
)  # fmt: skip

# PL/pgSQL statements that run no DDL of their own.
_PLPGSQL_QUIET = frozenset(
    {
        "PLpgSQL_stmt_raise", "PLpgSQL_stmt_perform", "PLpgSQL_stmt_assign", "PLpgSQL_stmt_return",
        "PLpgSQL_stmt_assert", "PLpgSQL_stmt_getdiag", "PLpgSQL_stmt_exit", "PLpgSQL_stmt_commit",
        "PLpgSQL_stmt_rollback",
    }
)  # fmt: skip

# Readable names of PL/pgSQL statements whose SQL runs a number of times not known statically.
_PLPGSQL_CONSTRUCTS = {
    "PLpgSQL_stmt_fors": "FOR loop",
    "PLpgSQL_stmt_fori": "FOR loop",
    "PLpgSQL_stmt_forc": "FOR loop",
    "PLpgSQL_stmt_foreach_a": "FOREACH loop",
    "PLpgSQL_stmt_dynfors": "FOR loop",
    "PLpgSQL_stmt_loop": "LOOP",
    "PLpgSQL_stmt_while": "WHILE loop",
    "PLpgSQL_stmt_case": "CASE",
}

# Loops whose body is a statement list under "body"; `FOR ... IN EXECUTE` (dynfors) runs a
# computed query and is left to the generic handling.
_PLPGSQL_LOOPS = frozenset(
    {
        "PLpgSQL_stmt_fors", "PLpgSQL_stmt_fori", "PLpgSQL_stmt_forc", "PLpgSQL_stmt_foreach_a",
        "PLpgSQL_stmt_loop", "PLpgSQL_stmt_while",
    }
)  # fmt: skip

# `IF [NOT] EXISTS (SELECT ... FROM pg_type / information_schema ...) THEN <ddl>`: the body
# runs only when it would not fail, which is what IF [NOT] EXISTS on the DDL itself means.
_EXISTS_GUARD = re.compile(r"\s*(?:NOT\s+)?EXISTS\b", re.IGNORECASE)

_QUOTED_NAME = re.compile(r'"(?:[^"]|"")*"|[^\s(),]+')
_DOLLAR_QUOTE = re.compile(r"\$[A-Za-z_0-9]*\$")
_STRING_LITERAL = re.compile(r"'((?:[^']|'')*)'", re.DOTALL)


def _deparse(node: Any) -> str:
    return str(RawStream()(node))


def _char_offset(text: str, byte_offset: int) -> int:
    """libpg_query locations are UTF-8 byte offsets; spans are in characters."""
    if text.isascii():
        return byte_offset
    return len(text.encode("utf-8")[:byte_offset].decode("utf-8", errors="ignore"))


def _type_name(names: Any) -> str:
    """A type's (or table's) name from a pglast name list, with its schema outside ``public``
    (``public.mood`` -> ``mood``, ``email.mood`` -> ``email.mood``)."""
    if isinstance(names, ast.TypeName):
        names = names.names
    items = names if isinstance(names, (list, tuple)) else [names]
    parts = [str(n.sval if isinstance(n, ast.String) else n) for n in items]
    return qualified_name(parts[-2] if len(parts) > 1 else None, parts[-1], "postgresql")


def _relation_name(relation: Any) -> str:
    """A RangeVar's table name, with its schema outside ``public`` (``facts.qualified_name``)."""
    schema = str(relation.schemaname) if relation.schemaname else None
    return qualified_name(schema, str(relation.relname), "postgresql")


def _guarded(op: Op) -> Op:
    """``op`` made idempotent: it was guarded by an existence test or an exception handler."""
    fields = {f.name for f in dataclasses.fields(op)}
    changes = {flag: True for flag in ("if_not_exists", "if_exists") if flag in fields}
    replace: Callable[..., Op] = dataclasses.replace
    return replace(op, **changes) if changes else op


class _Converter:
    def __init__(self, text: str, host: Host) -> None:
        self.text = text
        self.host = host
        self.span = host.statement_span

    def ops(self, node: Any) -> list[Op]:
        kind = type(node).__name__
        if kind in _IRRELEVANT_STATEMENTS:
            return []
        handler: Callable[[Any], list[Op]] | None = getattr(self, f"on_{kind}", None)
        if handler is None:
            raise NotUnderstood(f"pglast read it as `{kind}`, which is not replayed")
        return handler(node)

    # -- tables ----------------------------------------------------------------------------
    def on_CreateStmt(self, node: Any) -> list[Op]:
        if _is_temporary(node.relation):
            return []  # dropped when the migration's session ends
        if node.partbound is not None or node.ofTypename is not None:
            return []  # PARTITION OF / OF type: the parent table or the type defines the columns
        if node.inhRelations:
            raise NotUnderstood("columns inherited from parent tables (INHERITS) are not replayed")
        columns: list[ColumnDef] = []
        checks: list[CheckDef] = []
        not_null: set[str] = set()
        primary: set[str] = set()
        for element in node.tableElts or ():
            if isinstance(element, ast.ColumnDef):
                columns.append(self.column(element))
            elif isinstance(element, ast.Constraint):
                keys = {str(k.sval) for k in element.keys or ()}
                if element.contype == ConstrType.CONSTR_CHECK:
                    checks.append(self.check(element))
                elif element.contype == ConstrType.CONSTR_PRIMARY:
                    primary |= keys
                elif element.contype == ConstrType.CONSTR_NOTNULL:  # PG18 `CONSTRAINT c NOT NULL col`
                    not_null |= keys
            elif isinstance(element, ast.TableLikeClause):
                raise NotUnderstood("columns copied from another table with LIKE are not replayed")
        columns = [
            dataclasses.replace(
                c,
                nullable=c.nullable and c.name not in primary | not_null,
                primary_key=c.primary_key or c.name in primary,
            )
            for c in columns
        ]
        create = CreateTable(
            _relation_name(node.relation), tuple(columns), self.span, tuple(checks), bool(node.if_not_exists)
        )
        return [create]

    def on_AlterTableStmt(self, node: Any) -> list[Op]:
        if node.objtype != ObjectType.OBJECT_TABLE:
            return []  # ALTER INDEX / VIEW / SEQUENCE / TYPE ... ADD ATTRIBUTE share this node
        table = _relation_name(node.relation)
        ops: list[Op] = []
        for command in node.cmds or ():
            try:
                ops.extend(self.alter_table_command(table, command))
            except NotUnderstood as exc:
                self.host.not_understood(str(exc))
        return ops

    def alter_table_command(self, table: str, command: Any) -> list[Op]:
        subtype = AlterTableType(command.subtype)
        name = str(command.name) if command.name is not None else ""
        span = self.span
        if subtype == AlterTableType.AT_AddColumn:
            return [AddColumn(table, self.column(command.def_), span, bool(command.missing_ok))]
        if subtype == AlterTableType.AT_DropColumn:
            return [DropColumn(table, name, span, bool(command.missing_ok))]
        if subtype == AlterTableType.AT_AlterColumnType:  # the USING expression only converts rows
            return [
                AlterColumnType(table, name, self.host.column_type(_deparse(command.def_.typeName)), span)
            ]
        if subtype in (AlterTableType.AT_SetNotNull, AlterTableType.AT_DropNotNull):
            return [SetNullable(table, name, subtype == AlterTableType.AT_DropNotNull, span)]
        if subtype == AlterTableType.AT_ColumnDefault:
            default = self.host.default(_deparse(command.def_)) if command.def_ is not None else None
            return [SetDefault(table, name, default, span)]
        if subtype == AlterTableType.AT_AddIdentity:
            return [SetDefault(table, name, DefaultValue(None, False, "GENERATED AS IDENTITY"), span)]
        if subtype == AlterTableType.AT_DropIdentity:
            return [SetDefault(table, name, None, span)]
        if subtype == AlterTableType.AT_AddConstraint:
            return self.add_constraint(table, command.def_)
        if subtype == AlterTableType.AT_DropConstraint:
            return [DropConstraint(table, name, span, bool(command.missing_ok))]
        if subtype.name in _IRRELEVANT_ACTIONS:
            return []
        raise NotUnderstood(f"the ALTER TABLE action `{subtype.name}` is not replayed")

    def add_constraint(self, table: str, constraint: Any) -> list[Op]:
        contype = constraint.contype
        if contype == ConstrType.CONSTR_CHECK:
            return [AddCheck(table, self.check(constraint), self.span)]
        if contype in (ConstrType.CONSTR_PRIMARY, ConstrType.CONSTR_NOTNULL):
            # A primary key makes its columns NOT NULL; PG18 also has `ADD CONSTRAINT c NOT NULL col`.
            return [SetNullable(table, str(k.sval), False, self.span) for k in constraint.keys or ()]
        if contype in _IRRELEVANT_CONSTRAINTS:
            return []
        raise NotUnderstood(f"the constraint kind `{ConstrType(contype).name}` is not replayed")

    def check(self, constraint: Any, column: str | None = None) -> CheckDef:
        name = str(constraint.conname) if constraint.conname else None
        return self.host.check(_deparse(constraint.raw_expr), name, column, bool(constraint.skip_validation))

    def column(self, definition: Any) -> ColumnDef:
        name = str(definition.colname)
        ctype = self.host.column_type(_deparse(definition.typeName))
        nullable = not definition.is_not_null
        primary_key = False
        default: DefaultValue | None = None
        checks: list[CheckDef] = []
        if ctype.name in SERIAL_TYPE_NAMES:  # serial: a sequence default, and NOT NULL
            default, nullable = DefaultValue(None, False, "nextval(...)"), False
        for constraint in definition.constraints or ():
            contype = constraint.contype
            if contype in (ConstrType.CONSTR_NULL, ConstrType.CONSTR_NOTNULL):
                nullable = contype == ConstrType.CONSTR_NULL
            elif contype == ConstrType.CONSTR_DEFAULT:
                default = self.host.default(_deparse(constraint.raw_expr))
            elif contype == ConstrType.CONSTR_IDENTITY:  # identity columns are implicitly NOT NULL
                default, nullable = DefaultValue(None, False, "GENERATED AS IDENTITY"), False
            elif contype == ConstrType.CONSTR_GENERATED:
                default = DefaultValue(None, False, f"GENERATED ALWAYS AS ({_deparse(constraint.raw_expr)})")
            elif contype == ConstrType.CONSTR_CHECK:
                checks.append(self.check(constraint, name))
            elif contype == ConstrType.CONSTR_PRIMARY:
                primary_key, nullable = True, False
        span = self.span
        location = definition.location
        if isinstance(location, int) and location >= 0:
            start = _char_offset(self.text, location)
            match = _QUOTED_NAME.match(self.text, start)
            span = self.host.span(start, match.end() if match else start)
        return ColumnDef(name, ctype, span, nullable, default, tuple(checks), primary_key)

    def on_RenameStmt(self, node: Any) -> list[Op]:
        kind = node.renameType
        span = self.span
        if kind == ObjectType.OBJECT_COLUMN and node.relationType == ObjectType.OBJECT_TABLE:
            return [RenameColumn(_relation_name(node.relation), str(node.subname), str(node.newname), span)]
        if kind == ObjectType.OBJECT_TABLE:
            # RENAME TO takes a bare name: the table stays in its schema (so does a type).
            table = _relation_name(node.relation)
            return [RenameTable(table, _in_schema_of(table, str(node.newname)), span)]
        if kind == ObjectType.OBJECT_TABCONSTRAINT:
            return [
                RenameConstraint(_relation_name(node.relation), str(node.subname), str(node.newname), span)
            ]
        if kind == ObjectType.OBJECT_TYPE:
            type_name = _type_name(node.object)
            return [RenameEnumType(type_name, _in_schema_of(type_name, str(node.newname)), span)]
        return []  # indexes, sequences, functions, triggers, views, schemas, ...

    def on_AlterObjectSchemaStmt(self, node: Any) -> list[Op]:
        """``ALTER TABLE t SET SCHEMA s`` / ``ALTER TYPE x SET SCHEMA s``: a move is a rename."""
        schema = str(node.newschema)
        if node.objectType == ObjectType.OBJECT_TABLE:
            table = _relation_name(node.relation)
            moved = qualified_name(schema, str(node.relation.relname), "postgresql")
            return [RenameTable(table, moved, self.span)]
        if node.objectType == ObjectType.OBJECT_TYPE:
            type_name = _type_name(node.object)
            return [
                RenameEnumType(
                    type_name, qualified_name(schema, unqualified_name(type_name), "postgresql"), self.span
                )
            ]
        return []  # views, sequences, functions, domains, ...

    def on_DropStmt(self, node: Any) -> list[Op]:
        if_exists = bool(node.missing_ok)
        objects: Sequence[Any] = node.objects or ()
        if node.removeType == ObjectType.OBJECT_TABLE:
            return [DropTable(_type_name(o), self.span, if_exists) for o in objects]
        if node.removeType == ObjectType.OBJECT_TYPE:
            return [DropEnumType(_type_name(o), self.span, if_exists) for o in objects]
        return []  # indexes, views, functions, triggers, sequences, extensions, domains, ...

    def on_CreateTableAsStmt(self, node: Any) -> list[Op]:
        if node.objtype == ObjectType.OBJECT_MATVIEW or _is_temporary(node.into.rel):
            return []
        raise NotUnderstood("the columns of CREATE TABLE ... AS come from a query and are not replayed")

    # -- enum types ------------------------------------------------------------------------
    def on_CreateEnumStmt(self, node: Any) -> list[Op]:
        labels = tuple(str(v.sval) for v in node.vals or ())
        return [CreateEnumType(_type_name(node.typeName), labels, self.span)]

    def on_AlterEnumStmt(self, node: Any) -> list[Op]:
        type_name = _type_name(node.typeName)
        if node.oldVal:
            return [RenameEnumValue(type_name, str(node.oldVal), str(node.newVal), self.span)]
        neighbor = str(node.newValNeighbor) if node.newValNeighbor else None
        after = bool(node.newValIsAfter)
        return [
            AddEnumValueOp(
                type_name,
                str(node.newVal),
                self.span,
                before=None if after else neighbor,
                after=neighbor if after else None,
                if_not_exists=bool(node.skipIfNewValExists),
            )
        ]

    # -- DO blocks -------------------------------------------------------------------------
    def on_DoStmt(self, node: Any) -> list[Op]:
        options = {str(arg.defname): arg for arg in node.args or ()}
        language = options.get("language")
        if language is not None and str(language.arg.sval).lower() != "plpgsql":
            raise NotUnderstood(f"DO blocks in language `{language.arg.sval}` are not replayed")
        body_arg = options["as"]
        body = str(body_arg.arg.sval)
        body_start: int | None = None
        location = getattr(body_arg, "arg_location", None)  # where the body's quote starts
        if isinstance(location, int) and location >= 0:
            start = _char_offset(self.text, location)
            quote = _DOLLAR_QUOTE.match(self.text, start)
            if quote is not None and self.text.startswith(body, quote.end()):
                body_start = quote.end()
        try:
            functions = pglast.parse_plpgsql(self.text)
        except pglast.parser.ParseError as exc:
            raise PgSyntaxError(f"the PL/pgSQL body does not parse: {exc}") from None
        walker = _PlpgsqlWalker(self.host, body, body_start)
        ops: list[Op] = []
        for function in functions:
            action = function.get("PLpgSQL_function", {}).get("action")
            if action is not None:
                ops.extend(walker.statement(action))
        return ops


def _in_schema_of(qualified: str, new_name: str) -> str:
    """``new_name`` in the schema of ``qualified`` (a rename keeps the object's schema)."""
    return qualified_name(schema_of(qualified), new_name, "postgresql")


def _is_temporary(relation: Any) -> bool:
    """``CREATE TEMP TABLE``: PostgreSQL marks the relation's persistence with ``t``."""
    return str(getattr(relation, "relpersistence", "")) == "t"


class _PlpgsqlWalker:
    """Collects the DDL of a PL/pgSQL body (from ``parse_plpgsql``'s JSON-like tree)."""

    def __init__(self, host: Host, body: str, body_start: int | None) -> None:
        self.host = host
        self.body = body
        self.body_start = body_start
        self.line_starts = [0, *(m.end() for m in re.finditer("\n", body))]

    def statements(self, statements: Sequence[dict[str, Any]]) -> list[Op]:
        return [op for statement in statements for op in self.statement(statement)]

    def statement(self, statement: dict[str, Any]) -> list[Op]:
        ((kind, data),) = statement.items()
        if kind == "PLpgSQL_stmt_block":
            ops = self.statements(data.get("body", []))
            # A block with an exception handler (`EXCEPTION WHEN duplicate_object THEN null`)
            # swallows the error of DDL that would fail because the object already exists.
            return [_guarded(op) for op in ops] if data.get("exceptions") else ops
        if kind == "PLpgSQL_stmt_execsql":
            query = str(data["sqlstmt"]["PLpgSQL_expr"]["query"])
            return self.host.nested(query, self.locate(query, data.get("lineno")))
        if kind == "PLpgSQL_stmt_if":
            return self.if_statement(data)
        if kind == "PLpgSQL_stmt_dynexecute":
            return self.dynamic(data)
        if kind in _PLPGSQL_QUIET:
            return []
        construct = _PLPGSQL_CONSTRUCTS.get(kind, f"`{kind.removeprefix('PLpgSQL_stmt_')}`")
        if kind in _PLPGSQL_LOOPS:
            return self.loop(construct, data)
        if "PLpgSQL_stmt_execsql" in repr(data) or "PLpgSQL_stmt_dynexecute" in repr(data):
            self.host.not_understood(f"SQL inside a PL/pgSQL {construct} is not replayed")
        return []

    def loop(self, construct: str, data: dict[str, Any]) -> list[Op]:
        """A loop body, read once: a batched data fix (``FOR row IN SELECT ... LOOP UPDATE ...``)
        changes no schema however often it runs; DDL repeated an unknown number of times is not
        replayed. The loop's own query (``FOR row IN SELECT``) only reads."""
        if self.statements(data.get("body", [])):
            self.host.not_understood(f"DDL inside a PL/pgSQL {construct} is not replayed")
        return []

    def if_statement(self, data: dict[str, Any]) -> list[Op]:
        condition = str(data["cond"]["PLpgSQL_expr"]["query"])
        then = self.statements(data.get("then_body", []))
        elsifs = [self.statements(e["PLpgSQL_if_elsif"].get("stmts", [])) for e in data.get("elsif_list", [])]
        otherwise = self.statements(data.get("else_body", []))
        if _EXISTS_GUARD.match(condition) and not any(elsifs) and not otherwise:
            return [_guarded(op) for op in then]
        branches = (tuple(then), *(tuple(e) for e in elsifs), tuple(otherwise))
        if not any(branches):
            return []
        return [Alternatives(branches, self.host.statement_span)]

    def dynamic(self, data: dict[str, Any]) -> list[Op]:
        query = str(data["query"]["PLpgSQL_expr"]["query"])
        literal = _STRING_LITERAL.fullmatch(query.strip())
        if literal is None:
            self.host.not_understood("EXECUTE of a computed string is not replayed")
            return []
        sql = literal.group(1)
        offset = self.locate(query, data.get("lineno"))
        exact = offset is not None and "''" not in sql
        return self.host.nested(
            sql.replace("''", "'"), offset + query.index("'") + 1 if exact and offset is not None else None
        )

    def locate(self, query: str, lineno: Any) -> int | None:
        """Offset of ``query`` in the DO statement's text (None when it cannot be found)."""
        if self.body_start is None:
            return None
        line = lineno - 1 if isinstance(lineno, int) and 0 < lineno <= len(self.line_starts) else 0
        index = self.body.find(query, self.line_starts[line])
        if index < 0:
            index = self.body.find(query)
        return None if index < 0 else self.body_start + index


def statement_ops(text: str, host: Host) -> list[Op]:
    """Operations of one PostgreSQL statement, parsed with pglast.

    Raises PgSyntaxError when PostgreSQL's parser rejects it, NotUnderstood when it parses but
    may change the schema in a way that is not replayed.
    """
    try:
        statements = pglast.parse_sql(text)
    except pglast.parser.ParseError as exc:
        raise PgSyntaxError(str(exc)) from None
    converter = _Converter(text, host)
    return [op for raw in statements for op in converter.ops(raw.stmt)]
