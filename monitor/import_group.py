"""The `import` command group with all its subcommands: postings, master data, geodata
and places of help."""

from monitor import (  # noqa: F401  (add their subcommands)
    facility_commands,
    geo_commands,
    master_commands,
    price_commands,
)
from monitor.import_commands import import_group

__all__ = ["import_group"]
