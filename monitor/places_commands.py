"""`budget-monitor access` and `siting` (SPEC §9): who lives how far from help, and where new
places of help would reach the most people not reached yet.

Both read only (never create a ledger), compute from a verified ledger (or with --unverified,
marked), and take their inputs from `monitor.places_inputs`; the figures come from the pure
`evaluation.access` and `evaluation.siting`.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import click
import pandas as pd

from imports.money import format_cents
from monitor.context import AppContext, UserError
from monitor.footpaths import city_footpaths, distance_kind, reach, walked_to_candidates
from monitor.ledger_check import checked_ledger, unverified_option
from monitor.options import as_of_option, json_option
from monitor.terminal_format import DASH
from monitor.worded import WordedCommand, WordedOption
from reports.formatting import LocaleFormat

# `siting --objective`: the most people newly within reach, or the shortest ways on average.
COVERAGE, DISTANCE = "coverage", "distance"
OBJECTIVES = (COVERAGE, DISTANCE)

_within_option = click.option(
    "--within",
    type=click.FloatRange(min=0, min_open=True),
    default=1000,  # shown as a clerk writes it; FloatRange still hands over 1000.0
    show_default=True,
    cls=WordedOption,
    help="cli.access.within",
)
_type_option = click.option(
    "--type", "kind", required=True, cls=WordedOption, help="cli.access.type"
)
_period_option = click.option("--period", cls=WordedOption, help="cli.access.period")
_weight_option = click.option(
    "--weight", default="population", show_default=True, cls=WordedOption, help="cli.access.weight"
)


def _reading_options(command: Any) -> Any:
    """The options both commands end with: --period, --weight, --as-of, --unverified, --json."""
    for option in (json_option, unverified_option, as_of_option, _weight_option, _period_option):
        command = option(command)
    return click.pass_obj(command)


def access_document(
    app: AppContext,
    kind: str,
    within: float,
    period: str | None,
    weight: str,
    as_of: str | None,
    paths: Any = None,
) -> tuple[dict[str, Any], Any, Any]:
    """(the `access --json` document, the inputs, the Access result); with `paths` (the city's
    walking network, `monitor.footpaths.city_footpaths`) distances are walked along its
    footpaths, else straight."""
    from ledger.master_store import resolve_as_of
    from monitor.places_inputs import short_way_inputs

    with app.engine.connect() as connection:
        inputs = short_way_inputs(
            connection, app.settings, kind, period, weight, resolve_as_of(connection, as_of)
        )
    result = reach(inputs, within, paths)
    document = {
        "type": kind,
        "within": _number(within),
        "distance": distance_kind(paths),
        "period": inputs.period,
        "weight": weight,
        "residents": inputs.residents_from,
        "places": len(inputs.places),
        "need_period": inputs.need_period,
        **result.to_dict(),
        "without_weight": list(inputs.without_weight),
    }
    return document, inputs, result


_network_option = click.option(
    "--network",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    cls=WordedOption,
    help="cli.access.network",
)


@click.command("access", cls=WordedCommand, help="cli.access.help")
@_type_option
@_within_option
@_network_option
@_reading_options
def access_command(
    app: AppContext,
    kind: str,
    within: float,
    network: Path | None,
    period: str | None,
    weight: str,
    as_of: str | None,
    unverified: bool,
    json_output: bool,
) -> None:
    """Who lives how far from the nearest place of a type (help for users: `cli.access.help`)."""
    from monitor.places_inputs import POPULATION

    mark = checked_ledger(app, unverified)
    paths = city_footpaths(app.settings, network)
    document, _, _ = access_document(app, kind, within, period, weight, as_of, paths)
    document.update(mark)
    if json_output or app.json_output:
        app.emit_json(document)
        return
    t = app.terminal
    shown = app.settings.places.name(kind)
    counted = t("cli.access.weight.population") if weight == POPULATION else weight
    title = t("cli.access.title", type=shown, places=t.count(document["places"]),
              within=t.count(document["within"]), period=document["period"],
              weight=counted)  # fmt: skip
    kinds = {"key": "fixed", "name": "text", "need_class": "text"}
    view = t.table(title, [(t(f"cli.access.column.{key}"), kinds.get(key, "figure"))
                           for key in ACCESS_COLUMNS])  # fmt: skip
    for row in document["districts"]:
        view.add_row(
            row["key"],
            row["name"] or "",
            t.count(row["people"]),
            t.count(row["covered"]),
            _percent(row["share"], app.lang),
            t.count(row["mean_distance_m"]),
            t(f"need_class.{row['need_class']}") if row["need_class"] else DASH,
        )
    t.print_table(view)
    total = document["total"]
    share = _percent(total["share"], app.lang)
    t.say(t("cli.access.total", covered=t.count(total["covered"]), people=t.count(total["people"]),
            share=share, within=t.count(document["within"])))  # fmt: skip


# The columns of `access` on the terminal, as the catalogue heads them (cli.access.column.*).
ACCESS_COLUMNS = ("key", "name", "people", "covered", "share", "distance", "need_class")


@click.command("siting", cls=WordedCommand, help="cli.siting.help")
@_type_option
@click.option(
    "--add", type=click.IntRange(min=1), required=True, cls=WordedOption, help="cli.siting.add"
)
@_within_option
@click.option(
    "--candidates",
    "candidates_path",
    type=click.Path(dir_okay=False, path_type=Path),
    cls=WordedOption,
    help="cli.siting.candidates",
)
@click.option(
    "--objective",
    type=click.Choice(OBJECTIVES),
    default=OBJECTIVES[0],
    show_default=True,
    cls=WordedOption,
    help="cli.siting.objective",
)
@_network_option
@_reading_options
def siting_command(
    app: AppContext,
    kind: str,
    add: int,
    within: float,
    candidates_path: Path | None,
    objective: str,
    network: Path | None,
    period: str | None,
    weight: str,
    as_of: str | None,
    unverified: bool,
    json_output: bool,
) -> None:
    """Where K new places would reach the most people (help for users: `cli.siting.help`)."""
    mark = checked_ledger(app, unverified)
    paths = city_footpaths(app.settings, network)
    document = {**siting_document(app, kind, add, within, candidates_path, period, weight, as_of,
                                  objective, paths), **mark}  # fmt: skip
    if json_output or app.json_output:
        app.emit_json(document)
        return
    words = t = app.terminal
    shown = app.settings.places.name(kind)
    lines = [words("cli.siting.title", add=add, type=shown, within=t.count(document["within"]),
                   candidates=t.count(document["candidates"]))]  # fmt: skip
    for rank, place in enumerate(document["added"], start=1):
        lines.append(words("cli.siting.place", rank=rank, lat=t.number(place["lat"], 5),
                           lon=t.number(place["lon"], 5), district=place["district"] or DASH,
                           newly=t.count(place["newly_covered"])))  # fmt: skip
    before, after = document["covered_before"], document["covered_after"]
    lines.append(words("cli.siting.total", before=t.count(before), after=t.count(after),
                       gain=t.count(after - before)))  # fmt: skip
    if objective == DISTANCE:
        before_m = _metres_shown(t, document["mean_distance_before"])
        after_m = _metres_shown(t, document["mean_distance_after"])
        lines.append(words("cli.siting.distance", before=before_m, after=after_m))
    for step in document["curve"]:
        lines.append(words("cli.siting.curve", places=step["places"],
                           covered=t.count(step["covered"]),
                           gain=t.count(step["newly_covered"])))  # fmt: skip
        if objective == DISTANCE:
            lines[-1] += words("cli.siting.curve_distance",
                               mean=_metres_shown(t, step["mean_distance_m"]))  # fmt: skip
    lines.append(words("cli.siting.optimal" if document["optimal"] else "cli.siting.not_optimal"))
    click.echo("\n".join(lines))


def siting_document(
    app: AppContext,
    kind: str,
    add: int,
    within: float,
    candidates_path: Path | None,
    period: str | None,
    weight: str,
    as_of: str | None,
    objective: str = COVERAGE,
    paths: Any = None,
) -> dict[str, Any]:
    """The `siting --json` document (SPEC §9); with the running cost of a place where the
    ledger knows it (places naming their measure), the cost per person newly reached. The
    objective: the most people newly within reach (maximal covering) or the smallest
    people-weighted distance (p-median), whose document adds the mean distances. With
    `paths` (the city's walking network) every distance, to the existing places and to the
    candidates, is walked along its footpaths."""
    from ledger.master_store import resolve_as_of
    from monitor.places_inputs import lon_lat, running_cost_per_place

    _, inputs, reached = access_document(app, kind, within, period, weight, as_of, paths)
    candidates = (
        _candidate_file(app, candidates_path)
        if candidates_path is not None
        else default_candidates(inputs.residents)
    )
    # Farther than this no candidate can matter (beyond the reach, or beyond every
    # resident's present place), so Dijkstra may stop there.
    existing = reached.residents["distance_m"].to_numpy(float)
    limit = within if objective == COVERAGE else float(existing.max(initial=0.0))
    walked = walked_to_candidates(paths, reached, candidates, limit)
    if objective == DISTANCE:
        result = solve_p_median(reached, candidates, within, add, walked)
    else:
        result = solve_siting(reached, candidates, within, add, walked)
    with app.engine.connect() as connection:
        cost = running_cost_per_place(
            connection, app.settings, inputs.places, inputs.period, resolve_as_of(connection, as_of)
        )
    sites = candidates[["x", "y"]].to_numpy(float)
    chosen = list(result.best.chosen)
    lon, lat = lon_lat(sites[chosen, 0], sites[chosen, 1])
    districts = candidates["district"].to_numpy(dtype=object)[chosen]
    before = result.covered_before
    document = {
        "type": kind,
        "objective": objective,
        "within": _number(within),
        "distance": distance_kind(paths),
        "period": inputs.period,
        "weight": weight,
        "residents": inputs.residents_from,
        "candidates": result.candidates,
        "added": [
            {
                "lon": round(float(lon[i]), 6),
                "lat": round(float(lat[i]), 6),
                "x": round(float(sites[c, 0]), 1),
                "y": round(float(sites[c, 1]), 1),
                "district": None if pd.isna(districts[i]) else str(districts[i]),
                "newly_covered": round(result.best.newly_covered[i]),
            }
            for i, c in enumerate(chosen)
        ],
        "covered_before": round(before),
        "covered_after": round(result.covered_after),
        "optimal": result.optimal,
        "running_cost_per_place": None if cost is None else format_cents(cost),
        "curve": [
            {
                "places": size,
                "covered": round(before + step.gain),
                "newly_covered": round(step.gain),
                "cost_per_person": _cost_per_person(cost, size, step.gain),
            }
            for size, step in enumerate(result.curve, start=1)
        ],
    }
    if objective == DISTANCE:
        _add_distances(document, result)
    return document


def _add_distances(document: dict[str, Any], result: Any) -> None:
    """The p-median's own figures: the people-weighted mean distance (whole metres) to the
    nearest place before and after (before: None when there is no place of the type), per new
    place the people it serves (it is their nearest place now), per curve step the mean."""
    document["mean_distance_before"] = _metres(result.mean_distance(result.total_before))
    document["mean_distance_after"] = _metres(result.mean_distance(result.best.total_distance))
    for place, served in zip(document["added"], result.best.served, strict=True):
        place["served"] = round(served)
    for step, solution in zip(document["curve"], result.curve, strict=True):
        step["mean_distance_m"] = _metres(result.mean_distance(solution.total_distance))


def default_candidates(residents: pd.DataFrame) -> pd.DataFrame:
    """x, y, district of the candidate sites SPEC §9 names: the resident points' positions (the
    populated grid cells' centres, or the districts' points)."""
    return residents[["x", "y", "district"]].drop_duplicates(["x", "y"]).reset_index(drop=True)


def solve_siting(
    reached: Any, candidates: pd.DataFrame, within: float, add: int, walked: Any = None
) -> Any:
    """The maximal covering solution for `add` new places among `candidates`, given the
    residents and their coverage as `evaluation.access.access` found them; walked: the
    residents' walking distances to the candidates (None: straight lines)."""
    from evaluation.siting import maximal_covering

    points, people, sites = _siting_arrays(reached, candidates)
    covered = reached.residents["covered"].to_numpy(bool)
    return maximal_covering(points, people, covered, sites, within, add, distances=walked)


def solve_p_median(
    reached: Any, candidates: pd.DataFrame, within: float, add: int, walked: Any = None
) -> Any:
    """The p-median solution for `add` new places among `candidates`: the smallest
    people-weighted distance to the nearest place, the places of the type already there kept;
    walked as in `solve_siting`."""
    from evaluation.p_median import p_median

    points, people, sites = _siting_arrays(reached, candidates)
    existing = reached.residents["distance_m"].to_numpy(float)
    return p_median(points, people, existing, sites, add, within=within, distances=walked)


def _siting_arrays(reached: Any, candidates: pd.DataFrame) -> tuple[Any, Any, Any]:
    """The residents' points and people and the candidates' points, as the solvers take them."""
    if candidates.empty:
        raise UserError.said("cli.places.no_candidates")
    residents = reached.residents
    return (
        residents[["x", "y"]].to_numpy(float),
        residents["people"].to_numpy(float),
        candidates[["x", "y"]].to_numpy(float),
    )


def _candidate_file(app: AppContext, path: Path) -> pd.DataFrame:
    """x, y, district of the sites in a file read like a facilities file."""
    from imports.geodata import STORAGE_CRS, locate_points
    from imports.geodata.facility_files import FacilityOptions, read_facility_file
    from imports.master_data.columns import MasterDataError
    from imports.readers import FileRefused, ReadLimits
    from ledger.geo_store import boundaries

    limits = ReadLimits(max_uncompressed_mb=app.settings.imports.max_uncompressed_mb)
    try:
        read = read_facility_file(path, FacilityOptions(type="candidate"), limits)
    except (FileRefused, MasterDataError) as exc:
        raise UserError.refusing(exc) from None
    if read.errors:
        app.terminal.row_errors(path, [e.to_dict() for e in read.errors])
        raise UserError.said("cli.places.bad_candidates", file=path.name, count=len(read.errors))
    sites = read.places[["x", "y"]]
    with app.engine.connect() as connection:
        polygons = boundaries(connection)
    if polygons.empty:
        return sites.assign(district=None)
    located = locate_points(sites["x"], sites["y"], STORAGE_CRS, polygons)
    return sites.assign(district=located.district.to_numpy())


def _cost_per_person(cost: int | None, places: int, gain: float) -> str | None:
    """The running cost of `places` new places per person they newly reach (two-decimal euros);
    None without a known cost or without anyone reached."""
    people = round(gain)
    if cost is None or people == 0:
        return None
    cents = (Decimal(cost) * places / people).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return format_cents(int(cents))


def _metres(value: float | None) -> int | None:
    return None if value is None else round(value)


def _metres_shown(t: Any, metres: int | None) -> str:
    """Metres grouped in the reader's locale (1.661); a dash where a mean has no value (someone
    whom no place reaches, on a walking network in pieces)."""
    return DASH if metres is None else t.count(metres)


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else float(value)


def _percent(share: float | None, lang: str) -> str:
    return "–" if share is None else LocaleFormat(lang).percent(share)
