"""`python -m monitor` does what the `budget-monitor` console script does."""

from monitor.cli import main

main()
