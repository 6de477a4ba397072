"""`budget-monitor evaluate`: did the money move the indicator? (SPEC §7)

Panel mode reads a user's own panel file (`--panel` with the columns to use). The ledger mode
(`--indicator` with `--program` or `--measure`) will build the same kind of panel from spending
and indicators once master data exists; both end in `evaluation.panel_evaluation.evaluate_panel`,
so this command only parses options, reads the file and prints.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from evaluation.caveat_codes import CaveatError
from evaluation.panel_evaluation import (
    CONTROLS,
    INFERENCES,
    METHODS,
    SMALL_SAMPLES,
    EvaluationOptions,
    OptionConflict,
    PanelEvaluation,
    evaluate_panel,
)
from imports.panel_file import PanelColumns, PanelFile, read_panel
from imports.readers import FileRefused, ReadLimits
from ledger.district_panel import PanelError, build_panel
from ledger.master_store import resolve_as_of
from ledger.tagging import AmbiguousPostings
from monitor.context import AppContext, UserError
from monitor.known_checks import require_codes
from monitor.ledger_check import checked_ledger, unverified_option
from monitor.options import as_of_option, json_option
from monitor.problem_words import refusal_text
from monitor.terminal_format import Terminal
from monitor.worded import WordedCommand, WordedOption
from reports.caveats import localized_document, plain_caveat, plain_caveats, plain_inference
from reports.effect_words import detectable_effect, estimate_line
from reports.formatting import LocaleFormat
from reports.messages import Messages

_PANEL_OPTIONS = ("outcome", "unit", "time", "cohort")
# Districts named per start period on the terminal; --json names all of them.
_SHOWN_UNITS = 6


@click.command("evaluate", cls=WordedCommand, help="cli.evaluate.help")
@click.option(
    "--panel",
    "panel_path",
    type=click.Path(path_type=Path),
    cls=WordedOption,
    help="cli.evaluate.panel",
)
@click.option("--outcome", cls=WordedOption, help="cli.evaluate.outcome")
@click.option("--unit", cls=WordedOption, help="cli.evaluate.unit")
@click.option("--time", cls=WordedOption, help="cli.evaluate.time")
@click.option("--cohort", cls=WordedOption, help="cli.evaluate.cohort")
@click.option(
    "--method",
    type=click.Choice(METHODS),
    default="auto",
    cls=WordedOption,
    help="cli.evaluate.method",
)
@click.option(
    "--control", type=click.Choice(CONTROLS), cls=WordedOption, help="cli.evaluate.control"
)
@click.option("--cluster", cls=WordedOption, help="cli.evaluate.cluster")
@click.option("--leads", type=click.IntRange(min=1), cls=WordedOption, help="cli.evaluate.leads")
@click.option("--lags", type=click.IntRange(min=0), cls=WordedOption, help="cli.evaluate.lags")
@click.option(
    "--inference",
    type=click.Choice(INFERENCES),
    default="auto",
    cls=WordedOption,
    help="cli.evaluate.inference",
)
@click.option(
    "--small-sample",
    type=click.Choice(SMALL_SAMPLES),
    cls=WordedOption,
    help="cli.evaluate.small_sample",
)
@click.option("--seed", type=int, default=0, cls=WordedOption, help="cli.evaluate.seed")
@click.option("--indicator", cls=WordedOption, help="cli.evaluate.indicator")
@click.option("--program", cls=WordedOption, help="cli.evaluate.program")
@click.option("--measure", cls=WordedOption, help="cli.evaluate.measure")
@as_of_option
@unverified_option
@json_option
@click.pass_obj
def evaluate_command(
    app: AppContext,
    panel_path: Path | None,
    indicator: str | None,
    program: str | None,
    measure: str | None,
    as_of: str | None,
    outcome: str | None,
    unit: str | None,
    time: str | None,
    cohort: str | None,
    method: str,
    control: str | None,
    cluster: str | None,
    leads: int | None,
    lags: int | None,
    inference: str,
    small_sample: str | None,
    seed: int,
    unverified: bool,
    json_output: bool,
) -> None:
    """Estimate the effect of a measure on an indicator by difference-in-differences, from the
    ledger or a panel file (help for users: `cli.evaluate.help` in the catalogue)."""
    options = EvaluationOptions(
        method=method,
        control=control,
        cluster=cluster,
        leads=leads,
        lags=lags,
        inference=inference,
        seed=seed,
        small_sample=small_sample,
    )
    if panel_path is None:
        _evaluate_ledger(app, indicator, program, measure, as_of, options, unverified, json_output)
        return
    if indicator or program or measure or as_of:
        raise click.UsageError(app.words("cli.evaluate.panel_or_ledger"))
    columns = _panel_columns(app, outcome, unit, time, cohort, cluster)
    limits = ReadLimits(max_uncompressed_mb=app.settings.imports.max_uncompressed_mb)
    try:
        panel = read_panel(panel_path, columns, limits)
    except FileRefused as exc:
        raise UserError(f"{panel_path}: {refusal_text(exc, app.words, named=False)}") from None
    if panel.errors:
        terminal = app.terminal
        terminal.row_errors(panel_path, [e.to_dict() for e in panel.errors])
        rows = len({e.row for e in panel.errors})
        raise UserError(
            terminal(
                "cli.evaluate.problems",
                file=panel_path,
                problems=terminal.count(len(panel.errors)),
                rows=terminal.count(rows),
            )
        )
    try:
        evaluation = evaluate_panel(
            panel.frame, columns.outcome, columns.unit, columns.time, columns.cohort, options
        )
    except OptionConflict as exc:
        words = app.words(f"cli.evaluate.conflict.{exc.code}", **exc.values)
        raise click.UsageError(words) from None
    except ValueError as exc:  # the estimators' word on a panel they cannot evaluate
        raise UserError(f"{panel_path}: {why_no_estimate(exc, app.lang)}") from None
    if json_output or app.json_output:
        app.emit_json({**_document(evaluation, app.lang), "panel": _describe_source(panel)})
    else:
        print_evaluation(app.terminal, _document(evaluation, app.lang), str(panel_path))


def _evaluate_ledger(
    app: AppContext,
    indicator: str | None,
    program: str | None,
    measure: str | None,
    as_of: str | None,
    options: EvaluationOptions,
    unverified: bool,
    json_output: bool,
) -> None:
    """Evaluate a program or measure on the panel the ledger builds, once the ledger's hash
    chain verifies (or marked unverified)."""
    if not indicator or (program is None) == (measure is None):
        raise click.UsageError(app.words("cli.evaluate.what_to_evaluate"))
    mark = checked_ledger(app, unverified)
    require_codes(app, indicator=indicator, program=program, measure=measure)
    with app.engine.connect() as connection:
        try:
            panel = build_panel(
                connection,
                indicator,
                app.settings.ledger.spending_patterns,
                program=program,
                measure=measure,
                as_of=resolve_as_of(connection, as_of),
            )
        except (PanelError, AmbiguousPostings) as exc:
            raise UserError.refusing(exc) from None
    try:
        evaluation = evaluate_panel(
            panel.frame.rename(columns={"value": indicator}),
            indicator,
            "district",
            "time",
            "cohort",
            options,
            program=program or measure,
        )
    except OptionConflict as exc:
        words = app.words(f"cli.evaluate.conflict.{exc.code}", **exc.values)
        raise click.UsageError(words) from None
    except ValueError as exc:
        raise UserError(why_no_estimate(exc, app.lang)) from None
    if json_output or app.json_output:
        app.emit_json(
            {
                **_document(evaluation, app.lang),
                "frequency": panel.frequency,
                "missing_values": panel.missing_values,
                **mark,
            }
        )
    else:
        terminal = app.terminal
        if mark:
            click.echo(terminal("cli.unverified_flag").strip(" –"))
        print_evaluation(terminal, _document(evaluation, app.lang), program or measure or "")


def why_no_estimate(exc: ValueError, lang: str) -> str:
    """Why there is no estimate: a reason with a code (CaveatError, MethodUnavailable) in the
    chosen language; any other refusal of the estimators as their English message."""
    if isinstance(exc, CaveatError):
        return plain_caveat(exc.caveat, Messages(lang), LocaleFormat(lang))
    return str(exc)


def _document(evaluation: PanelEvaluation, lang: str) -> dict[str, object]:
    """The SPEC §7 document, its caveats' texts (and `warnings`, the list of those texts) in the
    invocation's language; their codes and numbers, like every key, are the same in each."""
    return localized_document(evaluation.to_dict(), Messages(lang), LocaleFormat(lang))


def _panel_columns(
    app: AppContext,
    outcome: str | None,
    unit: str | None,
    time: str | None,
    cohort: str | None,
    cluster: str | None,
) -> PanelColumns:
    """The named columns, or a usage error saying which options are missing."""
    if not (outcome and unit and time and cohort):
        named = dict(zip(_PANEL_OPTIONS, (outcome, unit, time, cohort), strict=True))
        missing = [f"--{option}" for option, value in named.items() if not value]
        raise click.UsageError(app.words("cli.evaluate.panel_needs", missing=", ".join(missing)))
    return PanelColumns(outcome=outcome, unit=unit, time=time, cohort=cohort, cluster=cluster)


def _describe_source(panel: PanelFile) -> dict[str, object]:
    return {"file": str(panel.path), "sheet": panel.sheet, "header_row": panel.header_row}


def method_words(t: Terminal, method: str) -> str:
    """An estimation method's code (`staggered`, `sdid`) in the reader's words, as the report
    names it; a code the catalogue does not know as it is."""
    key = f"method.{method}"
    return t(key) if t.words.has(key) else method


def print_evaluation(t: Terminal, document: dict[str, Any], what: str) -> None:
    """The estimate in the report's own sentences (its programme page's small print): the
    effect with interval and p-value, what can be detected, the design, the start periods, how
    the uncertainty was computed and why this method; then the caveats."""
    say = t.say
    say(t("cli.evaluate.title", indicator=document["indicator"], what=what))
    # The report's sentence builders take its layout; they read only its words and formats.
    words: Any = t
    line = estimate_line(document, words)
    if line:
        say(line)
    detectable = detectable_effect(document, words)
    if detectable:
        say(t("cli.evaluate.detectable", effect=detectable))
    say(
        t(
            "program.design",
            method=method_words(t, document["method"]),
            treated=t.count(document["n_treated"]),
            control=t.count(document["n_control"]),
        )
    )
    cohorts = "; ".join(
        t("program.cohort", period=period, districts=", ".join(map(str, units)))
        if len(units) <= _SHOWN_UNITS
        else t(
            "cli.evaluate.cohort_many",
            period=period,
            count=t.count(len(units)),
            districts=", ".join(map(str, units[:_SHOWN_UNITS])),
        )
        for period, units in sorted(document["cohorts"].items())
    )
    if cohorts:
        say(t("program.cohorts", cohorts=cohorts))
    say(t("program.inference", inference=plain_inference(document, t.words)))
    chosen = document.get("method_reason_caveat")
    if chosen:
        say(t("program.method_reason", reason=plain_caveat(chosen, t.words, t.fmt)))
    if document.get("pretrend_pvalue") is not None:
        say(t("cli.evaluate.pretrend", p=t.fmt.pvalue(document["pretrend_pvalue"])))
    if document["method"] == "event":
        say(t("cli.evaluate.event_header"))
        for row in document["event_study"]:
            low, high = row["ci"]
            say(
                "  "
                + t(
                    "cli.evaluate.event_row",
                    rel=row["rel_time"],
                    estimate=t.signed(row["estimate"]),
                    low=t.signed(low),
                    high=t.signed(high),
                )
            )
    for caveat in plain_caveats(document["caveats"], t.words, t.fmt):
        say(t("cli.warning", message=caveat))
