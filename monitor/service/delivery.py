"""Deliver a built report to the outbox folder and by e-mail, each exactly once.

The `delivery_log` row of (period, recipient, channel) is the unit of delivery, and its UNIQUE
constraint means a second run, a restarted service, a misfired job run late or a `run-job` by hand
all find the same row instead of making a new one. Each send goes through three steps, each its
own committed transaction:

1. claim: `UPDATE … SET status='sending', attempts=attempts+1 WHERE id=… AND status=<as read>`.
   Only the process whose UPDATE changed the row sends; a concurrent run sees 0 rows and skips.
2. send (outside any transaction).
3. mark: 'sent' (with sent_at), or 'failed' with the error, to be retried with backoff.

The crash window is after 1 and before 3: a process that dies there leaves the row 'sending', and
nothing in the database can tell whether the mail went out. It did not if the server did not
have the whole message yet; it did if the server had it, even when its "250" never reached us
(a server that scans attachments takes seconds to answer, and a SIGKILL in those seconds is the
case tests/service/test_serve_process.py makes happen). We choose **at-most-once** for e-mail:
a row found in 'sending' after SENDING_LEASE is set to 'uncertain' and an alert asks a human to
check the mailbox (and resend with `run-job report --resend-uncertain`); it is never resent
automatically. A committee member getting the same report twice is harmless but looks sloppy;
silently losing it is not acceptable either, which is why the uncertain case is raised as an
alert instead of being dropped. The window is one SMTP session per recipient, so this costs a
human a check only after a crash in the middle of a delivery.
The outbox copy is idempotent (an atomic replace of the same bytes), so that channel is
**at-least-once**: a stale 'sending' outbox row is simply copied again.

Failed sends are retried on later runs of the `deliveries` job with exponential backoff
(RETRY_BASE doubling up to RETRY_CAP); after ALERT_AFTER_ATTEMPTS an alert is raised, and the row
keeps being retried, so a fixed mail server still delivers it. Nothing is ever deleted.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, select, update

from ledger.service_models import DeliveryLog
from monitor.service.alerts import raise_alerts
from monitor.service.mail import report_file_name, report_message, send_message
from monitor.service.runs import (
    JobOutcome,
    ServiceContext,
    insert_ignoring_duplicates,
    service_transaction,
)

log = logging.getLogger("monitor.service.delivery")

RETRY_BASE = timedelta(minutes=5)
RETRY_CAP = timedelta(hours=6)
ALERT_AFTER_ATTEMPTS = 5
# Longer than any send can take (mail.SMTP_TIMEOUT_SECONDS per network step, a few steps).
SENDING_LEASE = timedelta(minutes=15)


@dataclass(frozen=True)
class BuiltReport:
    """The service's own copy of a report, and where it goes."""

    period: str  # "2024-Q4" or "2024"
    file: Path
    sha256: str
    run: int | None  # report_run.id


def delivery_rows_for(connection: Connection, period: str) -> list[Any]:
    return list(
        connection.execute(
            select(DeliveryLog).where(DeliveryLog.report_period == period).order_by(DeliveryLog.id)
        )
    )


def plan_deliveries(
    service: ServiceContext, report: BuiltReport, now: datetime
) -> list[tuple[str, str]]:
    """Insert the (recipient, channel) rows this report still lacks; returns those added.

    Insert-if-absent under the UNIQUE constraint, so two runs planning the same period at once
    end with one row per recipient and channel."""
    delivery = service.settings.delivery
    wanted = [(str(delivery.outbox), "outbox")] + [(r, "email") for r in delivery.recipients]
    added = []
    with service_transaction(service.engine) as connection:
        for recipient, channel in wanted:
            statement = insert_ignoring_duplicates(
                connection, DeliveryLog, ("report_period", "recipient", "channel")
            ).values(
                report_period=report.period,
                recipient=recipient,
                channel=channel,
                status="pending",
                attempts=0,
                file=str(report.file),
                sha256=report.sha256,
                report_run_id=report.run,
                created=now,
            )
            if connection.execute(statement.returning(DeliveryLog.id)).first() is not None:
                added.append((recipient, channel))
    return added


def retry_delay(attempts: int) -> timedelta:
    """Wait before the next try after `attempts` tries: 5, 10, 20, 40 min, … at most 6 h."""
    doublings = min(max(attempts - 1, 0), 16)  # beyond the cap anyway; keeps timedelta finite
    return min(RETRY_BASE * 2**doublings, RETRY_CAP)


def deliver_pending(service: ServiceContext, now: datetime, force: bool = False) -> JobOutcome:
    """Send every delivery that is due; `force` ignores the backoff (a run by hand)."""
    _settle_stale_claims(service, now)
    with service.engine.connect() as connection:
        rows = connection.execute(
            select(DeliveryLog)
            .where(DeliveryLog.status.in_(("pending", "failed")))
            .order_by(DeliveryLog.id)
        ).all()
    sent: list[str] = []
    failed: list[str] = []
    for row in rows:
        backing_off = row.status == "failed" and row.claimed_at is not None and not force
        if backing_off and _aware(row.claimed_at) + retry_delay(row.attempts) > now:
            continue
        if not _claim(service, row, now):
            continue
        label = f"{row.report_period} {row.channel} {row.recipient}"
        try:
            _send(service, row)
        except Exception as exc:
            error = f"{type(exc).__name__}: {exc}"
            _mark_failed(service, row, error, now)
            failed.append(label)
            log.warning("delivery failed (attempt %d): %s: %s", row.attempts + 1, label, error)
            continue
        _mark_sent(service, row, now)
        sent.append(label)
        log.info("delivered %s", label)
    return JobOutcome(len(sent), len(failed), {"sent": sent, "failed": failed})


def resend_uncertain(service: ServiceContext) -> int:
    """A human checked the mailboxes: send the uncertain rows again (they become 'failed')."""
    with service_transaction(service.engine) as connection:
        return connection.execute(
            update(DeliveryLog)
            .where(DeliveryLog.status == "uncertain")
            .values(status="failed", claimed_at=None)
        ).rowcount


def _settle_stale_claims(service: ServiceContext, now: datetime) -> None:
    """Rows left in 'sending' by a process that died: outbox again, e-mail to a human."""
    with service.engine.connect() as connection:
        stale = [
            r
            for r in connection.execute(select(DeliveryLog).where(DeliveryLog.status == "sending"))
            if r.claimed_at is None or _aware(r.claimed_at) + SENDING_LEASE < now
        ]
    for row in stale:
        status = "failed" if row.channel == "outbox" else "uncertain"
        with service_transaction(service.engine) as connection:
            changed = connection.execute(
                update(DeliveryLog)
                .where(DeliveryLog.id == row.id, DeliveryLog.status == "sending")
                .values(
                    status=status,
                    last_error="interrupted between send and confirmation",
                )
            ).rowcount
        if changed and status == "uncertain":
            log.error(
                "delivery of %s to %s was interrupted after sending started: not resent",
                row.report_period,
                row.recipient,
            )
            raise_alerts(
                service.engine,
                [
                    (
                        "delivery_uncertain",
                        f"{row.report_period}/{row.channel}/{row.recipient}",
                        service.app.words(
                            "alert.delivery_uncertain",
                            period=row.report_period,
                            recipient=row.recipient,
                        ),
                    )
                ],
                now,
            )


def _claim(service: ServiceContext, row: Any, now: datetime) -> bool:
    with service_transaction(service.engine) as connection:
        return bool(
            connection.execute(
                update(DeliveryLog)
                .where(
                    DeliveryLog.id == row.id,
                    DeliveryLog.status == row.status,
                    DeliveryLog.attempts == row.attempts,
                )
                .values(status="sending", attempts=row.attempts + 1, claimed_at=now)
            ).rowcount
        )


def _mark_sent(service: ServiceContext, row: Any, now: datetime) -> None:
    with service_transaction(service.engine) as connection:
        connection.execute(
            update(DeliveryLog)
            .where(DeliveryLog.id == row.id)
            .values(status="sent", sent_at=now, last_error=None)
        )


def _mark_failed(service: ServiceContext, row: Any, error: str, now: datetime) -> None:
    attempts = row.attempts + 1
    with service_transaction(service.engine) as connection:
        connection.execute(
            update(DeliveryLog)
            .where(DeliveryLog.id == row.id)
            .values(status="failed", last_error=error[:2000])
        )
    if attempts >= ALERT_AFTER_ATTEMPTS:
        raise_alerts(
            service.engine,
            [
                (
                    "delivery_failed",
                    f"{row.report_period}/{row.channel}/{row.recipient}",
                    service.app.words(
                        "alert.delivery_failed",
                        period=row.report_period,
                        recipient=row.recipient,
                        channel=row.channel,
                        attempts=attempts,
                        error=error,
                    ),
                )
            ],
            now,
        )


def _send(service: ServiceContext, row: Any) -> None:
    source = Path(row.file)
    content = _verified_bytes(source, row.sha256)
    if row.channel == "outbox":
        copy_atomically(content, Path(row.recipient) / report_file_name(row.report_period))
        return
    message = report_message(
        service.settings.delivery,
        recipient=row.recipient,
        period=row.report_period,
        city=service.settings.report.city,
        pdf=content,
        sha256=row.sha256,
    )
    send_message(service.settings.delivery, service.credentials, message)


def _verified_bytes(path: Path, sha256: str) -> bytes:
    """The built report, refusing a file that changed since it was built."""
    content = path.read_bytes()
    if hashlib.sha256(content).hexdigest() != sha256:
        raise ValueError(f"{path} changed since the report was built (checksum differs)")
    return content


def copy_atomically(content: bytes, target: Path) -> None:
    """Write to a temporary file in the target folder, then rename: whoever watches the outbox
    sees the whole PDF or nothing."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(content)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _aware(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; everything is stored in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
