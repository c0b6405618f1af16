"""Keys that went astray: Esc read with the key behind it, the palette, hidden focus
stops, the recent list, the export question. Each as a person meets it."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual import events
from textual.app import App
from textual.command import CommandInput, CommandPalette
from textual.widgets import Input, OptionList, Static

from snaptui.settings import add_recent
from snaptui.simulator import Simulator
from snaptui.tui.screens.credentials import CredentialsScreen
from snaptui.tui.screens.export import ExportScreen
from snaptui.tui.screens.help import HelpScreen
from snaptui.tui.screens.main import MainScreen
from snaptui.tui.widgets.json_view import JsonView
from snaptui.tui.widgets.task_view import TaskView
from tests.helpers import FakeClock, run
from tests.pilot_keys import burst, handled
from tests.tui_fixtures import make_app, make_simulator, settle

ENDED = ("demo", "room-1", "task-ended")


@pytest.fixture
def scene_sim(clock: FakeClock) -> Iterator[Simulator]:
    sim = make_simulator(clock)
    yield sim
    sim.stop()


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def key(app: App[object], name: str, character: str | None = None) -> None:
    """One key queued behind those sent before, as `burst` does for text."""
    event = events.Key(name, character)
    event.set_sender(app)
    app.post_message(event)


def alt(app: App[object], name: str, character: str | None = None) -> None:
    """Esc and `name` read together, as the terminal driver reports them: Alt+key."""
    key(app, f"alt+{name}", character)


def field(app: App[object], field_id: str) -> str:
    return app.screen.query_one(f"#{field_id}", Input).value


# -- 1. Esc and the key behind it, read together ---------------------------------------


def test_esc_and_ctrl_n_behind_f1_close_the_help_and_open_the_form(
    scene_sim: Simulator, clock: FakeClock
) -> None:
    app = make_app(scene_sim, clock, ENDED)

    async def go() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            burst(app, "f1")
            alt(app, "ctrl+n", "\x0e")
            burst(app, "typed")
            await handled(pilot)
            await settle(pilot)
            assert isinstance(app.screen, MainScreen)
            assert app.focused is not None and app.focused.id == "app-id"
            assert field(app, "app-id") == "typed"

    run(go())


def test_esc_and_j_behind_f1_and_pagedown_close_the_help_and_show_the_json(
    scene_sim: Simulator, clock: FakeClock
) -> None:
    app = make_app(scene_sim, clock, ENDED)

    async def go() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            burst(app, "f1")
            key(app, "pagedown")
            alt(app, "j", "j")
            await handled(pilot)
            await settle(pilot)
            assert not isinstance(app.screen, HelpScreen)
            assert app.screen.query_one(JsonView).has_focus

    run(go())


def test_esc_and_a_letter_in_the_export_dialog_cancel_it(
    scene_sim: Simulator, clock: FakeClock, tmp_path: Path
) -> None:
    app = make_app(scene_sim, clock, ENDED)

    async def go() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            burst(app, "e")
            alt(app, "j", "j")
            await handled(pilot)
            await settle(pilot)
            assert isinstance(app.screen, MainScreen)  # closed, and nothing saved
            assert app.screen.query_one(JsonView).has_focus
            assert list(tmp_path.iterdir()) == []

    run(go())


def test_esc_and_a_letter_on_the_credentials_screen_go_back_then_act(
    scene_sim: Simulator, clock: FakeClock
) -> None:
    app = make_app(scene_sim, clock, ENDED)

    async def go() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            burst(app, "f2")
            alt(app, "j", "j")
            await handled(pilot)
            await settle(pilot)
            assert isinstance(app.screen, MainScreen)
            assert app.screen.query_one(JsonView).has_focus

    run(go())


def test_esc_and_a_letter_answer_the_delete_question_no(
    scene_sim: Simulator, clock: FakeClock
) -> None:
    app = make_app(scene_sim, clock, ENDED)

    async def go() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("f2")
            await settle(pilot)
            burst(app, "f8")
            alt(app, "shift+a", "A")
            burst(app, "KLTafter")
            await handled(pilot)
            await settle(pilot)
            assert isinstance(app.screen, CredentialsScreen)
            message = app.screen.query_one("#cred-message", Static).render()
            assert "Nothing was deleted" in str(message)
            assert field(app, "access-key") == "AKLTafter"

    run(go())


def test_an_alt_key_that_is_bound_keeps_its_meaning(scene_sim: Simulator, clock: FakeClock) -> None:
    """Alt+← in a field moves a word left, as it says: not Esc then ←."""
    app = make_app(scene_sim, clock, None)

    async def go() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            burst(app, "demo room")
            await handled(pilot)
            alt(app, "left")
            burst(app, "x")
            await handled(pilot)
            assert field(app, "app-id") == "demo xroom"

    run(go())


# -- 2. The command palette ------------------------------------------------------------


def test_ctrl_u_and_text_typed_in_one_burst_in_the_palette_keep_the_text(
    scene_sim: Simulator, clock: FakeClock
) -> None:
    app = make_app(scene_sim, clock, ENDED)

    async def go() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("ctrl+p")
            await settle(pilot)
            await pilot.press(*"copy")
            await settle(pilot)
            burst(app, "ctrl+u", "keys")
            await handled(pilot)
            await settle(pilot)
            assert app.screen.query_one(CommandInput).value == "keys"
            await pilot.press("enter")  # nothing is called keys: nothing runs
            await settle(pilot)
            assert isinstance(app.screen, CommandPalette)
            await pilot.press("escape")
            await settle(pilot)
            assert len(app.screen.query(TaskView)) == 1  # no tab was closed

    run(go())


def test_enter_typed_behind_the_text_runs_what_the_text_finds(
    scene_sim: Simulator, clock: FakeClock
) -> None:
    app = make_app(scene_sim, clock, ENDED)

    async def go() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            burst(app, "ctrl+p", "export", "enter")
            await handled(pilot)
            await settle(pilot)
            assert isinstance(app.screen, ExportScreen)

    run(go())


def test_the_palette_leaves_out_textuals_key_panel(scene_sim: Simulator, clock: FakeClock) -> None:
    app = make_app(scene_sim, clock, ENDED)

    async def go() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            titles = [c.title for c in app.get_system_commands(app.screen)]
            assert not [t for t in titles if t.startswith("Keys")]
            assert "Help  (f1)" in titles and any(t.startswith("Theme") for t in titles)

    run(go())


# -- 3. The credentials screen ---------------------------------------------------------


def test_every_focus_stop_on_the_credentials_screen_is_a_field(
    scene_sim: Simulator, clock: FakeClock
) -> None:
    app = make_app(scene_sim, clock, ENDED)

    async def go() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            burst(app, "f2", "tab", "tab", "tab", "-typed")  # AccessKey, SecretKey, Token, on
            await handled(pilot)
            await settle(pilot)
            assert all(isinstance(w, Input) for w in app.screen.focus_chain)
            assert field(app, "profile") == "demo-typed"

    run(go())


def test_q_on_the_credentials_screen_never_quits(scene_sim: Simulator, clock: FakeClock) -> None:
    app = make_app(scene_sim, clock, ENDED)

    async def go() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("f2")
            await settle(pilot)
            await pilot.press(*"AKLTunsaved")
            app.screen.set_focus(None)  # a click beside the fields, say
            await pilot.press("q")
            await settle(pilot)
            assert app.is_running and isinstance(app.screen, CredentialsScreen)
            assert field(app, "access-key") == "AKLTunsaved"

    run(go())


# -- 4. The recent queries -------------------------------------------------------------


def with_recent(*tasks: str) -> None:
    for task in tasks:
        add_recent(("demo", "room-1", task), "demo")


def test_down_goes_to_the_recent_list_on_its_first_row(
    scene_sim: Simulator, clock: FakeClock
) -> None:
    with_recent("task-failed", "task-ended")  # task-ended first
    app = make_app(scene_sim, clock, None)

    async def go() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            burst(app, "d")
            key(app, "down")
            await handled(pilot)
            recent = app.screen.query_one("#recent", OptionList)
            assert recent.has_focus and recent.highlighted == 0
            # Left on the second row, the list is entered again on the first, and Enter
            # typed right behind ↓ opens that row.
            key(app, "down")
            burst(app, "shift+tab")
            key(app, "down")
            key(app, "enter")
            await handled(pilot)
            await settle(pilot)
            assert {view.ids for view in app.screen.query(TaskView)} == {ENDED}

    run(go())


def test_up_from_the_first_row_goes_back_to_task_id(scene_sim: Simulator, clock: FakeClock) -> None:
    with_recent("task-failed", "task-ended")
    app = make_app(scene_sim, clock, None)

    async def go() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            key(app, "down")
            key(app, "down")  # the second row
            key(app, "up")
            key(app, "up")  # from the first: Task ID
            burst(app, "typed")
            await handled(pilot)
            assert field(app, "task-id") == "typed"

    run(go())


def test_tab_into_the_recent_list_highlights_its_first_row(
    scene_sim: Simulator, clock: FakeClock
) -> None:
    with_recent("task-ended")
    app = make_app(scene_sim, clock, None)

    async def go() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("tab", "tab", "tab")
            await settle(pilot)
            recent = app.screen.query_one("#recent", OptionList)
            assert recent.has_focus and recent.highlighted == 0

    run(go())


# -- 5. The export dialog --------------------------------------------------------------


def shown(app: App[object]) -> str:
    """The dialog's text as it shows: the lines on display."""
    texts = [w.render() for w in app.screen.query(Static) if w.display and w.id != "export-path"]
    return "\n".join(str(t) for t in texts)


def test_while_export_asks_to_replace_esc_has_one_meaning(
    scene_sim: Simulator, clock: FakeClock, tmp_path: Path
) -> None:
    (tmp_path / "kept.json").write_text("mine\n")
    app = make_app(scene_sim, clock, ENDED)

    async def go() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            burst(app, "e", "kept.json", "enter")
            await handled(pilot)
            await settle(pilot)
            asking = shown(app)
            assert "kept.json exists" in asking
            assert asking.count("Esc") == 1 and "Esc: change the name" in asking
            burst(app, "escape")  # back to the name, as it said
            await handled(pilot)
            await settle(pilot)
            assert isinstance(app.screen, ExportScreen)
            assert "Esc to cancel" in shown(app) and "exists" not in shown(app)
            burst(app, "escape")  # and now it cancels, as it says
            await handled(pilot)
            await settle(pilot)
            assert isinstance(app.screen, MainScreen)
            assert (tmp_path / "kept.json").read_text() == "mine\n"

    run(go())


@pytest.mark.parametrize("kind", ["fifo", "directory", "device"])
def test_a_name_that_is_not_a_regular_file_is_refused_at_once(
    scene_sim: Simulator, clock: FakeClock, tmp_path: Path, kind: str
) -> None:
    if kind == "fifo":
        os.mkfifo(tmp_path / "pipe")
        name = str(tmp_path / "pipe")
    elif kind == "directory":
        (tmp_path / "folder").mkdir()
        name = str(tmp_path / "folder")
    else:
        name = "/dev/null"
    app = make_app(scene_sim, clock, ENDED)

    async def go() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            burst(app, "e", name, "enter")
            await handled(pilot)
            await settle(pilot)
            assert isinstance(app.screen, ExportScreen)
            said = shown(app)
            assert f"Cannot write {name}: not a regular file" in said
            assert "exists" not in said  # not offered for replacement
            assert app.screen.query_one("#export-path", Input).has_focus

    run(go())
