"""Placebo-rank inference for synthetic DiD: one or two treated districts, honestly.

Why not the placebo standard error. Arkhangelsky et al.'s Algorithm 4 turns the spread of
placebo estimates into a standard error and a normal interval. With one or two treated
districts among a city's twenty the placebo estimates are few and not normal, and that interval
called 7.8–8.7 % of placebo programmes significant at 5 % (docs/simulation-study.md, issue 14).
Here the placebo estimates are used directly, as in Conley & Taber (2011) and Abadie, Diamond &
Hainmueller's (2010) in-space placebos: the real treated districts' start periods are given to
other, never-treated districts (every distinct placement when there are at most `limit`, else
`limit` random ones), the estimate is recomputed each time with the remaining never-treated
districts as donors, and

- p-value = (1 + #{|τ_b| ≥ |τ̂|}) / (B + 1), exact when the treated districts were chosen at
  random among the districts (and very nearly so in the donors' sample, which is one placement
  smaller for the placebos);
- 95 % interval = τ̂ ± c, c the k-th largest |τ_b| with k = ⌊0.05 (B + 1)⌋: the set of effects
  β0 for which the same rank test on τ̂ − β0 does not reject, so it excludes 0 exactly when
  p ≤ 0.05, and it is unbounded when the placements are too few for any rejection (fewer than
  19 never-treated districts with one treated district);
- minimum detectable effect = c − q_{0.2} of the symmetrized placebo estimates.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from evaluation.did.permutation_tests import (
    DetectableEffect,
    critical_value,
    detectable_effect,
    randomization_pvalue,
)
from evaluation.did.randomization import assignment_count, distinct_assignments
from evaluation.did.synthetic_cohorts import CohortFit, Draw, aggregate, refit
from evaluation.did.synthetic_inference import placebo_draws
from evaluation.did.synthetic_panel import SyntheticPanel

# Placements solved at most: every distinct one below this many, else this many random ones.
PLACEMENTS = 199


@dataclass(frozen=True)
class PlaceboRank:
    """The placebo-rank test of one synthetic-DiD estimate (see the module docstring)."""

    se: float
    pvalue: float
    ci_low: float
    ci_high: float
    replicates: np.ndarray
    enumerated: bool
    mde: DetectableEffect
    description: str


def placebo_rank(
    panel: SyntheticPanel,
    fits: list[CohortFit],
    estimate: float,
    alpha: float,
    seed: int,
    limit: int = PLACEMENTS,
) -> PlaceboRank:
    """Rank the estimate among the same estimate with the treatment placed on donors."""
    draws, enumerated = _placements(panel, fits, limit, seed)
    estimates, counts = refit(panel.outcomes, fits, draws)
    replicates = aggregate(estimates, counts, fits, panel.outcomes.shape[1])
    c = critical_value(replicates, alpha)
    how = (
        f"all {len(draws)} placements of the treated units' start periods on never-treated units"
        if enumerated
        else f"{len(draws)} random placements of the treated units' start periods on "
        "never-treated units"
    )
    return PlaceboRank(
        se=float(np.std(replicates)),
        pvalue=randomization_pvalue(abs(estimate), np.abs(replicates)),
        ci_low=estimate - c,
        ci_high=estimate + c,
        replicates=replicates,
        enumerated=enumerated,
        mde=detectable_effect(replicates, 1.0, alpha),
        description=(
            f"randomization inference: placebo ranks (Conley & Taber 2011), {how}, the estimate "
            f"recomputed each time; p-value = rank of |estimate| among them; "
            f"{100 * (1 - alpha):g} % interval = estimate ± the placebo estimates' critical value"
        ),
    )


def _placements(
    panel: SyntheticPanel, fits: list[CohortFit], limit: int, seed: int
) -> tuple[list[Draw], bool]:
    """Every distinct placement of the cohorts' sizes on the donors, or `limit` random ones."""
    sizes = [f.treated.size for f in fits]
    labels = np.zeros(panel.n_donors, dtype=int)
    labels[: sum(sizes)] = np.repeat(np.arange(1, len(fits) + 1), sizes)
    if panel.n_donors <= sum(sizes):
        return [], True
    if assignment_count(labels) > limit:
        return placebo_draws(panel, fits, limit, seed), False
    draws = []
    for row in distinct_assignments(labels):
        controls = np.flatnonzero(row == 0)
        draws.append(tuple((controls, np.flatnonzero(row == k + 1)) for k in range(len(fits))))
    return draws, True
