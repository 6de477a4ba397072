"""`budget-monitor evaluate`: did the money move the indicator? (SPEC §7)

Panel mode reads a user's own panel file (`--panel` with the columns to use). The ledger mode
(`--indicator` with `--program` or `--measure`) will build the same kind of panel from spending
and indicators once master data exists; both end in `evaluation.panel_evaluation.evaluate_panel`,
so this command only parses options, reads the file and prints.
"""

from __future__ import annotations

from pathlib import Path

import click

from evaluation.panel_evaluation import (
    CONTROLS,
    INFERENCES,
    METHODS,
    SMALL_SAMPLES,
    EvaluationOptions,
    MethodUnavailable,
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
from monitor.ledger_check import checked_ledger, unverified_option
from reports.caveats import localized_caveats
from reports.formatting import LocaleFormat
from reports.messages import Messages

_SHOWN_ERRORS = 50
_PANEL_OPTIONS = ("outcome", "unit", "time", "cohort")


@click.command("evaluate")
@click.option(
    "--panel",
    "panel_path",
    type=click.Path(path_type=Path),
    help="Your own panel file (CSV or Excel): one row per unit and period, with a header row.",
)
@click.option("--outcome", help="Panel column of the outcome (the indicator), a number.")
@click.option("--unit", help="Panel column naming the unit (e.g. the district).")
@click.option("--time", help="Panel column of the period, a number such as a year.")
@click.option(
    "--cohort",
    help="Panel column of each unit's first treated period; 0 or empty = never treated.",
)
@click.option(
    "--method",
    type=click.Choice(METHODS),
    default="auto",
    show_default=True,
    help="auto: staggered with three or more treated units, sdid with one or two. staggered: "
    "Callaway & Sant'Anna. twfe: two-way fixed effects. event: event study. sdid: synthetic "
    "difference-in-differences (not yet available).",
)
@click.option(
    "--control",
    type=click.Choice(CONTROLS),
    help="staggered only: compare with never-treated units (default) or also with units not "
    "yet treated.",
)
@click.option(
    "--cluster",
    help="twfe and event only: panel column to cluster standard errors by (default: the unit).",
)
@click.option(
    "--leads",
    type=click.IntRange(min=1),
    help="event only: periods before the start to estimate (default 4; earlier ones are pooled).",
)
@click.option(
    "--lags",
    type=click.IntRange(min=0),
    help="event only: periods after the start to estimate (default 4; later ones are pooled).",
)
@click.option(
    "--inference",
    type=click.Choice(INFERENCES),
    default="auto",
    show_default=True,
    help="How standard errors, intervals and p-values are obtained. auto: the method's default "
    "(twfe chooses by the number of clusters; event: analytic; staggered: analytic, with each "
    "cohort's variance divided by N − 1 rather than N, which keeps the 5 % level with cohorts "
    "of two or three units). wild and randomization: twfe only; bootstrap: staggered only.",
)
@click.option(
    "--small-sample",
    type=click.Choice(SMALL_SAMPLES),
    help="staggered only: the variance. cohort (default): each cohort's divided by N − 1, for "
    "cohorts of a few districts. none: R did's plug-in variance (divisor N), to reproduce R.",
)
@click.option(
    "--seed",
    type=int,
    default=0,
    show_default=True,
    help="Random seed for bootstrap and randomization draws, so results can be repeated.",
)
@click.option("--indicator", help="Ledger mode: the indicator code to evaluate (e.g. sgb2_quote).")
@click.option("--program", help="Ledger mode: the program whose spending marks treatment.")
@click.option("--measure", help="Ledger mode: a single measure instead of a program.")
@click.option("--as-of", help="Ledger mode: master data as of an import number or a day.")
@unverified_option
@click.option("--json", "json_output", is_flag=True, help="Write one JSON document to stdout.")
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
    """Estimate the effect of a measure on an indicator by difference-in-differences.

    From the ledger: --indicator CODE with --program NAME or --measure CODE; a district is
    treated from the first indicator period with spending attributed from that selection, and
    districts never reached by it are the comparison.

    With --panel, evaluate your own long panel file: name the outcome, unit, period and cohort
    columns (cohort = each unit's first treated period, 0 or empty for never treated). Units
    never treated are the comparison. Exits 1 with every problem listed where the file cannot
    be evaluated.
    """
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
    except MethodUnavailable as exc:
        raise UserError(str(exc)) from None
    except ValueError as exc:  # the estimators' word on a panel they cannot evaluate
        raise UserError(f"{panel_path}: {exc}") from None
    if json_output or app.json_output:
        app.emit_json({**_document(evaluation), "panel": _describe_source(panel)})
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
    with app.engine.connect() as connection:
        try:
            panel = build_panel(
                connection,
                indicator,
                app.settings.ledger.spending_accounts,
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
    except (MethodUnavailable, ValueError) as exc:
        raise UserError(str(exc)) from None
    if json_output or app.json_output:
        app.emit_json(
            {
                **_document(evaluation),
                "frequency": panel.frequency,
                "missing_values": panel.missing_values,
                **mark,
            }
        )
    else:
        if mark:
            click.echo("UNVERIFIED: the ledger does not verify; this estimate may be altered")
        _print_summary(evaluation)


def _document(evaluation: PanelEvaluation) -> dict[str, object]:
    """The SPEC §7 document, its caveats worded in German (the product's language)."""
    document = evaluation.to_dict()
    document["caveats"] = localized_caveats(document["caveats"], Messages("de"), LocaleFormat("de"))
    return document


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
