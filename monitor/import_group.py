"""The `import` command group with all its subcommands: postings, master data and geodata."""

from monitor import geo_commands, master_commands, price_commands  # noqa: F401  (add their subcommands)
from monitor.import_commands import import_group

__all__ = ["import_group"]
