"""The trip wire: triggers that count writes the program did not make (`ledger.trip_wire`).

Adds `ledger_writer` (the program's writer mark, never committed), `foreign_write` (writes made
outside the program, per table), the triggers on the master-data and derived allocation tables,
and the master-data point of the last verification in `chain_check` (the newest master import
then and its seal), from which the figure commands re-hash only newer master data.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

from ledger.master_seal import SEALED_IN_0010
from ledger.trip_wire import create_triggers, drop_triggers

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

# The tables of this revision (a later master-data table gets its triggers from its migration).
_MASTER = ("master_import", *SEALED_IN_0010, "district_boundary", "grid_cell")
_DERIVED = ("posting_allocation", "allocation_month", "allocation_cache", "unattributed_month")


def upgrade() -> None:
    op.create_table(
        "ledger_writer",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_ledger_writer_single_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_writer")),
    )
    op.create_table(
        "foreign_write",
        sa.Column("table_name", sa.String(length=50), nullable=False),
        sa.Column("writes", sa.BigInteger(), nullable=False),
        sa.Column("settled", sa.BigInteger(), nullable=False),
        sa.Column("last_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("table_name", name=op.f("pk_foreign_write")),
    )
    with op.batch_alter_table("chain_check") as table:
        table.add_column(
            sa.Column("master_import_id", sa.Integer(), nullable=False, server_default="0")
        )
        table.add_column(
            sa.Column("master_seal", sa.String(length=64), nullable=False, server_default="")
        )
    connection = op.get_bind()
    create_triggers(connection, _MASTER, derived=False)
    create_triggers(connection, _DERIVED, derived=True)


def downgrade() -> None:
    drop_triggers(op.get_bind(), (*_MASTER, *_DERIVED))
    with op.batch_alter_table("chain_check") as table:
        table.drop_column("master_seal")
        table.drop_column("master_import_id")
    op.drop_table("foreign_write")
    op.drop_table("ledger_writer")
