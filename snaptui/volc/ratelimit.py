"""A sliding-window rate limiter shared by every client of one account in this process.

Slots are reserved under a plain lock and then awaited, so the limiter works
from any event loop (the TUI's, a test's, the CLI's) without binding to one.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable

API_CEILING_PER_SECOND = 60


class RateLimiter:
    def __init__(
        self,
        per_second: int = API_CEILING_PER_SECOND,
        clock: Callable[[], float] = time.monotonic,
        window: float = 1.0,
    ) -> None:
        if not 1 <= per_second <= API_CEILING_PER_SECOND:
            raise ValueError(f"rate must be between 1 and {API_CEILING_PER_SECOND} per second")
        self.per_second = per_second
        self._clock = clock
        self._window = window
        self._slots: deque[float] = deque()
        self._lock = threading.Lock()

    def reserve(self) -> float:
        """Book the next free slot; return how long to wait for it."""
        with self._lock:
            now = self._clock()
            while self._slots and self._slots[0] <= now - self._window:
                self._slots.popleft()
            # Slots stay in order, so the one `per_second` places back is the oldest that counts.
            at = max(now, self._slots[-1]) if self._slots else now
            if len(self._slots) >= self.per_second:
                at = max(at, self._slots[-self.per_second] + self._window)
            self._slots.append(at)
            return at - now

    async def acquire(self) -> None:
        import asyncio  # here: the blocking CLI path never loads asyncio

        delay = self.reserve()
        if delay > 0:
            await asyncio.sleep(delay)


_shared: dict[str, RateLimiter] = {}
_shared_lock = threading.Lock()


def limiter_for(access_key: str, per_second: int = API_CEILING_PER_SECOND) -> RateLimiter:
    """The process-wide limiter of an account (the API counts requests per account).

    Asking for a lower rate lowers it for every client of the account.
    """
    with _shared_lock:
        limiter = _shared.get(access_key)
        if limiter is None:
            limiter = _shared[access_key] = RateLimiter(per_second)
        elif per_second < limiter.per_second:
            limiter.per_second = per_second
        return limiter
