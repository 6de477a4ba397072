"""The posting key's uniqueness as a named unique index, which a large load can build afterwards.

`(key_hash, version)` stays unique, as before. As a table constraint SQLite backs it with an
index it never lets go; as a named unique index (the same guarantee) it can be dropped and
built again inside the import's transaction, as `ledger.deferred_indexes` does for a load at
least as large as the ledger: the first million postings' random 64-character keys cost about
2 s less sorted once than inserted one by one (docs/performance-import.md, "Sixth round").

SQLite drops an inline constraint only by rebuilding the table (ledger.schema.upgrade switches
its foreign keys off for that and checks them all before the commit); the ids and every value
are copied unchanged, so the hash chain and the rows pointing at postings stay valid. On a large
ledger the rebuild copies every posting once; back the ledger up first, as `budget-monitor init`
advises.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-07
"""

from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

_NAME = "uq_posting_key_version"
_COLUMNS = ["key_hash", "version"]


def upgrade() -> None:
    with op.batch_alter_table("posting") as table:
        table.drop_constraint(_NAME, type_="unique")
    op.create_index(_NAME, "posting", _COLUMNS, unique=True)


def downgrade() -> None:
    op.drop_index(_NAME, table_name="posting")
    with op.batch_alter_table("posting") as table:
        table.create_unique_constraint(_NAME, _COLUMNS)
