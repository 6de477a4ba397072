"""The canonical 2 × 2 difference-in-differences by regression.

y = β0 + β1·treated + β2·post + β3·treated·post + u: β3 is the change in the treated group minus
the change in the control group (Wooldridge, Introductory Econometrics, Example 13.3).
Errors: CR1 when `cluster` names a column (fixest's factor G/(G−1)·(N−1)/(N−K), t with G−1 df),
HC1 with robust=True, classical otherwise (both with N−K df).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from evaluation.did import warnings as caveats
from evaluation.did.panel import complete_rows
from evaluation.did.results import Estimate
from evaluation.did.variance import fit_linear
from evaluation.did.within import codes_of


def _indicator(frame: pd.DataFrame, column: str) -> np.ndarray:
    values = frame[column].to_numpy(dtype=float)
    if not np.isin(values, (0.0, 1.0)).all():
        raise ValueError(f"{column!r} must be 0/1 (or boolean)")
    return values


def two_by_two(
    data: pd.DataFrame,
    outcome: str,
    treated: str,
    post: str,
    cluster: str | None = None,
    robust: bool = False,
) -> Estimate:
    """DiD estimate from a 0/1 group indicator `treated` and a 0/1 period indicator `post`."""
    used = [treated, post, *([cluster] if cluster else [])]
    frame, notes = complete_rows(data, outcome, used)
    d, p = _indicator(frame, treated), _indicator(frame, post)
    x = np.column_stack([np.ones_like(d), d, p, d * p])
    if np.linalg.matrix_rank(x) < 4:
        raise ValueError("every treated × post cell needs observations for a 2×2 DiD")
    y = frame[outcome].to_numpy(dtype=float)
    codes = codes_of(frame[cluster].to_numpy())[0] if cluster else None
    fit = fit_linear(y, x, k_count=4, cluster_codes=codes, robust=robust, cluster_name=cluster)
    coef, se = float(fit.coef[3]), float(np.sqrt(fit.vcov[3, 3]))
    crit = float(stats.t.ppf(0.975, fit.df_t))
    pvalue = float(2 * stats.t.sf(abs(coef / se), fit.df_t))
    if cluster:
        treated_clusters = frame.loc[d == 1, cluster].nunique()
        control_clusters = frame.loc[d == 0, cluster].nunique()
        notes += caveats.cluster_counts(fit.nclusters, treated_clusters, control_clusters)
    return Estimate(
        estimate=coef,
        se=se,
        ci_low=coef - crit * se,
        ci_high=coef + crit * se,
        pvalue=pvalue,
        nobs=fit.nobs,
        nclusters=fit.nclusters,
        method="two_by_two",
        inference=fit.description,
        inference_code=fit.inference_code,
        caveats=tuple(notes),
    )
