"""`budget-monitor import boundaries` and `budget-monitor import grid` (SPEC §5).

Like the other master-data imports (`monitor.master_commands`), each file is checked completely
first and only then stored as a new version in one transaction; a file with row errors changes
nothing and exits 1. What does not fit — districts without a polygon, features without a known
district, duplicates, repaired polygons, grid cells outside every district — is listed in the
summary, never dropped silently.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
import pandas as pd

from imports.master_data.columns import MasterDataError
from imports.master_data.periods import Period, parse_period_option
from imports.readers import FileRefused, ReadLimits
from ledger.geo_store import boundaries
from ledger.master_store import districts
from monitor.context import AppContext, UserError
from monitor.master_commands import Prepared, report_import, store_prepared
from monitor.options import json_option
from monitor.problem_words import worded_problem
from monitor.terminal_format import Terminal
from monitor.worded import WordedArgument, WordedCommand, WordedOption

# geopandas, pyogrio and pyproj take about a second to import: loaded by these two commands
# only, so that `import postings` (cron, inbox) does not pay for them.


def _limits(app: AppContext) -> ReadLimits:
    return ReadLimits(max_uncompressed_mb=app.settings.imports.max_uncompressed_mb)


@click.command("boundaries", cls=WordedCommand, help="cli.import.boundaries.help")
@click.argument(
    "path", type=click.Path(path_type=Path), cls=WordedArgument, metavar="cli.metavar.file"
)
@click.option("--key", cls=WordedOption, help="cli.import.boundaries.key")
@click.option("--name", cls=WordedOption, help="cli.import.boundaries.name")
@click.option("--layer", cls=WordedOption, help="cli.import.boundaries.layer")
@click.option(
    "--create-districts",
    is_flag=True,
    cls=WordedOption,
    help="cli.import.boundaries.create_districts",
)
@json_option
@click.pass_obj
def import_boundaries_command(
    app: AppContext,
    path: Path,
    key: str | None,
    name: str | None,
    layer: str | None,
    create_districts: bool,
    json_output: bool,
) -> None:
    """District polygons from GeoJSON, a Shapefile, GeoPackage or GML, stored in EPSG:25832
    (help for users: `cli.import.boundaries.help`)."""
    document = import_boundaries(
        app, path, key=key, name=name, layer=layer, create_districts=create_districts
    )
    report_import(app, document, json_output, _boundaries_text)


def import_boundaries(
    app: AppContext,
    path: Path,
    *,
    key: str | None = None,
    name: str | None = None,
    layer: str | None = None,
    create_districts: bool = False,
) -> dict[str, Any]:
    """Read, key and store one boundaries file as a new version; returns the summary."""
    from shapely import to_wkb

    from imports.geodata import STORAGE_CRS, match_boundaries, read_boundary_file
    from imports.geodata.boundary_files import crs_summary

    try:
        read = read_boundary_file(path, layer, _limits(app))
    except FileRefused as exc:
        raise UserError.refusing(exc) from None
    if read.frame.empty:  # a file without features never becomes an empty version
        what = app.words("cli.import.no_rows.features")
        raise UserError(app.words("cli.import.no_rows", file=path.name, what=what))
    with app.engine.connect() as connection:
        listed = districts(connection)
    known = dict(zip(listed["code"], listed["name"], strict=True))
    if not known and not create_districts:
        raise UserError(app.words("cli.import.boundaries.no_districts_yet", file=path.name))
    try:
        match = match_boundaries(read, known, key=key, name=name, create=create_districts)
    except MasterDataError as exc:
        raise UserError.refusing(exc) from None
    if match.polygons.empty:
        raise UserError(app.words("cli.import.boundaries.no_polygons", file=path.name))
    polygons = match.polygons.assign(
        name=[
            file_name if isinstance(file_name, str) else known.get(code) or match.created.get(code)
            for code, file_name in zip(
                match.polygons["district"], match.polygons["name"], strict=True
            )
        ],
        srid=int(STORAGE_CRS.split(":")[1]),
        geometry=to_wkb(match.polygons["geometry"].to_numpy(), output_dimension=2),
    )
    tables = {"district_boundary": polygons[["district", "name", "srid", "area_m2", "geometry"]]}
    if match.created:  # a new district list: the one in force plus the created districts
        tables["district"] = pd.DataFrame(
            {"code": [*known, *match.created], "name": [*known.values(), *match.created.values()]}
        )
    summary: dict[str, Any] = {
        "crs": STORAGE_CRS,
        **crs_summary(read.source_crs),
        "format": read.format,
        "layer": read.layer,
        "key": match.key,
        "features": len(read.frame),
        "matched": match.matched,
        "created": len(match.created),
        "created_districts": list(match.created),
        "without_geometry": match.without_geometry,
        "unknown": match.unknown,
        "without_key": match.without_key,
        "duplicates": match.duplicates,
        "repaired": match.repaired,
    }
    prepared = Prepared([], len(polygons), tables, summary)
    return store_prepared(app, "boundaries", path, prepared, parts=read.files)


@click.command("grid", cls=WordedCommand, help="cli.import.grid.help")
@click.argument(
    "path", type=click.Path(path_type=Path), cls=WordedArgument, metavar="cli.metavar.file"
)
@click.option(
    "--value", "value_column", required=True, cls=WordedOption, help="cli.import.grid.value"
)
@click.option("--population", is_flag=True, cls=WordedOption, help="cli.import.grid.population")
@click.option("--indicator", cls=WordedOption, help="cli.import.grid.indicator")
@click.option("--period", required=True, cls=WordedOption, help="cli.import.grid.period")
@click.option("--weight", "weight_column", cls=WordedOption, help="cli.import.grid.weight")
@json_option
@click.pass_obj
def import_grid_command(
    app: AppContext,
    path: Path,
    value_column: str,
    population: bool,
    indicator: str | None,
    period: str,
    weight_column: str | None,
    json_output: bool,
) -> None:
    """Census grid cells (Zensus 2011/2022) summed to the districts containing their centres
    (help for users: `cli.import.grid.help`)."""
    if population == (indicator is not None):
        raise click.UsageError(app.words("cli.import.grid.population_or_indicator"))
    if population and weight_column:
        raise click.UsageError(app.words("cli.import.grid.weight_with_population"))
    document = import_grid(
        app, path, value=value_column, indicator=indicator, period=period, weight=weight_column
    )
    report_import(app, document, json_output, _grid_text)


def import_grid(
    app: AppContext,
    path: Path,
    *,
    value: str,
    period: str,
    indicator: str | None = None,
    weight: str | None = None,
) -> dict[str, Any]:
    """Read a grid file, give each cell its district and store cells and district values as a
    new version; `indicator` None means population. Returns the summary."""
    from imports.geodata import assign_cells, parse_grid

    fixed = parse_period_option(period)
    if not isinstance(fixed, Period):
        raise UserError(app.words("cli.import.grid.bad_period", period=period))
    try:
        grid = parse_grid(path, value, weight=weight, limits=_limits(app))
    except (FileRefused, MasterDataError) as exc:
        raise UserError.refusing(exc) from None
    if grid.errors:
        return store_prepared(app, "grid", path, Prepared(list(grid.errors), 0, {}, {}))
    if grid.cells.empty:  # a header without rows never becomes an empty version
        what = app.words("cli.import.no_rows.cells")
        raise UserError(app.words("cli.import.no_rows", file=path.name, what=what))
    with app.engine.connect() as connection:
        polygons = boundaries(connection)
    if polygons.empty:
        raise UserError(app.words("cli.import.grid.no_boundaries_yet", file=path.name))
    assigned = assign_cells(grid.cells, polygons, weighted=weight is not None)
    values = assigned.values.dropna(subset=["value"])
    cells = grid.cells.assign(district=assigned.district)
    tables: dict[str, pd.DataFrame] = {
        "grid_cell": cells[["cell", "x", "y", "size_m", "value", "weight", "district"]]
    }
    if indicator is None:
        tables["population"] = pd.DataFrame(
            {
                "district": values["district"],
                "period": fixed.label,
                "population": values["value"].round().astype("int64"),
            }
        )
    else:
        tables["indicator_value"] = pd.DataFrame(
            {
                "district": values["district"],
                "indicator": indicator,
                "period": fixed.label,
                "period_start": fixed.start,
                "period_end": fixed.end,
                "value": values["value"].astype(float),
            }
        )
    inside = int(assigned.district.notna().sum())
    summary: dict[str, Any] = {
        "cells": len(cells),
        "inside": inside,
        "outside": len(cells) - inside,
        "missing": grid.missing,
        "missing_by_meaning": grid.missing_by_meaning,
        "districts": [
            {"key": key, "value": _number(v, indicator is None), "cells": int(n)}
            for key, v, n in zip(
                assigned.values["district"],
                assigned.values["value"],
                assigned.values["cells"],
                strict=True,
            )
        ],
        "without_cells": assigned.without_cells,
        "in_two_districts": assigned.in_two_districts,
        "target": "population" if indicator is None else "indicator",
        "indicator": indicator,
        "period": fixed.label,
        "layout": grid.layout,
        "columns": grid.columns,
        "boundaries_import": polygons.attrs["import_id"],
    }
    return store_prepared(app, "grid", path, Prepared([], len(cells), tables, summary))


def _number(value: float, count: bool) -> int | float | None:
    if pd.isna(value):
        return None
    return round(value) if count else float(value)


def _boundaries_text(t: Terminal, d: dict[str, Any]) -> list[str]:
    lines = [
        t(
            "cli.import.boundaries.done",
            file=Path(d["file"]).name,
            version=d["import"],
            features=t.count(d["features"]),
            format=d["format"],
            source_crs=worded_problem(d["source_crs_problem"], t.words)
            if d["source_crs_problem"]
            else d["source_crs"],
            crs=d["crs"],
            key=d["key"],
            matched=t.count(d["matched"]),
            created=t.count(d["created"]),
        ),
        "  " + t.listed(t("cli.import.boundaries.without_geometry"), d["without_geometry"]),
        "  " + t.listed(t("cli.import.boundaries.unknown"), d["unknown"]),
    ]
    if d["without_key"]:
        lines.append("  " + t.listed(t("cli.import.boundaries.without_key"), d["without_key"]))
    lines.append("  " + t.listed(t("cli.import.boundaries.duplicates"), d["duplicates"]))
    lines.append("  " + t.listed(t("cli.import.boundaries.repaired"), d["repaired"]))
    return lines


def _grid_text(t: Terminal, d: dict[str, Any]) -> list[str]:
    what = (
        t("cli.import.grid.target.population")
        if d["target"] == "population"
        else t("cli.import.grid.target.indicator", indicator=d["indicator"])
    )
    valued = sum(1 for x in d["districts"] if x["value"] is not None)
    return [
        t(
            "cli.import.grid.done",
            file=Path(d["file"]).name,
            version=d["import"],
            cells=t.count(d["cells"]),
            inside=t.count(d["inside"]),
            outside=t.count(d["outside"]),
            missing=t.count(d["missing"]),
            what=what,
            period=d["period"],
            districts=t.count(valued),
        ),
        "  " + t.listed(t("cli.import.grid.without_cells"), d["without_cells"]),
    ]
