"""`budget-monitor evaluate`: did the money move the indicator? (SPEC §7)

Panel mode reads a user's own panel file (`--panel` with the columns to use). The ledger mode
(`--indicator` with `--program` or `--measure`) will build the same kind of panel from spending
and indicators once master data exists; both end in `evaluation.panel_evaluation.evaluate_panel`,
so this command only parses options, reads the file and prints.
"""

from __future__ import annotations

from pathlib import Path

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
from imports.postings import RowError
from imports.readers import FileRefused, ReadLimits
from ledger.district_panel import PanelError, build_panel
from ledger.master_store import resolve_as_of
from ledger.tagging import AmbiguousPostings
from monitor.context import AppContext, UserError
from monitor.known_checks import require_codes
from monitor.ledger_check import checked_ledger, unverified_option
from monitor.options import as_of_option, json_option
from monitor.worded import WordedCommand, WordedOption
from reports.caveats import localized_document, plain_caveat
from reports.formatting import LocaleFormat
from reports.messages import Messages

_SHOWN_ERRORS = 50
_PANEL_OPTIONS = ("outcome", "unit", "time", "cohort")


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
        raise click.UsageError(
            "--indicator/--program/--measure/--as-of read the ledger; they do not go with --panel"
        )
    columns = _panel_columns(outcome, unit, time, cohort, cluster)
    limits = ReadLimits(max_uncompressed_mb=app.settings.imports.max_uncompressed_mb)
    try:
        panel = read_panel(panel_path, columns, limits)
    except FileRefused as exc:
        raise UserError(f"{panel_path}: {exc.message}") from None
    if panel.errors:
        _print_errors(panel_path, panel.errors)
        rows = len({e.row for e in panel.errors})
        raise UserError(
            f"{panel_path}: {_count(len(panel.errors), 'problem')} in {_count(rows, 'row')}; "
            "nothing evaluated"
        )
    try:
        evaluation = evaluate_panel(
            panel.frame, columns.outcome, columns.unit, columns.time, columns.cohort, options
        )
    except OptionConflict as exc:
        raise click.UsageError(str(exc)) from None
    except ValueError as exc:  # the estimators' word on a panel they cannot evaluate
        raise UserError(f"{panel_path}: {_why(exc, app.lang)}") from None
    if json_output or app.json_output:
        app.emit_json({**_document(evaluation, app.lang), "panel": _describe_source(panel)})
    else:
        _print_summary(evaluation)


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
        raise click.UsageError(
            "give --indicator CODE with --program NAME or --measure CODE (ledger), or --panel "
            "FILE with --outcome, --unit, --time and --cohort (your own panel)"
        )
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
            raise UserError(str(exc)) from None
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
        raise click.UsageError(str(exc)) from None
    except ValueError as exc:
        raise UserError(_why(exc, app.lang)) from None
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
        if mark:
            click.echo("UNVERIFIED: the ledger does not verify; this estimate may be altered")
        _print_summary(evaluation)


def _why(exc: ValueError, lang: str) -> str:
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
    outcome: str | None, unit: str | None, time: str | None, cohort: str | None, cluster: str | None
) -> PanelColumns:
    """The named columns, or a usage error saying which options are missing."""
    if not (outcome and unit and time and cohort):
        named = dict(zip(_PANEL_OPTIONS, (outcome, unit, time, cohort), strict=True))
        missing = [f"--{option}" for option, value in named.items() if not value]
        raise click.UsageError(f"--panel needs {', '.join(missing)} (the column names to use)")
    return PanelColumns(outcome=outcome, unit=unit, time=time, cohort=cohort, cluster=cluster)


def _describe_source(panel: PanelFile) -> dict[str, object]:
    return {"file": str(panel.path), "sheet": panel.sheet, "header_row": panel.header_row}


def _print_errors(path: Path, errors: tuple[RowError, ...]) -> None:
    for error in errors[:_SHOWN_ERRORS]:
        # A CSV file has one table, named like the file: no sheet to name.
        sheet = "" if error.sheet == path.name else f", sheet {error.sheet!r}"
        column = f", column {error.column!r}" if error.column else ""
        click.echo(f"error: {path}{sheet}, row {error.row}{column}: {error.message}", err=True)
    if len(errors) > _SHOWN_ERRORS:
        click.echo(f"… and {len(errors) - _SHOWN_ERRORS} more", err=True)


def _print_summary(evaluation: PanelEvaluation) -> None:
    """A few lines of plain English: the effect, its uncertainty, how it was obtained, caveats."""
    echo = click.echo
    echo(f"{evaluation.indicator}: {evaluation.method} — {evaluation.description}")
    if evaluation.method_reason:
        echo(f"  method: {evaluation.method_reason}")
    if evaluation.estimate is not None:
        echo(
            f"  effect: {_figure(evaluation.estimate)} "
            f"(95 % CI {_figure(evaluation.ci_low)} to {_figure(evaluation.ci_high)}), "
            f"p {_pvalue(evaluation.pvalue)}"
        )
    cohorts = ", ".join(f"{label}: {len(units)}" for label, units in evaluation.cohorts.items())
    echo(
        f"  compared: {_count(evaluation.n_treated, 'treated unit')} "
        f"(by first treated period: {cohorts or 'none'}) with "
        f"{_count(evaluation.n_control, 'comparison unit')}"
    )
    echo(f"  inference: {evaluation.inference}")
    if evaluation.pretrend_pvalue is not None:
        echo(
            f"  pre-trend test (no difference before the start): "
            f"p {_pvalue(evaluation.pretrend_pvalue)}"
        )
    if evaluation.method == "event":
        echo("  effect by period relative to the start (reference: period -1):")
        for row in evaluation.event_study.itertuples():
            echo(
                f"    {int(row.rel_time):>4}: {_figure(row.estimate)} "
                f"(95 % CI {_figure(row.ci_low)} to {_figure(row.ci_high)})"
            )
    elif len(evaluation.event_study):
        echo("  effects by period relative to the start: see --json (event_study)")
    for warning in evaluation.warnings:
        echo(f"warning: {warning}")


def _figure(value: float | None) -> str:
    return "n/a" if value is None or value != value else f"{value:.4g}"


def _pvalue(value: float | None) -> str:
    if value is None or value != value:
        return "n/a"
    return "< 0.001" if value < 0.001 else f"= {value:.3f}"


def _count(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"
