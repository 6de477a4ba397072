"""The Sozialatlas: the monitor in the browser (SPEC §10), a thin front door over the same
library functions as the command line."""
