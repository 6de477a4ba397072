"""Alembic environment: runs on the connection the ledger hands over (see ledger.schema)."""

from alembic import context

from ledger.master_models import MasterImport  # noqa: F401  (registers the master tables)
from ledger.models import Base
from ledger.service_models import DeliveryLog  # noqa: F401  (registers the service tables)

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters tables by copying them
)
with context.begin_transaction():
    context.run_migrations()
