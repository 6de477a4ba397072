"""The atlas in a real browser (issue 20 items 4 and 5): Debian's Chromium driven by Playwright
through sign-in, the map, a district, a trace with its download, an upload and the refusals,
with axe-core (bundled by axe-playwright-python, run inside the page) finding no serious or
critical accessibility violation on the main pages.

One server and one browser for the module. Without /usr/bin/chromium (`.ci/run` installs it)
the module is skipped, except under CI=true, where it must run. With ATLAS_SCREENSHOTS=FOLDER
the main pages are also saved there as PNG (how docs/web-atlas-*.png are made).
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn

from monitor.settings import WebSettings, load_settings
from monitor.web.app import create_app
from tests.web.conftest import PASSWORD, WebLedger, copy_demo

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail("under CI=true the browser tests must run: install chromium", pytrace=False)
    pytest.skip("no /usr/bin/chromium (apt-get install chromium)", allow_module_level=True)

sync_api = pytest.importorskip("playwright.sync_api")
axe_module = pytest.importorskip("axe_playwright_python.sync_playwright")

BROWSER_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def ledger(demo_folder: Path, tmp_path_factory: pytest.TempPathFactory) -> WebLedger:
    return copy_demo(demo_folder, tmp_path_factory.mktemp("browser-atlas"))


@pytest.fixture(scope="module")
def server(ledger: WebLedger) -> Iterator[str]:
    settings = load_settings(None, cwd=ledger.folder)
    web = WebSettings(upload_dir=ledger.folder / "uploads")
    settings = type(settings)(**{**settings.__dict__, "web": web})
    port = _free_port()
    config = uvicorn.Config(
        create_app(settings, ledger.url), host="127.0.0.1", port=port, log_level="warning"
    )
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    for _ in range(100):
        if running.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    running.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=BROWSER_ARGS)
        yield launched
        launched.close()


def _page(browser, server: str, role: str | None):  # type: ignore[no-untyped-def]
    context = browser.new_context(base_url=server, accept_downloads=True)
    page = context.new_page()
    if role is not None:
        page.goto("/login")
        page.get_by_label("Benutzername").fill(role)
        page.get_by_label("Kennwort").fill(PASSWORD)
        page.keyboard.press("Enter")  # the form works from the keyboard
        page.wait_for_url(f"{server}/")
    return page


def _no_serious_violations(page) -> None:  # type: ignore[no-untyped-def]
    results = axe_module.Axe().run(page)
    serious = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == [], serious


def _screenshot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    folder = os.environ.get("ATLAS_SCREENSHOTS")
    if folder:
        page.screenshot(path=str(Path(folder) / f"web-atlas-{name}.png"), full_page=True)


def test_sign_in_map_and_district_by_keyboard_without_accessibility_faults(browser, server):
    page = _page(browser, server, "auditor")
    assert page.locator("svg a").count() == 23  # one link per district of the demo city
    _no_serious_violations(page)
    _screenshot(page, "overview")
    page.select_option("#view", "per_capita")
    page.get_by_role("button", name="Anzeigen").click()
    assert "view=per_capita" in page.url
    page.locator('svg a[href="/districts/SR02"]').focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"{server}/districts/SR02")
    assert page.get_by_role("heading", level=1).inner_text().endswith("(SR02)")
    _no_serious_violations(page)
    _screenshot(page, "district")
    page.goto("/programs/Familienzentren")
    _no_serious_violations(page)
    _screenshot(page, "programme")
    page.context.close()


def test_trace_with_filters_and_excel_download(browser, server):
    page = _page(browser, server, "auditor")
    page.goto("/trace")
    page.select_option("#district", "SR03")
    page.select_option("#year", "2024")
    page.get_by_role("button", name="Anzeigen").click()
    assert page.locator("tbody tr").count() > 10
    _no_serious_violations(page)
    _screenshot(page, "trace")
    with page.expect_download() as caught:
        page.get_by_role("link", name="Als Excel-Arbeitsmappe herunterladen").click()
    saved = caught.value.path()
    assert saved is not None and Path(saved).read_bytes()[:2] == b"PK"
    page.context.close()


def test_finance_uploads_an_export_in_the_browser(browser, server, demo_folder):
    page = _page(browser, server, "finance")
    page.goto("/imports")
    export = (
        demo_folder / "budget-monitor-demo" / "exports" / "Buchungsjournal_2017_SYNTHETISCH.csv"
    )
    page.set_input_files("#file", str(export))
    page.get_by_role("button", name="Einlesen").click()
    assert page.get_by_role("status").inner_text().startswith("Buchungsjournal_2017")
    _no_serious_violations(page)
    _screenshot(page, "imports")
    page.context.close()


def test_refusals_in_the_browser(browser, server):
    anonymous = _page(browser, server, None)
    anonymous.goto("/trace?district=SR03")
    assert anonymous.url.startswith(f"{server}/login?next=")
    _no_serious_violations(anonymous)
    anonymous.context.close()
    committee = _page(browser, server, "committee")
    answer = committee.goto("/trace?district=SR03&year=2024")
    assert answer is not None and answer.status == 403
    assert committee.get_by_role("heading", level=1).inner_text() == "Kein Zugriff"
    assert committee.get_by_role("link", name="Nachweis").count() == 0
    committee.context.close()


def test_every_other_page_kind_and_every_error_page_has_no_serious_accessibility_fault(
    browser, server
):
    auditor = _page(browser, server, "auditor")
    kinds = {
        "/reports": 200,  # the archive with its rerun buttons
        "/imports": 200,  # batches without the upload form
        "/trace": 200,  # the filters before a district is chosen
        "/districts/NIRGENDS": 400,  # a problem page
        "/gibt-es-nicht": 404,
        "/admin": 403,  # a role that does not reach the page
    }
    for address, status in kinds.items():
        answer = auditor.goto(address)
        assert answer is not None and answer.status == status, address
        _no_serious_violations(auditor)
    auditor.goto("/reports")
    # A changing request whose form lost its CSRF token (as after a stale tab): refused, 403.
    auditor.locator("form.inline input[name=csrf_token]").first.evaluate("e => e.value = 'alt'")
    with auditor.expect_navigation():
        auditor.locator("form.inline button").first.click()
    assert auditor.get_by_role("heading", level=1).inner_text() == "Kein Zugriff"
    _no_serious_violations(auditor)
    auditor.context.close()
    anonymous = _page(browser, server, None)
    anonymous.goto("/login")
    anonymous.get_by_label("Benutzername").fill("auditor")
    anonymous.get_by_label("Kennwort").fill("falsch-falsch-1")
    anonymous.keyboard.press("Enter")
    assert anonymous.get_by_role("alert").inner_text() == "Name oder Kennwort stimmen nicht."
    _no_serious_violations(anonymous)
    anonymous.context.close()


def test_an_admin_adds_and_removes_a_user_in_the_browser(browser, server):
    admin = _page(browser, server, "admin")
    admin.goto("/admin")
    _no_serious_violations(admin)
    admin.get_by_label("Name", exact=True).fill("clara")
    admin.get_by_label("Rolle").select_option("finance")
    admin.get_by_label("Kennwort (mindestens 10 Zeichen)").fill(PASSWORD)
    admin.get_by_label("Kennwort wiederholen").fill(PASSWORD)
    admin.get_by_role("button", name="Anlegen").click()
    assert admin.get_by_role("status").inner_text() == "Benutzer clara angelegt, Rolle: Kämmerei."
    assert admin.get_by_role("rowheader", name="clara").count() == 1
    _no_serious_violations(admin)
    _screenshot(admin, "admin")
    clara = _page(browser, server, "clara")
    clara.goto("/imports")
    assert clara.get_by_role("button", name="Einlesen").count() == 1  # finance may upload
    admin.get_by_role("button", name="clara entfernen").click()
    assert admin.get_by_role("status").inner_text().startswith("Benutzer clara entfernt")
    assert admin.get_by_role("rowheader", name="clara").count() == 0
    clara.goto("/imports")
    assert clara.url.startswith(f"{server}/login?next=")  # her session ended with her account
    clara.context.close()
    admin.context.close()
