"""What watching a task costs over SSH: bytes written to the terminal and CPU.

1. Idle: `snaptui demo demo room-1 task-pending` (the data never changes), in a pty,
   measured once start-up and its notes are over. Goals: <= 100 B/s and <= 1% of a core.
2. Per refresh with N changed leaves: bytes written by one refresh in which N stream
   values change, against a full repaint of the screen. Goal: proportional to N and far
   below a full repaint.

    python -m tests.bench.refresh_cost [--smoke]
"""

from __future__ import annotations

import sys

from tests.bench.common import PtyProcess, machine, smoke

SETTLE = 16.0


def idle(seconds: float) -> tuple[float, float]:
    term = PtyProcess([sys.executable, "-m", "snaptui", "demo", "demo", "room-1", "task-pending"])
    try:
        if term.wait_for(b"Not started", 30) is None:
            raise SystemExit("the app never showed the task")
        # Let start-up settle, and the demo's start-up note (shown 15 s) go: its removal
        # repaints the rows under it once (about 1 KB), which is not what idling costs.
        term.read_for(SETTLE)
        cpu0 = term.cpu_seconds()
        written = term.read_for(seconds)
        cpu = term.cpu_seconds() - cpu0
    finally:
        term.close()
    return written / seconds, 100 * cpu / seconds


def child(changing: int) -> None:
    """The app, in this pty, on a 20-stream task whose first `changing` streams get a new
    UserId every second (so every 2 s refresh sees them changed)."""
    from snaptui.connection import Connection
    from snaptui.simulator import DEMO_ACCESS_KEY, DEMO_SECRET_KEY, Gateway, Simulator
    from snaptui.simulator.tasks import Step, TaskSpec
    from snaptui.tui.app import SnaptuiApp
    from snaptui.volc.endpoints import resolve_endpoint
    from snaptui.volc.secret import Credentials, Secret

    def streams(version: int) -> list[dict[str, object]]:
        return [
            {
                "Index": i,
                "UserId": f"user-{i:02d}-v{version if i < changing else 0}",
                "StreamType": 0,
            }
            for i in range(20)
        ]

    snapshot = {"Status": 2, "MaxIdleTime": 180, "TargetStreams": {"StreamList": streams(0)}}
    timeline = [
        Step(float(t), {"TargetStreams": {"StreamList": streams(t)}}) for t in range(1, 600)
    ]
    spec = TaskSpec("demo", "room-1", "bench", snapshot, timeline)
    with Simulator(Gateway(tasks=[spec])) as sim:
        creds = Credentials(DEMO_ACCESS_KEY, Secret(DEMO_SECRET_KEY))
        connection = Connection(resolve_endpoint(sim.url), creds, "bench", "bench")
        SnaptuiApp(connection, ("demo", "room-1", "bench")).run()


def per_refresh(changing: int, seconds: float) -> tuple[float, int]:
    """Bytes written per refresh with `changing` leaves changed, and the first full screen."""
    argv = [sys.executable, "-m", "tests.bench.refresh_cost", "--child", str(changing)]
    term = PtyProcess(argv, cols=120, rows=40)
    try:
        if term.wait_for(b"user-00", 30) is None:
            raise SystemExit("the app never showed the task")
        term.read_for(1.0)
        full = len(term.output)
        term.read_for(3)  # past the first refreshes
        written = term.read_for(seconds)
    finally:
        term.close()
    return written / (seconds / 2.0), full


def main() -> int:
    if "--child" in sys.argv:
        child(int(sys.argv[sys.argv.index("--child") + 1]))
        return 0
    seconds = 5.0 if smoke() else 30.0
    rate, cpu = idle(seconds)
    print(f"machine: {machine()}")
    print(
        f"idle watch of task-pending over {seconds:g} s: {rate:.1f} B/s written, "
        f"{cpu:.2f}% of a core   (goals: <= 100 B/s, <= 1%)"
    )
    window = 6.0 if smoke() else 20.0
    for n in [0, 5] if smoke() else [0, 1, 5, 10, 20]:
        size, full = per_refresh(n, window)
        print(
            f"one refresh with {n:2d} changed leaves: {size:5.0f} bytes "
            f"(first full screen: {full} bytes)"
        )
    ok = rate <= 100 and cpu <= 1.0
    print("goals met" if ok else "GOAL MISSED")
    return 0 if ok or smoke() else 1


if __name__ == "__main__":
    sys.exit(main())
