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

`siting --network` needs every resident's distance to every candidate site instead:
`walking_distance_matrix`, one Dijkstra run per site's node, joined the same way.

Pure: arrays in (metres), arrays out.
"""

from __future__ import annotations

import numpy as np
from scipy.sparse import coo_matrix, csr_matrix
from scipy.sparse.csgraph import dijkstra
from scipy.spatial import cKDTree

# Sites per batch of Dijkstra runs in `walking_distance_matrix` (each row: one float per node).
_CHUNK = 256


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
    tree = cKDTree(nodes)
    place_snap, place_node = tree.query(places, k=1)
    point_snap, point_node = tree.query(points, k=1)
    source = len(nodes)  # the virtual source, joined to every place's node
    graph = _footpaths(len(nodes) + 1, np.concatenate([u, v, np.full(len(places), source)]),
                       np.concatenate([v, u, place_node]),
                       np.concatenate([length, length, place_snap]))  # fmt: skip
    reached = dijkstra(graph, directed=True, indices=source)
    return point_snap + reached[point_node]


def walking_distance_matrix(
    nodes: np.ndarray,
    u: np.ndarray,
    v: np.ndarray,
    length: np.ndarray,
    points: np.ndarray,
    sites: np.ndarray,
    limit: float = np.inf,
) -> np.ndarray:
    """The walking distance (metres) from every point (n×2) to every site (m×2), n×m, joined to
    the network as in `walking_distances` (`siting --network`); infinite where a site cannot
    be reached or lies farther than `limit` (a bound that lets Dijkstra stop early). One
    Dijkstra run per network node that holds a site, in chunks, so memory stays at a chunk
    times the network's nodes."""
    points = np.asarray(points, dtype=float).reshape(-1, 2)
    sites = np.asarray(sites, dtype=float).reshape(-1, 2)
    matrix = np.full((len(points), len(sites)), np.inf)
    if len(points) == 0 or len(sites) == 0:
        return matrix
    tree = cKDTree(nodes)
    site_snap, site_node = tree.query(sites, k=1)
    point_snap, point_node = tree.query(points, k=1)
    graph = _footpaths(len(nodes), np.concatenate([u, v]), np.concatenate([v, u]),
                       np.concatenate([length, length]))  # fmt: skip
    starts, site_start = np.unique(site_node, return_inverse=True)
    for first in range(0, len(starts), _CHUNK):
        chunk = starts[first : first + _CHUNK]
        reached = dijkstra(graph, directed=True, indices=chunk, limit=limit)[:, point_node]
        columns = np.flatnonzero((site_start >= first) & (site_start < first + len(chunk)))
        matrix[:, columns] = reached[site_start[columns] - first].T
    matrix += point_snap[:, None] + site_snap[None, :]
    matrix[matrix > limit] = np.inf
    return matrix


def _footpaths(size: int, rows: np.ndarray, columns: np.ndarray, weights: np.ndarray) -> csr_matrix:
    """The network as a sparse directed graph of `size` nodes, the shortest of parallel
    segments kept."""
    # A zero length would vanish from a sparse matrix (it means "no edge"): a place on a node,
    # or two nodes at one position, are joined by a length too small to matter instead.
    weights = np.maximum(weights, 1e-9)
    # A sparse matrix would add up parallel segments between two nodes; keep the shortest.
    order = np.lexsort((weights, columns, rows))
    rows, columns, weights = rows[order], columns[order], weights[order]
    first = np.ones(len(rows), dtype=bool)
    first[1:] = (rows[1:] != rows[:-1]) | (columns[1:] != columns[:-1])
    return coo_matrix((weights[first], (rows[first], columns[first])), shape=(size, size)).tocsr()
