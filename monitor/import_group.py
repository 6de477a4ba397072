"""The `import` command group with all its subcommands: postings and the master data."""

from monitor import master_commands  # noqa: F401  (adds the master-data subcommands)
from monitor.import_commands import import_group

__all__ = ["import_group"]
