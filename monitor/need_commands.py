"""`budget-monitor need` and `targeting`: where the need is, and whether the money follows it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import click
import pandas as pd
from sqlalchemy import Connection

from evaluation.need import NeedDataError, NeedTable, need_panel, need_table
from evaluation.targeting import Targeting, targeting
from ledger.master_store import districts, indicator_values, population, resolve_as_of
from ledger.spending import spend
from ledger.tagging import AmbiguousPostings
from monitor.context import AppContext, UserError
from monitor.language import invocation_words
from monitor.ledger_check import checked_ledger, unverified_option, verify_mark
from monitor.options import as_of_option, json_option, xlsx_option
from monitor.settings import Settings
from monitor.terminal_format import Terminal
from monitor.worded import WordedCommand, WordedOption
from reports.audit_workbook import write_need_workbook
from reports.caveats import localized_document
from reports.formatting import LocaleFormat
from reports.messages import Messages
from reports.overview_sections import targeting_sentences


@dataclass(frozen=True)
class NeedInputs:
    """What the need index is computed from: values of the need indicators, population, names."""

    values: pd.DataFrame
    population: pd.DataFrame
    names: dict[str, str]
    weights: dict[str, float]
    higher_is_worse: dict[str, bool]


def need_inputs(connection: Connection, settings: Settings, as_of: int | None = None) -> NeedInputs:
    weights = dict(settings.evaluation.need_index)
    values = indicator_values(connection, as_of)
    values = values[values["indicator"].isin(weights)]
    if values.empty:
        raise UserError(invocation_words()("cli.need.no_values", indicators=", ".join(weights)))
    listed = districts(connection, as_of)
    return NeedInputs(
        values=values[["district", "indicator", "period", "value"]],
        population=population(connection, as_of),
        names=dict(zip(listed["code"], listed["name"], strict=True)),
        weights=weights,
        higher_is_worse={
            code: settings.indicators[code].higher_is_worse if code in settings.indicators else True
            for code in weights
        },
    )


def compute_need(
    connection: Connection, settings: Settings, period: str | None, as_of: int | None = None
) -> NeedTable:
    """The need table from the ledger's master data and the settings' need index."""
    inputs = need_inputs(connection, settings, as_of)
    try:
        return need_table(
            inputs.values,
            inputs.population,
            inputs.names,
            inputs.weights,
            inputs.higher_is_worse,
            settings.disclosure.min_population,
            period,
        )
    except NeedDataError as exc:
        raise UserError.said(f"cli.need.{exc.code}", **exc.values) from None


def worsened_classes(
    connection: Connection, settings: Settings, period: str, as_of: int | None = None
) -> list[tuple[str, str, str, str]]:
    """(key, name, class before, class now) of districts whose need class rose into `period`;
    master data as of import `as_of` (None: newest)."""
    inputs = need_inputs(connection, settings, as_of)
    panel = need_panel(
        inputs.values,
        inputs.population,
        inputs.weights,
        inputs.higher_is_worse,
        settings.disclosure.min_population,
    )
    ranked = panel[panel["need_class"].notna()].sort_values("period")
    order = {"low": 0, "medium": 1, "high": 2, "very_high": 3}
    rows = []
    for district, history in ranked.groupby("district"):
        history = history[history["period"] <= period]
        if len(history) < 2 or history["period"].iloc[-1] != period:
            continue
        before, now = history["need_class"].iloc[-2], history["need_class"].iloc[-1]
        if order[now] > order[before]:
            rows.append((district, inputs.names.get(district, district), before, now))
    return sorted(rows)


def need_figures(
    app: AppContext, period: str | None, as_of: str | None = None, unverified: bool = False
) -> dict[str, Any]:
    """The `need --json` document (SPEC §7), after the ledger check: the one path to the need
    table, for the command line and the web atlas alike."""
    mark = checked_ledger(app, unverified)
    with app.engine.connect() as connection:
        table = compute_need(connection, app.settings, period, resolve_as_of(connection, as_of))
    return {**table.to_dict(), **mark}


@click.command("need", cls=WordedCommand, help="cli.need.help")
@click.option("--period", cls=WordedOption, help="cli.need.period")
@as_of_option
@unverified_option
@xlsx_option
@json_option
@click.pass_obj
def need_command(
    app: AppContext,
    period: str | None,
    as_of: str | None,
    unverified: bool,
    xlsx_path: Path | None,
    json_output: bool,
) -> None:
    """Need index, rank and class per district, with change and persistence of high need
    (help for users: `cli.need.help` in the catalogue)."""
    document = need_figures(app, period, as_of, unverified)
    mark = verify_mark(document)
    if xlsx_path:
        write_need_workbook(document, xlsx_path, app.lang)
    if json_output or app.json_output:
        app.emit_json(document)
        return
    print_need(app.terminal, document, mark)


def print_need(t: Terminal, document: dict[str, Any], mark: dict[str, Any]) -> None:
    """The need table: rank, district, inhabitants, index, class in words, change and how many
    periods in a row the need has been high; left-out districts with their reason below."""
    title = t(
        "cli.need.title", period=document["period"], indicators=", ".join(document["indicators"])
    )
    if mark:
        title += t("cli.unverified_flag")
    columns = ("rank", "key", "name", "population", "index", "class", "change", "persistent")
    kinds = ("figure", "fixed", "text", "figure", "figure", "fixed", "figure", "figure")
    table = t.table(
        title, [(t(f"cli.need.column.{c}"), kind) for c, kind in zip(columns, kinds, strict=True)]
    )
    for row in document["districts"]:
        table.add_row(
            str(row["need_rank"]),
            row["key"],
            row["name"],
            t.count(row["population"]),
            t.number(row["need_index"]),
            t(f"need_class.{row['need_class']}"),
            t.signed(row["change"]),
            t.count(row["persistent"]) if row["persistent"] else "",
        )
    t.print_table(table)
    t.say(t("cli.need.legend"))
    for item in document["suppressed"]:
        click.echo(t("cli.need.suppressed", key=item["key"], reason=item["reason"]))


@click.command("targeting", cls=WordedCommand, help="cli.targeting.help")
@click.option("--year", type=int, cls=WordedOption, help="cli.targeting.year")
@as_of_option
@unverified_option
@json_option
@click.pass_obj
def targeting_command(
    app: AppContext, year: int | None, as_of: str | None, unverified: bool, json_output: bool
) -> None:
    """Does spending per inhabitant follow need? (help for users: `cli.targeting.help` in the
    catalogue)"""
    mark = checked_ledger(app, unverified)
    with app.engine.connect() as connection:
        version = resolve_as_of(connection, as_of)
        need = compute_need(connection, app.settings, None if year is None else str(year), version)
        chosen = int(need.period[:4]) if year is None else year
        try:
            spent = spend(
                connection,
                "district",
                date(chosen, 1, 1),
                date(chosen, 12, 31),
                app.settings.ledger.spending_patterns,
                version,
            )
        except AmbiguousPostings as exc:
            raise UserError.refusing(exc) from None
    result = targeting_of(need, spent, chosen)
    if json_output or app.json_output:
        lang = app.lang
        app.emit_json(
            {**localized_document(result.to_dict(), Messages(lang), LocaleFormat(lang)), **mark}
        )
        return
    t = app.terminal
    if mark:
        click.echo(t("cli.unverified_flag").strip(" –"))
    # The report's sentences for the same figures (its "at a glance" page), in the same words.
    for sentence in targeting_sentences(result.to_dict(), t):  # type: ignore[arg-type]
        t.say(sentence)
    for caveat in localized_document(result.to_dict(), t.words, t.fmt)["caveats"]:
        t.say(t("cli.warning", message=caveat["text"]))
    attributed = sum(Decimal(r["amount"]) for r in spent["rows"])
    t.say(
        t(
            "cli.targeting.spending",
            year=chosen,
            attributed=t.money(attributed),
            unattributed=t.money(spent["unattributed"]),
        )
    )


def targeting_of(need: NeedTable, spent: dict[str, Any], year: int) -> Targeting:
    """Targeting of one year from the need table and the `spend --by district` document."""
    need_frame = pd.DataFrame(
        [
            {"key": r.key, "need_index": r.need_index, "need_rank": r.need_rank}
            for r in need.districts
        ],
        columns=["key", "need_index", "need_rank"],
    )
    spending = pd.DataFrame(
        [
            {
                "key": r["key"],
                "population": r["population"],
                "amount_cents": int(Decimal(r["amount"]) * 100),
            }
            for r in spent["rows"]
        ],
        columns=["key", "population", "amount_cents"],
    )
    return targeting(need_frame, spending, year=year)
