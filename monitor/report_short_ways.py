"""The report's "Kurze Wege" sections: `access` and `siting` for every place type in force.

Computed like the commands (`monitor.places_inputs`, `monitor.footpaths`, `evaluation.access`,
`evaluation.siting`) with the report's master-data bound, so a rerun shows the same. Distances
are walked along the city's footpaths where the settings name its network (`[places]
network`, read once per report), in a straight line otherwise, as `access` and `siting` measure
without `--network`. Per type: people within
WITHIN metres of the nearest place, counted as people in need where the report's outcome
indicator (`[report] outcome`, e.g. the SGB II rate) can weight them, else as residents; and the
SUGGESTED places that would reach the most of those not reached yet, with the curve.
A ledger without places, or without residents to measure from, has no such section.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import Connection

from ledger.facility_store import place_types
from monitor.context import AppContext, UserError
from monitor.footpaths import city_footpaths, distance_kind, reach, walked_to_candidates
from monitor.places_commands import default_candidates, solve_siting
from monitor.places_inputs import POPULATION, short_way_inputs
from reports.short_ways_data import DistrictReach, ShortWaysSection, SuggestedPlace

WITHIN = 1000
SUGGESTED = 2


def short_ways_sections(
    app: AppContext, connection: Connection, as_of: int | None
) -> tuple[ShortWaysSection, ...]:
    """One section per place type in force (in type order); none without places or residents."""
    kinds = place_types(connection, as_of)
    paths = city_footpaths(app.settings) if kinds else None
    sections = []
    for kind in kinds:
        section = _section(app, connection, kind, as_of, paths)
        if section is not None:
            sections.append(section)
    return tuple(sections)


def _section(
    app: AppContext, connection: Connection, kind: str, as_of: int | None, paths: Any
) -> ShortWaysSection | None:
    outcome = app.settings.report.outcome
    inputs = None
    for weight in dict.fromkeys(w for w in (outcome, POPULATION) if w):
        try:
            inputs = short_way_inputs(connection, app.settings, kind, None, weight, as_of)
            break
        except UserError:  # the outcome cannot weight (no values, no unit): count residents
            continue
    if inputs is None:
        return None
    reached = reach(inputs, WITHIN, paths)
    names = dict(zip(inputs.districts["district"], inputs.districts["name"], strict=True))
    candidates = default_candidates(inputs.residents)
    walked = walked_to_candidates(paths, reached, candidates, WITHIN)
    solved = (
        solve_siting(reached, candidates, WITHIN, SUGGESTED, walked) if len(candidates) else None
    )
    residents = reached.residents
    far = residents[~residents["covered"]]
    indicator = app.settings.indicators.get(inputs.weight)
    before = round(reached.total["covered"])
    return ShortWaysSection(
        kind=kind,
        name=app.settings.places.name(kind),
        within=WITHIN,
        period=inputs.period,
        weight=inputs.weight,
        weight_name=None
        if inputs.weight == POPULATION
        else (indicator.name if indicator and indicator.name else inputs.weight),
        residents_from=inputs.residents_from,
        districts=tuple(
            DistrictReach(
                key=row.district,
                name=row.name,
                people=round(row.people),
                covered=round(row.covered),
                share=None if row.share is None else float(row.share),
                mean_distance_m=None if row.mean_distance_m is None else round(row.mean_distance_m),
                need_class=row.need_class,
            )
            for row in reached.districts.itertuples(index=False)
        ),
        people=round(reached.total["people"]),
        covered=before,
        places=tuple(zip(inputs.places["x"], inputs.places["y"], strict=True)),
        uncovered=tuple(zip(far["x"], far["y"], far["people"], strict=True)),
        suggested=()
        if solved is None
        else tuple(
            SuggestedPlace(
                x=float(candidates["x"].iloc[c]),
                y=float(candidates["y"].iloc[c]),
                district=_code(candidates["district"].iloc[c]),
                district_name=names.get(_code(candidates["district"].iloc[c]) or ""),
                newly_covered=round(newly),
            )
            for c, newly in zip(solved.best.chosen, solved.best.newly_covered, strict=True)
        ),
        covered_after=before if solved is None else round(solved.covered_after),
        curve=()
        if solved is None
        else tuple(
            (size, round(solved.covered_before + step.gain))
            for size, step in enumerate(solved.curve, start=1)
        ),
        optimal=solved is None or solved.optimal,
        distance=distance_kind(paths),
        network=None if paths is None else Path(app.settings.places.network).name,
    )


def _code(value: object) -> str | None:
    return None if value is None or pd.isna(value) else str(value)
