"""The service: delivery log, heartbeat, job runs and alerts.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "delivery_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_period", sa.String(length=10), nullable=False),
        sa.Column("recipient", sa.String(length=1000), nullable=False),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("file", sa.String(length=1000), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column(
            "report_run_id",
            sa.Integer(),
            sa.ForeignKey("report_run.id", name="fk_delivery_log_report_run_id_report_run"),
            nullable=True,
        ),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("channel IN ('email', 'outbox')", name="ck_delivery_log_channel"),
        sa.CheckConstraint(
            "status IN ('pending', 'sending', 'sent', 'failed', 'uncertain')",
            name="ck_delivery_log_status",
        ),
        sa.CheckConstraint("attempts >= 0", name="ck_delivery_log_attempts"),
        sa.PrimaryKeyConstraint("id", name="pk_delivery_log"),
        sa.UniqueConstraint(
            "report_period", "recipient", "channel", name="uq_delivery_log_period_recipient"
        ),
    )

    op.create_table(
        "heartbeat",
        sa.Column("service", sa.String(length=50), nullable=False),
        sa.Column("host", sa.String(length=255), nullable=False),
        sa.Column("pid", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("started", sa.DateTime(timezone=True), nullable=False),
        sa.Column("beat", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("state IN ('running', 'stopped')", name="ck_heartbeat_state"),
        sa.PrimaryKeyConstraint("service", name="pk_heartbeat"),
    )

    op.create_table(
        "job_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=50), nullable=False),
        sa.Column("started_by", sa.String(length=20), nullable=False),
        sa.Column("started", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished", sa.DateTime(timezone=True), nullable=True),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        sa.Column("succeeded", sa.Integer(), nullable=False),
        sa.Column("failed", sa.Integer(), nullable=False),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "outcome IN ('running', 'ok', 'warning', 'error')", name="ck_job_run_outcome"
        ),
        sa.CheckConstraint("succeeded >= 0 AND failed >= 0", name="ck_job_run_counts"),
        sa.PrimaryKeyConstraint("id", name="pk_job_run"),
    )
    op.create_index("ix_job_run_name", "job_run", ["name"])

    op.create_table(
        "alert",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "reported_in_run",
            sa.Integer(),
            sa.ForeignKey("report_run.id", name="fk_alert_reported_in_run_report_run"),
            nullable=True,
        ),
        sa.CheckConstraint(
            "kind IN ('unattributed_share', 'idle_measure', 'unmatched_lookalike', "
            "'export_changed', 'import_failed', 'delivery_failed', 'delivery_uncertain', "
            "'job_missed')",
            name="ck_alert_kind",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_alert"),
        sa.UniqueConstraint("kind", "subject", name="uq_alert_kind_subject"),
    )


def downgrade() -> None:
    op.drop_table("alert")
    op.drop_index("ix_job_run_name", table_name="job_run")
    op.drop_table("job_run")
    op.drop_table("heartbeat")
    op.drop_table("delivery_log")
