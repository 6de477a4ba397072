"""The district × period panel that the evaluation works on, built from ledger and master data.

One row per district and period of the indicator's own frequency (year, quarter or month): the
indicator value (missing stays missing), population, spending attributed to the district from
the selected measures, and the treatment cohort — the first period with such spending.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd
from sqlalchemy import Connection

from ledger.master_store import districts, indicator_values, population
from ledger.spending import Tagged, tag_spending

_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


class PanelError(ValueError):
    """The panel cannot be built (no such indicator, program or measure).

    code and values, where set, say why as data (the evaluation's reason codes, e.g.
    "no_indicator_values" with the indicator), for the report to word in its language.
    """

    def __init__(self, message: str, code: str | None = None, **values: str) -> None:
        super().__init__(message)
        self.code = code
        self.values = values


@dataclass(frozen=True)
class DistrictPanel:
    """frame columns: district, period (label), time (int: year, or year·4+q−1, or year·12+m−1),
    value, population, spending_cents, per_capita (euros per inhabitant, float), cohort (the
    `time` of the first period with spending; 0 = never)."""

    indicator: str
    frequency: str
    selection: str
    frame: pd.DataFrame
    missing_values: int


def period_time(label: str) -> tuple[str, int]:
    """("year" | "quarter" | "month", sortable integer) of a period label."""
    if re.fullmatch(r"\d{4}", label):
        return "year", int(label)
    if match := _QUARTER.match(label):
        return "quarter", int(match[1]) * 4 + int(match[2]) - 1
    if match := _MONTH.match(label):
        return "month", int(match[1]) * 12 + int(match[2]) - 1
    raise PanelError(f"period {label!r} is not a year, quarter or month")


def _period_of(days: pd.Series, frequency: str) -> pd.Series:
    stamps = pd.to_datetime(days)
    if frequency == "year":
        return stamps.dt.year.astype(str)
    if frequency == "quarter":
        return stamps.dt.year.astype(str) + "-Q" + stamps.dt.quarter.astype(str)
    return stamps.dt.strftime("%Y-%m")


@dataclass(frozen=True)
class PanelInputs:
    """What every panel of one indicator is built from: read once, shared by all selections.

    values: the indicator's rows (district, period, period_start, period_end, value); tagged:
    spending postings over the indicator's whole time span with their measures and district
    amounts; codes: the district list in force; population: the population table.
    """

    indicator: str
    frequency: str
    values: pd.DataFrame
    tagged: Tagged
    codes: list[str]
    population: pd.DataFrame


def panel_inputs(
    connection: Connection,
    indicator: str,
    spending_accounts: tuple[str, ...],
    *,
    as_of: int | None = None,
    upto_posting: int | None = None,
) -> PanelInputs:
    """Read the indicator, the district list, population and tagged spending.

    as_of: master data as of that import (None: newest); upto_posting: postings as the ledger
    held them when that was its newest posting (None: now).
    """
    every = indicator_values(connection, as_of)
    values = every[every["indicator"] == indicator]
    if values.empty:
        known = ", ".join(sorted(set(every["indicator"])))
        raise PanelError(
            f"no values for indicator {indicator!r}; known indicators: {known or 'none'}",
            "no_indicator_values",
            indicator=str(indicator),
            known=known or "none",
        )
    frequencies = {period_time(p)[0] for p in values["period"]}
    if len(frequencies) > 1:
        raise PanelError(f"indicator {indicator!r} mixes frequencies {sorted(frequencies)}")
    start = _as_date(min(values["period_start"]))
    end = _as_date(max(values["period_end"]))
    return PanelInputs(
        indicator=indicator,
        frequency=frequencies.pop(),
        values=values,
        tagged=tag_spending(connection, spending_accounts, start, end, as_of, upto_posting),
        codes=list(districts(connection, as_of)["code"]),
        population=population(connection, as_of),
    )


def build_panel(
    connection: Connection,
    indicator: str,
    spending_accounts: tuple[str, ...],
    *,
    program: str | None = None,
    measure: str | None = None,
    as_of: int | None = None,
    upto_posting: int | None = None,
) -> DistrictPanel:
    inputs = panel_inputs(
        connection, indicator, spending_accounts, as_of=as_of, upto_posting=upto_posting
    )
    return panel_of(inputs, program=program, measure=measure)


def panel_of(
    inputs: PanelInputs, *, program: str | None = None, measure: str | None = None
) -> DistrictPanel:
    """The panel of one program or measure (exactly one of them) from the shared inputs."""
    tagged, frequency, values = inputs.tagged, inputs.frequency, inputs.values
    chosen = _selected_measures(tagged.measures, program, measure)
    # Ids as integers on both sides: empty frames (no postings) come typed object and float64,
    # which pandas refuses to merge.
    allocated = (
        tagged.allocation[
            tagged.allocation["district"].notna() & tagged.allocation["measure"].isin(chosen)
        ]
        .astype({"posting_id": "int64"})
        .merge(
            tagged.postings[["id", "booking_date"]].astype({"id": "int64"}),
            left_on="posting_id",
            right_on="id",
        )
    )
    allocated = allocated.assign(period=_period_of(allocated["booking_date"], frequency))
    spent = allocated.groupby(["district", "period"])["allocated_cents"].sum()

    periods = sorted(set(values["period"]), key=lambda p: period_time(p)[1])
    grid = pd.MultiIndex.from_product(
        [inputs.codes, periods], names=["district", "period"]
    ).to_frame(index=False)
    grid["time"] = grid["period"].map(lambda p: period_time(p)[1])
    grid = grid.merge(
        values[["district", "period", "value"]], on=["district", "period"], how="left"
    )
    grid["population"] = _population(inputs.population, grid)
    grid["spending_cents"] = [
        int(spent.get((d, p), 0)) for d, p in zip(grid["district"], grid["period"], strict=True)
    ]
    grid["per_capita"] = grid["spending_cents"] / 100 / grid["population"].replace(0, np.nan)
    first = grid[grid["spending_cents"] > 0].groupby("district")["time"].min()
    grid["cohort"] = grid["district"].map(first).fillna(0).astype("int64")
    return DistrictPanel(
        indicator=inputs.indicator,
        frequency=frequency,
        selection=program or measure or "",
        frame=grid,
        missing_values=int(grid["value"].isna().sum()),
    )


def _as_date(value: object) -> date:
    return pd.Timestamp(value).date()


def _selected_measures(
    measures: pd.DataFrame, program: str | None, measure: str | None
) -> set[str]:
    if (program is None) == (measure is None):
        raise PanelError("select exactly one of a program or a measure")
    if measure is not None:
        if measure not in set(measures["code"]):
            raise PanelError(f"no measure {measure!r} in the catalog")
        return {measure}
    chosen = set(measures.loc[measures["program"] == program, "code"])
    if not chosen:
        programs = ", ".join(sorted({p for p in measures["program"] if isinstance(p, str)}))
        raise PanelError(f"no program {program!r} in the catalog; programs: {programs}")
    return chosen


def _population(known: pd.DataFrame, grid: pd.DataFrame) -> pd.Series:
    """The newest population at or before each period (a year's figure serves its quarters):
    per district, the last figure in period order whose year is at most the period's year."""
    if known.empty:
        return pd.Series(np.nan, index=grid.index)
    newest_per_year = (
        known.assign(year=known["period"].str[:4].astype(int))
        .sort_values(["year", "period"])
        .drop_duplicates(["district", "year"], keep="last")
    )
    wanted = grid[["district"]].assign(
        year=grid["period"].str[:4].astype(int), row=np.arange(len(grid))
    )
    found = pd.merge_asof(
        wanted.sort_values("year"),
        newest_per_year[["district", "year", "population"]],
        on="year",
        by="district",
        direction="backward",
    ).sort_values("row")
    return pd.Series(found["population"].astype(float).to_numpy(), index=grid.index)
