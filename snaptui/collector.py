"""The cyclic garbage collector, paused while the program starts.

Start-up allocates tens of thousands of objects that live as long as the process
(modules, classes, the app's widgets) and next to no reference cycles, so the
collector's passes over them find nothing: some 25 passes for `snaptui get`, some 160
before the app's first frame (40 to 70 ms of it). A one-shot command never resumes it:
reference counting frees what it drops, and the process ends. A long-running one resumes
it once it has started, with what start-up made moved out of its sight for good.
"""

from __future__ import annotations

import gc


def pause() -> None:
    gc.disable()


def resume() -> None:
    """Collection as usual from now on, never again over what exists now. Only after a
    pause: a process that never paused (a test run) keeps its collector untouched."""
    if not gc.isenabled():
        gc.freeze()
        gc.enable()
