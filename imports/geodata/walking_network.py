"""A city's footpaths from an OpenStreetMap extract (`access --network FILE.osm.pbf`).

Optional: read with pyrosm (`pip install budget-impact-monitor[network]`), which parses the
OSM PBF format and keeps the ways a pedestrian may use (its "walking" filter: footways, paths,
residential streets …, not motorways or ways tagged foot=no). pyrosm splits every way at its
nodes, so each edge is one straight segment between two OSM nodes; its length is measured here
in the metric CRS the caller names (EPSG:25832 in the ledger), so that network and straight-line
distances are measured alike and the network distance can never be shorter than the straight
line. Footpaths are two-way.

Pure with respect to the ledger: a file in, frozen arrays out.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from imports.problems import ProblemError, problem


class NetworkUnavailable(ProblemError):
    """pyrosm is not installed, or the file holds no walkable way."""


@dataclass(frozen=True)
class WalkingNetwork:
    """nodes: k×2 coordinates (metres, in `crs`); edges: u, v (row numbers into nodes) and
    length (metres) of every segment, each usable both ways."""

    crs: str
    nodes: np.ndarray
    u: np.ndarray
    v: np.ndarray
    length: np.ndarray


def read_walking_network(path: Path, crs: str) -> WalkingNetwork:
    """The walkable segments of an OSM PBF extract, projected to `crs` (a metric CRS)."""
    try:
        from pyrosm import OSM
        from pyrosm.exceptions import PBFException
    except ImportError as exc:  # optional dependency
        raise NetworkUnavailable(problem("pyrosm_missing")) from exc
    try:
        found = OSM(str(path)).get_network(network_type="walking", nodes=True)
    except (PBFException, OSError, ValueError) as exc:  # not an OSM PBF file, or unreadable
        raise NetworkUnavailable(
            problem("in_file", file=path.name, detail=problem("not_osm_extract", reason=str(exc)))
        ) from None
    if found is None or found[1] is None or len(found[1]) == 0:
        raise NetworkUnavailable(
            problem("in_file", file=path.name, detail=problem("no_walkable_ways"))
        )
    nodes, edges = found
    nodes = nodes.drop_duplicates("id").set_crs("EPSG:4326", allow_override=True).to_crs(crs)
    row = {node: i for i, node in enumerate(nodes["id"].to_numpy())}
    known = edges["u"].isin(row.keys()) & edges["v"].isin(row.keys())
    edges = edges[known].set_crs("EPSG:4326", allow_override=True).to_crs(crs)
    return WalkingNetwork(
        crs=crs,
        nodes=np.column_stack([nodes.geometry.x.to_numpy(), nodes.geometry.y.to_numpy()]),
        u=edges["u"].map(row).to_numpy(np.int64),
        v=edges["v"].map(row).to_numpy(np.int64),
        length=edges.geometry.length.to_numpy(float),
    )
