"""Standard errors for synthetic DiD: placebo, jackknife and bootstrap, as R `synthdid::vcov`.

- placebo (Algorithm 4 of Arkhangelsky et al. 2021): among the never-treated units, as many as
  there are treated units are drawn at random and treated instead (with staggered starts each
  draws the start of one of the real treated units), the real treated units are left out, and the
  estimate is recomputed; se = √((B − 1)/B) · sd of the B placebo estimates. The only option with
  a single treated unit. It assumes the donors' noise is like the treated units' (homoskedasticity
  across units). With one treated unit there are only as many distinct placebos as donors.
- jackknife (Algorithm 3): every unit left out in turn with the weights held fixed (renormalised
  over the remaining donors). Undefined with a single treated unit (in any cohort) or when one
  donor carries all the weight; R returns NA there, and so do we (NaN, with a warning).
- bootstrap (Algorithm 2): units resampled with replacement (draws without a treated unit or
  without a donor are redrawn), weights re-estimated. Undefined with a single treated unit.

Differences from R that do not change the numbers beyond rounding: R's placebo permutes the
donors' order as well; the order only matters for exact ties in the solver. Random numbers come
from numpy's generator, so individual replications (not their distribution) differ from R's.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from evaluation.caveat_codes import Caveat
from evaluation.did.synthetic_cohorts import CohortFit, Draw, aggregate, refit
from evaluation.did.synthetic_panel import SyntheticPanel

INFERENCE = ("placebo", "jackknife", "bootstrap")
# Below this many treated units the jackknife and bootstrap rest on too few units to be trusted
# (the same threshold as for treated clusters elsewhere in evaluation.did).
MIN_TREATED_FOR_RESAMPLING = 5


@dataclass(frozen=True)
class Uncertainty:
    """A standard error, the replicate estimates behind it and how it was obtained, in words."""

    se: float
    replicates: np.ndarray
    description: str
    caveats: tuple[Caveat, ...] = ()


def _description(inference: str, replications: int, staggered: bool) -> str:
    if inference == "placebo":
        timing = ", each with the start of one of the real treated units" if staggered else ""
        return (
            f"placebo standard error (Arkhangelsky et al. 2021, Algorithm 4): {replications} "
            f"times never-treated units drawn at random were treated instead{timing} and the "
            "estimate recomputed; assumes the treated units' noise is like the donors'"
        )
    if inference == "jackknife":
        return (
            "jackknife standard error with fixed weights (Arkhangelsky et al. 2021, "
            "Algorithm 3): each unit left out in turn"
        )
    return (
        f"bootstrap standard error (Arkhangelsky et al. 2021, Algorithm 2): {replications} "
        "resamples of units with replacement, weights re-estimated in each"
    )


def _one_treated(inference: str, staggered: bool) -> Caveat:
    return Caveat("se_undefined", {"inference": inference, "staggered": staggered})


def _few_treated(inference: str, n_treated: int) -> list[Caveat]:
    if n_treated >= MIN_TREATED_FOR_RESAMPLING:
        return []
    return [Caveat("few_treated_resampling", {"n": n_treated, "inference": inference})]


def placebo_draws(panel: SyntheticPanel, fits: list[CohortFit], replications: int, seed: int):
    """Random placebo assignments: per replication donors and pseudo-treated rows per cohort."""
    rng = np.random.default_rng(seed)
    sizes = [f.treated.size for f in fits]
    n_treated = sum(sizes)
    n_controls = panel.n_donors - n_treated
    edges = np.cumsum([0, *sizes])
    draws: list[Draw] = []
    for _ in range(replications):
        order = rng.permutation(panel.n_donors)
        controls = np.sort(order[:n_controls])
        pseudo = order[n_controls:]
        draws.append(
            tuple((controls, np.sort(pseudo[edges[k] : edges[k + 1]])) for k in range(len(fits)))
        )
    return draws


def in_space_draws(panel: SyntheticPanel, fits: list[CohortFit]) -> list[Draw]:
    """Each donor in turn treated alone (in every cohort's timing), the other donors as donors."""
    donors = panel.donors
    return [tuple((np.delete(donors, j), np.array([j])) for _ in fits) for j in range(donors.size)]


def placebo_and_in_space(
    panel: SyntheticPanel, fits: list[CohortFit], replications: int, seed: int, placebo: bool
) -> tuple[Uncertainty | None, np.ndarray]:
    """Placebo standard error (if asked for) and the in-space placebo estimate of every donor.

    In-space placebos are combined across cohorts with the real cohorts' weights. With one
    treated unit they are exactly the values the placebo replications draw from, solved once.
    """
    n_periods = panel.outcomes.shape[1]
    n_treated = sum(f.treated.size for f in fits)
    sizes = np.array([f.treated.size for f in fits], dtype=float)
    spaces = in_space_draws(panel, fits)
    feasible = placebo and panel.n_donors > n_treated
    draws = placebo_draws(panel, fits, replications, seed) if feasible else []
    estimates, counts = refit(panel.outcomes, fits, [*draws, *spaces])
    in_space = aggregate(
        estimates[len(draws) :], np.broadcast_to(sizes, counts[len(draws) :].shape), fits, n_periods
    )
    if not placebo:
        return None, in_space
    description = _description("placebo", replications, len(fits) > 1)
    if not feasible:
        note = Caveat("placebo_impossible", {"donors": panel.n_donors, "n": n_treated})
        return Uncertainty(np.nan, np.empty(0), description, (note,)), in_space
    replicates = aggregate(estimates[: len(draws)], counts[: len(draws)], fits, n_periods)
    # R: sqrt((B − 1)/B) · sd(replicates), i.e. the standard deviation with divisor B.
    se = float(np.std(replicates))
    return Uncertainty(se, replicates, description), in_space


def jackknife(panel: SyntheticPanel, fits: list[CohortFit]) -> Uncertainty:
    """Fixed-weight jackknife over all units (donors and treated)."""
    n_treated = sum(f.treated.size for f in fits)
    description = _description("jackknife", 0, len(fits) > 1)
    if any(f.treated.size == 1 for f in fits):
        return Uncertainty(
            np.nan, np.empty(0), description, (_one_treated("jackknife", len(fits) > 1),)
        )
    if any(np.count_nonzero(f.omega) == 1 for f in fits):
        note = (
            "The jackknife standard error is not defined when one donor carries all the weight; "
            "none is reported."
        )
        return Uncertainty(np.nan, np.empty(0), description, (note,))
    n_units = panel.outcomes.shape[0]
    donors = panel.donors
    draws: list[Draw] = []
    for left_out in range(n_units):
        kept = donors[donors != left_out]
        draws.append(tuple((kept, f.treated[f.treated != left_out]) for f in fits))
    estimates, counts = refit(panel.outcomes, fits, draws, fixed=True)
    replicates = aggregate(estimates, counts, fits, panel.outcomes.shape[1])
    se = float(np.sqrt((n_units - 1) / n_units * np.sum((replicates - replicates.mean()) ** 2)))
    return Uncertainty(se, replicates, description, tuple(_few_treated("jackknife", n_treated)))


def bootstrap(
    panel: SyntheticPanel, fits: list[CohortFit], replications: int, seed: int
) -> Uncertainty:
    """Unit bootstrap with re-estimated weights; draws lacking treated units or donors redrawn."""
    n_treated = sum(f.treated.size for f in fits)
    description = _description("bootstrap", replications, len(fits) > 1)
    if n_treated == 1:
        return Uncertainty(np.nan, np.empty(0), description, (_one_treated("bootstrap", False),))
    rng = np.random.default_rng(seed)
    n_units = panel.outcomes.shape[0]
    draws: list[Draw] = []
    while len(draws) < replications:
        drawn = np.sort(rng.integers(0, n_units, n_units))
        controls = drawn[drawn < panel.n_donors]
        parts = [drawn[np.isin(drawn, f.treated)] for f in fits]
        if controls.size == 0 or all(p.size == 0 for p in parts):
            continue
        draws.append(tuple((controls, p) if p.size else None for p in parts))
    estimates, counts = refit(panel.outcomes, fits, draws)
    replicates = aggregate(estimates, counts, fits, panel.outcomes.shape[1])
    se = float(np.std(replicates))
    return Uncertainty(se, replicates, description, tuple(_few_treated("bootstrap", n_treated)))
