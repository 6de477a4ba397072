"""Master data: districts, population, indicators, measure catalog, budget plan, audit log.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "master_import",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("file_name", sa.String(length=500), nullable=False),
        sa.Column("file_size", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("os_user", sa.String(length=100), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('districts', 'indicators', 'measures', 'plan')",
            name=op.f("ck_master_import_kind"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_master_import")),
    )
    op.create_table(
        "allocation",
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("measure", sa.String(length=50), nullable=False),
        sa.Column("district", sa.String(length=50), nullable=False),
        sa.Column("share", sa.String(length=30), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=True),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("basis", sa.String(length=300), nullable=True),
        sa.ForeignKeyConstraint(
            ["import_id"], ["master_import.id"], name=op.f("fk_allocation_import_id_master_import")
        ),
        sa.PrimaryKeyConstraint("import_id", "seq", name=op.f("pk_allocation")),
    )
    op.create_table(
        "district",
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=50), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["import_id"], ["master_import.id"], name=op.f("fk_district_import_id_master_import")
        ),
        sa.PrimaryKeyConstraint("import_id", "code", name=op.f("pk_district")),
    )
    op.create_table(
        "indicator_value",
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.Column("district", sa.String(length=50), nullable=False),
        sa.Column("indicator", sa.String(length=100), nullable=False),
        sa.Column("period", sa.String(length=10), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("value", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(
            ["import_id"],
            ["master_import.id"],
            name=op.f("fk_indicator_value_import_id_master_import"),
        ),
        sa.PrimaryKeyConstraint(
            "import_id", "district", "indicator", "period", name=op.f("pk_indicator_value")
        ),
    )
    op.create_table(
        "measure",
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=50), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("program", sa.String(length=200), nullable=True),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("cost_center", sa.String(length=500), nullable=True),
        sa.Column("product", sa.String(length=500), nullable=True),
        sa.Column("account", sa.String(length=500), nullable=True),
        sa.Column("order_no", sa.String(length=500), nullable=True),
        sa.ForeignKeyConstraint(
            ["import_id"], ["master_import.id"], name=op.f("fk_measure_import_id_master_import")
        ),
        sa.PrimaryKeyConstraint("import_id", "seq", name=op.f("pk_measure")),
    )
    op.create_table(
        "plan_amount",
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("measure", sa.String(length=50), nullable=True),
        sa.Column("product", sa.String(length=50), nullable=True),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("amount_cents", sa.BigInteger(), nullable=False),
        sa.CheckConstraint(
            "measure IS NOT NULL OR product IS NOT NULL", name=op.f("ck_plan_amount_target")
        ),
        sa.ForeignKeyConstraint(
            ["import_id"], ["master_import.id"], name=op.f("fk_plan_amount_import_id_master_import")
        ),
        sa.PrimaryKeyConstraint("import_id", "seq", name=op.f("pk_plan_amount")),
    )
    op.create_table(
        "population",
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.Column("district", sa.String(length=50), nullable=False),
        sa.Column("period", sa.String(length=10), nullable=False),
        sa.Column("population", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["import_id"], ["master_import.id"], name=op.f("fk_population_import_id_master_import")
        ),
        sa.PrimaryKeyConstraint("import_id", "district", "period", name=op.f("pk_population")),
    )


def downgrade() -> None:
    op.drop_table("population")
    op.drop_table("plan_amount")
    op.drop_table("measure")
    op.drop_table("indicator_value")
    op.drop_table("district")
    op.drop_table("allocation")
    op.drop_table("master_import")
