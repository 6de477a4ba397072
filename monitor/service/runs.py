"""What every job gets (the service context) and gives back (an outcome), and its `job_run` row.

A job's run is recorded before it starts ("running") and completed when it ends. A run cut short
by a crash (SIGKILL, power cut) stays "running" until the service starts again, which closes it as
an "error" saying it was interrupted, so that `budget-monitor status` lists it among the last
errors instead of hiding it behind the job's next run.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import click
from sqlalchemy import Connection, Engine, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql.dml import Insert

from ledger.models import Base
from ledger.service_models import JobRun
from monitor.context import AppContext
from monitor.settings import Settings

log = logging.getLogger("monitor.service")


@dataclass(frozen=True)
class SmtpCredentials:
    """From the environment only (BUDGET_MONITOR_SMTP_USER / _PASSWORD), read by the CLI."""

    user: str
    password: str = field(repr=False)


@dataclass(frozen=True)
class ServiceContext:
    app: AppContext
    credentials: SmtpCredentials | None = None

    @property
    def settings(self) -> Settings:
        return self.app.settings

    @property
    def engine(self) -> Engine:
        return self.app.engine

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.app.settings.schedule.timezone)


@dataclass(frozen=True)
class JobOutcome:
    """succeeded/failed: items handled (files, deliveries, alerts); detail names them."""

    succeeded: int = 0
    failed: int = 0
    detail: dict[str, Any] = field(default_factory=dict)

    @property
    def outcome(self) -> str:
        return "warning" if self.failed else "ok"


def utc_now() -> datetime:
    return datetime.now(UTC)


@contextmanager
def service_transaction(engine: Engine) -> Iterator[Connection]:
    """A short write transaction: BEGIN IMMEDIATE on SQLite, so that a claim is decided when
    the transaction starts rather than failing half-way; plain on PostgreSQL (row-level)."""
    with engine.connect() as connection:
        connection = connection.execution_options(ledger_write=True)
        with connection.begin():
            yield connection


def insert_ignoring_duplicates(
    connection: Connection, model: type[Base], unique: tuple[str, ...]
) -> Insert:
    """INSERT … ON CONFLICT (unique) DO NOTHING, on SQLite and PostgreSQL alike.

    Whether a row went in is told by RETURNING, not rowcount: psycopg reports -1 for it."""
    dialect_insert = postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert
    return dialect_insert(model.__table__).on_conflict_do_nothing(index_elements=list(unique))


INTERRUPTED = (
    "interrupted: the service process ended during this run (killed or crashed); "
    "found when the service started again"
)
# Who starts runs only while owning the job store: `serve` ("schedule") and `serve --once`.
_OWNED_RUNS = ("schedule", "once")


def close_interrupted_runs(engine: Engine, before: datetime) -> list[int]:
    """Close as "error" the runs a dead service left "running"; returns their ids.

    Only for the process that has just taken over the job store (heartbeat.refuse_if_running let
    it start), so no other `serve` can still be running these. Runs by hand (`run-job`) may be
    under way in another process and are left alone. Should a run closed here still be alive
    after all, its own completion overwrites the outcome.
    """
    with service_transaction(engine) as connection:
        stale = connection.execute(
            select(JobRun.id, JobRun.name).where(
                JobRun.outcome == "running",
                JobRun.started_by.in_(_OWNED_RUNS),
                JobRun.started < before,
            )
        ).all()
        if stale:
            connection.execute(
                update(JobRun)
                .where(JobRun.id.in_([r.id for r in stale]), JobRun.outcome == "running")
                .values(outcome="error", error=INTERRUPTED)
            )
    for row in stale:
        log.error("job %s (run %d) was interrupted when the service last stopped", row.name, row.id)
    return [r.id for r in stale]


def run_recorded(
    service: ServiceContext,
    name: str,
    started_by: str,
    work: Callable[[], JobOutcome],
) -> dict[str, Any]:
    """Run `work` as job `name` with its job_run row; never raises for a failed job.

    Returns the run's document (also what `run-job --json` prints). A user error (a report for
    a period without data, say) is an outcome "error" with its message, like any other failure.
    """
    started = utc_now()
    with service_transaction(service.engine) as connection:
        run_id = connection.execute(
            insert(JobRun)
            .values(
                name=name,
                started_by=started_by,
                started=started,
                outcome="running",
                succeeded=0,
                failed=0,
            )
            .returning(JobRun.id)
        ).scalar_one()
    log.info("job %s started (run %d, %s)", name, run_id, started_by)
    error: str | None = None
    result = JobOutcome()
    try:
        result = work()
        outcome = result.outcome
    except click.ClickException as exc:
        outcome, error = "error", exc.format_message()
        log.error("job %s failed: %s", name, error)
    except Exception as exc:
        outcome, error = "error", f"{type(exc).__name__}: {exc}"
        log.exception("job %s failed", name)
    finished = utc_now()
    with service_transaction(service.engine) as connection:
        connection.execute(
            update(JobRun)
            .where(JobRun.id == run_id)
            .values(
                finished=finished,
                outcome=outcome,
                succeeded=result.succeeded,
                failed=result.failed,
                detail=json.dumps(result.detail, ensure_ascii=False, default=str),
                error=error,
            )
        )
    log.info(
        "job %s finished: %s (%d ok, %d failed) in %.1f s",
        name,
        outcome,
        result.succeeded,
        result.failed,
        (finished - started).total_seconds(),
    )
    return {
        "job": name,
        "run": run_id,
        "outcome": outcome,
        "succeeded": result.succeeded,
        "failed": result.failed,
        "detail": result.detail,
        "error": error,
    }
