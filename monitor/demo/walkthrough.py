"""The demo: a synthetic city taken through every step the product offers, on its own ledger.

Generates the city's export and master-data files, imports them exactly as a city would, checks
the ledger, computes spending, need and targeting, evaluates every program against its planted
effect, and writes the auditor workbook and a summary. Every output says SYNTHETIC.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from types import MappingProxyType
from typing import Any

from sqlalchemy import Connection

from evaluation.panel_evaluation import EvaluationOptions, MethodUnavailable, evaluate_panel
from ledger.district_panel import build_panel
from ledger.spending import spend, trace
from ledger.verification import verify_ledger
from monitor.context import AppContext
from monitor.demo.synthetic_city import SyntheticCity, build_city, write_city
from monitor.demo.synthetic_places import write_places
from monitor.evaluate_command import why_no_estimate
from monitor.import_commands import import_postings_file
from monitor.master_commands import import_master_file
from monitor.need_commands import compute_need
from monitor.report_command import create_report
from monitor.settings import IndicatorSettings
from reports.audit_workbook import write_trace_workbook
from reports.caveats import localized_document
from reports.formatting import LocaleFormat
from reports.messages import Messages

OUTCOME = "sgb2_quote"
MASTER_ORDER = ("districts", "indicators", "measures", "plan")


class DemoFailed(RuntimeError):
    """A step of the demo did not do what it must; the message names the step."""


@dataclass(frozen=True)
class ProgramResult:
    program: str
    planted: float | None
    method: str | None
    estimate: float | None
    ci: tuple[float | None, float | None]
    pvalue: float | None
    mde: float | None
    note: str

    @property
    def recovered(self) -> bool | None:
        """True when the 95 % interval covers the planted effect (None: not estimated)."""
        low, high = self.ci
        if self.planted is None or low is None or high is None:
            return None
        return low <= self.planted <= high


def run_demo(
    app: AppContext, folder: Path, seed: int = 0, city: SyntheticCity | None = None
) -> dict[str, Any]:
    """Run every step on `app`'s (empty) ledger; returns the summary that is also written."""
    folder.mkdir(parents=True, exist_ok=True)
    city = city or build_city(seed)
    imports = import_city(app, write_city(city, folder / "exports"))
    import_places(app, write_places(city, folder / "exports"), str(max(city.years)))
    patterns = app.settings.ledger.spending_patterns
    last_year = max(city.years)
    with app.engine.connect() as connection:
        check = verify_ledger(app.engine)
        spending = spend(
            connection, "district", date(last_year, 1, 1), date(last_year, 12, 31), patterns
        )
        need = compute_need(connection, app.settings, str(last_year))
        neediest = need.districts[0].key
        audit = trace(
            connection, neediest, date(last_year, 1, 1), date(last_year, 12, 31), patterns
        )
        programs = sorted(city.planted_effects)
        results = [_evaluate(connection, app, program, city) for program in programs]
    workbook = folder / f"Pruefung_{neediest}_{last_year}_SYNTHETISCH.xlsx"
    write_trace_workbook(audit, workbook)
    report = create_report(
        app, str(last_year), folder / f"Sozialbericht_{last_year}_SYNTHETISCH.pdf", "de"
    )
    summary = {
        "synthetic": True,
        "seed": seed,
        "folder": str(folder),
        "database": app.database_url,
        "batches": len(imports),
        "corrections": sum(i["corrections"] for i in imports),
        "verify": check.to_dict() | {"problems": list(check.problems)},
        "year": last_year,
        "spending_total": spending["total"],
        "spending_unattributed": spending["unattributed"],
        "neediest_district": {"key": neediest, "name": need.districts[0].name},
        "auditor_workbook": str(workbook),
        "programs": [
            {
                "program": r.program,
                "planted_effect": r.planted,
                "method": r.method,
                "estimate": r.estimate,
                "ci": list(r.ci),
                "pvalue": r.pvalue,
                "mde": r.mde,
                "recovered": r.recovered,
                "note": r.note,
            }
            for r in results
        ],
        "report": report,
    }
    (folder / "demo-summary_SYNTHETISCH.json").write_text(
        json.dumps(summary, ensure_ascii=False, indent=2), encoding="utf-8"
    )
    return summary


def import_city(app: AppContext, files: dict[str, Path]) -> list[dict[str, Any]]:
    """Import the files `write_city` wrote, as a city would: master data first, then each
    postings export in order; returns the postings imports' results."""
    for kind in MASTER_ORDER:
        document = import_master_file(app, kind, files[kind])
        if document["errors"]:
            raise DemoFailed(f"import {kind}: {document['errors'][:3]}")
    imports = []
    for name, path in files.items():
        if name.startswith("postings"):
            result, ok = import_postings_file(app, path, "auto", False, False, show=False)
            if not ok:
                raise DemoFailed(f"import postings {path.name}: {result['errors'][:3]}")
            imports.append(result)
    return imports


def import_places(app: AppContext, files: dict[str, Path], period: str) -> None:
    """Import the city's district squares, population grid and places of help (written by
    `write_places`), as a city's GIS office would send them."""
    from imports.geodata.facility_files import FacilityOptions
    from monitor.facility_commands import import_facilities
    from monitor.geo_commands import import_boundaries, import_grid

    import_boundaries(app, files["boundaries"], key="Sozialraum")
    grid = import_grid(app, files["grid"], value="Einwohner", period=period)
    if grid["errors"]:
        raise DemoFailed(f"import grid: {grid['errors'][:3]}")
    places = import_facilities(app, files["facilities"], FacilityOptions(type_field="Typ"))
    if places["errors"]:
        raise DemoFailed(f"import facilities: {places['errors'][:3]}")


def _evaluate(
    connection: Connection, app: AppContext, program: str, city: SyntheticCity
) -> ProgramResult:
    planted = city.planted_effects.get(program)
    try:
        panel = build_panel(
            connection, OUTCOME, app.settings.ledger.spending_patterns, program=program
        )
        frame = panel.frame.rename(columns={"value": OUTCOME})
        result = evaluate_panel(
            frame, OUTCOME, "district", "time", "cohort", EvaluationOptions(), program=program
        )
    except (MethodUnavailable, ValueError) as exc:
        note = why_no_estimate(exc, app.lang)
        return ProgramResult(program, planted, None, None, (None, None), None, None, note)
    # The first caveat, in the reader's language, as `evaluate` words it.
    caveats = localized_document(result.to_dict(), Messages(app.lang), LocaleFormat(app.lang))
    return ProgramResult(
        program,
        planted,
        result.method,
        result.estimate,
        (result.ci_low, result.ci_high),
        result.pvalue,
        result.mde.effect if result.mde is not None else None,
        "; ".join(caveats["warnings"][:1]),
    )


DEMO_INDICATORS = {
    "sgb2_quote": IndicatorSettings(name="SGB-II-Quote", unit="%"),
    "kinderarmut": IndicatorSettings(name="Kinderarmut (SGB II unter 15)", unit="%"),
    "arbeitslosigkeit": IndicatorSettings(name="Arbeitslosendichte", unit="%"),
    "grundsicherung_alter": IndicatorSettings(name="Grundsicherung im Alter", unit="%"),
}


def demo_context(app: AppContext, folder: Path) -> AppContext:
    """The demo's own ledger beside its files, so a user's ledger is never touched, and the
    synthetic city's name and indicator labels for its report."""
    settings = replace(
        app.settings,
        indicators=MappingProxyType(DEMO_INDICATORS),
        report=replace(
            app.settings.report, city="Düren (synthetische Demo-Stadt)", outcome=OUTCOME
        ),
    )
    return replace(
        app, settings=settings, database_url=f"sqlite:///{(folder / 'ledger.db').resolve()}"
    )
