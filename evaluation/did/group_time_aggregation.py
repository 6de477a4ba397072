"""Aggregating group-time effects ATT(g, t) into summary effects, as R `did::aggte` does.

Each aggregate is a weighted average of ATT(g, t) cells. Where the weights are cohort shares
estimated from the data ("simple", per event time, per calendar year, the overall "group"
effect), their sampling error enters the influence function too (Callaway & Sant'Anna 2021,
appendix on aggregation); averages with fixed weights ("group" per cohort, the overall "dynamic"
and "calendar" effects) simply average the influence functions.

All influence functions are n × k arrays with one row per unit, on the scale where
se = sqrt(mean(IF²) / n).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class GroupTimeEffects:
    """All ATT(g, t) of one panel with what the aggregations need.

    group, time: cohort (first treated period) and calendar period of each cell.
    att: the cell effects; influence: n × cells, one row per unit.
    unit_cohort: each unit's cohort (0 = never treated); cohort_share: for each cell, the share
    of all n units that belong to its cohort, P(G = g).
    """

    group: np.ndarray
    time: np.ndarray
    att: np.ndarray
    influence: np.ndarray
    unit_cohort: np.ndarray
    cohort_share: np.ndarray

    @property
    def post(self) -> np.ndarray:
        return self.time >= self.group


@dataclass(frozen=True)
class Aggregated:
    """One aggregation: per-key effects (empty for "simple") and the overall effect.

    keys: event time, cohort or calendar period. influence: n × keys; overall_influence: n.
    """

    keys: np.ndarray
    att: np.ndarray
    influence: np.ndarray
    overall: float
    overall_influence: np.ndarray


def _weight_influence(
    unit_cohort: np.ndarray, cell_group: np.ndarray, share: np.ndarray
) -> np.ndarray:
    """Influence of estimating the weights share / sum(share) on the aggregate (n × cells).

    The weights are P(G = g) / Σ P(G = g'); their influence is the derivative of that ratio
    applied to the centred indicators 1{G_i = g} − P(G = g), numerator and denominator.
    """
    total = share.sum()
    centred = (unit_cohort[:, None] == cell_group[None, :]).astype(float) - share[None, :]
    return centred / total - centred.sum(axis=1, keepdims=True) * (share / total**2)[None, :]


def _share_weighted(effects: GroupTimeEffects, cells: np.ndarray) -> tuple[float, np.ndarray]:
    """Cohort-size weighted mean of the chosen cells and its influence function."""
    share = effects.cohort_share[cells]
    weights = share / share.sum()
    att = effects.att[cells]
    influence = (
        effects.influence[:, cells] @ weights
        + _weight_influence(effects.unit_cohort, effects.group[cells], share) @ att
    )
    return float(weights @ att), influence


def _collect(parts: list[tuple[float, np.ndarray]], n: int) -> tuple[np.ndarray, np.ndarray]:
    att = np.array([value for value, _ in parts])
    influence = np.column_stack([inf for _, inf in parts]) if parts else np.empty((n, 0))
    return att, influence


def aggregate_simple(effects: GroupTimeEffects) -> Aggregated:
    """All post-treatment cells, weighted by cohort size."""
    overall, influence = _share_weighted(effects, np.flatnonzero(effects.post))
    n = effects.influence.shape[0]
    return Aggregated(np.array([]), np.array([]), np.empty((n, 0)), overall, influence)


def aggregate_group(effects: GroupTimeEffects) -> Aggregated:
    """Per cohort the plain mean of its post-treatment cells; overall weighted by cohort size."""
    n = effects.influence.shape[0]
    keys = np.unique(effects.group)
    parts = []
    for g in keys:
        cells = np.flatnonzero((effects.group == g) & effects.post)
        parts.append((float(effects.att[cells].mean()), effects.influence[:, cells].mean(axis=1)))
    att, influence = _collect(parts, n)
    share = np.array([effects.cohort_share[effects.group == g][0] for g in keys])
    weights = share / share.sum()
    overall_influence = (
        influence @ weights + _weight_influence(effects.unit_cohort, keys, share) @ att
    )
    return Aggregated(keys, att, influence, float(weights @ att), overall_influence)


def aggregate_dynamic(effects: GroupTimeEffects) -> Aggregated:
    """Per event time e = t − g, cells weighted by cohort size; overall the mean over e ≥ 0.

    Event time is measured in the units of the time column, as R does (t − g on the original
    values), so yearly data give years since the start.
    """
    n = effects.influence.shape[0]
    event = effects.time - effects.group
    keys = np.unique(event)
    parts = [_share_weighted(effects, np.flatnonzero(event == e)) for e in keys]
    att, influence = _collect(parts, n)
    after = keys >= 0
    return Aggregated(
        keys, att, influence, float(att[after].mean()), influence[:, after].mean(axis=1)
    )


def aggregate_calendar(effects: GroupTimeEffects) -> Aggregated:
    """Per calendar period, the cohorts already treated weighted by size; overall their mean."""
    n = effects.influence.shape[0]
    keys = np.unique(effects.time[effects.post])
    parts = [
        _share_weighted(effects, np.flatnonzero((effects.time == t) & effects.post)) for t in keys
    ]
    att, influence = _collect(parts, n)
    return Aggregated(keys, att, influence, float(att.mean()), influence.mean(axis=1))


AGGREGATIONS = {
    "simple": aggregate_simple,
    "group": aggregate_group,
    "dynamic": aggregate_dynamic,
    "calendar": aggregate_calendar,
}
