"""`budget-monitor import districts|indicators|measures|plan` and `budget-monitor template`
(`import prices` is in `monitor.price_commands`, the geodata imports in `monitor.geo_commands`).

Each import is checked completely first (the file's own rules, then against what the ledger
already holds: known districts, postings claimed by two measures) and only then stored, as a new
version in one transaction; a file with any error changes nothing and exits 1.
"""

from __future__ import annotations

import getpass
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click
import pandas as pd
from sqlalchemy import Connection

from imports.fingerprint import fingerprint
from imports.master_data.columns import MasterDataError
from imports.master_data.crosswalk import join_through, read_crosswalk
from imports.master_data.districts import parse_districts, unknown_districts
from imports.master_data.indicators import parse_indicators
from imports.master_data.measures import parse_measures
from imports.master_data.plan import parse_plan
from imports.master_data.templates import write_template
from imports.money import exact_sum, format_cents
from imports.postings import RowError
from imports.readers import FileRefused, ReadLimits
from ledger.master_store import districts, population, store_master_import
from ledger.posting_queries import current_postings
from ledger.tagging import AmbiguousPostings, match_measures
from monitor.context import AppContext, UserError
from monitor.import_commands import import_group
from monitor.ledger_check import anchor_new_head
from monitor.options import json_option

_SHOWN_ERRORS = 50


@dataclass(frozen=True)
class Prepared:
    """A master-data file checked and turned into the rows of its tables."""

    errors: list[RowError]
    rows: int
    tables: dict[str, pd.DataFrame]
    summary: dict[str, Any]


def import_master_file(app: AppContext, kind: str, path: Path, **options: Any) -> dict[str, Any]:
    """Check a file and, without errors, store it as a new version; returns the summary.

    The document's `errors` list every problem; when it is not empty nothing was stored.
    """
    return store_prepared(app, kind, path, _PREPARERS[kind](app, path, **options))


def store_prepared(app: AppContext, kind: str, path: Path, prepared: Prepared) -> dict[str, Any]:
    """A checked file stored as a new version of `kind` when it has no errors; its summary."""
    document: dict[str, Any] = {
        "import": None,
        "kind": kind,
        "file": str(path),
        "errors": [e.to_dict() for e in prepared.errors],
    }
    if not prepared.errors:
        print_ = fingerprint(path)
        document["import"] = store_master_import(
            app.engine,
            kind=kind,
            print_=print_,
            os_user=getpass.getuser(),
            rows=prepared.rows,
            tables=prepared.tables,
            summary=prepared.summary,
        )
        anchor_new_head(app, master=document["import"])
        document.update({"sha256": print_.sha256, **prepared.summary})
    return document


def echo_row_errors(document: dict[str, Any]) -> None:
    """A master-data import's rejected rows on stderr, file, sheet, row and column named; the
    first _SHOWN_ERRORS, the rest counted (all of them in --json)."""
    errors = document["errors"]
    for error in errors[:_SHOWN_ERRORS]:
        column = f", column {error['column']!r}" if error["column"] else ""
        click.echo(
            f"error: {Path(document['file']).name}, sheet {error['sheet']!r}, "
            f"row {error['row']}{column}: {error['message']}",
            err=True,
        )
    if len(errors) > _SHOWN_ERRORS:
        click.echo(f"… and {len(errors) - _SHOWN_ERRORS} more (use --json for all)", err=True)


def report_master_import(app: AppContext, document: dict[str, Any], json_output: bool) -> None:
    errors = document["errors"]
    if json_output or app.json_output:
        app.emit_json(document)
    else:
        echo_row_errors(document)
        if not errors:
            details = ", ".join(
                f"{k} {v}"
                for k, v in document.items()
                if k not in ("import", "kind", "file", "errors", "crosswalk")
            )
            click.echo(f"{document['kind']} imported as version {document['import']}: {details}")
            if "crosswalk" in document:
                click.echo(_crosswalk_text(document["crosswalk"]))
    if errors:
        raise SystemExit(1)


def _crosswalk_text(summary: dict[str, Any]) -> str:
    """The crosswalk's counts, and the codes of the file it could not place; --json names every
    district it left out and why."""
    counts = ", ".join(
        f"{key} {len(value) if isinstance(value, list | dict) else value}"
        for key, value in summary.items()
        if key not in ("file", "sha256")
    )
    unmatched = ", ".join(summary["unmatched"]) or "none"
    return f"crosswalk {summary['file']}: {counts}\nunmatched codes: {unmatched}"


def parse_master_file(
    app: AppContext, parse: Callable[..., Any], path: Path, **options: Any
) -> Any:
    limits = ReadLimits(max_uncompressed_mb=app.settings.imports.max_uncompressed_mb)
    try:
        return parse(path, limits=limits, **options)
    except (FileRefused, MasterDataError) as exc:
        raise UserError(str(exc)) from None


def _known_districts(connection: Connection, path: Path) -> set[str]:
    known = set(districts(connection)["code"])
    if not known:
        raise UserError(
            f"{path.name}: no districts in the ledger yet; run "
            "`budget-monitor import districts FILE` first"
        )
    return known


@import_group.command("districts")
@click.argument("path", type=click.Path(path_type=Path))
@json_option
@click.pass_obj
def import_districts_command(app: AppContext, path: Path, json_output: bool) -> None:
    """Districts (Sozialräume) with their names, and population per year."""
    report_master_import(app, import_master_file(app, "districts", path), json_output)


def _prepare_districts(app: AppContext, path: Path) -> Prepared:
    parsed = parse_master_file(app, parse_districts, path)
    tables = {
        "district": parsed.districts.rename(columns={"district": "code"})[["code", "name"]],
        "population": parsed.population.assign(period=parsed.population["year"].astype(str))[
            ["district", "period", "population"]
        ],
    }
    summary = {
        "districts": len(parsed.districts),
        "population_rows": len(parsed.population),
        "skipped": parsed.skipped_total,
    }
    return Prepared(list(parsed.errors), len(parsed.districts), tables, summary)


@import_group.command("indicators")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--period", help="The period of the whole file (2024, 2024-Q3, 2024-03).")
@click.option(
    "--crosswalk",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The file's areas are another system's: carry its values to the ledger's districts "
    "through this crosswalk (JSON {code: [codes]}, or a table with from/to columns). Several "
    "areas making one district give their population-weighted mean; an area split between "
    "districts is not carried. The summary names every code that was not carried.",
)
@json_option
@click.pass_obj
def import_indicators_command(
    app: AppContext, path: Path, period: str | None, crosswalk: Path | None, json_output: bool
) -> None:
    """Indicator values per district and period, long or wide (one column per indicator).

    Empty cells and the symbols of official statistics (-, –, ., x, /, …, *) are missing,
    never zero, and counted by meaning. GENESIS exports (flat ffcsv, classic CSV) are read too;
    their rows of areas that are not districts of the ledger are left out and counted.
    """
    document = import_master_file(app, "indicators", path, period=period, crosswalk=crosswalk)
    report_master_import(app, document, json_output)


def _prepare_indicators(
    app: AppContext, path: Path, period: str | None = None, crosswalk: Path | None = None
) -> Prepared:
    aliases = {code: indicator.columns for code, indicator in app.settings.indicators.items()}
    # The publisher's "not computed" convention ([indicator_files]), e.g. Berlin's rows of zeros.
    zero_rows_missing = app.settings.indicator_files.all_zero_rows_missing
    parsed = parse_master_file(
        app,
        parse_indicators,
        path,
        period=period,
        indicator_columns=aliases,
        zero_rows_missing=zero_rows_missing,
    )
    errors = list(parsed.errors)
    values, counts, joined = parsed.values, parsed.population, None
    with app.engine.connect() as connection:
        known = _known_districts(connection, path)
        other_areas: list[str] = []
        if parsed.source is not None:
            # An official table covers a Land or all of Germany: its other areas are not errors.
            other_areas = sorted(set(values["district"].dropna()) - known)
            values = values[values["district"].isin(known)]
            counts = counts[counts["district"].isin(known)]
            if values.empty and not errors:
                raise UserError(
                    f"{path.name}: no rows: none of the table's {len(other_areas)} areas is a "
                    "district of the ledger (its codes, e.g. "
                    f"{', '.join(other_areas[:3])}, must be the districts' codes)"
                )
        if crosswalk is not None:
            walk = parse_master_file(app, read_crosswalk, crosswalk)
            listed = districts(connection)
            names = dict(zip(listed["code"], listed["name"], strict=True))
            tolerance = app.settings.indicator_files.crosswalk_population_tolerance
            try:
                joined = join_through(
                    values, counts, walk, names, population(connection), tolerance
                )
            except MasterDataError as exc:
                raise UserError(str(exc)) from None
            values, counts = joined.values, joined.population
    errors += unknown_districts(values, known, path.name, column=parsed.columns.get("district"))
    if not counts.empty:
        errors += unknown_districts(counts, known, path.name, column=parsed.columns.get("district"))
    tables = {
        "indicator_value": values[
            ["district", "indicator", "period", "period_start", "period_end", "value"]
        ],
        "population": counts[["district", "period", "population"]] if not counts.empty else counts,
    }
    summary = {
        "layout": parsed.layout,
        "values": len(values),
        "missing": parsed.missing,
        "indicators": sorted(set(values["indicator"])),
        "ignored_columns": list(parsed.ignored_columns),
        "skipped": parsed.skipped_total,
        "missing_by_meaning": parsed.missing_by_meaning,
    }
    if parsed.source is not None:  # a GENESIS export: its layout, and the areas left out
        summary["source"] = parsed.source
        summary["other_areas"] = len(other_areas)
    if zero_rows_missing:  # rows whose zeros were read as "not computed", hence missing
        summary["not_computed"] = parsed.not_computed
    if joined is not None:  # what the crosswalk carried, and every code it did not
        summary["crosswalk"] = {**joined.summary, "sha256": fingerprint(crosswalk).sha256}
    return Prepared(_dedupe(errors), len(values), tables, summary)


@import_group.command("measures")
@click.argument("path", type=click.Path(path_type=Path))
@json_option
@click.pass_obj
def import_measures_command(app: AppContext, path: Path, json_output: bool) -> None:
    """The measure catalog (rules that find postings) and its allocation to districts."""
    report_master_import(app, import_master_file(app, "measures", path), json_output)


def _prepare_measures(app: AppContext, path: Path) -> Prepared:
    parsed = parse_master_file(app, parse_measures, path)
    errors = list(parsed.errors)
    measures = parsed.measures.rename(
        columns={"measure": "code", "start": "start_date", "end": "end_date", "order": "order_no"}
    )
    with app.engine.connect() as connection:
        known = _known_districts(connection, path)
        errors += unknown_districts(
            parsed.allocations,
            known,
            path.name,
            column=parsed.columns.get("allocations", {}).get("district"),
        )
        if not errors:
            _check_exclusive(connection, measures, path)
    allocations = parsed.allocations.assign(share=parsed.allocations["share"].map(str))
    tables = {
        "measure": measures[
            [
                "code",
                "name",
                "program",
                "start_date",
                "end_date",
                "cost_center",
                "product",
                "account",
                "order_no",
            ]
        ],
        "allocation": allocations[
            ["measure", "district", "share", "valid_from", "valid_to", "basis"]
        ],
    }
    summary = {
        "measures": int(measures["code"].nunique()),
        "allocations": len(allocations),
        "programs": sorted({p for p in measures["program"] if isinstance(p, str)}),
        "unallocated": sorted(set(measures["code"]) - set(allocations["measure"])),
    }
    return Prepared(errors, len(measures), tables, summary)


def _check_exclusive(connection: Connection, measures: pd.DataFrame, path: Path) -> None:
    """A posting claimed by two measures would be counted twice: refuse the catalog."""
    postings = current_postings(
        connection, None, ("id", "booking_date", "account", "product", "cost_center", "order_no")
    )
    try:
        match_measures(postings, measures)
    except AmbiguousPostings as exc:
        raise UserError(f"{path.name}: {exc}") from None


@import_group.command("plan")
@click.argument("path", type=click.Path(path_type=Path))
@json_option
@click.pass_obj
def import_plan_command(app: AppContext, path: Path, json_output: bool) -> None:
    """Budgeted amounts (Haushaltsansätze) per measure or product and year; wide layouts with
    one column per year are unpivoted, actuals (Ist, Ergebnis) are left out."""
    report_master_import(app, import_master_file(app, "plan", path), json_output)


def _prepare_plan(app: AppContext, path: Path) -> Prepared:
    # [plan] aliases and spending patterns; a plan counts the accounts that spending counts,
    # and leaves out the internal service charges that spending leaves out.
    parsed = parse_master_file(
        app,
        parse_plan,
        path,
        columns=app.settings.plan.columns,
        spending=app.settings.plan_spending,
        max_abs_cents=app.settings.imports.max_abs_cents,
    )
    amounts = parsed.amounts
    tables = {"plan_amount": amounts[["measure", "product", "year", "amount_cents"]]}
    summary = {
        "amounts": len(amounts),
        "years": sorted(int(y) for y in set(amounts["year"])),
        "ignored_columns": list(parsed.ignored_columns),
        # What the plan adds up to, and the rows left out on purpose (actuals, sum lines,
        # internal service charges, income).
        "total": format_cents(exact_sum(amounts["amount_cents"])),
        "left_out": parsed.left_out,
        "skipped": parsed.skipped_total,
    }
    return Prepared(list(parsed.errors), len(amounts), tables, summary)


def _dedupe(errors: list[RowError]) -> list[RowError]:
    seen, unique = set(), []
    for error in errors:
        key = (error.sheet, error.row, error.column, error.message)
        if key not in seen:
            seen.add(key)
            unique.append(error)
    return unique


_PREPARERS: dict[str, Callable[..., Prepared]] = {
    "districts": _prepare_districts,
    "indicators": _prepare_indicators,
    "measures": _prepare_measures,
    "plan": _prepare_plan,
}


@click.command("template")
@click.argument("kind", type=click.Choice(["districts", "indicators", "measures", "plan"]))
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
def template_command(kind: str, out: Path) -> None:
    """Write an Excel template for KIND with an example row and an instructions sheet."""
    write_template(kind, out)
    click.echo(f"template written: {out}")
