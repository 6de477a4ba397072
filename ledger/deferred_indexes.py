"""A large load into SQLite builds a table's indexes once, after its rows, instead of row by row.

SQLite keeps every index of a table up to date with each inserted row: a million postings with
their random keys and unsorted accounts and dates touch index pages all over the file. Building
an index over rows already written is one sort. The first million postings of a ledger, ready
to bind, took 13.0 s with the posting indexes kept and 9.1-9.5 s with them built afterwards
(docs/performance-import.md, "Sixth round").

Building an index reads the whole table, so it pays only for a load that is large against the
table: a million postings into a ledger of a million took 16.0 and 20.6 s with the indexes built
afterwards against 31.0 and 24.9 s with the indexes kept, but 300,000 took 6.8 and 6.6 s against
5.9 and 6.3 s. Hence the rule: a load at least as large as the table, such as the first import
or a few years of history loaded into a young ledger. A monthly export keeps the indexes.

Nothing is weaker meanwhile. SQLite's DDL is transactional: the indexes are dropped and built
again inside the import's one transaction, so a failure, a rollback or a killed process leaves
the indexes exactly as they were, and readers (the ledger runs in WAL mode) see the committed
schema all along. A unique index built afterwards still refuses duplicates, at its build, which
fails the import's transaction as an insert would have. Indexes that back a table's UNIQUE or
PRIMARY KEY constraint cannot be dropped in SQLite and stay in place.
"""

from __future__ import annotations

from sqlalchemy import Connection


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
        """Create the dropped indexes again, each from its own statement; does nothing if none
        are dropped (or they are built already). (SQLite's `PRAGMA threads`, helper threads for
        its sorter, made no difference to the build, measured.)"""
        for _, sql in self._dropped:
            self._connection.exec_driver_sql(sql)
        self._dropped = []
