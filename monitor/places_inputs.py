"""What `access` and `siting` compute from: residents, places and need classes from the ledger.

Residents are the finest population the ledger holds (SPEC §9): the cells of the newest
`import grid --population` for the period (a cell's people at its centre), else each district's
population of the period at its polygon's representative point (shapely's `point_on_surface`,
always inside the polygon, unlike a centroid of a crescent-shaped district). Cells outside every
district are no residents of the city and are left out. Everything is returned in EPSG:25832,
where distances are metres.

Places: those of the type in force (`ledger.facility_store.places`) that are open at some day of
the period (valid_from ≤ its last day, valid_to ≥ its first; empty = open). A place outside
the city's districts still serves the residents near it and counts.

`--weight INDICATOR`: people in need = residents × the district's share of the indicator for the
period (else its newest earlier value). An indicator whose unit is "%" in the settings
(`[indicators.CODE] unit = "%"`) is divided by 100; one with values above 1 and no such unit is
refused rather than guessed.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pandas as pd
from pyproj import Transformer
from sqlalchemy import Connection

from evaluation.access import weighted_by_share
from imports.master_data.periods import Period, parse_period_option
from ledger.facility_store import place_types, places, population_grid
from ledger.geo_store import boundaries
from ledger.master_store import districts, indicator_values, population
from monitor.context import UserError
from monitor.settings import Settings

POPULATION = "population"
METRIC_CRS = "EPSG:25832"
_GRID_TO_METRIC = Transformer.from_crs("EPSG:3035", METRIC_CRS, always_xy=True)
_METRIC_TO_WGS84 = Transformer.from_crs(METRIC_CRS, "EPSG:4326", always_xy=True)


@dataclass(frozen=True)
class ShortWayInputs:
    """residents: x, y (EPSG:25832), people, district. places: the places of the type (x, y,
    name, district …). districts: district, name, need_class, in code order. residents_from:
    "grid" or "districts". without_weight: districts whose people do not count for lack of an
    indicator value."""

    kind: str
    period: str
    weight: str
    residents_from: str
    residents: pd.DataFrame
    places: pd.DataFrame
    districts: pd.DataFrame
    need_period: str | None
    without_weight: tuple[str, ...]


def short_way_inputs(
    connection: Connection,
    settings: Settings,
    kind: str,
    period: str | None,
    weight: str,
    as_of: int | None = None,
) -> ShortWayInputs:
    """Gather residents, places and need classes (module docstring); UserError naming what is
    missing when the ledger cannot answer."""
    from monitor.need_commands import compute_need

    grid = population_grid(connection, period, as_of)
    if grid is not None:
        chosen, residents = grid[0], _grid_residents(grid[1])
        residents_from = "grid"
    else:
        chosen, residents = _district_residents(connection, period, as_of)
        residents_from = "districts"
    found = places(connection, as_of, kind)
    if found.empty:
        known = ", ".join(place_types(connection, as_of))
        if not known:
            raise UserError.said("cli.places.no_places_at_all", type=kind)
        raise UserError.said("cli.places.no_places", type=kind, known=known)
    found = _open_in(found, chosen)
    listed = districts(connection, as_of)
    need_period, classes = None, {}
    for asked in (chosen, None):  # the residents' period, else the newest with need values
        try:
            need = compute_need(connection, settings, asked, as_of)
        except UserError:
            continue
        need_period = need.period
        classes = {row.key: row.need_class for row in need.districts}
        break
    table = pd.DataFrame(
        {
            "district": listed["code"],
            "name": listed["name"],
            "need_class": [classes.get(code) for code in listed["code"]],
        }
    )
    without: tuple[str, ...] = ()
    if weight != POPULATION:
        shares = _indicator_shares(connection, settings, weight, chosen, as_of)
        without = tuple(sorted(set(residents["district"]) - set(shares)))
        residents = weighted_by_share(residents, shares)
    return ShortWayInputs(
        kind=kind,
        period=chosen,
        weight=weight,
        residents_from=residents_from,
        residents=residents,
        places=found,
        districts=table,
        need_period=need_period,
        without_weight=without,
    )


def running_cost_per_place(
    connection: Connection, settings: Settings, found: pd.DataFrame, label: str, as_of: int | None
) -> int | None:
    """The mean running cost of a place in cents: the spending in the period on the measures
    that pay the places (their `measure`), divided by the number of places they pay. None
    when no place names a measure, the period is no period, or nothing was spent."""
    from ledger.spending import spending_sums
    from ledger.tagging import AmbiguousPostings

    paid = found.dropna(subset=["measure"])
    period = parse_period_option(label)
    if paid.empty or not isinstance(period, Period):
        return None
    try:
        sums, _ = spending_sums(connection, "measure", period.start, period.end,
                                settings.ledger.spending_accounts, as_of)  # fmt: skip
    except AmbiguousPostings as exc:
        raise UserError.refusing(exc) from None
    cents = sum(sums.get(code, 0) for code in set(paid["measure"]))
    if cents <= 0:
        return None
    return int((Decimal(cents) / len(paid)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def lon_lat(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """WGS84 longitude and latitude of EPSG:25832 points (for output a map service can read)."""
    lon, lat = _METRIC_TO_WGS84.transform(np.asarray(x, float), np.asarray(y, float))
    return np.asarray(lon), np.asarray(lat)


def _grid_residents(cells: pd.DataFrame) -> pd.DataFrame:
    living = cells[cells["district"].notna() & (cells["value"].fillna(0) > 0)]
    x, y = _GRID_TO_METRIC.transform(living["x"].to_numpy(float), living["y"].to_numpy(float))
    return pd.DataFrame(
        {
            "x": x,
            "y": y,
            "people": living["value"].to_numpy(float),
            "district": living["district"].to_numpy(),
            "cell": living["cell"].to_numpy(),
        }
    )


def _district_residents(
    connection: Connection, period: str | None, as_of: int | None
) -> tuple[str, pd.DataFrame]:
    counts = population(connection, as_of)
    polygons = boundaries(connection, as_of)
    if counts.empty or polygons.empty:
        raise UserError.said("cli.places.no_residents")
    chosen = period or max(counts["period"])
    if chosen not in set(counts["period"]):
        raise UserError.said(
            "cli.places.no_population",
            period=period,
            known=", ".join(sorted(set(counts["period"]))),
        )
    counts = counts[counts["period"] == chosen]
    points = polygons.assign(point=[g.point_on_surface() for g in polygons["geometry"]])
    joined = counts.merge(points[["district", "point"]], on="district", how="inner")
    return chosen, pd.DataFrame(
        {
            "x": [p.x for p in joined["point"]],
            "y": [p.y for p in joined["point"]],
            "people": joined["population"].astype(float).to_numpy(),
            "district": joined["district"].to_numpy(),
        }
    )


def _open_in(found: pd.DataFrame, label: str) -> pd.DataFrame:
    period = parse_period_option(label)
    if not isinstance(period, Period):
        return found
    opened = found["valid_from"].map(lambda d: d is None or pd.isna(d) or d <= period.end)
    not_closed = found["valid_to"].map(lambda d: d is None or pd.isna(d) or d >= period.start)
    return found[opened & not_closed].reset_index(drop=True)


def _indicator_shares(
    connection: Connection, settings: Settings, code: str, period: str, as_of: int | None
) -> dict[str, float]:
    values = indicator_values(connection, as_of)
    known = sorted(set(values["indicator"]))
    values = values[(values["indicator"] == code) & values["value"].notna()]
    if values.empty:
        raise UserError.said("cli.places.bad_weight", weight=code, known=", ".join(known) or "–")
    earlier = values[values["period"] <= period]
    chosen = earlier if not earlier.empty else values
    newest = chosen.sort_values("period").drop_duplicates("district", keep="last")
    shares = dict(zip(newest["district"], newest["value"].astype(float), strict=True))
    unit = settings.indicators[code].unit if code in settings.indicators else ""
    if unit.strip() == "%":
        return {k: v / 100 for k, v in shares.items()}
    if any(v > 1 or v < 0 for v in shares.values()):
        raise UserError(
            f"--weight {code!r}: values above 1 ({max(shares.values()):g}) are no shares; if "
            f'they are per cent, say so in the settings: [indicators.{code}] unit = "%"'
        )
    return shares
