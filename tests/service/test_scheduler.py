"""The clock: cron expressions, jobs persisted in the ledger, a scheduler really running in a
thread, `serve --once`, `jobs`, `status`, and a `serve` process stopped by SIGTERM."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, select, text, update

from ledger.models import Base
from ledger.service_models import Heartbeat, JobRun
from monitor.service import report_job
from monitor.service.heartbeat import beat
from monitor.service.scheduler import JOB_TABLE, Service, list_jobs, paused_scheduler
from monitor.service.timetable import SettingProblem, parse_cron
from reports.messages import LANGUAGES
from tests.catalogue_words import unworded
from tests.conftest import Monitor
from tests.exports import journal_rows, write_xlsx
from tests.ledger.test_schema import not_the_schedulers_table
from tests.service.conftest import City, PdfBuilder, SmtpServer, smtp_delivery, wait_for

BERLIN = ZoneInfo("Europe/Berlin")
JOURNAL = journal_rows([(24001, 1, "15.01.2024", "501100", "1.234,56", "Honorar")])


def _monitor(city: City) -> Monitor:
    return Monitor(city.database_url, city.folder)


def _runs(city: City) -> list[tuple[str, str, str]]:
    with city.service().engine.connect() as connection:
        rows = connection.execute(select(JobRun).order_by(JobRun.id)).all()
    return [(r.name, r.started_by, r.outcome) for r in rows]


def test_crontab_weekdays_mean_what_they_mean_in_cron() -> None:
    after = datetime(2025, 1, 1, 12, tzinfo=BERLIN)  # a Wednesday
    monday = parse_cron("0 6 * * 1", BERLIN).get_next_fire_time(None, after)
    sunday = parse_cron("0 6 * * 0", BERLIN).get_next_fire_time(None, after)
    weekdays = parse_cron("30 0 7 * * 1-5", BERLIN).get_next_fire_time(None, after)
    assert (monday.weekday(), monday.hour) == (0, 6)
    assert sunday.weekday() == 6
    assert (weekdays.date().isoformat(), weekdays.time().isoformat()) == ("2025-01-02", "07:00:30")
    with pytest.raises(ValueError, match="5 fields"):
        parse_cron("0 6 1 1", BERLIN)


def test_jobs_lists_next_run_times_in_berlin_time(city: City) -> None:
    document = _monitor(city).json("jobs")
    assert document["timezone"] == "Europe/Berlin"
    jobs = {j["name"]: j for j in document["jobs"]}
    assert set(jobs) == {"inbox", "report", "deliveries", "alerts"}
    report = datetime.fromisoformat(jobs["report"]["next_run"])
    # 06:00 on the first day of a quarter, Berlin time: +01:00 in January, +02:00 otherwise.
    assert (report.day, report.hour, report.minute, report.month) in {
        (1, 6, 0, month) for month in (1, 4, 7, 10)
    }
    assert report.utcoffset() == timedelta(hours=1 if report.month == 1 else 2)
    assert jobs["report"]["schedule"] == "0 6 1 1,4,7,10 *"
    assert jobs["inbox"]["schedule"] == "every 300 s"


def test_serve_once_runs_what_is_due_and_keeps_the_schedule_in_the_ledger(city: City) -> None:
    monitor = _monitor(city)
    city.drop(write_xlsx(city.folder / "journal.xlsx", JOURNAL))
    first = monitor.json("serve", "--once")
    assert [r["job"] for r in first["runs"]] == ["inbox", "alerts", "deliveries"]
    assert (city.folder / "archive").is_dir()
    second = monitor.json("serve", "--once")  # nothing due for another 300 s
    assert second["runs"] == []
    engine = city.service().engine
    with engine.connect() as connection:
        stored = set(connection.scalars(text(f"SELECT id FROM {JOB_TABLE}")))
        context = MigrationContext.configure(
            connection, opts={"include_object": not_the_schedulers_table}
        )
        assert compare_metadata(context, Base.metadata) == []
        heartbeat = connection.execute(select(Heartbeat)).one()
    assert stored == {"inbox", "report", "deliveries"}
    assert heartbeat.state == "stopped"
    assert "job inbox finished" in (city.folder / "logs" / "service.log").read_text("utf-8")


def test_serve_once_runs_a_missed_report_within_the_grace_time_only(
    city: City,
    smtp_server: SmtpServer,
    pdf_builder: PdfBuilder,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(report_job, "create_committee_report", pdf_builder)
    city.configure(
        schedule="misfire_grace_seconds = 7200",
        delivery=smtp_delivery(smtp_server.port, recipients=("rat@stadt.example",)),
    )
    monitor = _monitor(city)
    monitor.json("serve", "--once")

    def report_due(seconds_ago: float) -> None:
        """Set the stored job's next run time through APScheduler (the row holds it pickled)."""
        with paused_scheduler(city.service()) as scheduler:
            moment = datetime.now(BERLIN) - timedelta(seconds=seconds_ago)
            scheduler.modify_job("report", next_run_time=moment)

    report_due(3 * 3600)  # the machine was off at report time, longer than the grace
    assert monitor.json("serve", "--once")["runs"] == []
    [missed] = monitor.json("status")["alerts_open"]
    assert missed["kind"] == "job_missed" and "run-job report" in missed["message"]
    report_due(600)  # a short outage: the run is made up
    for _ in range(2):  # and looking at the jobs leaves a due job due
        [listed] = [j for j in list_jobs(city.service()) if j["name"] == "report"]
        assert listed["due"]
    runs = monitor.json("serve", "--once")["runs"]
    assert [r["job"] for r in runs] == ["report"]
    assert smtp_server.mailbox.to("rat@stadt.example") == 1
    assert len(pdf_builder.calls) == 1
    assert monitor.json("serve", "--once")["runs"] == []  # moved on to the next quarter


def test_scheduler_in_a_thread_imports_a_dropped_file_and_beats(city: City) -> None:
    city.configure(schedule="inbox_interval_seconds = 1")
    service = Service(city.service(), heartbeat_seconds=0.2)
    service.start()
    try:
        city.drop(write_xlsx(city.folder / "journal.xlsx", JOURNAL))
        archived = city.folder / "archive" / f"{datetime.now(BERLIN):%Y}" / "journal.xlsx"
        assert wait_for(archived.is_file)
        assert wait_for(lambda: ("alerts", "inbox", "ok") in _runs(city))
    finally:
        service.stop()
    assert ("inbox", "schedule", "ok") in _runs(city)
    with city.service().engine.connect() as connection:
        heartbeat = connection.execute(select(Heartbeat)).one()
    assert heartbeat.state == "stopped"


def test_serve_alerts_when_it_comes_back_too_late_for_a_report(city: City) -> None:
    city.configure(schedule="misfire_grace_seconds = 60")
    _monitor(city).json("serve", "--once")  # stores the jobs, as a first `serve` does
    with paused_scheduler(city.service()) as scheduler:
        scheduler.modify_job("report", next_run_time=datetime.now(BERLIN) - timedelta(hours=3))
    service = Service(city.service(), heartbeat_seconds=10)
    service.start()
    try:
        assert wait_for(lambda: "missed" in str(_monitor(city).json("status")["alerts_open"]))
    finally:
        service.stop()
    assert ("report", "schedule", "ok") not in _runs(city)


def test_second_serve_on_the_same_database_is_refused_while_the_first_beats(city: City) -> None:
    now = datetime.now(UTC)
    engine = city.service().engine
    beat(engine, "running", now, now)
    with engine.begin() as connection:  # as if written by another process
        connection.execute(update(Heartbeat).values(pid=1, host="rathaus-server"))
    result = _monitor(city).run("serve", "--once", expect=1)
    assert "Auf dieser Datenbank läuft schon ein budget-monitor serve (Prozess 1 auf " in (
        result.stderr
    )
    assert "rathaus-server" in result.stderr


def test_a_heartbeat_whose_process_is_gone_does_not_hold_up_a_restart(city: City) -> None:
    """After SIGKILL (or a crash) systemd restarts at once: a heartbeat of a process that no
    longer exists on this host is not a running service, however fresh. The dead one's scheduled
    runs are closed as interrupted; a run by hand, maybe still going on elsewhere, is not."""
    engine = city.service().engine
    now = datetime.now(UTC)
    beat(engine, "running", now, now)
    with engine.begin() as connection:
        for started_by in ("schedule", "manual"):
            connection.execute(
                JobRun.__table__.insert().values(
                    name="report",
                    started_by=started_by,
                    started=now - timedelta(seconds=5),
                    outcome="running",
                    succeeded=0,
                    failed=0,
                )
            )
    alive = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        with engine.begin() as connection:  # as if written by that process
            connection.execute(update(Heartbeat).values(pid=alive.pid))
        refused = _monitor(city).run("serve", "--once", expect=1)
        assert f"Prozess {alive.pid}" in refused.stderr  # German by default
        assert _monitor(city).json("status")["heartbeat"]["stale"] is False
    finally:
        alive.kill()
        alive.wait()
    status = _monitor(city).json("status")
    assert (status["heartbeat"]["state"], status["heartbeat"]["stale"]) == ("running", True)
    _monitor(city).json("serve", "--once")
    reports = [r for r in _runs(city) if r[0] == "report"]
    assert reports == [("report", "schedule", "error"), ("report", "manual", "running")]
    [error] = _monitor(city).json("status")["last_errors"]
    assert error["error"].startswith("interrupted: the service process ended during this run")


def test_status_json_reports_heartbeat_last_runs_and_errors(
    city: City, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_args: object) -> dict[str, object]:
        raise RuntimeError("reportlab ran out of paper")

    monkeypatch.setattr(report_job, "create_committee_report", broken)
    monitor = _monitor(city)
    assert monitor.json("status")["heartbeat"] is None
    monitor.json("run-job", "inbox")
    failed = monitor.json("run-job", "report", expect=1)
    assert failed["runs"][0]["error"] == "RuntimeError: reportlab ran out of paper"
    status = monitor.json("status")
    assert {j["job"]: j["outcome"] for j in status["jobs"]} == {"inbox": "ok", "report": "error"}
    assert status["last_errors"][0]["error"] == "RuntimeError: reportlab ran out of paper"
    assert datetime.fromisoformat(status["jobs"][0]["started"]).utcoffset() in (
        timedelta(hours=1),
        timedelta(hours=2),
    )


def test_sigterm_stops_serve_cleanly_with_a_final_heartbeat(city: City) -> None:
    city.configure(schedule="inbox_interval_seconds = 1")
    environment = {**os.environ, "BUDGET_MONITOR_DB": city.database_url}
    process = subprocess.Popen(
        [sys.executable, "-m", "monitor", "serve"],
        cwd=city.folder,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    engine = create_engine(city.database_url)
    try:

        def state() -> str | None:
            with engine.connect() as connection:
                try:
                    return connection.scalar(select(Heartbeat.state))
                except Exception:  # schema not created yet
                    return None

        assert wait_for(lambda: state() == "running", timeout=30)
        assert wait_for(lambda: ("inbox", "schedule", "ok") in _runs(city), timeout=15)
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
        engine.dispose()
    assert process.returncode == 0, stderr.decode()
    assert state() == "stopped"
    assert b"received SIGTERM" in stderr and b"Traceback" not in stderr


def test_unusable_schedule_is_refused_naming_the_key(city: City) -> None:
    city.configure(schedule='report_cron = "0 6 1 1,4,7,10"')
    result = _monitor(city).run("serve", "--once", expect=1)
    assert (
        "schedule.report_cron: '0 6 1 1,4,7,10' ist kein Cron-Ausdruck aus 5 Feldern (Minute "
        "Stunde Tag Monat Wochentag)" in result.stderr
    )
    english = _monitor(city).run("--lang", "en", "serve", "--once", expect=1).stderr
    assert "'0 6 1 1,4,7,10' is not a crontab expression of 5 fields" in english
    city.configure(delivery='smtp_security = "tls"')
    result = _monitor(city).run("jobs", expect=1)
    assert "delivery.smtp_security muss eines von starttls, ssl, none sein" in result.stderr


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_settings_problem_has_words_with_its_placeholders(lang: str) -> None:
    assert unworded("cli.serve.setting.", SettingProblem.ENGLISH, lang) == []
