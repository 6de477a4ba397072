"""Create and upgrade the ledger schema with Alembic, configured in code.

The migrations ship inside the package, so an installed copy (no alembic.ini, no checkout) can
create and upgrade its own database.
"""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine


class SchemaOutdated(RuntimeError):
    """The database was written by an older version; `budget-monitor init` upgrades it."""


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", "ledger:migrations")
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None, "the package ships at least one migration"
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine) -> None:
    """Bring the schema to the newest revision (creates it in an empty database)."""
    config = _config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def ensure_schema(engine: Engine) -> None:
    """Create the schema on first use; refuse to touch an outdated one without being asked."""
    revision = current_revision(engine)
    if revision is None:
        upgrade(engine)
    elif revision != head_revision():
        raise SchemaOutdated(
            f"the ledger database has schema revision {revision}, this version needs "
            f"{head_revision()}; back it up, then run `budget-monitor init` to upgrade it"
        )
