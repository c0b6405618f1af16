"""One-shot call: `snaptui get --output json` against the official volcengine SDK.

Both run as fresh processes against the same simulator (over loopback HTTP) and fetch
the same task; runs alternate, median of at least 7 pairs. Goal: ratio <= 0.9.

    python -m tests.bench.oneshot [--smoke]
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

from snaptui.simulator import DEMO_ACCESS_KEY, DEMO_SECRET_KEY, Gateway, Simulator
from tests.bench.common import machine, median, smoke

IDS = ("demo", "room-1", "task-ended")


def timed(argv: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    proc = subprocess.run(argv, env=env, capture_output=True, timeout=60)
    took = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(f"{argv[2]} failed: {proc.stderr.decode()[-500:]}")
    body = json.loads(proc.stdout)
    assert body["Result"]["SnapshotTask"]["StopReason"] == "IdleTimeOut"
    return took


def main() -> int:
    env = {**os.environ, "VOLC_ACCESSKEY": DEMO_ACCESS_KEY, "VOLC_SECRETKEY": DEMO_SECRET_KEY}
    pairs = 2 if smoke() else 15
    with Simulator(Gateway()) as sim:
        ours = [
            sys.executable,
            "-m",
            "snaptui",
            "get",
            "--endpoint",
            sim.url,
            "--output",
            "json",
            *IDS,
        ]
        sdk = [sys.executable, "-m", "tests.bench.sdk_get", sim.url, *IDS]
        timed(ours, env), timed(sdk, env)  # warm the file cache for both
        a, b = [], []
        for _ in range(pairs):
            a.append(timed(ours, env))
            b.append(timed(sdk, env))
    ratio = median(a) / median(b)
    print(f"machine: {machine()}")
    print(
        f"one-shot GetSnapshotTask, fresh processes, median of {pairs} alternating pairs: "
        f"snaptui get {median(a) * 1000:.0f} ms, volcengine SDK {median(b) * 1000:.0f} ms"
    )
    print(f"ratio {ratio:.2f}   (goal: <= 0.9)")
    return 0 if ratio <= 0.9 or smoke() else 1


if __name__ == "__main__":
    sys.exit(main())
