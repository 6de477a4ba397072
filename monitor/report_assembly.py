"""Assemble the committee report's data from the ledger; the PDF builder never queries it.

Everything the report shows comes from the same functions as the commands (spend, need,
targeting, evaluate), so a council member's figure and an auditor's `spend` agree.

Every query is bounded by one `LedgerBound` — postings up to its posting id (a version counts as
current unless a version within the bound supersedes it), master data as of its master import,
batches up to its batch — taken once when a report starts. The same bound later gives the same
numbers, whatever was imported since: that is how `report --rerun` reproduces a run.

Disclosure control: districts below `[disclosure] min_population` never show a need index,
need class or indicator value (the need table suppresses them; the report lists them with the
reason), and a program's estimate is withheld where every district it reaches is that small,
because the estimate would then be those few inhabitants' indicator change (the program
sections are computed in monitor.report_programs).
"""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime
from decimal import Decimal
from importlib import metadata
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd
from sqlalchemy import Connection, func, select

from evaluation.need import NeedTable
from ledger.anchor import seal_at
from ledger.batch_queries import list_batches
from ledger.geo_store import boundaries_geojson
from ledger.integrity import GENESIS
from ledger.master_models import IndicatorValue, ReportRun
from ledger.master_store import catalog, districts, indicator_values, newest_import
from ledger.models import Posting
from ledger.posting_queries import LedgerBound
from ledger.spending import population_at, spend
from ledger.unattributed import explain_unattributed
from monitor.context import AppContext, UserError
from monitor.need_commands import compute_need, targeting_of, worsened_classes
from monitor.recorded_settings import settings_digest
from monitor.report_programs import program_sections
from monitor.report_short_ways import short_ways_sections
from reports.messages import Messages
from reports.report_data import (
    BatchProvenance,
    DistrictSpending,
    InputVersions,
    ReportData,
    SuppressedDistrict,
)

_PERIOD = re.compile(r"^(\d{4})(?:-Q([1-4]))?$")
_BELOW_MINIMUM = re.compile(r"population \d+ below \d+")


def report_period(label: str) -> tuple[date, date]:
    """`2024` → the year; `2024-Q4` → the quarter."""
    match = _PERIOD.match(label)
    if not match:
        raise UserError.said("cli.report.bad_period", period=repr(label))
    year = int(match[1])
    if match[2] is None:
        return date(year, 1, 1), date(year, 12, 31)
    quarter = int(match[2])
    start = date(year, 3 * quarter - 2, 1)
    end = (pd.Timestamp(start) + pd.offsets.QuarterEnd(0)).date()
    return start, end


def default_period(connection: Connection) -> str:
    newest = connection.execute(select(func.max(Posting.booking_date))).scalar()
    return str((newest or date.today()).year)


def assemble_report(
    app: AppContext, period: str, bound: LedgerBound, rerun_of: int | None = None
) -> ReportData:
    """The report of `period` computed from the ledger as it stood at `bound`.

    rerun_of: the run whose numbers this computes again (its bound is `bound`); "what changed
    since the last report" then counts from the report before that run, as the run itself did.
    """
    start, end = report_period(period)
    patterns = app.settings.ledger.spending_patterns
    as_of, upto = bound.master_import_id, bound.posting_id
    minimum = app.settings.disclosure.min_population
    with app.engine.connect() as connection:
        postings_missing, span = _postings_missing(connection, start, end, upto)
        # Refused only when the ledger holds nothing at all to report; a period without
        # postings (a quarter of the scheduled service in which nothing was booked yet) is a
        # report that says so.
        if span is None and indicator_values(connection, as_of).empty:
            raise UserError(Messages(app.lang)("cli.report.nothing_to_report", period=period))
        spent = explain_unattributed(
            connection,
            spend(connection, "district", start, end, patterns, as_of, upto),
            patterns,
            as_of,
            upto,
        )
        by_program = {
            r["key"]: r
            for r in spend(connection, "program", start, end, patterns, as_of, upto)["rows"]
        }
        need, need_missing = _need(app, connection, end, as_of)
        names = dict(districts(connection, as_of).itertuples(index=False, name=None))
        need_rows = {r.key: r for r in need.districts} if need else {}
        district_rows = [
            DistrictSpending(
                key=r["key"],
                name=r["name"],
                amount=Decimal(r["amount"]),
                population=r["population"],
                per_capita=None if r["per_capita"] is None else Decimal(r["per_capita"]),
                need_index=need_rows[r["key"]].need_index if r["key"] in need_rows else None,
                need_class=need_rows[r["key"]].need_class if r["key"] in need_rows else None,
            )
            for r in spent["rows"]
        ]
        measures, _ = catalog(connection, as_of)
        program_names = sorted({p for p in measures["program"] if isinstance(p, str) and p})
        small = {
            key
            for key, people in population_at(connection, end.year, as_of).items()
            if people < minimum
        }
        programs = program_sections(app, connection, program_names, by_program, bound, end, small)
        newest_posting = span[1] if span else None
        values = indicator_values(connection, as_of)
        changes = _changes_since_last_report(connection, bound, rerun_of)
        worsened = worsened_classes(connection, app.settings, need.period, as_of) if need else []
        head = seal_at(connection, bound.batch_id, bound.master_import_id)
        catalog_version = newest_import(connection, "measures", as_of)
        imported_boundaries = boundaries_geojson(connection, as_of)
        short_ways = short_ways_sections(app, connection, as_of)
    zone = app.settings.schedule.timezone
    batches = [
        BatchProvenance(
            batch=b["batch"],
            file=b["file"],
            sha256=b["sha256"],
            rows=b["rows"],
            imported=b["imported"],
            corrections=b["corrections"],
            status=b["status"],
            started=datetime.fromisoformat(b["started"]),
        )
        for b in list_batches(app.engine, ZoneInfo(zone))
        if b["batch"] <= bound.batch_id
    ]
    return ReportData(
        city=app.settings.report.city,
        synthetic="SYNTHETISCH" in " ".join(b.file for b in batches).upper(),
        period_label=period,
        period_start=start,
        period_end=end,
        created=datetime.now(UTC).astimezone(ZoneInfo(zone)),
        data_as_of_posting=newest_posting,
        data_as_of_indicator=max(values["period"]) if len(values) else None,
        districts=district_rows,
        unattributed=Decimal(spent["unattributed"]),
        unattributed_breakdown=spent["unattributed_breakdown"],
        total=Decimal(spent["total"]),
        spending_accounts=app.settings.ledger.spending_accounts,
        internal_accounts=app.settings.ledger.internal_accounts,
        internal=Decimal(spent["internal"]),
        targeting=_targeting(need, spent, end.year),
        need_period=need.period if need else None,
        worsened=worsened,
        persistent_high=[
            (r.key, r.name, r.persistent)
            for r in (need.districts if need else ())
            if r.persistent >= 3
        ],
        programs=programs,
        method_notes=True,
        batches=batches,
        catalog_version=catalog_version,
        ledger_head=head or GENESIS,
        software_version=metadata.version("budget-impact-monitor"),
        settings_digest=settings_digest(app.settings),
        changes=changes,
        boundaries=imported_boundaries or _boundaries(app),
        need=need.to_dict() if need else None,
        suppressed=tuple(
            SuppressedDistrict(
                key=key,
                name=names.get(key, key),
                below_minimum=bool(_BELOW_MINIMUM.search(reason)),
                reason=reason,
            )
            for key, reason in (need.suppressed if need else ())
        ),
        min_population=minimum,
        need_indicators=tuple(app.settings.evaluation.need_index),
        need_missing=need_missing,
        programs_missing=_programs_missing(program_names, measures),
        postings_missing=postings_missing,
        postings_span=span,
        inputs=InputVersions(bound.posting_id, bound.master_import_id, bound.batch_id),
        rerun_of=rerun_of,
        short_ways=short_ways,
    )


def _need(
    app: AppContext, connection: Connection, end: date, as_of: int
) -> tuple[NeedTable | None, str | None]:
    """The need table of the newest period that has ended by the report's end, or why none."""
    values = indicator_values(connection, as_of)
    if values.empty:
        return None, "no_indicators"
    weights = set(app.settings.evaluation.need_index)
    own = values[values["indicator"].isin(weights) & values["value"].notna()]
    if own.empty:
        return None, "no_need_values"
    periods = sorted({p for p in own["period"] if p[:4] <= str(end.year)})
    if not periods:
        return None, "after_period"
    return compute_need(connection, app.settings, periods[-1], as_of), None


def _postings_missing(
    connection: Connection, start: date, end: date, upto: int
) -> tuple[str | None, tuple[date, date] | None]:
    """(why the period shows no spending — "no_postings" (none imported), "none_in_period" (none
    booked in it) — or None; the first and last booking date of the ledger, None if empty)."""
    first, last = connection.execute(
        select(func.min(Posting.booking_date), func.max(Posting.booking_date)).where(
            Posting.id <= upto
        )
    ).one()
    if first is None:
        return "no_postings", None
    booked = connection.execute(
        select(func.count())
        .select_from(Posting)
        .where(Posting.id <= upto, Posting.booking_date.between(start, end))
    ).scalar_one()
    return (None if booked else "none_in_period"), (first, last)


def _programs_missing(programs: list[str], measures: pd.DataFrame) -> str | None:
    """Why no program is evaluated: no catalogue at all, or no measure in a program."""
    if programs:
        return None
    return "no_programs" if len(measures) else "no_catalog"


def _targeting(need: NeedTable | None, spent: dict[str, Any], year: int) -> dict[str, Any] | None:
    if need is None or not need.districts:
        return None
    return targeting_of(need, spent, year).to_dict()


def _changes_since_last_report(
    connection: Connection, bound: LedgerBound, rerun_of: int | None
) -> dict[str, Any]:
    """New postings, corrections, measures and indicator values between the previous report's
    bound and this one's. The previous report is the newest run that is not itself a rerun and,
    for a rerun, older than the run it reproduces — so a rerun counts what the run counted."""
    query = select(ReportRun.id, ReportRun.last_posting_id, ReportRun.last_master_import_id).where(
        ReportRun.rerun_of.is_(None)
    )
    if rerun_of is not None:
        query = query.where(ReportRun.id < rerun_of)
    previous = connection.execute(query.order_by(ReportRun.id.desc()).limit(1)).first()
    since_posting = previous.last_posting_id if previous else 0
    since_import = previous.last_master_import_id if previous else 0
    versions = connection.execute(
        select(Posting.version, func.count())
        .where(Posting.id > since_posting, Posting.id <= bound.posting_id)
        .group_by(Posting.version)
    ).all()
    new = sum(n for v, n in versions if v == 1)
    corrections = sum(n for v, n in versions if v > 1)
    revised = connection.execute(
        select(func.count())
        .select_from(IndicatorValue)
        .where(
            IndicatorValue.import_id > since_import,
            IndicatorValue.import_id <= bound.master_import_id,
        )
    ).scalar_one()
    measures_now, _ = catalog(connection, bound.master_import_id)
    measures_then, _ = (
        catalog(connection, since_import) if previous else (measures_now.iloc[0:0], None)
    )
    return {
        "previous_report": previous.id if previous else None,
        "new_postings": int(new),
        "corrections": int(corrections),
        "new_measures": sorted(set(measures_now["code"]) - set(measures_then["code"])),
        "revised_indicator_values": int(revised),
    }


def _boundaries(app: AppContext) -> dict[str, Any] | None:
    """The GeoJSON of `[report] boundaries`: used when the ledger holds no imported boundaries
    (`import boundaries`, which win: they are versioned, so a rerun draws the same map)."""
    configured = app.settings.report.boundaries
    if not configured:
        return None
    path = Path(configured)
    path = path if path.is_absolute() else app.settings.base_dir / path
    try:
        collection = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise UserError.said("cli.report.boundaries_unreadable", path=path, reason=exc) from None
    key = app.settings.report.boundaries_key
    for feature in collection.get("features", []):
        properties = feature.setdefault("properties", {})
        properties["key"] = str(properties.get(key, ""))
    return collection
