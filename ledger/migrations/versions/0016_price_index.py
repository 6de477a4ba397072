"""Prices: a price index per year (the consumer price index) as one more kind of master data.

Adds `price_index` (series, year, the published level as exact decimal text, its unit) per
prices import, and widens the `master_import.kind` check by "prices". SQLite changes a check
constraint only by rebuilding the table (ledger.schema.upgrade switches its foreign keys off for
that and checks them all before the commit).

Downgrade: the table goes, and so do the prices imports (an older version knows no such kind);
the hash chain then names them as removed, which is what happened.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

from ledger.trip_wire import create_triggers, rewire_rebuilt

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

_OLD_KINDS = "kind IN ('districts', 'indicators', 'measures', 'plan', 'boundaries', 'grid')"
_NEW_KINDS = (
    "kind IN ('districts', 'indicators', 'measures', 'plan', 'boundaries', 'grid', 'prices')"
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
        "price_index",
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.Column("series", sa.String(length=50), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("level", sa.String(length=30), nullable=False),
        sa.Column("unit", sa.String(length=30), nullable=False),
        sa.Column("row_hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["import_id"], ["master_import.id"], name=op.f("fk_price_index_import_id_master_import")
        ),
        sa.PrimaryKeyConstraint("import_id", "series", "year", name=op.f("pk_price_index")),
    )
    create_triggers(op.get_bind(), ("price_index",), derived=False)


def downgrade() -> None:
    op.drop_table("price_index")
    op.execute("DELETE FROM master_import WHERE kind = 'prices'")
    _replace_kind_check(_OLD_KINDS)
    rewire_rebuilt(op.get_bind(), ("master_import",), derived=False)
