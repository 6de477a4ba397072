"""Report runs: the sidecar file, the last batch seen, the settings digest and reruns.

Runs recorded before this revision keep NULL sidecar, digest and rerun_of; their last batch is
the one whose seal the run recorded as ledger head (0 for a report of an empty ledger), so they
can be rerun too.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

GENESIS = "0" * 64


def upgrade() -> None:
    with op.batch_alter_table("report_run") as batch:
        batch.add_column(sa.Column("last_batch_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("settings_digest", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("sidecar", sa.String(length=1000), nullable=True))
        batch.add_column(sa.Column("rerun_of", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            "fk_report_run_rerun_of_report_run", "report_run", ["rerun_of"], ["id"]
        )
    op.execute(
        sa.text(
            "UPDATE report_run SET last_batch_id = CASE WHEN ledger_head = :genesis THEN 0 "
            "ELSE (SELECT max(import_batch.id) FROM import_batch "
            "WHERE import_batch.seal = report_run.ledger_head) END"
        ).bindparams(genesis=GENESIS)
    )


def downgrade() -> None:
    with op.batch_alter_table("report_run") as batch:
        batch.drop_constraint("fk_report_run_rerun_of_report_run", type_="foreignkey")
        batch.drop_column("rerun_of")
        batch.drop_column("sidecar")
        batch.drop_column("settings_digest")
        batch.drop_column("last_batch_id")
