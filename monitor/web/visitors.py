"""Who is asking, and may they: sessions, roles, CSRF tokens and the language of each request.

A session is a random token in an HttpOnly, SameSite=Strict cookie; the ledger keeps its SHA-256,
its user and its own CSRF token (`ledger.web_accounts`), so that signing out, removing a user or
the idle timeout (`[web] session_minutes`) end it on the server, not only in the browser. Every
changing request (POST) must carry the session's CSRF token in the form field `csrf_token` or
the header `X-CSRF-Token` (the synchroniser-token pattern of OWASP's CSRF cheat sheet); the
sign-in form, before there is a session, uses a double-submit cookie instead.

Roles are ranked (SPEC §10): committee sees the aggregate pages, auditor also trace and batches,
finance also uploads, admin also users. With `[web] public = true` a visitor without a session
sees the aggregate pages (never trace, imports or the API's postings).
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta

from starlette.requests import Request

from ledger.web_accounts import Account, SignedIn, live_session
from reports.messages import LANGUAGES

SESSION_COOKIE = "bm_session"
LOGIN_CSRF_COOKIE = "bm_login_csrf"
LANG_COOKIE = "bm_lang"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"

ROLE_RANK = {"committee": 0, "auditor": 1, "finance": 2, "admin": 3}
# What each kind of page needs: "aggregate" pages are open to the public where allowed.
AGGREGATE, AUDIT, UPLOAD, ADMIN = "committee", "auditor", "finance", "admin"


class NotSignedIn(Exception):
    """The page needs a session: pages answer with the sign-in page, /api with 401."""


class Forbidden(Exception):
    """Signed in, but the role does not reach this page (403)."""


class CsrfRefused(Exception):
    """A changing request without the right CSRF token (403)."""


@dataclass(frozen=True)
class Visitor:
    """The person behind one request: signed in (`session`), or a public visitor (None)."""

    session: SignedIn | None
    lang: str

    @property
    def account(self) -> Account | None:
        return self.session.account if self.session else None

    @property
    def role(self) -> str | None:
        return self.account.role if self.account else None

    def may(self, needed: str) -> bool:
        """Whether this visitor's role reaches `needed` (a role name)."""
        return self.role is not None and ROLE_RANK[self.role] >= ROLE_RANK[needed]

    @property
    def csrf_token(self) -> str:
        return self.session.csrf_token if self.session else ""


def request_language(request: Request, default: str) -> str:
    """`?lang=en` (remembered in a cookie by the response), else the cookie, else `default`."""
    asked = request.query_params.get("lang") or request.cookies.get(LANG_COOKIE)
    return asked if asked in LANGUAGES else default


def visitor_of(
    request: Request, engine: object, session_minutes: int, default_lang: str
) -> Visitor:
    token = request.cookies.get(SESSION_COOKIE)
    session = None
    if token:
        session = live_session(engine, token, timedelta(minutes=session_minutes))  # type: ignore[arg-type]
    return Visitor(session, request_language(request, default_lang))


def require(visitor: Visitor, needed: str, *, public: bool = False) -> None:
    """Refuse unless the visitor's role reaches `needed`; an aggregate page (`needed` is
    committee) is open to everyone where `public` ([web] public = true)."""
    if visitor.session is None:
        if public and needed == AGGREGATE:
            return
        raise NotSignedIn
    if not visitor.may(needed):
        raise Forbidden


async def require_csrf(request: Request, visitor: Visitor) -> None:
    """Refuse a changing request whose token is missing or not the session's."""
    given = request.headers.get(CSRF_HEADER)
    if given is None:
        form = await request.form()
        value = form.get(CSRF_FIELD)
        given = value if isinstance(value, str) else None
    if visitor.session is None or not given:
        raise CsrfRefused
    if not hmac.compare_digest(given.encode(), visitor.session.csrf_token.encode()):
        raise CsrfRefused


def new_token() -> str:
    """A session, CSRF or double-submit token: 256 random bits, URL-safe."""
    return secrets.token_urlsafe(32)


def login_token_matches(request: Request, given: object) -> bool:
    """The sign-in form's double-submit check: the field equals the cookie set with the form."""
    cookie = request.cookies.get(LOGIN_CSRF_COOKIE)
    return bool(cookie) and isinstance(given, str) and hmac.compare_digest(given, cookie)


def safe_next(target: str | None) -> str:
    """Where to go after signing in: only a path on this site (never //host or a scheme)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target
