"""Hash chain over postings and batches, so that `verify` can prove nothing was altered.

Existing ledgers are sealed as they are at upgrade time.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

from ledger.integrity import GENESIS, batch_seal, posting_chain

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("posting") as table:
        table.add_column(sa.Column("chain_hash", sa.String(64), nullable=True))
    with op.batch_alter_table("import_batch") as table:
        table.add_column(sa.Column("postings", sa.Integer(), nullable=True))
        table.add_column(sa.Column("seal", sa.String(64), nullable=True))
    _seal_existing_rows(op.get_bind())
    with op.batch_alter_table("posting") as table:
        table.alter_column("chain_hash", existing_type=sa.String(64), nullable=False)
    with op.batch_alter_table("import_batch") as table:
        table.alter_column("postings", existing_type=sa.Integer(), nullable=False)
        table.alter_column("seal", existing_type=sa.String(64), nullable=False)


def _seal_existing_rows(connection: sa.Connection) -> None:
    batches = connection.execute(sa.text("SELECT * FROM import_batch ORDER BY id")).mappings().all()
    head, seal = GENESIS, GENESIS
    for batch in batches:
        rows = (
            connection.execute(
                sa.text("SELECT * FROM posting WHERE batch_id = :b ORDER BY id"), {"b": batch["id"]}
            )
            .mappings()
            .all()
        )
        chain = posting_chain(rows, head)
        for row, chain_hash in zip(rows, chain, strict=True):
            connection.execute(
                sa.text("UPDATE posting SET chain_hash = :h WHERE id = :i"),
                {"h": chain_hash, "i": row["id"]},
            )
        head = chain[-1] if chain else head
        seal = batch_seal(batch, seal, head, len(rows))
        connection.execute(
            sa.text("UPDATE import_batch SET postings = :n, seal = :s WHERE id = :i"),
            {"n": len(rows), "s": seal, "i": batch["id"]},
        )


def downgrade() -> None:
    with op.batch_alter_table("import_batch") as table:
        table.drop_column("seal")
        table.drop_column("postings")
    with op.batch_alter_table("posting") as table:
        table.drop_column("chain_hash")
