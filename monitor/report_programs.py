"""The committee report's program sections: each program's spending by year and its estimate.

Part of assembling the report (monitor.report_assembly): every figure is read under the report's
`LedgerBound`, with the same functions as the commands, so a program's spending here and in
`spend --by program` agree. The panel's tagged postings are reused for the spending by year where
they cover it, since tagging is the report's most expensive query.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pandas as pd
from sqlalchemy import Connection, func, select

from evaluation.caveat_codes import Caveat, CaveatError
from evaluation.panel_evaluation import EvaluationOptions, MethodUnavailable, evaluate_panel
from imports.money import format_cents
from ledger.constant_prices import NoPriceIndex, PriceBase, price_base
from ledger.district_panel import PanelError, PanelInputs, panel_inputs, panel_of
from ledger.models import Posting
from ledger.posting_queries import LedgerBound
from ledger.spending import tag_spending
from monitor.context import AppContext
from reports.report_data import ProgramSection

# Why a program has no estimate, as a reason code the report words from its catalogue.
NO_DISTRICT_SPENDING = Caveat("no_district_spending")
NO_POSTINGS = Caveat("no_postings")


def _why(exc: ValueError) -> Caveat:
    """The reason of an exception as a caveat: its own code where it has one; else
    "not_evaluable" with the exception's English message as its detail, kept for the sidecar
    only: the page says that the evaluation failed, never a library's words for why."""
    if isinstance(exc, CaveatError):
        return exc.caveat
    if isinstance(exc, PanelError) and exc.code is not None:
        return Caveat(exc.code, exc.values)
    return Caveat("not_evaluable", {"detail": str(exc)})


def program_sections(
    app: AppContext,
    connection: Connection,
    programs: list[str],
    by_program: dict[str, dict[str, Any]],
    bound: LedgerBound,
    end: date,
    small: set[str],
) -> list[ProgramSection]:
    """One section per program: its spending by year up to the period's end, and its estimate.

    The panel's inputs (indicator values, tagged spending over the indicator's span) are read
    once for all programs; without them every program says why (no indicator values, …).
    """
    if not programs:
        return []
    patterns = app.settings.ledger.spending_patterns
    try:
        inputs: PanelInputs | None = panel_inputs(
            connection,
            app.settings.report.outcome,
            patterns,
            as_of=bound.master_import_id,
            upto_posting=bound.posting_id,
        )
        missing = None
    except PanelError as exc:
        inputs, missing = None, _why(exc).to_dict()
    if inputs is not None and inputs.tagged.postings.empty:
        # Without a single spending posting in the indicator's span there is nothing to compare;
        # say so once for every program rather than let each panel fail on empty frames.
        inputs, missing = None, NO_POSTINGS.to_dict()
    by_year = program_spending_by_year(connection, patterns, end, bound, inputs)
    base = _price_base(app, connection, bound)
    sections = []
    for program in programs:
        row = by_program.get(program)
        evaluation, reason = (
            (None, missing)
            if inputs is None
            else _evaluate(app, inputs, program, small, app.settings.disclosure.min_population)
        )
        sections.append(
            ProgramSection(
                program=program,
                spending_by_period=by_year.get(program, []),
                plan=None if row is None or row.get("plan") is None else Decimal(row["plan"]),
                actual=Decimal(row["amount"]) if row else Decimal(0),
                evaluation=evaluation,
                unavailable_reason=reason,
                spending_real=in_constant_prices(by_year.get(program, []), base),
                prices_base_year=base.base_year if base else None,
            )
        )
    return sections


def _price_base(app: AppContext, connection: Connection, bound: LedgerBound) -> PriceBase | None:
    try:
        return price_base(connection, app.settings.prices.base_year, bound.master_import_id)
    except NoPriceIndex:
        return None


def in_constant_prices(
    by_year: list[tuple[str, Decimal]], base: PriceBase | None
) -> list[tuple[str, Decimal]] | None:
    """Each year's spending in prices of the base year; None without a level for every year
    (a chart half in constant and half in current prices would mislead)."""
    if base is None or not by_year or any(int(year) not in base.levels for year, _ in by_year):
        return None
    return [
        (year, Decimal(format_cents(base.cents(int(amount.scaleb(2)), int(year)))))
        for year, amount in by_year
    ]


def program_spending_by_year(
    connection: Connection,
    patterns: tuple[str, ...],
    end: date,
    bound: LedgerBound,
    inputs: PanelInputs | None,
) -> dict[str, list[tuple[str, Decimal]]]:
    """Each program's spending (attributed to a district or not) per year, first year with any
    spending of any program up to the year of `end` (that year up to `end`)."""
    first = connection.execute(
        select(func.min(Posting.booking_date)).where(Posting.id <= bound.posting_id)
    ).scalar()
    if first is None or first > end:
        return {}
    measures, postings = _tagged_postings(connection, patterns, first, end, bound, inputs)
    measures = measures.drop_duplicates("code")
    program_of = {
        code: program
        for code, program in zip(measures["code"], measures["program"], strict=True)
        if isinstance(program, str) and program
    }
    postings = postings[postings["measure"].isin(program_of)]
    if postings.empty:
        return {}
    frame = pd.DataFrame(
        {
            "program": postings["measure"].map(program_of),
            "year": pd.to_datetime(postings["booking_date"]).dt.year,
            "cents": postings["amount_cents"].astype("int64"),
        }
    )
    sums = frame.groupby(["program", "year"])["cents"].sum()
    result: dict[str, list[tuple[str, Decimal]]] = {}
    for program in frame["program"].unique():
        years = sums[program]
        result[str(program)] = [
            (str(year), Decimal(format_cents(int(years.get(year, 0)))))
            for year in range(int(years.index.min()), end.year + 1)
        ]
    return result


def _tagged_postings(
    connection: Connection,
    patterns: tuple[str, ...],
    first: date,
    end: date,
    bound: LedgerBound,
    inputs: PanelInputs | None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(catalog, spending postings booked in [first, end] with their measure).

    The panel inputs hold the same postings, tagged with the same catalog under the same bound,
    over the outcome indicator's span (`panel_inputs` tags from its first period's start to its
    last period's end). Where that span covers [first, end] they are reused: tagging is per
    posting, so a wider span tags each posting alike, and tagging again would repeat the
    report's most expensive query.
    """
    start, stop = pd.Timestamp(first), pd.Timestamp(end)
    if inputs is not None:
        span_start = pd.Timestamp(inputs.values["period_start"].min())
        span_end = pd.Timestamp(inputs.values["period_end"].max())
        if span_start <= start and span_end >= stop:
            postings = inputs.tagged.postings
            booked = pd.to_datetime(postings["booking_date"])
            return inputs.tagged.measures, postings[(booked >= start) & (booked <= stop)]
    tagged = tag_spending(
        connection, patterns, first, end, bound.master_import_id, bound.posting_id
    )
    return tagged.measures, tagged.postings


def _evaluate(
    app: AppContext, inputs: PanelInputs, program: str, small: set[str], minimum: int
) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """(the evaluate JSON, None) or (None, why there is no estimate)."""
    outcome = app.settings.report.outcome
    try:
        panel = panel_of(inputs, program=program)
        if not panel.frame["spending_cents"].any():
            return None, NO_DISTRICT_SPENDING.to_dict()
        frame = panel.frame.rename(columns={"value": outcome})
        evaluation = evaluate_panel(
            frame, outcome, "district", "time", "cohort", EvaluationOptions(), program=program
        ).to_dict()
    except (MethodUnavailable, PanelError, ValueError) as exc:
        return None, _why(exc).to_dict()
    treated = sorted({str(k) for keys in (evaluation.get("cohorts") or {}).values() for k in keys})
    if treated and set(treated) <= small:
        withheld = Caveat("withheld_small", {"districts": ", ".join(treated), "n": minimum})
        return None, withheld.to_dict()
    configured = app.settings.indicators.get(outcome)
    if configured is not None:
        evaluation |= {"indicator_name": configured.name, "indicator_unit": configured.unit}
    return evaluation, None
