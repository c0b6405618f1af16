"""The garbage collector is paused while the program starts, and resumed by what runs on:
the app once its first frame is out, `get --watch` and `simulate` once they start."""

from __future__ import annotations

import gc
import subprocess
import sys
from collections.abc import Iterator

import pytest

from snaptui import collector
from snaptui.simulator import Simulator
from tests.helpers import DEMO_ENV, FakeClock, run
from tests.tui_fixtures import make_app, settle


@pytest.fixture
def paused() -> Iterator[None]:
    collector.pause()
    try:
        yield
    finally:  # the test run's own collector as it was
        gc.unfreeze()
        gc.enable()


def test_resume_leaves_a_collector_that_was_never_paused_alone() -> None:
    before = gc.get_freeze_count()
    collector.resume()
    assert gc.isenabled()
    assert gc.get_freeze_count() == before


@pytest.mark.usefixtures("paused")
def test_the_app_resumes_collection_after_its_first_frame(sim: Simulator, clock: FakeClock) -> None:
    assert not gc.isenabled()

    async def go() -> tuple[bool, int]:
        app = make_app(sim, clock, ("demo", "room-1", "task-ended"))
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            return gc.isenabled(), gc.get_freeze_count()

    enabled, frozen = run(go())
    assert enabled
    assert frozen > 0  # start-up's objects out of its passes


def gc_state_at_exit(*args: str) -> str:
    """Runs the program's entry point with ARGS; what the collector was doing at exit."""
    code = (
        "import atexit, gc, sys\n"
        "atexit.register(lambda: print('gc', gc.isenabled(), file=sys.stderr))\n"
        f"sys.argv = ['snaptui', *{list(args)!r}]\n"
        "from snaptui.cli import run\n"
        "raise SystemExit(run())\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**DEMO_ENV, "PATH": "/usr/bin:/bin"},
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return done.stderr.strip().splitlines()[-1]


def test_a_one_shot_get_never_resumes_it(live_sim: Simulator) -> None:
    ids = ("demo", "room-1", "task-ended")
    assert gc_state_at_exit("get", "--endpoint", live_sim.url, *ids) == "gc False"


def test_get_watch_resumes_it(live_sim: Simulator) -> None:
    ids = ("demo", "room-1", "task-ended")  # ended: --watch returns at once
    assert gc_state_at_exit("get", "--watch", "--endpoint", live_sim.url, *ids) == "gc True"
