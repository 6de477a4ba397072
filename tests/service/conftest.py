"""Real parts for the service tests: an SMTP server (aiosmtpd, plain and STARTTLS with a
self-signed certificate made by the openssl CLI), a city folder with inbox and outbox, and a
report builder that writes a real PDF with reportlab."""

from __future__ import annotations

import asyncio
import hashlib
import os
import shutil
import socket
import ssl
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, Envelope, LoginPassword
from reportlab.pdfgen import canvas

from monitor.context import AppContext
from monitor.service import inbox_job
from monitor.service.runs import ServiceContext, SmtpCredentials
from monitor.settings import load_settings


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Mailbox:
    """What the SMTP server received: one envelope per accepted message."""

    envelopes: list[Envelope] = field(default_factory=list)
    logins: list[str] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Envelope) -> str:
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    def to(self, address: str) -> int:
        return sum(address in e.rcpt_tos for e in self.envelopes)

    def authenticate(
        self, server: Any, session: Any, envelope: Any, mechanism: str, data: Any
    ) -> AuthResult:
        ok = isinstance(data, LoginPassword) and (data.login, data.password) == (
            b"kaemmerei",
            b"geheim",
        )
        if ok:
            self.logins.append(data.login.decode())
        return AuthResult(success=ok)


@dataclass
class HoldingMailbox(Mailbox):
    """Takes the first message in as soon as its DATA is complete (queued, as an MTA commits it
    before answering), then holds the "250" back until released or the client goes away: the
    window in which a sender dies knowing nothing of a message that was in fact accepted.
    Later messages are answered at once."""

    holding: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)
    hold_seconds: float = 60.0

    async def handle_DATA(self, server: Any, session: Any, envelope: Envelope) -> str:
        self.envelopes.append(envelope)
        if not self.holding.is_set():
            self.holding.set()
            deadline = time.monotonic() + self.hold_seconds
            # aiosmtpd cancels this coroutine when the client's connection is lost.
            while not self.release.is_set() and time.monotonic() < deadline:
                await asyncio.sleep(0.05)
        return "250 Message accepted for delivery"


@dataclass
class SmtpServer:
    port: int
    mailbox: Mailbox
    controller: Controller | None = None
    tls: ssl.SSLContext | None = None

    def start(self) -> None:
        kwargs: dict[str, Any] = {}
        if self.tls is not None:
            kwargs = {
                "tls_context": self.tls,
                "require_starttls": True,
                "authenticator": self.mailbox.authenticate,
                "auth_required": True,
            }
        self.controller = Controller(self.mailbox, hostname="127.0.0.1", port=self.port, **kwargs)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    """A plain SMTP server on a free port of 127.0.0.1, started."""
    server = SmtpServer(free_port(), Mailbox())
    server.start()
    yield server
    server.stop()


@pytest.fixture
def holding_smtp_server() -> Iterator[SmtpServer]:
    """A plain SMTP server whose first message's "250" waits (see HoldingMailbox)."""
    mailbox = HoldingMailbox()
    server = SmtpServer(free_port(), mailbox)
    server.start()
    yield server
    mailbox.release.set()
    server.stop()


@pytest.fixture
def smtp_down() -> Iterator[SmtpServer]:
    """A free port with nothing listening yet; `.start()` brings the server up there."""
    server = SmtpServer(free_port(), Mailbox())
    yield server
    server.stop()


@pytest.fixture(scope="session")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 (openssl CLI; no extra Python package)."""
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("the openssl command is needed to make a test certificate")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            openssl,
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


@pytest.fixture
def starttls_server(
    certificate: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> Iterator[SmtpServer]:
    """STARTTLS required, then AUTH; the client trusts the certificate through SSL_CERT_FILE,
    as a city would trust its own CA."""
    cert, key = certificate
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))
    server = SmtpServer(free_port(), Mailbox(), tls=context)
    server.start()
    yield server
    server.stop()


@dataclass
class City:
    """A settings file with inbox and outbox in a temporary folder, on one ledger database."""

    folder: Path
    database_url: str

    @property
    def inbox(self) -> Path:
        return self.folder / "inbox"

    @property
    def outbox(self) -> Path:
        return self.folder / "outbox"

    def configure(self, schedule: str = "", delivery: str = "", settle_seconds: int = 0) -> Path:
        path = self.folder / "settings.toml"
        path.write_text(
            "[schedule]\n"
            'inbox = "inbox"\n'
            f"inbox_settle_seconds = {settle_seconds}\n"
            'log_file = "logs/service.log"\n'
            f"{schedule}\n"
            "[delivery]\n"
            'outbox = "outbox"\n'
            f"{delivery}\n",
            encoding="utf-8",
        )
        return path

    def service(self, credentials: SmtpCredentials | None = None) -> ServiceContext:
        settings = load_settings(self.folder / "settings.toml")
        return ServiceContext(AppContext(settings, self.database_url), credentials)

    def drop(self, source: Path, age_seconds: float = 120) -> Path:
        """Put a finished file into the inbox (modified `age_seconds` ago)."""
        self.inbox.mkdir(exist_ok=True)
        target = self.inbox / source.name
        shutil.copyfile(source, target)
        moment = time.time() - age_seconds
        os.utime(target, (moment, moment))
        return target


@pytest.fixture(autouse=True)
def quick_second_look(monkeypatch: pytest.MonkeyPatch) -> None:
    """The inbox's two looks 50 ms apart instead of a second: the tests' files are complete."""
    monkeypatch.setattr(inbox_job, "TWO_LOOKS_PAUSE_SECONDS", 0.05)


@pytest.fixture
def city(database_url: str, tmp_path: Path) -> City:
    folder = tmp_path / "city"
    folder.mkdir()
    city = City(folder, database_url)
    city.configure()
    return city


def smtp_delivery(port: int, security: str = "none", recipients: tuple[str, ...] = ()) -> str:
    listed = ", ".join(f'"{r}"' for r in recipients)
    return (
        f'smtp_host = "127.0.0.1"\nsmtp_port = {port}\nsmtp_security = "{security}"\n'
        f'recipients = [{listed}]\nsender = "bericht@stadt.example"\n'
    )


@dataclass
class PdfBuilder:
    """Stands in for create_report: a real one-page PDF per period, counted."""

    calls: list[str] = field(default_factory=list)

    def __call__(self, app: AppContext, period: str, out: Path, lang: str) -> dict[str, Any]:
        self.calls.append(period)
        out.parent.mkdir(parents=True, exist_ok=True)
        pdf = canvas.Canvas(str(out))
        pdf.drawString(72, 720, f"Sozialbericht {period}")
        pdf.save()
        digest = hashlib.sha256(out.read_bytes()).hexdigest()
        return {"file": str(out), "sha256": digest, "run": None, "pages": 1}


@pytest.fixture
def pdf_builder() -> PdfBuilder:
    return PdfBuilder()


def wait_for(condition: Callable[[], bool], timeout: float = 15.0, step: float = 0.1) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return condition()
