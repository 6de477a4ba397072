"""Derived allocation table: each current spending posting's measure and district cents.

A cache, not evidence: created empty, filled by the first `spend` or `trace` after the upgrade
(`ledger.derived_allocation`). Downgrading drops it and loses nothing.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "posting_allocation",
        sa.Column("posting_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("booking_date", sa.Date(), nullable=False),
        sa.Column("measure", sa.String(length=50), nullable=True),
        sa.Column("district", sa.String(length=50), nullable=True),
        sa.Column("share", sa.String(length=30), nullable=True),
        sa.Column("allocated_cents", sa.BigInteger(), nullable=False),
        sa.Column("ambiguous", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["posting_id"], ["posting.id"], name=op.f("fk_posting_allocation_posting_id_posting")
        ),
        sa.PrimaryKeyConstraint("posting_id", "seq", name=op.f("pk_posting_allocation")),
    )
    op.create_index(
        "ix_posting_allocation_day",
        "posting_allocation",
        ["booking_date", "district", "measure", "allocated_cents"],
    )
    op.create_index(
        "ix_posting_allocation_district_day", "posting_allocation", ["district", "booking_date"]
    )
    op.create_table(
        "allocation_cache",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("catalog_import_id", sa.Integer(), nullable=True),
        sa.Column("spending_accounts", sa.String(length=1000), nullable=False),
        sa.Column("last_posting_id", sa.Integer(), nullable=False),
        sa.Column("last_batch_id", sa.Integer(), nullable=False),
        sa.Column("ambiguous", sa.Integer(), nullable=False),
        sa.Column("built_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("refreshed_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_allocation_cache_single_row")),
        sa.ForeignKeyConstraint(
            ["catalog_import_id"],
            ["master_import.id"],
            name=op.f("fk_allocation_cache_catalog_import_id_master_import"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_allocation_cache")),
    )


def downgrade() -> None:
    op.drop_table("allocation_cache")
    op.drop_index("ix_posting_allocation_district_day", table_name="posting_allocation")
    op.drop_index("ix_posting_allocation_day", table_name="posting_allocation")
    op.drop_table("posting_allocation")
