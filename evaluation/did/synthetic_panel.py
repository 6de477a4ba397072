"""The unit × period matrix that synthetic difference-in-differences works on.

Synthetic DiD needs a balanced panel: every unit observed in every period. Rows without an
outcome are left out and units that then lack a period are dropped (both reported as caveats);
input that cannot be a block or staggered adoption design raises ValueError. Rows are ordered as
R `synthdid::panel.matrices` orders them: the donors (never treated) sorted by their label, then
the treated units, here by start period and label. A unit's start is its first period with
treated = 1; it must stay treated from then on. Treated units with fewer than two periods before
their start are left out (with a warning), as R `did` drops units treated from the first period.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from evaluation.caveat_codes import Caveat
from evaluation.did import warnings as caveats

# Two periods before each start at least: the noise level σ that scales the regularisation is the
# spread of period-to-period changes before the start.
MIN_PRE_PERIODS = 2
MIN_DONORS = 2


@dataclass(frozen=True)
class SyntheticPanel:
    """A balanced panel ready for estimation.

    outcomes: units × periods, rows in the order of `units`, columns in the order of `periods`
    (ascending). The first `n_donors` rows are never treated; each later row i is treated from
    column `starts[i - n_donors]` on (its number of pre-periods).
    """

    outcomes: np.ndarray
    units: pd.Index
    periods: pd.Index
    n_donors: int
    starts: np.ndarray
    caveats: tuple[Caveat, ...]

    @property
    def donors(self) -> np.ndarray:
        return np.arange(self.n_donors)

    def cohort_rows(self) -> dict[int, np.ndarray]:
        """Start column → row indices of the units treated from then on, ascending starts."""
        rows = np.arange(self.n_donors, len(self.units))
        return {int(s): rows[self.starts == s] for s in np.unique(self.starts)}


def _numeric(column: pd.Series, name: str) -> np.ndarray:
    try:
        return pd.to_numeric(column).to_numpy(dtype=float)
    except (TypeError, ValueError) as error:
        raise ValueError(f"column {name!r} must be numeric: {error}") from None


def _label(value: object) -> str:
    return str(value.item() if hasattr(value, "item") else value)


def prepare_synthetic_panel(
    data: pd.DataFrame, outcome: str, unit: str, time: str, treated: str
) -> SyntheticPanel:
    """Validate, balance and order the panel; see the module docstring for the rules."""
    missing = [c for c in dict.fromkeys((outcome, unit, time, treated)) if c not in data.columns]
    if missing:
        raise ValueError(f"columns not in the data: {', '.join(missing)}")
    frame = pd.DataFrame(
        {
            "unit": data[unit].to_numpy(),
            "time": data[time].to_numpy(),
            "y": _numeric(data[outcome], outcome),
            "d": _numeric(data[treated], treated),
        }
    )
    no_outcome = frame["y"].isna()
    no_other = frame[["unit", "time", "d"]].isna().any(axis=1) & ~no_outcome
    notes = caveats.missing_rows(outcome, int(no_outcome.sum()), int(no_other.sum()))
    frame = frame[~(no_outcome | no_other)]
    if not frame["d"].isin((0.0, 1.0)).all():
        raise ValueError(f"column {treated!r} must be 0 or 1 (1 in treated unit-periods)")
    duplicated = int(frame.duplicated(["unit", "time"]).sum())
    if duplicated:
        raise ValueError(f"{duplicated} unit-period pairs appear more than once")

    y = frame.pivot(index="unit", columns="time", values="y").sort_index(axis=1)
    y = y.rename_axis(index=unit, columns=time)
    d = frame.pivot(index="unit", columns="time", values="d").reindex_like(y)
    complete = y.notna().all(axis=1)
    if not complete.all():
        dropped = ", ".join(_label(u) for u in y.index[~complete])
        notes.append(
            Caveat(
                "incomplete_units",
                {"n": int((~complete).sum()), "periods": y.shape[1], "units": dropped},
            )
        )
        y, d = y[complete], d[complete]
    if y.empty:
        raise ValueError("no unit has an outcome in every period")

    on = d.to_numpy() == 1.0
    ever = on.any(axis=1)
    first = np.where(ever, on.argmax(axis=1), y.shape[1])
    after_start = np.arange(y.shape[1])[None, :] >= first[:, None]
    if (after_start & ~on).any():
        switching = ", ".join(_label(u) for u in y.index[(after_start & ~on).any(axis=1)])
        raise ValueError(
            f"treatment must stay on once it starts (block or staggered adoption); it stops "
            f"again for {switching}"
        )
    if not ever.any():
        raise ValueError(f"no unit-period has {treated!r} = 1: nothing to evaluate")
    if (~ever).sum() < MIN_DONORS:
        raise ValueError(
            f"synthetic DiD needs at least {MIN_DONORS} never-treated units as donors, "
            f"found {int((~ever).sum())}"
        )
    early = ever & (first < MIN_PRE_PERIODS)
    if early.any():
        names = ", ".join(_label(u) for u in y.index[early])
        if early.sum() == ever.sum():
            raise ValueError(
                f"every treated unit needs at least {MIN_PRE_PERIODS} periods before its start; "
                f"{names} start(s) too early"
            )
        notes.append(
            Caveat("short_history", {"n": int(early.sum()), "k": MIN_PRE_PERIODS, "units": names})
        )
        ever = ever & ~early

    donor_rows = np.flatnonzero(~ever & ~early)
    treated_rows = np.flatnonzero(ever)
    treated_rows = treated_rows[np.argsort(first[treated_rows], kind="stable")]
    order = np.concatenate([donor_rows, treated_rows])
    return SyntheticPanel(
        outcomes=y.to_numpy(dtype=float)[order],
        units=y.index[order],
        periods=y.columns,
        n_donors=int(donor_rows.size),
        starts=first[treated_rows],
        caveats=tuple(notes),
    )
