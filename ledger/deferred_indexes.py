"""A large load builds a table's indexes once, after its rows, instead of row by row.

The database keeps every index of a table up to date with each inserted row: a million postings
with their random keys and unsorted accounts and dates touch index pages all over the file.
Building an index over rows already written is one sort. On SQLite the first million postings of
a ledger, ready to bind, took 13.0 s with the posting indexes kept and 9.1-9.5 s with them built
afterwards (docs/performance-import.md, "Sixth round").

Two loads use it: an import of postings that pays for it (`pay`), and the rebuild of the derived
allocation table (`ledger.derived_allocation`), which empties the table and fills it again.

Building an index reads the whole table, so it pays only for a load that is large against the
table: a million postings into a ledger of a million took 16.0 and 20.6 s with the indexes built
afterwards against 31.0 and 24.9 s with the indexes kept, but 300,000 took 6.8 and 6.6 s against
5.9 and 6.3 s. Hence the rule: a load at least as large as the table, such as the first import
or a few years of history loaded into a young ledger. A monthly export keeps the indexes.

Nothing is weaker meanwhile. DDL is transactional in SQLite and PostgreSQL: the indexes are
dropped and built again inside the load's one transaction, so a failure, a rollback or a killed
process leaves them exactly as they were. A unique index built afterwards still refuses
duplicates, at its build, which fails the transaction as an insert would have. The indexes are
those the models declare (`tests/ledger/test_schema.py` holds them equal to what the migrations
build); those behind a table's UNIQUE or PRIMARY KEY constraint are not among them and stay.
"""

from __future__ import annotations

from sqlalchemy import Connection, Index, Table


class DeferredIndexes:
    """The declared indexes of one table, dropped by `drop` and built again by `build`."""

    def __init__(self, connection: Connection, table: Table) -> None:
        self._connection = connection
        self._indexes: list[Index] = sorted(table.indexes, key=lambda index: str(index.name))
        self._dropped = False

    @staticmethod
    def pay(connection: Connection, *, adding: int, holding: int) -> bool:
        """Whether an import of `adding` postings into a ledger of `holding` should build the
        posting indexes afterwards: on SQLite, for a load at least as large as the table (on
        PostgreSQL the import is at its floor already, and DROP INDEX would lock readers out
        until the commit)."""
        return connection.dialect.name == "sqlite" and adding > 0 and adding >= holding

    def drop(self) -> None:
        for index in self._indexes:
            index.drop(self._connection)
        self._dropped = True

    def build(self) -> None:
        """Create the dropped indexes again; does nothing if they are not dropped (or are built
        already). (SQLite's `PRAGMA threads`, helper threads for its sorter, made no difference
        to the build, measured.)"""
        if not self._dropped:
            return
        for index in self._indexes:
            index.create(self._connection)
        self._dropped = False
