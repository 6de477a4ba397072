"""The front door and the clock: the CLI and the scheduler service."""
