"""Time to first frame: `snaptui demo` against a minimal Textual app (Header, Label, Footer).

Both run in a fresh process on a pseudo-terminal of 100x30; the clock stops when the
frame's text ("Query" and the footer's key) has been written. Runs alternate, median of
at least 7 pairs. Goal: ratio <= 1.3.

    python -m tests.bench.startup [--smoke]
"""

from __future__ import annotations

import sys
import time

from tests.bench.common import PtyProcess, machine, median, smoke

SNAPTUI = [sys.executable, "-m", "snaptui", "demo"]
MINIMAL = [sys.executable, "-m", "tests.bench.minimal_app"]
# What each first frame shows: its own content, and the footer's ctrl+q binding.
NEEDLES = {"snaptui": (b"App ID", b"Quit"), "minimal": (b"Query", b"Quit")}


def first_frame(argv: list[str]) -> float:
    started = time.monotonic()
    term = PtyProcess(argv)
    try:
        for needle in NEEDLES["snaptui" if argv is SNAPTUI else "minimal"]:
            if term.wait_for(needle, 30) is None:
                raise SystemExit(f"no first frame from {argv}")
        return time.monotonic() - started
    finally:
        term.close()


def main() -> int:
    pairs = 2 if smoke() else 15
    first_frame(SNAPTUI), first_frame(MINIMAL)  # warm the file cache for both
    ours, reference = [], []
    for _ in range(pairs):
        ours.append(first_frame(SNAPTUI))
        reference.append(first_frame(MINIMAL))
    ratio = median(ours) / median(reference)
    print(f"machine: {machine()}")
    print(
        f"first frame, median of {pairs} alternating pairs: snaptui demo "
        f"{median(ours) * 1000:.0f} ms, minimal Textual app {median(reference) * 1000:.0f} ms"
    )
    print(f"ratio {ratio:.2f}   (goal: <= 1.3)")
    return 0 if ratio <= 1.3 or smoke() else 1


if __name__ == "__main__":
    sys.exit(main())
