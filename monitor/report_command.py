"""`budget-monitor report`: the social committee's PDF, its sidecar, and reruns.

Every run is recorded in `report_run` with the ledger state it was computed from (the
`LedgerBound`: last posting, last master import, last batch and its seal), the PDF's sha256 and
the settings digest. Beside NAME.pdf goes NAME.json, the sidecar: every number of the report
(`ReportData.to_dict()`) and the run that made it.

`report --rerun RUN` computes run RUN's report again from RUN's recorded state, however much was
imported since, and writes NAME-rerun-RUN.pdf and .json beside the original. Its sidecar equals
the original's except for the run block and the creation time; its PDF says the same except for
the creation time (cover and PDF metadata) and a cover line naming it a rerun of RUN — which is
why its bytes, and sha256, differ. A rerun is itself recorded, with `rerun_of`. Like a new
report it verifies the whole chain first (and the heads known from outside), and it refuses to
run where the ledger no longer verifies or no longer holds RUN's head, unless `--unverified`:
then it computes anyway and every page and the sidecar say so. It uses the settings recorded
with RUN (city, indicators and their units, accounts …; `monitor.recorded_settings`) wherever it
is started; a run recorded before they were uses the invocation's and warns where their digest
differs.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click
from sqlalchemy import Row, insert, select

from ledger.anchor import seal_at
from ledger.database import write_transaction
from ledger.master_models import ReportRun
from ledger.models import ImportBatch
from ledger.posting_queries import LedgerBound, ledger_bound
from ledger.tagging import AmbiguousPostings
from ledger.verify_problems import verify_problem
from monitor.context import AppContext, UserError
from monitor.ledger_check import checked_ledger, unverified_option
from monitor.options import json_option
from monitor.problem_words import verify_text
from monitor.recorded_settings import recorded_settings, settings_record
from monitor.report_assembly import assemble_report, default_period, report_period
from monitor.worded import WordedCommand, WordedOption
from reports.caveats import localized_caveats, localized_document
from reports.committee_report import ReportResult, build_report
from reports.formatting import LocaleFormat
from reports.messages import LANGUAGES, Messages
from reports.report_data import ReportData

SIDECAR_FORMAT = "budget-impact-monitor/report-sidecar/1"


def create_report(
    app: AppContext, period: str | None, out: Path | None, lang: str, unverified: bool = False
) -> dict[str, Any]:
    """Assemble, build and record one report of the ledger as it is, after a full verification
    of its hash chain (refused where it fails, unless `unverified`: then every page and the
    sidecar say so); SPEC §8's document plus the sidecar's path."""
    mark = checked_ledger(app, unverified, full=True)
    with app.engine.connect() as connection:
        chosen = period or default_period(connection)
        bound = ledger_bound(connection)
    report_period(chosen)  # refuses a malformed period before any work
    data = replace(_assemble(app, chosen, bound, None), unverified=bool(mark))
    target = out or Path(f"Sozialbericht_{chosen}.pdf")
    record = settings_record(app.settings)
    return {**_build_and_record(app, data, target, lang, bound, record), **mark}


def rerun_report(
    app: AppContext, run: int, out: Path | None, lang: str | None, unverified: bool = False
) -> dict[str, Any]:
    """Compute run `run` again from the ledger state it recorded (a rerun of a rerun computes
    the original again); lang None: the run's own language. Verified like a new report
    (`create_report`); `unverified` computes anyway and marks every output."""
    original = _load_run(app, run)
    if original.rerun_of is not None:
        original = _load_run(app, original.rerun_of)
    if original.last_batch_id is None:
        raise UserError.said(
            "cli.report.rerun_head_unknown", run=original.id, head=original.ledger_head
        )
    bound = LedgerBound(
        original.last_posting_id, original.last_master_import_id, original.last_batch_id
    )
    mark = _check_state_unchanged(app, original, bound, unverified)
    if original.settings:  # recorded since the run-settings revision: city, indicators, units …
        app = replace(app, settings=recorded_settings(app.settings, original.settings))
    data = replace(_assemble(app, original.period, bound, original.id), unverified=bool(mark))
    if original.settings:
        data = replace(data, settings_digest=original.settings_digest)
    elif original.settings_digest and original.settings_digest != data.settings_digest:
        differ = app.words(
            "cli.report.rerun_settings_differ",
            run=original.id,
            then=original.settings_digest[:12],
            now=data.settings_digest[:12],
        )
        click.echo(app.words("cli.warning", message=differ), err=True)
    first = Path(original.file)
    target = out or first.with_name(f"{first.stem}-rerun-{original.id}{first.suffix}")
    record = original.settings or settings_record(app.settings)
    return {**_build_and_record(app, data, target, lang or original.lang, bound, record), **mark}


def sidecar_path(pdf: Path) -> Path:
    """NAME.json beside NAME.pdf."""
    return pdf.with_suffix(".json")


def _load_run(app: AppContext, run: int) -> Row[Any]:
    """The `report_run` row of run `run` (its columns as attributes)."""
    with app.engine.connect() as connection:
        found = connection.execute(select(ReportRun).where(ReportRun.id == run)).first()
    if found is None:
        raise UserError.said("cli.report.no_run", run=run)
    return found


def _check_state_unchanged(
    app: AppContext, run: Row[Any], bound: LedgerBound, unverified: bool
) -> dict[str, Any]:
    """The ledger still verifies (fully, as for a new report) and still ends, at the run's last
    batch, in the run's head; the mark of `checked_ledger` ({} where all holds)."""
    mark = checked_ledger(app, unverified, full=True)
    with app.engine.connect() as connection:
        seal = seal_at(connection, bound.batch_id, bound.master_import_id)
        # Runs before master data was sealed (revision 0010) recorded their batch's seal.
        batch = connection.execute(
            select(ImportBatch.seal).where(ImportBatch.id == bound.batch_id)
        ).scalar()
    if not bound.batch_id or run.ledger_head in (seal, batch):
        return mark
    problem = verify_problem(
        "head",
        "rerun_head_changed",
        {"source": f"report run {run.id}"},
        run=run.id,
        head=run.ledger_head,
        batch=bound.batch_id,
        seal=seal,
    )
    words = app.words
    message = verify_text(problem, words)
    if not unverified:
        raise UserError(message)
    shown = words("cli.report.rerun_unverified", message=message)
    click.echo(words("cli.warning", message=shown), err=True)
    return {"unverified": True, "verify_problems": [*mark.get("verify_problems", []), problem]}


def _assemble(app: AppContext, period: str, bound: LedgerBound, rerun_of: int | None) -> ReportData:
    try:
        return assemble_report(app, period, bound, rerun_of)
    except AmbiguousPostings as exc:
        raise UserError.refusing(exc) from None


def _build_and_record(
    app: AppContext, data: ReportData, target: Path, lang: str, bound: LedgerBound, record: str
) -> dict[str, Any]:
    """Write the PDF, record the run (with `record`, the settings it was built with) and write
    its sidecar in the same transaction (a sidecar that cannot be written leaves no run
    behind)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    result = build_report(data, target, lang)
    sidecar = sidecar_path(target)
    with write_transaction(app.engine) as connection:
        run = int(
            connection.execute(
                insert(ReportRun)
                .values(
                    period=data.period_label,
                    lang=lang,
                    file=str(target),
                    sha256=result.sha256,
                    pages=result.pages,
                    created_at=datetime.now(UTC),
                    last_posting_id=bound.posting_id,
                    last_master_import_id=bound.master_import_id,
                    last_batch_id=bound.batch_id,
                    ledger_head=data.ledger_head,
                    settings_digest=data.settings_digest,
                    settings=record,
                    sidecar=str(sidecar),
                    rerun_of=data.rerun_of,
                )
                .returning(ReportRun.id)
            ).scalar_one()
        )
        document = sidecar_document(data, run, lang, result)
        sidecar.write_text(
            json.dumps(document, ensure_ascii=False, indent=2, allow_nan=False) + "\n",
            encoding="utf-8",
        )
    return {
        "file": str(target),
        "sha256": result.sha256,
        "run": run,
        "pages": result.pages,
        "sidecar": str(sidecar),
        "rerun_of": data.rerun_of,
    }


def sidecar_document(data: ReportData, run: int, lang: str, result: ReportResult) -> dict[str, Any]:
    """The sidecar: every field of the report's data, and the run that wrote it; the caveats
    (and `warnings`, their texts) of each programme and of the targeting, and why a programme
    has no estimate, in the report's language (SPEC §7)."""
    document = data.to_dict()
    t, fmt = Messages(lang), LocaleFormat(lang)
    for program in document.get("programs") or []:
        if program.get("evaluation"):
            program["evaluation"] = localized_document(program["evaluation"], t, fmt)
        if program.get("unavailable_reason"):
            (program["unavailable_reason"],) = localized_caveats(
                [program["unavailable_reason"]], t, fmt
            )
    if document.get("targeting"):
        document["targeting"] = localized_document(document["targeting"], t, fmt)
    return {
        "format": SIDECAR_FORMAT,
        "run": {
            "run": run,
            "rerun_of": data.rerun_of,
            "lang": lang,
            "file": result.file.name,
            "sha256": result.sha256,
            "pages": result.pages,
        },
        **document,
    }


@click.command("report", cls=WordedCommand, help="cli.report.help")
@click.option("--period", cls=WordedOption, help="cli.report.period")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    cls=WordedOption,
    help="cli.report.out",
)
@click.option("--lang", type=click.Choice(LANGUAGES), cls=WordedOption, help="cli.report.lang")
@click.option(
    "--rerun",
    type=click.IntRange(min=1),
    metavar="RUN",
    cls=WordedOption,
    help="cli.report.rerun",
)
@unverified_option
@json_option
@click.pass_obj
def report_command(
    app: AppContext,
    period: str | None,
    out: Path | None,
    lang: str | None,
    rerun: int | None,
    unverified: bool,
    json_output: bool,
) -> None:
    """Build the social committee's PDF report, or rerun an earlier one (help for users:
    `cli.report.help` in the catalogue).

    The report's language: `report --lang`, else the invocation's (`--lang`, the environment,
    the settings); a rerun keeps its run's language unless one was asked for in this invocation.
    The ledger's whole hash chain is verified first.
    """
    if rerun is not None:
        if period:
            raise click.UsageError(app.words("cli.report.rerun_with_period"))
        asked = lang or (app.lang if app.lang_explicit else None)
        document = rerun_report(app, rerun, out, asked, unverified)
    else:
        document = create_report(app, period, out, lang or app.lang, unverified)
    if json_output or app.json_output:
        app.emit_json(document)
        return
    done = "cli.report.done" if document["rerun_of"] is None else "cli.report.rerun_done"
    click.echo(Messages(app.lang)(done, **document))
