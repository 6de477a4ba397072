"""Turning a long panel into the balanced unit × period matrix that Callaway & Sant'Anna needs.

The rules follow R `did`'s pre-processing so that results agree with it: units without an outcome
in every period are dropped (balanced panel), cohorts after the last period count as never
treated, units treated in the first period are dropped (they have no untreated period to compare),
and without never-treated units the not-yet-treated design uses the latest cohort as the
comparison group and leaves out the periods from its start on. Every such step is reported as a
caveat (a code and its numbers); input that cannot be a staggered panel raises ValueError
(CaveatError, with a reason code, where the report explains it).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from evaluation.caveat_codes import Caveat, CaveatError


@dataclass(frozen=True)
class StaggeredPanel:
    """A balanced panel ready for estimation.

    outcomes: units × periods (rows in the order of `units`, columns in the order of `periods`).
    unit_cohort: each unit's first treated period; 0 = never treated (also for a latest cohort
    that only serves as comparison). treated_groups: the cohorts that get ATT(g, t), ascending.
    """

    outcomes: np.ndarray
    periods: np.ndarray
    unit_cohort: np.ndarray
    treated_groups: np.ndarray
    units: pd.Index
    caveats: tuple[Caveat, ...]


def _numeric(column: pd.Series, name: str) -> pd.Series:
    try:
        return pd.to_numeric(column).astype(float)
    except (TypeError, ValueError) as error:
        raise ValueError(f"column {name!r} must be numeric: {error}") from None


def _period(value: float) -> str:
    return f"{value:g}"


def prepare_staggered_panel(
    data: pd.DataFrame, outcome: str, unit: str, time: str, cohort: str, control: str
) -> StaggeredPanel:
    """Validate and balance the panel; see the module docstring for the rules."""
    missing = [c for c in dict.fromkeys((outcome, unit, time, cohort)) if c not in data.columns]
    if missing:
        raise ValueError(f"columns not in the data: {', '.join(missing)}")
    frame = pd.DataFrame(
        {
            "unit": data[unit].to_numpy(),
            "time": _numeric(data[time], time).to_numpy(),
            "y": _numeric(data[outcome], outcome).to_numpy(),
            "cohort": _numeric(data[cohort], cohort).fillna(0.0).to_numpy(),
        }
    )
    if frame["unit"].isna().any() or frame["time"].isna().any():
        raise ValueError(f"columns {unit!r} and {time!r} must not have missing values")
    if (frame["cohort"] < 0).any():
        raise ValueError(f"column {cohort!r} must be a first treated period, 0 or empty (never)")
    duplicated = int(frame.duplicated(["unit", "time"]).sum())
    if duplicated:
        raise ValueError(f"{duplicated} unit-period pairs appear more than once")
    varying = frame.groupby("unit", sort=False)["cohort"].nunique()
    if (varying > 1).any():
        raise ValueError(
            f"the cohort must be the same in every row of a unit; it varies for "
            f"{int((varying > 1).sum())} units (e.g. {varying.index[varying > 1][0]!r})"
        )

    notes: list[Caveat] = []
    observed = frame[np.isfinite(frame["y"])]
    periods = np.sort(observed["time"].unique())
    rows_per_unit = observed.groupby("unit", sort=False).size()
    complete = rows_per_unit.index[rows_per_unit == periods.size]
    balanced = observed[observed["unit"].isin(complete)]
    if len(balanced) < len(frame):
        incomplete = frame["unit"].nunique() - complete.size
        notes.append(
            Caveat(
                "balanced",
                {"n": len(frame) - len(balanced), "units": incomplete, "periods": periods.size},
            )
        )

    wide = balanced.pivot(index="unit", columns="time", values="y").sort_index()
    unit_cohort = (
        balanced.groupby("unit")["cohort"].first().reindex(wide.index).to_numpy(dtype=float)
    )
    if wide.empty:
        raise ValueError("no unit has an outcome in every period")

    late = unit_cohort > periods[-1]
    if late.any():
        notes.append(Caveat("late_start", {"n": int(late.sum()), "last": _period(periods[-1])}))
        unit_cohort = np.where(late, 0.0, unit_cohort)

    treated_groups = np.unique(unit_cohort[unit_cohort > 0])
    if not (unit_cohort == 0).any():
        if control == "never":
            raise CaveatError(Caveat("no_never_treated_control"))
        latest = treated_groups.max()
        keep_periods = periods < latest
        if keep_periods.sum() < 2:
            raise ValueError("no never-treated units and too few periods before the last cohort")
        notes.append(Caveat("last_cohort_control", {"cohort": _period(latest)}))
        periods = periods[keep_periods]
        wide = wide.loc[:, keep_periods]
        treated_groups = treated_groups[treated_groups < latest]

    first_treated = (unit_cohort > 0) & (unit_cohort <= periods[0])
    if first_treated.any():
        notes.append(
            Caveat(
                "treated_first_period",
                {"n": int(first_treated.sum()), "first": _period(periods[0])},
            )
        )
        wide = wide.loc[~first_treated]
        unit_cohort = unit_cohort[~first_treated]
        treated_groups = treated_groups[treated_groups > periods[0]]

    if treated_groups.size == 0:
        raise CaveatError(Caveat("treated_from_start"))
    return StaggeredPanel(
        outcomes=wide.to_numpy(dtype=float),
        periods=periods,
        unit_cohort=unit_cohort,
        treated_groups=treated_groups,
        units=wide.index,
        caveats=tuple(notes),
    )
