"""50 tasks watched at a 1 s interval in one app: all requests share one rate limiter, so
the simulator must never count more than 60 requests in any second, and answer no 429.

    python -m tests.bench.rate [--smoke]
"""

from __future__ import annotations

import asyncio
import sys
import time

from tests.bench.common import machine, smoke

TASKS = 50


async def watch(seconds: float) -> tuple[int, int, int]:
    from snaptui.simulator import DEMO_ACCESS_KEY, Gateway, Simulator, TaskSpec
    from snaptui.tui.screens.main import MainScreen
    from snaptui.tui.widgets.task_view import TaskView
    from tests.helpers import FakeClock
    from tests.tui_fixtures import make_app

    clock = FakeClock()
    tasks = [TaskSpec("demo", "room-1", f"rate-{i:02d}", {"Status": 2}) for i in range(TASKS)]
    with Simulator(Gateway(tasks=tasks, clock=clock)) as sim:
        app = make_app(sim, clock)
        async with app.run_test(size=(120, 40)) as pilot:
            screen = app.screen
            assert isinstance(screen, MainScreen)
            for spec in tasks:
                await screen.open_task(spec.key)
            await pilot.pause(0.5)
            for view in screen.query(TaskView):
                view.interval = 1.0
            started = time.monotonic()
            while time.monotonic() - started < seconds:
                await pilot.pause(0.25)
        stats = sim.gateway.stats
        total = sum(stats.answered.values())
        return stats.busiest_second[DEMO_ACCESS_KEY], stats.answered[429], total


def main() -> int:
    seconds = 4.0 if smoke() else 20.0
    busiest, throttled, total = asyncio.run(watch(seconds))
    print(f"machine: {machine()}")
    print(
        f"{TASKS} tasks at a 1 s interval for {seconds:g} s: {total} requests, busiest second "
        f"{busiest} requests, {throttled} answered 429   (goals: <= 60 in any second, no 429)"
    )
    return 0 if busiest <= 60 and throttled == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
