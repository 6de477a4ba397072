"""`budget-monitor import postings` and `budget-monitor batches`."""

from __future__ import annotations

import getpass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import click

from imports.fingerprint import fingerprint
from imports.header_detection import AmbiguousColumns, NoProfileMatches
from imports.money import format_cents
from imports.postings import ParsedExport, parse_postings
from imports.problems import field_word
from imports.readers import FileRefused, ReadLimits
from ledger.batch_queries import list_batches
from ledger.posting_store import StoreOutcome, find_imported_file, record_unchanged, store_export
from ledger.streamed_store import streamed_export
from monitor.context import AppContext
from monitor.ledger_check import anchor_new_head
from monitor.options import json_option
from monitor.problem_words import refusal_text, worded_problem
from monitor.progress import stage_progress
from monitor.terminal_format import Terminal
from monitor.worded import WordedArgument, WordedCommand, WordedGroup, WordedOption

# A column that looks like a field the profile leaves out (imports.column_resemblance): a hint
# of how to name it, for the fields that need more than the column's name.
_UNMAPPED_HINTS = {"debit_credit": "cli.import.postings.unmapped_hint.debit_credit"}
_NEW_CODES = ("new_accounts", "new_cost_centers", "new_products")


# The other kinds of import load on use: `import postings`, run month after month by a cron job
# or the inbox, does not pay for the geodata and master-data readers (0.2 s, 60 MiB).
_OTHER_IMPORTS = {
    "boundaries": "monitor.geo_commands:import_boundaries_command",
    "grid": "monitor.geo_commands:import_grid_command",
    "districts": "monitor.master_commands:import_districts_command",
    "indicators": "monitor.master_commands:import_indicators_command",
    "measures": "monitor.master_commands:import_measures_command",
    "plan": "monitor.master_commands:import_plan_command",
    "prices": "monitor.price_commands:import_prices_command",
    "facilities": "monitor.facility_commands:import_facilities_command",
}


@click.group("import", cls=WordedGroup, lazy_subcommands=_OTHER_IMPORTS, help="cli.import.help")
def import_group() -> None:
    """Bring finance exports and master data into the ledger (help for users: `cli.import.help`
    in the catalogue)."""


@import_group.command("postings", cls=WordedCommand, help="cli.import.postings.help")
@click.argument(
    "files",
    nargs=-1,
    required=True,
    type=click.Path(path_type=Path),
    cls=WordedArgument,
    metavar="cli.metavar.file",
)
@click.option(
    "--profile",
    "requested",
    default="auto",
    cls=WordedOption,
    help="cli.import.postings.profile",
)
@click.option("--dry-run", is_flag=True, cls=WordedOption, help="cli.import.postings.dry_run")
@click.option(
    "--accept-partial",
    is_flag=True,
    cls=WordedOption,
    help="cli.import.postings.accept_partial",
)
@json_option
@click.pass_obj
def import_postings_command(
    app: AppContext,
    files: tuple[Path, ...],
    requested: str,
    dry_run: bool,
    accept_partial: bool,
    json_output: bool,
) -> None:
    """Import posting line items from Excel, CSV or a GoBD export; each file is one transaction
    (help for users: `cli.import.postings.help` in the catalogue)."""
    as_json = json_output or app.json_output
    results = []
    failed = False
    for path in files:
        result, ok = import_postings_file(
            app, path, requested, dry_run, accept_partial, show=not as_json
        )
        results.append(result)
        failed |= not ok
    if as_json:
        app.emit_json(results[0] if len(results) == 1 else {"imports": results})
    elif any(r["status"] in ("imported", "partial", "unchanged") for r in results):
        app.terminal.next_steps(
            ("cli.next.spend", {"run": app.invocation}),
            ("cli.next.verify", {"run": app.invocation}),
        )
    if failed:
        raise SystemExit(1)


def import_postings_file(
    app: AppContext, path: Path, requested: str, dry_run: bool, accept_partial: bool, show: bool
) -> tuple[dict[str, Any], bool]:
    started = datetime.now(UTC)
    user = getpass.getuser()
    terminal = app.terminal
    if not path.exists():
        shown = terminal("cli.import.not_found")
        return _refused(terminal, path, "file not found", shown, show), False
    if requested != "auto" and requested not in app.settings.imports.profiles:
        known = ", ".join(sorted(app.settings.imports.profiles))
        raise click.UsageError(
            terminal("cli.import.postings.unknown_profile", profile=requested, known=known)
        )
    print_ = fingerprint(path)
    earlier = None if dry_run else find_imported_file(app.engine, print_.sha256)
    if earlier is not None and requested in ("auto", earlier.profile):
        outcome = record_unchanged(app.engine, print_, earlier, user, started)
        anchor_new_head(app, batch=outcome.batch)
        result = {
            "batch": outcome.batch,
            "file": str(path),
            "sha256": print_.sha256,
            "profile": earlier.profile,
            "status": "unchanged",
            "rows": earlier.rows,
            "imported": 0,
            "duplicates": outcome.duplicates,
            "corrections": 0,
            "rejected": earlier.rejected,
            "skipped": earlier.skipped,
            "total": format_cents(earlier.total_cents),
            "errors": [],
            "message": f"identical to batch {earlier.id}; nothing new",
        }
        if show:
            _print_summary(terminal, result, same_as=earlier.id)
        return result, True
    limits = ReadLimits(max_uncompressed_mb=app.settings.imports.max_uncompressed_mb)
    try:
        with (
            stage_progress(path.name, terminal.words, enabled=show) as stage,
            streamed_export(
                app.engine, print_, os_user=user, started=started, dry_run=dry_run
            ) as stream,
        ):
            stage("reading")
            parsed = parse_postings(
                path,
                app.settings.imports.profiles,
                requested,
                limits,
                max_abs_cents=app.settings.imports.max_abs_cents,
                sink=stream,
            )
            stage("storing")
            outcome = None
            if not parsed.errors or accept_partial or dry_run:
                # The stream (none in a dry run) stored the parse, or says None where it could
                # not be sure: then the parse is stored as always.
                if stream is not None:
                    outcome = stream.finish(parsed, accept_partial=accept_partial)
                if outcome is None:
                    outcome = store_export(
                        app.engine,
                        parsed,
                        os_user=user,
                        started=started,
                        accept_partial=accept_partial,
                        dry_run=dry_run,
                    )
    except (FileRefused, NoProfileMatches, AmbiguousColumns) as exc:
        shown = refusal_text(exc, terminal.words, named=False)
        refused = _refused(terminal, path, str(exc), shown, show)
        if exc.problem is not None:
            refused["errors"][0]["problem"] = exc.problem.to_dict()
        return refused, False
    if outcome is not None and not dry_run:
        anchor_new_head(app, batch=outcome.batch)
    result = _result(path, parsed, outcome, dry_run)
    if show:
        _print_summary(terminal, result)
        terminal.row_errors(path, result["errors"])
        if parsed.errors and not (accept_partial or dry_run):
            click.echo(terminal("cli.import.postings.nothing_imported"), err=True)
    return result, not parsed.errors or accept_partial


def _refused(
    terminal: Terminal, path: Path, message: str, shown: str, show: bool
) -> dict[str, Any]:
    """The document of a file refused as a whole: `message` for the JSON (as SPEC §2 keeps
    it), `shown` on the terminal."""
    if show:
        click.echo(terminal("cli.error", message=f"{path}: {shown}"), err=True)
    return {
        "batch": None,
        "file": str(path),
        "status": "refused",
        "imported": 0,
        "errors": [{"row": None, "column": None, "message": message}],
    }


def _result(
    path: Path, parsed: ParsedExport, outcome: StoreOutcome | None, dry_run: bool
) -> dict[str, Any]:
    stored = outcome is not None and not dry_run
    rejected = len({e.row for e in parsed.errors})
    return {
        "batch": outcome.batch if stored and outcome else None,
        "file": str(path),
        "sha256": parsed.fingerprint.sha256,
        "profile": parsed.profile.name,
        "profile_reason": parsed.reason,
        "profile_reason_problem": parsed.why.to_dict() if parsed.why else None,
        "status": (outcome.status if stored and outcome else "dry-run" if dry_run else "refused"),
        "sheet": parsed.sheet,
        "header_row": parsed.header_row,
        "rows": parsed.rows,
        "imported": outcome.imported if outcome else 0,
        "duplicates": outcome.duplicates if outcome else 0,
        "corrections": outcome.corrections if outcome else 0,
        "rejected": rejected,
        "skipped": parsed.skipped,
        "skipped_detail": {
            "blank": parsed.skipped_blank,
            "total": parsed.skipped_total,
            "repeated_header": parsed.skipped_header,
        },
        "total": format_cents(parsed.total_cents),
        "errors": [e.to_dict() for e in parsed.errors],
        "warnings": [w.english for w in parsed.warnings],
        "warning_problems": [w.to_dict() for w in parsed.warnings],
        "unmapped_columns": [c.to_dict() for c in parsed.unmapped_columns],
        "comparison": outcome.comparison.to_dict() if outcome and outcome.comparison else None,
    }


def _print_summary(terminal: Terminal, result: dict[str, Any], same_as: int | None = None) -> None:
    """What one file brought, in a few lines that fit 80 columns; the export's comparison with
    the ledger, long lists of new codes cut to their first ten (all of them in --json)."""
    t, echo = terminal, click.echo
    status = t(f"cli.import.status.{result['status']}")
    echo(t("cli.import.postings.title", file=Path(result["file"]).name, status=status))
    if result.get("batch") is not None:
        echo(
            "  " + t("cli.import.postings.batch", batch=result["batch"], profile=result["profile"])
        )
    if same_as is not None:
        echo("  " + t("cli.import.postings.identical", batch=same_as))
    echo(
        "  "
        + t(
            "cli.import.postings.counts",
            rows=t.count(result.get("rows")),
            imported=t.count(result["imported"]),
            duplicates=t.count(result.get("duplicates")),
            corrections=t.count(result.get("corrections")),
        )
    )
    echo(
        "  "
        + t(
            "cli.import.postings.left_out",
            rejected=t.count(result.get("rejected")),
            skipped=t.count(result.get("skipped")),
        )
    )
    echo("  " + t("cli.import.postings.total", total=t.money(result.get("total"))))
    if result.get("profile_reason_problem"):
        reason = worded_problem(result["profile_reason_problem"], t.words)
        echo("  " + t("cli.import.postings.profile_reason", reason=reason))
    for warning in result.get("warning_problems", []):
        echo(t("cli.warning", message=worded_problem(warning, t.words)))
    for column in result.get("unmapped_columns", []):
        hint = _UNMAPPED_HINTS.get(column["resembles"])
        text = t(
            "cli.import.postings.unmapped",
            profile=result["profile"],
            hint=t(hint) if hint else "",
            field=worded_problem(field_word(column["resembles"]), t.words),
            **column,
        )
        echo(t("cli.warning", message=text))
    comparison = result.get("comparison")
    if comparison:
        _print_comparison(t, comparison)


def _print_comparison(t: Terminal, comparison: dict[str, Any]) -> None:
    """How the export differs from what the ledger held for the months it covers."""
    for month in comparison["changed_months"]:
        click.echo(
            "  "
            + t(
                "cli.import.postings.changed_month",
                batch=month["previous_batch"],
                month=month["month"],
                previous=t.money(month["previous"]),
                current=t.money(month["current"]),
            )
        )
    if comparison["disappeared"]:
        click.echo(
            "  " + t("cli.import.postings.disappeared", count=t.count(comparison["disappeared"]))
        )
    for label in _NEW_CODES:
        if comparison[label]:
            click.echo("  " + t.listed(t(f"cli.import.postings.{label}"), comparison[label]))


@click.command("batches", cls=WordedCommand, help="cli.batches.help")
@json_option
@click.pass_obj
def batches_command(app: AppContext, json_output: bool) -> None:
    """List import batches: file, checksum, status and counts (help for users:
    `cli.batches.help` in the catalogue)."""
    zone = ZoneInfo(app.settings.schedule.timezone)
    batches = list_batches(app.engine, zone)
    if json_output or app.json_output:
        app.emit_json({"batches": batches})
        return
    t = app.terminal
    if not batches:
        click.echo(t("cli.batches.none"))
        return
    table = t.table(
        t("cli.batches.title", count=t.count(len(batches))),
        [
            (t("cli.batches.column.batch"), "figure"),
            (t("cli.batches.column.file"), "text"),
            (t("cli.batches.column.status"), "fixed"),
            (t("cli.batches.column.imported"), "figure"),
            (t("cli.batches.column.corrections"), "figure"),
            (t("cli.batches.column.rejected"), "figure"),
            (t("cli.batches.column.started"), "fixed"),
        ],
    )
    for batch in batches:
        table.add_row(
            str(batch["batch"]),
            str(batch["file"]),
            t(f"cli.batches.status.{batch['status']}"),
            t.count(batch["imported"]),
            t.count(batch["corrections"]),
            t.count(batch["rejected"]),
            t.day(str(batch["started"])[:10]),
        )
    t.print_table(table)
