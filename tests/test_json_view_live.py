"""The JSON view (j) shows the answer the header shows, and takes the keys typed behind j."""

from __future__ import annotations

from snaptui.simulator import Simulator
from snaptui.tui.widgets.json_view import JsonView
from snaptui.tui.widgets.task_view import TaskView
from tests.helpers import FakeClock, run
from tests.pilot_keys import burst, handled
from tests.test_task_view import until
from tests.tui_fixtures import make_app, settle

ENDED = ("demo", "room-1", "task-ended")


def test_keys_typed_behind_j_the_first_time_move_in_the_json(
    sim: Simulator, clock: FakeClock
) -> None:
    app = make_app(sim, clock, ENDED)

    async def go() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            burst(app, "j", "G")
            await handled(pilot)
            json_view = app.screen.query_one(JsonView)
            assert json_view.has_focus
            assert json_view.lines and json_view.cursor == len(json_view.lines) - 1

    run(go())


def test_the_json_view_shows_the_request_id_of_the_latest_answer(
    sim: Simulator, clock: FakeClock
) -> None:
    """A running task whose answers say the same but for their RequestId."""
    app = make_app(sim, clock, ("demo", "room-1", "task-pending"))

    async def go() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            view = app.screen.query_one(TaskView)
            await pilot.press("j")
            json_view = view.query_one(JsonView)
            first = view.last.request_id if view.last else None
            await until(pilot, lambda: f'"RequestId": "{first}"' in json_view.text)
            before = len(json_view.lines)
            await pilot.press("r")
            await settle(pilot)
            latest = view.last.request_id if view.last else None
            assert latest != first
            await until(pilot, lambda: f'"RequestId": "{latest}"' in json_view.text)
            assert f'"{first}"' not in json_view.text
            assert len(json_view.lines) == before

    run(go())
