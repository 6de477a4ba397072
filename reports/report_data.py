"""What a committee report is built from: plain, frozen data, assembled outside `reports`.

The report command (monitor.report_assembly) reads the ledger, runs spend, need, targeting and
evaluate, and hands the results over in these classes; the PDF builder only reads them and never
queries the database (STYLE: data flows one way). Conventions:
- amounts are Decimal euros, spending positive (NKF expenses), as `spend` prints them;
- ratios and statistics are floats; None wherever a value is unknown;
- dates are the reporting calendar's; `created` may carry a time zone (it is printed as given).

`ReportData.to_dict()` is the run's sidecar (NAME.json beside NAME.pdf): every number the report
shows, amounts as two-decimal strings (SPEC §2), dates ISO, non-finite statistics as null.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass, fields
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from reports.short_ways_data import ShortWaysSection


@dataclass(frozen=True)
class DistrictSpending:
    """One district's spending in the period (a `spend --by district` row) and its need.

    per_capita: euros per inhabitant, None without a population. need_index: as `need` computes
    it (higher = more need), None where the district is suppressed. need_class: "very_high",
    "high", "medium", "low" or None.
    """

    key: str
    name: str
    amount: Decimal
    population: int | None
    per_capita: Decimal | None
    need_index: float | None
    need_class: str | None


@dataclass(frozen=True)
class ProgramSection:
    """One program's page.

    spending_by_period: (period label, euros) in time order. plan: the budgeted amount for the
    period, None where no plan exists. actual: what was spent in the period.
    evaluation: the SPEC §7 evaluate JSON (method, estimate, se, ci, pvalue, inference,
    n_treated, n_control, cohorts, pretrend_pvalue, event_study [{rel_time, estimate, ci}],
    warnings, method_reason, indicator) and optionally "indicator_name" (e.g. "SGB-II-Quote")
    and "indicator_unit" ("%" makes differences read as percentage points), from the
    `[indicators.CODE]` settings; None when there is no estimate. unavailable_reason: why not, a
    SPEC §7 caveat document {code, values, text} (a reason.* code, English text).
    spending_real: the same periods' spending in constant prices of `prices_base_year`
    (`ledger.constant_prices`), None where the ledger holds no price index for every year.
    """

    program: str
    spending_by_period: list[tuple[str, Decimal]]
    plan: Decimal | None
    actual: Decimal
    evaluation: dict[str, Any] | None
    unavailable_reason: dict[str, Any] | None
    spending_real: list[tuple[str, Decimal]] | None = None
    prices_base_year: int | None = None


@dataclass(frozen=True)
class BatchProvenance:
    """One import batch as `budget-monitor batches` lists it.

    rows: data rows read from the file; imported: postings added; corrections: postings that
    superseded an earlier version; status: "imported", "partial" or "unchanged".
    """

    batch: int
    file: str
    sha256: str
    rows: int
    imported: int
    corrections: int
    status: str
    started: datetime


@dataclass(frozen=True)
class SuppressedDistrict:
    """A district whose need and indicator figures the report does not show.

    below_minimum: its population is below `[disclosure] min_population` (disclosure control:
    figures of so few inhabitants could point to persons); otherwise a figure is missing
    (population unknown, or a need indicator without a value). reason: as `need` gives it.
    """

    key: str
    name: str
    below_minimum: bool
    reason: str


@dataclass(frozen=True)
class InputVersions:
    """The ledger state a report was computed from, so that a rerun can compute it again.

    last_posting_id: postings up to this id, with versions superseded only later still current;
    last_master_import_id: master data as of this import; last_batch_id: import batches up to
    this one (its seal is the ledger head the report prints).
    """

    last_posting_id: int
    last_master_import_id: int
    last_batch_id: int


@dataclass(frozen=True)
class ReportData:
    """Everything one committee report shows, for one period.

    synthetic: the data are invented (the demo city); the report then says so on every page.
    data_as_of_posting: newest booking date in the ledger; data_as_of_indicator: newest
    indicator period (e.g. "2023"). unattributed: spending not attributed to any district;
    total = sum of district amounts + unattributed = all spending on `spending_accounts`
    without `internal_accounts`; internal: the internal service charges on spending accounts in
    the period, left out of total (ILV, re-booked costs that would count twice).
    targeting: the SPEC §7 targeting JSON (spearman, spearman_ci, verdict, verdict_code,
    top_fifth_spending_share, concentration_index with NEGATIVE = concentrated among the
    neediest, concentration_curve as [[x, y], ...] or [{cum_population_share,
    cum_spending_share}, ...], warnings). need_period: the need index's period.
    worsened: (key, name, class before, class now) of districts whose need class rose.
    persistent_high: (key, name, periods in a row with high or very high need).
    method_notes: include the plain-language method notes. ledger_head: the hash-chain head
    from `verify`. changes: {"new_postings", "corrections", "new_measures",
    "revised_indicator_values", optionally "previous_report"} since the last report.
    boundaries: GeoJSON FeatureCollection whose features carry properties.key = district key.
    need: the SPEC §7 need JSON of need_period (ranked districts, suppressed with reasons).
    suppressed: districts whose need and indicator figures are not shown, with why;
    min_population: the `[disclosure]` threshold in force. need_missing: why there is no need
    index — "no_indicators" (no indicator values imported), "no_need_values" (none for the
    need indicators `need_indicators`), "after_period" (values only after the period) — or None.
    programs_missing: why no program is evaluated — "no_catalog" (no measures imported),
    "no_programs" (no measure belongs to a program) — or None. postings_missing: why the period
    shows no spending — "no_postings" (none imported), "none_in_period" (none booked in the
    period) — or None; postings_span: the first and last booking date in the ledger. inputs:
    the ledger state the numbers come from; rerun_of: the run whose numbers this report computes
    again.
    unattributed_breakdown: what the unattributed amount is (the `spend` document's
    `unattributed_breakdown`, `ledger.unattributed.breakdown_document`), or None.
    unverified: computed with `--unverified` from a ledger whose hash chain did not verify
    (every page says so). short_ways: the "Kurze Wege" section of each place type in force.
    """

    city: str
    synthetic: bool
    period_label: str
    period_start: date
    period_end: date
    created: datetime
    data_as_of_posting: date | None
    data_as_of_indicator: str | None
    districts: list[DistrictSpending]
    unattributed: Decimal
    total: Decimal
    spending_accounts: tuple[str, ...]
    targeting: dict[str, Any] | None
    need_period: str | None
    worsened: list[tuple[str, str, str, str]]
    persistent_high: list[tuple[str, str, int]]
    programs: list[ProgramSection]
    method_notes: bool
    batches: list[BatchProvenance]
    catalog_version: int | None
    ledger_head: str
    software_version: str
    settings_digest: str
    changes: dict[str, Any]
    boundaries: dict[str, Any] | None = None
    need: dict[str, Any] | None = None
    suppressed: tuple[SuppressedDistrict, ...] = ()
    min_population: int | None = None
    need_indicators: tuple[str, ...] = ()
    need_missing: str | None = None
    programs_missing: str | None = None
    postings_missing: str | None = None
    postings_span: tuple[date, date] | None = None
    inputs: InputVersions | None = None
    rerun_of: int | None = None
    unverified: bool = False
    unattributed_breakdown: dict[str, Any] | None = None
    internal_accounts: tuple[str, ...] = ()
    internal: Decimal = Decimal(0)
    short_ways: tuple[ShortWaysSection, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """Every field as JSON (the sidecar): Decimal euros as two-decimal strings, dates and
        times ISO, tuples as lists, NaN and infinities as null. The boundaries are geometry, not
        figures: the sidecar names them by feature count and the sha256 of their JSON."""
        document = {f.name: _jsonable(getattr(self, f.name)) for f in fields(self)}
        document["boundaries"] = _boundaries_digest(self.boundaries)
        document["short_ways"] = [section.to_dict() for section in self.short_ways]
        return document


_CENT = Decimal("0.01")


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):  # every Decimal of a report is an amount of euros
        return str(value.quantize(_CENT, rounding=ROUND_HALF_UP))
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if hasattr(value, "__dataclass_fields__"):
        return {f.name: _jsonable(getattr(value, f.name)) for f in fields(value)}
    if hasattr(value, "item"):  # a numpy scalar
        return _jsonable(value.item())
    return value


def _boundaries_digest(boundaries: dict[str, Any] | None) -> dict[str, Any] | None:
    if not boundaries:
        return None
    text = json.dumps(boundaries, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return {
        "features": len(boundaries.get("features") or []),
        "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
    }
