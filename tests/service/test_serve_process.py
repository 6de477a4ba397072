"""`budget-monitor serve` as a real process, as systemd runs it: `python -m monitor --settings …
serve` on a schedule seconds apart, files dropped into its inbox while it runs, a real SMTP server
(aiosmtpd) that is slow to answer, SIGKILL in the middle of a delivery, and a restart.

The tests judge only what the process leaves behind: the ledger (batches, job runs, deliveries,
alerts, heartbeat), the folders beside the inbox, the outbox, the mailbox, and `status --json` and
`jobs --json` as an operator reads them. Every wait is a poll of one of those, with a deadline.
"""

from __future__ import annotations

import email
import hashlib
import itertools
import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email import policy
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine, func, select, update

from ledger.master_models import ReportRun
from ledger.models import ImportBatch, Posting
from ledger.service_models import Alert, DeliveryLog, Heartbeat, JobRun
from monitor.service.delivery import SENDING_LEASE
from monitor.service.report_job import closed_period
from monitor.service.timetable import parse_cron
from tests.conftest import Monitor
from tests.exports import JOURNAL_HEADER, journal_rows, write_csv, write_xlsx
from tests.service.conftest import City, HoldingMailbox, SmtpServer, smtp_delivery, wait_for

pytestmark = pytest.mark.slow

BERLIN = ZoneInfo("Europe/Berlin")
QUARTERLY = "0 0 6 1 1,4,7,10 *"  # the default report time, written with seconds
EVERY_SECOND = "* * * * * *"
# Longer than any pause of the slow copy below (each pause lasts one poll of the inbox, 1-3 s).
SETTLE_SECONDS = 5
RECIPIENTS = (
    "ausschuss@stadt.example",
    "kaemmerei@stadt.example",
    "buergermeisterin@stadt.example",
)

JANUARY = journal_rows(
    [
        (24001, 1, "15.01.2024", "501100", "1.234,56", "Honorar"),
        (24002, 1, "31.01.2024", "529100", "99,99-", "Gutschrift"),
    ]
)
SLOW = journal_rows(
    [(24200 + n, 1, "20.02.2024", "501100", f"{n},00", "Honorar") for n in range(1, 13)]
)
BAD = journal_rows(
    [
        (24401, 1, "15.04.2024", "501100", "1.234,56", "Honorar"),
        (24402, 1, "30.04.2024", "529100", "zwölf", "Tippfehler"),
    ]
)
MARCH = journal_rows(
    [
        (24301, 1, "05.03.2024", "501100", "500,00", "Honorar"),
        (24302, 1, "28.03.2024", "501100", "250,00", "Honorar"),
    ]
)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@dataclass
class Ledger:
    """The service's database as the test reads it, beside the running process."""

    engine: Engine

    def heartbeat(self) -> tuple[str, int] | None:
        with self.engine.connect() as connection:
            row = connection.execute(select(Heartbeat.state, Heartbeat.pid)).first()
        return None if row is None else (row.state, row.pid)

    def runs(self, name: str) -> list[dict[str, Any]]:
        with self.engine.connect() as connection:
            rows = connection.execute(
                select(JobRun).where(JobRun.name == name).order_by(JobRun.id)
            ).all()
        return [
            {
                "id": r.id,
                "started": _aware(r.started),
                "outcome": r.outcome,
                "detail": json.loads(r.detail) if r.detail else {},
            }
            for r in rows
        ]

    def finished(self, name: str, after: datetime | None = None) -> int:
        """Runs of job `name` that have finished (and started after `after`)."""
        return sum(
            r["outcome"] != "running" and (after is None or r["started"] > after)
            for r in self.runs(name)
        )

    def deliveries(self) -> dict[tuple[str, str], Any]:
        with self.engine.connect() as connection:
            rows = connection.execute(select(DeliveryLog).order_by(DeliveryLog.id)).all()
        return {(r.channel, r.recipient): r for r in rows}

    def status_of(self, channel: str, recipient: str) -> str | None:
        row = self.deliveries().get((channel, recipient))
        return None if row is None else row.status

    def batches(self) -> list[Any]:
        with self.engine.connect() as connection:
            return connection.execute(select(ImportBatch).order_by(ImportBatch.id)).all()

    def count(self, model: type) -> int:
        with self.engine.connect() as connection:
            return connection.scalar(select(func.count()).select_from(model)) or 0

    def alerts(self, kind: str) -> list[Any]:
        with self.engine.connect() as connection:
            return connection.execute(select(Alert).where(Alert.kind == kind)).all()

    def age_claims(self, by: timedelta) -> None:
        """Move the claims of rows in 'sending' into the past: the test's way of letting
        SENDING_LEASE go by without waiting a quarter of an hour."""
        with self.engine.begin() as connection:
            for row in connection.execute(
                select(DeliveryLog.id, DeliveryLog.claimed_at).where(
                    DeliveryLog.status == "sending"
                )
            ).all():
                connection.execute(
                    update(DeliveryLog)
                    .where(DeliveryLog.id == row.id)
                    .values(claimed_at=_aware(row.claimed_at) - by)
                )


@pytest.fixture
def ledger(city: City) -> Iterator[Ledger]:
    """The city's ledger, its schema created first (as `budget-monitor init` would)."""
    engine = city.service().engine
    yield Ledger(engine)
    engine.dispose()


@dataclass
class Serve:
    """One `python -m monitor --settings … serve` process. Its stderr goes to a file: a pipe
    nobody reads would fill up and block the service's logging."""

    process: subprocess.Popen[bytes]
    log: Path

    @property
    def pid(self) -> int:
        return self.process.pid

    def stderr(self) -> str:
        return self.log.read_text("utf-8", errors="replace")

    def kill(self) -> None:
        """SIGKILL: no handler runs, nothing is flushed or recorded. Reaped at once, so that its
        pid names no process any more (as under systemd)."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> int:
        """SIGTERM, as `systemctl stop` sends it; the exit code."""
        self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=30)


@contextmanager
def serving(city: City, name: str) -> Iterator[Serve]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("BUDGET_MONITOR_")}
    environment["BUDGET_MONITOR_DB"] = city.database_url
    log = city.folder / f"{name}.stderr.log"
    with log.open("wb") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-m", "monitor", "--settings", "settings.toml", "serve"],
            cwd=city.folder,
            env=environment,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )
    serve = Serve(process, log)
    try:
        yield serve
    finally:
        if process.poll() is None:
            serve.kill()


def _started(ledger: Ledger, serve: Serve) -> bool:
    assert serve.process.poll() is None, serve.stderr()  # exited instead of serving
    return ledger.heartbeat() == ("running", serve.pid)


def copy_slowly(content: bytes, target: Path, ledger: Ledger, parts: int) -> int:
    """Write `content` to `target` in `parts` parts, whole lines each (so that the file is a valid
    export at every moment, and a half-copied import would succeed with rows missing). After each
    part but the last, wait until the service has polled the inbox — a run that started after the
    write has finished — and listed the file as still being written: each pause is longer than a
    poll, by construction, and shorter than SETTLE_SECONDS. Returns the polls that saw it."""
    lines = content.splitlines(keepends=True)
    bounds = [round(len(lines) * i / parts) for i in range(parts + 1)]
    seen = 0
    for start, end in itertools.pairwise(bounds):
        with target.open("ab") as out:
            out.write(b"".join(lines[start:end]))
        if end == len(lines):
            break
        written = datetime.now(UTC)

        def polled(after: datetime = written) -> bool:
            return any(
                r["started"] > after and target.name in r["detail"].get("waiting", [])
                for r in ledger.runs("inbox")
            )

        assert wait_for(polled, timeout=SETTLE_SECONDS - 1), (
            f"no inbox run saw {target.name} within {SETTLE_SECONDS - 1} s of a write"
        )
        seen += 1
    return seen


def _near(text: str | None, moment: datetime, before: float, after: float) -> bool:
    assert text is not None
    when = datetime.fromisoformat(text)
    return moment - timedelta(seconds=before) <= when <= moment + timedelta(seconds=after)


def test_serve_process_imports_dropped_files_waits_for_a_slow_copy_and_survives_a_bad_file(
    city: City, ledger: Ledger, tmp_path: Path
) -> None:
    city.configure(
        schedule=f'inbox_interval_seconds = 1\nreport_cron = "{QUARTERLY}"',
        settle_seconds=SETTLE_SECONDS,
    )
    monitor = Monitor(city.database_url, city.folder)
    archive = city.folder / "archive" / f"{datetime.now(BERLIN):%Y}"
    failed = city.folder / "failed"
    slow = write_csv(tmp_path / "journal-slow.csv", SLOW).read_bytes()
    with serving(city, "serve") as serve:
        assert wait_for(lambda: _started(ledger, serve), timeout=30), serve.stderr()

        # A finished export dropped into the inbox: imported and archived, alerts run after it.
        city.drop(write_xlsx(tmp_path / "journal-jan.xlsx", JANUARY))
        assert wait_for((archive / "journal-jan.xlsx").is_file, timeout=20), serve.stderr()
        assert wait_for(lambda: ledger.finished("alerts") == 1, timeout=20), serve.stderr()

        # A CSV copied into the inbox slowly, pausing for longer than a poll between parts.
        city.inbox.mkdir(exist_ok=True)
        polls_during_copy = copy_slowly(slow, city.inbox / "journal-slow.csv", ledger, parts=3)

        # While it settles: a file that is refused, then a good one.
        city.drop(write_csv(tmp_path / "journal-feb.csv", BAD))
        assert wait_for((failed / "journal-feb.csv.error.txt").is_file, timeout=20)
        city.drop(write_csv(tmp_path / "journal-mar.csv", MARCH))
        assert wait_for((archive / "journal-mar.csv").is_file, timeout=20), serve.stderr()
        assert wait_for((archive / "journal-slow.csv").is_file, timeout=SETTLE_SECONDS + 20)
        assert wait_for(lambda: ledger.finished("alerts") == 3, timeout=20), serve.stderr()

        status = monitor.json("status")
        jobs = {j["name"]: j for j in monitor.json("jobs")["jobs"]}
        now = datetime.now(BERLIN)
        assert serve.process.poll() is None  # the refused file did not stop the service
        assert serve.stop() == 0, serve.stderr()
    stopped = monitor.json("status")

    # Each export imported once and whole; the refused one not at all.
    batches = {b.file_name: (b.status, b.rows, b.imported) for b in ledger.batches()}
    assert batches == {
        "journal-jan.xlsx": ("imported", 2, 2),
        "journal-slow.csv": ("imported", 12, 12),
        "journal-mar.csv": ("imported", 2, 2),
    }
    assert len(ledger.batches()) == 3
    assert ledger.count(Posting) == 16
    assert polls_during_copy == 2
    inbox_runs = ledger.runs("inbox")
    assert sum("journal-slow.csv" in r["detail"].get("imported", []) for r in inbox_runs) == 1
    assert {r["outcome"] for r in inbox_runs} == {"ok", "warning"}  # never "error"

    # Folders: the inbox empty, each file filed once.
    assert list(city.inbox.iterdir()) == []
    assert sorted(p.name for p in archive.iterdir()) == [
        "journal-jan.xlsx",
        "journal-mar.csv",
        "journal-slow.csv",
    ]
    assert sorted(p.name for p in failed.iterdir()) == [
        "journal-feb.csv",
        "journal-feb.csv.error.txt",
    ]
    report = (failed / "journal-feb.csv.error.txt").read_text("utf-8")
    assert "Zeile 4, Spalte 'Betrag': kein Betrag: 'zwölf'" in report
    assert "das Hauptbuch ist unverändert" in report

    # `status` while it ran: alive, nothing failed outright, the refused file waits for a human,
    # and the last inbox run that handled files says which.
    beat = status["heartbeat"]
    assert (beat["state"], beat["pid"], beat["stale"]) == ("running", serve.pid, False)
    assert status["last_errors"] == [] and status["deliveries_open"] == []
    # (No measures in this ledger: all of 2024's spending reaches no district, also an alert.)
    assert {(a["kind"], a["subject"]) for a in status["alerts_open"]} == {
        ("import_failed", "journal-feb.csv"),
        ("unattributed_share", "2024"),
    }
    worked = {w["job"]: w for w in status["last_work"]}
    assert worked["inbox"]["detail"]["imported"] == ["journal-slow.csv"]
    assert (worked["inbox"]["succeeded"], worked["inbox"]["failed"]) == (1, 0)
    refused = [r for r in inbox_runs if r["detail"].get("failed")]
    assert [r["detail"]["failed"] for r in refused] == [["journal-feb.csv"]]
    assert {j["job"] for j in status["jobs"]} == {"inbox", "alerts", "deliveries"}

    # `jobs` while it ran: what is next, in Berlin time.
    assert (jobs["inbox"]["schedule"], jobs["report"]["schedule"]) == ("every 1 s", QUARTERLY)
    assert _near(jobs["inbox"]["next_run"], now, before=3, after=3)
    quarter_start = parse_cron(QUARTERLY, BERLIN).get_next_fire_time(None, now)
    assert jobs["report"]["next_run"] == quarter_start.isoformat(timespec="seconds")
    assert not jobs["report"]["due"]
    started = datetime.fromisoformat(beat["started"])
    assert _near(jobs["deliveries"]["next_run"], started + timedelta(seconds=300), 1, 5)
    assert (jobs["alerts"]["next_run"], jobs["alerts"]["schedule"]) == (None, "after inbox imports")

    # After SIGTERM: stopped cleanly, and said so.
    assert stopped["heartbeat"]["state"] == "stopped"
    assert stopped["heartbeat"]["stale"] is False
    assert "Traceback" not in serve.stderr()


def _quarter_journal(period: str) -> list[list[object]]:
    """Three postings in the quarter `period` ("2026-Q3"), one a month."""
    year, quarter = int(period[:4]), int(period[-1])
    rows: list[list[object]] = [["Journal"], JOURNAL_HEADER]
    for n, month in enumerate(range(3 * quarter - 2, 3 * quarter + 1), start=1):
        day = f"15.{month:02d}.{year}"
        rows.append([str(year), str(9000 + n), "1", day, "501100", "06.02.01", "36050", "Honorar"])
        rows[-1].append(f"{n}00,00")
    return rows


def _received(mailbox: HoldingMailbox, address: str) -> list[tuple[str, bytes]]:
    """(Message-ID, attached PDF) of every message the server accepted for `address`."""
    received = []
    for envelope in mailbox.envelopes:
        if address not in envelope.rcpt_tos:
            continue
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        [attachment] = list(message.iter_attachments())
        assert attachment.get_content_type() == "application/pdf"
        received.append((str(message["Message-ID"]), attachment.get_content()))
    return received


def test_sigkill_during_a_delivery_then_restart_sends_each_report_once_and_asks_about_the_one(
    city: City,
    ledger: Ledger,
    tmp_path: Path,
    holding_smtp_server: SmtpServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The design (docs/operations-service.md, "Report delivery, exactly once"): e-mail is
    at-most-once. A send cut off after the server took the message in is never repeated by the
    service; once SENDING_LEASE has passed it is 'uncertain' with an alert, and a human's
    `run-job report --resend-uncertain` sends it once more, as the same message."""
    for variable in ("BUDGET_MONITOR_SMTP_USER", "BUDGET_MONITOR_SMTP_PASSWORD"):
        monkeypatch.delenv(variable, raising=False)  # the test server takes no login
    mailbox = holding_smtp_server.mailbox
    assert isinstance(mailbox, HoldingMailbox)
    first_recipient, *others = RECIPIENTS
    period = closed_period(datetime.now(BERLIN), "quarter")
    city.configure(
        schedule=f'report_cron = "{EVERY_SECOND}"',
        delivery=smtp_delivery(holding_smtp_server.port, recipients=RECIPIENTS),
    )
    monitor = Monitor(city.database_url, city.folder)
    journal = write_xlsx(tmp_path / "journal.xlsx", _quarter_journal(period))
    assert monitor.json("import", "postings", str(journal))["imported"] == 3
    outbox = ("outbox", str(city.outbox))  # its delivery_log key: channel, recipient

    with serving(city, "first") as first:
        assert wait_for(lambda: _started(ledger, first), timeout=30), first.stderr()
        # The report is built, copied to the outbox, and the first e-mail is in flight: the
        # server has the whole message and has not answered yet.
        assert wait_for(mailbox.holding.is_set, timeout=60), first.stderr()
        assert ledger.status_of("email", first_recipient) == "sending"
        assert wait_for(lambda: ledger.finished("deliveries") == 1)  # its run at start
        jobs_before = {j["name"]: j for j in monitor.json("jobs")["jobs"]}
        first_started = datetime.fromisoformat(monitor.json("status")["heartbeat"]["started"])
        first.kill()
    mailbox.release.set()

    # Dead, and status says so at once (not only when the heartbeat is 90 s old).
    crashed = monitor.json("status")
    assert (crashed["heartbeat"]["state"], crashed["heartbeat"]["stale"]) == ("running", True)
    assert [(d["recipient"], d["status"], d["attempts"]) for d in crashed["deliveries_open"]] == [
        (first_recipient, "sending", 1),
        *((r, "pending", 0) for r in others),
    ]
    assert ledger.deliveries()[outbox].status == "sent"

    with serving(city, "second") as second:
        # Restarted at once (as systemd's Restart= does), not refused for the dead one's sake.
        assert wait_for(lambda: _started(ledger, second), timeout=30), second.stderr()
        assert wait_for(
            lambda: all(ledger.status_of("email", r) == "sent" for r in others), timeout=30
        ), second.stderr()
        # A report run that started after that does not repeat the interrupted send either:
        # its claim is fresh, the send might still be under way in another process.
        settled = datetime.now(UTC)
        assert wait_for(lambda: ledger.finished("report", after=settled) >= 1, timeout=20)
        assert [mailbox.to(r) for r in RECIPIENTS] == [1, 1, 1]
        assert ledger.status_of("email", first_recipient) == "sending"
        restarted = monitor.json("status")

        # A quarter of an hour later (SENDING_LEASE): uncertain, an alert, still not resent.
        ledger.age_claims(SENDING_LEASE + timedelta(minutes=1))
        assert wait_for(
            lambda: ledger.status_of("email", first_recipient) == "uncertain", timeout=20
        ), second.stderr()
        later = datetime.now(UTC)
        assert wait_for(lambda: ledger.finished("report", after=later) >= 1, timeout=20)
        assert [mailbox.to(r) for r in RECIPIENTS] == [1, 1, 1]
        uncertain = monitor.json("status")
        jobs = {j["name"]: j for j in monitor.json("jobs")["jobs"]}
        jobs_at = datetime.now(BERLIN)

        # A human asked, and has it sent again, with the service running: exactly one more.
        [resent] = monitor.json("run-job", "report", "--resend-uncertain")["runs"]
        assert (resent["outcome"], resent["detail"]["period"]) == ("ok", period)
        assert wait_for(lambda: ledger.status_of("email", first_recipient) == "sent", timeout=20)
        after_resend = datetime.now(UTC)
        assert wait_for(lambda: ledger.finished("report", after=after_resend) >= 1, timeout=20)
        assert second.stop() == 0, second.stderr()
    final = monitor.json("status")

    # Every recipient got the report once; the one whose send was cut off got it once more, on
    # request, as the same message (same Message-ID). The report was built once.
    assert [mailbox.to(r) for r in RECIPIENTS] == [2, 1, 1]
    assert ledger.count(ReportRun) == 1
    rows = ledger.deliveries()
    assert {k: (r.report_period, r.status, r.attempts) for k, r in rows.items()} == {
        outbox: (period, "sent", 1),
        ("email", first_recipient): (period, "sent", 2),
        **{("email", r): (period, "sent", 1) for r in others},
    }
    outboxed = (city.outbox / f"Sozialbericht_{period}.pdf").read_bytes()
    checksum = hashlib.sha256(outboxed).hexdigest()
    assert {r.sha256 for r in rows.values()} == {checksum}
    for address in RECIPIENTS:
        for _, pdf in _received(mailbox, address):
            assert pdf.startswith(b"%PDF-")
            assert hashlib.sha256(pdf).hexdigest() == checksum
    [(cut_off, _), (again, _)] = _received(mailbox, first_recipient)
    assert cut_off == again

    # What the operator saw on the way.
    assert jobs_before["report"]["schedule"] == EVERY_SECOND
    beat = restarted["heartbeat"]
    assert (beat["state"], beat["pid"], beat["stale"]) == ("running", second.pid, False)
    [interrupted] = restarted["last_errors"]
    assert (interrupted["job"], interrupted["outcome"]) == ("report", "error")
    assert interrupted["error"].startswith("interrupted")
    assert [(d["recipient"], d["status"]) for d in restarted["deliveries_open"]] == [
        (first_recipient, "sending")
    ]
    [open_delivery] = uncertain["deliveries_open"]
    assert (open_delivery["recipient"], open_delivery["status"]) == (first_recipient, "uncertain")
    assert open_delivery["last_error"] == "interrupted between send and confirmation"
    [alert] = [a for a in uncertain["alerts_open"] if a["kind"] == "delivery_uncertain"]
    assert alert["subject"] == f"{period}/email/{first_recipient}"
    assert "--resend-uncertain" in alert["message"]
    assert ledger.alerts("delivery_uncertain")[0].subject == alert["subject"]
    # Next runs: the report every second; the retry job where the first process put it
    # (the schedule survived SIGKILL and restart).
    assert jobs["report"]["schedule"] == EVERY_SECOND
    assert _near(jobs["report"]["next_run"], jobs_at, before=3, after=3)
    assert jobs["deliveries"]["next_run"] == jobs_before["deliveries"]["next_run"]
    assert _near(jobs["deliveries"]["next_run"], first_started + timedelta(seconds=300), 1, 5)
    assert final["heartbeat"]["state"] == "stopped"
    assert final["deliveries_open"] == []
    assert [e["job"] for e in final["last_errors"]] == ["report"]  # only the interrupted run
