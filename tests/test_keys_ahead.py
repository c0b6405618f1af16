"""Keys typed ahead in one burst go to the widget focused when each is handled."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual import events
from textual.command import CommandInput, CommandPalette
from textual.widgets import Input, Static

from snaptui.simulator import Simulator
from snaptui.tui.screens.credentials import CredentialsScreen
from snaptui.tui.screens.export import ExportScreen
from snaptui.tui.screens.help import HelpScreen
from snaptui.tui.screens.main import MainScreen
from snaptui.tui.widgets.focused_keys import FocusedKeys
from snaptui.tui.widgets.json_view import JsonView
from snaptui.tui.widgets.scroll import Scroll
from snaptui.tui.widgets.task_tree import TaskTree
from snaptui.tui.widgets.task_view import TaskView
from snaptui.tui.widgets.timeline import TimelinePanel
from tests.helpers import FakeClock, run
from tests.pilot_keys import burst, handled
from tests.tui_fixtures import make_app, make_simulator, settle

ENDED = ("demo", "room-1", "task-ended")
MANY = ("demo", "room-1", "task-many")
STREAMS = "SnapshotTask.TargetStreams.StreamList"


@pytest.fixture
def scene_sim(clock: FakeClock) -> Iterator[Simulator]:
    sim = make_simulator(clock)
    yield sim
    sim.stop()


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # a key run as export before the fix writes here


def field(app: object, field_id: str) -> str:
    return app.screen.query_one(f"#{field_id}", Input).value  # type: ignore[attr-defined,no-any-return]


@pytest.mark.parametrize("needle", ["quota", "9998", "user9999"])
def test_a_search_typed_in_one_burst_searches_for_all_of_it(
    scene_sim: Simulator, clock: FakeClock, needle: str
) -> None:
    app = make_app(scene_sim, clock, ENDED)

    async def go() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            burst(app, "/" + needle, "enter")
            await handled(pilot)
            await settle(pilot)
            assert app.is_running  # the q of quota did not quit
            view = app.screen.query_one(TaskView)
            assert view._needle == needle
            assert isinstance(app.screen, MainScreen)  # no e ran as export

    run(go())


def test_ids_typed_behind_ctrl_n_go_into_the_form_and_open_the_task(
    scene_sim: Simulator, clock: FakeClock
) -> None:
    app = make_app(scene_sim, clock, ENDED)

    async def go() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            burst(app, "ctrl+n", "task-x")
            await handled(pilot)
            await settle(pilot)
            # The form starts empty, and the t of task-x did not open the timeline.
            assert field(app, "app-id") == "task-x"
            assert not app.screen.query_one(TimelinePanel).display
            burst(app, "ctrl+u", "demo", "tab", "room-1", "tab", "task-failed", "enter")
            await handled(pilot)
            await settle(pilot)
            await settle(pilot)
            opened = {view.ids for view in app.screen.query(TaskView)}
            assert opened == {ENDED, ("demo", "room-1", "task-failed")}

    run(go())


def test_ctrl_u_behind_ctrl_n_clears_the_field(scene_sim: Simulator, clock: FakeClock) -> None:
    app = make_app(scene_sim, clock, ENDED)

    async def go() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("ctrl+n")
            await settle(pilot)
            await pilot.press(*"typed")  # never opened
            await pilot.press("ctrl+right")
            await settle(pilot)
            assert isinstance(app.focused, TaskTree)
            burst(app, "ctrl+n", "ctrl+u")
            await handled(pilot)
            await settle(pilot)
            assert app.focused is not None and app.focused.id == "app-id"
            assert field(app, "app-id") == ""

    run(go())


def test_g_behind_j_goes_to_the_json_view(scene_sim: Simulator, clock: FakeClock) -> None:
    app = make_app(scene_sim, clock, ENDED)

    async def go() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("j")
            await settle(pilot)
            await pilot.press("G")
            json_view = app.screen.query_one(JsonView)
            assert json_view.cursor > 0
            await pilot.press("j")
            await settle(pilot)
            tree = app.screen.query_one(TaskTree)
            await pilot.press("down", "down")
            tree_line = tree.cursor_line
            burst(app, "j", "g")
            await handled(pilot)
            await settle(pilot)
            assert json_view.has_focus and json_view.cursor == 0
            assert tree.cursor_line == tree_line

    run(go())


def test_ids_typed_behind_ctrl_n_on_the_credentials_screen_open_a_task(
    scene_sim: Simulator, clock: FakeClock
) -> None:
    app = make_app(scene_sim, clock, ENDED)

    async def go() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("f2")
            await settle(pilot)
            assert not isinstance(app.screen, MainScreen)
            burst(app, "ctrl+n", "demo", "tab", "room-1", "tab", "task-failed", "enter")
            await handled(pilot)
            await settle(pilot)
            await settle(pilot)
            assert isinstance(app.screen, MainScreen)
            opened = {view.ids for view in app.screen.query(TaskView)}
            assert ("demo", "room-1", "task-failed") in opened

    run(go())


def test_esc_on_the_credentials_screen_says_which_edits_it_dropped(
    scene_sim: Simulator, clock: FakeClock
) -> None:
    app = make_app(scene_sim, clock, ENDED)
    notes: list[str] = []

    async def go() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            app.notify = lambda message, **kw: notes.append(message)  # type: ignore[method-assign]
            await pilot.press("f2")
            await settle(pilot)
            app.screen.query_one("#access-key", Input).focus()
            await pilot.pause(0.05)
            await pilot.press(*"AKLTtyped")
            await pilot.press("escape")
            await settle(pilot)
            assert isinstance(app.screen, MainScreen)
            assert notes and "AccessKey" in notes[-1] and "AKLTtyped" not in notes[-1]
            said = len(notes)
            await pilot.press("f2")
            await settle(pilot)
            await pilot.press("escape")  # nothing edited: nothing said
            await settle(pilot)
            assert not any("discarded" in note for note in notes[said:])

    run(go())


def test_every_focusable_widget_hands_on_keys_typed_ahead(
    scene_sim: Simulator, clock: FakeClock
) -> None:
    """A widget added tomorrow that takes focus must derive from FocusedKeys too."""
    app = make_app(scene_sim, clock, ENDED)
    # Textual's tab bar switches tabs with ←/→ only; Ctrl+←/→ do it from anywhere.
    allowed = {"ContentTabs"}
    seen: set[str] = set()

    def check() -> None:
        for widget in app.screen.query("*"):
            if widget.allow_focus():
                seen.add(type(widget).__name__)
                if type(widget).__name__ not in allowed:
                    assert isinstance(widget, FocusedKeys), type(widget).__name__

    async def go() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("slash")  # the search bar
            await settle(pilot)
            check()
            await pilot.press("escape", "j")  # the JSON view
            await settle(pilot)
            check()
            await pilot.press("ctrl+n")  # the form, with the recent list
            await settle(pilot)
            check()
            await pilot.press("f2")
            await settle(pilot)
            check()
            await pilot.press("escape", "f1")
            await settle(pilot)
            check()
        assert {"TaskTree", "JsonView", "Field", "RecentList", "Scroll"} <= seen

    run(go())


# -- keys behind a key that opens a screen, behind Enter or Esc in the search bar ---------


def test_a_name_typed_behind_e_is_the_file_exported(
    scene_sim: Simulator, clock: FakeClock, tmp_path: Path
) -> None:
    app = make_app(scene_sim, clock, ENDED)

    async def go() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            burst(app, "e", "out.json", "enter")
            await handled(pilot)
            await settle(pilot)
            assert isinstance(app.screen, MainScreen)  # saved and closed

    run(go())
    saved = json.loads((tmp_path / "out.json").read_text())
    assert saved["Result"]["SnapshotTask"]["StopReason"] == "IdleTimeOut"
    assert not list(tmp_path.glob("snapshot-task-*"))  # the name replaced the default


def test_keys_behind_f2_go_into_the_credentials_fields(
    scene_sim: Simulator, clock: FakeClock
) -> None:
    app = make_app(scene_sim, clock, ENDED)

    async def go() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            burst(app, "f2", "AKLTahead", "tab", "secret-ahead")
            await handled(pilot)
            await settle(pilot)
            assert isinstance(app.screen, CredentialsScreen)
            assert field(app, "access-key") == "AKLTahead"
            assert field(app, "secret-key") == "secret-ahead"

    run(go())


def test_keys_behind_f1_scroll_the_help_then_close_it(
    scene_sim: Simulator, clock: FakeClock
) -> None:
    app = make_app(scene_sim, clock, ENDED)

    async def go() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            burst(app, "f1", "end")
            await handled(pilot)
            assert isinstance(app.screen, HelpScreen)
            scroll = app.screen.query_one(Scroll)
            assert scroll.max_scroll_y > 0 and scroll.scroll_y == scroll.max_scroll_y
            burst(app, "escape", "f1", "escape", "j")
            await handled(pilot)
            assert isinstance(app.screen, MainScreen)
            assert app.screen.query_one(JsonView).has_focus  # the j behind the help's Esc

    run(go())


def test_keys_behind_ctrl_p_are_the_palettes_search(scene_sim: Simulator, clock: FakeClock) -> None:
    app = make_app(scene_sim, clock, ENDED)

    async def go() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            burst(app, "ctrl+p", "language")
            await handled(pilot)
            await settle(pilot)
            assert isinstance(app.screen, CommandPalette)
            assert app.screen.query_one(CommandInput).value == "language"

    run(go())


def test_keys_behind_f8_answer_the_question_then_go_back_to_the_field(
    scene_sim: Simulator, clock: FakeClock
) -> None:
    app = make_app(scene_sim, clock, ENDED)

    async def go() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("f2")
            await settle(pilot)
            burst(app, "f8", "n", "AKLTafter")
            await handled(pilot)
            await settle(pilot)
            assert isinstance(app.screen, CredentialsScreen)
            message = app.screen.query_one("#cred-message", Static).render()
            assert "Nothing was deleted" in str(message)
            assert field(app, "access-key") == "AKLTafter"

    run(go())


def test_n_behind_enter_in_the_search_goes_to_the_next_matches(
    scene_sim: Simulator, clock: FakeClock
) -> None:
    app = make_app(scene_sim, clock, MANY)

    async def go() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            burst(app, "/viewer-0424", "enter", "n", "n")
            await handled(pilot)
            await settle(pilot)
            tree = app.screen.query_one(TaskTree)
            assert tree.has_focus and not app.screen.query_one("#search").display
            assert tree.cursor_node is not None
            assert tree.cursor_node.data == f"{STREAMS}[4242]"
            assert app.screen.query_one(TaskView)._needle == "viewer-0424"

    run(go())


def test_n_behind_esc_in_the_search_goes_to_the_next_match_of_the_last_search(
    scene_sim: Simulator, clock: FakeClock
) -> None:
    app = make_app(scene_sim, clock, MANY)

    async def go() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("slash", *"viewer-0424", "enter")
            await settle(pilot)
            burst(app, "/zzz", "escape", "n")
            await handled(pilot)
            await settle(pilot)
            tree = app.screen.query_one(TaskTree)
            assert tree.has_focus and not app.screen.query_one("#search").display
            assert tree.cursor_node is not None
            assert tree.cursor_node.data == f"{STREAMS}[4241]"
            assert field(app, "search") == "zzz"  # the n was not typed into it

    run(go())


def test_ids_typed_behind_ctrl_n_in_two_reads_stay_in_their_fields(
    scene_sim: Simulator, clock: FakeClock
) -> None:
    """A burst the terminal delivers in two reads: the app catches up in between (the tab
    change's message is handled), and that must not move focus back to App ID."""
    app = make_app(scene_sim, clock, ENDED)

    async def go() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            burst(app, "ctrl+n", "demo", "tab")
            await handled(pilot)
            burst(app, "room-1", "tab", "task-failed", "enter")
            await handled(pilot)
            await settle(pilot)
            await settle(pilot)
            opened = {view.ids for view in app.screen.query(TaskView)}
            assert opened == {ENDED, ("demo", "room-1", "task-failed")}

    run(go())


def test_export_asks_before_replacing_a_file(
    scene_sim: Simulator, clock: FakeClock, tmp_path: Path
) -> None:
    app = make_app(scene_sim, clock, ENDED)
    kept = tmp_path / "kept.json"
    kept.write_text("mine\n")
    notes: list[str] = []

    async def go() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            app.notify = lambda message, **kw: notes.append(message)  # type: ignore[method-assign]
            burst(app, "e", "kept.json", "enter", "x")  # the x answers nothing
            await handled(pilot)
            assert isinstance(app.screen, ExportScreen)
            assert kept.read_text() == "mine\n"
            question = str(app.screen.query_one("#export-question", Static).render())
            assert "kept.json exists" in question
            # Esc: back to the name, selected, so a new name replaces it; Enter saves.
            burst(app, "escape", "other.json", "enter")
            await handled(pilot)
            assert isinstance(app.screen, MainScreen)
            assert kept.read_text() == "mine\n"
            assert json.loads((tmp_path / "other.json").read_text())["Result"]
            assert notes[-1].startswith("Saved ") and notes[-1].endswith("other.json")
            # y replaces, and the toast says so.
            burst(app, "e", "kept.json", "enter", "y")
            await handled(pilot)
            assert isinstance(app.screen, MainScreen)
            assert json.loads(kept.read_text())["Result"]["SnapshotTask"]["Status"] == 3
            assert notes[-1].startswith("Replaced ") and notes[-1].endswith("kept.json")

    run(go())


def test_enter_again_replaces_the_file(
    scene_sim: Simulator, clock: FakeClock, tmp_path: Path
) -> None:
    app = make_app(scene_sim, clock, ENDED)
    kept = tmp_path / "kept.json"
    kept.write_text("mine\n")

    async def go() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            burst(app, "e", "kept.json", "enter")
            await handled(pilot)
            assert kept.read_text() == "mine\n"
            burst(app, "enter")
            await handled(pilot)
            assert isinstance(app.screen, MainScreen)

    run(go())
    assert json.loads(kept.read_text())["Result"]["SnapshotTask"]["StopReason"] == "IdleTimeOut"


def test_a_key_nothing_takes_in_a_field_inside_a_scroll_is_handled_once(
    scene_sim: Simulator, clock: FakeClock
) -> None:
    """F5 in a credentials field bubbled up to the scrolling container, which handed it
    back to the field, forever: a core spun while the screen looked idle."""
    app = make_app(scene_sim, clock, ENDED)
    seen: list[events.Key] = []

    async def go() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("f2")
            await settle(pilot)
            access_key = app.screen.query_one("#access-key", Input)
            access_key.message_signal.subscribe(
                app.screen,
                lambda m: seen.append(m) if isinstance(m, events.Key) else None,
                immediate=True,
            )
            await pilot.press("f5")
            await pilot.pause(0.3)
            assert len(seen) == 1

    run(go())


def test_ids_typed_behind_ctrl_w_and_ctrl_n_open_a_task(
    scene_sim: Simulator, clock: FakeClock
) -> None:
    """Ctrl+W closes the last task's tab: the keys behind it go to the form, not the tab bar."""
    app = make_app(scene_sim, clock, ENDED)

    async def go() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            burst(app, "ctrl+w", "ctrl+n", "demo", "tab", "room-1", "tab", "task-failed", "enter")
            await handled(pilot)
            await settle(pilot)
            opened = [view.ids for view in app.screen.query(TaskView)]
            assert opened == [("demo", "room-1", "task-failed")]
            assert isinstance(app.focused, TaskTree)

    run(go())


def test_a_key_behind_ctrl_w_goes_to_the_task_shown_next(
    scene_sim: Simulator, clock: FakeClock
) -> None:
    app = make_app(scene_sim, clock, ENDED)

    async def go() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            burst(app, "ctrl+n", "demo", "tab", "room-1", "tab", "task-failed", "enter")
            await handled(pilot)
            await settle(pilot)
            burst(app, "ctrl+w", "j")  # closes task-failed; j shows task-ended's JSON
            await handled(pilot)
            await settle(pilot)
            views = list(app.screen.query(TaskView))
            assert [view.ids for view in views] == [ENDED]
            assert views[0].query_one(JsonView).display
            assert isinstance(app.focused, JsonView)

    run(go())


@pytest.mark.parametrize("after", [["ctrl+w", "ctrl+n"], ["ctrl+w"]])
def test_ids_typed_after_closing_a_task_that_failed_replace_its_ids(
    scene_sim: Simulator, clock: FakeClock, after: list[str]
) -> None:
    """A failed task is not kept in recent queries and its tab is gone: its ids in the form
    must still not take the next ids typed blind."""
    app = make_app(scene_sim, clock)

    async def go() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            burst(app, "demo", "tab", "room-1", "tab", "zz-1", "enter")
            await handled(pilot)
            await settle(pilot)
            burst(app, *after)
            await handled(pilot)
            await settle(pilot)  # the tab is gone
            burst(app, "demo", "tab", "room-1", "tab", "task-ended", "enter")
            await handled(pilot)
            await settle(pilot)
            assert [view.ids for view in app.screen.query(TaskView)] == [ENDED]

    run(go())


def test_ids_typed_after_closing_the_task_the_app_opened_with_replace_its_ids(
    scene_sim: Simulator, clock: FakeClock
) -> None:
    app = make_app(scene_sim, clock, ("demo", "room-1", "task-failed"))

    async def go() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            burst(app, "ctrl+w")
            await handled(pilot)
            await settle(pilot)
            burst(app, "ctrl+n", "demo", "tab", "room-1", "tab", "task-ended", "enter")
            await handled(pilot)
            await settle(pilot)
            assert [view.ids for view in app.screen.query(TaskView)] == [ENDED]

    run(go())


def test_ids_typed_behind_ctrl_w_and_ctrl_n_with_another_task_left_open_them_whole(
    scene_sim: Simulator, clock: FakeClock
) -> None:
    """Ctrl+W shows another task, Ctrl+N the form before it is laid out: the Tab typed
    behind them goes to Room ID, not to the tab bar (whose focus chain is what is shown)."""
    app = make_app(scene_sim, clock, ENDED)

    async def go() -> None:
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            burst(app, "ctrl+n", "demo", "tab", "room-1", "tab", "task-pending", "enter")
            await handled(pilot)
            await settle(pilot)
            burst(app, "ctrl+w", "ctrl+n", "demo", "tab", "room-1", "tab", "task-live", "enter")
            await handled(pilot)
            await settle(pilot)
            opened = [view.ids for view in app.screen.query(TaskView)]
            assert opened == [ENDED, ("demo", "room-1", "task-live")]

    run(go())


def test_ctrl_n_empties_a_query_typed_but_never_opened(
    scene_sim: Simulator, clock: FakeClock
) -> None:
    app = make_app(scene_sim, clock, ENDED)

    async def go() -> None:
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            burst(app, "ctrl+n", "old-app", "tab", "room-9")
            await handled(pilot)
            await settle(pilot)
            burst(app, "ctrl+right")  # to the task, and back with a new query
            await handled(pilot)
            burst(app, "ctrl+n", "demo", "tab", "room-1", "tab", "task-live", "enter")
            await handled(pilot)
            await settle(pilot)
            opened = [view.ids for view in app.screen.query(TaskView)]
            assert opened == [ENDED, ("demo", "room-1", "task-live")]

    run(go())
