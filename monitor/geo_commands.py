"""`budget-monitor import boundaries` and `budget-monitor import grid` (SPEC §5).

Like the other master-data imports (`monitor.master_commands`), each file is checked completely
first and only then stored as a new version in one transaction; a file with row errors changes
nothing and exits 1. What does not fit — districts without a polygon, features without a known
district, duplicates, repaired polygons, grid cells outside every district — is listed in the
summary, never dropped silently.
"""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import Any

import click
import pandas as pd

from imports.fingerprint import fingerprint_files
from imports.master_data.columns import MasterDataError
from imports.master_data.periods import PERIOD_HINT, Period, parse_period_option
from imports.readers import FileRefused, ReadLimits
from ledger.geo_store import boundaries
from ledger.master_store import districts, store_master_import
from monitor.context import AppContext, UserError
from monitor.import_commands import import_group
from monitor.master_commands import echo_row_errors
from monitor.options import json_option

# geopandas, pyogrio and pyproj take about a second to import: loaded by these two commands
# only, so that `import postings` (cron, inbox) does not pay for them.


def _limits(app: AppContext) -> ReadLimits:
    return ReadLimits(max_uncompressed_mb=app.settings.imports.max_uncompressed_mb)


@import_group.command("boundaries")
@click.argument("path", type=click.Path(path_type=Path))
@click.option(
    "--key",
    help="The field holding the district code (default: the field whose "
    "values match the most known codes).",
)
@click.option("--name", help="The field holding the district name (for --create-districts).")
@click.option("--layer", help="The layer of a GeoPackage or GML file, or the Shapefile in a .zip.")
@click.option(
    "--create-districts",
    is_flag=True,
    help="Create districts the ledger does not know yet, named from --name.",
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
    """District polygons from GeoJSON, a Shapefile (.shp or .zip), GeoPackage or GML.

    The file's own coordinate reference system is honoured (GeoJSON without one is WGS84) and
    the polygons are stored in ETRS89 / UTM 32N (EPSG:25832). Invalid polygons are repaired;
    districts without a polygon, features without a district and duplicates are listed.
    """
    document = import_boundaries(
        app, path, key=key, name=name, layer=layer, create_districts=create_districts
    )
    emit_import(app, document, json_output, _boundaries_text)


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

    try:
        read = read_boundary_file(path, layer, _limits(app))
    except FileRefused as exc:
        raise UserError(str(exc)) from None
    with app.engine.connect() as connection:
        listed = districts(connection)
    known = dict(zip(listed["code"], listed["name"], strict=True))
    if not known and not create_districts:
        raise UserError(
            f"{path.name}: no districts in the ledger yet; run `budget-monitor import districts "
            "FILE` first, or import the boundaries with --create-districts --key FIELD"
        )
    try:
        match = match_boundaries(read, known, key=key, name=name, create=create_districts)
    except MasterDataError as exc:
        raise UserError(str(exc)) from None
    if match.polygons.empty:
        raise UserError(f"{path.name}: no rows: no feature has a polygon of a known district")
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
        "source_crs": read.source_crs,
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
    print_ = fingerprint_files(read.files)
    import_id = store_master_import(
        app.engine,
        kind="boundaries",
        print_=print_,
        os_user=getpass.getuser(),
        rows=len(polygons),
        tables=tables,
        summary=summary,
    )
    return {
        "import": import_id,
        "kind": "boundaries",
        "file": str(path),
        "errors": [],
        "sha256": print_.sha256,
        **summary,
    }


@import_group.command("grid")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--value", "value_column", required=True, help="The column holding the values.")
@click.option(
    "--population",
    is_flag=True,
    help="The values are inhabitants: their district sums become that period's population.",
)
@click.option(
    "--indicator",
    help="The values are this indicator (code): district sums, or "
    "with --weight weighted means, become its values for the period.",
)
@click.option("--period", required=True, help="The period of the grid (2011, 2022, 2022-05-15).")
@click.option(
    "--weight",
    "weight_column",
    help="A column to weight by (inhabitants): the district value is the weighted mean "
    "of the cells, for rates and shares.",
)
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
    """Census grid cells (Zensus 2011/2022, 100 m or 1 km) summed to districts.

    Each cell belongs to the district whose polygon contains the cell's centre (the boundaries
    in force). -1 and the symbols of official statistics are missing, never zero.
    """
    if population == (indicator is not None):
        raise click.UsageError("give either --population or --indicator CODE")
    if population and weight_column:
        raise click.UsageError("--weight is for rates and shares; a population is summed")
    document = import_grid(
        app, path, value=value_column, indicator=indicator, period=period, weight=weight_column
    )
    emit_import(app, document, json_output, _grid_text)


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
        raise UserError(f"--period {period!r} is not a period; {PERIOD_HINT}")
    try:
        grid = parse_grid(path, value, weight=weight, limits=_limits(app))
    except (FileRefused, MasterDataError) as exc:
        raise UserError(str(exc)) from None
    document: dict[str, Any] = {
        "import": None,
        "kind": "grid",
        "file": str(path),
        "errors": [e.to_dict() for e in grid.errors],
    }
    if grid.errors:
        return document
    with app.engine.connect() as connection:
        polygons = boundaries(connection)
    if polygons.empty:
        raise UserError(
            f"{path.name}: no district boundaries in the ledger yet; run "
            "`budget-monitor import boundaries FILE` first"
        )
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
    print_ = fingerprint_files((path,))
    document["import"] = store_master_import(
        app.engine,
        kind="grid",
        print_=print_,
        os_user=getpass.getuser(),
        rows=len(cells),
        tables=tables,
        summary=summary,
    )
    document.update({"sha256": print_.sha256, **summary})
    return document


def _number(value: float, count: bool) -> int | float | None:
    if pd.isna(value):
        return None
    return round(value) if count else float(value)


def emit_import(app: AppContext, document: dict[str, Any], json_output: bool, text: Any) -> None:
    """A geodata import's document as JSON, or its rejected rows and `text(document)`; exit 1
    when rows were rejected (nothing was stored then)."""
    errors = document["errors"]
    if json_output or app.json_output:
        app.emit_json(document)
    else:
        echo_row_errors(document)
        if not errors:
            click.echo(text(document))
    if errors:
        raise SystemExit(1)


def _codes(codes: list[Any]) -> str:
    return ", ".join(map(str, codes)) or "none"


def _boundaries_text(d: dict[str, Any]) -> str:
    return "\n".join(
        [
            f"boundaries imported as version {d['import']}: {d['features']} features "
            f"({d['format']}, {d['source_crs']} -> {d['crs']}), key field {d['key']!r}, "
            f"matched {d['matched']}, created {d['created']}",
            f"districts without geometry: {_codes(d['without_geometry'])}",
            f"features without a known district: {_codes(d['unknown'])}"
            + (
                f"; without a code: features {_codes(d['without_key'])}" if d["without_key"] else ""
            ),
            f"duplicates (merged): {_codes(d['duplicates'])}",
            f"repaired polygons: {_codes(d['repaired'])}",
        ]
    )


def _grid_text(d: dict[str, Any]) -> str:
    what = "population" if d["target"] == "population" else f"indicator {d['indicator']}"
    valued = sum(1 for x in d["districts"] if x["value"] is not None)
    return "\n".join(
        [
            f"grid imported as version {d['import']}: {d['cells']} cells, {d['inside']} inside the "
            f"districts, {d['outside']} outside, {d['missing']} without a value; {what} "
            f"{d['period']} for {valued} districts",
            f"districts without cells: {_codes(d['without_cells'])}",
        ]
    )
