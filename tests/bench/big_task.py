"""A task with 10,000 streams: time from the answer to the first painted tree, and memory
over a task with an empty StreamList. Each is measured in a fresh process, median of runs.
Goals: <= 300 ms, <= +50 MB.

    python -m tests.bench.big_task [--smoke]
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import time

from tests.bench.common import machine, median, smoke


def rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


async def child(task_id: str) -> dict[str, float]:
    import snaptui.volc.client as client
    from snaptui.simulator import Gateway, Simulator
    from snaptui.tui.widgets.task_view import TaskView
    from tests.helpers import FakeClock
    from tests.tui_fixtures import make_app, settle

    marks: list[float] = []
    started: list[float] = []
    interpret, on_data = client.interpret, TaskView._on_data

    def body_arrived(*args: object, **kwargs: object) -> object:
        # The whole body is in: from here on, parsing, decoding and painting count.
        started.append(time.perf_counter())
        return interpret(*args, **kwargs)  # type: ignore[arg-type]

    def shown(self: TaskView, response: object) -> None:
        on_data(self, response)  # type: ignore[arg-type]
        self.app.call_after_refresh(lambda: marks.append(time.perf_counter() - started[-1]))

    client.interpret = body_arrived  # type: ignore[assignment]
    TaskView._on_data = shown  # type: ignore[method-assign]
    clock = FakeClock()
    with Simulator(Gateway(clock=clock)) as sim:
        app = make_app(sim, clock, ("demo", "room-1", task_id))
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            for _ in range(100):
                if marks:
                    break
                await pilot.pause(0.01)
            return {"ms": marks[0] * 1000, "rss": rss_mb()}


def measure(task_id: str) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-m", "tests.bench.big_task", "--child", task_id],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def main() -> int:
    if "--child" in sys.argv:
        print(json.dumps(asyncio.run(child(sys.argv[sys.argv.index("--child") + 1]))))
        return 0
    runs = 1 if smoke() else 5
    many = [measure("task-many") for _ in range(runs)]
    empty = [measure("task-all-streams") for _ in range(runs)]
    paint = median([m["ms"] for m in many])
    extra = median([m["rss"] for m in many]) - median([e["rss"] for e in empty])
    print(f"machine: {machine()}")
    print(
        f"10,000 streams, median of {runs} fresh processes: answer to first painted tree "
        f"{paint:.0f} ms (empty StreamList: {median([e['ms'] for e in empty]):.0f} ms); "
        f"memory +{extra:.1f} MB over an empty task   (goals: <= 300 ms, <= +50 MB)"
    )
    return 0 if (paint <= 300 and extra <= 50) or smoke() else 1


if __name__ == "__main__":
    sys.exit(main())
