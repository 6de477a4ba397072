"""A copy of the demo city's ledger per test module, its users, and a signed-in test client.

The shared demo (tests/conftest.py) is only read; each module works on its own copy, since
signing in writes sessions and an upload writes postings. The report's PDF and sidecar are
copied beside the ledger, where the atlas looks for them (as after `budget-monitor demo`).
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient

from monitor.cli import cli
from monitor.language import LANG_ENV
from monitor.settings import WebSettings, load_settings
from monitor.web.app import create_app

PASSWORD = "ein-langes-Kennwort-7"
ROLES = ("committee", "auditor", "finance", "admin")


@dataclass(frozen=True)
class WebLedger:
    url: str
    folder: Path

    def cli(self, *args: str, input: str | None = None, expect: int = 0) -> str:
        done = CliRunner(env={LANG_ENV: "en"}).invoke(cli, ["--db", self.url, *args], input=input)
        assert done.exit_code == expect, done.output
        return done.stdout


def copy_demo(demo_folder: Path, target: Path) -> WebLedger:
    source = demo_folder / "budget-monitor-demo"
    target.mkdir(parents=True, exist_ok=True)
    for path in source.iterdir():
        if path.is_file():
            shutil.copy2(path, target / path.name)
    ledger = WebLedger(f"sqlite:///{target / 'ledger.db'}", target)
    for role in ROLES:
        ledger.cli("user", "add", role, "--role", role, input=PASSWORD + "\n")
    return ledger


@pytest.fixture(scope="module")
def web_ledger(demo_folder: Path, tmp_path_factory: pytest.TempPathFactory) -> WebLedger:
    return copy_demo(demo_folder, tmp_path_factory.mktemp("atlas"))


def atlas_client(
    ledger: WebLedger, client: tuple[str, int] = ("testclient", 50000), **web: object
) -> TestClient:
    """A client of a new atlas over `ledger` with `[web]` settings `web`, asking from the
    address `client`."""
    settings = load_settings(None, cwd=ledger.folder)
    fields = {"upload_dir": ledger.folder / "uploads", **web}
    settings = type(settings)(
        **{**settings.__dict__, "web": WebSettings(**fields)}  # type: ignore[arg-type]
    )
    return TestClient(create_app(settings, ledger.url), base_url="http://atlas.test", client=client)


def form_token(page: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found, page
    return found.group(1)


def sign_in(client: TestClient, name: str, password: str = PASSWORD) -> None:
    token = form_token(client.get("/login").text)
    answer = client.post(
        "/login",
        data={"csrf_token": token, "name": name, "password": password, "next": "/"},
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text


@pytest.fixture(scope="module")
def client_as(web_ledger: WebLedger) -> Callable[[str], TestClient]:
    """A client signed in with the given role (one per role and module)."""
    clients: dict[str, TestClient] = {}

    def signed_in(role: str) -> TestClient:
        if role not in clients:
            clients[role] = atlas_client(web_ledger)
            sign_in(clients[role], role)
        return clients[role]

    return signed_in
