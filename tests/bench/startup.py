"""Start-up against a minimal Textual app (Header, Label, Footer), in one run:

- first frame: `snaptui demo` until its form and footer are on screen;
- deep link: `snaptui demo demo room-1 task-ended` until the decoded answer (the stop
  reason) and the footer are on screen;
- deep link, real path: the same task from a simulator in a process of its own
  (`snaptui simulate`), keys from the environment, as against the real service.

Each is divided by the minimal app's first frame (its label and footer on screen).
Every run is a fresh process on a pseudo-terminal of 100x30; the commands run in turn,
median of the rounds. Goals: first frame <= 1.2, deep links <= 1.6.

    python -m tests.bench.startup [--smoke]
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time

from tests.bench.common import PtyProcess, machine, median, smoke

FIRST_FRAME = [sys.executable, "-m", "snaptui", "demo"]
DEEP_LINK = [sys.executable, "-m", "snaptui", "demo", "demo", "room-1", "task-ended"]
MINIMAL = [sys.executable, "-m", "tests.bench.minimal_app"]
ACCESS_KEY, SECRET_KEY = "AKLTstartupbench0001", "startup-bench-secret"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


SIMULATOR_URL = f"http://127.0.0.1:{free_port()}"
REAL_PATH = [sys.executable, "-m", "snaptui", "--endpoint", SIMULATOR_URL]
REAL_PATH += ["demo", "room-1", "task-ended"]
KEYS = {"VOLC_ACCESSKEY": ACCESS_KEY, "VOLC_SECRETKEY": SECRET_KEY}
# What each one shows when done: its own content and the footer's ctrl+q binding.
NEEDLES = {
    "first frame": (FIRST_FRAME, (b"App ID", b"Quit")),
    "deep link": (DEEP_LINK, (b"IdleTimeOut", b"Quit")),
    "deep link, real path": (REAL_PATH, (b"IdleTimeOut", b"Quit")),
    "minimal": (MINIMAL, (b"Query", b"Quit")),
}
GOALS = {"first frame": 1.2, "deep link": 1.6, "deep link, real path": 1.6}


def start_simulator() -> subprocess.Popen[bytes]:
    port = SIMULATOR_URL.rsplit(":", 1)[1]
    argv = [sys.executable, "-m", "snaptui", "simulate", "--port", port]
    argv += ["--access-key", ACCESS_KEY]
    env = {**os.environ, "SNAPTUI_SIMULATOR_SECRET_KEY": SECRET_KEY}
    server = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    assert server.stdout is not None
    server.stdout.readline()  # "listening on ...": ready
    return server


def time_to_screen(name: str) -> float:
    argv, needles = NEEDLES[name]
    started = time.monotonic()
    term = PtyProcess(argv, env=KEYS if argv is REAL_PATH else None)
    try:
        for needle in needles:
            if term.wait_for(needle, 30) is None:
                raise SystemExit(f"{name}: {needle!r} never appeared")
        return time.monotonic() - started
    finally:
        term.close()


def main() -> int:
    simulator = start_simulator()
    try:
        return measure()
    finally:
        simulator.terminate()
        simulator.wait()


def measure() -> int:
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
