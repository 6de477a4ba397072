"""The trip wire: database triggers that log every write the program did not make.

A hash proves a row unchanged only when it is recomputed. Master data is recomputed whole by
every check (`ledger.verification`, SPEC §6); the derived allocation table is not (that costs a
rebuild, and only `verify` pays it). The trip wire makes the cheap path sound against a plain SQL
edit of the derived tables, and is a second line for master data:

- every write to a *tripped* table (master data, the derived allocation tables) runs a trigger;
  writes of the program carry the writer mark (a row in `ledger_writer` that
  `ledger.database.write_transaction` inserts at its start and deletes before its commit, so no
  other session ever sees it) and are left alone; any other write is counted in
  `foreign_write`, per table;
- a foreign write to a derived table also deletes the allocation key (`allocation_cache`), so
  no figure is read from the table until `ledger.derived_allocation` has rebuilt it from the
  verified ledger, which settles those writes;
- a foreign write to master data is counted, and settled by the next whole re-hash that passes
  (a write that left every value as it was changes no figure).

What it does not catch: someone who bypasses the triggers on purpose (drops or disables them,
inserts the writer mark and commits, or on PostgreSQL sets `session_replication_role`). Every
check reports a missing or disabled trigger and a committed writer mark; a master value changed
so is named by every check's whole re-hash, a derived row by `verify`, which recomputes the
derived tables.

Counts are rows on SQLite (row triggers) and statements on PostgreSQL (statement triggers).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, Connection, DateTime, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from ledger.master_tables import MASTER_MODELS
from ledger.models import Base
from ledger.verify_problems import verify_problem

# Tables whose foreign writes are tripped, by role. Every check expects their triggers
# (`integrity_problems`): a master-data table added later needs a migration that creates them.
MASTER_TABLES: tuple[str, ...] = ("master_import", *MASTER_MODELS)
DERIVED_TABLES = (
    "posting_allocation",
    "allocation_month",
    "unattributed_month",
    "allocation_cache",
)
# Deleting the allocation key is the documented way to force a rebuild, and harmless.
_OPERATIONS = {"allocation_cache": ("INSERT", "UPDATE")}
_ALL_OPERATIONS = ("INSERT", "UPDATE", "DELETE")


class LedgerWriter(Base):
    """The writer mark: one row, present only inside the program's own write transactions."""

    __tablename__ = "ledger_writer"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)


class ForeignWrite(Base):
    """Writes to one tripped table that the program did not make.

    writes: counted by the triggers (rows on SQLite, statements on PostgreSQL); settled: how
    many of them a rebuild (derived tables) or a passing re-hash (master data) has accounted
    for; last_at: the newest one.
    """

    __tablename__ = "foreign_write"

    table_name: Mapped[str] = mapped_column(String(50), primary_key=True)
    writes: Mapped[int] = mapped_column(BigInteger)
    settled: Mapped[int] = mapped_column(BigInteger)
    last_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


def operations(table: str) -> tuple[str, ...]:
    return _OPERATIONS.get(table, _ALL_OPERATIONS)


def trigger_names(table: str) -> list[str]:
    """The triggers of one table as `create_triggers` names them on SQLite (one per operation);
    on PostgreSQL the one statement trigger is `trip_<table>`."""
    return [f"trip_{table}_{operation.lower()}" for operation in operations(table)]


def create_triggers(connection: Connection, tables: tuple[str, ...], derived: bool) -> None:
    """Create the trip wire on `tables` (derived: also delete the allocation key)."""
    if connection.dialect.name == "postgresql":
        _create_postgresql_function(connection)
        for table in tables:
            events = " OR ".join(operations(table))
            if table != "allocation_cache":
                events += " OR TRUNCATE"
            connection.execute(
                text(
                    f"CREATE TRIGGER trip_{table} AFTER {events} ON {table} FOR EACH STATEMENT "
                    f"EXECUTE FUNCTION trip_wire('{'derived' if derived else 'master'}')"
                )
            )
        return
    invalidate = "DELETE FROM allocation_cache;" if derived else ""
    for table in tables:
        for operation, name in zip(operations(table), trigger_names(table), strict=True):
            connection.execute(
                text(
                    f"CREATE TRIGGER {name} AFTER {operation} ON {table} "
                    "WHEN NOT EXISTS (SELECT 1 FROM ledger_writer) BEGIN "
                    "INSERT INTO foreign_write (table_name, writes, settled, last_at) "
                    f"VALUES ('{table}', 1, 0, CURRENT_TIMESTAMP) ON CONFLICT (table_name) "
                    "DO UPDATE SET writes = writes + 1, last_at = excluded.last_at; "
                    f"{invalidate} END"
                )
            )


def _create_postgresql_function(connection: Connection) -> None:
    connection.execute(
        text(
            """
            CREATE OR REPLACE FUNCTION trip_wire() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF NOT EXISTS (SELECT 1 FROM ledger_writer) THEN
                    INSERT INTO foreign_write (table_name, writes, settled, last_at)
                    VALUES (TG_TABLE_NAME, 1, 0, now())
                    ON CONFLICT (table_name) DO UPDATE
                    SET writes = foreign_write.writes + 1, last_at = excluded.last_at;
                    IF TG_ARGV[0] = 'derived' THEN
                        DELETE FROM allocation_cache;
                    END IF;
                END IF;
                RETURN NULL;
            END
            $$
            """
        )
    )


def drop_triggers(connection: Connection, tables: tuple[str, ...]) -> None:
    postgresql = connection.dialect.name == "postgresql"
    for table in tables:
        names = [f"trip_{table}"] if postgresql else trigger_names(table)
        for name in names:
            on = f" ON {table}" if postgresql else ""
            connection.execute(text(f"DROP TRIGGER IF EXISTS {name}{on}"))
    if postgresql:
        connection.execute(text("DROP FUNCTION IF EXISTS trip_wire()"))


def rewire_rebuilt(connection: Connection, tables: tuple[str, ...], derived: bool) -> None:
    """The trip wire back on tables a migration rebuilt: SQLite's batch mode copies a table to
    change a constraint and drops its triggers with the old copy; PostgreSQL alters in place."""
    if connection.dialect.name == "sqlite":
        drop_triggers(connection, tables)
        create_triggers(connection, tables, derived)


@contextmanager
def suspended(connection: Connection, tables: tuple[str, ...], derived: bool) -> Iterator[None]:
    """The SQLite row triggers of `tables` dropped for a bulk write of the program and created
    again before its transaction commits (DDL is transactional there, and the write lock keeps
    every other writer out meanwhile). They would cost each row about as much as its insert
    (a million allocation rows: 16 CPU s instead of 4); PostgreSQL's statement triggers cost
    nothing per row and stay."""
    if connection.dialect.name != "sqlite":
        yield
        return
    present = _sqlite_triggers(connection)
    # Only tables that have their triggers (a schema from before revision 0015 has none).
    tripped = tuple(t for t in tables if set(trigger_names(t)) <= present)
    drop_triggers(connection, tripped)
    yield
    create_triggers(connection, tripped, derived)


def _sqlite_triggers(connection: Connection) -> set[str]:
    return set(
        connection.execute(text("SELECT name FROM sqlite_master WHERE type = 'trigger'")).scalars()
    )


def mark_writer(connection: Connection) -> bool:
    """Mark the transaction as the program's own (`ledger.database.write_transaction`); False
    on a schema from before the trip wire (revision 0015), which has no triggers to tell."""
    if not connection.dialect.has_table(connection, LedgerWriter.__tablename__):
        return False
    connection.execute(text("INSERT INTO ledger_writer (id) VALUES (1)"))
    return True


def unmark_writer(connection: Connection) -> None:
    connection.execute(text("DELETE FROM ledger_writer"))


def foreign_writes(connection: Connection, tables: tuple[str, ...]) -> dict[str, dict[str, object]]:
    """The tables among `tables` with foreign writes not yet settled: name -> {"writes": the
    count so far, "unsettled": how many of them are not settled, "last_at": the newest}; none
    on a schema from before the trip wire."""
    if not connection.dialect.has_table(connection, ForeignWrite.__tablename__):
        return {}
    rows = connection.execute(
        text("SELECT table_name, writes, settled, last_at FROM foreign_write ORDER BY table_name")
    ).all()
    return {
        name: {"writes": int(writes), "unsettled": int(writes - settled), "last_at": str(last)}
        for name, writes, settled, last in rows
        if name in tables and writes > settled
    }


def settle(connection: Connection, seen: dict[str, dict[str, object]]) -> None:
    """Account for the foreign writes `foreign_writes` returned (inside a write transaction);
    writes counted since stay unsettled."""
    for table, found in seen.items():
        connection.execute(
            text("UPDATE foreign_write SET settled = :n WHERE table_name = :t AND settled < :n"),
            {"t": table, "n": found["writes"]},
        )


def integrity_problems(connection: Connection) -> list[dict[str, object]]:
    """A trigger missing or disabled, or a writer mark that was committed: each makes foreign
    writes pass unlogged, so each is a problem of every check."""
    tables = (*MASTER_TABLES, *DERIVED_TABLES)
    if connection.dialect.name == "postgresql":
        found = dict(
            connection.execute(
                text(
                    # The ledger's own schema: a server may hold several ledgers.
                    "SELECT t.tgname, t.tgenabled FROM pg_trigger t "
                    "JOIN pg_class c ON c.oid = t.tgrelid "
                    "WHERE NOT t.tgisinternal AND t.tgname LIKE 'trip\\_%' "
                    "AND c.relnamespace = to_regnamespace(current_schema())"
                )
            ).all()
        )
        expected = [f"trip_{table}" for table in tables]
        broken = [name for name in expected if found.get(name) not in ("O", "A")]
    else:
        found = _sqlite_triggers(connection)
        expected = [name for table in tables for name in trigger_names(table)]
        broken = [name for name in expected if name not in found]
    problems: list[dict[str, object]] = [
        verify_problem("trip_wire", "trigger_missing", {"trigger": name}, trigger=name)
        for name in broken
    ]
    marked = connection.execute(text("SELECT count(*) FROM ledger_writer")).scalar()
    if marked:
        problems.append(verify_problem("trip_wire", "writer_mark"))
    return problems
