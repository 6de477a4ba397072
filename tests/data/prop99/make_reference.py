"""Regenerate the synthdid-py reference files beside this script (not run by the tests).

    .venv/bin/pip install synthdid-py==0.1.0
    .venv/bin/python tests/data/prop99/make_reference.py

synthdid-py is a line-by-line Python port of the authors' R package `synthdid`; its estimates
equal R's (-15.60383, -19.61966, -27.34911). Written here, for each estimator (sdid, sc, did):
- reference_weights.csv: the unit weights ω (kind "unit", label = state) and time weights λ
  (kind "time", label = year) of synthdid_estimate / sc_estimate / did_estimate;
- reference_estimates.csv: the estimate, the placebo standard error with 200 replications and
  random_state=0, and the standard deviation (divisor n) of the in-space placebos;
- reference_placebos.csv: the in-space placebo estimate of each donor state, i.e. R's
  placebo_se theta(ind) with that state as the last index (treated), the other donors in their
  order before it: the values among which every placebo replication draws;
- reference_resampling.csv: jackknife and bootstrap standard errors (50 replications,
  random_state=0) on the same data with Alabama and Wyoming marked treated from 1989 as well,
  so that three units are treated (both are undefined with one).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from synthdid import (
    did_estimate,
    load_california_prop99,
    panel_matrices,
    sc_estimate,
    synthdid_estimate,
)
from synthdid.estimate import refit
from synthdid.utils import sum_normalize

HERE = Path(__file__).parent
ESTIMATORS = {"sdid": synthdid_estimate, "sc": sc_estimate, "did": did_estimate}
EXTRA_TREATED = ("Alabama", "Wyoming")


def main() -> None:
    panel = panel_matrices(load_california_prop99())
    weights, estimates, placebos = [], [], []
    for name, estimator in ESTIMATORS.items():
        tau = estimator(panel.Y, panel.N0, panel.T0)
        for unit, w in zip(panel.units[: panel.N0], tau.weights.omega, strict=True):
            weights.append((name, "unit", unit, repr(float(w))))
        for year, w in zip(panel.time[: panel.T0], tau.weights.lambda_, strict=True):
            weights.append((name, "time", int(year), repr(float(w))))
        in_space = []
        for j in range(panel.N0):
            order = np.r_[np.delete(np.arange(panel.N0), j), j]
            start = tau.weights.copy()
            start.omega = sum_normalize(tau.weights.omega[order[:-1]])
            value = float(refit(tau, Y=panel.Y[order], N0=panel.N0 - 1, T0=panel.T0, weights=start))
            in_space.append(value)
            placebos.append((name, panel.units[j], repr(value)))
        se = float(tau.se(method="placebo", replications=200, random_state=0))
        estimates.append((name, repr(float(tau)), repr(se), repr(float(np.std(in_space)))))
    pd.DataFrame(weights, columns=["estimator", "kind", "label", "weight"]).to_csv(
        HERE / "reference_weights.csv", index=False
    )
    pd.DataFrame(
        estimates, columns=["estimator", "estimate", "placebo_se_seed0", "in_space_sd"]
    ).to_csv(HERE / "reference_estimates.csv", index=False)
    pd.DataFrame(placebos, columns=["estimator", "unit", "estimate"]).to_csv(
        HERE / "reference_placebos.csv", index=False
    )

    data = load_california_prop99()
    data.loc[data["State"].isin(EXTRA_TREATED) & (data["Year"] >= 1989), "treated"] = 1
    panel = panel_matrices(data)
    resampling = []
    for name, estimator in ESTIMATORS.items():
        tau = estimator(panel.Y, panel.N0, panel.T0)
        jackknife = float(tau.se(method="jackknife"))
        boot = float(tau.se(method="bootstrap", replications=50, random_state=0))
        resampling.append((name, repr(float(tau)), repr(jackknife), repr(boot)))
    pd.DataFrame(
        resampling, columns=["estimator", "estimate", "jackknife_se", "bootstrap_se_seed0_50"]
    ).to_csv(HERE / "reference_resampling.csv", index=False)


if __name__ == "__main__":
    main()
