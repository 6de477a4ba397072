"""How far may trends have diverged after the start before the claimed effect falls?

A committee reading "the programme lowered the SGB II rate" should know how much that rests on
parallel trends. Rambachan & Roth's (2023) breakdown value answers it in the indicator's own
terms: the result holds as long as the treated and comparison districts' trends diverged after
the start by at most M̄ times as much as they did, at worst, between consecutive periods before
it (`evaluation.did.honest_sensitivity`, relative magnitudes, HonestDiD's default C-LF method).

Target: the average of the post-period event-time effects in the window −4 … +4 around the start
(three pre-period effects before the reference period −1, the first five post periods).
Input: the universal-base event study (pre-period effects relative to the period before the
start) with its covariance from the small-cohort-corrected influence values
(`staggered_randomization`). Why a window: the number of linear programmes behind the robust
interval grows steeply with the pre- and post-periods (about 0.2 s for 3 + 4, 0.5 s for 4 + 6,
20 s for 8 + 9 on this machine), event times far from the start rest on the few earliest or
latest cohorts, and HonestDiD analyses restrict the window in the same way.

Consistency with the headline: the breakdown is only reported where the headline test rejects
(a robust interval cannot rescue a result the exact test does not support), so the report never
says "would hold up to M̄ = 1.4" of an effect it calls indistinguishable from chance.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from evaluation.did.honest_sensitivity import breakdown_mbar

METHOD = "relative magnitudes (Rambachan & Roth 2023)"
# The event-time window of the analysis (see the module docstring).
MAX_PRE_PERIODS = 3
MAX_POST_PERIODS = 5
# M̄ is reported to one decimal; the search stops when the bracket is this narrow.
TOLERANCE = 0.01


@dataclass(frozen=True)
class TrendSensitivity:
    """breakdown_mbar: largest M̄ at which the 95 % robust interval for the post-period average
    excludes zero; None with a reason code where it never does ("not_significant", "excludes_zero
    _only_under_parallel_trends") or cannot be computed ("no_pre_periods", "singular_covariance",
    "not_event_study")."""

    breakdown_mbar: float | None
    method: str = METHOD
    reason: str | None = None

    def to_dict(self) -> dict[str, float | str | None]:
        value = self.breakdown_mbar
        finite = value is not None and math.isfinite(value)
        return {
            "breakdown_mbar": round(value, 2) if finite else None,
            "method": self.method,
            "reason": self.reason if finite or value is None else "beyond_search",
        }


def trend_sensitivity(
    event_time: pd.DataFrame, covariance: pd.DataFrame, significant: bool, alpha: float = 0.05
) -> TrendSensitivity:
    """Breakdown M̄ for the average post-period effect of a universal-base event study.

    event_time: columns rel_time and att (reference −1 absent); covariance: indexed by rel_time.
    significant: whether the headline test rejected at alpha.
    """
    if not significant:
        return TrendSensitivity(None, reason="not_significant")
    pre = sorted(int(e) for e in event_time["rel_time"] if e <= -2)[-MAX_PRE_PERIODS:]
    post = sorted(int(e) for e in event_time["rel_time"] if e >= 0)[:MAX_POST_PERIODS]
    if not pre:
        return TrendSensitivity(None, reason="no_pre_periods")
    order = pre + post
    beta = event_time.set_index("rel_time").loc[order, "att"].to_numpy(dtype=float)
    sigma = covariance.loc[order, order].to_numpy(dtype=float)
    if np.linalg.matrix_rank(sigma) < len(order):
        return TrendSensitivity(None, reason="singular_covariance")
    value = breakdown_mbar(beta, sigma, len(pre), len(post), alpha, tolerance=TOLERANCE)
    if value is None:
        return TrendSensitivity(None, reason="robust_interval_covers_zero")
    return TrendSensitivity(value)
