"""Master data joins the hash chain: a hash per row, a seal per import (ledger.master_seal).

Until now a measure's district shares, the population or an indicator value could be changed in
the database without `verify` noticing, although every figure depends on them. Existing master
imports are sealed as they are at upgrade time, in id order after the newest batch (as revision
0002 sealed the postings found then); the batches' seals stay as they are, so a head kept from
before the upgrade is still found in the ledger's history.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

from ledger.integrity import BATCH_SEALED_FIELDS, GENESIS, batch_seal
from ledger.master_seal import (
    MASTER_ROW_FIELDS,
    MASTER_ROW_KEYS,
    SEALED_IN_0010,
    master_seal,
    row_hash,
)

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

# The master-data columns as revision 0003 created them, typed so that dates and times come back
# as the ledger reads them (SQLite hands over text otherwise).
_TYPES = {
    "import_id": sa.Integer(),
    "seq": sa.Integer(),
    "population": sa.Integer(),
    "year": sa.Integer(),
    "amount_cents": sa.BigInteger(),
    "period_start": sa.Date(),
    "period_end": sa.Date(),
    "start_date": sa.Date(),
    "end_date": sa.Date(),
    "valid_from": sa.Date(),
    "valid_to": sa.Date(),
    "value": sa.Float(),
}
_COUNTS = {"rows", "imported", "duplicates", "corrections", "rejected", "skipped"}
_MASTER_IMPORT = sa.table(
    "master_import",
    sa.column("id", sa.Integer()),
    sa.column("kind", sa.String()),
    sa.column("file_name", sa.String()),
    sa.column("file_size", sa.BigInteger()),
    sa.column("sha256", sa.String()),
    sa.column("os_user", sa.String()),
    sa.column("imported_at", sa.DateTime(timezone=True)),
    sa.column("rows", sa.Integer()),
    sa.column("summary", sa.Text()),
    sa.column("after_batch", sa.Integer()),
    sa.column("sealed_rows", sa.Integer()),
    sa.column("seal", sa.String()),
)


_IMPORT_BATCH = sa.table(
    "import_batch",
    *(
        sa.column(
            name,
            {
                "started_at": sa.DateTime(timezone=True),
                "id": sa.Integer(),
                "same_as_batch_id": sa.Integer(),
                "file_size": sa.BigInteger(),
                "total_cents": sa.BigInteger(),
            }.get(name, sa.Integer() if name in _COUNTS else sa.String()),
        )
        for name in BATCH_SEALED_FIELDS
    ),
    sa.column("postings", sa.Integer()),
    sa.column("seal", sa.String()),
)


def _table(name: str) -> sa.TableClause:
    columns = [sa.column(c, _TYPES.get(c, sa.String())) for c in MASTER_ROW_FIELDS[name]]
    return sa.table(name, *columns, sa.column("row_hash", sa.String()))


def upgrade() -> None:
    with op.batch_alter_table("master_import") as table:
        table.add_column(sa.Column("after_batch", sa.Integer(), nullable=True))
        table.add_column(sa.Column("sealed_rows", sa.Integer(), nullable=True))
        table.add_column(sa.Column("seal", sa.String(64), nullable=True))
    for name in SEALED_IN_0010:
        with op.batch_alter_table(name) as table:
            table.add_column(sa.Column("row_hash", sa.String(64), nullable=True))
    _seal_existing_imports(op.get_bind())
    with op.batch_alter_table("master_import") as table:
        table.alter_column("after_batch", existing_type=sa.Integer(), nullable=False)
        table.alter_column("sealed_rows", existing_type=sa.Integer(), nullable=False)
        table.alter_column("seal", existing_type=sa.String(64), nullable=False)
    for name in SEALED_IN_0010:
        with op.batch_alter_table(name) as table:
            table.alter_column("row_hash", existing_type=sa.String(64), nullable=False)


def _seal_existing_imports(connection: sa.Connection) -> None:
    newest = connection.execute(
        sa.text("SELECT id, seal FROM import_batch ORDER BY id DESC LIMIT 1")
    ).first()
    after_batch, seal = (newest[0], newest[1]) if newest else (0, GENESIS)
    hashes: dict[int, list[str]] = {}
    for name in SEALED_IN_0010:
        table = _table(name)
        rows = connection.execute(sa.select(table)).mappings().all()
        updates = []
        for row in rows:
            digest = row_hash(name, row)
            hashes.setdefault(row["import_id"], []).append(digest)
            updates.append({**{f"k_{k}": row[k] for k in MASTER_ROW_KEYS[name]}, "h": digest})
        if updates:
            where = sa.and_(*(table.c[k] == sa.bindparam(f"k_{k}") for k in MASTER_ROW_KEYS[name]))
            connection.execute(
                table.update().where(where).values(row_hash=sa.bindparam("h")), updates
            )
    records = connection.execute(sa.select(_MASTER_IMPORT).order_by(_MASTER_IMPORT.c.id))
    for record in [dict(r) for r in records.mappings()]:
        own = sorted(hashes.get(record["id"], []))
        record.update(after_batch=after_batch, sealed_rows=len(own))
        seal = master_seal(record, seal, own)
        connection.execute(
            _MASTER_IMPORT.update()
            .where(_MASTER_IMPORT.c.id == record["id"])
            .values(after_batch=after_batch, sealed_rows=len(own), seal=seal)
        )


def downgrade() -> None:
    _seal_batches_among_themselves(op.get_bind())
    for name in SEALED_IN_0010:
        with op.batch_alter_table(name) as table:
            table.drop_column("row_hash")
    with op.batch_alter_table("master_import") as table:
        table.drop_column("seal")
        table.drop_column("sealed_rows")
        table.drop_column("after_batch")


def _seal_batches_among_themselves(connection: sa.Connection) -> None:
    """Seal every batch again as revisions before this one do, each continuing the previous
    batch's seal: a batch written after a master import continued that import's seal, which the
    older version cannot check. Heads kept since the upgrade are then no longer found."""
    heads = dict(
        connection.execute(
            sa.text(
                "SELECT batch_id, chain_hash FROM posting WHERE id IN"
                " (SELECT max(id) FROM posting GROUP BY batch_id)"
            )
        ).all()
    )
    seal, head = GENESIS, GENESIS
    batches = connection.execute(sa.select(_IMPORT_BATCH).order_by(_IMPORT_BATCH.c.id))
    for batch in [dict(b) for b in batches.mappings()]:
        head = heads.get(batch["id"], head)
        seal = batch_seal(batch, seal, head, batch["postings"])
        connection.execute(
            _IMPORT_BATCH.update().where(_IMPORT_BATCH.c.id == batch["id"]).values(seal=seal)
        )
