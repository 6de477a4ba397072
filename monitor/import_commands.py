"""`budget-monitor import postings` and `budget-monitor batches`."""

from __future__ import annotations

import getpass
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import click
from rich.console import Console
from rich.table import Table

from imports.fingerprint import fingerprint
from imports.header_detection import AmbiguousColumns, NoProfileMatches
from imports.money import format_cents
from imports.postings import ParsedExport, RowError, parse_postings
from imports.readers import FileRefused, ReadLimits
from ledger.batch_queries import list_batches
from ledger.posting_store import StoreOutcome, find_imported_file, record_unchanged, store_export
from monitor.context import AppContext
from monitor.ledger_check import anchor_new_head
from monitor.options import json_option
from monitor.progress import stage_progress

_SHOWN_ERRORS = 50
# A column that looks like a field the profile leaves out (imports.column_resemblance).
_UNMAPPED_WARNING = (
    "column {column!r} ({letter}) looks like {resembles}, but profile {profile!r} does not read "
    "it: its values are not imported. If it holds {resembles}, name it in a profile: "
    '[imports.profiles.NAME.columns] {resembles} = "{column}"{hint}'
)
_UNMAPPED_HINTS = {
    "debit_credit": ', and credit_marker = "H" in [imports.profiles.NAME] to sign amounts by it',
}
_SUMMARY_COLUMNS = (
    "batch",
    "profile",
    "rows",
    "imported",
    "duplicates",
    "corrections",
    "rejected",
    "skipped",
    "total",
)


@click.group("import")
def import_group() -> None:
    """Bring finance exports and master data into the ledger."""


@import_group.command("postings")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--profile",
    "requested",
    default="auto",
    show_default=True,
    help="Mapping profile name, or 'auto' to pick the best-matching one and say why.",
)
@click.option("--dry-run", is_flag=True, help="Validate and report, write nothing.")
@click.option(
    "--accept-partial",
    is_flag=True,
    help="Import the good rows of a file with rejected rows; keep the rejects with the batch.",
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
    """Import posting line items from Excel (xlsx, xlsm, xls, ods), CSV or a GoBD export.

    Each file is one transaction. A file with any rejected row imports nothing and exits 1,
    unless --accept-partial. The same file again imports nothing; a changed posting under a
    known key is recorded as a correction that supersedes the earlier version.
    """
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
    if failed:
        raise SystemExit(1)


def import_postings_file(
    app: AppContext, path: Path, requested: str, dry_run: bool, accept_partial: bool, show: bool
) -> tuple[dict[str, Any], bool]:
    started = datetime.now(UTC)
    user = getpass.getuser()
    if not path.exists():
        return _refused(path, "file not found", show), False
    if requested != "auto" and requested not in app.settings.imports.profiles:
        known = ", ".join(sorted(app.settings.imports.profiles))
        raise click.UsageError(f"unknown profile {requested!r}; known: {known}, auto")
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
            _print_summary(result)
        return result, True
    limits = ReadLimits(max_uncompressed_mb=app.settings.imports.max_uncompressed_mb)
    try:
        with stage_progress(path.name, enabled=show) as stage:
            stage("reading")
            parsed = parse_postings(
                path,
                app.settings.imports.profiles,
                requested,
                limits,
                max_abs_cents=app.settings.imports.max_abs_cents,
            )
            stage("storing")
            outcome = None
            if not parsed.errors or accept_partial or dry_run:
                outcome = store_export(
                    app.engine,
                    parsed,
                    os_user=user,
                    started=started,
                    accept_partial=accept_partial,
                    dry_run=dry_run,
                )
    except (FileRefused, NoProfileMatches, AmbiguousColumns) as exc:
        return _refused(path, str(exc), show), False
    if outcome is not None and not dry_run:
        anchor_new_head(app, batch=outcome.batch)
    result = _result(path, parsed, outcome, dry_run)
    if show:
        _print_summary(result)
        _print_errors(parsed.errors)
    return result, not parsed.errors or accept_partial


def _refused(path: Path, message: str, show: bool) -> dict[str, Any]:
    if show:
        click.echo(f"error: {path}: {message}", err=True)
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
        "warnings": list(parsed.warnings),
        "unmapped_columns": [c.to_dict() for c in parsed.unmapped_columns],
        "comparison": outcome.comparison.to_dict() if outcome and outcome.comparison else None,
    }


def _print_summary(result: dict[str, Any]) -> None:
    console = _console()
    table = Table(title=f"{result['file']} — {result['status']}")
    for name in _SUMMARY_COLUMNS:
        table.add_column(name, justify="right" if name != "profile" else "left")
    table.add_row(*(str(result.get(n)) for n in _SUMMARY_COLUMNS))
    console.print(table)
    for key in ("message", "profile_reason"):
        if result.get(key):
            console.print(result[key])
    for warning in result.get("warnings", []):
        console.print(f"warning: {warning}")
    for column in result.get("unmapped_columns", []):
        hint = _UNMAPPED_HINTS.get(column["resembles"], "")
        text = _UNMAPPED_WARNING.format(profile=result["profile"], hint=hint, **column)
        console.print(f"warning: {text}", markup=False, highlight=False)
    comparison = result.get("comparison")
    if comparison:
        for month in comparison["changed_months"]:
            console.print(
                f"changed since batch {month['previous_batch']}: {month['month']} "
                f"{month['previous']} -> {month['current']}"
            )
        if comparison["disappeared"]:
            console.print(
                f"{comparison['disappeared']} posting(s) of the covered months are no "
                "longer in this export (kept in the ledger)"
            )
        for label in ("new_accounts", "new_cost_centers", "new_products"):
            if comparison[label]:
                console.print(f"{label.replace('_', ' ')}: {', '.join(comparison[label])}")


def _console() -> Console:
    """stdout; wide when piped, so that logs keep whole numbers rather than cut cells."""
    return Console(file=sys.stdout, width=None if sys.stdout.isatty() else 200)


def _print_errors(errors: tuple[RowError, ...]) -> None:
    for error in errors[:_SHOWN_ERRORS]:
        click.echo(f"error: {error}", err=True)
    if len(errors) > _SHOWN_ERRORS:
        click.echo(f"… and {len(errors) - _SHOWN_ERRORS} more (use --json for all)", err=True)


@click.command("batches")
@json_option
@click.pass_obj
def batches_command(app: AppContext, json_output: bool) -> None:
    """List import batches: file, checksum, status and counts."""
    zone = ZoneInfo(app.settings.schedule.timezone)
    batches = list_batches(app.engine, zone)
    if json_output or app.json_output:
        app.emit_json({"batches": batches})
        return
    table = Table(title="Import batches")
    columns = (
        "batch",
        "file",
        "status",
        "profile",
        "imported",
        "corrections",
        "duplicates",
        "rejected",
        "started",
    )
    for name in columns:
        table.add_column(name)
    for batch in batches:
        table.add_row(*(str(batch[c]) for c in columns))
    _console().print(table)
