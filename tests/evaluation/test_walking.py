"""Walking distances (`evaluation.walking`, read by `imports.geodata.walking_network`) on a real
OpenStreetMap extract: the small PBF file pyrosm ships for its own tests (a part of Kouvola,
Finland, © OpenStreetMap contributors, ODbL), projected to ETRS-TM35FIN (EPSG:3067, Finland's
metric CRS).

Checked against an independent computation: networkx's Dijkstra on a graph built from pyrosm's
edge table (OSM node ids), each segment's length the geodesic on the GRS80 ellipsoid between its
nodes' longitudes and latitudes (pyproj.Geod, no projection), points joined to their nearest
node by plain numpy distances. TM35FIN's scale factor (0.9996 on its central meridian, 27° E)
shortens projected lengths here by about 0.04 %, so the two agree to 1e-3. (pyrosm's own
`length` is a haversine on a sphere, 0.2–0.4 % off at 60° N, and is not used.) And the walking
distance is never shorter than the straight line.
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import numpy as np
import pyrosm
import pytest
from pyproj import Geod, Transformer

from evaluation.access import nearest_distances
from evaluation.walking import walking_distance_matrix, walking_distances
from imports.geodata.walking_network import read_walking_network

EXTRACT = Path(pyrosm.__file__).parent / "data" / "test.osm.pbf"
CRS = "EPSG:3067"
GEOD = Geod(ellps="GRS80")


@pytest.fixture(scope="module")
def network():  # type: ignore[no-untyped-def]
    return read_walking_network(EXTRACT, CRS)


@pytest.fixture(scope="module")
def osm_edges():  # type: ignore[no-untyped-def]
    return pyrosm.OSM(str(EXTRACT)).get_network(network_type="walking", nodes=True)


def networkx_distances(
    osm_edges, points_lonlat: np.ndarray, places_lonlat: np.ndarray, crs: str = CRS
) -> np.ndarray:  # type: ignore[no-untyped-def]
    """n×m walking distances by networkx on pyrosm's edge table (geodesic segment lengths);
    snapping by brute force in the metric `crs`; infinite where unreachable."""
    nodes, edges = osm_edges
    where = nodes.drop_duplicates("id").set_index("id")[["lon", "lat"]]
    edges = edges[edges["u"].isin(where.index) & edges["v"].isin(where.index)]
    start, end = where.loc[edges["u"]].to_numpy(), where.loc[edges["v"]].to_numpy()
    _, _, lengths = GEOD.inv(start[:, 0], start[:, 1], end[:, 0], end[:, 1])
    graph = nx.Graph()
    for u, v, length in zip(edges["u"], edges["v"], lengths, strict=True):
        if not graph.has_edge(u, v) or graph[u][v]["weight"] > length:
            graph.add_edge(u, v, weight=float(length))
    nodes = nodes[nodes["id"].isin(list(graph.nodes))]
    to_metric = Transformer.from_crs("EPSG:4326", crs, always_xy=True)
    node_xy = np.column_stack(to_metric.transform(nodes["lon"].to_numpy(), nodes["lat"].to_numpy()))
    ids = nodes["id"].to_numpy()

    def snap(lonlat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        xy = np.column_stack(to_metric.transform(lonlat[:, 0], lonlat[:, 1]))
        gaps = np.sqrt(((xy[:, None, :] - node_xy[None, :, :]) ** 2).sum(axis=2))
        return gaps.min(axis=1), ids[gaps.argmin(axis=1)]

    place_snap, place_node = snap(places_lonlat)
    point_snap, point_node = snap(points_lonlat)
    matrix = np.full((len(points_lonlat), len(places_lonlat)), np.inf)
    for j, (gap, node) in enumerate(zip(place_snap, place_node, strict=True)):
        reached = nx.single_source_dijkstra_path_length(graph, node, weight="weight")
        pairs = zip(point_snap, point_node, strict=True)
        matrix[:, j] = [s + reached.get(n, np.inf) + gap for s, n in pairs]
    return matrix


def _independent(osm_edges, points_lonlat: np.ndarray, places_lonlat: np.ndarray) -> np.ndarray:  # type: ignore[no-untyped-def]
    """The distance to the nearest place, by networkx."""
    return networkx_distances(osm_edges, points_lonlat, places_lonlat).min(axis=1)


def _inside(rng: np.random.Generator, count: int) -> tuple[np.ndarray, np.ndarray]:
    """`count` random points inside the extract: longitude/latitude and metric."""
    west, south, east, north = 26.932, 60.521, 26.968, 60.539
    lonlat = np.column_stack([rng.uniform(west, east, count), rng.uniform(south, north, count)])
    to_metric = Transformer.from_crs("EPSG:4326", CRS, always_xy=True)
    return lonlat, np.column_stack(to_metric.transform(lonlat[:, 0], lonlat[:, 1]))


def test_the_extract_is_read_as_two_way_segments_in_metres(network) -> None:  # type: ignore[no-untyped-def]
    assert network.crs == CRS and len(network.nodes) > 500 and len(network.u) > 500
    assert (network.length > 0).all() and network.length.max() < 2000
    assert network.u.max() < len(network.nodes) and network.v.max() < len(network.nodes)


def test_walking_distances_equal_networkx_and_are_never_below_the_straight_line(
    network, osm_edges
) -> None:  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(18)
    points, points_xy = _inside(rng, 60)
    places, places_xy = _inside(rng, 3)
    walked = walking_distances(network.nodes, network.u, network.v, network.length,
                               points_xy, places_xy)  # fmt: skip
    expected = _independent(osm_edges, points, places)
    reachable = np.isfinite(expected)
    assert reachable.sum() >= 50  # most random points reach a place
    assert np.array_equal(np.isfinite(walked), reachable)
    assert walked[reachable] == pytest.approx(expected[reachable], rel=1e-3, abs=0.5)
    straight = nearest_distances(points_xy, places_xy)
    assert (walked >= straight - 1e-6).all()
    assert np.median(walked[reachable] / straight[reachable]) > 1.05  # streets are no beeline


def test_without_places_everyone_is_infinitely_far(network) -> None:  # type: ignore[no-untyped-def]
    far = walking_distances(network.nodes, network.u, network.v, network.length,
                            network.nodes[:3], np.zeros((0, 2)))  # fmt: skip
    assert np.isinf(far).all()


def test_parallel_segments_keep_the_shorter_and_a_place_on_a_node_counts() -> None:
    nodes = np.array([[0.0, 0.0], [100.0, 0.0], [200.0, 0.0]])
    u, v = np.array([0, 0, 1]), np.array([1, 1, 2])
    length = np.array([100.0, 150.0, 100.0])  # two ways from node 0 to node 1
    walked = walking_distances(nodes, u, v, length, np.array([[0.0, 10.0]]),
                               np.array([[200.0, 0.0]]))  # fmt: skip
    assert walked == pytest.approx([210.0])


def test_the_distance_matrix_equals_networkx_from_every_point_to_every_site(
    network, osm_edges
) -> None:  # type: ignore[no-untyped-def]
    """`siting --network`: every resident's walking distance to every candidate site."""
    rng = np.random.default_rng(19)
    points, points_xy = _inside(rng, 25)
    sites, sites_xy = _inside(rng, 7)
    matrix = walking_distance_matrix(network.nodes, network.u, network.v, network.length,
                                     points_xy, sites_xy)  # fmt: skip
    expected = networkx_distances(osm_edges, points, sites)
    reachable = np.isfinite(expected)
    assert reachable.mean() > 0.8
    assert np.array_equal(np.isfinite(matrix), reachable)
    assert matrix[reachable] == pytest.approx(expected[reachable], rel=1e-3, abs=0.5)
    # the nearest site by the matrix is the nearest place by the one-source Dijkstra
    nearest = walking_distances(network.nodes, network.u, network.v, network.length,
                                points_xy, sites_xy)  # fmt: skip
    assert matrix.min(axis=1) == pytest.approx(nearest)
    limited = walking_distance_matrix(network.nodes, network.u, network.v, network.length,
                                      points_xy, sites_xy, limit=800.0)  # fmt: skip
    assert np.array_equal(np.isfinite(limited), matrix <= 800.0)
