"""`/login` and `/logout`: a name and password checked against the Argon2 hash, a new session.

A wrong name and a wrong password get the same answer in the same time (a dummy hash is
verified for an unknown name). The sign-in form is protected by a double-submit cookie (there
is no session yet to hold a token); signing out is a POST with the session's CSRF token.
"""

from __future__ import annotations

import math
from datetime import timedelta

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from ledger.web_accounts import (
    Account,
    close_session,
    credentials,
    log_access,
    open_session,
    replace_password_hash,
)
from monitor.web.atlas import Atlas
from monitor.web.passwords import DUMMY_HASH, hash_password, needs_rehash, password_matches
from monitor.web.visitors import (
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    CsrfRefused,
    login_token_matches,
    new_token,
    require_csrf,
    safe_next,
)


def _login_form(
    request: Request, status: int = 200, failed: bool = False, wait_minutes: int | None = None
) -> Response:
    atlas: Atlas = request.app.state.atlas
    visitor = atlas.visitor(request)
    token = request.cookies.get(LOGIN_CSRF_COOKIE) or new_token()
    response = atlas.render(
        request,
        visitor,
        "login.html",
        status=status,
        login_token=token,
        next=safe_next(request.query_params.get("next")),
        failed=failed,
        wait_minutes=wait_minutes,
    )
    _strict_cookie(response, atlas, LOGIN_CSRF_COOKIE, token)
    return response


def _strict_cookie(response: Response, atlas: Atlas, name: str, value: str) -> None:
    """A cookie no script reads and no other site sends (HTTPS only where configured)."""
    response.set_cookie(
        name, value, httponly=True, samesite="strict", secure=atlas.settings.web.secure_cookies
    )


def login_page(request: Request) -> Response:
    return _login_form(request)


def _check(atlas: Atlas, name: str, password: str) -> Account | None:
    found = credentials(atlas.engine, name)
    if found is None:
        password_matches(DUMMY_HASH, password)
        return None
    account, stored = found
    if not password_matches(stored, password):
        return None
    if needs_rehash(stored):
        replace_password_hash(atlas.engine, account, hash_password(password))
    return account


async def login(request: Request) -> Response:
    atlas: Atlas = request.app.state.atlas
    form = await request.form()
    if not login_token_matches(request, form.get("csrf_token")):
        raise CsrfRefused
    name, password = str(form.get("name") or "").strip(), str(form.get("password") or "")
    client = request.client.host if request.client else ""
    limited = atlas.login_limit.wait_seconds(name, client)
    if limited is not None:
        return await run_in_threadpool(_refuse, request, atlas, name, client, *limited)
    account = await run_in_threadpool(_check, atlas, name, password)
    if account is None:
        atlas.login_limit.failed(name, client)
        detail = {"name": name[:100], "client": client}
        await run_in_threadpool(log_access, atlas.engine, None, "login_failed", "/login", detail)
        return _login_form(request, status=401, failed=True)
    atlas.login_limit.succeeded(name)
    token, csrf = new_token(), new_token()
    lifetime = timedelta(minutes=atlas.settings.web.session_minutes)
    await run_in_threadpool(open_session, atlas.engine, account, token, csrf, lifetime)
    response = RedirectResponse(safe_next(str(form.get("next") or "/")), status_code=303)
    _strict_cookie(response, atlas, SESSION_COOKIE, token)
    response.delete_cookie(LOGIN_CSRF_COOKIE)
    return response


def _refuse(
    request: Request, atlas: Atlas, name: str, client: str, why: str, seconds: float
) -> Response:
    """429 without looking at the password: too many failures for this name or this client
    (`login_limit`); the page says when to try again, the access log who was refused."""
    detail = {"name": name[:100], "client": client, "limited_by": why}
    log_access(atlas.engine, None, "login_refused", "/login", detail)
    minutes = max(1, math.ceil(seconds / 60))
    response = _login_form(request, status=429, wait_minutes=minutes)
    response.headers["retry-after"] = str(max(1, math.ceil(seconds)))
    return response


async def logout(request: Request) -> Response:
    atlas: Atlas = request.app.state.atlas
    visitor = atlas.visitor(request)
    await require_csrf(request, visitor)
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        await run_in_threadpool(close_session, atlas.engine, token)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response
