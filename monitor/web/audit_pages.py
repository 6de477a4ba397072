"""The auditors' and the Kämmerei's pages: trace with its workbook, imports with the upload.

Posting-level data (trace, batches) needs the auditor role, the upload the finance role; none
of them is ever public. Every download and upload is written to the access log.
"""

from __future__ import annotations

import re
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import Response

from ledger.batch_queries import list_batches
from ledger.master_store import catalog, districts
from ledger.web_accounts import log_access
from monitor.context import AppContext
from monitor.import_commands import import_postings_file
from monitor.spend_commands import trace_figures
from monitor.terminal_format import Terminal
from monitor.web.api import BadQuery, year_param
from monitor.web.atlas import Atlas
from monitor.web.atlas_data import years_with_postings
from monitor.web.visitors import AUDIT, UPLOAD, Visitor, require_csrf

# Items shown on one trace page (`?start=` pages on); the workbook and /api/trace hold all.
SHOWN_ITEMS = 200
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _choices(app: AppContext) -> tuple[list[tuple[str, str]], list[str]]:
    with app.engine.connect() as connection:
        listed = districts(connection)
        measures, _ = catalog(connection)
    codes = sorted(str(c) for c in measures["code"]) if "code" in measures else []
    return sorted(zip(listed["code"], listed["name"], strict=True)), codes


def _trace_asked(request: Request) -> tuple[Any, ...]:
    """The arguments of `trace_figures` this request asks for (district, year, measure)."""
    query = request.query_params
    return (query["district"], year_param(request), None, None, query.get("measure") or None)


def _shown_rows(words: Terminal, items: list[dict[str, Any]]) -> list[tuple[str, ...]]:
    """One page of trace items as the table shows them, formatted in the visitor's language
    (the same formats the CLI's `trace` prints)."""
    batch = words("cli.trace.column.batch")
    return [
        (
            words.day(item["posting"]["booking_date"]),
            f"{item['posting']['document_no']}/{item['posting']['line_no']}",
            item["measure"],
            item["share"],
            words.money(item["allocated"]),
            words.money(item["posting"]["amount"]),
            f"{item['source']['file']} ({batch} {item['source']['batch']})",
            item["source"]["sheet"],
            item["source"]["row"],
        )
        for item in items
    ]


def trace_page(request: Request) -> Response:
    """The trace with its filters, one page of SHOWN_ITEMS items at a time.

    Everything on the page is kept per ledger state like the figures themselves: the filter
    choices and the years (a DISTINCT over every posting), and each page of formatted rows
    (formatting 200 rows of money and dates through Babel costs more than the rest of the
    page); the ledger check still runs on every request.
    """
    atlas: Atlas = request.app.state.atlas
    visitor, app = atlas.enter(request, AUDIT)
    figures = atlas.figures.at(app)
    district_choices, measure_choices = figures.made("trace.choices", (), lambda: _choices(app))
    document, rows, start, count = None, [], 0, 0
    if request.query_params.get("district"):
        asked = _trace_asked(request)
        document = figures(trace_figures, *asked)
        items = document["items"]
        count = len(items)
        raw = request.query_params.get("start", "0")
        start = min(int(raw), max(count - 1, 0)) if raw.isdigit() else 0
        words = Terminal(visitor.lang)
        rows = figures.made(
            "trace.rows",
            (asked, start),
            lambda: _shown_rows(words, items[start : start + SHOWN_ITEMS]),
        )
    return atlas.render(
        request,
        visitor,
        "trace.html",
        document=document,
        rows=rows,
        count=count,
        start=start,
        pages=_page_links(request, start, count),
        districts=district_choices,
        measures=measure_choices,
        years=figures(years_with_postings),
        query=request.query_params,
    )


def _page_links(request: Request, start: int, count: int) -> dict[str, str | None]:
    """The addresses of the previous and the next page of items (None at either end)."""

    def at(offset: int) -> str:
        query = {k: v for k, v in request.query_params.items() if k != "start"}
        return "/trace?" + urlencode({**query, "start": offset})

    return {
        "previous": at(max(start - SHOWN_ITEMS, 0)) if start > 0 else None,
        "next": at(start + SHOWN_ITEMS) if start + SHOWN_ITEMS < count else None,
    }


def trace_workbook_bytes(app: AppContext, document: dict[str, Any]) -> bytes:
    """The trace as the CLI's `trace --xlsx` writes it, in the request's language."""
    from reports.audit_workbook import write_trace_workbook

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "trace.xlsx"
        write_trace_workbook(document, path, app.lang)
        return path.read_bytes()


def trace_workbook(request: Request) -> Response:
    """The trace's workbook (kept per ledger state like the figures: writing tens of thousands
    of rows takes seconds), recorded in the access log."""
    atlas: Atlas = request.app.state.atlas
    visitor, app = atlas.enter(request, AUDIT)
    if not request.query_params.get("district"):
        raise BadQuery("district is required")
    asked = _trace_asked(request)
    figures = atlas.figures.at(app)
    document = figures(trace_figures, *asked)
    content = figures.made("trace.xlsx", asked, lambda: trace_workbook_bytes(app, document))
    log_access(
        atlas.engine,
        visitor.account,
        "trace_xlsx",
        f"{request.url.path}?{request.url.query}",
        {"district": document["district"], "items": len(document["items"])},
    )
    name = f"Nachweis_{document['district']}_{document['from']}_{document['to']}.xlsx"
    return Response(
        content,
        media_type=XLSX,
        headers={"content-disposition": f'attachment; filename="{_safe(name)}"'},
    )


def _safe(name: str) -> str:
    """A file name without path parts or characters a header or a file system would misread."""
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "_", Path(name).name).strip("._")
    return cleaned[:120] or "upload"


def _imports_page(
    request: Request, atlas: Atlas, visitor: Visitor, app: AppContext, **values: Any
) -> Response:
    zone = ZoneInfo(atlas.settings.schedule.timezone)
    batches = list_batches(atlas.engine, zone)
    return atlas.render(
        request,
        visitor,
        "imports.html",
        status=values.pop("status", 200),
        batches=list(reversed(batches)),
        may_upload=visitor.may(UPLOAD),
        profiles=sorted(atlas.settings.imports.profiles),
        **values,
    )


def imports_page(request: Request) -> Response:
    atlas: Atlas = request.app.state.atlas
    visitor, app = atlas.enter(request, AUDIT)
    return _imports_page(request, atlas, visitor, app, result=None)


async def upload(request: Request) -> Response:
    """An export dropped into the browser, imported by the CLI's own `import postings` step
    (same checks, same refusals, same comparison with the ledger), kept in `[web] upload_dir`."""
    atlas: Atlas = request.app.state.atlas
    visitor, app = atlas.enter(request, UPLOAD)
    await require_csrf(request, visitor)
    form = await request.form()
    sent = form.get("file")
    if not isinstance(sent, UploadFile) or not sent.filename:
        raise BadQuery(Terminal(visitor.lang)("web.imports.no_file"))
    profile = str(form.get("profile") or "auto")
    if profile != "auto" and profile not in atlas.settings.imports.profiles:
        raise BadQuery(Terminal(visitor.lang)("web.imports.unknown_profile", profile=profile))
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
    folder = atlas.settings.web.upload_dir / stamp
    folder.mkdir(parents=True, exist_ok=False)
    target = folder / _safe(sent.filename)
    target.write_bytes(await sent.read())
    result, ok = await run_in_threadpool(
        import_postings_file, app, target, profile, False, False, False
    )
    log_access(
        atlas.engine,
        visitor.account,
        "upload",
        request.url.path,
        {"file": target.name, "status": result["status"], "batch": result.get("batch")},
    )
    return _imports_page(request, atlas, visitor, app, result=result, status=200 if ok else 400)
