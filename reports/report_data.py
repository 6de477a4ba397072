"""What a committee report is built from: plain, frozen data, assembled outside `reports`.

The report command (monitor.report_assembly) reads the ledger, runs spend, need, targeting and
evaluate, and hands the results over in these classes; the PDF builder only reads them and never
queries the database (STYLE: data flows one way). Conventions:
- amounts are Decimal euros, spending positive (NKF expenses), as `spend` prints them;
- ratios and statistics are floats; None wherever a value is unknown;
- dates are the reporting calendar's; `created` may carry a time zone (it is printed as given).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any


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
    `[indicators.CODE]` settings; None when there is no estimate. unavailable_reason: why not.
    """

    program: str
    spending_by_period: list[tuple[str, Decimal]]
    plan: Decimal | None
    actual: Decimal
    evaluation: dict[str, Any] | None
    unavailable_reason: str | None


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
class ReportData:
    """Everything one committee report shows, for one period.

    synthetic: the data are invented (the demo city); the report then says so on every page.
    data_as_of_posting: newest booking date in the ledger; data_as_of_indicator: newest
    indicator period (e.g. "2023"). unattributed: spending not attributed to any district;
    total = sum of district amounts + unattributed = all spending on `spending_accounts`.
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
