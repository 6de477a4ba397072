"""Walking distance over a footpath network instead of the straight line (`access --network`).

Residents and places are joined to the network at its nearest node (a k-d tree), and the short
stretch from the point to that node is walked in a straight line. The distance of a resident to
the nearest place is then

    snap(resident) + min over places p of (network(node(resident), node(p)) + snap(p)),

computed for all residents at once by one Dijkstra run (scipy.sparse.csgraph) from a virtual
source joined to every place's node by that place's snap distance. Segments are straight lines
measured in the same metric CRS as the points, so a walking distance is never shorter than the
straight line (the triangle inequality), and a resident whose node cannot reach any place's
node (a separate piece of the network) is infinitely far.

Pure: arrays in (metres), arrays out.
"""

from __future__ import annotations

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import dijkstra
from scipy.spatial import cKDTree


def walking_distances(
    nodes: np.ndarray,
    u: np.ndarray,
    v: np.ndarray,
    length: np.ndarray,
    points: np.ndarray,
    places: np.ndarray,
) -> np.ndarray:
    """The walking distance (metres) from each point (n×2) to its nearest place (m×2) over the
    network (nodes k×2; segments u–v of `length`, both ways); infinite without any place."""
    points = np.asarray(points, dtype=float).reshape(-1, 2)
    places = np.asarray(places, dtype=float).reshape(-1, 2)
    if len(places) == 0:
        return np.full(len(points), np.inf)
    if len(points) == 0:
        return np.zeros(0)
    k = len(nodes)
    tree = cKDTree(nodes)
    place_snap, place_node = tree.query(places, k=1)
    point_snap, point_node = tree.query(points, k=1)
    source = k  # the virtual source, joined to every place's node
    rows = np.concatenate([u, v, np.full(len(places), source)])
    columns = np.concatenate([v, u, place_node])
    # A zero length would vanish from a sparse matrix (it means "no edge"): a place on a node,
    # or two nodes at one position, are joined by a length too small to matter instead.
    weights = np.maximum(np.concatenate([length, length, place_snap]), 1e-9)
    # A sparse matrix would add up parallel segments between two nodes; keep the shortest.
    order = np.lexsort((weights, columns, rows))
    rows, columns, weights = rows[order], columns[order], weights[order]
    first = np.ones(len(rows), dtype=bool)
    first[1:] = (rows[1:] != rows[:-1]) | (columns[1:] != columns[:-1])
    graph = coo_matrix(
        (weights[first], (rows[first], columns[first])), shape=(k + 1, k + 1)
    ).tocsr()
    reached = dijkstra(graph, directed=True, indices=source)
    return point_snap + reached[point_node]
