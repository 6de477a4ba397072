"""Create and upgrade the ledger schema with Alembic, configured in code.

The migrations ship inside the package, so an installed copy (no alembic.ini, no checkout) can
create and upgrade its own database.

Every command checks the schema revision before it touches the ledger, so that check must be
cheap: it reads `alembic_version` with SQLAlchemy and compares it with `HEAD_REVISION`, and
Alembic itself (about a tenth of a second to import) is loaded only to create or upgrade.
`tests/ledger/test_schema.py` holds `HEAD_REVISION` equal to the newest migration's id.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import Engine, inspect, text

if TYPE_CHECKING:
    from alembic.config import Config

# The id of the newest migration in ledger/migrations/versions; raise it with every new one.
HEAD_REVISION = "0008"


class SchemaOutdated(RuntimeError):
    """The database was written by an older version; `budget-monitor init` upgrades it."""


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


def upgrade(engine: Engine) -> None:
    """Bring the schema to the newest revision (creates it in an empty database)."""
    from alembic import command

    config = _config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def ensure_schema(engine: Engine) -> None:
    """Create the schema on first use; refuse to touch an outdated one without being asked."""
    revision = current_revision(engine)
    if revision is None:
        upgrade(engine)
    elif revision != HEAD_REVISION:
        raise SchemaOutdated(
            f"the ledger database has schema revision {revision}, this version needs "
            f"{HEAD_REVISION}; back it up, then run `budget-monitor init` to upgrade it"
        )
