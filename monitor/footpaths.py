"""The city's walking network, wired into `access` and `siting` in one place for every door.

`access`, `siting` and the report's "Kurze Wege" section measure alike: along the footpaths of
an OpenStreetMap extract where the city has one (`--network FILE`, else `[places] network` in
the settings), in a straight line otherwise. This module reads the extract and hands its
segments to the pure distance functions of `evaluation.walking`, in the shape
`evaluation.access.access` and the siting solvers take them; the doors only say which network.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from monitor.context import UserError
from monitor.settings import Settings

# The measure, as `access --json` and `siting --json` name it in "distance" (SPEC §9).
STRAIGHT_LINE, WALKING = "straight_line", "walking"


def city_footpaths(settings: Settings, network: Path | None = None) -> Any:
    """The walking network the city measures with (`imports.geodata.walking_network`'s
    WalkingNetwork, in the ledger's CRS): the `network` file, else the settings' `[places]
    network`; None (straight lines) without either."""
    chosen = network or (Path(settings.places.network) if settings.places.network else None)
    return None if chosen is None else read_footpaths(chosen)


def read_footpaths(path: Path) -> Any:
    """The walkable segments of an OpenStreetMap extract, in the ledger's CRS; a German
    UserError naming the file when it is missing or no extract."""
    from imports.geodata import STORAGE_CRS
    from imports.geodata.walking_network import NetworkUnavailable, read_walking_network

    if not path.is_file():
        raise UserError.said("cli.places.network_missing", file=str(path))
    try:
        return read_walking_network(path, STORAGE_CRS)
    except NetworkUnavailable as exc:
        raise UserError.refusing(exc) from None
    except (OSError, ValueError) as exc:
        raise UserError(str(exc)) from None


def distance_kind(paths: Any) -> str:
    """How distances are measured with `paths` (None: in a straight line)."""
    return STRAIGHT_LINE if paths is None else WALKING


def reach(inputs: Any, within: float, paths: Any = None) -> Any:
    """`evaluation.access.access` of `monitor.places_inputs.ShortWayInputs`: every resident
    point's distance to the nearest place, along `paths` where given, else straight."""
    from evaluation.access import access
    from evaluation.walking import walking_distances

    if paths is None:
        return access(inputs.residents, inputs.places, inputs.districts, within)
    measure = partial(walking_distances, paths.nodes, paths.u, paths.v, paths.length)
    return access(inputs.residents, inputs.places, inputs.districts, within, measure)


def walked_to_candidates(
    paths: Any, reached: Any, candidates: pd.DataFrame, limit: float
) -> np.ndarray | None:
    """The walking distance from every resident point of `reached` (an Access) to every
    candidate site, infinite beyond `limit` metres (Dijkstra stops there); None without a
    network or without candidates (the solvers then measure straight lines)."""
    from evaluation.walking import walking_distance_matrix

    if paths is None or candidates.empty:
        return None
    return walking_distance_matrix(
        paths.nodes,
        paths.u,
        paths.v,
        paths.length,
        reached.residents[["x", "y"]].to_numpy(float),
        candidates[["x", "y"]].to_numpy(float),
        limit=limit,
    )
