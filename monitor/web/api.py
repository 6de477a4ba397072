"""`/api/spend`, `/api/need`, `/api/trace`: the CLI's --json documents for the city's scripts.

Each answers with the document of `spend_figures`, `need_figures` or `trace_figures`, the
functions `spend --json`, `need --json` and `trace --json` print, encoded the same way; query
parameters are the options' names (`by`, `year`, `from`, `to`, `constant_prices`, `as_of`,
`period`, `district`, `measure`). Without a session: 401, even where `[web] public` opens the
aggregate pages (a script signs in like a person); trace needs the auditor role.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from ledger.web_accounts import log_access
from monitor.context import AppContext, encode_json
from monitor.need_commands import need_figures
from monitor.spend_commands import spend_figures, trace_figures
from monitor.web.atlas import Atlas, JsonDocument
from monitor.web.visitors import AGGREGATE, AUDIT


def json_text(app: AppContext, function: Callable[..., Any], *args: Any) -> str:
    """The document of `function(app, *args)` encoded as the CLI writes it: kept beside the
    document, since indenting a trace of tens of thousands of items takes a second."""
    return encode_json(function(app, *args))


class BadQuery(ValueError):
    """A query parameter that is not what its option takes (400, like exit 2)."""


def year_param(request: Request) -> int | None:
    raw = request.query_params.get("year")
    if raw is None or raw == "":
        return None
    if not raw.isdigit():
        raise BadQuery(f"year must be a number, not {raw!r}")
    return int(raw)


def _flag(request: Request, name: str) -> bool:
    return request.query_params.get(name, "").lower() in ("1", "true", "yes", "on")


def api_spend(request: Request) -> Response:
    atlas: Atlas = request.app.state.atlas
    _visitor, app = atlas.enter(request, AGGREGATE, open_to_public=False)
    by = request.query_params.get("by", "district")
    if by not in ("district", "measure", "program"):
        raise BadQuery(f"by must be district, measure or program, not {by!r}")
    query = request.query_params
    text = atlas.figures.at(app)(
        json_text,
        spend_figures,
        by,
        year_param(request),
        query.get("from"),
        query.get("to"),
        _flag(request, "constant_prices"),
        query.get("as_of"),
    )
    return JsonDocument(text)


def api_need(request: Request) -> Response:
    atlas: Atlas = request.app.state.atlas
    _visitor, app = atlas.enter(request, AGGREGATE, open_to_public=False)
    query = request.query_params
    figures = atlas.figures.at(app)
    return JsonDocument(figures(json_text, need_figures, query.get("period"), query.get("as_of")))


def api_trace(request: Request) -> Response:
    atlas: Atlas = request.app.state.atlas
    visitor, app = atlas.enter(request, AUDIT)
    query = request.query_params
    district = query.get("district")
    if not district:
        raise BadQuery("district is required")
    asked = (
        district,
        year_param(request),
        query.get("from"),
        query.get("to"),
        query.get("measure") or None,
        query.get("as_of"),
    )
    figures = atlas.figures.at(app)
    document = figures(trace_figures, *asked)
    log_access(
        atlas.engine,
        visitor.account,
        "api_trace",
        str(request.url.path) + "?" + str(request.url.query),
        {"district": district, "items": len(document["items"]), "total": document["total"]},
    )
    return JsonDocument(figures(json_text, trace_figures, *asked))
