"""Monthly sums of the derived allocation table, so that `spend` of a year reads a few thousand
rows instead of a million.

A cache like `posting_allocation`: the upgrade deletes the cache key, so the first `spend` or
`trace` after it rebuilds both tables from the postings. Downgrading drops it and loses nothing.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "allocation_month",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("district", sa.String(length=50), nullable=True),
        sa.Column("measure", sa.String(length=50), nullable=True),
        sa.Column("allocated_cents", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_allocation_month")),
    )
    op.create_index(
        "ix_allocation_month_month", "allocation_month", ["month", "district", "measure"]
    )
    # Without its monthly sums the allocation table must not answer: force a rebuild.
    op.execute("DELETE FROM allocation_cache")


def downgrade() -> None:
    op.drop_index("ix_allocation_month_month", table_name="allocation_month")
    op.drop_table("allocation_month")
