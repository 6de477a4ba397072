"""The service's own tables: deliveries, heartbeat, job runs and alerts.

`delivery_log` is what makes report delivery exactly-once across restarts and misfires: one row
per (report period, recipient, channel), claimed in a committed transaction before anything is
sent (see monitor.service.delivery for the crash window and how it is handled). APScheduler keeps
its own job table (`apscheduler_jobs`, created by its job store) beside these; it is not part of
the ledger's schema.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from ledger.master_models import ReportRun  # noqa: F401  (the runs delivery and alerts point at)
from ledger.models import Base

DELIVERY_CHANNELS = ("email", "outbox")
# pending: claimed by nobody yet; sending: claimed, the send may be under way (or the process
# died during it); sent; failed: retried later; uncertain: the process died between send and
# mark, so nobody knows whether the e-mail went out: not resent without a human.
DELIVERY_STATUSES = ("pending", "sending", "sent", "failed", "uncertain")
JOB_OUTCOMES = ("running", "ok", "warning", "error")
HEARTBEAT_STATES = ("running", "stopped")
ALERT_KINDS = (
    "unattributed_share",
    "idle_measure",
    "unmatched_lookalike",
    "export_changed",
    "import_failed",
    "delivery_failed",
    "delivery_uncertain",
    "job_missed",
)


class DeliveryLog(Base):
    """One report to one recipient over one channel; at most one row per triple."""

    __tablename__ = "delivery_log"
    __table_args__ = (
        UniqueConstraint(
            "report_period", "recipient", "channel", name="uq_delivery_log_period_recipient"
        ),
        CheckConstraint(f"channel IN {DELIVERY_CHANNELS!r}", name="channel"),
        CheckConstraint(f"status IN {DELIVERY_STATUSES!r}", name="status"),
        CheckConstraint("attempts >= 0", name="attempts"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_period: Mapped[str] = mapped_column(String(10))  # "2024-Q4" or "2024"
    recipient: Mapped[str] = mapped_column(String(1000))  # e-mail address, or the outbox folder
    channel: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(20))
    attempts: Mapped[int] = mapped_column(Integer)
    last_error: Mapped[str | None] = mapped_column(Text)
    # The report being delivered: the service's own copy and its checksum.
    file: Mapped[str] = mapped_column(String(1000))
    sha256: Mapped[str] = mapped_column(String(64))
    report_run_id: Mapped[int | None] = mapped_column(ForeignKey("report_run.id"))
    created: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    claimed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Heartbeat(Base):
    """The running service's sign of life, written every few seconds and once at shutdown."""

    __tablename__ = "heartbeat"
    __table_args__ = (CheckConstraint(f"state IN {HEARTBEAT_STATES!r}", name="state"),)

    service: Mapped[str] = mapped_column(String(50), primary_key=True)
    host: Mapped[str] = mapped_column(String(255))
    pid: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(20))
    started: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    beat: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class JobRun(Base):
    """One run of a service job. succeeded/failed count the items it handled (files imported,
    reports delivered, alerts raised); detail is JSON naming them."""

    __tablename__ = "job_run"
    __table_args__ = (
        CheckConstraint(f"outcome IN {JOB_OUTCOMES!r}", name="outcome"),
        CheckConstraint("succeeded >= 0 AND failed >= 0", name="counts"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(50), index=True)
    started_by: Mapped[str] = mapped_column(String(20))  # "schedule", "once" or "manual"
    started: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    finished: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    outcome: Mapped[str] = mapped_column(String(20))
    succeeded: Mapped[int] = mapped_column(Integer)
    failed: Mapped[int] = mapped_column(Integer)
    detail: Mapped[str | None] = mapped_column(Text)
    error: Mapped[str | None] = mapped_column(Text)


class Alert(Base):
    """Something that needs a human, raised once per (kind, subject), kept for the next report.

    subject: what the alert is about, stable across runs ("JZ-A/S03", "batch 7/2024"), so the
    same finding is not raised again at every run.
    """

    __tablename__ = "alert"
    __table_args__ = (
        UniqueConstraint("kind", "subject", name="uq_alert_kind_subject"),
        CheckConstraint(f"kind IN {ALERT_KINDS!r}", name="kind"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(30))
    subject: Mapped[str] = mapped_column(String(300))
    message: Mapped[str] = mapped_column(Text)
    created: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    reported_in_run: Mapped[int | None] = mapped_column(ForeignKey("report_run.id"))
