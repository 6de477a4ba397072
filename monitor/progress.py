"""Progress on the terminal (stderr only, never with --json or when not a TTY)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from reports.messages import Messages

_STAGES = ("reading", "storing")


@contextmanager
def stage_progress(
    label: str, words: Messages, *, enabled: bool
) -> Iterator[Callable[[str], None]]:
    """Yield `stage(name)`; on a terminal it advances a bar through the import's stages, named
    in the invocation's language (`cli.progress.reading`)."""
    if not enabled or not sys.stderr.isatty():
        yield lambda _name: None
        return
    progress = Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    )
    with progress:
        task = progress.add_task(label, total=len(_STAGES))

        def stage(name: str) -> None:
            done = _STAGES.index(name)
            progress.update(
                task, completed=done, description=f"{label}: {words(f'cli.progress.{name}')}"
            )

        yield stage
