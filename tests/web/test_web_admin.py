"""The admin adds and removes users in the browser (issue 20: users and roles without the
command line), with the CLI's own checks, and nobody else may (SPEC §10)."""

from __future__ import annotations

import json

from ledger.web_accounts import access_log
from tests.web.conftest import PASSWORD, atlas_client, form_token, sign_in


def _names(web_ledger) -> list[str]:
    return [u["name"] for u in json.loads(web_ledger.cli("user", "list", "--json"))["users"]]


def _add(client, **fields: str):
    token = form_token(client.get("/admin").text)
    return client.post("/admin/users", data={"csrf_token": token, **fields})


def test_an_admin_adds_a_user_who_can_then_sign_in_and_removes_them(client_as, web_ledger):
    admin = client_as("admin")
    added = _add(admin, name="berta", role="auditor", password=PASSWORD, password_repeat=PASSWORD)
    assert added.status_code == 200
    assert "Benutzer berta angelegt, Rolle: Prüfung." in added.text
    assert "berta" in _names(web_ledger)
    berta = atlas_client(web_ledger)
    sign_in(berta, "berta")
    assert berta.get("/trace?district=SR03&year=2024").status_code == 200
    token = form_token(admin.get("/admin").text)
    removed = admin.post("/admin/users/berta/remove", data={"csrf_token": token})
    assert removed.status_code == 200 and "Benutzer berta entfernt" in removed.text
    assert "berta" not in _names(web_ledger)
    assert berta.get("/trace", follow_redirects=False).status_code == 303  # signed out at once
    engine = admin.app.state.atlas.engine
    logged = [(line["action"], line["detail"]) for line in access_log(engine)]
    assert ("user_add", {"name": "berta", "role": "auditor"}) in logged
    assert ("user_remove", {"name": "berta"}) in logged


def test_adding_refuses_what_the_cli_refuses_and_adds_nobody(client_as, web_ledger):
    admin = client_as("admin")
    before = _names(web_ledger)
    cases = [
        ({"name": "kurt", "password": "kurz", "password_repeat": "kurz"}, "mindestens 10 Zeichen"),
        (
            {"name": "kurt", "password": PASSWORD, "password_repeat": PASSWORD + "x"},
            "stimmen nicht überein",
        ),
        ({"name": "auditor", "password": PASSWORD, "password_repeat": PASSWORD}, "gibt es schon"),
        ({"name": "  ", "password": PASSWORD, "password_repeat": PASSWORD}, "nicht leer"),
        (
            {"name": "kurt", "role": "root", "password": PASSWORD, "password_repeat": PASSWORD},
            "Rolle",
        ),
    ]
    for fields, said in cases:
        answer = _add(admin, **{"role": "committee", **fields})
        assert answer.status_code == 400 and said in answer.text, fields
    assert _names(web_ledger) == before


def test_only_an_admin_with_the_csrf_token_changes_users_and_never_themself(client_as, web_ledger):
    fields = {"name": "mallory", "role": "admin", "password": PASSWORD}
    for role in ("committee", "auditor", "finance"):
        client = client_as(role)
        token = form_token(client.get("/").text)  # the sign-out form's: a real session token
        answer = client.post("/admin/users", data={"csrf_token": token, **fields})
        assert answer.status_code == 403, role
        removal = client.post("/admin/users/admin/remove", data={"csrf_token": token})
        assert removal.status_code == 403, role
    admin = client_as("admin")
    without = admin.post("/admin/users", data={**fields, "password_repeat": PASSWORD})
    assert without.status_code == 403 and "Formular" in without.text
    assert admin.post("/admin/users/committee/remove").status_code == 403
    anonymous = atlas_client(web_ledger)
    assert anonymous.post("/admin/users", data=fields, follow_redirects=False).status_code == 303
    token = form_token(admin.get("/admin").text)
    itself = admin.post("/admin/users/admin/remove", data={"csrf_token": token})
    assert itself.status_code == 400 and "eigene Konto" in itself.text
    nobody = admin.post("/admin/users/niemand/remove", data={"csrf_token": token})
    assert nobody.status_code == 400 and "niemand" in nobody.text
    assert {"mallory", "niemand"}.isdisjoint(_names(web_ledger))
    assert {"admin", "committee"} <= set(_names(web_ledger))


def test_an_unknown_address_is_a_page_in_german_and_json_under_the_api(client_as):
    committee = client_as("committee")
    page = committee.get("/gibt-es-nicht")
    assert page.status_code == 404 and "Seite nicht gefunden" in page.text
    assert page.headers["content-type"].startswith("text/html")
    api = committee.get("/api/gibt-es-nicht")
    assert api.status_code == 404 and api.json() == {"error": "not found"}
