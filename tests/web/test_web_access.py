"""Only the right people see the right things (SPEC §10, issue 20 item 2): users from the CLI,
sign-in, sessions that end, roles, CSRF, security headers, and the access log."""

from __future__ import annotations

import json

from sqlalchemy import create_engine, text

from tests.web.conftest import PASSWORD, atlas_client, form_token, sign_in

AGGREGATE_PAGES = ("/", "/districts/SR03", "/programs/Familienzentren", "/reports")
AUDIT_PAGES = ("/trace?district=SR03&year=2024", "/imports", "/api/trace?district=SR03&year=2024")


def test_user_add_stores_an_argon2_hash_never_the_password(web_ledger):
    engine = create_engine(web_ledger.url)
    with engine.connect() as connection:
        stored = connection.execute(
            text("SELECT password_hash FROM web_user WHERE name = 'auditor'")
        ).scalar_one()
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    listed = json.loads(web_ledger.cli("user", "list", "--json"))
    assert [(u["name"], u["role"]) for u in listed["users"]] == [
        ("admin", "admin"),
        ("auditor", "auditor"),
        ("committee", "committee"),
        ("finance", "finance"),
    ]
    assert "hash" not in json.dumps(listed)


def test_user_add_refuses_a_short_password_and_a_taken_name(web_ledger):
    short = web_ledger.cli("user", "add", "kurt", "--role", "committee", input="kurz\n", expect=1)
    assert short == ""
    web_ledger.cli("user", "add", "admin", "--role", "admin", input=PASSWORD + "\n", expect=1)
    names = [u["name"] for u in json.loads(web_ledger.cli("user", "list", "--json"))["users"]]
    assert "kurt" not in names


def test_without_a_session_pages_go_to_login_and_the_api_answers_401(web_ledger):
    client = atlas_client(web_ledger)
    for page in (*AGGREGATE_PAGES, "/trace", "/imports", "/admin"):
        answer = client.get(page, follow_redirects=False)
        assert answer.status_code == 303 and answer.headers["location"].startswith("/login?next=")
    for api in ("/api/spend?year=2024", "/api/need", "/api/trace?district=SR03"):
        assert client.get(api).status_code == 401
    assert client.get("/login").status_code == 200


def test_a_wrong_password_and_an_unknown_name_get_the_same_refusal(web_ledger):
    client = atlas_client(web_ledger)
    answers = []
    for name, password in (("auditor", "falsch-falsch-1"), ("niemand", PASSWORD)):
        token = form_token(client.get("/login").text)
        answer = client.post(
            "/login", data={"csrf_token": token, "name": name, "password": password}
        )
        answers.append((answer.status_code, "bm_session" in answer.cookies))
    assert answers == [(401, False), (401, False)]


def test_sign_in_without_the_forms_token_is_refused(web_ledger):
    client = atlas_client(web_ledger)
    client.get("/login")
    answer = client.post("/login", data={"name": "auditor", "password": PASSWORD})
    assert answer.status_code == 403
    assert client.get("/", follow_redirects=False).status_code == 303


def test_committee_sees_aggregates_but_never_postings(client_as):
    committee = client_as("committee")
    for page in AGGREGATE_PAGES:
        assert committee.get(page).status_code == 200, page
    for page in (*AUDIT_PAGES, "/trace.xlsx?district=SR03&year=2024", "/admin"):
        assert committee.get(page).status_code == 403, page
    assert "/trace" not in committee.get("/districts/SR03").text


def test_auditor_sees_trace_and_batches_but_may_not_upload(client_as, web_ledger):
    auditor = client_as("auditor")
    for page in AUDIT_PAGES:
        assert auditor.get(page).status_code == 200, page
    imports = auditor.get("/imports").text
    assert 'type="file"' not in imports
    token = form_token(auditor.get("/").text)
    export = web_ledger.folder / "ledger.db"  # any file: refused before it is read
    with export.open("rb") as handle:
        answer = auditor.post(
            "/imports", data={"csrf_token": token}, files={"file": ("x.csv", handle)}
        )
    assert answer.status_code == 403
    assert auditor.get("/admin").status_code == 403


def test_a_changing_request_without_the_csrf_token_is_refused(client_as):
    finance = client_as("finance")
    assert finance.post("/imports", files={"file": ("x.csv", b"a;b\n")}).status_code == 403
    assert finance.post("/logout", data={"csrf_token": "falsch"}).status_code == 403
    assert finance.get("/imports").status_code == 200  # still signed in


def test_sign_out_ends_the_session_on_the_server(web_ledger):
    client = atlas_client(web_ledger)
    sign_in(client, "committee")
    cookie = client.cookies.get("bm_session")
    token = form_token(client.get("/").text)
    assert (
        client.post("/logout", data={"csrf_token": token}, follow_redirects=False).status_code
        == 303
    )
    replay = atlas_client(web_ledger)
    replay.cookies.set("bm_session", cookie)
    assert replay.get("/", follow_redirects=False).status_code == 303


def test_an_idle_session_expires_and_a_removed_user_is_signed_out(web_ledger):
    web_ledger.cli("user", "add", "zeitweise", "--role", "committee", input=PASSWORD + "\n")
    client = atlas_client(web_ledger, session_minutes=60)
    sign_in(client, "zeitweise")
    assert client.get("/reports").status_code == 200
    engine = create_engine(web_ledger.url)
    with engine.begin() as connection:
        connection.execute(
            text(
                "UPDATE web_session SET expires_at = '2000-01-01 00:00:00' WHERE user_id = "
                "(SELECT id FROM web_user WHERE name = 'zeitweise')"
            )
        )
    assert client.get("/reports", follow_redirects=False).status_code == 303
    sign_in(client, "zeitweise")
    web_ledger.cli("user", "remove", "zeitweise")
    assert client.get("/reports", follow_redirects=False).status_code == 303


def test_every_answer_carries_the_security_headers_and_cookies_are_strict(web_ledger):
    client = atlas_client(web_ledger)
    for answer in (client.get("/login"), client.get("/static/atlas.css"), client.get("/api/need")):
        policy = answer.headers["content-security-policy"]
        assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
        assert answer.headers["x-content-type-options"] == "nosniff"
        assert answer.headers["x-frame-options"] == "DENY"
    cookie = client.get("/login").headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie


def test_public_mode_opens_aggregate_pages_never_trace_imports_or_the_api(web_ledger):
    client = atlas_client(web_ledger, public=True)
    for page in AGGREGATE_PAGES:
        assert client.get(page).status_code == 200, page
    assert client.get("/trace?district=SR03", follow_redirects=False).status_code == 303
    assert client.get("/imports", follow_redirects=False).status_code == 303
    assert client.get("/api/spend?year=2024").status_code == 401


def test_downloads_are_written_to_the_access_log(client_as):
    auditor = client_as("auditor")
    workbook = auditor.get("/trace.xlsx?district=SR03&year=2024")
    assert workbook.status_code == 200 and workbook.content[:2] == b"PK"
    assert auditor.get("/reports/1/pdf").content[:4] == b"%PDF"
    log = client_as("admin").get("/admin").text
    assert "trace_xlsx" in log and "report_pdf" in log and "/trace.xlsx" in log
