"""`budget-monitor serve | jobs | run-job | status`: the service's commands.

The SMTP credentials are read here, from the environment only, and handed down; the settings
file never holds them.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from logging.handlers import RotatingFileHandler
from typing import Any

import click

from monitor.context import AppContext, UserError
from monitor.service.delivery import resend_uncertain
from monitor.service.heartbeat import AlreadyRunning, service_status
from monitor.service.runs import ServiceContext, SmtpCredentials, utc_now
from monitor.service.scheduler import (
    JOB_NAMES,
    Service,
    list_jobs,
    run_due_once,
    run_job,
    serve_until_signalled,
)
from monitor.service.timetable import check_settings
from monitor.settings import Settings

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
LOG_MAX_BYTES = 5 * 1024 * 1024
LOG_BACKUPS = 5
USER_VARIABLE = "BUDGET_MONITOR_SMTP_USER"
PASSWORD_VARIABLE = "BUDGET_MONITOR_SMTP_PASSWORD"
_json_option = click.option(
    "--json", "json_output", is_flag=True, help="Write one JSON document to stdout."
)


def smtp_credentials(environment: dict[str, str] | os._Environ[str]) -> SmtpCredentials | None:
    user, password = environment.get(USER_VARIABLE), environment.get(PASSWORD_VARIABLE)
    if not user and not password:
        return None
    if not (user and password):
        raise UserError(f"set both {USER_VARIABLE} and {PASSWORD_VARIABLE}, or neither")
    return SmtpCredentials(user, password)


def service_context(app: AppContext, sends_mail: bool = True) -> ServiceContext:
    """The checked settings, and the SMTP credentials for the commands that send."""
    try:
        check_settings(app.settings)
    except ValueError as exc:
        raise UserError(f"{app.settings.source or 'settings'}: {exc}") from None
    return ServiceContext(app, smtp_credentials(os.environ) if sends_mail else None)


@contextmanager
def service_logging(settings: Settings) -> Iterator[None]:
    """Log to stderr and to the rotating `schedule.log_file` while the command runs."""
    log_file = settings.schedule.log_file
    log_file.parent.mkdir(parents=True, exist_ok=True)
    handlers: list[logging.Handler] = [
        logging.StreamHandler(sys.stderr),
        RotatingFileHandler(
            log_file, maxBytes=LOG_MAX_BYTES, backupCount=LOG_BACKUPS, encoding="utf-8"
        ),
    ]
    root = logging.getLogger()
    level = root.level
    for handler in handlers:
        handler.setFormatter(logging.Formatter(LOG_FORMAT))
        root.addHandler(handler)
    root.setLevel(logging.INFO)
    try:
        yield
    finally:
        for handler in handlers:
            root.removeHandler(handler)
            handler.close()
        root.setLevel(level)


@click.command("serve")
@click.option(
    "--once",
    is_flag=True,
    help="Run the jobs that are due now, then exit (for a systemd timer or cron).",
)
@_json_option
@click.pass_obj
def serve_command(app: AppContext, once: bool, json_output: bool) -> None:
    """Run the service: import files dropped into the inbox, build and deliver the committee
    report on schedule, raise alerts. Logs to stderr and to [schedule] log_file. Stops cleanly
    on SIGTERM or Ctrl-C, letting a running import finish first."""
    service = service_context(app)
    try:
        with service_logging(app.settings):
            if not once:
                serve_until_signalled(Service(service))
                return
            runs = run_due_once(service)
    except AlreadyRunning as exc:
        raise UserError(str(exc)) from None
    _print_runs(app, runs, json_output)


@click.command("jobs")
@_json_option
@click.pass_obj
def jobs_command(app: AppContext, json_output: bool) -> None:
    """List the service's jobs with their next run times (in [schedule] timezone)."""
    service = service_context(app, sends_mail=False)
    jobs = list_jobs(service)
    if json_output or app.json_output:
        app.emit_json({"timezone": app.settings.schedule.timezone, "jobs": jobs})
        return
    for job in jobs:
        when = job["next_run"] or "-"
        click.echo(f"{job['name']:<11} {when:<26} {job['schedule']:<22} {job['description']}")


@click.command("run-job")
@click.argument("name", type=click.Choice(JOB_NAMES))
@click.option(
    "--resend-uncertain",
    "resend",
    is_flag=True,
    help="report/deliveries: send again the e-mails that may not have gone out (status "
    "'uncertain', after a crash); check with the recipients first.",
)
@_json_option
@click.pass_obj
def run_job_command(app: AppContext, name: str, resend: bool, json_output: bool) -> None:
    """Run one job now (inbox, report, deliveries or alerts), whatever its schedule; failed
    deliveries are retried without waiting for their backoff. Exit 1 if the job failed."""
    service = service_context(app)
    with service_logging(app.settings):
        if resend:
            if name not in ("report", "deliveries"):
                raise click.UsageError("--resend-uncertain goes with report or deliveries")
            count = resend_uncertain(service)
            logging.getLogger("monitor.service").info(
                "sending %d uncertain deliveries again", count
            )
        runs = run_job(service, name, "manual", force=True)
    _print_runs(app, runs, json_output)
    if any(r["outcome"] == "error" for r in runs):
        raise SystemExit(1)


@click.command("status")
@_json_option
@click.pass_obj
def status_command(app: AppContext, json_output: bool) -> None:
    """Is the service alive (heartbeat age), how did each job last run (and last handle
    something), what failed, and what waits for a human (open deliveries and alerts)."""
    service = service_context(app, sends_mail=False)
    with app.engine.connect() as connection:
        document = service_status(connection, utc_now(), service.zone)
    if json_output or app.json_output:
        app.emit_json(document)
        return
    beat = document["heartbeat"]
    if beat is None:
        click.echo("service: never started on this database")
    else:
        stale = "  STALE: the process died or hangs" if beat["stale"] else ""
        click.echo(
            f"service: {beat['state']} (pid {beat['pid']} on {beat['host']}), "
            f"heartbeat {beat['age_seconds']:.0f} s ago{stale}"
        )
    newest = {run["run"] for run in document["jobs"]}
    for run in document["jobs"]:
        click.echo(
            f"  {run['job']:<11} {run['outcome']:<8} {run['started']}  "
            f"{run['succeeded']} ok, {run['failed']} failed"
            + (f"  error: {run['error']}" if run["error"] else "")
        )
    for run in document["last_work"]:
        if run["run"] not in newest:  # a quieter run came after it
            click.echo(
                f"  {run['job']:<11} last work {run['started']}  "
                f"{run['succeeded']} ok, {run['failed']} failed"
            )
    for run in document["last_errors"]:
        click.echo(f"error: {run['job']} at {run['started']}: {run['error']}")
    for item in document["deliveries_open"]:
        click.echo(
            f"delivery {item['status']}: {item['period']} {item['channel']} {item['recipient']}"
            f" ({item['attempts']} attempts) {item['last_error'] or ''}"
        )
    for alert in document["alerts_open"]:
        click.echo(f"alert {alert['kind']}: {alert['message']}")


def _print_runs(app: AppContext, runs: list[dict[str, Any]], json_output: bool) -> None:
    if json_output or app.json_output:
        app.emit_json({"runs": runs})
        return
    if not runs:
        click.echo("nothing due")
    for run in runs:
        line = f"{run['job']}: {run['outcome']} ({run['succeeded']} ok, {run['failed']} failed)"
        click.echo(line + (f": {run['error']}" if run["error"] else ""))
