"""Where the hash chain was last verified, so that figure commands check only what came since.

`spend`, `trace` and the other figure commands verify the chain before they compute; on a
ledger of millions of postings a full verification takes seconds, so they hash only the batches
and postings added since the point recorded here (master data is checked whole every time).

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "chain_check",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("seal", sa.String(length=64), nullable=False),
        sa.Column("posting_id", sa.Integer(), nullable=False),
        sa.Column("chain_hash", sa.String(length=64), nullable=False),
        sa.Column("postings", sa.Integer(), nullable=False),
        sa.Column("verified_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("full_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("id = 1", name=op.f("ck_chain_check_single_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_chain_check")),
    )


def downgrade() -> None:
    op.drop_table("chain_check")
