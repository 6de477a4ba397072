"""The admin's page: the users (added and removed in the browser as with `budget-monitor user`)
and the access log. Admin role only, never public; every change needs the session's CSRF token
and is written to the access log.
"""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from ledger.web_accounts import UnknownUser, access_log, list_users, log_access, remove_user
from ledger.web_models import WEB_ROLES
from monitor.context import UserError
from monitor.web.accounts import add_checked_user
from monitor.web.atlas import Atlas
from monitor.web.visitors import ADMIN, Visitor, require_csrf


def _admin_page(
    request: Request, atlas: Atlas, visitor: Visitor, status: int = 200, **values: Any
) -> Response:
    return atlas.render(
        request,
        visitor,
        "admin.html",
        status=status,
        users=list_users(atlas.engine),
        roles=WEB_ROLES,
        log=access_log(atlas.engine),
        **values,
    )


def admin_page(request: Request) -> Response:
    atlas: Atlas = request.app.state.atlas
    visitor, _ = atlas.enter(request, ADMIN)
    return _admin_page(request, atlas, visitor)


async def add_user_form(request: Request) -> Response:
    """A user added by an admin in the browser: the CLI's own checks (`add_checked_user`), the
    password typed twice as on a terminal; written to the access log."""
    atlas: Atlas = request.app.state.atlas
    visitor, app = atlas.enter(request, ADMIN)
    await require_csrf(request, visitor)
    form = await request.form()
    name, role = str(form.get("name") or ""), str(form.get("role") or "")
    password = str(form.get("password") or "")
    words = app.words
    try:
        if password != str(form.get("password_repeat") or ""):
            raise UserError(words("web.admin.passwords_differ"))
        account = await run_in_threadpool(
            add_checked_user, atlas.engine, words, name, role, password
        )
    except UserError as refused:
        return _admin_page(request, atlas, visitor, 400, problem=refused.format_message())
    detail = {"name": account.name, "role": account.role}
    log_access(atlas.engine, visitor.account, "user_add", request.url.path, detail)
    done = words("cli.user.added", name=account.name, role=words(f"web.role.{account.role}"))
    return _admin_page(request, atlas, visitor, done=done)


async def remove_user_form(request: Request) -> Response:
    """A user removed by an admin (their sessions end at once); never the admin's own account,
    so that the last admin cannot lock everybody out of this page."""
    atlas: Atlas = request.app.state.atlas
    visitor, app = atlas.enter(request, ADMIN)
    await require_csrf(request, visitor)
    name = request.path_params["name"]
    words = app.words
    if visitor.account is not None and name == visitor.account.name:
        return _admin_page(request, atlas, visitor, 400, problem=words("web.admin.not_yourself"))
    try:
        remove_user(atlas.engine, name)
    except UnknownUser:
        return _admin_page(
            request, atlas, visitor, 400, problem=words("cli.user.unknown", name=name)
        )
    log_access(atlas.engine, visitor.account, "user_remove", request.url.path, {"name": name})
    return _admin_page(request, atlas, visitor, done=words("cli.user.removed", name=name))
