"""The aggregate pages: overview with the map, one district, one programme, the report archive.

Open to every role (and to the public where `[web] public = true`); figures from
`monitor.web.atlas_data`, words from the catalogue and the report's own sentence builders.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response

from ledger.web_accounts import log_access
from monitor.report_command import rerun_report
from monitor.spend_commands import spend_figures
from monitor.terminal_format import Terminal
from monitor.web import atlas_data
from monitor.web.api import BadQuery, year_param
from monitor.web.atlas import Atlas
from monitor.web.map_svg import NEED_ORDER, LegendEntry, district_map, graded_fills, need_fill
from monitor.web.visitors import require_csrf
from reports.caveats import plain_caveats
from reports.effect_words import (
    effect_sentences,
    estimate_line,
    mde_sentence,
    sensitivity_sentences,
)
from reports.programme_glance import change_cell, verdict_cell

VIEWS = ("need", "per_capita")


def _view(request: Request, indicators: dict[str, Any]) -> str:
    view = request.query_params.get("view", "need")
    if view in VIEWS or (view.startswith("indicator:") and view[10:] in indicators):
        return view
    return "need"


def overview_page(request: Request) -> Response:
    atlas: Atlas = request.app.state.atlas
    visitor, app = atlas.enter(request, "committee")
    constant = request.query_params.get("prices") == "constant"
    data = atlas_data.overview(app, atlas.figures.at(app), year_param(request), constant)
    t = Terminal(visitor.lang)
    view = _view(request, data.indicators)
    need_rows = {row["key"]: row for row in (data.need or {}).get("districts", [])}
    rows = data.spend["rows"]
    if view == "need":
        fills = {r["key"]: need_fill(need_rows.get(r["key"], {}).get("need_class")) for r in rows}
        labels = {key: t(f"need_class.{row['need_class']}") for key, row in need_rows.items()}
        legend = tuple(LegendEntry(need_fill(c), t(f"need_class.{c}")) for c in NEED_ORDER)
    else:
        if view == "per_capita":
            values = {
                r["key"]: None if r["per_capita"] is None else float(r["per_capita"]) for r in rows
            }
            show = lambda v: t.money(Decimal(str(v)))  # noqa: E731
        else:
            values = dict(data.indicators[view[10:]])
            show = lambda v: t.number(v)  # noqa: E731
        fills, legend = graded_fills(
            values, lambda low, high: t("web.map.class", low=show(low), high=show(high))
        )
        labels = {key: show(value) for key, value in values.items() if value is not None}
    shapes = district_map(data.shapes, fills, labels, legend)
    return atlas.render(
        request,
        visitor,
        "overview.html",
        data=data,
        view=view,
        constant=constant,
        map=shapes,
        need_rows=need_rows,
        indicator_codes=sorted(data.indicators),
        indicator_names={c: i.name for c, i in atlas.settings.indicators.items() if i.name},
    )


def district_page(request: Request) -> Response:
    atlas: Atlas = request.app.state.atlas
    visitor, app = atlas.enter(request, "committee")
    key = request.path_params["key"]
    name = atlas_data.district_name(app, key)
    if name is None:
        raise BadQuery(Terminal(visitor.lang)("web.district.unknown", key=key))
    figures = atlas.figures.at(app)
    spent = figures(spend_figures, "district", year_param(request), None, None)
    year = int(spent["from"][:4])
    row = next((r for r in spent["rows"] if r["key"] == key), None)
    need, _ = atlas_data.need_for_year(app, figures, year)
    need_row = next((r for r in (need or {}).get("districts", []) if r["key"] == key), None)
    suppressed = next((s for s in (need or {}).get("suppressed", []) if s["key"] == key), None)
    measures = figures(spend_figures, "measure", year, None, None)
    plans = {r["key"]: r.get("plan") for r in measures["rows"]}
    by_measure, total = atlas_data.spending_by_measure(app, figures, key, year, plans)
    _, sidecar = atlas_data.newest_sidecar(app)
    history = figures(atlas_data.district_history, key, key in atlas_data.too_small(need))
    return atlas.render(
        request,
        visitor,
        "district.html",
        key=key,
        name=name,
        year=year,
        years=figures(atlas_data.years_with_postings),
        row=row,
        need=need,
        need_row=need_row,
        suppressed=suppressed,
        by_measure=by_measure,
        total=total,
        history=history,
        indicator_names={c: i.name for c, i in atlas.settings.indicators.items() if i.name},
        programmes=atlas_data.programmes_of_district(sidecar, key),
        places=figures(atlas_data.places_of_help, key),
    )


def programme_page(request: Request) -> Response:
    atlas: Atlas = request.app.state.atlas
    visitor, app = atlas.enter(request, "committee")
    name = request.path_params["name"]
    run, sidecar = atlas_data.newest_sidecar(app)
    section = atlas_data.programme(sidecar, name)
    t = Terminal(visitor.lang)
    if section is None:
        raise BadQuery(t("web.programme.unknown", name=name))
    evaluation = section.get("evaluation")
    words: dict[str, Any] = {}
    if evaluation:
        layout: Any = t  # the report's sentence builders read only `t` and `fmt`
        words = {
            "verdict": verdict_cell(evaluation, layout),
            "change": change_cell(evaluation, layout),
            "effect": effect_sentences(evaluation, name, layout),
            "estimate": estimate_line(evaluation, layout),
            "mde": mde_sentence(evaluation, layout),
            "sensitivity": sensitivity_sentences(evaluation, layout),
            "caveats": plain_caveats(evaluation.get("caveats") or [], t.words, t.fmt),
        }
    elif section.get("unavailable_reason"):
        words = {"caveats": plain_caveats([section["unavailable_reason"]], t.words, t.fmt)}
    return atlas.render(
        request,
        visitor,
        "programme.html",
        name=name,
        run=run,
        section=section,
        evaluation=evaluation,
        words=words,
    )


def reports_page(request: Request) -> Response:
    atlas: Atlas = request.app.state.atlas
    visitor, app = atlas.enter(request, "committee")
    runs = atlas_data.report_runs(app)
    for run in runs:
        run["available"] = atlas_data.report_file(app, run["file"]) is not None
    return atlas.render(request, visitor, "reports.html", runs=runs)


def report_download(request: Request) -> Response:
    """A report's PDF or its sidecar (kind "pdf" or "json"), recorded in the access log."""
    atlas: Atlas = request.app.state.atlas
    visitor, app = atlas.enter(request, "committee")
    kind, number = request.path_params["kind"], request.path_params["run"]
    run = next((r for r in atlas_data.report_runs(app) if r["run"] == number), None)
    recorded = None if run is None else run["file"] if kind == "pdf" else run["sidecar"]
    found = atlas_data.report_file(app, recorded) if recorded and kind in ("pdf", "json") else None
    if found is None:
        raise BadQuery(Terminal(visitor.lang)("web.reports.missing", run=number))
    log_access(atlas.engine, visitor.account, f"report_{kind}", request.url.path, {"run": number})
    media = "application/pdf" if kind == "pdf" else "application/json"
    return FileResponse(found, media_type=media, filename=found.name)


async def report_rerun(request: Request) -> Response:
    """Compute a report run again from the ledger state it recorded (`report --rerun RUN`),
    beside the original: an auditor reproduces a figure without the command line."""
    atlas: Atlas = request.app.state.atlas
    visitor, app = atlas.enter(request, "auditor")
    await require_csrf(request, visitor)
    number = request.path_params["run"]
    run = next((r for r in atlas_data.report_runs(app) if r["run"] == number), None)
    original = atlas_data.report_file(app, run["file"]) if run else None
    if run is None or original is None:
        raise BadQuery(Terminal(visitor.lang)("web.reports.missing", run=number))
    target = original.with_name(f"{original.stem}-rerun-{number}{original.suffix}")
    document = await run_in_threadpool(rerun_report, app, number, target, None)
    log_access(
        atlas.engine, visitor.account, "report_rerun", request.url.path, {"run": document["run"]}
    )
    return RedirectResponse("/reports", status_code=303)
