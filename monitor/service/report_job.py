"""The report job: the committee report of the period just closed, built once, then delivered.

At its scheduled time (report_cron) the job names the period that has just closed, in the
service's time zone: report_period "quarter" → the previous quarter ("2024-Q4" on 1 January
2025), "year" → the previous year. If that period has no delivery rows yet, the report is built
(`monitor.report_command.create_report`) into the service's own copy, `OUTBOX/.built/`, and one
delivery row per channel and recipient is planned. A later run for the same period — a restart,
a misfire run late, `run-job report` by hand — finds the rows and does not build again; it only
plans rows for recipients added since and sends what is still due (see delivery.py).

Alerts waiting for a report (`alert.reported_in_run` NULL when the build starts) are the ones
the report shows; once it is built they are stamped with its run, so the next report starts
from the alerts raised after it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import update

from ledger.service_models import Alert
from monitor.context import AppContext
from monitor.service.delivery import (
    BuiltReport,
    deliver_pending,
    delivery_rows_for,
    plan_deliveries,
)
from monitor.service.mail import report_file_name
from monitor.service.runs import JobOutcome, ServiceContext, service_transaction

log = logging.getLogger("monitor.service.report")

PERIOD_KINDS = ("quarter", "year")
REPORT_LANG = "de"

# (app, period, out, lang) -> {"file", "sha256", "run", "pages"}: SPEC §8's report document.
ReportBuilder = Callable[[AppContext, str, Path, str], dict[str, Any]]


def closed_period(moment: datetime, kind: str) -> str:
    """The last period that ended before `moment` (a local time): "2024-Q4" or "2024"."""
    if kind == "year":
        return str(moment.year - 1)
    if kind != "quarter":
        raise ValueError(f"schedule.report_period must be one of {', '.join(PERIOD_KINDS)}")
    quarter = (moment.month - 1) // 3  # the current one, 0-based: the previous one 1-based
    return f"{moment.year - 1}-Q4" if quarter == 0 else f"{moment.year}-Q{quarter}"


def built_folder(outbox: Path) -> Path:
    """The service's own copies, from which every channel delivers (and retries)."""
    return outbox / ".built"


def create_committee_report(app: AppContext, period: str, out: Path, lang: str) -> dict[str, Any]:
    # Imported here: the report pulls in the whole PDF stack, which `status` and `jobs` never
    # need, and a broken report must not keep the inbox from running.
    from monitor.report_command import create_report

    return create_report(app, period, out, lang)


def run_report_job(
    service: ServiceContext,
    now: datetime,
    force: bool = False,
    build: ReportBuilder | None = None,
) -> JobOutcome:
    period = closed_period(now.astimezone(service.zone), service.settings.schedule.report_period)
    report = prepare_report(service, period, now, build or create_committee_report)
    added = plan_deliveries(service, report, now)
    if added:
        log.info("report %s: planned delivery to %s", period, ", ".join(r for r, _ in added))
    sent = deliver_pending(service, now, force=force)
    return JobOutcome(sent.succeeded, sent.failed, {"period": period, **sent.detail})


def prepare_report(
    service: ServiceContext, period: str, now: datetime, build: ReportBuilder
) -> BuiltReport:
    """The period's report: the one already planned for delivery, or a new build."""
    with service.engine.connect() as connection:
        rows = delivery_rows_for(connection, period)
    if rows:
        first = rows[0]
        return BuiltReport(period, Path(first.file), first.sha256, first.report_run_id)
    target = built_folder(service.settings.delivery.outbox) / report_file_name(period)
    document = build(service.app, period, target, REPORT_LANG)
    if document.get("run") is not None:
        with service_transaction(service.engine) as connection:
            connection.execute(
                update(Alert)
                .where(Alert.reported_in_run.is_(None), Alert.created <= now)
                .values(reported_in_run=document["run"])
            )
    log.info(
        "report %s built: %s (run %s, %s pages)",
        period,
        document["file"],
        document.get("run"),
        document.get("pages"),
    )
    return BuiltReport(period, Path(document["file"]), document["sha256"], document.get("run"))
