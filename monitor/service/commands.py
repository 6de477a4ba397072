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
from monitor.language import invocation_words
from monitor.options import json_option
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
from monitor.service.timetable import SettingProblem, check_settings
from monitor.settings import Settings
from monitor.terminal_format import Terminal
from monitor.worded import WordedCommand, WordedOption

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
LOG_MAX_BYTES = 5 * 1024 * 1024
LOG_BACKUPS = 5
USER_VARIABLE = "BUDGET_MONITOR_SMTP_USER"
PASSWORD_VARIABLE = "BUDGET_MONITOR_SMTP_PASSWORD"


def smtp_credentials(environment: dict[str, str] | os._Environ[str]) -> SmtpCredentials | None:
    user, password = environment.get(USER_VARIABLE), environment.get(PASSWORD_VARIABLE)
    if not user and not password:
        return None
    if not (user and password):
        raise UserError(
            invocation_words()(
                "cli.serve.credentials", user=USER_VARIABLE, password=PASSWORD_VARIABLE
            )
        )
    return SmtpCredentials(user, password)


def service_context(app: AppContext, sends_mail: bool = True) -> ServiceContext:
    """The checked settings, and the SMTP credentials for the commands that send."""
    try:
        check_settings(app.settings)
    except SettingProblem as exc:
        source = app.settings.source or "settings.toml"
        reason = app.words(f"cli.serve.setting.{exc.code}", **exc.values)
        raise UserError(app.words("cli.serve.bad_settings", file=source, reason=reason)) from None
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


@click.command("serve", cls=WordedCommand, help="cli.serve.help")
@click.option("--once", is_flag=True, cls=WordedOption, help="cli.serve.once")
@json_option
@click.pass_obj
def serve_command(app: AppContext, once: bool, json_output: bool) -> None:
    """Run the service: inbox imports, the scheduled report and its delivery, alerts; stops
    cleanly on SIGTERM or Ctrl-C (help for users: `cli.serve.help`)."""
    service = service_context(app)
    try:
        with service_logging(app.settings):
            if not once:
                serve_until_signalled(Service(service))
                return
            runs = run_due_once(service)
    except AlreadyRunning as exc:
        raise UserError(
            app.words("cli.serve.already_running", pid=exc.pid, host=exc.host, seconds=exc.seconds)
        ) from None
    _print_runs(app, runs, json_output)


@click.command("jobs", cls=WordedCommand, help="cli.jobs.help")
@json_option
@click.pass_obj
def jobs_command(app: AppContext, json_output: bool) -> None:
    """List the service's jobs with their next run times in [schedule] timezone (help for
    users: `cli.jobs.help`)."""
    service = service_context(app, sends_mail=False)
    jobs = list_jobs(service)
    if json_output or app.json_output:
        app.emit_json({"timezone": app.settings.schedule.timezone, "jobs": jobs})
        return
    t = app.terminal
    table = t.table(
        t("cli.jobs.title", timezone=app.settings.schedule.timezone),
        [
            (t("cli.jobs.column.name"), "fixed"),
            (t("cli.jobs.column.next_run"), "fixed"),
            (t("cli.jobs.column.description"), "text"),
        ],
    )
    for job in jobs:
        # Alerts have no time of their own: they follow each inbox run that added postings.
        when = t.moment(job["next_run"]) if job["next_run"] else t("cli.jobs.after_imports")
        table.add_row(job["name"], when, t(f"cli.jobs.description.{job['name']}"))
    t.print_table(table)


@click.command("run-job", cls=WordedCommand, help="cli.run_job.help")
@click.argument("name", type=click.Choice(JOB_NAMES))
@click.option(
    "--resend-uncertain", "resend", is_flag=True, cls=WordedOption, help="cli.run_job.resend"
)
@json_option
@click.pass_obj
def run_job_command(app: AppContext, name: str, resend: bool, json_output: bool) -> None:
    """Run one job now, whatever its schedule; exit 1 if the job failed (help for users:
    `cli.run_job.help`)."""
    service = service_context(app)
    with service_logging(app.settings):
        if resend:
            if name not in ("report", "deliveries"):
                raise click.UsageError(app.words("cli.run_job.resend_with"))
            count = resend_uncertain(service)
            logging.getLogger("monitor.service").info(
                "sending %d uncertain deliveries again", count
            )
        runs = run_job(service, name, "manual", force=True)
    _print_runs(app, runs, json_output)
    if any(r["outcome"] == "error" for r in runs):
        raise SystemExit(1)


@click.command("status", cls=WordedCommand, help="cli.status.help")
@json_option
@click.pass_obj
def status_command(app: AppContext, json_output: bool) -> None:
    """Is the service alive, how did each job last run, what failed, what waits for a human
    (help for users: `cli.status.help`)."""
    service = service_context(app, sends_mail=False)
    with app.engine.connect() as connection:
        document = service_status(connection, utc_now(), service.zone)
    if json_output or app.json_output:
        app.emit_json(document)
        return
    print_status(app.terminal, document)


def print_status(t: Terminal, document: dict[str, Any]) -> None:
    """The status document in sentences: the service, each job's last run, what failed and
    what is open."""
    echo = click.echo
    beat = document["heartbeat"]
    if beat is None:
        echo(t("cli.status.never"))
    else:
        echo(
            t(
                "cli.status.service",
                state=t(f"cli.status.state.{beat['state']}"),
                pid=beat["pid"],
                host=beat["host"],
                age=t.count(round(beat["age_seconds"])),
            )
        )
        if beat["stale"]:
            echo(t("cli.status.stale"))
    newest = {run["run"] for run in document["jobs"]}
    for run in document["jobs"]:
        echo("  " + _run_line(t, run, "cli.status.job"))
    for run in document["last_work"]:
        if run["run"] not in newest:  # a quieter run came after it
            echo("  " + _run_line(t, run, "cli.status.last_work"))
    for run in document["last_errors"]:
        echo(
            t(
                "cli.status.error",
                job=run["job"],
                started=t.moment(run.get("started")),
                error=run["error"],
            )
        )
    for item in document["deliveries_open"]:
        echo(
            t(
                "cli.status.delivery",
                status=item["status"],
                period=item["period"],
                channel=item["channel"],
                recipient=item["recipient"],
                attempts=item["attempts"],
                error=item["last_error"] or "",
            )
        )
    for alert in document["alerts_open"]:
        echo(t("cli.status.alert", kind=alert["kind"], message=alert["message"]))


def _run_line(t: Terminal, run: dict[str, Any], key: str) -> str:
    line = t(
        key,
        job=run["job"],
        outcome=t(f"cli.status.outcome.{run['outcome']}"),
        started=t.moment(run.get("started")),
        succeeded=t.count(run["succeeded"]),
        failed=t.count(run["failed"]),
    )
    return line + (t("cli.status.with_error", error=run["error"]) if run.get("error") else "")


def _print_runs(app: AppContext, runs: list[dict[str, Any]], json_output: bool) -> None:
    if json_output or app.json_output:
        app.emit_json({"runs": runs})
        return
    t = app.terminal
    if not runs:
        click.echo(t("cli.serve.nothing_due"))
    for run in runs:
        click.echo(_run_line(t, run, "cli.serve.ran"))
