"""Start-up against a minimal Textual app (Header, Label, Footer), in one run:

- first frame: `snaptui demo` until its form and footer are on screen;
- deep link: `snaptui demo demo room-1 task-ended` until the decoded answer (the stop
  reason) is on screen.

Each is divided by the minimal app's first frame. Every run is a fresh process on a
pseudo-terminal of 100x30; the three commands run in turn, median of the rounds.
Goals: first frame <= 1.2, deep link <= 1.6.

    python -m tests.bench.startup [--smoke]
"""

from __future__ import annotations

import sys
import time

from tests.bench.common import PtyProcess, machine, median, smoke

FIRST_FRAME = [sys.executable, "-m", "snaptui", "demo"]
DEEP_LINK = [sys.executable, "-m", "snaptui", "demo", "demo", "room-1", "task-ended"]
MINIMAL = [sys.executable, "-m", "tests.bench.minimal_app"]
# What each one shows when done: its own content and the footer's ctrl+q binding.
NEEDLES = {
    "first frame": (FIRST_FRAME, (b"App ID", b"Quit")),
    "deep link": (DEEP_LINK, (b"IdleTimeOut", b"Quit")),
    "minimal": (MINIMAL, (b"Query", b"Quit")),
}
GOALS = {"first frame": 1.2, "deep link": 1.6}


def time_to_screen(name: str) -> float:
    argv, needles = NEEDLES[name]
    started = time.monotonic()
    term = PtyProcess(argv)
    try:
        for needle in needles:
            if term.wait_for(needle, 30) is None:
                raise SystemExit(f"{name}: {needle!r} never appeared")
        return time.monotonic() - started
    finally:
        term.close()


def main() -> int:
    rounds = 2 if smoke() else 15
    for name in NEEDLES:  # warm the file cache for each
        time_to_screen(name)
    times: dict[str, list[float]] = {name: [] for name in NEEDLES}
    for _ in range(rounds):
        for name in NEEDLES:
            times[name].append(time_to_screen(name))
    reference = median(times["minimal"])
    print(f"machine: {machine()}")
    print(f"minimal Textual app, first frame: {reference * 1000:.0f} ms (median of {rounds})")
    ok = True
    for name, goal in GOALS.items():
        ours = median(times[name])
        # The spread: the ratio of each round, lowest and highest.
        per_round = sorted(a / b for a, b in zip(times[name], times["minimal"], strict=True))
        ratio = ours / reference
        ok = ok and ratio <= goal
        print(
            f"{name}: {ours * 1000:.0f} ms, ratio {ratio:.2f} "
            f"(rounds {per_round[0]:.2f}-{per_round[-1]:.2f})   (goal: <= {goal})"
        )
    return 0 if ok or smoke() else 1


if __name__ == "__main__":
    sys.exit(main())
