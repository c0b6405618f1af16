"""The app driven by keys against the simulator over real HTTP, on a test clock."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widgets import Input, TabbedContent

from snaptui.settings import load_recent
from snaptui.simulator import Fault, Simulator
from snaptui.tui.widgets.error_panel import ErrorPanel
from snaptui.tui.widgets.task_tree import TaskTree
from snaptui.tui.widgets.task_view import TaskView
from tests.helpers import FakeClock, run
from tests.tui_fixtures import make_app, make_simulator, settle, type_ids


@pytest.fixture
def scene_sim(clock: FakeClock) -> Iterator[Simulator]:
    sim = make_simulator(clock)
    yield sim
    sim.stop()


def view_of(app: object) -> TaskView:
    return app.screen.query_one(TaskView)  # type: ignore[attr-defined,no-any-return]


def test_form_to_task_to_refresh_to_ended(scene_sim: Simulator, clock: FakeClock) -> None:
    app = make_app(scene_sim, clock)
    notes: list[str] = []

    async def go() -> None:
        async with app.run_test(size=(100, 30)) as pilot:
            app.notify = lambda message, **kw: notes.append(message)  # type: ignore[method-assign]
            assert isinstance(app.focused, Input) and app.focused.id == "app-id"
            await type_ids(pilot, "demo", "room-1", "task-live")
            await settle(pilot)
            view = view_of(app)
            assert view.snapshot is not None and int(view.snapshot.Status) == 1
            tree = view.query_one(TaskTree)
            assert tree.model["SnapshotTask.Status"].value == "Not started (1)"
            clock.advance(2.5)
            await pilot.press("r")
            await settle(pilot)
            assert tree.model["SnapshotTask.Status"].value == "Running (2)"
            # The changed value is marked for one refresh.
            assert "SnapshotTask.Status" in tree._marked
            clock.advance(18)
            await pilot.press("r")
            await settle(pilot)
            assert view.finished and tree.model["SnapshotTask.Status"].value == "Ended (3)"
            assert notes == ["Task ended: StopByAPI after 20 s"]
            answered = sum(scene_sim.gateway.stats.answered.values())
            await pilot.press("r")  # a manual refresh is still allowed
            await settle(pilot)
            assert sum(scene_sim.gateway.stats.answered.values()) == answered + 1
            assert view._timer is None  # but nothing is scheduled any more

    run(go())
    assert load_recent("demo")[0] == ("demo", "room-1", "task-live")


def test_auto_refresh_without_keys(scene_sim: Simulator, clock: FakeClock) -> None:
    app = make_app(scene_sim, clock, ("demo", "room-1", "task-live"))

    async def go() -> None:
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            view = view_of(app)
            view.interval = 1.0
            clock.advance(3)
            for _ in range(60):
                await pilot.pause(0.1)
                if view.snapshot and int(view.snapshot.Status) == 2:
                    break
            assert view.snapshot is not None and int(view.snapshot.Status) == 2

    run(go())


def test_expansion_and_cursor_survive_refresh(scene_sim: Simulator, clock: FakeClock) -> None:
    app = make_app(scene_sim, clock, ("demo", "room-1", "task-tos"))

    async def go() -> None:
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            tree = view_of(app).query_one(TaskTree)
            stream = tree._by_key["SnapshotTask.TargetStreams.StreamList[1]"]
            stream.expand()
            tree.move_cursor(stream)
            await pilot.pause()
            ids_before = {k: id(v) for k, v in tree._by_key.items()}
            clock.advance(5)
            await pilot.press("r")
            await settle(pilot)
            assert stream.is_expanded
            assert tree.cursor_node is stream
            # The same TreeNode objects: updated in place, not rebuilt.
            assert {k: id(v) for k, v in tree._by_key.items()} == ids_before
            assert tree.model["SnapshotTask.$Elapsed"].value == "1 min 35 s"

    run(go())


def test_error_keeps_last_good_tree_and_recovers(scene_sim: Simulator, clock: FakeClock) -> None:
    app = make_app(scene_sim, clock, ("demo", "room-1", "task-tos"))

    async def go() -> None:
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            view = view_of(app)
            scene_sim.gateway.faults.append(Fault("body", status=200, body="<html>oops"))
            await pilot.press("r")
            await settle(pilot)
            panel = view.query_one(ErrorPanel)
            assert panel.display and "the body is HTML" in str(panel.render())
            assert view.query_one(TaskTree).model["SnapshotTask.Status"].value == "Running (2)"
            assert view.failures == 1
            scene_sim.gateway.faults.clear()
            await pilot.press("r")
            await settle(pilot)
            assert not panel.display and view.failures == 0

    run(go())


def test_several_tasks_in_tabs(scene_sim: Simulator, clock: FakeClock) -> None:
    app = make_app(scene_sim, clock)

    async def go() -> None:
        async with app.run_test(size=(100, 30)) as pilot:
            await type_ids(pilot, "demo", "room-1", "task-ended")
            await settle(pilot)
            await pilot.press("ctrl+n")
            assert app.focused is app.screen.query_one("#app-id", Input)
            # Ctrl+N starts a new query with empty fields.
            assert app.screen.query_one("#task-id", Input).value == ""
            for field, value in (("app-id", "demo"), ("room-id", "room-1")):
                app.screen.query_one(f"#{field}", Input).value = value
            app.screen.query_one("#task-id", Input).value = "task-failed"
            await pilot.press("enter")
            await settle(pilot)
            views = list(app.screen.query(TaskView))
            assert [v.ids[2] for v in views] == ["task-ended", "task-failed"]
            tabs = app.screen.query_one(TabbedContent)
            await pilot.press("ctrl+w")
            await pilot.pause(0.1)
            assert [v.ids[2] for v in app.screen.query(TaskView)] == ["task-ended"]
            assert tabs.active in ("query", tabs.active)

    run(go())


def test_invalid_ids_send_nothing(scene_sim: Simulator, clock: FakeClock) -> None:
    app = make_app(scene_sim, clock)

    async def go() -> None:
        async with app.run_test(size=(100, 30)) as pilot:
            await type_ids(pilot, "demo", "room 1", "task-ended")
            await pilot.pause(0.1)
            assert not list(app.screen.query(TaskView))
            assert app.focused is app.screen.query_one("#room-id", Input)
            error = app.screen.query_one("#room-id-error")
            assert "contains ' '" in str(error.render())
            assert app.screen.query_one("#room-id", Input).value == "room 1"  # nothing lost

    run(go())
    assert sum(scene_sim.gateway.stats.answered.values()) == 0


def test_deep_link_paste_fills_all_fields(scene_sim: Simulator, clock: FakeClock) -> None:
    app = make_app(scene_sim, clock)

    async def go() -> None:
        async with app.run_test(size=(100, 30)) as pilot:
            app.screen.query_one(
                "#app-id", Input
            ).value = "https://alerts.example/x?AppId=demo&RoomId=room-1&TaskId=user-7"
            await pilot.pause(0.7)  # taken once the text has stopped changing
            values = [
                app.screen.query_one(f"#{i}", Input).value for i in ("app-id", "room-id", "task-id")
            ]
            assert values == ["demo", "room-1", "user-7"]

    run(go())


def test_copy_and_export(scene_sim: Simulator, clock: FakeClock, tmp_path: Path) -> None:
    app = make_app(scene_sim, clock, ("demo", "room-1", "task-ended"))
    copied: list[str] = []

    async def go() -> None:
        async with app.run_test(size=(100, 30)) as pilot:
            app.copy_to_clipboard = copied.append  # type: ignore[method-assign]
            await settle(pilot)
            view = view_of(app)
            await pilot.press("i")
            assert copied[-1] == view.last.request_id  # type: ignore[union-attr]
            await pilot.press("C")
            assert json.loads(copied[-1])["Result"]["SnapshotTask"]["Status"] == 3
            tree = view.query_one(TaskTree)
            tree.move_cursor(tree._by_key["SnapshotTask.StopReason"])
            await pilot.press("c")
            assert copied[-1].startswith("IdleTimeOut")
            await pilot.press("e")
            await pilot.pause(0.1)
            path_input = app.screen.query_one("#export-path", Input)
            path_input.value = str(tmp_path / "out.json")
            await pilot.press("enter")
            await pilot.pause(0.1)

    run(go())
    saved = json.loads((tmp_path / "out.json").read_text())
    assert saved["Result"]["SnapshotTask"]["StopReason"] == "IdleTimeOut"


def test_pause_and_interval_keys(scene_sim: Simulator, clock: FakeClock) -> None:
    app = make_app(scene_sim, clock, ("demo", "room-1", "task-pending"))

    async def go() -> None:
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            view = view_of(app)
            await pilot.press("minus", "minus", "minus")
            assert view.interval == 1.0
            await pilot.press("plus", "plus")
            assert view.interval == 3.0
            await pilot.press("p")
            assert view.paused and view._timer is None
            await pilot.press("p")
            await settle(pilot)
            assert not view.paused and view._timer is not None

    run(go())


def test_no_blinking_cursor(scene_sim: Simulator, clock: FakeClock) -> None:
    app = make_app(scene_sim, clock)

    async def go() -> None:
        async with app.run_test(size=(100, 30)):
            assert all(not i.cursor_blink for i in app.screen.query(Input))

    run(go())


def test_command_palette_offers_every_binding(scene_sim: Simulator, clock: FakeClock) -> None:
    from textual.binding import Binding

    from snaptui.tui.screens.credentials import CredentialsScreen
    from snaptui.tui.screens.main import MainScreen

    app = make_app(scene_sim, clock, ("demo", "room-1", "task-tos"))

    def titles() -> list[str]:
        # Each entry names its key: "Credentials  (f2)".
        return [
            command.title.split("  (")[0]
            for command in app.get_system_commands(app.screen)
            if "  (" in command.title or command.title in ("Keys", "Quit", "Theme")
        ]

    def described(bindings: list[object], prefix: str = "") -> set[str]:
        return {
            f"{prefix}{b.description}"
            for b in bindings
            if isinstance(b, Binding) and not b.action.startswith("app.")
        }

    async def go() -> None:
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            shown = titles()
            assert described(MainScreen.BINDINGS) <= set(shown)
            assert described(TaskView.BINDINGS, "Task: ") <= set(shown)
            assert len(shown) == len(set(shown))  # no two entries with the same name
            await pilot.press("f2")
            await pilot.pause(0.2)
            assert described(CredentialsScreen.BINDINGS) <= set(titles())

    run(go())
