"""Figures only from a verified ledger: the check every figure command runs before it computes.

`spend`, `trace`, `need`, `targeting` and `evaluate` (ledger mode) run the incremental check
(`ledger.verification`: postings and batches added since the last verification, all master data
whole, the heads known from outside); `report` and `verify` run the full one. An altered ledger
is refused with exit 1 and the problems; `--unverified` computes anyway and marks the output.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from ledger.anchor import append_head, last_head, seal_of
from ledger.verification import KnownHead, VerifyReport, verify_ledger
from monitor.context import AppContext, UserError
from monitor.options import Decorator
from monitor.problem_words import verify_text
from monitor.worded import WordedOption
from reports.messages import Messages

unverified_option: Decorator = click.option(
    "--unverified", is_flag=True, cls=WordedOption, help="cli.option.unverified"
)


def known_heads(app: AppContext, given: str | None = None) -> tuple[KnownHead, ...]:
    """The heads known from outside: `--head`, and the last head of `[ledger] anchor_file`."""
    heads = []
    if given:
        heads.append(KnownHead.given(given.strip().lower()))
    anchor = app.settings.ledger.anchor_path
    if anchor is not None:
        head = last_head(anchor)
        if head is not None:
            heads.append(KnownHead.anchored(anchor, head))
    return tuple(heads)


def print_problems(report: VerifyReport, words: Messages) -> None:
    for problem in report.problems:
        click.echo(words("cli.verify.problem", message=verify_text(problem, words)), err=True)


def checked_ledger(app: AppContext, unverified: bool, *, full: bool = False) -> dict[str, Any]:
    """Verify the ledger before computing figures; {} where it verifies (nothing to mark).

    Where it does not: without `unverified`, exit 1 naming the problems; with it, a warning and
    the mark every output carries: {"unverified": True, "verify_problems": [...]}.
    """
    report = verify_ledger(app.engine, heads=known_heads(app), incremental=not full)
    if report.ok:
        return {}
    words = app.words
    print_problems(report, words)
    count = len(report.problems)
    if not unverified:
        raise UserError(words("cli.check.refused", count=count))
    click.echo(words("cli.warning", message=words("cli.check.unverified", count=count)), err=True)
    return {"unverified": True, "verify_problems": list(report.problems)}


def verify_mark(document: dict[str, Any]) -> dict[str, Any]:
    """The mark `checked_ledger` put into a document ({} where the ledger verified)."""
    return {key: document[key] for key in ("unverified", "verify_problems") if key in document}


def anchor_new_head(
    app: AppContext, *, batch: int | None = None, master: int | None = None
) -> None:
    """Append the head an import just wrote to `[ledger] anchor_file`, if one is set."""
    anchor: Path | None = app.settings.ledger.anchor_path
    if anchor is None or (batch is None and master is None):
        return
    with app.engine.connect() as connection:
        head = seal_of(connection, batch=batch, master=master)
    what = f"batch {batch}" if batch is not None else f"master import {master}"
    try:
        append_head(anchor, head, what)
    except OSError as exc:
        raise UserError(
            app.words(
                "cli.check.anchor_failed",
                what=what,
                anchor=anchor,
                reason=exc.strerror,
                head=head,
            )
        ) from None
