"""Import batches and append-only postings.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "import_batch",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("file_name", sa.String(500), nullable=False),
        sa.Column("file_size", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("profile", sa.String(100), nullable=False),
        sa.Column("os_user", sa.String(100), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("imported", sa.Integer(), nullable=False),
        sa.Column("duplicates", sa.Integer(), nullable=False),
        sa.Column("corrections", sa.Integer(), nullable=False),
        sa.Column("rejected", sa.Integer(), nullable=False),
        sa.Column("skipped", sa.Integer(), nullable=False),
        sa.Column("total_cents", sa.BigInteger(), nullable=False),
        sa.Column(
            "same_as_batch_id",
            sa.Integer(),
            sa.ForeignKey("import_batch.id", name="fk_import_batch_same_as_batch_id_import_batch"),
        ),
        sa.CheckConstraint(
            "status IN ('imported', 'partial', 'unchanged')", name="ck_import_batch_status"
        ),
        sa.CheckConstraint(
            "imported >= 0 AND duplicates >= 0 AND corrections >= 0", name="ck_import_batch_counts"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_import_batch"),
    )
    op.create_index("ix_import_batch_sha256", "import_batch", ["sha256"])

    op.create_table(
        "batch_reject",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "batch_id",
            sa.Integer(),
            sa.ForeignKey("import_batch.id", name="fk_batch_reject_batch_id_import_batch"),
            nullable=False,
        ),
        sa.Column("sheet", sa.String(200), nullable=False),
        sa.Column("row", sa.Integer(), nullable=False),
        sa.Column("column", sa.String(200)),
        sa.Column("message", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_batch_reject"),
    )
    op.create_index("ix_batch_reject_batch_id", "batch_reject", ["batch_id"])

    op.create_table(
        "batch_month_total",
        sa.Column(
            "batch_id",
            sa.Integer(),
            sa.ForeignKey("import_batch.id", name="fk_batch_month_total_batch_id_import_batch"),
            nullable=False,
        ),
        sa.Column("fiscal_year", sa.Integer(), nullable=False),
        sa.Column("month", sa.String(7), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("total_cents", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("batch_id", "fiscal_year", "month", name="pk_batch_month_total"),
    )

    op.create_table(
        "posting",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "batch_id",
            sa.Integer(),
            sa.ForeignKey("import_batch.id", name="fk_posting_batch_id_import_batch"),
            nullable=False,
        ),
        sa.Column("key_hash", sa.String(64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column(
            "supersedes_id",
            sa.Integer(),
            sa.ForeignKey("posting.id", name="fk_posting_supersedes_id_posting"),
        ),
        sa.Column("fiscal_year", sa.Integer(), nullable=False),
        sa.Column("document_no", sa.String(100)),
        sa.Column("line_no", sa.Integer()),
        sa.Column("booking_date", sa.Date(), nullable=False),
        sa.Column("account", sa.String(50), nullable=False),
        sa.Column("product", sa.String(50)),
        sa.Column("cost_center", sa.String(50)),
        sa.Column("order_no", sa.String(50)),
        sa.Column("text", sa.Text()),
        sa.Column("amount_cents", sa.BigInteger(), nullable=False),
        sa.Column("debit_credit", sa.String(10)),
        sa.Column("source_sheet", sa.String(200), nullable=False),
        sa.Column("source_row", sa.Integer(), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.CheckConstraint("version >= 1", name="ck_posting_version_positive"),
        sa.CheckConstraint(
            "(version = 1 AND supersedes_id IS NULL)"
            " OR (version > 1 AND supersedes_id IS NOT NULL)",
            name="ck_posting_version_chain",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_posting"),
        sa.UniqueConstraint("key_hash", "version", name="uq_posting_key_version"),
        sa.UniqueConstraint("supersedes_id", name="uq_posting_supersedes_id"),
    )
    op.create_index("ix_posting_batch_id", "posting", ["batch_id"])
    op.create_index("ix_posting_account", "posting", ["account"])
    op.create_index(
        "ix_posting_fiscal_year_booking_date", "posting", ["fiscal_year", "booking_date"]
    )


def downgrade() -> None:
    op.drop_table("posting")
    op.drop_table("batch_month_total")
    op.drop_table("batch_reject")
    op.drop_table("import_batch")
