"""The inbox job: import each finished file in the watched folder, then file it away.

A file counts as finished when it was last modified more than `inbox_settle_seconds` ago and
its size and modification time do not change between two looks a moment apart; anything else
is still being copied (a network share, a slow scanner) and waits for the next run. Files are
taken oldest first, so that a later export of a year is compared against the earlier one.

Import is `budget-monitor import postings FILE --profile auto`, all rows or nothing. Then:
success (also "unchanged": the same file again) → `archive/YYYY/` beside the inbox; failure →
`failed/` beside the inbox, with `NAME.error.txt` next to it saying why in words a finance
officer can act on, and an alert. A name already taken in the target folder gets " (2)", " (3)".
"""

from __future__ import annotations

import logging
import os
import shutil
import time
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from monitor.import_commands import import_postings_file
from monitor.problem_words import error_text, worded_problem
from monitor.service.alerts import raise_alerts
from monitor.service.runs import JobOutcome, ServiceContext
from monitor.terminal_format import Terminal

log = logging.getLogger("monitor.service.inbox")

TWO_LOOKS_PAUSE_SECONDS = 1.0
# Office lock files, browser and copy-tool partials: never an export.
_IGNORED_PREFIXES = (".", "~$")
_IGNORED_SUFFIXES = (".part", ".partial", ".tmp", ".crdownload", ".download")


def archive_folder(inbox: Path, day: datetime) -> Path:
    return inbox.parent / "archive" / f"{day:%Y}"


def failed_folder(inbox: Path) -> Path:
    return inbox.parent / "failed"


def candidates(inbox: Path) -> list[Path]:
    """Regular files in the inbox, oldest first; hidden, lock and partial files left alone."""
    if not inbox.is_dir():
        return []
    files = [
        p
        for p in inbox.iterdir()
        if p.is_file()
        and not p.name.startswith(_IGNORED_PREFIXES)
        and not p.name.lower().endswith(_IGNORED_SUFFIXES)
    ]
    return sorted(files, key=lambda p: (p.stat().st_mtime_ns, p.name))


def split_ready(
    files: list[Path], settle_seconds: float, pause: float | None = None
) -> tuple[list[Path], list[Path]]:
    """(ready, still being written): settled for `settle_seconds` and unchanged over `pause`
    seconds (default TWO_LOOKS_PAUSE_SECONDS)."""
    first = {p: _look(p) for p in files}
    if files:
        time.sleep(TWO_LOOKS_PAUSE_SECONDS if pause is None else pause)
    now = time.time()
    ready, waiting = [], []
    for path in files:
        second = _look(path)
        if second is None:
            continue  # gone meanwhile (taken by someone else)
        settled = now - second[1] / 1e9 >= settle_seconds
        (ready if settled and first[path] == second else waiting).append(path)
    return ready, waiting


def _look(path: Path) -> tuple[int, int] | None:
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    return stat.st_size, stat.st_mtime_ns


def run_inbox_job(service: ServiceContext, now: datetime, pause: float | None = None) -> JobOutcome:
    schedule = service.settings.schedule
    inbox = schedule.inbox
    ready, waiting = split_ready(candidates(inbox), schedule.inbox_settle_seconds, pause)
    for path in waiting:
        log.info("waiting for %s: still being written", path.name)
    imported: list[str] = []
    new_postings: list[str] = []
    failed: list[str] = []
    for path in ready:
        result, ok = _import(service, path)
        if ok:
            target = _move(path, archive_folder(inbox, now.astimezone(service.zone)))
            imported.append(path.name)
            if result.get("imported", 0) or result.get("corrections", 0):
                new_postings.append(path.name)
            log.info(
                "imported %s: %s, batch %s, %s new posting(s), profile %s -> %s",
                path.name,
                result.get("status"),
                result.get("batch"),
                result.get("imported"),
                result.get("profile"),
                target,
            )
        else:
            target = _move(path, failed_folder(inbox))
            report = target.with_name(target.name + ".error.txt")
            text = error_report(path.name, result, now, service.zone, inbox, service.app.terminal)
            report.write_text(text, "utf-8")
            failed.append(path.name)
            log.warning("refused %s -> %s (%s)", path.name, target, report.name)
            raise_alerts(
                service.engine,
                [
                    (
                        "import_failed",
                        target.name,
                        service.app.words(
                            "alert.import_failed",
                            file=path.name,
                            folder=str(target.parent),
                            report=report.name,
                        ),
                    )
                ],
                now,
            )
    return JobOutcome(
        succeeded=len(imported),
        failed=len(failed),
        detail={
            "imported": imported,
            "new_postings": new_postings,
            "failed": failed,
            "waiting": [p.name for p in waiting],
        },
    )


def _import(service: ServiceContext, path: Path) -> tuple[dict[str, Any], bool]:
    try:
        return import_postings_file(service.app, path, "auto", False, False, show=False)
    except Exception as exc:  # a bug or fatal I/O: the file goes to failed/, the log has why
        log.exception("import of %s failed", path.name)
        error = f"{type(exc).__name__}: {exc}"
        message = service.app.words("inbox.unexpected_error", error=error)
        return {
            "file": str(path),
            "status": "error",
            "errors": [{"row": None, "column": None, "message": message}],
        }, False


def _move(path: Path, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / path.name
    counter = 2
    while target.exists() or target.with_name(target.name + ".error.txt").exists():
        target = folder / f"{path.stem} ({counter}){path.suffix}"
        counter += 1
    shutil.move(os.fspath(path), os.fspath(target))
    return target


def error_report(
    name: str, result: dict[str, Any], now: datetime, zone: ZoneInfo, inbox: Path, t: Terminal
) -> str:
    """The text beside a refused file, in the service's language: what was tried, every problem
    with its place (as the terminal names it), what next."""
    errors = result.get("errors") or []
    lines = [
        t("inbox.report.title", file=name),
        "",
        t("inbox.report.tried", moment=f"{now.astimezone(zone):%d.%m.%Y %H:%M:%S %Z}"),
        t("inbox.report.status", status=t(f"cli.import.status.{result.get('status')}")),
    ]
    if result.get("profile"):
        reason = result.get("profile_reason_problem")
        said = worded_problem(reason, t.words) if reason else result["profile"]
        lines.append(t("inbox.report.profile", profile=said))
    if result.get("rows") is not None:
        rows, rejected = t.count(result["rows"]), t.count(result.get("rejected", 0))
        lines.append(t("inbox.report.rows", rows=rows, rejected=rejected))
    lines += [t("inbox.report.unchanged"), "", t("inbox.report.problems", count=len(errors))]
    for error in errors:
        place = []
        if error.get("sheet"):
            place.append(t("inbox.report.sheet", sheet=error["sheet"]))
        if error.get("row") is not None:
            place.append(t("inbox.report.row", row=error["row"]))
        if error.get("column"):
            place.append(t("inbox.report.column", column=error["column"]))
        lines.append(f"  - {', '.join(place) + ': ' if place else ''}{error_text(error, t.words)}")
    lines += ["", t("inbox.report.what_to_do", inbox=inbox), t("inbox.report.rows_named"), ""]
    return "\n".join(lines)
