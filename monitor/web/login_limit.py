"""Refuses sign-ins after repeated failures, for one user name and for one client address.

Argon2 makes each guess slow, but not slow enough against a script trying a list of passwords
for one name, or many names from one machine (OWASP's authentication cheat sheet: limit failed
attempts per account and per source). So failures are counted in a moving window of
`[web] login_lock_minutes`: once a name has `[web] login_attempts` failures in it, or a client
address `[web] login_attempts_per_client`, further sign-ins for that name or from that address
are refused without checking the password, until the oldest counted failure has left the
window. A successful sign-in forgets the name's failures.

Kept in memory, not in the ledger: `budget-monitor web` is one process, a restart forgetting
the counts is harmless, and a failed guess must not be a write to the database an attacker can
repeat at will (the access log records each failure and refusal, and its rows are bounded by
this very limit). A small class of our own rather than a rate-limiting library: those limit
requests per route, while this counts only failures, two ways, and needs a clock the tests
can move.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

# Beyond this many keys, keys whose failures have all left the window are dropped.
_PRUNE_AT = 10_000


@dataclass
class LoginLimit:
    """Failures per name and per client within `window_seconds` (clock: seconds, monotonic)."""

    per_name: int
    per_client: int
    window_seconds: float
    clock: Callable[[], float] = time.monotonic
    _failures: dict[tuple[str, str], deque[float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def wait_seconds(self, name: str, client: str) -> tuple[str, float] | None:
        """Why and for how many seconds a sign-in as `name` from `client` is refused now
        ("name" or "client"), or None where it may be tried."""
        now = self.clock()
        with self._lock:
            for kind, key, limit in (
                ("name", name, self.per_name),
                ("client", client, self.per_client),
            ):
                times = self._recent((kind, key), now)
                if len(times) >= limit:
                    return kind, times[-limit] + self.window_seconds - now
        return None

    def failed(self, name: str, client: str) -> None:
        """Count one failed sign-in for the name and for the client."""
        now = self.clock()
        with self._lock:
            if len(self._failures) > _PRUNE_AT:
                for key in list(self._failures):
                    if not self._recent(key, now):
                        del self._failures[key]
            for key in (("name", name), ("client", client)):
                self._failures.setdefault(key, deque()).append(now)

    def succeeded(self, name: str) -> None:
        """A correct password: the name's failures are forgotten (the client's are not)."""
        with self._lock:
            self._failures.pop(("name", name), None)

    def _recent(self, key: tuple[str, str], now: float) -> deque[float]:
        times = self._failures.get(key, deque())
        while times and times[0] <= now - self.window_seconds:
            times.popleft()
        return times
