"""Every screen and state at 80x24 and 120x40, with a fixed clock and fixed data."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from textual.pilot import Pilot

from snaptui.simulator import Simulator
from snaptui.tui.language import apply_language
from tests.helpers import FakeClock
from tests.tui_fixtures import SCENES, SIZES, make_app, make_simulator


@pytest.fixture
def scene_sim(clock: FakeClock) -> Iterator[Simulator]:
    import keyring

    backend = keyring.get_keyring()
    sim = make_simulator(clock)
    yield sim
    sim.stop()
    keyring.set_keyring(backend)  # a scene without keys swaps in a backend that keeps nothing
    apply_language("en")  # a Chinese scene leaves the app's classes in English again


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("name", SCENES)
def test_scene(
    name: str, size: str, snap_compare: Callable[..., bool], scene_sim: Simulator, clock: FakeClock
) -> None:
    scene = SCENES[name]
    app = make_app(scene_sim, clock, scene.ids, scene.keys, scene.language)

    async def run_before(pilot: Pilot[Any]) -> None:
        if scene.action is not None:
            await scene.action(pilot, scene_sim)

    assert snap_compare(app, terminal_size=SIZES[size], run_before=run_before)
