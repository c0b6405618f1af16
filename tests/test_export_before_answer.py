"""`e` and a file name typed before the first answer: the name goes into the dialog (its
q never quits the app), and the file is saved once the task has answered."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from snaptui.simulator import Fault, Simulator
from snaptui.tui.screens.export import ExportScreen
from snaptui.tui.widgets.task_view import TaskView
from tests.helpers import FakeClock, run
from tests.pilot_keys import burst, handled
from tests.tui_fixtures import make_app, settle


def test_a_name_typed_behind_e_while_loading_is_saved_once_the_task_answers(
    sim: Simulator, clock: FakeClock, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    sim.gateway.faults.append(Fault("latency", seconds=1.5, times=1))
    app = make_app(sim, clock, ("demo", "room-1", "task-ended"))

    async def go() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause(0.1)
            assert app.screen.query_one(TaskView).last is None  # still loading
            burst(app, "e", "quick.json", "enter")
            await handled(pilot)
            assert app.is_running  # the q of quick did not quit
            assert isinstance(app.screen, ExportScreen)
            error = str(app.screen.query_one("#export-error").render())
            assert "No answer yet" in error
            assert not (tmp_path / "quick.json").exists()
            await settle(pilot)  # the answer comes
            await pilot.press("enter")
            await pilot.pause(0.2)
            assert not isinstance(app.screen, ExportScreen)

    run(go())
    saved = json.loads((tmp_path / "quick.json").read_text(encoding="utf-8"))
    assert saved["Result"]["SnapshotTask"]["StopReason"] == "IdleTimeOut"
