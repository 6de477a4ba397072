"""Import batches as plain dictionaries for the CLI and reports."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, select

from ledger.models import ImportBatch


def _aware(moment: datetime) -> datetime:
    # SQLite returns naive datetimes; the ledger writes UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def list_batches(engine: Engine, zone: ZoneInfo) -> list[dict[str, object]]:
    """Every batch, oldest first, with times in the city's time zone."""
    with engine.connect() as connection:
        batches = connection.execute(select(ImportBatch.__table__).order_by(ImportBatch.id)).all()
    return [
        {
            "batch": b.id,
            "file": b.file_name,
            "sha256": b.sha256,
            "status": b.status,
            "profile": b.profile,
            "rows": b.rows,
            "imported": b.imported,
            "duplicates": b.duplicates,
            "corrections": b.corrections,
            "rejected": b.rejected,
            "skipped": b.skipped,
            "same_as_batch": b.same_as_batch_id,
            "os_user": b.os_user,
            "started": _aware(b.started_at).astimezone(zone).isoformat(timespec="seconds"),
            "finished": _aware(b.finished_at).astimezone(zone).isoformat(timespec="seconds"),
        }
        for b in batches
    ]
