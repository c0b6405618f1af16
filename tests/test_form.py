"""The query form: keys in bursts, typed and pasted alert links, ids from a table."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from textual.widgets import Input

from snaptui.simulator import Simulator
from snaptui.tui.widgets.query_form import LINK_SETTLE, QueryForm
from snaptui.tui.widgets.task_view import TaskView
from tests.helpers import FakeClock, run
from tests.pilot_keys import burst
from tests.tui_fixtures import make_app, make_simulator, settle


@pytest.fixture
def scene_sim(clock: FakeClock) -> Iterator[Simulator]:
    sim = make_simulator(clock)
    yield sim
    sim.stop()


def fields(app: object) -> tuple[str, str, str]:
    return app.screen.query_one(QueryForm).values()  # type: ignore[attr-defined,no-any-return]


def open_tasks(app: object) -> list[tuple[str, str, str]]:
    return [v.ids for v in app.screen.query(TaskView)]  # type: ignore[attr-defined]


def test_a_burst_fills_three_fields_and_opens_the_task(
    scene_sim: Simulator, clock: FakeClock
) -> None:
    app = make_app(scene_sim, clock)

    async def go() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            burst(app, "demo", "tab", "room-1", "tab", "task-ended", "enter")
            await settle(pilot)
            await settle(pilot)
            assert open_tasks(app) == [("demo", "room-1", "task-ended")]
            assert fields(app) == ("demo", "room-1", "task-ended")

    run(go())


def test_keys_typed_after_a_tab_land_in_the_next_field(
    scene_sim: Simulator, clock: FakeClock
) -> None:
    app = make_app(scene_sim, clock)

    async def go() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            # A backspace in the burst is applied in order too.
            burst(app, "demx", "backspace", "o", "tab", "room-1", "shift+tab", "!")
            await pilot.pause(0.2)
            assert fields(app) == ("demo!", "room-1", "")
            assert isinstance(app.focused, Input) and app.focused.id == "app-id"

    run(go())


def test_a_link_typed_key_by_key_fills_once_complete(
    scene_sim: Simulator, clock: FakeClock
) -> None:
    app = make_app(scene_sim, clock)

    async def go() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            for char in "demo/room-1/nope":
                await pilot.press(char)
            # Mid-typing nothing moved: every key went into App ID.
            assert fields(app) == ("demo/room-1/nope", "", "")
            await pilot.pause(LINK_SETTLE + 0.3)
            assert fields(app) == ("demo", "room-1", "nope")
            assert app.focused is not None and app.focused.id == "task-id"
            assert open_tasks(app) == []  # filled, not opened
            # Nothing is selected: the next key adds to the Task ID.
            await pilot.press("s")
            assert fields(app)[2] == "nopes"

    run(go())


def test_a_slow_typist_finishes_the_task_id_in_its_field(
    scene_sim: Simulator, clock: FakeClock
) -> None:
    app = make_app(scene_sim, clock)

    async def go() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press(*"demo/room-1/t")
            await pilot.pause(LINK_SETTLE + 0.3)  # a pause to think
            await pilot.press(*"ask-ended", "enter")
            await settle(pilot)
            assert open_tasks(app) == [("demo", "room-1", "task-ended")]

    run(go())


def test_an_unbracketed_paste_with_enter_opens_the_task(
    scene_sim: Simulator, clock: FakeClock
) -> None:
    app = make_app(scene_sim, clock)

    async def go() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            burst(app, "demo/room-1/task-ended", "enter")
            await settle(pilot)
            await settle(pilot)
            assert open_tasks(app) == [("demo", "room-1", "task-ended")]

    run(go())


@pytest.mark.parametrize("text", ["demo\troom-1\ttask-ended", "demo room-1 task-ended"])
def test_ids_from_a_table_are_split_on_paste(
    text: str, scene_sim: Simulator, clock: FakeClock
) -> None:
    app = make_app(scene_sim, clock)

    async def go() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            app.screen.query_one("#room-id", Input).focus()
            await pilot.pause()
            from textual import events

            app.post_message(events.Paste(text))
            await pilot.pause(0.1)
            assert fields(app) == ("demo", "room-1", "task-ended")

    run(go())


def test_a_link_with_a_bad_id_is_refused_with_a_message(
    scene_sim: Simulator, clock: FakeClock
) -> None:
    app = make_app(scene_sim, clock)

    async def go() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            from textual import events

            app.post_message(
                events.Paste("https://alerts.example/x?AppId=demo&RoomId=room-1&TaskId=t%1b%5d52")
            )
            await pilot.pause(0.1)
            assert fields(app)[2] == ""
            await pilot.press("enter")
            await settle(pilot)
            assert open_tasks(app) == []
            error = str(app.screen.query_one("#app-id-error").render())
            assert "Task ID" in error and "U+001B" in error

    run(go())
