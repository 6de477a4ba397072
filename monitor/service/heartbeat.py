"""The service's heartbeat, and the status document `budget-monitor status` prints.

One row per service name. `serve` writes "running" every HEARTBEAT_SECONDS and "stopped" when it
shuts down cleanly; a "running" row older than STALE_AFTER_SECONDS means the process died (or
hangs) without saying so, and a monitoring check on `status --json` can alert on it. On the host
that wrote the row we need not wait that long: a process that no longer exists is dead at once
(SIGKILL, the OOM killer, a crash), so a restart is not refused for its sake.
"""

from __future__ import annotations

import json
import os
import socket
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, Engine, func, select, update

from ledger.service_models import Alert, DeliveryLog, Heartbeat, JobRun
from monitor.service.runs import service_transaction

SERVICE = "serve"
HEARTBEAT_SECONDS = 30
STALE_AFTER_SECONDS = 3 * HEARTBEAT_SECONDS
_LAST_ERRORS = 5


class AlreadyRunning(RuntimeError):
    """Another `serve` on this database beats: APScheduler's job store must have one owner.
    Which one (pid, host) and how long ago it beat (seconds) are kept for the message."""

    def __init__(self, pid: int, host: str, seconds: int) -> None:
        self.pid, self.host, self.seconds = pid, host, seconds
        super().__init__(
            f"another `budget-monitor serve` runs on this database (pid {pid} on {host}, "
            f"heartbeat {seconds} s ago); stop it first"
        )


def beat(engine: Engine, state: str, started: datetime, now: datetime) -> None:
    """Write this process's heartbeat (insert the first time, update after)."""
    values = {
        "host": socket.gethostname(),
        "pid": os.getpid(),
        "state": state,
        "started": started,
        "beat": now,
    }
    with service_transaction(engine) as connection:
        changed = connection.execute(
            update(Heartbeat).where(Heartbeat.service == SERVICE).values(**values)
        ).rowcount
        if not changed:
            connection.execute(Heartbeat.__table__.insert().values(service=SERVICE, **values))


def refuse_if_running(engine: Engine, now: datetime) -> None:
    """Raise AlreadyRunning when another live `serve` beats on this database."""
    with engine.connect() as connection:
        row = connection.execute(select(Heartbeat).where(Heartbeat.service == SERVICE)).first()
    if row is None or row.state != "running":
        return
    if (row.host, row.pid) == (socket.gethostname(), os.getpid()):
        return
    age = (now - _aware(row.beat)).total_seconds()
    if age < STALE_AFTER_SECONDS and not process_gone(row.host, row.pid):
        raise AlreadyRunning(row.pid, row.host, round(age))


def process_gone(host: str, pid: int) -> bool:
    """True when `pid` on `host` is known to exist no more: only this host's processes can be
    asked (signal 0 checks without sending anything; a host name is taken to mean one process
    table, as on a machine or inside one container). Another host's process, or one of another
    user's (EPERM), counts as alive: its heartbeat's age decides."""
    if host != socket.gethostname() or os.name != "posix":
        return False  # on Windows os.kill(pid, 0) would terminate the process
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def service_status(connection: Connection, now: datetime, zone: ZoneInfo) -> dict[str, Any]:
    """Heartbeat age, the last run of each job, the last errors and what waits for a human."""
    row = connection.execute(select(Heartbeat).where(Heartbeat.service == SERVICE)).first()
    heartbeat = None
    if row is not None:
        age = (now - _aware(row.beat)).total_seconds()
        heartbeat = {
            "state": row.state,
            "host": row.host,
            "pid": row.pid,
            "started": _local(row.started, zone),
            "beat": _local(row.beat, zone),
            "age_seconds": round(age, 1),
            "stale": row.state == "running"
            and (age > STALE_AFTER_SECONDS or process_gone(row.host, row.pid)),
        }
    newest = select(JobRun.name, func.max(JobRun.id).label("id")).group_by(JobRun.name).subquery()
    last_runs = connection.execute(
        select(JobRun).join(newest, newest.c.id == JobRun.id).order_by(JobRun.name)
    ).all()
    # The newest run of each job that handled something: with the inbox polled every few
    # minutes, its newest run is nearly always an empty one and would hide this morning's import.
    worked = (
        select(JobRun.name, func.max(JobRun.id).label("id"))
        .where((JobRun.succeeded > 0) | (JobRun.failed > 0))
        .group_by(JobRun.name)
        .subquery()
    )
    last_work = connection.execute(
        select(JobRun).join(worked, worked.c.id == JobRun.id).order_by(JobRun.name)
    ).all()
    errors = connection.execute(
        select(JobRun)
        .where(JobRun.outcome == "error")
        .order_by(JobRun.id.desc())
        .limit(_LAST_ERRORS)
    ).all()
    deliveries = connection.execute(
        select(DeliveryLog)
        .where(DeliveryLog.status.in_(("failed", "uncertain", "sending", "pending")))
        .order_by(DeliveryLog.id)
    ).all()
    open_alerts = connection.execute(
        select(Alert).where(Alert.reported_in_run.is_(None)).order_by(Alert.id)
    ).all()
    return {
        "heartbeat": heartbeat,
        "jobs": [_run(r, zone) for r in last_runs],
        "last_work": [_run(r, zone) for r in last_work],
        "last_errors": [_run(r, zone) for r in errors],
        "deliveries_open": [
            {
                "period": d.report_period,
                "channel": d.channel,
                "recipient": d.recipient,
                "status": d.status,
                "attempts": d.attempts,
                "last_error": d.last_error,
            }
            for d in deliveries
        ],
        "alerts_open": [
            {
                "kind": a.kind,
                "subject": a.subject,
                "message": a.message,
                "created": _local(a.created, zone),
            }
            for a in open_alerts
        ],
    }


def _run(row: Any, zone: ZoneInfo) -> dict[str, Any]:
    return {
        "job": row.name,
        "run": row.id,
        "started_by": row.started_by,
        "started": _local(row.started, zone),
        "finished": _local(row.finished, zone) if row.finished else None,
        "outcome": row.outcome,
        "succeeded": row.succeeded,
        "failed": row.failed,
        "error": row.error,
        "detail": json.loads(row.detail) if row.detail else None,
    }


def _aware(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; everything is stored in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=ZoneInfo("UTC"))


def _local(moment: datetime, zone: ZoneInfo) -> str:
    return _aware(moment).astimezone(zone).isoformat(timespec="seconds")
