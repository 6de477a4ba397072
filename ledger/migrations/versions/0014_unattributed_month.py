"""Monthly sums of the unattributed spending per code of account, product, cost centre and
measure.

`spend` says what its unattributed amount is; the new derived table `unattributed_month` keeps
that per month and field, as `allocation_month` does for the district sums, so a year reads as
many rows as there are codes rather than a join of every unattributed posting. Derived data:
the key row of `allocation_cache` is deleted, so the next `spend`, `trace` or report rebuilds
the derived tables.

Downgrade: the table goes (the allocation tables stay valid).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "unattributed_month",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("field", sa.String(length=20), nullable=False),
        sa.Column("code", sa.String(length=50), nullable=True),
        sa.Column("with_measure", sa.Boolean(), nullable=False),
        sa.Column("allocated_cents", sa.BigInteger(), nullable=False),
        sa.Column("postings", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_unattributed_month")),
    )
    op.create_index("ix_unattributed_month_month", "unattributed_month", ["month"], unique=False)
    op.execute(sa.text("DELETE FROM allocation_cache"))


def downgrade() -> None:
    op.drop_index("ix_unattributed_month_month", table_name="unattributed_month")
    op.drop_table("unattributed_month")
