"""`budget-monitor import facilities` (SPEC §9): places of help as a new master-data version.

Like the other geodata imports (`monitor.geo_commands`), the file is checked completely first
and stored in one transaction only when no row was rejected. Each place is given the district
whose polygon (the boundaries in force) holds it; places in none are counted in `outside` and
named in `outside_places`. A measure named for a place must be in the measure catalogue in
force: a place paid by an unknown measure would have a running cost nobody can trace.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any

import click
import pandas as pd

from imports.geodata.facility_files import unknown_measures
from imports.master_data.columns import MasterDataError
from imports.readers import FileRefused, ReadLimits
from ledger.geo_store import boundaries
from ledger.master_store import catalog
from monitor.context import AppContext, UserError
from monitor.master_commands import Prepared, report_import, store_prepared
from monitor.options import json_option
from monitor.settings import PlacesSettings
from monitor.terminal_format import Terminal
from monitor.worded import WordedArgument, WordedCommand, WordedOption


@click.command("facilities", cls=WordedCommand, help="cli.facilities.help")
@click.argument(
    "path", type=click.Path(path_type=Path), cls=WordedArgument, metavar="cli.metavar.file"
)
@click.option("--type", "kind", cls=WordedOption, help="cli.facilities.type")
@click.option("--type-field", cls=WordedOption, help="cli.facilities.type_field")
@click.option("--name-field", cls=WordedOption, help="cli.facilities.name_field")
@click.option("--crs", cls=WordedOption, help="cli.facilities.crs")
@click.option("--layer", cls=WordedOption, help="cli.facilities.layer")
@json_option
@click.pass_obj
def import_facilities_command(
    app: AppContext,
    path: Path,
    kind: str | None,
    type_field: str | None,
    name_field: str | None,
    crs: str | None,
    layer: str | None,
    json_output: bool,
) -> None:
    """Places of help from GeoJSON, GeoPackage, a Shapefile or a table with coordinates (help
    for users: `cli.facilities.help` in the catalogue)."""
    from imports.geodata.facility_files import FacilityOptions

    options = FacilityOptions(kind, type_field, name_field, crs, layer)
    document = import_facilities(app, path, options)
    report_import(app, document, json_output, partial(_text, app.settings.places))


def import_facilities(app: AppContext, path: Path, options: Any) -> dict[str, Any]:
    """Read, place and store one facilities file as a new version; returns the summary."""
    from imports.geodata import STORAGE_CRS, locate_points
    from imports.geodata.boundary_files import crs_summary
    from imports.geodata.facility_files import read_facility_file

    limits = ReadLimits(max_uncompressed_mb=app.settings.imports.max_uncompressed_mb)
    try:
        read = read_facility_file(path, options, limits)
    except (FileRefused, MasterDataError) as exc:
        raise UserError.refusing(exc) from None
    with app.engine.connect() as connection:
        polygons = boundaries(connection)
        measures, _ = catalog(connection)
    errors = [*read.errors, *unknown_measures(read, set(measures["code"]))]
    if errors:
        ordered = sorted(errors, key=lambda e: (e.row, e.column or ""))
        return store_prepared(app, "facilities", path, Prepared(ordered, 0, {}, {}))
    places = read.places
    if places.empty:
        what = app.words("cli.import.no_rows.places")
        raise UserError(app.words("cli.import.no_rows", file=path.name, what=what))
    if polygons.empty:
        district = pd.Series(None, index=places.index, dtype=object)
    else:
        district = locate_points(places["x"], places["y"], STORAGE_CRS, polygons).district
    places = places.assign(district=district.to_numpy())
    outside = places[places["district"].isna()]
    counts = places["type"].value_counts()
    summary: dict[str, Any] = {
        "facilities": len(places),
        "types": {t: int(counts[t]) for t in sorted(counts.index)},
        "outside": None if polygons.empty else len(outside),
        "outside_places": [] if polygons.empty else _labels(outside),
        "crs": STORAGE_CRS,
        **crs_summary(read.source_crs),
        "format": read.format,
        "layer": read.layer,
        "columns": read.columns,
        "from_areas": list(read.from_areas),
        "without_geometry": list(read.without_geometry),
        "boundaries_import": polygons.attrs.get("import_id"),
    }
    columns = ["type", "name", "x", "y", "district", "measure", "valid_from", "valid_to"]
    prepared = Prepared([], len(places), {"facility": places[columns]}, summary)
    return store_prepared(app, "facilities", path, prepared, parts=read.files)


def _labels(places: pd.DataFrame) -> list[str]:
    return [
        f"{name if isinstance(name, str) else '?'} ({kind}, #{row})"
        for name, kind, row in zip(places["name"], places["type"], places["row"], strict=True)
    ]


def _text(places: PlacesSettings, t: Terminal, d: dict[str, Any]) -> list[str]:
    """The summary; each type by its display name ([places] names), with the code that
    `access --type` and `siting --type` take beside it."""
    types = ", ".join(
        t("cli.facilities.type_count", name=places.name(kind), code=kind, count=t.count(count))
        for kind, count in d["types"].items()
    )
    lines = [t("cli.facilities.imported", version=d["import"], count=t.count(d["facilities"]),
               types=types)]  # fmt: skip
    if d["outside"] is None:
        lines.append(t("cli.facilities.no_boundaries"))
    elif d["outside"]:
        lines.append(t("cli.facilities.outside", count=t.count(d["outside"]),
                       places="; ".join(d["outside_places"])))  # fmt: skip
    if d["without_geometry"]:
        lines.append(t("cli.facilities.without_geometry",
                       features=", ".join(map(str, d["without_geometry"]))))  # fmt: skip
    return lines
