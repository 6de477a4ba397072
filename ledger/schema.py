"""Create and upgrade the ledger schema with Alembic, configured in code.

The migrations ship inside the package, so an installed copy (no alembic.ini, no checkout) can
create and upgrade its own database.

Every command checks the schema revision before it touches the ledger, so that check must be
cheap: it reads `alembic_version` with SQLAlchemy and compares it with `HEAD_REVISION`, and
Alembic itself (about a tenth of a second to import) is loaded only to create or upgrade.
`tests/ledger/test_schema.py` holds `HEAD_REVISION` equal to the newest migration's id.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, inspect, text

if TYPE_CHECKING:
    from alembic.config import Config

# The id of the newest migration in ledger/migrations/versions; raise it with every new one.
HEAD_REVISION = "0019"


class SchemaOutdated(RuntimeError):
    """The database was written by an older version; `budget-monitor init` upgrades it.
    revision: the database's, head: this version's (for the front door's words)."""

    def __init__(self, revision: str, head: str) -> None:
        super().__init__(
            f"the ledger database has schema revision {revision}, this version needs "
            f"{head}; back it up, then run `budget-monitor init` to upgrade it"
        )
        self.revision, self.head = revision, head


class UpgradeRefused(RuntimeError):
    """A migration would leave the ledger inconsistent; it was rolled back, nothing changed.
    broken: how many foreign keys; table, row, parent: the first of them."""

    def __init__(self, broken: int, table: str, row: object, parent: str) -> None:
        super().__init__(
            f"the schema migration would leave {broken} broken foreign key(s), e.g. "
            f"{table} row {row} pointing at a missing {parent}; nothing was changed"
        )
        self.broken, self.table, self.row, self.parent = broken, table, row, parent


def _config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", "ledger:migrations")
    return config


def migrations_head() -> str:
    """The newest revision as Alembic reads it from the migration scripts."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None, "the package ships at least one migration"
    return head


def current_revision(engine: Engine) -> str | None:
    """The database's revision, None for a database without the ledger schema."""
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to `revision`, the newest by default (creates it in an empty database)."""
    from alembic import command

    _migrate(engine, lambda config: command.upgrade(config, revision))


def downgrade(engine: Engine, revision: str) -> None:
    """Take the schema back to `revision`, to run an older version of the software again."""
    from alembic import command

    _migrate(engine, lambda config: command.downgrade(config, revision))


def _migrate(engine: Engine, step: Callable[[Config], None]) -> None:
    """Run one Alembic command in one transaction on `engine`.

    SQLite changes a table's constraints only by copying it into a new table and dropping the old
    one, which enforced foreign keys forbid while other rows point at it; so, as SQLite's own
    procedure for such changes prescribes, keys are switched off for the migration (only possible
    outside a transaction), checked in full before its commit, and switched on again.
    """
    config = _config()
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            _sqlite_foreign_keys(connection, enforced=False)
        try:
            with connection.begin():
                config.attributes["connection"] = connection
                step(config)
                if sqlite:
                    _require_intact_foreign_keys(connection)
        finally:
            if sqlite:
                _sqlite_foreign_keys(connection, enforced=True)


def _sqlite_foreign_keys(connection: Connection, *, enforced: bool) -> None:
    # On the driver's connection: SQLAlchemy would begin a transaction first, inside which
    # SQLite ignores this pragma.
    connection.connection.driver_connection.execute(  # type: ignore[union-attr]
        f"PRAGMA foreign_keys={'ON' if enforced else 'OFF'}"
    )


def _require_intact_foreign_keys(connection: Connection) -> None:
    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
    if broken:
        table, row, parent, _ = broken[0]
        raise UpgradeRefused(len(broken), table, row, parent)


def ensure_schema(engine: Engine) -> None:
    """Create the schema on first use; refuse to touch an outdated one without being asked."""
    revision = current_revision(engine)
    if revision is None:
        upgrade(engine)
    elif revision != HEAD_REVISION:
        raise SchemaOutdated(revision, HEAD_REVISION)
