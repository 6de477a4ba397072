"""The clock: APScheduler 3 with its jobs persisted in the ledger database.

Jobs live in APScheduler's SQLAlchemy job store (table `apscheduler_jobs`), so their next run
times survive a restart: a report due while the service was down runs when it comes back, if
within `misfire_grace_seconds`, and several missed runs run once when `coalesce` is on. At start
the stored jobs are reconciled with the settings: a job whose trigger is unchanged keeps its
stored next run time; a changed cron expression or interval reschedules it.

Jobs: `inbox` (every inbox_interval_seconds, first run at start), `report` (report_cron),
`deliveries` (retries of failed deliveries, every DELIVERY_RETRY_SECONDS) and `alerts` (run after
each inbox run that added postings, and by hand).

One process owns the job store: `serve` refuses to start while another one's heartbeat is fresh.
`serve --once` does the same work without staying: each due job runs once, in this process.
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from apscheduler.events import EVENT_JOB_MISSED, JobExecutionEvent
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import STATE_RUNNING
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.interval import IntervalTrigger

from monitor.service.alerts import raise_alerts, run_alerts_job
from monitor.service.delivery import deliver_pending
from monitor.service.heartbeat import HEARTBEAT_SECONDS, beat, refuse_if_running
from monitor.service.inbox_job import run_inbox_job
from monitor.service.report_job import run_report_job
from monitor.service.runs import (
    JobOutcome,
    ServiceContext,
    close_interrupted_runs,
    run_recorded,
    utc_now,
)
from monitor.service.timetable import DESCRIPTIONS, job_specs

log = logging.getLogger("monitor.service")

JOB_TABLE = "apscheduler_jobs"
JOB_NAMES = ("inbox", "report", "deliveries", "alerts")


def run_job(
    service: ServiceContext,
    name: str,
    started_by: str,
    now: datetime | None = None,
    force: bool = False,
) -> list[dict[str, Any]]:
    """Run job `name` now, recorded in job_run; an inbox run that added postings is followed
    by the alerts job. Returns the run documents (one, or two with the alerts)."""
    moment = now or utc_now()
    work: dict[str, Callable[[], JobOutcome]] = {
        "inbox": lambda: run_inbox_job(service, moment),
        "report": lambda: run_report_job(service, moment, force=force),
        "deliveries": lambda: deliver_pending(service, moment, force=force),
        "alerts": lambda: run_alerts_job(service, moment),
    }
    if name not in work:
        raise ValueError(f"unknown job {name!r}; known: {', '.join(JOB_NAMES)}")
    runs = [run_recorded(service, name, started_by, work[name])]
    if name == "inbox" and runs[0]["detail"].get("new_postings"):
        runs.append(run_recorded(service, "alerts", name, work["alerts"]))
    return runs


# APScheduler stores a job as a function reference plus pickled arguments. The service's context
# (settings, engine, SMTP credentials) is not something to pickle into the database, so a stored
# job names only its job, and the process running the scheduler registers its context here for
# as long as it serves. One process serves one database, hence one slot.
_serving: dict[str, ServiceContext] = {}


def scheduled_job(name: str) -> None:
    """What APScheduler calls (by reference) when a stored job is due."""
    service = _serving.get("service")
    if service is None:
        log.error("job %s is due but no service is serving in this process", name)
        return
    run_job(service, name, "schedule")


def _scheduler(service: ServiceContext) -> BackgroundScheduler:
    schedule = service.settings.schedule
    return BackgroundScheduler(
        jobstores={
            "default": SQLAlchemyJobStore(engine=service.engine, tablename=JOB_TABLE),
            "internal": MemoryJobStore(),
        },
        executors={"default": ThreadPoolExecutor(max_workers=4)},
        job_defaults={
            "coalesce": schedule.coalesce,
            "misfire_grace_time": schedule.misfire_grace_seconds,
            "max_instances": 1,
        },
        timezone=service.zone,
    )


def _shut_down(scheduler: BackgroundScheduler, wait: bool) -> None:
    """Stop without touching the stored jobs.

    APScheduler 3's scheduler thread makes one more pass over the job stores after shutdown()
    has set its state to stopped; a job due at that moment is then "submitted" to the stopped
    executor, fails, and has its next run time moved on: the run is lost (a `jobs` listing or a
    SIGTERM at 06:00 on report day would skip the quarter's report). Detaching the job stores
    first leaves that last pass nothing to look at.
    """
    if scheduler.state == STATE_RUNNING:
        scheduler.pause()
    for alias in ("default", "internal"):
        scheduler.remove_jobstore(alias, shutdown=False)
    scheduler.shutdown(wait=wait)


@contextmanager
def paused_scheduler(service: ServiceContext) -> Iterator[BackgroundScheduler]:
    """The persisted jobs, opened by a scheduler that runs nothing: to read or edit them."""
    scheduler = _scheduler(service)
    scheduler.start(paused=True)
    try:
        yield scheduler
    finally:
        _shut_down(scheduler, wait=False)


def _trigger_key(trigger: BaseTrigger) -> tuple[object, ...]:
    if isinstance(trigger, IntervalTrigger):
        return ("interval", trigger.interval_length, str(trigger.timezone))
    return (type(trigger).__name__, str(trigger), str(getattr(trigger, "timezone", "")))


def _reconcile(scheduler: BackgroundScheduler, service: ServiceContext, now: datetime) -> None:
    """Make the stored jobs those of the settings, keeping unchanged jobs' next run times."""
    schedule = service.settings.schedule
    specs = job_specs(service.settings)
    options = {
        "coalesce": schedule.coalesce,
        "misfire_grace_time": schedule.misfire_grace_seconds,
        "max_instances": 1,
    }
    for job in scheduler.get_jobs(jobstore="default"):
        if job.id not in {s.name for s in specs}:
            scheduler.remove_job(job.id, "default")
    for spec in specs:
        job = scheduler.get_job(spec.name, "default")
        if job is None:
            first = {"next_run_time": now.astimezone(service.zone)} if spec.first_run_now else {}
            scheduler.add_job(
                scheduled_job,
                trigger=spec.trigger,
                args=(spec.name,),
                id=spec.name,
                name=spec.name,
                jobstore="default",
                **options,
                **first,
            )
            continue
        if _trigger_key(job.trigger) != _trigger_key(spec.trigger):
            log.info("job %s: schedule changed to %s", spec.name, spec.schedule)
            scheduler.reschedule_job(spec.name, "default", trigger=spec.trigger)
        if job.coalesce != schedule.coalesce or job.misfire_grace_time != (
            schedule.misfire_grace_seconds
        ):
            scheduler.modify_job(spec.name, "default", **options)


def report_missed(service: ServiceContext, job_id: str, scheduled: datetime) -> None:
    """A run skipped because it was due longer ago than misfire_grace_seconds. Only a missed
    report loses something (the inbox simply runs at its next interval), so only it alerts."""
    when = scheduled.astimezone(service.zone).isoformat(timespec="minutes")
    log.warning("job %s missed its run at %s (later than misfire_grace_seconds)", job_id, when)
    if job_id == "report":
        raise_alerts(
            service.engine,
            [
                (
                    "job_missed",
                    f"report {when}",
                    service.app.words("alert.job_missed", when=when),
                )
            ],
            utc_now(),
        )


class Service:
    """The scheduler running in background threads, with its heartbeat."""

    def __init__(self, service: ServiceContext, heartbeat_seconds: float = HEARTBEAT_SECONDS):
        self.service = service
        self.heartbeat_seconds = heartbeat_seconds
        self.scheduler = _scheduler(service)
        self.started = utc_now()

    def start(self) -> None:
        refuse_if_running(self.service.engine, self.started)
        beat(self.service.engine, "running", self.started, utc_now())
        close_interrupted_runs(self.service.engine, self.started)
        _serving["service"] = self.service
        self.scheduler.start(paused=True)
        _reconcile(self.scheduler, self.service, utc_now())
        self.scheduler.add_job(
            self._beat,
            "interval",
            seconds=self.heartbeat_seconds,
            id="heartbeat",
            jobstore="internal",
            coalesce=True,
        )
        self.scheduler.add_listener(self._missed, EVENT_JOB_MISSED)
        self.scheduler.resume()
        log.info(
            "serving: %s",
            "; ".join(
                f"{j.id} next {j.next_run_time:%Y-%m-%d %H:%M:%S %Z}"
                for j in self.scheduler.get_jobs(jobstore="default")
                if j.next_run_time
            ),
        )

    def stop(self) -> None:
        """Let running jobs finish (an import is never cut in half), then say goodbye."""
        log.info("stopping: waiting for running jobs to finish")
        _shut_down(self.scheduler, wait=True)
        _serving.pop("service", None)
        beat(self.service.engine, "stopped", self.started, utc_now())
        log.info("stopped")

    def _missed(self, event: JobExecutionEvent) -> None:
        report_missed(self.service, event.job_id, event.scheduled_run_time)

    def _beat(self) -> None:
        beat(self.service.engine, "running", self.started, utc_now())


def serve_until_signalled(runner: Service) -> None:
    """Serve until SIGTERM (systemd stop) or SIGINT (Ctrl-C); then shut down cleanly."""
    stop = threading.Event()

    def request_stop(signum: int, _frame: object) -> None:
        log.info("received %s", signal.Signals(signum).name)
        stop.set()

    previous = {s: signal.signal(s, request_stop) for s in (signal.SIGTERM, signal.SIGINT)}
    try:
        runner.start()
        while not stop.wait(1.0):
            pass
    finally:
        if runner.scheduler.running:
            runner.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def run_due_once(service: ServiceContext, now: datetime | None = None) -> list[dict[str, Any]]:
    """`serve --once`: run each due job once, here and now, then move its next run time on.

    A job due longer ago than misfire_grace_seconds is skipped (and logged), as `serve` would.
    """
    moment = now or utc_now()
    refuse_if_running(service.engine, moment)
    beat(service.engine, "running", moment, moment)
    close_interrupted_runs(service.engine, moment)
    runs: list[dict[str, Any]] = []
    try:
        with paused_scheduler(service) as scheduler:
            _reconcile(scheduler, service, moment)
            runs = _run_due_jobs(scheduler, service, moment)
    finally:
        beat(service.engine, "stopped", moment, utc_now())
    return runs


def _run_due_jobs(
    scheduler: BackgroundScheduler, service: ServiceContext, moment: datetime
) -> list[dict[str, Any]]:
    runs: list[dict[str, Any]] = []
    grace = service.settings.schedule.misfire_grace_seconds
    for job in scheduler.get_jobs(jobstore="default"):
        due = _due_times(job, moment)
        if not due:
            continue
        late = (moment - due[-1]).total_seconds()
        if late > grace:
            report_missed(service, job.id, due[-1])
        else:
            runs += run_job(service, job.id, "once", moment)
        following = job.trigger.get_next_fire_time(due[-1], moment)
        scheduler.modify_job(job.id, "default", next_run_time=following)
    return runs


def _due_times(job: Any, now: datetime) -> list[datetime]:
    times: list[datetime] = []
    moment = job.next_run_time
    while moment is not None and moment <= now:
        times.append(moment)
        following = job.trigger.get_next_fire_time(moment, now)
        moment = following if following is None or following > moment else None
    return times


def list_jobs(service: ServiceContext, now: datetime | None = None) -> list[dict[str, Any]]:
    """Jobs and their next run times in the service's time zone, as `serve` would run them."""
    moment = (now or utc_now()).astimezone(service.zone)
    with paused_scheduler(service) as scheduler:
        stored = {job.id: job for job in scheduler.get_jobs(jobstore="default")}
    rows = []
    for spec in job_specs(service.settings):
        job = stored.get(spec.name)
        if job is not None and _trigger_key(job.trigger) == _trigger_key(spec.trigger):
            following = job.next_run_time
        elif spec.first_run_now:
            following = moment
        else:
            following = spec.trigger.get_next_fire_time(None, moment)
        rows.append(
            {
                "name": spec.name,
                "schedule": spec.schedule,
                "next_run": following.astimezone(service.zone).isoformat(timespec="seconds")
                if following
                else None,
                "due": bool(following and following <= moment),
                "description": DESCRIPTIONS[spec.name],
            }
        )
    rows.append(
        {
            "name": "alerts",
            "schedule": "after inbox imports",
            "next_run": None,
            "due": False,
            "description": DESCRIPTIONS["alerts"],
        }
    )
    return rows
