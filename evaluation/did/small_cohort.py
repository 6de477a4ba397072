"""Small-cohort correction of Callaway & Sant'Anna's influence-function variance.

Why: a city has cohorts of two or three districts. R `did`'s analytic variance (and its
multiplier bootstrap, which perturbs the same influence functions) divides each group's sum of
squares by the group size N, not N − 1. With N = 2 that halves the group's variance, and in the
simulation study (docs/simulation-study.md) the default intervals then reject 8–10 % of placebo
measures instead of 5 %. The correction below is the unbiased (Welch) two-sample variance,
carried through the aggregations.

Derivation, one cell. Without covariates ATT(g, t) = mean_T ΔY − mean_C ΔY, T the N_T units of
cohort g and C the N_C comparison units, ΔY_i the unit's outcome change between the two compared
periods. Its influence function (`staggered.group_time_effects`) is ψ_i = n(ΔY_i − μ_T)/N_T on T
and −n(ΔY_i − μ_C)/N_C on C, and the analytic variance Σ ψ_i² / n² is

    V̂ = Σ_T (ΔY_i − μ_T)² / N_T² + Σ_C (ΔY_i − μ_C)² / N_C² = σ̂²_T / N_T + σ̂²_C / N_C

with plug-in variances σ̂² (divisor N). Units are independent and, within a group, identically
distributed, so E Σ_T (ΔY_i − μ_T)² = (N_T − 1) σ²_T and E V̂ = (1 − 1/N_T) σ²_T/N_T +
(1 − 1/N_C) σ²_C/N_C: too small by half for a group of two, by a third for three. Multiplying
each unit's ψ_i by sqrt(N/(N − 1)), N the size of the group it belongs to in that cell, turns σ̂²
into the sample variance s² (divisor N − 1): V̂_c = s²_T/N_T + s²_C/N_C, unbiased for the
variance of a difference of two independent means (the variance of Welch's test).

Aggregates. An aggregate is θ̂ = Σ_k w_k ATT_k, and its influence function is ψ_i = a_i + b_{G_i}:
a_i = Σ_k w_k ψ_ik from the cells, b_{G_i} the part from estimating the cohort-share weights,
which depends on the unit's cohort G_i only (`group_time_aggregation._weight_influence`). With
never-treated comparison units a unit belongs to the same group h (its cohort, or the
never-treated) in every cell it enters, so a_i = ±(n/N_h)(Z_i − Z̄_h) with Z_i = Σ_k w_k ΔY_ik
over those cells: a fixed linear statistic of the unit's outcomes, centred within h. Then
Σ_i ψ_i² = Σ_h [Σ_{i∈h} a_i² + N_h b_h²] without cross terms, and scaling the cell influence
functions as above gives Σ_h s²_{Z,h}/N_h for the cell part: unbiased for the variance of
Σ_h ±Z̄_h given the group sizes (which fix the weights), exactly as in a single cell. The weight
part b is left as R computes it: it vanishes when all ATT(g, t) in the aggregate are equal (as
under the null of no effect) and otherwise adds the variability of the cohort shares, which a
design with fixed cohort sizes does not have, so it only makes the intervals more conservative.

Not-yet-treated comparison units. The comparison group of cell (g, t) is the never-treated plus
the cohorts not yet treated in either compared period; it shrinks as t grows, and a unit of a late
cohort is a comparison unit in early cells and a treated unit in its own. Here N is the size of
the set the unit's ψ is centred in within that cell: N_T for a treated unit, N_{C,gt} (that
cell's comparison units) for a comparison unit. Every single ATT(g, t) then gets exactly the
Welch variance, and so does every pair of cells that use the same set. For two cells k, l whose
sets are nested, S_l ⊂ S_k (sizes N_l ≤ N_k), a unit in both contributes a cross product with
E = σ_kl (1 − 1/N_l) instead of σ_kl under plug-in; after the correction the factor is
sqrt((1 − 1/N_l)/(1 − 1/N_k)) ≤ 1, which leaves a downward bias of about (1/N_l − 1/N_k)/2 on
that term instead of 1/N_l: sound, because it removes most of the bias everywhere and all of it
in the diagonal terms that dominate; it is an approximation, not an exact unbiased estimator.

A group of a single unit has no estimable variance: its ψ_i is exactly zero in that cell (the
unit is its own mean), with or without the correction. Its factor is set to 1 (no division by
zero), and `staggered` says in the result's warnings that the standard errors leave that unit's
variability out.
"""

from __future__ import annotations

from typing import Literal

import numpy as np

# "cohort": each group's variance with divisor N − 1 (see above); None: plug-in, as R `did`.
SmallSample = Literal["cohort"] | None
SMALL_SAMPLE = ("cohort", None)


def welch_scale(count: int) -> float:
    """sqrt(N / (N − 1)): multiplies the influence values of a group of N units; 1 for N = 1."""
    return float(np.sqrt(count / (count - 1))) if count > 1 else 1.0


def describe(small_sample: SmallSample) -> str:
    """How the group variances were computed, for the result's inference text."""
    if small_sample == "cohort":
        return (
            "small-cohort correction: each cohort's and each comparison group's variance with "
            "divisor N − 1 (Welch)"
        )
    return "no small-sample correction (group variances with divisor N, as R did)"
