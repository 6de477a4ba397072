"""Report runs record the settings they were built with, so that a rerun uses them.

`report --rerun` used the settings of the folder it was started from: from another folder (or
after the demo, whose settings are not a file) the city's name became "Stadt" and the
indicators lost their names and units. The run now keeps the settings in force as JSON (with
keys sorted, the text whose sha256 is `settings_digest`) and the folder they were read from.

Runs recorded before this revision keep NULL: their rerun uses the settings of the invocation
and warns where the digest differs, as before.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("report_run") as batch:
        batch.add_column(sa.Column("settings", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("report_run") as batch:
        batch.drop_column("settings")
