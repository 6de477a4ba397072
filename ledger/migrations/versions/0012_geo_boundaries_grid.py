"""Geodata: district boundaries and census grid cells as two new kinds of master data.

Adds `district_boundary` (WKB polygons per district and boundaries import) and `grid_cell`
(census grid cells per grid import, with the district of each centre), and widens the
`master_import.kind` check by "boundaries" and "grid". SQLite changes a check constraint only
by rebuilding the table (ledger.schema.upgrade switches its foreign keys off for that and checks
them all before the commit).

Downgrade: the two tables go. Grid imports keep the population and indicator values they
produced, relabelled as kind "indicators" (which is what an older version can hold); boundaries
imports that wrote a district list (--create-districts) become kind "districts"; other
boundaries imports are removed, as their polygons are.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

_OLD_KINDS = "kind IN ('districts', 'indicators', 'measures', 'plan')"
_NEW_KINDS = "kind IN ('districts', 'indicators', 'measures', 'plan', 'boundaries', 'grid')"


def _replace_kind_check(condition: str) -> None:
    with op.batch_alter_table("master_import") as table:
        table.drop_constraint(op.f("ck_master_import_kind"), type_="check")
        table.create_check_constraint(op.f("ck_master_import_kind"), sa.text(condition))


def upgrade() -> None:
    _replace_kind_check(_NEW_KINDS)
    op.create_table(
        "district_boundary",
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.Column("district", sa.String(length=50), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=True),
        sa.Column("srid", sa.Integer(), nullable=False),
        sa.Column("area_m2", sa.Float(), nullable=False),
        sa.Column("geometry", sa.LargeBinary(), nullable=False),
        sa.Column("row_hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["import_id"],
            ["master_import.id"],
            name=op.f("fk_district_boundary_import_id_master_import"),
        ),
        sa.PrimaryKeyConstraint("import_id", "district", name=op.f("pk_district_boundary")),
    )
    op.create_table(
        "grid_cell",
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.Column("cell", sa.String(length=40), nullable=False),
        sa.Column("x", sa.Float(), nullable=False),
        sa.Column("y", sa.Float(), nullable=False),
        sa.Column("size_m", sa.Integer(), nullable=False),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("weight", sa.Float(), nullable=True),
        sa.Column("district", sa.String(length=50), nullable=True),
        sa.Column("row_hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["import_id"], ["master_import.id"], name=op.f("fk_grid_cell_import_id_master_import")
        ),
        sa.PrimaryKeyConstraint("import_id", "cell", name=op.f("pk_grid_cell")),
    )


def downgrade() -> None:
    op.drop_table("grid_cell")
    op.drop_table("district_boundary")
    op.execute("UPDATE master_import SET kind = 'indicators' WHERE kind = 'grid'")
    op.execute(
        "UPDATE master_import SET kind = 'districts' WHERE kind = 'boundaries'"
        " AND id IN (SELECT import_id FROM district)"
    )
    op.execute("DELETE FROM master_import WHERE kind = 'boundaries'")
    _replace_kind_check(_OLD_KINDS)
