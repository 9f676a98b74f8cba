"""Database URLs: which database a URL names (for comparison) and a masked form safe to print."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import parse_qsl, unquote, urlsplit

# URL scheme (before any `+driver`) → family; the default port of each server family.
SCHEME_FAMILIES: Mapping[str, str] = {
    "postgres": "postgresql",
    "postgresql": "postgresql",
    "pgsql": "postgresql",
    "psql": "postgresql",
    "cockroachdb": "postgresql",
    "mysql": "mysql",
    "mariadb": "mysql",
    "sqlite": "sqlite",
    "sqlite3": "sqlite",
    "mssql": "mssql",
    "sqlserver": "mssql",
    "mongodb": "mongodb",
}
DEFAULT_PORTS: Mapping[str, int] = {"postgresql": 5432, "mysql": 3306, "mssql": 1433, "mongodb": 27017}
# Names of the machine itself: a server reached through any of them is the same server.
LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1", "[::1]", "0.0.0.0", ""})
_SECRET_PARAMS = frozenset({"password", "pass", "pwd", "sslpassword"})
_INTERPOLATION = re.compile(r"\$\{(?P<braced>\w+)(?::?-[^}]*)?\}|\$(?P<bare>\w+)")


@dataclass(frozen=True, slots=True)
class DatabaseIdentity:
    """What makes two URLs the same database: family, host, port and database name (or file)."""

    family: str
    host: str
    port: int | None
    database: str


def database_identity(url: str) -> DatabaseIdentity | None:
    """The database a URL names, or None when it cannot be told (not a URL, placeholders left,
    an in-memory SQLite database)."""
    url = url.strip().removeprefix("jdbc:")
    if "${" in url or "{{" in url or "://" not in url:
        return None
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    family = SCHEME_FAMILIES.get(parts.scheme.split("+", 1)[0].lower())
    if family is None:
        return None
    if family == "sqlite":
        # sqlite:///relative.db and sqlite:////absolute.db; no file means in memory, never shared.
        path = parts.path[1:] if parts.path.startswith("/") else parts.path
        if path in ("", ":memory:") or "mode=memory" in parts.query:
            return None
        return DatabaseIdentity(family, "", None, path.removeprefix("./"))
    query = dict(parse_qsl(parts.query))
    host = (parts.hostname or query.get("host", "")).lower()
    host = "localhost" if host in LOCAL_HOSTS or host.startswith("/") else host
    database = unquote(parts.path.lstrip("/")) or query.get("dbname", "")
    if not database and family == "postgresql":
        database = unquote(parts.username or "")  # libpq's default database is the user's name
    return DatabaseIdentity(family, host, port or DEFAULT_PORTS.get(family), database)


def mask_url(url: str) -> str:
    """The URL with its password (and password query parameters) replaced by ``***``."""
    url = url.strip()
    scheme, separator, rest = url.partition("://")
    masked = url
    if separator:
        end = min([i for i in (rest.find("?"), rest.find("#")) if i >= 0], default=len(rest))
        at = rest.rfind("@", 0, end)
        if at >= 0 and ":" in rest[:at]:
            user = rest[:at].split(":", 1)[0]
            masked = f"{scheme}://{user}:***{rest[at:]}"
    return re.sub(
        r"(?P<key>[?&](?:" + "|".join(_SECRET_PARAMS) + r")=)[^&#]*", r"\g<key>***", masked, flags=re.I
    )


# `scheme://user:password@` anywhere in a text; the password may not contain `@`, `/` or spaces.
_URL_PASSWORD = re.compile(r"(?P<head>\b[A-Za-z][\w+.-]*://[^\s:/@\"'`]*:)(?P<secret>[^\s@/\"'`]+)(?=@)")


def mask_passwords_in_text(text: str) -> str:
    """``text`` with every URL password replaced by as many ``*``: the same length, so spans and
    columns in reports stay right, and no secret is ever shown in a source excerpt."""
    return _URL_PASSWORD.sub(lambda m: m["head"] + "*" * len(m["secret"]), text)


def expand(value: str, variables: Mapping[str, str]) -> str:
    """``${NAME}`` and ``$NAME`` replaced from ``variables`` (dotenv-expand); unknown names stay."""

    def replace(match: re.Match[str]) -> str:
        name = match["braced"] or match["bare"]
        return variables.get(name, match.group(0))

    return _INTERPOLATION.sub(replace, value)
