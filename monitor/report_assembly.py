"""Assemble the committee report's data from the ledger; the PDF builder never queries it.

Everything the report shows comes from the same functions as the commands (spend, need,
targeting, evaluate), so a council member's figure and an auditor's `spend` agree.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import fields, is_dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from importlib import metadata
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd
from sqlalchemy import Connection, func, insert, select

from evaluation.need import NeedTable
from evaluation.panel_evaluation import EvaluationOptions, MethodUnavailable, evaluate_panel
from ledger.batch_queries import list_batches
from ledger.database import write_transaction
from ledger.district_panel import PanelError, build_panel
from ledger.master_models import IndicatorValue, MasterImport, ReportRun
from ledger.master_store import catalog, indicator_values
from ledger.models import Posting
from ledger.spending import spend
from ledger.verification import verify_ledger
from monitor.context import AppContext, UserError
from monitor.need_commands import compute_need, targeting_of, worsened_classes
from reports.report_data import BatchProvenance, DistrictSpending, ProgramSection, ReportData

_PERIOD = re.compile(r"^(\d{4})(?:-Q([1-4]))?$")


def report_period(label: str) -> tuple[date, date]:
    """`2024` → the year; `2024-Q4` → the quarter."""
    match = _PERIOD.match(label)
    if not match:
        raise UserError(f"period {label!r}: expected a year (2024) or a quarter (2024-Q4)")
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


def settings_digest(app: AppContext) -> str:
    """sha256 of the settings in force, so a report names exactly the configuration it used.

    Where the settings file lies (base_dir, source) is left out: the same settings copied to
    another machine give the same digest.
    """
    settings = _plain(app.settings)
    for located in ("base_dir", "source"):
        settings.pop(located)
    text = json.dumps(settings, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _plain(value: Any) -> Any:
    """Settings as JSON-able values (frozen dataclasses, read-only mappings, paths)."""
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, Path):
        return str(value)
    return value


def assemble_report(app: AppContext, period: str) -> ReportData:
    start, end = report_period(period)
    patterns = app.settings.ledger.spending_accounts
    with app.engine.connect() as connection:
        spent = spend(connection, "district", start, end, patterns)
        by_program = {
            r["key"]: r for r in spend(connection, "program", start, end, patterns)["rows"]
        }
        need = _need(app, connection, end)
        need_rows = {r.key: r for r in need.districts} if need else {}
        districts = [
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
        targeting_document = _targeting(need, spent, end.year)
        measures, _ = catalog(connection)
        programs = [
            _program_section(app, connection, program, by_program.get(program))
            for program in sorted({p for p in measures["program"] if isinstance(p, str)})
        ]
        newest_posting = connection.execute(select(func.max(Posting.booking_date))).scalar()
        values = indicator_values(connection)
        catalog_version = connection.execute(
            select(func.max(MasterImport.id)).where(MasterImport.kind == "measures")
        ).scalar()
        changes = _changes_since_last_report(connection, period)
        worsened = worsened_classes(connection, app.settings, need.period) if need else []
    head = verify_ledger(app.engine).head
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
        districts=districts,
        unattributed=Decimal(spent["unattributed"]),
        total=Decimal(spent["total"]),
        spending_accounts=tuple(patterns),
        targeting=targeting_document,
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
        ledger_head=head,
        software_version=metadata.version("budget-impact-monitor"),
        settings_digest=settings_digest(app),
        changes=changes,
        boundaries=_boundaries(app),
    )


def _need(app: AppContext, connection: Connection, end: date) -> NeedTable | None:
    """The need table of the newest period that has ended by the report's end."""
    values = indicator_values(connection)
    weights = set(app.settings.evaluation.need_index)
    periods = sorted(
        {
            p
            for p, i in zip(values["period"], values["indicator"], strict=True)
            if i in weights and p[:4] <= str(end.year)
        }
    )
    if not periods:
        return None
    return compute_need(connection, app.settings, periods[-1])


def _targeting(need: NeedTable | None, spent: dict[str, Any], year: int) -> dict[str, Any] | None:
    if need is None or not need.districts:
        return None
    return targeting_of(need, spent, year).to_dict()


def _program_section(
    app: AppContext, connection: Connection, program: str, row: dict[str, Any] | None
) -> ProgramSection:
    outcome = app.settings.report.outcome
    evaluation, reason, over_time = None, None, []
    try:
        panel = build_panel(
            connection, outcome, app.settings.ledger.spending_accounts, program=program
        )
        by_period = panel.frame.groupby("period")["spending_cents"].sum()
        over_time = [(str(p), Decimal(int(c)) / 100) for p, c in by_period.items()]
        frame = panel.frame.rename(columns={"value": outcome})
        evaluation = evaluate_panel(
            frame, outcome, "district", "time", "cohort", EvaluationOptions(), program=program
        ).to_dict()
        configured = app.settings.indicators.get(outcome)
        if configured is not None:
            evaluation |= {"indicator_name": configured.name, "indicator_unit": configured.unit}
    except (MethodUnavailable, PanelError, ValueError) as exc:
        reason = str(exc)
    return ProgramSection(
        program=program,
        spending_by_period=over_time,
        plan=None if row is None or row.get("plan") is None else Decimal(row["plan"]),
        actual=Decimal(row["amount"]) if row else Decimal(0),
        evaluation=evaluation,
        unavailable_reason=reason,
    )


def _changes_since_last_report(connection: Connection, period: str) -> dict[str, Any]:
    previous = connection.execute(
        select(ReportRun.id, ReportRun.last_posting_id, ReportRun.last_master_import_id)
        .order_by(ReportRun.id.desc())
        .limit(1)
    ).first()
    since_posting = previous.last_posting_id if previous else 0
    since_import = previous.last_master_import_id if previous else 0
    versions = connection.execute(
        select(Posting.version, func.count())
        .where(Posting.id > since_posting)
        .group_by(Posting.version)
    ).all()
    new = sum(n for v, n in versions if v == 1)
    corrections = sum(n for v, n in versions if v > 1)
    revised = connection.execute(
        select(func.count())
        .select_from(IndicatorValue)
        .where(IndicatorValue.import_id > since_import)
    ).scalar_one()
    measures_now, _ = catalog(connection)
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
    configured = app.settings.report.boundaries
    if not configured:
        return None
    path = Path(configured)
    path = path if path.is_absolute() else app.settings.base_dir / path
    try:
        collection = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise UserError(f"[report] boundaries {path}: cannot read GeoJSON ({exc})") from None
    key = app.settings.report.boundaries_key
    for feature in collection.get("features", []):
        properties = feature.setdefault("properties", {})
        properties["key"] = str(properties.get(key, ""))
    return collection


def record_run(
    app: AppContext, period: str, lang: str, file: Path, sha256: str, pages: int, head: str
) -> int:
    """Remember the report and the ledger state it saw; returns the run number."""
    with write_transaction(app.engine) as connection:
        last_posting = connection.execute(select(func.max(Posting.id))).scalar() or 0
        last_import = connection.execute(select(func.max(MasterImport.id))).scalar() or 0
        return int(
            connection.execute(
                insert(ReportRun)
                .values(
                    period=period,
                    lang=lang,
                    file=str(file),
                    sha256=sha256,
                    pages=pages,
                    created_at=datetime.now(UTC),
                    last_posting_id=last_posting,
                    last_master_import_id=last_import,
                    ledger_head=head,
                )
                .returning(ReportRun.id)
            ).scalar_one()
        )
