"""The report job end to end with the real committee report (monitor.report_command), on the
small city of test_alerts: built once for the quarter just closed, delivered to the outbox and by
e-mail, the alerts it covers stamped with its run."""

from __future__ import annotations

import email
import hashlib
from datetime import UTC, datetime
from email import policy
from pathlib import Path

from sqlalchemy import select

from ledger.master_models import ReportRun
from ledger.service_models import Alert, DeliveryLog
from monitor.service.report_job import run_report_job
from monitor.service.scheduler import run_job
from tests.exports import JOURNAL_HEADER, write_xlsx
from tests.service.conftest import City, SmtpServer, smtp_delivery
from tests.service.test_alerts import POSTINGS, import_master_data

# 06:00 in Berlin on 1 April 2024 (summer time): 2024-Q1 has just closed.
APRIL_FIRST = datetime(2024, 4, 1, 4, 0, tzinfo=UTC)
JULY_FIRST = datetime(2024, 7, 1, 4, 0, tzinfo=UTC)


def test_quarter_report_is_built_once_and_delivered_with_its_alerts(
    city: City, tmp_path: Path, smtp_server: SmtpServer
) -> None:
    city.configure(
        schedule="alert_idle_months = 2",
        delivery=smtp_delivery(smtp_server.port, recipients=("ausschuss@stadt.example",)),
    )
    import_master_data(city, tmp_path)
    city.drop(write_xlsx(tmp_path / "journal.xlsx", [["Journal"], JOURNAL_HEADER, *POSTINGS]))
    run_job(city.service(), "inbox", "schedule", APRIL_FIRST)

    first = run_report_job(city.service(), APRIL_FIRST)
    second = run_report_job(city.service(), APRIL_FIRST, force=True)
    assert (first.succeeded, first.failed, first.detail["period"]) == (2, 0, "2024-Q1")
    assert (second.succeeded, second.failed) == (0, 0)

    engine = city.service().engine
    with engine.connect() as connection:
        [run] = connection.execute(select(ReportRun)).all()
        rows = connection.execute(select(DeliveryLog)).all()
        stamped = set(connection.scalars(select(Alert.reported_in_run)))
    assert run.period == "2024-Q1" and run.pages >= 1
    assert {(r.channel, r.status, r.report_run_id) for r in rows} == {
        ("outbox", "sent", run.id),
        ("email", "sent", run.id),
    }
    pdf = (city.outbox / "Sozialbericht_2024-Q1.pdf").read_bytes()
    assert hashlib.sha256(pdf).hexdigest() == run.sha256 == rows[0].sha256
    [envelope] = smtp_server.mailbox.envelopes
    message = email.message_from_bytes(envelope.content, policy=policy.default)
    assert next(message.iter_attachments()).get_content() == pdf
    assert stamped == {run.id}  # the alerts raised before it are the report's

    # The next quarter: a second report on the same ledger, built after the first one (which it
    # counts changes from) and delivered the same way.
    following = run_report_job(city.service(), JULY_FIRST)
    assert (following.succeeded, following.failed, following.detail["period"]) == (
        2,
        0,
        "2024-Q2",
    )
    with engine.connect() as connection:
        periods = list(connection.scalars(select(ReportRun.period).order_by(ReportRun.id)))
    assert periods == ["2024-Q1", "2024-Q2"]
    assert (city.outbox / "Sozialbericht_2024-Q2.pdf").read_bytes().startswith(b"%PDF")
    assert smtp_server.mailbox.to("ausschuss@stadt.example") == 2
