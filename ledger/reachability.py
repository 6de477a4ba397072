"""Opening the ledger a URL names, or saying which part of the URL is wrong (SPEC §2).

A failed connection is reported as data: the part of the URL that is wrong (`scheme`, `driver`,
`host`, `port`, `role`, `database`, `file`, or `missing` for a ledger that does not exist) and its
value; the front door puts it into words. libpq reports a refused login or an unknown database
only in the server's prose (no SQLSTATE reaches the client), and that prose follows the server's
language; so the part is found by probing instead: can the host be resolved, does the port
accept a connection, does the same role get into the `postgres` maintenance database.
"""

from __future__ import annotations

import getpass
import socket
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, create_engine, inspect
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError

from ledger.database import create_ledger_engine

_PROBE_SECONDS = 5
_MAINTENANCE_DATABASE = "postgres"
# The URL scheme of libpq and Heroku; SQLAlchemy names the dialect postgresql.
_SCHEME_ALIASES = {"postgres": "postgresql+psycopg", "postgresql+psycopg3": "postgresql+psycopg"}


@dataclass(frozen=True)
class LedgerUnavailable(Exception):
    """The ledger at `url` cannot be used because of `part`, whose value is `value`.

    `url` is shown with its password hidden; `suggestion` is a corrected scheme where one is known.
    """

    part: str
    value: str
    url: str
    suggestion: str = ""

    def __str__(self) -> str:
        return f"{self.part} {self.value!r} of {self.url}"


def open_ledger(url: str, *, must_exist: bool) -> Engine:
    """An engine on the ledger at `url`, connected once to prove the URL works.

    must_exist: the command only reads, so a missing ledger (no SQLite file, or a database
    without the ledger schema) is an error instead of a new empty ledger.
    """
    parsed = _parse(url)
    shown = parsed.render_as_string(hide_password=True)
    _load_dialect(parsed, shown)
    sqlite_file = _sqlite_file(parsed)
    if sqlite_file is not None and must_exist and not sqlite_file.is_file():
        raise LedgerUnavailable("missing", str(sqlite_file), shown)
    if sqlite_file is not None and not must_exist:
        sqlite_file.parent.mkdir(parents=True, exist_ok=True)
    # A plain engine first: the ledger's own sets SQLite pragmas, which write to the file.
    probe = create_engine(url)
    try:
        with probe.connect() as connection:
            has_schema = inspect(connection).has_table("alembic_version")
    except ImportError:
        raise LedgerUnavailable("driver", parsed.get_driver_name(), shown) from None
    except (DBAPIError, OSError):
        raise _diagnose(parsed, shown) from None
    finally:
        probe.dispose()
    if must_exist and not has_schema:
        raise LedgerUnavailable("missing", parsed.database or "", shown)
    engine = create_ledger_engine(url)
    return engine


def _sqlite_file(parsed: URL) -> Path | None:
    """The file of a SQLite URL, also in its URI form (`sqlite:///file:PATH?mode=ro&uri=true`);
    None for another database or one in memory."""
    if parsed.get_backend_name() != "sqlite":
        return None
    database = parsed.database or ""
    if parsed.query.get("uri") == "true" and database.startswith("file:"):
        if parsed.query.get("mode") == "memory":
            return None
        database = database.removeprefix("file:")
    return None if database in ("", ":memory:") else Path(database)


def _parse(url: str) -> URL:
    try:
        return make_url(url)
    except ArgumentError:
        raise LedgerUnavailable("url", url, url) from None


def _load_dialect(parsed: URL, shown: str) -> None:
    scheme = parsed.drivername
    if scheme in _SCHEME_ALIASES:
        raise LedgerUnavailable("scheme", scheme, shown, _SCHEME_ALIASES[scheme])
    try:
        parsed.get_dialect()
    except NoSuchModuleError:
        backend = parsed.get_backend_name()
        try:
            parsed.set(drivername=backend).get_dialect()
        except NoSuchModuleError:
            raise LedgerUnavailable("scheme", backend, shown) from None
        raise LedgerUnavailable("driver", parsed.get_driver_name(), shown) from None
    except ImportError:
        raise LedgerUnavailable("driver", parsed.get_driver_name(), shown) from None


def _diagnose(parsed: URL, shown: str) -> LedgerUnavailable:
    """Which part of a URL that did not connect is wrong."""
    if parsed.get_backend_name() == "sqlite":
        return LedgerUnavailable("file", str(parsed.database), shown)
    host = parsed.host or "localhost"
    # PostgreSQL is the one server the ledger supports (SPEC §2); 5432 is libpq's default.
    port = parsed.port or 5432
    try:
        socket.getaddrinfo(host, port)
    except OSError:
        return LedgerUnavailable("host", host, shown)
    try:
        socket.create_connection((host, port), timeout=_PROBE_SECONDS).close()
    except OSError:
        return LedgerUnavailable("port", str(port), shown)
    # Without a user in the URL, libpq logs in as the operating-system user.
    role = parsed.username or getpass.getuser()
    if parsed.database and parsed.database != _MAINTENANCE_DATABASE:
        probe = create_ledger_engine(
            parsed.set(database=_MAINTENANCE_DATABASE).render_as_string(hide_password=False)
        )
        try:
            with probe.connect():
                return LedgerUnavailable("database", parsed.database, shown)
        except DBAPIError:
            pass
        finally:
            probe.dispose()
    return LedgerUnavailable("role", role, shown)
