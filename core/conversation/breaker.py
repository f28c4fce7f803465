"""A circuit breaker for the LLM: after repeated failures, stop waiting for it for a while.

A model that accepts connections and never answers costs every turn its whole time budget.
The breaker counts consecutive failed calls (timeouts, connection errors, 5xx, 429: what
retrying does not cure); after :attr:`CircuitBreaker.threshold` of them it *opens*: for
:attr:`CircuitBreaker.cool_down` seconds every call is refused at once, and the engine's
guided path answers the guest immediately (the ``fallback`` activity says why). After the
cool-down one call is let through as a trial: success closes the breaker, failure opens it
for another cool-down. A refusal the model gives on purpose (400, 401, 403, 404: a wrong
key or model) is not an outage and does not count.

State is per process (each process finds out for itself, within ``threshold`` calls).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

log = logging.getLogger(__name__)


class CircuitBreaker:
    """``allow()`` before a call, then ``succeeded()`` or ``failed()``."""

    def __init__(
        self, *, threshold: int = 3, cool_down: float = 30.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.threshold = threshold
        self.cool_down = cool_down
        self.clock = clock
        self.failures = 0
        self.opened_at: float | None = None
        self._trial = False

    @property
    def is_open(self) -> bool:
        """True while calls are refused (cool-down not over, or a trial call still out)."""
        if self.opened_at is None:
            return False
        return self._trial or self.clock() - self.opened_at < self.cool_down

    def retry_in(self) -> float:
        """Seconds left of the cool-down (0 when closed or over)."""
        if self.opened_at is None:
            return 0.0
        return max(0.0, self.cool_down - (self.clock() - self.opened_at))

    def allow(self) -> bool:
        """May a call go out now? After the cool-down, the first caller gets the trial call."""
        if self.opened_at is None:
            return True
        if self.is_open:
            return False
        self._trial = True
        return True

    def succeeded(self) -> None:
        """The call answered: close the breaker."""
        if self.opened_at is not None:
            log.info("LLM answered again: circuit closed")
        self.failures, self.opened_at, self._trial = 0, None, False

    def failed(self) -> None:
        """The call failed as an outage does: count it; open (again) at the threshold or after a failed trial."""
        self.failures += 1
        if self._trial or self.failures >= self.threshold:
            if not self._trial:
                log.warning("LLM failed %d times in a row: circuit open for %.0fs", self.failures, self.cool_down)
            self.opened_at, self._trial = self.clock(), False
