"""What each page of the atlas shows, assembled from the same functions as the command line.

Every figure comes from `spend_figures`, `trace_figures` and `need_figures` (the documents the
CLI prints with --json) or from the committee report's sidecar (the programme evaluations, the
same numbers as the PDF); this module only selects and combines them for a page. Disclosure
control is the report's: a district below `[disclosure] min_population` shows no need index,
need class or indicator value (the need document lists it as suppressed).
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import make_url

from ledger.geo_store import boundaries
from ledger.known_codes import posting_years
from ledger.master_models import ReportRun
from ledger.master_store import districts, indicator_values
from monitor.context import AppContext, UserError
from monitor.need_commands import need_figures
from monitor.spend_commands import spend_figures, trace_figures
from monitor.web.figure_cache import Figures


@dataclass(frozen=True)
class Overview:
    year: int
    years: tuple[int, ...]
    spend: dict[str, Any]
    need: dict[str, Any] | None
    need_problem: str | None
    indicators: dict[str, dict[str, float]]  # indicator -> district -> value (disclosed only)
    indicator_period: dict[str, str]
    shapes: Any
    prices_problem: str | None = None


def years_with_postings(app: AppContext) -> tuple[int, ...]:
    with app.engine.connect() as connection:
        return posting_years(connection)


def need_for_year(
    app: AppContext, figures: Figures, year: int | None
) -> tuple[dict[str, Any] | None, str | None]:
    """The need document of `year` (its newest period at or before it), else the newest; None
    and the reason where the ledger holds no need indicators."""
    try:
        return figures(need_figures, None if year is None else str(year)), None
    except UserError as first:
        try:
            return figures(need_figures, None), None
        except UserError:
            return None, first.format_message()


def too_small(need: dict[str, Any] | None) -> frozenset[str]:
    """The districts the need table suppresses for their population (disclosure control)."""
    return frozenset(
        item["key"] for item in (need or {}).get("suppressed", []) if "population" in item["reason"]
    )


def disclosed_indicators(
    app: AppContext, suppressed: frozenset[str], year: int | None
) -> tuple[dict[str, dict[str, float]], dict[str, str]]:
    """Each indicator's values of its newest period up to `year`, without the `suppressed`
    districts; and which period that is per indicator."""
    with app.engine.connect() as connection:
        values = indicator_values(connection)
    if values.empty:
        return {}, {}
    values = values[~values["district"].isin(suppressed)]
    if year is not None:
        values = values[values["period"].astype(str).str[:4] <= str(year)]
    chosen: dict[str, dict[str, float]] = {}
    periods: dict[str, str] = {}
    for indicator, rows in values.groupby("indicator"):
        newest = rows["period"].astype(str).max()
        latest = rows[rows["period"].astype(str) == newest]
        chosen[str(indicator)] = {
            str(d): float(v) for d, v in zip(latest["district"], latest["value"], strict=True)
        }
        periods[str(indicator)] = newest
    return chosen, periods


def district_shapes(app: AppContext) -> Any:
    """The boundaries in force (`ledger.geo_store.boundaries`)."""
    with app.engine.connect() as connection:
        return boundaries(connection)


def overview(
    app: AppContext, figures: Figures, year: int | None, constant_prices: bool = False
) -> Overview:
    """The overview's figures; with `constant_prices`, spending also in the prices of the
    base year (`spend --constant-prices`), or, where the ledger holds no price index, in
    current prices with the reason in `prices_problem`."""
    years = figures(years_with_postings)
    spent, prices_problem = None, None
    if constant_prices:
        try:
            spent = figures(spend_figures, "district", year, None, None, True)
        except UserError as exc:
            prices_problem = exc.format_message()
    if spent is None:
        spent = figures(spend_figures, "district", year, None, None)
    chosen = int(spent["from"][:4])
    need, problem = need_for_year(app, figures, chosen)
    indicators, periods = figures(disclosed_indicators, too_small(need), chosen)
    shapes = figures(district_shapes)
    return Overview(
        chosen, years, spent, need, problem, indicators, periods, shapes, prices_problem
    )


def district_history(app: AppContext, key: str, suppressed: bool) -> dict[str, Any]:
    """The district's indicator values over time as a table: `indicators` (the columns) and
    `rows` (period, {indicator: value}), oldest first; empty where disclosure control
    suppresses the district."""
    empty: dict[str, Any] = {"indicators": [], "rows": []}
    if suppressed:
        return empty
    with app.engine.connect() as connection:
        values = indicator_values(connection)
    if values.empty:
        return empty
    mine = values[values["district"] == key]
    table = mine.pivot_table(index="period", columns="indicator", values="value", aggfunc="last")
    indicators = [str(c) for c in table.columns]
    rows = [
        (str(period), {c: float(v) for c, v in zip(indicators, line, strict=True) if v == v})
        for period, line in zip(table.index, table.to_numpy(), strict=True)
    ]
    return {"indicators": indicators, "rows": rows}


def district_name(app: AppContext, key: str) -> str | None:
    with app.engine.connect() as connection:
        listed = districts(connection)
    found = listed[listed["code"] == key]
    return None if found.empty else str(found["name"].iloc[0])


def spending_by_measure(
    app: AppContext, figures: Figures, key: str, year: int, plans: dict[str, str | None]
) -> tuple[list[dict[str, Any]], str]:
    """The district's spending of `year` per measure: the trace's items summed by measure
    (so the lines add up to the district's `spend` amount), with the measure's plan for the
    whole city beside it; and the total."""
    traced = figures(trace_figures, key, year, None, None)
    sums: dict[str, Decimal] = defaultdict(Decimal)
    counts: dict[str, int] = defaultdict(int)
    for item in traced["items"]:
        sums[item["measure"]] += Decimal(item["allocated"])
        counts[item["measure"]] += 1
    rows = [
        {"measure": m, "amount": f"{sums[m]:.2f}", "postings": counts[m], "plan": plans.get(m)}
        for m in sorted(sums, key=lambda m: (-sums[m], m))
    ]
    return rows, traced["total"]


def report_runs(app: AppContext) -> list[dict[str, Any]]:
    """Every recorded report run, newest first."""
    with app.engine.connect() as connection:
        rows = connection.execute(select(ReportRun).order_by(ReportRun.id.desc())).all()
    return [
        {
            "run": row.id,
            "period": row.period,
            "lang": row.lang,
            "file": row.file,
            "sha256": row.sha256,
            "pages": row.pages,
            "created": row.created_at,
            "sidecar": row.sidecar,
            "rerun_of": row.rerun_of,
        }
        for row in rows
    ]


def report_file(app: AppContext, recorded: str) -> Path | None:
    """A report's file as recorded (relative paths are relative to where `report` ran): tried
    as given, beside the settings, and beside a SQLite ledger (where `demo` puts it)."""
    path = Path(recorded)
    candidates = [path] if path.is_absolute() else [Path.cwd() / path, app.settings.base_dir / path]
    url = make_url(app.database_url)
    if url.get_backend_name() == "sqlite" and url.database:
        candidates.append(Path(url.database).parent / path.name)
    return next((c for c in candidates if c.is_file()), None)


def newest_sidecar(app: AppContext) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """The newest report run whose sidecar can be read, and that sidecar."""
    for run in report_runs(app):
        found = report_file(app, run["sidecar"]) if run["sidecar"] else None
        if found is not None:
            return run, json.loads(found.read_text(encoding="utf-8"))
    return None, None


def programme(sidecar: dict[str, Any] | None, name: str) -> dict[str, Any] | None:
    """One programme's section of the report (spending by year, plan, evaluation)."""
    for section in (sidecar or {}).get("programs") or []:
        if section.get("program") == name:
            return section
    return None


def programmes_of_district(sidecar: dict[str, Any] | None, key: str) -> list[dict[str, Any]]:
    """The report's programme sections whose evaluation counts `key` among its districts."""
    found = []
    for section in (sidecar or {}).get("programs") or []:
        cohorts = (section.get("evaluation") or {}).get("cohorts") or {}
        if any(key in map(str, units) for units in cohorts.values()):
            found.append(section)
    return found


def places_of_help(app: AppContext, key: str) -> list[dict[str, Any]]:
    """Per type of place: the district's line of `access --type TYPE --json` (people within
    1000 m of a place, straight line as the page says: the city's walking network, `[places]
    network`, is not read per page view) and the places in the district.
    Empty where the ledger holds no places; a type the command cannot measure is left out."""
    from ledger.facility_store import place_types, places
    from monitor.places_commands import access_document

    with app.engine.connect() as connection:
        kinds = place_types(connection)
        located = places(connection) if kinds else None
    found = []
    for kind in kinds:
        try:
            document = access_document(app, kind, 1000.0, None, "population", None)[0]
        except UserError:
            continue
        line = next((d for d in document["districts"] if d["key"] == key), None)
        names = []
        if located is not None:
            here = located[(located["type"] == kind) & (located["district"] == key)]
            names = sorted(str(n) for n in here["name"].fillna(kind))
        found.append({"type": kind, "within": document["within"], "line": line, "places": names})
    return found
