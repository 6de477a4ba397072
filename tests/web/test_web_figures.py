"""The API answers what the CLI's --json answers (SPEC §10), byte for byte, and the pages show
the same figures: the atlas has no second path to a figure."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from tests.web.conftest import atlas_client, copy_demo, form_token, sign_in

CASES = [
    (("spend", "--by", "district", "--year", "2024"), "/api/spend?by=district&year=2024"),
    (("spend", "--by", "measure", "--year", "2023"), "/api/spend?by=measure&year=2023"),
    (("need",), "/api/need"),
    (("need", "--period", "2022"), "/api/need?period=2022"),
    (("trace", "--district", "SR03", "--year", "2024"), "/api/trace?district=SR03&year=2024"),
]


@pytest.mark.parametrize(("command", "address"), CASES, ids=[c[1] for c in CASES])
def test_the_api_answers_exactly_what_the_cli_prints_with_json(
    command, address, web_ledger, client_as
):
    printed = web_ledger.cli(*command, "--json")
    answered = client_as("auditor").get(address)
    assert answered.status_code == 200
    assert answered.headers["content-type"].startswith("application/json")
    assert answered.text == printed


def test_the_api_refuses_what_the_cli_refuses_in_the_same_words(web_ledger, client_as):
    auditor = client_as("auditor")
    unknown = auditor.get("/api/trace?district=SR99&year=2024")
    assert unknown.status_code == 400
    assert "SR99" in unknown.json()["error"]
    assert auditor.get("/api/spend?by=street").status_code == 400
    assert auditor.get("/api/spend?year=zwanzig").status_code == 400


def test_the_overview_shows_every_district_on_the_map_and_in_the_table(web_ledger, client_as):
    page = client_as("committee").get("/?year=2024").text
    spent = client_as("committee").get("/api/spend?by=district&year=2024").json()
    for row in spent["rows"]:
        assert f'href="/districts/{row["key"]}"' in page  # the map's link
        assert f"/districts/{row['key']}?year=2024" in page  # the table's link
    assert page.count("<path ") == len(spent["rows"])
    assert "<script" not in page


def test_the_district_page_adds_up_to_the_districts_spend_amount(client_as):
    committee = client_as("committee")
    page = committee.get("/districts/SR02?year=2024&lang=en").text
    spent = committee.get("/api/spend?by=district&year=2024").json()
    amount = next(r["amount"] for r in spent["rows"] if r["key"] == "SR02")
    shown = f"€{Decimal(amount):,.2f}"
    assert shown in page  # the total line of the table by measure
    assert "Need" in page
    assert 'href="/programs/Familienzentren"' in page  # its evaluation counts SR02


def test_the_programme_page_says_what_the_report_says(client_as):
    page = client_as("committee").get("/programs/Familienzentren?lang=de").text
    assert "Aus dem Bericht Nr. 1" in page
    assert "Ereignisstudie" in page or "Einschränkungen" in page


def test_finance_uploads_an_export_through_the_clis_import(demo_folder, client_as):
    finance = client_as("finance")
    before = len(client_as("auditor").get("/imports").text.split("<tr>"))
    export = (
        demo_folder / "budget-monitor-demo" / "exports" / "Buchungsjournal_2016_SYNTHETISCH.csv"
    )
    token = form_token(finance.get("/imports").text)
    with export.open("rb") as handle:
        answer = finance.post(
            "/imports",
            data={"csrf_token": token, "profile": "auto"},
            files={"file": (export.name, handle, "text/csv")},
        )
    assert answer.status_code == 200, answer.text
    assert "schon bekannt, nichts Neues" in answer.text  # the CLI's status "unchanged"
    after = len(client_as("auditor").get("/imports").text.split("<tr>"))
    assert after == before + 1


def test_the_overview_shows_constant_prices_as_spend_does(web_ledger, client_as):
    """Issue 17 in the atlas: the toggle shows `spend --constant-prices`' own figures; without a
    price index it says why and shows current prices."""
    committee = client_as("committee")
    without = committee.get("/?year=2023&prices=constant&lang=en").text
    assert "import prices" in without  # the CLI's reason, and the table in current prices
    cpi = Path(__file__).parents[1] / "data" / "real" / "destatis-cpi" / "61111-0001_de_flat.csv"
    web_ledger.cli("import", "prices", str(cpi))
    printed = json.loads(
        web_ledger.cli("spend", "--by", "district", "--year", "2023", "--constant-prices", "--json")
    )
    page = committee.get("/?year=2023&prices=constant&lang=en").text  # the index ends 2023
    for row in printed["rows"]:
        assert f"€{Decimal(row['amount_real']):,.2f}" in page
    assert f"€{Decimal(printed['total_real']):,.2f}" in page


def test_an_auditor_reruns_a_report_from_its_recorded_state(demo_folder, tmp_path):
    """The archive's rerun button runs `report --rerun RUN` for real, on a copy of its own
    (the rerun adds a run to the archive): the role, the CSRF token, the new PDF and sidecar
    beside the original, the archive's listing and the access log."""
    ledger = copy_demo(demo_folder, tmp_path / "rerun")
    committee, auditor = atlas_client(ledger), atlas_client(ledger)
    sign_in(committee, "committee")
    sign_in(auditor, "auditor")
    token = form_token(committee.get("/reports").text)
    assert committee.post("/reports/1/rerun", data={"csrf_token": token}).status_code == 403
    page = auditor.get("/reports?lang=de").text
    assert 'action="/reports/1/rerun"' in page
    assert auditor.post("/reports/1/rerun").status_code == 403  # no token
    assert not list(tmp_path.glob("rerun/*-rerun-1.pdf"))  # refusals changed nothing
    done = auditor.post(
        "/reports/1/rerun", data={"csrf_token": form_token(page)}, follow_redirects=False
    )
    assert done.status_code == 303 and done.headers["location"] == "/reports"
    rerun = ledger.folder / "Sozialbericht_2024_SYNTHETISCH-rerun-1.pdf"
    assert rerun.read_bytes().startswith(b"%PDF")
    recorded = json.loads(rerun.with_suffix(".json").read_text())["run"]
    assert recorded["rerun_of"] == 1
    assert f"/reports/{recorded['run']}/pdf" in auditor.get("/reports").text
    assert auditor.get(f"/reports/{recorded['run']}/pdf").content == rerun.read_bytes()
    admin = atlas_client(ledger)
    sign_in(admin, "admin")
    assert "report_rerun" in admin.get("/admin").text


def test_the_trace_page_shows_the_items_in_pages(client_as):
    auditor = client_as("auditor")
    count = len(auditor.get("/api/trace?district=SR03&year=2024").json()["items"])
    first = auditor.get("/trace?district=SR03&year=2024&lang=en").text
    assert f"1 to {count} of {count}" in first and "previous postings" not in first
    later = auditor.get(f"/trace?district=SR03&year=2024&start={count - 2}&lang=en").text
    assert f"{count - 1} to {count} of {count}" in later
    assert later.count("<tr>") == 1 + 2  # the header and two items
    assert 'href="/trace?district=SR03&amp;year=2024&amp;lang=en&amp;start=0"' in later
