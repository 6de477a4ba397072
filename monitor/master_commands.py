"""`budget-monitor import districts|indicators|measures|plan` and `budget-monitor template`
(`import prices` is in `monitor.price_commands`, the geodata imports in `monitor.geo_commands`).

Each import is checked completely first (the file's own rules, then against what the ledger
already holds: known districts, postings claimed by two measures) and only then stored, as a new
version in one transaction; a file with any error changes nothing and exits 1.
"""

from __future__ import annotations

import getpass
import shlex
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click
import pandas as pd
from sqlalchemy import Connection

from imports.fingerprint import fingerprint, fingerprint_files
from imports.master_data.columns import MasterDataError, NoRows
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
from monitor.ledger_check import anchor_new_head
from monitor.options import json_option
from monitor.problem_words import refusal_text
from monitor.terminal_format import Terminal
from monitor.worded import WordedArgument, WordedCommand, WordedOption


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


def store_prepared(
    app: AppContext,
    kind: str,
    path: Path,
    prepared: Prepared,
    parts: Sequence[Path] | None = None,
) -> dict[str, Any]:
    """A checked file stored as a new version of `kind` when it has no errors; its summary.

    The one way every master-data import (districts, indicators, measures, plan, prices,
    boundaries, grid, facilities) is stored: the file fingerprinted (`parts`: every file it
    came in, a Shapefile's sidecars too; default the path itself), an unchanged re-import
    recognised, the rows written, hashed and sealed in one transaction
    (`ledger.master_store.store_master_import`), and the new head appended to `[ledger]
    anchor_file`. The document's `errors` list every problem; when it is not empty nothing
    was stored; `unchanged` is true where the file was the newest version already.
    """
    document: dict[str, Any] = {
        "import": None,
        "kind": kind,
        "file": str(path),
        "errors": [e.to_dict() for e in prepared.errors],
    }
    if prepared.errors:
        return document
    print_ = fingerprint_files(tuple(parts or (path,)))
    stored = store_master_import(
        app.engine,
        kind=kind,
        print_=print_,
        os_user=getpass.getuser(),
        rows=prepared.rows,
        tables=prepared.tables,
        summary=prepared.summary,
    )
    if not stored.unchanged:
        anchor_new_head(app, master=stored.import_id)
    document.update(
        {"import": stored.import_id, "unchanged": stored.unchanged, "sha256": print_.sha256}
    )
    document.update(prepared.summary)
    return document


def report_import(
    app: AppContext, document: dict[str, Any], json_output: bool, text: Callable[..., list[str]]
) -> None:
    """A master-data import's outcome: the JSON document, or the rejected rows on stderr and,
    when it was stored, `text(terminal, document)`'s lines and the next steps; exit 1 with
    errors (nothing was stored)."""
    errors = document["errors"]
    if json_output or app.json_output:
        app.emit_json(document)
    else:
        terminal = app.terminal
        terminal.row_errors(document["file"], errors)
        if errors:
            click.echo(terminal("cli.import.master.nothing_imported"), err=True)
        elif document.get("unchanged"):
            click.echo(
                terminal(
                    "cli.import.master.unchanged",
                    file=Path(document["file"]).name,
                    version=document["import"],
                )
            )
        else:
            for line in text(terminal, document):
                click.echo(line)
            terminal.next_steps(*_NEXT.get(document["kind"], _NEXT_DEFAULT)(app))
    if errors:
        raise SystemExit(1)


def _imported(t: Terminal, d: dict[str, Any], **values: object) -> str:
    """The first line: what was imported as which version (`cli.import.KIND.done`)."""
    return t(
        f"cli.import.{d['kind']}.done", file=Path(d["file"]).name, version=d["import"], **values
    )


def _meanings(t: Terminal, counts: dict[str, int]) -> str:
    """Missing values by the meaning of their symbol: "nichts vorhanden 3, geheim 2"."""
    return ", ".join(f"{t(f'cli.meaning.{m}')} {t.count(n)}" for m, n in counts.items())


def _districts_text(t: Terminal, d: dict[str, Any]) -> list[str]:
    return [
        _imported(
            t,
            d,
            districts=t.count(d["districts"]),
            population=t.count(d["population_rows"]),
            skipped=t.count(d["skipped"]),
        )
    ]


def _indicators_text(t: Terminal, d: dict[str, Any]) -> list[str]:
    lines = [
        _imported(
            t,
            d,
            values=t.count(d["values"]),
            layout=t(f"cli.import.layout.{d['layout']}"),
            missing=t.count(d["missing"]),
            skipped=t.count(d["skipped"]),
        ),
        "  " + t.listed(t("cli.import.indicators.codes"), d["indicators"]),
    ]
    if d["missing_by_meaning"]:
        lines.append(
            "  " + t("cli.import.missing_by_meaning", counts=_meanings(t, d["missing_by_meaning"]))
        )
    lines += _ignored_text(t, d)
    if "source" in d:
        lines.append("  " + t("cli.import.indicators.official", other=t.count(d["other_areas"])))
    if d.get("not_computed"):
        lines.append(
            "  " + t("cli.import.indicators.not_computed", count=t.count(d["not_computed"]))
        )
    if "crosswalk" in d:
        lines += _crosswalk_text(t, d["crosswalk"])
    return lines


def _ignored_text(t: Terminal, d: dict[str, Any]) -> list[str]:
    """The columns nothing read, a header-less one by its letter in the reader's words
    ("Spalte R (ohne Überschrift)"); the JSON lists it by its letter alone."""
    unnamed = list(d["unnamed_columns"])
    named = list(d["ignored_columns"])
    for letter in unnamed:
        named.remove(letter)
    columns = [*named, *(t("cli.import.unnamed_column", letter=letter) for letter in unnamed)]
    return ["  " + t.listed(t("cli.import.ignored_columns"), columns)] if columns else []


def _crosswalk_text(t: Terminal, summary: dict[str, Any]) -> list[str]:
    """What the crosswalk carried, and the codes of the file it could not place; --json names
    every district it left out and why."""
    return [
        "  "
        + t(
            "cli.import.crosswalk.done",
            file=summary["file"],
            carried=t.count(summary["carried"]),
            one_to_one=t.count(summary["one_to_one"]),
            merged=t.count(len(summary["many_to_one"])),
            splits=t.count(len(summary["splits"])),
        ),
        "  " + t.listed(t("cli.import.crosswalk.unmatched"), summary["unmatched"]),
        "  " + t.listed(t("cli.import.crosswalk.not_covered"), list(summary["not_covered"])),
    ]


def _measures_text(t: Terminal, d: dict[str, Any]) -> list[str]:
    return [
        _imported(t, d, measures=t.count(d["measures"]), allocations=t.count(d["allocations"])),
        "  " + t.listed(t("cli.import.measures.programs"), d["programs"]),
        "  " + t.listed(t("cli.import.measures.unallocated"), d["unallocated"]),
    ]


def _plan_text(t: Terminal, d: dict[str, Any]) -> list[str]:
    lines = [
        _imported(
            t,
            d,
            amounts=t.count(d["amounts"]),
            years=", ".join(map(str, d["years"])),
            total=t.money(d["total"]),
        )
    ]
    if d["left_out"]:
        reasons = ", ".join(
            f"{t(f'cli.import.plan.left_out.{why}')} {t.count(n)}"
            for why, n in d["left_out"].items()
        )
        lines.append("  " + t("cli.import.plan.left_out", reasons=reasons))
    lines += _ignored_text(t, d)
    return lines


def _next_after_districts(app: AppContext) -> tuple[tuple[str, dict[str, object]], ...]:
    return (("cli.next.after_districts", {"run": app.invocation}),)


def _next_after_figures(app: AppContext) -> tuple[tuple[str, dict[str, object]], ...]:
    return (
        ("cli.next.need", {"run": app.invocation}),
        ("cli.next.verify", {"run": app.invocation}),
    )


def _next_after_measures(app: AppContext) -> tuple[tuple[str, dict[str, object]], ...]:
    return (
        ("cli.next.spend", {"run": app.invocation}),
        ("cli.next.verify", {"run": app.invocation}),
    )


_NEXT_DEFAULT = _next_after_figures
# What to do after each kind of master data (issue 16 item 7): the next file a city imports,
# or the first figure it can now see.
_NEXT: dict[str, Callable[[AppContext], tuple[tuple[str, dict[str, object]], ...]]] = {
    "districts": _next_after_districts,
    "measures": _next_after_measures,
    "plan": _next_after_measures,
}


class NoRowsRefused(UserError):
    """A file refused as "no rows" (`imports.master_data.columns.NoRows`)."""


def parse_master_file(
    app: AppContext, parse: Callable[..., Any], path: Path, **options: Any
) -> Any:
    limits = ReadLimits(max_uncompressed_mb=app.settings.imports.max_uncompressed_mb)
    try:
        return parse(path, limits=limits, **options)
    except NoRows as exc:
        raise NoRowsRefused.refusing(exc) from None
    except (FileRefused, MasterDataError) as exc:
        raise UserError.refusing(exc) from None


def _known_districts(app: AppContext, connection: Connection, path: Path) -> set[str]:
    known = set(districts(connection)["code"])
    if not known:
        raise UserError(app.words("cli.import.no_districts_yet", file=path.name))
    return known


@click.command("districts", cls=WordedCommand, help="cli.import.districts.help")
@click.argument(
    "path", type=click.Path(path_type=Path), cls=WordedArgument, metavar="cli.metavar.file"
)
@json_option
@click.pass_obj
def import_districts_command(app: AppContext, path: Path, json_output: bool) -> None:
    """Districts (Sozialräume) with their names, and population per year (help for users:
    `cli.import.districts.help`)."""
    report_import(app, import_master_file(app, "districts", path), json_output, _districts_text)


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


@click.command("indicators", cls=WordedCommand, help="cli.import.indicators.help")
@click.argument(
    "path", type=click.Path(path_type=Path), cls=WordedArgument, metavar="cli.metavar.file"
)
@click.option("--period", cls=WordedOption, help="cli.import.indicators.period")
@click.option(
    "--crosswalk",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    cls=WordedOption,
    help="cli.import.indicators.crosswalk",
)
@json_option
@click.pass_obj
def import_indicators_command(
    app: AppContext, path: Path, period: str | None, crosswalk: Path | None, json_output: bool
) -> None:
    """Indicator values per district and period, long or wide, GENESIS too; the symbols of
    official statistics are missing, never zero (help for users: `cli.import.indicators.help`)."""
    document = import_master_file(app, "indicators", path, period=period, crosswalk=crosswalk)
    report_import(app, document, json_output, _indicators_text)


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
        aggregates_from=app.settings.indicator_files.aggregates_from or None,
    )
    errors = list(parsed.errors)
    values, counts, joined = parsed.values, parsed.population, None
    with app.engine.connect() as connection:
        known = _known_districts(app, connection, path)
        other_areas: list[str] = []
        if parsed.source is not None:
            # An official table covers a Land or all of Germany: its other areas are not errors.
            other_areas = sorted(set(values["district"].dropna()) - known)
            values = values[values["district"].isin(known)]
            counts = counts[counts["district"].isin(known)]
            if values.empty and not errors:
                raise UserError(
                    app.words(
                        "cli.import.indicators.no_district_rows",
                        file=path.name,
                        count=app.terminal.count(len(other_areas)),
                        examples=", ".join(other_areas[:3]),
                    )
                )
        # Rates from counts, for the districts kept (an official table covers all Germany).
        values, rates = _with_computed_rates(app, path, values, counts)
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
                raise UserError.refusing(exc) from None
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
        "unnamed_columns": list(parsed.unnamed_columns),
        "skipped": parsed.skipped_total,
        "missing_by_meaning": parsed.missing_by_meaning,
    }
    if parsed.source is not None:  # a GENESIS export: its layout, and the areas left out
        summary["source"] = parsed.source
        summary["other_areas"] = len(other_areas)
    if rates:  # [indicators.CODE] numerator/denominator: rates computed from counts
        summary["computed_rates"] = rates
    if zero_rows_missing:  # rows whose zeros were read as "not computed", hence missing
        summary["not_computed"] = parsed.not_computed
    if parsed.aggregates:  # [indicator_files] aggregates_from: the file's closing aggregate rows
        summary["skipped_aggregates"] = list(parsed.aggregates)
    if joined is not None:  # what the crosswalk carried, and every code it did not
        summary["crosswalk"] = {**joined.summary, "sha256": fingerprint(crosswalk).sha256}
    return Prepared(_dedupe(errors), len(values), tables, summary)


def _with_computed_rates(
    app: AppContext, path: Path, values: Any, counts: Any
) -> tuple[Any, dict[str, int]]:
    """The values with the rates the settings compute from counts and denominators added, and
    per rate how many values are not missing. A file that holds the rate itself as well is
    refused: two sources for one figure."""
    from imports.master_data.indicator_rates import RateRule, computed_rates

    rules = {
        code: RateRule(setting.numerator, setting.denominator or "population",
                       100.0 if setting.unit.strip() == "%" else 1.0)
        for code, setting in app.settings.indicators.items()
        if setting.numerator
    }  # fmt: skip
    if not rules:
        return values, {}
    both = sorted(set(rules) & set(values["indicator"]))
    if both:
        raise UserError(
            f"{path.name}: {', '.join(both)} is both a column of the file and computed from "
            "counts ([indicators.CODE] numerator); remove one of the two"
        )
    rates = computed_rates(values, counts, rules)
    if rates.empty:
        return values, {}
    found = rates.groupby("indicator")["value"].count().to_dict()
    return pd.concat([values, rates], ignore_index=True), {k: int(v) for k, v in found.items()}


@click.command("measures", cls=WordedCommand, help="cli.import.measures.help")
@click.argument(
    "path", type=click.Path(path_type=Path), cls=WordedArgument, metavar="cli.metavar.file"
)
@click.option("--allow-empty", is_flag=True, cls=WordedOption, help="cli.import.allow_empty")
@json_option
@click.pass_obj
def import_measures_command(
    app: AppContext, path: Path, allow_empty: bool, json_output: bool
) -> None:
    """The measure catalog (rules that find postings) and its allocation to districts (help
    for users: `cli.import.measures.help`)."""
    document = import_master_file(app, "measures", path, allow_empty=allow_empty)
    report_import(app, document, json_output, _measures_text)


def _prepare_measures(app: AppContext, path: Path, allow_empty: bool = False) -> Prepared:
    """The new catalogue replaces the one in force: one without measures only on purpose
    (`--allow-empty`), since it leaves every euro unattributed."""
    try:
        parsed = parse_master_file(app, parse_measures, path, allow_empty=allow_empty)
    except NoRowsRefused as exc:
        refusal = refusal_text(exc.refusal, app.words) if exc.refusal else str(exc)
        raise UserError(app.words("cli.import.measures.empty_catalogue", refusal=refusal)) from None
    errors = list(parsed.errors)
    measures = parsed.measures.rename(
        columns={"measure": "code", "start": "start_date", "end": "end_date", "order": "order_no"}
    )
    with app.engine.connect() as connection:
        known = _known_districts(app, connection, path)
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
        raise UserError.refusing(exc) from None


@click.command("plan", cls=WordedCommand, help="cli.import.plan.help")
@click.argument(
    "path", type=click.Path(path_type=Path), cls=WordedArgument, metavar="cli.metavar.file"
)
@json_option
@click.pass_obj
def import_plan_command(app: AppContext, path: Path, json_output: bool) -> None:
    """Budgeted amounts (Haushaltsansätze) per measure or product and year (help for users:
    `cli.import.plan.help`)."""
    report_import(app, import_master_file(app, "plan", path), json_output, _plan_text)


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
        "unnamed_columns": list(parsed.unnamed_columns),
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


@click.command("template", cls=WordedCommand, help="cli.template.help")
@click.argument("kind", type=click.Choice(["districts", "indicators", "measures", "plan"]))
@click.argument(
    "out",
    type=click.Path(dir_okay=False, path_type=Path),
    cls=WordedArgument,
    metavar="cli.metavar.file",
)
@click.pass_obj
def template_command(app: AppContext, kind: str, out: Path) -> None:
    """Write an Excel template for KIND with an example row and an instructions sheet (help
    for users: `cli.template.help`)."""
    write_template(kind, out)
    terminal = app.terminal
    click.echo(terminal("cli.template.done", file=out))
    terminal.next_steps(
        ("cli.next.template", {"run": app.invocation, "kind": kind, "file": shlex.quote(str(out))})
    )
