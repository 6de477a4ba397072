"""`supersedes_id` unique over its non-empty values only: the same guarantee, nearly free.

A version can be superseded at most once. The unique constraint said so by indexing every
posting, although all but the corrections have no `supersedes_id`: a million empty entries that
cost 2.3 s of every million-posting import. A partial unique index over the non-empty values
keeps the guarantee, and `supersedes_id = ?` (the current-version test) still uses it.

SQLite drops an inline constraint only by rebuilding the table (ledger.schema.upgrade switches
its foreign keys off for that and checks them all before the commit). The derived allocation
tables are emptied first and rebuilt by the next `spend` or `trace`. On a large ledger the
rebuild copies every posting once; back the ledger up first, as `budget-monitor init` advises.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

_NOT_EMPTY = sa.text("supersedes_id IS NOT NULL")


def _prepare_the_rebuild() -> None:
    """Empty the derived caches: they are rebuilt from the postings by the next read, and rows
    that point at postings have no place in a table copy (ledger.schema.upgrade checks every
    foreign key before the upgrade commits)."""
    for table in ("allocation_cache", "allocation_month", "posting_allocation"):
        op.execute(f"DELETE FROM {table}")


def upgrade() -> None:
    _prepare_the_rebuild()
    with op.batch_alter_table("posting") as table:
        table.drop_constraint("uq_posting_supersedes_id", type_="unique")
    op.create_index(
        "uq_posting_supersedes_id",
        "posting",
        ["supersedes_id"],
        unique=True,
        sqlite_where=_NOT_EMPTY,
        postgresql_where=_NOT_EMPTY,
    )


def downgrade() -> None:
    _prepare_the_rebuild()
    op.drop_index("uq_posting_supersedes_id", table_name="posting")
    with op.batch_alter_table("posting") as table:
        table.create_unique_constraint("uq_posting_supersedes_id", ["supersedes_id"])
