"""Insert many rows given column-wise, through the driver rather than SQLAlchemy's per-row
parameter handling, which would cost more than the database's own work for a million rows."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlalchemy import Connection


def bulk_insert(
    connection: Connection, table: str, columns: Mapping[str, Sequence[object]]
) -> None:
    """COPY on PostgreSQL, one prepared executemany on SQLite; both draw the rows from the columns
    as they send them, so no list of a million row tuples is ever held."""
    names = list(columns)
    rows = zip(*columns.values(), strict=True)
    quoted = ", ".join(connection.dialect.identifier_preparer.quote(n) for n in names)
    cursor = connection.connection.cursor()
    try:
        if connection.dialect.name == "postgresql":
            with cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            statement = f"INSERT INTO {table} ({quoted}) VALUES ({', '.join('?' for _ in names)})"
            cursor.executemany(statement, rows)
    finally:
        cursor.close()
