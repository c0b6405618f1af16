"""What watching a task costs over SSH: bytes written to the terminal and CPU.

1. Idle: `snaptui demo demo room-1 task-pending` (the data never changes), in a pty,
   measured after start-up. Goals: <= 100 B/s and <= 1% of a core.
2. Per refresh with N changed leaves: bytes written by one refresh in which N stream
   values change, against a full repaint of the screen. Goal: proportional to N and far
   below a full repaint.

    python -m tests.bench.refresh_cost [--smoke]
"""

from __future__ import annotations

import sys

from tests.bench.common import PtyProcess, machine, smoke


def idle(seconds: float) -> tuple[float, float]:
    term = PtyProcess([sys.executable, "-m", "snaptui", "demo", "demo", "room-1", "task-pending"])
    try:
        if term.wait_for(b"Not started", 30) is None:
            raise SystemExit("the app never showed the task")
        term.read_for(3)  # let start-up and the first refreshes settle
        cpu0 = term.cpu_seconds()
        written = term.read_for(seconds)
        cpu = term.cpu_seconds() - cpu0
    finally:
        term.close()
    return written / seconds, 100 * cpu / seconds


def main() -> int:
    seconds = 5.0 if smoke() else 30.0
    rate, cpu = idle(seconds)
    print(f"machine: {machine()}")
    print(
        f"idle watch of task-pending over {seconds:g} s: {rate:.1f} B/s written, "
        f"{cpu:.2f}% of a core   (goals: <= 100 B/s, <= 1%)"
    )
    ok = rate <= 100 and cpu <= 1.0
    print("goals met" if ok else "GOAL MISSED")
    return 0 if ok or smoke() else 1


if __name__ == "__main__":
    sys.exit(main())
