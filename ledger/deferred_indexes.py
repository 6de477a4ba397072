"""A large load into SQLite builds a table's indexes once, after its rows, instead of row by row.

SQLite keeps every index of a table up to date with each inserted row: a million postings with
their random keys and unsorted accounts and dates touch index pages all over the file. Building
an index over rows already written is one sort. For the first million postings of a ledger the
named indexes of the posting table cost about 3.3 s while inserting and 1.6 s built afterwards
(docs/performance-import.md, "Sixth round").

Building an index reads the whole table, so it pays only when the rows being loaded are at least
as many as the table holds: the first import, or a few years of history loaded into a young
ledger. A monthly export into a ledger of several years keeps its indexes.

Nothing is weaker meanwhile. SQLite's DDL is transactional: the indexes are dropped and built
again inside the import's one transaction, so a failure, a rollback or a killed process leaves
the indexes exactly as they were, and readers (the ledger runs in WAL mode) see the committed
schema all along. A unique index built afterwards still refuses duplicates, at its build, which
fails the import's transaction as an insert would have. Indexes that back a table's UNIQUE or
PRIMARY KEY constraint cannot be dropped in SQLite and stay in place.
"""

from __future__ import annotations

import os

from sqlalchemy import Connection, text

# SQLite's sorter may use this many helper threads for building an index (`PRAGMA threads`; 0,
# its default, sorts in the calling thread alone).
_SORT_THREADS = min(os.cpu_count() or 1, 4)


class DeferredIndexes:
    """The droppable indexes of one SQLite table, dropped by `drop` and built again by `build`."""

    def __init__(self, connection: Connection, table: str) -> None:
        self._connection = connection
        self._table = table
        self._dropped: list[tuple[str, str]] = []

    @staticmethod
    def pay(connection: Connection, *, adding: int, holding: int) -> bool:
        """Whether building the indexes after loading `adding` rows into a table of `holding`
        rows is the cheaper way: on SQLite, for a load at least as large as the table."""
        return connection.dialect.name == "sqlite" and adding > 0 and adding >= holding

    def drop(self) -> None:
        """Drop the table's indexes that SQLite lets go (those created by CREATE INDEX),
        remembering how each was created."""
        self._dropped = [
            (name, sql)
            for name, sql in self._connection.exec_driver_sql(
                "SELECT name, sql FROM sqlite_master"
                " WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL ORDER BY name",
                (self._table,),
            )
        ]
        for name, _ in self._dropped:
            quoted = self._connection.dialect.identifier_preparer.quote(name)
            self._connection.exec_driver_sql(f"DROP INDEX {quoted}")

    def build(self) -> None:
        """Create the dropped indexes again, each from its own statement, with SQLite's sorter
        allowed helper threads; does nothing if none are dropped (or they are built already)."""
        if not self._dropped:
            return
        previous = self._connection.exec_driver_sql("PRAGMA threads").scalar_one()
        self._connection.execute(text(f"PRAGMA threads = {_SORT_THREADS}"))
        try:
            for _, sql in self._dropped:
                self._connection.exec_driver_sql(sql)
        finally:
            self._connection.execute(text(f"PRAGMA threads = {int(previous)}"))
        self._dropped = []
