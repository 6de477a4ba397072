"""Places of help: the `facility` table and the master-import kind "facilities".

Widens the `master_import.kind` check by "facilities" (SQLite rebuilds the table for that, as
in 0012, and puts its trip wire back) and creates `facility` (one place of help per row, sealed
like all master data, with its trip wire).

Downgrade: the table goes and so do the facilities imports, which an older version cannot
hold.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

from ledger.trip_wire import create_triggers, rewire_rebuilt

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

_OLD_KINDS = (
    "kind IN ('districts', 'indicators', 'measures', 'plan', 'boundaries', 'grid', 'prices')"
)
_NEW_KINDS = (
    "kind IN ('districts', 'indicators', 'measures', 'plan', 'boundaries', 'grid', 'prices', "
    "'facilities')"
)


def _replace_kind_check(condition: str) -> None:
    # SQLite rebuilds master_import for this, dropping its trip-wire triggers (revision 0015).
    with op.batch_alter_table("master_import") as table:
        table.drop_constraint(op.f("ck_master_import_kind"), type_="check")
        table.create_check_constraint(op.f("ck_master_import_kind"), sa.text(condition))


def upgrade() -> None:
    _replace_kind_check(_NEW_KINDS)
    rewire_rebuilt(op.get_bind(), ("master_import",), derived=False)
    op.create_table(
        "facility",
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("type", sa.String(length=100), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=True),
        sa.Column("x", sa.Float(), nullable=False),
        sa.Column("y", sa.Float(), nullable=False),
        sa.Column("district", sa.String(length=50), nullable=True),
        sa.Column("measure", sa.String(length=50), nullable=True),
        sa.Column("valid_from", sa.Date(), nullable=True),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("row_hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["import_id"], ["master_import.id"], name=op.f("fk_facility_import_id_master_import")
        ),
        sa.PrimaryKeyConstraint("import_id", "seq", name=op.f("pk_facility")),
    )
    create_triggers(op.get_bind(), ("facility",), derived=False)


def downgrade() -> None:
    op.drop_table("facility")
    op.execute("DELETE FROM master_import WHERE kind = 'facilities'")
    _replace_kind_check(_OLD_KINDS)
    rewire_rebuilt(op.get_bind(), ("master_import",), derived=False)
