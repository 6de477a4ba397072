"""The Sozialatlas as an ASGI application (Starlette), served by `budget-monitor web`.

Starlette rather than a larger framework: routing, forms, static files and a test client are all
the atlas needs around the library; pages are Jinja2 templates rendered on the server, forms are
plain HTML forms, and there is no script at all in the browser (nothing to load from the
internet, nothing to break keyboard use). Endpoints that compute figures are plain functions,
which Starlette runs in its thread pool, so one slow page does not stall the others.
"""

from __future__ import annotations

from urllib.parse import quote

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from monitor.context import UserError
from monitor.settings import Settings
from monitor.web import admin_pages, api, audit_pages, pages, signing_in
from monitor.web.atlas import STATIC, Atlas
from monitor.web.visitors import CsrfRefused, Forbidden, NotSignedIn

# Sent with every answer (OWASP Secure Headers): nothing from elsewhere, no framing, no sniffing.
SECURITY_HEADERS = {
    "content-security-policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=()",
    "cross-origin-opener-policy": "same-origin",
}


class SecurityHeaders:
    """Adds SECURITY_HEADERS to every response; pages of a session are never cached."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                for name, value in SECURITY_HEADERS.items():
                    if name.encode() not in present:
                        headers.append((name.encode(), value.encode()))
                if not scope["path"].startswith("/static/"):
                    headers.append((b"cache-control", b"no-store"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _not_signed_in(request: Request, exc: Exception) -> Response:
    if _wants_json(request):
        return JSONResponse({"error": "not signed in"}, status_code=401)
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)


def _refusal(request: Request, error: str, reason: str) -> Response:
    """403: `error` for the API, the page saying `reason` (a catalogue key) for a person."""
    if _wants_json(request):
        return JSONResponse({"error": error}, status_code=403)
    atlas: Atlas = request.app.state.atlas
    visitor = atlas.visitor(request)
    return atlas.render(request, visitor, "refused.html", status=403, reason=reason)


def _forbidden(request: Request, exc: Exception) -> Response:
    return _refusal(request, "your role may not see this", "web.refused.role")


def _csrf_refused(request: Request, exc: Exception) -> Response:
    return _refusal(request, "missing or wrong CSRF token", "web.refused.csrf")


def _http_error(request: Request, exc: Exception) -> Response:
    """No such page (404) or method (405): a page in the visitor's language, not bare text."""
    status, detail = (exc.status_code, exc.detail) if isinstance(exc, HTTPException) else (500, "")
    if _wants_json(request):
        return JSONResponse({"error": detail.lower()}, status_code=status)
    atlas: Atlas = request.app.state.atlas
    visitor = atlas.visitor(request)
    return atlas.render(request, visitor, "missing.html", status=status)


def _user_error(request: Request, exc: Exception) -> Response:
    """What the CLI would say with exit 1 (or exit 2 for a bad query), as 400."""
    message = exc.format_message() if isinstance(exc, UserError) else str(exc)
    if _wants_json(request):
        return JSONResponse({"error": message}, status_code=400)
    atlas: Atlas = request.app.state.atlas
    visitor = atlas.visitor(request)
    return atlas.render(request, visitor, "problem.html", status=400, message=message)


def routes() -> list[Route | Mount]:
    return [
        Route("/login", signing_in.login_page, methods=["GET"]),
        Route("/login", signing_in.login, methods=["POST"]),
        Route("/logout", signing_in.logout, methods=["POST"]),
        Route("/", pages.overview_page),
        Route("/districts/{key}", pages.district_page),
        Route("/programs/{name}", pages.programme_page),
        Route("/reports", pages.reports_page),
        Route("/reports/{run:int}/rerun", pages.report_rerun, methods=["POST"]),
        Route("/reports/{run:int}/{kind}", pages.report_download),
        Route("/trace", audit_pages.trace_page),
        Route("/trace.xlsx", audit_pages.trace_workbook),
        Route("/imports", audit_pages.imports_page, methods=["GET"]),
        Route("/imports", audit_pages.upload, methods=["POST"]),
        Route("/admin", admin_pages.admin_page),
        Route("/admin/users", admin_pages.add_user_form, methods=["POST"]),
        Route("/admin/users/{name}/remove", admin_pages.remove_user_form, methods=["POST"]),
        Route("/api/spend", api.api_spend),
        Route("/api/need", api.api_need),
        Route("/api/trace", api.api_trace),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]


def create_app(settings: Settings, database_url: str) -> Starlette:
    """The atlas over the ledger at `database_url` (its schema created or checked now)."""
    application = Starlette(
        routes=routes(),
        middleware=[Middleware(SecurityHeaders)],
        exception_handlers={
            NotSignedIn: _not_signed_in,
            Forbidden: _forbidden,
            CsrfRefused: _csrf_refused,
            HTTPException: _http_error,
            UserError: _user_error,
            api.BadQuery: _user_error,
        },
    )
    application.state.atlas = Atlas.open(settings, database_url)
    return application
