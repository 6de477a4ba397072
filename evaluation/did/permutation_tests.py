"""Randomization (permutation) tests from a statistic's values under reassignment.

Shared by the Callaway & Sant'Anna default (`staggered_randomization`) and synthetic DiD's
placebo-rank inference (`synthetic_randomization`): both compare an observed statistic with its
values when the treatment is given to other districts, and derive the p-value, the critical
value behind the confidence interval and the minimum detectable effect from those values alone.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.stats import norm

POWER = 0.8
_TIE = 1e-9


@dataclass(frozen=True)
class DetectableEffect:
    """Smallest effect (outcome units, absolute) detected with `power` at level `alpha`.

    effect is None where the design can never reach the level (reason "too_few_assignments").
    """

    effect: float | None
    power: float
    alpha: float
    reason: str | None = None

    def to_dict(self) -> dict[str, float | str | None]:
        effect = self.effect if self.effect is not None and math.isfinite(self.effect) else None
        return {"effect": effect, "power": self.power, "alpha": self.alpha, "reason": self.reason}


def normal_detectable_effect(se: float, alpha: float, power: float = POWER) -> DetectableEffect:
    """(z_{1−α/2} + z_power) · se (Bloom 1995), for inference that rests on the normal."""
    if not math.isfinite(se) or se <= 0:
        return DetectableEffect(None, power, alpha, "no_standard_error")
    return DetectableEffect(se * (norm.ppf(1 - alpha / 2) + norm.ppf(power)), power, alpha)


def critical_value(null_stats: np.ndarray, alpha: float) -> float:
    """Smallest c with: |t| > c ⟺ p ≤ alpha, from the reassignments' |t| (observed excluded).

    p = (1 + #{|t_b| ≥ |t|}) / (B + 1) ≤ alpha allows k − 1 exceedances, k = ⌊alpha (B + 1)⌋,
    so c is the k-th largest |t_b|; infinite when k = 0 (no result can reach the level).
    """
    values = np.sort(np.abs(null_stats[np.isfinite(null_stats)]))[::-1]
    k = math.floor(alpha * (values.size + 1) + 1e-9)
    return float(values[k - 1]) if k >= 1 else math.inf


def randomization_pvalue(observed: float, null_stats: np.ndarray) -> float:
    """(1 + #{s_b ≥ s}) / (B + 1) for a statistic where large is extreme."""
    others = null_stats[np.isfinite(null_stats)]
    return (1 + int((others >= observed * (1 - _TIE)).sum())) / (1 + others.size)


def detectable_effect(
    null_t: np.ndarray, se: float, alpha: float, power: float = POWER
) -> DetectableEffect:
    """se · (c − q_{1−power}) with the null distribution of t symmetrized (see module)."""
    c = critical_value(null_t, alpha)
    finite = null_t[np.isfinite(null_t)]
    if not math.isfinite(c) or not math.isfinite(se):
        return DetectableEffect(None, power, alpha, "too_few_assignments")
    quantile = float(np.quantile(np.concatenate([finite, -finite]), 1 - power))
    return DetectableEffect(se * (c - quantile), power, alpha)
