"""Report delivery: exactly once per (period, recipient, channel), across runs, restarts and a
crash between send and mark; failed sends retried with backoff; real SMTP servers (aiosmtpd)."""

from __future__ import annotations

import email
import ssl
from datetime import UTC, datetime, timedelta
from email import policy
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from ledger.service_models import Alert, DeliveryLog
from monitor.service import delivery
from monitor.service.delivery import ALERT_AFTER_ATTEMPTS, deliver_pending, resend_uncertain
from monitor.service.report_job import closed_period, run_report_job
from monitor.settings import SettingsError, load_settings
from tests.conftest import Monitor
from tests.service.conftest import City, Mailbox, PdfBuilder, SmtpServer, free_port, smtp_delivery

# 1 January 2025, 06:00 in Berlin: the first quarter-start run after 2024-Q4 closed.
QUARTER_START = datetime(2025, 1, 1, 5, 0, tzinfo=UTC)
RECIPIENTS = ("ausschuss@stadt.example", "kaemmerei@stadt.example")


def _rows(city: City) -> dict[tuple[str, str], object]:
    with city.service().engine.connect() as connection:
        rows = connection.execute(select(DeliveryLog)).all()
    return {(r.channel, r.recipient): r for r in rows}


def _alerts(city: City, kind: str) -> list[object]:
    with city.service().engine.connect() as connection:
        return connection.execute(select(Alert).where(Alert.kind == kind)).all()


class Crash(BaseException):
    """The process dying between the SMTP server's 250 and the UPDATE that records it."""


def test_closed_period_is_the_quarter_or_year_before_the_run() -> None:
    assert closed_period(datetime(2025, 1, 1, 6), "quarter") == "2024-Q4"
    assert closed_period(datetime(2025, 4, 1, 6), "quarter") == "2025-Q1"
    assert closed_period(datetime(2025, 12, 31, 23), "quarter") == "2025-Q3"
    assert closed_period(datetime(2025, 1, 1, 6), "year") == "2024"


def test_report_goes_to_outbox_and_each_recipient_once_however_often_the_job_runs(
    city: City, smtp_server: SmtpServer, pdf_builder: PdfBuilder
) -> None:
    city.configure(delivery=smtp_delivery(smtp_server.port, recipients=RECIPIENTS))
    first = run_report_job(city.service(), QUARTER_START, build=pdf_builder)
    assert (first.succeeded, first.failed, first.detail["period"]) == (3, 0, "2024-Q4")
    # Again, forced, a "restart" (a new context and engine), and a misfire run days late.
    run_report_job(city.service(), QUARTER_START, force=True, build=pdf_builder)
    run_report_job(city.service(), QUARTER_START + timedelta(days=2), build=pdf_builder)
    assert pdf_builder.calls == ["2024-Q4"]  # built once
    assert [smtp_server.mailbox.to(r) for r in RECIPIENTS] == [1, 1]
    rows = _rows(city)
    assert {(r.status, r.attempts) for r in rows.values()} == {("sent", 1)}
    outboxed = city.outbox / "Sozialbericht_2024-Q4.pdf"
    assert outboxed.read_bytes().startswith(b"%PDF")
    message = email.message_from_bytes(
        smtp_server.mailbox.envelopes[0].content, policy=policy.default
    )
    assert message["Subject"] == "Sozialbericht Stadt, 4. Quartal 2024"
    attachment = next(message.iter_attachments())
    assert attachment.get_filename() == "Sozialbericht_2024-Q4.pdf"
    assert attachment.get_content() == outboxed.read_bytes()


def test_recipient_added_later_gets_the_same_report_and_nobody_else_a_second(
    city: City, smtp_server: SmtpServer, pdf_builder: PdfBuilder
) -> None:
    city.configure(delivery=smtp_delivery(smtp_server.port, recipients=RECIPIENTS[:1]))
    run_report_job(city.service(), QUARTER_START, build=pdf_builder)
    city.configure(delivery=smtp_delivery(smtp_server.port, recipients=RECIPIENTS))
    run_report_job(city.service(), QUARTER_START + timedelta(hours=1), build=pdf_builder)
    assert pdf_builder.calls == ["2024-Q4"]
    assert [smtp_server.mailbox.to(r) for r in RECIPIENTS] == [1, 1]


def test_crash_between_send_and_mark_never_sends_twice_and_asks_a_human(
    city: City,
    smtp_server: SmtpServer,
    pdf_builder: PdfBuilder,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    city.configure(delivery=smtp_delivery(smtp_server.port, recipients=RECIPIENTS))
    real_mark = delivery._mark_sent

    def crash_on_first_email(service, row, now):  # type: ignore[no-untyped-def]
        if row.channel == "email":
            raise Crash
        real_mark(service, row, now)

    monkeypatch.setattr(delivery, "_mark_sent", crash_on_first_email)
    with pytest.raises(Crash):
        run_report_job(city.service(), QUARTER_START, build=pdf_builder)
    monkeypatch.setattr(delivery, "_mark_sent", real_mark)
    first, second = RECIPIENTS
    assert smtp_server.mailbox.to(first) == 1
    assert _rows(city)[("email", first)].status == "sending"

    # The restarted service, at once: the claim is fresh (maybe another process is sending).
    run_report_job(city.service(), QUARTER_START + timedelta(minutes=1), build=pdf_builder)
    assert [smtp_server.mailbox.to(r) for r in RECIPIENTS] == [1, 1]
    # Later: the claim is stale, so the send was interrupted; uncertain, an alert, no resend.
    later = QUARTER_START + delivery.SENDING_LEASE + timedelta(minutes=5)
    run_report_job(city.service(), later, force=True, build=pdf_builder)
    run_report_job(city.service(), later + timedelta(days=1), force=True, build=pdf_builder)
    assert smtp_server.mailbox.to(first) == 1
    assert _rows(city)[("email", first)].status == "uncertain"
    assert _rows(city)[("email", second)].status == "sent"
    [alert] = _alerts(city, "delivery_uncertain")
    assert first in alert.message and "--resend-uncertain" in alert.message

    # A human checked: sent again on request, exactly one more time.
    assert resend_uncertain(city.service()) == 1
    run_report_job(city.service(), later + timedelta(days=2), force=True, build=pdf_builder)
    run_report_job(city.service(), later + timedelta(days=3), force=True, build=pdf_builder)
    assert smtp_server.mailbox.to(first) == 2
    assert pdf_builder.calls == ["2024-Q4"]


def test_failed_send_is_retried_after_its_backoff_and_then_delivered(
    city: City, smtp_down: SmtpServer, pdf_builder: PdfBuilder
) -> None:
    city.configure(delivery=smtp_delivery(smtp_down.port, recipients=RECIPIENTS[:1]))
    first = run_report_job(city.service(), QUARTER_START, build=pdf_builder)
    assert (first.succeeded, first.failed) == (1, 1)  # outbox yes, e-mail no
    row = _rows(city)[("email", RECIPIENTS[0])]
    assert (row.status, row.attempts) == ("failed", 1)
    assert "refused" in row.last_error.lower()

    smtp_down.start()
    # The deliveries job a minute later respects the 5-minute backoff ...
    deliver_pending(city.service(), QUARTER_START + timedelta(minutes=1))
    assert smtp_down.mailbox.to(RECIPIENTS[0]) == 0
    # ... and sends after it.
    sent = deliver_pending(city.service(), QUARTER_START + timedelta(minutes=6))
    assert (sent.succeeded, sent.failed) == (1, 0)
    assert smtp_down.mailbox.to(RECIPIENTS[0]) == 1
    row = _rows(city)[("email", RECIPIENTS[0])]
    assert (row.status, row.attempts, row.last_error) == ("sent", 2, None)
    assert _alerts(city, "delivery_failed") == []


def test_delivery_failing_again_and_again_raises_one_alert_and_keeps_trying(
    city: City, smtp_down: SmtpServer, pdf_builder: PdfBuilder
) -> None:
    city.configure(delivery=smtp_delivery(smtp_down.port, recipients=RECIPIENTS[:1]))
    run_report_job(city.service(), QUARTER_START, build=pdf_builder)
    for hour in range(1, ALERT_AFTER_ATTEMPTS + 1):
        deliver_pending(city.service(), QUARTER_START + timedelta(hours=hour), force=True)
    row = _rows(city)[("email", RECIPIENTS[0])]
    assert (row.status, row.attempts) == ("failed", ALERT_AFTER_ATTEMPTS + 1)
    [alert] = _alerts(city, "delivery_failed")
    assert RECIPIENTS[0] in alert.message
    smtp_down.start()
    deliver_pending(city.service(), QUARTER_START + timedelta(days=1))
    assert smtp_down.mailbox.to(RECIPIENTS[0]) == 1


def test_starttls_with_credentials_from_the_environment(
    city: City,
    starttls_server: SmtpServer,
    pdf_builder: PdfBuilder,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    city.configure(
        delivery=smtp_delivery(starttls_server.port, "starttls", recipients=RECIPIENTS[:1])
    )
    without = run_report_job(city.service(), QUARTER_START, build=pdf_builder)
    assert without.failed == 1  # the server requires AUTH
    monitor = Monitor(city.database_url, city.folder)
    monkeypatch.setenv("BUDGET_MONITOR_SMTP_USER", "kaemmerei")
    half = monitor.run("run-job", "deliveries", expect=1)
    assert "BUDGET_MONITOR_SMTP_PASSWORD" in half.stderr
    monkeypatch.setenv("BUDGET_MONITOR_SMTP_PASSWORD", "geheim")
    [run] = monitor.json("run-job", "deliveries")["runs"]
    assert (run["succeeded"], run["failed"]) == (1, 0)
    assert starttls_server.mailbox.logins == ["kaemmerei"]
    assert starttls_server.mailbox.to(RECIPIENTS[0]) == 1


def test_credentials_are_no_settings_key(city: City) -> None:
    path = city.configure(delivery='smtp_password = "geheim"')
    with pytest.raises(SettingsError, match=r"delivery\.smtp_password"):
        load_settings(path)


def test_implicit_tls_on_connect(
    city: City, certificate: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    cert, key = certificate
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))
    server = SmtpServer(free_port(), Mailbox())
    server.controller = Controller(
        server.mailbox, hostname="127.0.0.1", port=server.port, ssl_context=context
    )
    server.controller.start()
    try:
        city.configure(delivery=smtp_delivery(server.port, "ssl", recipients=RECIPIENTS[:1]))
        sent = run_report_job(city.service(), QUARTER_START, build=PdfBuilder())
    finally:
        server.stop()
    assert (sent.succeeded, sent.failed) == (2, 0)
    assert server.mailbox.to(RECIPIENTS[0]) == 1


def test_retry_backoff_doubles_from_five_minutes_to_at_most_six_hours() -> None:
    waits = [delivery.retry_delay(n) for n in (1, 2, 3, 4, 8, 1000)]
    assert waits == [timedelta(minutes=m) for m in (5, 10, 20, 40, 360, 360)]
