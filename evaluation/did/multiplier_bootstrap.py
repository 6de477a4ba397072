"""Multiplier bootstrap of influence functions, as R `did::mboot` does it.

Every Callaway & Sant'Anna estimate is asymptotically linear: estimate − truth ≈ mean of a per-unit
influence function. The multiplier bootstrap perturbs that mean with i.i.d. weights of mean 0 and
variance 1 drawn once per unit, so it is clustered at the unit level by construction and needs no
re-estimation. Standard errors come from the interquartile range of the draws (robust to heavy
tails), and the sup-t critical value gives confidence bands that cover a whole set of effects at
once (Callaway & Sant'Anna 2021, section 4.1).

With Rademacher weights the draws have variance Σ ψ_i² / n², the analytic variance of the same
influence functions ψ; so when `staggered` hands over influence functions with the small-cohort
correction (evaluation.did.small_cohort), the bootstrap inherits it without a change here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from scipy.stats import norm

Multipliers = Literal["rademacher", "mammen"]

# R `did` treats a bootstrap scale at or below this as degenerate (a constant effect).
DEGENERATE = float(np.sqrt(np.finfo(float).eps) * 10)
# Interquartile range of the standard normal: turns an IQR into a standard deviation.
NORMAL_IQR = float(norm.ppf(0.75) - norm.ppf(0.25))
# Bound on draws × units held in memory at once (about 40 MB of float64).
CHUNK_CELLS = 5_000_000


@dataclass(frozen=True)
class BootstrapDraws:
    """Bootstrap replicates of sqrt(n) · (estimate* − estimate), one column per influence function.

    replicates: draws × columns. n: number of units (the clusters).
    """

    replicates: np.ndarray
    n: int

    def se(self) -> np.ndarray:
        """IQR-based standard errors (R's bSigma / sqrt(n)); NaN for degenerate columns."""
        return self.scale() / np.sqrt(self.n)

    def scale(self) -> np.ndarray:
        draws = np.sort(self.replicates, axis=0)
        count = draws.shape[0]
        # R's quantile(type = 1): the order statistic x_(ceil(B·p)).
        upper = draws[int(np.ceil(0.75 * count)) - 1]
        lower = draws[int(np.ceil(0.25 * count)) - 1]
        scale = (upper - lower) / NORMAL_IQR
        degenerate = (self.replicates**2).sum(axis=0) <= DEGENERATE
        scale[degenerate | (scale <= DEGENERATE)] = np.nan
        return scale

    def sup_t_critical_value(self, columns: np.ndarray | slice, alpha: float) -> float:
        """Critical value of a (1 − alpha) uniform band over the chosen columns.

        Per draw the largest |replicate / scale| over the columns; its (1 − alpha) quantile
        (type 1, as R). Degenerate columns are left out, as R does. Never below the pointwise
        normal value: R falls back to pointwise intervals when the band would be narrower.
        """
        pointwise = float(norm.ppf(1 - alpha / 2))
        replicates = self.replicates[:, columns]
        scale = self.scale()[columns]
        keep = np.isfinite(scale)
        if not keep.any():
            return pointwise
        t_max = np.abs(replicates[:, keep] / scale[keep]).max(axis=1)
        t_max = np.sort(t_max[np.isfinite(t_max)])
        value = float(t_max[int(np.ceil((1 - alpha) * t_max.size)) - 1])
        return max(value, pointwise)


def multiplier_weights(
    rng: np.random.Generator, shape: tuple[int, int], multipliers: Multipliers
) -> np.ndarray:
    """I.i.d. weights with mean 0 and variance 1.

    Rademacher (±1 with probability ½, what R `did` draws) or Mammen's two-point weights, which
    also match the third moment and suit skewed influence functions.
    """
    if multipliers == "rademacher":
        return rng.integers(0, 2, size=shape, dtype=np.int8).astype(float) * 2.0 - 1.0
    if multipliers == "mammen":
        root5 = np.sqrt(5.0)
        low, high = (1 - root5) / 2, (1 + root5) / 2
        p_low = (root5 + 1) / (2 * root5)
        return np.where(rng.random(shape) < p_low, low, high)
    raise ValueError(f"multipliers must be 'rademacher' or 'mammen', not {multipliers!r}")


def multiplier_bootstrap(
    influence: np.ndarray, draws: int, seed: int, multipliers: Multipliers = "rademacher"
) -> BootstrapDraws:
    """Bootstrap all columns of an n × k influence-function matrix with the same unit weights.

    Sharing the weights across columns keeps the joint distribution of the effects, which the
    sup-t band needs, and makes the whole result reproducible from one seed. Draws are generated
    in chunks so that memory stays bounded for large panels.
    """
    if draws < 1:
        raise ValueError(f"draws must be a positive number of bootstrap replications, not {draws}")
    influence = np.asarray(influence, dtype=float)
    n = influence.shape[0]
    rng = np.random.default_rng(seed)
    chunk = max(1, CHUNK_CELLS // max(n, 1))
    parts = []
    for start in range(0, draws, chunk):
        weights = multiplier_weights(rng, (min(chunk, draws - start), n), multipliers)
        parts.append(weights @ influence / np.sqrt(n))
    return BootstrapDraws(replicates=np.vstack(parts), n=n)
