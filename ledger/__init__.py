"""The durable, versioned ledger: SQLAlchemy models, Alembic migrations, queries."""
