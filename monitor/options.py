"""Options that several commands share, declared once so their help reads the same everywhere
(help texts are catalogue keys, see monitor.worded)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from monitor.worded import WordedOption

Decorator = Callable[[Callable[..., Any]], Callable[..., Any]]

json_option: Decorator = click.option(
    "--json", "json_output", is_flag=True, cls=WordedOption, help="cli.option.json"
)
xlsx_option: Decorator = click.option(
    "--xlsx",
    "xlsx_path",
    type=click.Path(dir_okay=False, path_type=Path),
    cls=WordedOption,
    help="cli.option.xlsx",
)
as_of_option: Decorator = click.option(
    "--as-of",
    cls=WordedOption,
    help="cli.option.as_of",
)
