"""The running atlas: settings, the ledger, the templates, and one request's visitor and words.

One `AppContext` per language shares the one engine, so a page in English computes with exactly
the objects the CLI's `--lang en` would, and the figures' functions are the CLI's own.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy import Engine
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from monitor.context import AppContext, encode_json
from monitor.settings import Settings
from monitor.terminal_format import Terminal
from monitor.web.figure_cache import FigureCache
from monitor.web.login_limit import LoginLimit
from monitor.web.visitors import LANG_COOKIE, Visitor, require, visitor_of
from reports.messages import LANGUAGES

_HERE = Path(__file__).resolve().parent
TEMPLATES = _HERE / "templates"
STATIC = _HERE / "static"


@dataclass
class Atlas:
    settings: Settings
    database_url: str
    contexts: dict[str, AppContext]
    templates: Environment
    # Failed sign-ins per name and per client (`login_limit`), for this process.
    login_limit: LoginLimit

    @classmethod
    def open(cls, settings: Settings, database_url: str) -> Atlas:
        """The ledger opened (its schema created or checked) once, for every request."""
        first = AppContext(settings=settings, database_url=database_url, lang="de")
        engine = first.engine
        contexts = {}
        for lang in LANGUAGES:
            context = replace(first, lang=lang)
            context.__dict__["engine"] = engine  # the cached engine, shared
            contexts[lang] = context
        environment = Environment(
            loader=FileSystemLoader(TEMPLATES),
            autoescape=select_autoescape(["html", "svg"]),
            trim_blocks=True,
            lstrip_blocks=True,
        )
        web = settings.web
        limit = LoginLimit(
            web.login_attempts, web.login_attempts_per_client, web.login_lock_minutes * 60.0
        )
        return cls(settings, database_url, contexts, environment, limit)

    # Every document of the figure functions, kept per ledger state (`figure_cache`).
    figures: FigureCache = field(default_factory=FigureCache)

    @property
    def engine(self) -> Engine:
        return self.contexts["de"].engine

    def context(self, visitor: Visitor) -> AppContext:
        return self.contexts[visitor.lang]

    def visitor(self, request: Request) -> Visitor:
        web = self.settings.web
        return visitor_of(request, self.engine, web.session_minutes, self.settings.ui.lang)

    def enter(
        self, request: Request, needed: str, open_to_public: bool = True
    ) -> tuple[Visitor, AppContext]:
        """The visitor, refused unless their role reaches `needed` (an aggregate page is open
        to all where `[web] public` and `open_to_public`), and the context of their language."""
        visitor = self.visitor(request)
        require(visitor, needed, public=self.settings.web.public and open_to_public)
        return visitor, self.context(visitor)

    def render(
        self, request: Request, visitor: Visitor, template: str, status: int = 200, **values: Any
    ) -> HTMLResponse:
        """A page in the visitor's language: `t` the catalogue, `f` the formats (`Terminal`:
        the same words and number formats the command line prints)."""
        page = self.templates.get_template(template).render(
            t=Terminal(visitor.lang),
            visitor=visitor,
            public=self.settings.web.public,
            request=request,
            lang=visitor.lang,
            path=request.url.path,
            **values,
        )
        response = HTMLResponse(page, status_code=status)
        remember_language(request, response)
        return response


def remember_language(request: Request, response: Response) -> None:
    """`?lang=en` stays in force for the next pages (a cookie, not a part of every link)."""
    asked = request.query_params.get("lang")
    if asked in LANGUAGES:
        response.set_cookie(LANG_COOKIE, asked, httponly=True, samesite="strict")


class JsonDocument(Response):
    """A JSON document encoded exactly as the CLI's `--json` writes it, so that the API and the
    command line answer byte for byte the same; text already encoded is sent as it is."""

    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return (content if isinstance(content, str) else encode_json(content)).encode("utf-8")
