"""`evaluation.access` against a computation written differently: every resident-place distance
by plain numpy broadcasting (no k-d tree), sums by Python loops."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from evaluation.access import access, nearest_distances, weighted_by_share


def _residents(rng: np.random.Generator, n: int) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "x": rng.uniform(0, 8000, n),
            "y": rng.uniform(0, 8000, n),
            "people": rng.integers(0, 300, n).astype(float),
            "district": rng.choice(["A", "B", "C"], n),
        }
    )


@pytest.mark.parametrize("seed", range(5))
def test_shares_and_mean_distances_equal_a_brute_force_computation(seed) -> None:
    rng = np.random.default_rng(seed)
    residents = _residents(rng, 400)
    places = pd.DataFrame({"x": rng.uniform(0, 8000, 7), "y": rng.uniform(0, 8000, 7)})
    districts = pd.DataFrame({"district": ["A", "B", "C", "D"], "name": list("abcd"),
                              "need_class": ["high", None, "low", None]})  # fmt: skip
    result = access(residents, places, districts, 1000.0)
    gaps = residents[["x", "y"]].to_numpy()[:, None, :] - places.to_numpy()[None, :, :]
    nearest = np.sqrt((gaps**2).sum(axis=2)).min(axis=1)
    for row in result.districts.itertuples():
        people = covered = weighted = 0.0
        for i in range(len(residents)):
            if residents["district"][i] == row.district and residents["people"][i] > 0:
                people += residents["people"][i]
                covered += residents["people"][i] * (nearest[i] <= 1000.0)
                weighted += residents["people"][i] * nearest[i]
        assert row.people == pytest.approx(people) and row.covered == pytest.approx(covered)
        if people:
            assert row.share == pytest.approx(covered / people)
            assert row.mean_distance_m == pytest.approx(weighted / people)
        else:  # D: nobody lives there
            assert row.share is None and row.mean_distance_m is None
    assert result.total["people"] == pytest.approx(residents["people"].sum())
    document = result.to_dict()
    assert [d["key"] for d in document["districts"]] == ["A", "B", "C", "D"]
    assert document["districts"][0]["need_class"] == "high"


def test_without_places_nobody_is_covered_and_no_distance_is_given() -> None:
    residents = pd.DataFrame({"x": [0.0], "y": [0.0], "people": [10.0], "district": ["A"]})
    districts = pd.DataFrame({"district": ["A"], "name": ["a"], "need_class": [None]})
    result = access(residents, pd.DataFrame({"x": [], "y": []}), districts, 500.0)
    assert result.to_dict()["districts"][0] == {
        "key": "A", "name": "a", "people": 10, "covered": 0, "share": 0.0,
        "mean_distance_m": None, "need_class": None,
    }  # fmt: skip
    assert nearest_distances(np.zeros((2, 2)), np.zeros((0, 2))).tolist() == [np.inf, np.inf]


def test_a_place_exactly_at_the_distance_covers() -> None:
    residents = pd.DataFrame({"x": [0.0, 0.0], "y": [0.0, 2000.0], "people": [5.0, 7.0],
                              "district": ["A", "A"]})  # fmt: skip
    places = pd.DataFrame({"x": [0.0], "y": [1000.0]})
    districts = pd.DataFrame({"district": ["A"], "name": ["a"], "need_class": [None]})
    assert access(residents, places, districts, 1000.0).total["covered"] == 12.0


def test_people_in_need_are_residents_times_their_districts_share() -> None:
    residents = pd.DataFrame({"x": [0.0, 1.0, 2.0], "y": [0.0, 0.0, 0.0],
                              "people": [100.0, 200.0, 50.0],
                              "district": ["A", "B", "C"]})  # fmt: skip
    weighted = weighted_by_share(residents, {"A": 0.1, "B": 0.25})
    assert weighted["people"].tolist() == [10.0, 50.0, 0.0]
