"""Options that several commands share, declared once so their help reads the same everywhere."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

Decorator = Callable[[Callable[..., Any]], Callable[..., Any]]

json_option: Decorator = click.option(
    "--json", "json_output", is_flag=True, help="Write one JSON document to stdout."
)
xlsx_option: Decorator = click.option(
    "--xlsx",
    "xlsx_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the result as an Excel workbook.",
)
as_of_option: Decorator = click.option(
    "--as-of",
    help="Master data as of an earlier version: an import number or a day (2025-03-31).",
)
