"""SQLAlchemy type classes by name, shared by the Alembic and model front-ends.

Keys are the last attribute name of the type as written (``sa.String``, ``postgresql.JSONB``,
``types.Uuid``), whatever module it comes from: projects alias these modules freely.
"""

from __future__ import annotations

# SQLAlchemy type class (last attribute name, any module) → (family, SQL type name).
TYPE_FAMILIES: dict[str, tuple[str, str]] = {
    **dict.fromkeys(("String", "VARCHAR", "Unicode", "AutoString"), ("text", "varchar")),
    **dict.fromkeys(("NVARCHAR",), ("text", "nvarchar")),
    **dict.fromkeys(("Text", "TEXT", "UnicodeText", "CLOB"), ("text", "text")),
    **dict.fromkeys(("TINYTEXT", "MEDIUMTEXT", "LONGTEXT"), ("text", "text")),
    **dict.fromkeys(("CHAR", "NCHAR"), ("text", "char")),
    "CITEXT": ("text", "citext"),
    **dict.fromkeys(("Integer", "INTEGER", "INT"), ("integer", "integer")),
    **dict.fromkeys(("BigInteger", "BIGINT"), ("integer", "bigint")),
    **dict.fromkeys(("SmallInteger", "SMALLINT"), ("integer", "smallint")),
    **dict.fromkeys(("TINYINT", "MEDIUMINT"), ("integer", "integer")),
    **dict.fromkeys(("Boolean", "BOOLEAN"), ("boolean", "boolean")),
    **dict.fromkeys(("DateTime", "TIMESTAMP"), ("timestamp", "timestamp")),
    "DATETIME": ("timestamp", "datetime"),
    **dict.fromkeys(("Date", "DATE"), ("date", "date")),
    **dict.fromkeys(("Time", "TIME"), ("time", "time")),
    **dict.fromkeys(("Interval", "INTERVAL"), ("interval", "interval")),
    **dict.fromkeys(("Numeric", "NUMERIC"), ("numeric", "numeric")),
    "DECIMAL": ("numeric", "decimal"),
    **dict.fromkeys(("Float", "FLOAT"), ("float", "float")),
    "REAL": ("float", "real"),
    **dict.fromkeys(("Double", "DOUBLE", "DOUBLE_PRECISION"), ("float", "double precision")),
    "JSON": ("json", "json"),
    "JSONB": ("json", "jsonb"),
    **dict.fromkeys(("UUID", "Uuid"), ("uuid", "uuid")),
    **dict.fromkeys(("LargeBinary", "BLOB"), ("binary", "blob")),
    "BYTEA": ("binary", "bytea"),
    **dict.fromkeys(("BINARY", "VARBINARY"), ("binary", "varbinary")),
    "ARRAY": ("array", "array"),
}
