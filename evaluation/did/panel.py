"""From a long panel DataFrame to a fitted two-way fixed-effects regression.

Shared by `twfe` and `event_study`: drop incomplete rows (and say how many), code units, periods
and clusters, drop fixed-effect singletons, absorb unit and period effects, drop regressors that
the fixed effects make redundant, and fit with the requested variance estimator.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from evaluation.caveat_codes import Caveat
from evaluation.did import warnings as caveats
from evaluation.did.variance import LinearFit, fit_linear, independent_columns, parameter_count
from evaluation.did.within import TwoWayWithin, codes_of, nested_in, non_singleton_rows


@dataclass(frozen=True)
class PanelFit:
    """A fitted TWFE regression and everything inference needs to refit or resample it.

    frame: the rows used, in model order. y, x: outcome and regressors after absorbing the fixed
    effects, scaled by √weight. names: regressor names (collinear ones dropped, see `dropped`).
    unit_codes, time_codes: 0.. per row, numbering `units` and `times` (the sorted distinct
    values). cluster_codes: 0..G−1 per row, or None for classical/HC errors.
    """

    frame: pd.DataFrame
    y: np.ndarray
    x: np.ndarray
    names: tuple[str, ...]
    dropped: tuple[str, ...]
    within: TwoWayWithin
    unit_codes: np.ndarray
    time_codes: np.ndarray
    units: np.ndarray
    times: np.ndarray
    cluster_codes: np.ndarray | None
    fit: LinearFit
    caveats: tuple[Caveat, ...]


def complete_rows(
    data: pd.DataFrame, outcome: str, columns: Sequence[str]
) -> tuple[pd.DataFrame, list[Caveat]]:
    """Rows with every needed value present, and caveats counting what was dropped."""
    needed = list(dict.fromkeys([outcome, *columns]))
    missing = [c for c in needed if c not in data.columns]
    if missing:
        raise KeyError(f"columns not in data: {missing}")
    frame = data[needed]
    no_outcome = frame[outcome].isna()
    no_other = frame.drop(columns=[outcome]).isna().any(axis=1) & ~no_outcome
    kept = frame[~(no_outcome | no_other)].reset_index(drop=True)
    return kept, caveats.missing_rows(outcome, int(no_outcome.sum()), int(no_other.sum()))


def fit_panel(
    frame: pd.DataFrame,
    outcome: str,
    unit: str,
    time: str,
    regressors: pd.DataFrame,
    *,
    cluster: str | None = None,
    weights: str | None = None,
    first_is_key: bool = True,
) -> PanelFit:
    """Two-way FE regression of frame[outcome] on regressors (rows aligned with frame).

    first_is_key: the first regressor is the one of interest and must not be silently dropped;
    if the fixed effects absorb it, that is an error in the design. Other regressors that the
    fixed effects (or earlier regressors) explain are dropped and listed in `dropped`.
    """
    unit_codes, units = codes_of(frame[unit].to_numpy())
    time_codes, times = codes_of(frame[time].to_numpy())
    cells = np.sort(unit_codes * times.size + time_codes)
    if (cells[1:] == cells[:-1]).any():
        raise ValueError(f"several rows per ({unit}, {time}); aggregate the panel first")
    keep = non_singleton_rows(unit_codes, time_codes)
    notes = caveats.singletons_dropped(int((~keep).sum()))
    if not keep.all():
        frame = frame[keep].reset_index(drop=True)
        regressors = regressors[keep].reset_index(drop=True)
        unit_codes, units = codes_of(frame[unit].to_numpy())
        time_codes, times = codes_of(frame[time].to_numpy())
    w = None
    if weights is not None:
        w = frame[weights].to_numpy(dtype=float)
        if (w <= 0).any():
            raise ValueError(f"weights in {weights!r} must be positive")
    within = TwoWayWithin.build(unit_codes, time_codes, w)
    sw = within.sqrt_weights
    raw = regressors.to_numpy(dtype=float)
    x_all = sw[:, None] * within.absorb(raw)
    centred = raw - np.average(raw, axis=0, weights=within.weights)
    reference = ((sw[:, None] * centred) ** 2).sum(axis=0)
    kept = independent_columns(x_all, reference)
    names = list(regressors.columns)
    if first_is_key and (kept.size == 0 or kept[0] != 0):
        raise ValueError(
            f"{names[0]!r} is fully explained by the unit and period fixed effects "
            "(it does not vary within units over time relative to other units)"
        )
    dropped = tuple(names[j] for j in range(len(names)) if j not in set(kept.tolist()))
    y = sw * within.absorb(frame[outcome].to_numpy(dtype=float))
    x = x_all[:, kept]
    cluster_codes = None
    nested = [False, False]
    if cluster is not None:
        cluster_codes = unit_codes if cluster == unit else codes_of(frame[cluster].to_numpy())[0]
        nested = [nested_in(unit_codes, cluster_codes), nested_in(time_codes, cluster_codes)]
    k_count = parameter_count(x.shape[1], [units.size, times.size], nested)
    fit = fit_linear(y, x, k_count=k_count, cluster_codes=cluster_codes, cluster_name=cluster)
    return PanelFit(
        frame=frame,
        y=y,
        x=x,
        names=tuple(names[j] for j in kept),
        dropped=dropped,
        within=within,
        unit_codes=unit_codes,
        time_codes=time_codes,
        units=units,
        times=times,
        cluster_codes=cluster_codes,
        fit=fit,
        caveats=tuple(notes),
    )


def first_treated(panel: PanelFit, treated: np.ndarray) -> tuple[np.ndarray, int]:
    """Each unit's first period with treated[row] (0 = never), and how many units switch off.

    Returned per unit code (the order of panel.units), in the dtype of panel.times. A unit
    "switches off" when, after its first treated period, some later period is untreated.
    """
    never = panel.times.size
    first = np.full(panel.units.size, never)
    np.minimum.at(first, panel.unit_codes[treated], panel.time_codes[treated])
    after_start = panel.time_codes >= first[panel.unit_codes]
    switched = np.count_nonzero(np.bincount(panel.unit_codes[after_start & ~treated]))
    starts = np.where(first < never, panel.times[np.minimum(first, never - 1)], 0)
    return starts.astype(panel.times.dtype, copy=False), int(switched)


def pre_periods(panel: PanelFit, unit_starts: np.ndarray) -> dict:
    """Cohort → number of distinct observed periods before its start (over its units' rows).

    unit_starts: start period per unit code (0 = never treated).
    """
    cohorts, cohort_of_unit = np.unique(unit_starts, return_inverse=True)
    start = unit_starts[panel.unit_codes]
    before = (start != 0) & (panel.times[panel.time_codes] < start)
    seen = np.zeros((cohorts.size, panel.times.size), dtype=bool)
    seen[cohort_of_unit[panel.unit_codes[before]], panel.time_codes[before]] = True
    counts = seen.sum(axis=1)
    return {g: int(n) for g, n in zip(cohorts, counts, strict=True) if g != 0}
