"""E-mail: the committee's report message, plain notices, and one SMTP session to send them.

Credentials come only from the environment (read by the CLI into SmtpCredentials), never from
the settings file, which is often readable by more people than the mail account should be.
"""

from __future__ import annotations

import hashlib
import smtplib
import ssl
from collections.abc import Sequence
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime

from monitor.service.runs import SmtpCredentials
from monitor.settings import DeliverySettings

SMTP_TIMEOUT_SECONDS = 60
SECURITY_CHOICES = ("starttls", "ssl", "none")


def report_file_name(period: str) -> str:
    return f"Sozialbericht_{period}.pdf"


def report_message(
    delivery: DeliverySettings, recipient: str, period: str, city: str, pdf: bytes, sha256: str
) -> EmailMessage:
    """The committee's e-mail (German): the report attached, its checksum in the text.

    The Message-ID is derived from period, report and recipient, so a copy sent again by hand
    is recognisable as the same message by mail clients that deduplicate."""
    message = EmailMessage()
    message["From"] = delivery.sender
    message["To"] = recipient
    message["Subject"] = f"Sozialbericht {city}, {period_text(period)}"
    message["Date"] = format_datetime(datetime.now().astimezone())
    recipient_key = hashlib.sha256(recipient.lower().encode()).hexdigest()[:12]
    domain = delivery.sender.rpartition("@")[2] or "budget-monitor"
    message["Message-ID"] = f"<sozialbericht-{period}-{sha256[:16]}-{recipient_key}@{domain}>"
    message.set_content(
        "Guten Tag,\n\n"
        f"im Anhang erhalten Sie den Sozialbericht {city} für das {period_text(period)}.\n\n"
        "Diese Nachricht wurde vom Budget-Monitor automatisch versandt.\n"
        f"Prüfsumme (SHA-256) des Berichts: {sha256}\n"
    )
    message.add_attachment(
        pdf, maintype="application", subtype="pdf", filename=report_file_name(period)
    )
    return message


def period_text(period: str) -> str:
    """`2024-Q4` → "4. Quartal 2024"; `2024` → "Jahr 2024"."""
    year, _, quarter = period.partition("-Q")
    return f"{quarter}. Quartal {year}" if quarter else f"Jahr {year}"


def send_message(
    delivery: DeliverySettings, credentials: SmtpCredentials | None, message: EmailMessage
) -> None:
    """One SMTP session: implicit TLS ("ssl"), STARTTLS, or plain ("none", for a relay on the
    same host). Certificates are verified against the system's trust store (or SSL_CERT_FILE)."""
    if delivery.smtp_security not in SECURITY_CHOICES:
        raise ValueError(f"delivery.smtp_security must be one of {', '.join(SECURITY_CHOICES)}")
    context = ssl.create_default_context()
    client: smtplib.SMTP
    if delivery.smtp_security == "ssl":
        client = smtplib.SMTP_SSL(
            delivery.smtp_host, delivery.smtp_port, timeout=SMTP_TIMEOUT_SECONDS, context=context
        )
    else:
        client = smtplib.SMTP(delivery.smtp_host, delivery.smtp_port, timeout=SMTP_TIMEOUT_SECONDS)
    with client:
        if delivery.smtp_security == "starttls":
            client.starttls(context=context)
        if credentials is not None:
            client.login(credentials.user, credentials.password)
        client.send_message(message)


def send_to_all(
    delivery: DeliverySettings,
    credentials: SmtpCredentials | None,
    recipients: Sequence[str],
    subject: str,
    text: str,
) -> None:
    """A plain notice (the alerts e-mail); best effort, no delivery log."""
    message = EmailMessage()
    message["From"] = delivery.sender
    message["To"] = ", ".join(recipients)
    message["Subject"] = subject
    message["Date"] = format_datetime(datetime.now().astimezone())
    message.set_content(text)
    send_message(delivery, credentials, message)
