"""Keeping the app responsive while it holds answers of 100,000 streams.

Such an answer is some 400,000 objects the cyclic garbage collector tracks (decoded
JSON, the parsed model), and a new one arrives every refresh. With Python's default
thresholds that growth sets off a full collection after almost every refresh: 0.15 to
0.3 s with every thread stopped, and a key pressed meanwhile waits. The answers hold no
reference cycles (reference counting frees them), so collecting less often costs
nothing in memory here; young collections stay, a full one comes far more rarely.
"""

from __future__ import annotations

import gc

# Streams in one answer from which the collector is tuned.
BIG = 10_000
# Young generation 50,000 objects (default 700), then 20 and 100 (defaults 10 and 10).
THRESHOLDS = (50_000, 20, 100)


def expect_big_answers(streams: int) -> bool:
    """Tunes the collector once an answer has BIG streams or more; True if it did."""
    if streams < BIG or gc.get_threshold()[0] >= THRESHOLDS[0]:
        return False
    gc.set_threshold(*THRESHOLDS)
    return True
