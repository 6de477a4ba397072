"""Guessing passwords is refused (issue 20 item 2): after `[web] login_attempts` failures for one
user name, or `[web] login_attempts_per_client` from one address, within
`[web] login_lock_minutes`, sign-ins are refused (429, in German, in the access log) until the
oldest failure has left that window. The atlas's clock is moved rather than waited for."""

from __future__ import annotations

from starlette.testclient import TestClient

from ledger.web_accounts import access_log
from tests.web.conftest import PASSWORD, atlas_client, form_token

WINDOW = 15 * 60.0


class Clock:
    """Seconds the test sets by hand (the limit's clock is monotonic seconds)."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _limited(client: TestClient) -> Clock:
    clock = Clock()
    client.app.state.atlas.login_limit.clock = clock  # type: ignore[attr-defined]
    return clock


def _try(client: TestClient, name: str, password: str) -> int:
    token = form_token(client.get("/login").text)
    answer = client.post(
        "/login",
        data={"csrf_token": token, "name": name, "password": password},
        follow_redirects=False,
    )
    return answer.status_code


def _log(client: TestClient) -> list[tuple[str, dict[str, object]]]:
    engine = client.app.state.atlas.engine  # type: ignore[attr-defined]
    return [(line["action"], line["detail"]) for line in reversed(access_log(engine))]


def test_failures_for_one_name_refuse_even_the_right_password_until_the_window_passes(
    web_ledger,
):
    client = atlas_client(web_ledger, login_attempts=3, login_lock_minutes=15)
    clock = _limited(client)
    assert [_try(client, "auditor", "falsch-falsch-1") for _ in range(3)] == [401, 401, 401]
    token = form_token(client.get("/login").text)
    refused = client.post(
        "/login",
        data={"csrf_token": token, "name": "auditor", "password": PASSWORD},
        follow_redirects=False,
    )
    assert refused.status_code == 429 and "bm_session" not in refused.cookies
    said = "Zu viele fehlgeschlagene Anmeldungen. Bitte in 15 Min. erneut versuchen."
    assert said in refused.text
    assert refused.headers["retry-after"] == "900"
    colleague = TestClient(client.app, base_url="http://atlas.test")  # the same address
    assert _try(colleague, "committee", PASSWORD) == 303  # another name may sign in
    clock.now += WINDOW - 60
    assert _try(client, "auditor", PASSWORD) == 429
    clock.now += 61
    assert _try(client, "auditor", PASSWORD) == 303
    logged = [entry for entry in _log(client) if entry[0].startswith("login_")]
    assert [action for action, _ in logged] == [
        "login_failed",
        "login_failed",
        "login_failed",
        "login_refused",
        "login_refused",
    ]
    assert logged[-1][1] == {"name": "auditor", "client": "testclient", "limited_by": "name"}


def test_failures_from_one_address_across_names_refuse_that_address_only(web_ledger):
    settings = {"login_attempts": 3, "login_attempts_per_client": 4}
    client = atlas_client(web_ledger, client=("10.0.0.7", 40000), **settings)
    clock = _limited(client)
    names = ("anna", "bernd", "carla", "dieter")
    assert [_try(client, name, "falsch-falsch-1") for name in names] == [401] * 4
    assert _try(client, "finance", PASSWORD) == 429
    assert _log(client)[-1] == (
        "login_refused",
        {"name": "finance", "client": "10.0.0.7", "limited_by": "client"},
    )
    elsewhere = TestClient(client.app, base_url="http://atlas.test", client=("10.0.0.8", 40000))
    assert _try(elsewhere, "finance", PASSWORD) == 303
    clock.now += WINDOW
    assert _try(client, "finance", PASSWORD) == 303


def test_a_successful_sign_in_forgets_the_names_failures(web_ledger):
    client = atlas_client(web_ledger, login_attempts=3)
    _limited(client)
    assert [_try(client, "auditor", "falsch-falsch-1") for _ in range(2)] == [401, 401]
    assert _try(client, "auditor", PASSWORD) == 303
    again = TestClient(client.app, base_url="http://atlas.test")  # signed out, same address
    assert [_try(again, "auditor", "falsch-falsch-1") for _ in range(2)] == [401, 401]
    assert _try(again, "auditor", PASSWORD) == 303
