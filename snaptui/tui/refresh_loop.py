"""When a watched task is fetched next, and what the status line says about it.

No screen and no timers here: the view asks `start()` before it sends, tells `done()`
when the answer (or error) is in, and arms one timer for the delay it gets back. So at
most one request is in flight, the next one is planned only after the previous answer,
and all of it runs in tests on a fake clock.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from snaptui.i18n import _

DEFAULT_INTERVAL = 2.0
MIN_INTERVAL = 1.0
MAX_INTERVAL = 60.0
MAX_BACKOFF = 30.0
# Under this age an answer reads "just now": a seconds counter that ticks on every
# refresh would cost bytes on every idle second and tell nobody anything.
FRESH = 3.0


class RefreshLoop:
    def __init__(
        self, clock: Callable[[], float] = time.monotonic, interval: float = DEFAULT_INTERVAL
    ) -> None:
        self.clock = clock
        self.interval = interval
        self.in_flight = False
        self.paused = False
        self.finished = False
        self.failures = 0
        self.sent_at: float | None = None
        self.next_at: float | None = None
        self.answered_at: float | None = None  # the last good answer

    # -- decisions -------------------------------------------------------------------

    def start(self) -> bool:
        """A request may go out now (False while one is in flight)."""
        if self.in_flight:
            return False
        self.in_flight = True
        self.sent_at = self.clock()
        self.next_at = None
        return True

    def done(self, ok: bool, finished: bool = False) -> float | None:
        """The answer is in; returns the delay before the next request, or None for none."""
        self.in_flight = False
        if ok:
            self.failures = 0
            self.answered_at = self.clock()
        else:
            self.failures += 1
        self.finished = self.finished or finished
        return self.plan()

    def plan(self) -> float | None:
        """The delay to arm a timer for, from now; None when nothing is to be scheduled."""
        if self.finished or self.paused or self.in_flight:
            self.next_at = None
            return None
        delay = self.delay()
        self.next_at = self.clock() + delay
        return delay

    def delay(self) -> float:
        """The interval, or after failures the back-off: doubling, at most 30 s."""
        if self.failures == 0:
            return self.interval
        return float(min(MAX_BACKOFF, self.interval * 2**self.failures))

    def pause(self) -> None:
        self.paused = True
        self.next_at = None

    def resume(self) -> None:
        self.paused = False

    def set_interval(self, seconds: float) -> float | None:
        """Changes the interval; returns a new delay when a waiting timer must be re-armed."""
        self.interval = max(MIN_INTERVAL, min(MAX_INTERVAL, seconds))
        if self.next_at is None:
            return None
        return self.plan()

    # -- words -----------------------------------------------------------------------

    def status_parts(self) -> tuple[str, str]:
        """The status line's refresh state: 'every 2 s · next in ', '1 s'; after failures
        the back-off instead ('failed 3× · retrying in ', '16 s'), until an answer comes."""
        words, number = self.countdown_parts()
        if self.failures == 0:
            return _("every {s} s · ").format(s=f"{self.interval:g}") + words, number
        if not self.in_flight and number:
            words = _("retrying in ")
        return _("failed {n}× · ").format(n=self.failures) + words, number

    def countdown(self) -> str:
        """'next in 2 s', 'fetching…', 'fetching 4 s': honest under any latency."""
        return "".join(self.countdown_parts())

    def countdown_parts(self) -> tuple[str, str]:
        """The words, which rarely change, and the number, which ticks: a view that
        keeps them apart rewrites only the number each second."""
        now = self.clock()
        if self.in_flight and self.sent_at is not None:
            waited = int(now - self.sent_at)
            if waited < 1:
                return _("fetching…"), ""
            return _("fetching "), _("{s} s").format(s=waited)
        if self.next_at is None:
            return "", ""
        left = math.ceil(self.next_at - now - 0.05)
        return (_("next in "), _("{s} s").format(s=left)) if left >= 1 else (_("due"), "")

    def age(self) -> str:
        """How old the shown data is: 'just now', '12 s ago', '3 min ago'."""
        if self.answered_at is None:
            return ""
        seconds = self.clock() - self.answered_at
        if seconds < FRESH:
            return _("just now")
        if seconds < 60:
            return _("{s} s ago").format(s=int(seconds))
        if seconds < 3600:
            return _("{m} min ago").format(m=int(seconds // 60))
        return _("{h} h ago").format(h=int(seconds // 3600))
