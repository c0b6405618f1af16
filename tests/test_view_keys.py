"""The task view's last rough edges: `c` on a branch copies it as JSON, a search typed
before the first answer waits for it, toasts wait behind every dialog, and F1 lists the
keys of the JSON view and of the query form."""

from __future__ import annotations

import asyncio
import copy
import json
from collections.abc import Iterator

import pytest
from textual.app import App
from textual.pilot import Pilot

from snaptui.output import dump_json
from snaptui.simulator import Fault, Simulator
from snaptui.simulator.tasks import TaskSpec, demo_tasks
from snaptui.tui.widgets.json_view import JsonView
from snaptui.tui.widgets.task_tree import TaskTree
from snaptui.tui.widgets.task_view import TaskView
from tests.helpers import FakeClock, run
from tests.tui_fixtures import make_app, make_simulator, settle

DEMO = ("demo", "room-1")
TASK = "SnapshotTask"


@pytest.fixture
def sim(clock: FakeClock) -> Iterator[Simulator]:
    simulator = make_simulator(clock)
    yield simulator
    simulator.stop()


def said(app: App[object]) -> list[str]:
    return [n.message for n in app._notifications]


def add_task(sim: Simulator, task_id: str, **fields: object) -> None:
    spec = next(t for t in demo_tasks() if t.task_id == "task-pending")
    snapshot = copy.deepcopy(spec.snapshot)
    snapshot.update(fields)
    sim.gateway.tasks[(*DEMO, task_id)] = TaskSpec(*DEMO, task_id, snapshot, [])


async def cursor_to(pilot: Pilot[object], tree: TaskTree, key: str) -> None:
    assert tree.go_to(key)
    await pilot.pause(0.1)
    assert tree.key_at_cursor() == key


async def press_c(pilot: Pilot[object]) -> None:
    """c, and the copy done: a branch is printed in a thread."""
    await pilot.press("c")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def opened(app: App[object], copied: list[str]) -> tuple[TaskView, TaskTree]:
    app.copy_to_clipboard = copied.append  # type: ignore[method-assign]
    view = app.screen.query_one(TaskView)
    return view, view.query_one(TaskTree)


# -- 1. c on a branch ---------------------------------------------------------------------


def test_c_on_a_branch_of_the_tree_copies_it_as_json(sim: Simulator, clock: FakeClock) -> None:
    app = make_app(sim, clock, (*DEMO, "task-ended"))
    copied: list[str] = []

    async def go() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            _view, tree = opened(app, copied)
            await cursor_to(pilot, tree, f"{TASK}.ImageConfig")
            await press_c(pilot)
            # Pretty, as C prints the whole answer; not the label's text.
            assert copied[-1] == (
                '{\n  "Format": 0,\n  "Width": 800,\n  "Height": 800,\n  "Interval": 2\n}'
            )
            assert said(app)[-1] == "Copied ImageConfig (JSON) to the clipboard."
            await cursor_to(pilot, tree, f"{TASK}.TargetStreams.StreamList")
            await press_c(pilot)
            assert json.loads(copied[-1]) == [
                {"Index": 0, "UserId": "user0", "StreamType": 1},
                {"Index": 1, "UserId": "user1", "StreamType": 1},
            ]
            assert said(app)[-1] == "Copied StreamList (JSON) to the clipboard."
            await cursor_to(pilot, tree, f"{TASK}.TargetStreams.StreamList[1]")
            await press_c(pilot)
            assert json.loads(copied[-1]) == {"Index": 1, "UserId": "user1", "StreamType": 1}
            assert said(app)[-1] == "Copied StreamList[1] (JSON) to the clipboard."
            # A leaf keeps copying its value as the JSON has it.
            await cursor_to(pilot, tree, f"{TASK}.Status")
            await press_c(pilot)
            assert copied[-1] == "3"
            assert said(app)[-1] == "Copied the value to the clipboard."

    run(go())


def test_a_branch_is_copied_from_the_safe_answer(sim: Simulator, clock: FakeClock) -> None:
    """A store's keys redacted and a terminal control escaped, as C and the JSON view
    show them: never the server's text as it came."""
    storage = {
        "Type": 2,
        "CustomConfig": {
            "Vendor": 1,
            "Region": 1,
            "Bucket": "b\x1b]52;c;ZXZpbA==\x07",
            "AccessKey": "AKIAOTHERSTORE",
            "SecretKey": "other-store-secret",
        },
    }
    add_task(sim, "task-keys", StorageConfig=storage)
    app = make_app(sim, clock, (*DEMO, "task-keys"))
    copied: list[str] = []

    async def go() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            _view, tree = opened(app, copied)
            await cursor_to(pilot, tree, f"{TASK}.StorageConfig")
            await press_c(pilot)
            text = copied[-1]
            assert "other-store-secret" not in text and "AKIAOTHERSTORE" not in text
            assert "\x1b" not in text and "\\u001b]52" in text
            assert json.loads(text)["CustomConfig"]["SecretKey"] == "<redacted>"

    run(go())


def test_c_on_a_line_that_opens_an_object_in_the_json_view(
    sim: Simulator, clock: FakeClock
) -> None:
    app = make_app(sim, clock, (*DEMO, "task-ended"))
    copied: list[str] = []

    async def go() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            view, tree = opened(app, copied)
            await cursor_to(pilot, tree, f"{TASK}.ImageConfig")
            await press_c(pilot)
            from_tree = copied[-1]
            await pilot.press("j")
            await pilot.pause(0.2)
            json_view = view.query_one(JsonView)
            lines = json_view.lines
            json_view.go(next(i for i, line in enumerate(lines) if '"ImageConfig": {' in line))
            await press_c(pilot)
            assert copied[-1] == from_tree
            assert said(app)[-1] == "Copied ImageConfig (JSON) to the clipboard."
            # An element of an array: named by its array and index.
            streams = next(i for i, line in enumerate(lines) if '"StreamList": [' in line)
            second = [i for i in range(streams, len(lines)) if lines[i].strip() == "{"][1]
            json_view.go(second)
            await press_c(pilot)
            assert json.loads(copied[-1]) == {"Index": 1, "UserId": "user1", "StreamType": 1}
            assert said(app)[-1] == "Copied StreamList[1] (JSON) to the clipboard."
            # The first line opens the whole answer: that is C.
            await pilot.press("g")
            await press_c(pilot)
            assert copied[-1] == dump_json(view.last.data)  # type: ignore[union-attr]
            assert said(app)[-1] == "Copied the JSON to the clipboard."
            # A value's line still copies the value.
            json_view.go(next(i for i, line in enumerate(lines) if '"Width": 800' in line))
            await press_c(pilot)
            assert copied[-1] == "800"

    run(go())


def test_a_branch_too_big_for_the_clipboard_offers_export(sim: Simulator, clock: FakeClock) -> None:
    app = make_app(sim, clock, (*DEMO, "task-many"))
    copied: list[str] = []

    async def go() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            view, tree = opened(app, copied)
            await cursor_to(pilot, tree, f"{TASK}.TargetStreams.StreamList")
            await press_c(pilot)
            assert copied == []
            last = said(app)[-1]
            assert last.startswith("StreamList is ") and " KB: " in last
            assert "Press e to export" in last
            # The same in the JSON view.
            await pilot.press("j")
            await pilot.pause(0.3)
            json_view = view.query_one(JsonView)
            json_view.go(next(i for i, s in enumerate(json_view.lines) if '"StreamList": [' in s))
            await press_c(pilot)
            assert copied == [] and said(app)[-1] == last

    run(go())


# -- 2. a search typed before the first answer ------------------------------------------


def test_a_search_typed_while_loading_runs_once_the_task_loads(
    sim: Simulator, clock: FakeClock
) -> None:
    sim.gateway.faults.append(Fault("latency", seconds=1.5, times=1))
    app = make_app(sim, clock, (*DEMO, "task-ended"))

    async def go() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause(0.1)
            view = app.screen.query_one(TaskView)
            assert view.last is None  # still loading
            await pilot.press("slash", *"user1", "enter")
            await pilot.pause(0.05)
            assert said(app) == ["Will search for 'user1' once the task loads."]
            await pilot.press("n")
            assert said(app)[-1] == "Will search for 'user1' once the task loads."
            await settle(pilot)
            await pilot.pause(0.2)
            assert not any("No match" in text for text in said(app)), said(app)
            found = [t for t in said(app) if "matches for 'user1'" in t]
            assert found and found[0].startswith("1 of "), said(app)
            tree = view.query_one(TaskTree)
            assert tree.key_at_cursor() == f"{TASK}.TargetStreams.StreamList[1]"

    run(go())


def test_a_search_typed_in_the_json_view_while_loading_runs_there(
    sim: Simulator, clock: FakeClock
) -> None:
    sim.gateway.faults.append(Fault("latency", seconds=1.5, times=1))
    app = make_app(sim, clock, (*DEMO, "task-ended"))

    async def go() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause(0.1)
            await pilot.press("j")
            await pilot.press("slash", *"user1", "enter")
            await pilot.pause(0.05)
            assert said(app) == ["Will search for 'user1' once the task loads."]
            await settle(pilot)
            await pilot.pause(0.2)
            json_view = app.screen.query_one(JsonView)
            assert '"user1"' in json_view.lines[json_view.cursor]
            assert not any("No match" in text for text in said(app)), said(app)

    run(go())


def test_an_error_answer_drops_a_waiting_search_quietly(sim: Simulator, clock: FakeClock) -> None:
    app = make_app(sim, clock, (*DEMO, "no-such-task"))
    fetch = app.connection.fetch

    async def slow_first(ids: tuple[str, str, str]) -> object:
        # The simulator's faults delay only tasks it has: the first "not found" waits here.
        if not fetched:
            fetched.append(ids)
            await asyncio.sleep(1.0)
        return await fetch(ids)

    fetched: list[object] = []
    app.connection.fetch = slow_first  # type: ignore[assignment,method-assign]

    async def go() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause(0.1)
            view = app.screen.query_one(TaskView)
            await pilot.press("slash", *"user1", "enter")
            assert view.error is None
            await settle(pilot)
            assert view.error is not None
            assert said(app) == ["Will search for 'user1' once the task loads."]
            # Nothing waits any more: the answer that comes later runs no search.
            add_task(sim, "no-such-task")
            await pilot.press("r")
            await settle(pilot)
            assert view.last is not None
            assert not any("match" in text for text in said(app)), said(app)

    run(go())


# -- 3. toasts over dialogs ----------------------------------------------------------------


def visible_toasts(app: App[object]) -> list[str]:
    return [str(t.render()) for t in app.screen.query("Toast") if t.visible]


async def open_export(pilot: Pilot[object]) -> None:
    await pilot.press("e")


async def open_confirm(pilot: Pilot[object]) -> None:
    from snaptui.tui.screens.confirm import ConfirmScreen

    pilot.app.push_screen(ConfirmScreen("Delete the keys of profile demo from the keyring?"))


async def open_new_dialog(pilot: Pilot[object]) -> None:
    """A dialog written tomorrow, that knows nothing about toasts."""
    from textual.screen import ModalScreen
    from textual.widgets import Static

    class Tomorrow(ModalScreen[None]):
        BINDINGS = [("escape", "dismiss", "Close")]  # noqa: RUF012

        def compose(self):  # type: ignore[no-untyped-def]
            yield Static("a new dialog")

    pilot.app.push_screen(Tomorrow())


@pytest.mark.parametrize("opener", [open_export, open_confirm, open_new_dialog])
def test_toasts_wait_behind_every_dialog(sim: Simulator, clock: FakeClock, opener) -> None:  # type: ignore[no-untyped-def]
    from textual.screen import ModalScreen

    app = make_app(sim, clock, (*DEMO, "task-ended"))

    async def go() -> None:
        async with app.run_test(size=(80, 24), notifications=True) as pilot:
            await settle(pilot)
            await press_c(pilot)
            await opener(pilot)
            await pilot.pause(0.3)
            assert isinstance(app.screen, ModalScreen)
            assert visible_toasts(app) == []
            app.notify("The task ended while the dialog was open.", timeout=30)
            await pilot.pause(0.3)
            assert visible_toasts(app) == []
            await pilot.press("escape")
            await pilot.pause(0.3)
            assert not isinstance(app.screen, ModalScreen)
            assert any("while the dialog was open" in t for t in visible_toasts(app))

    run(go())


# -- 4. F1 lists the keys of what has focus -------------------------------------------------


def help_rows(app: App[object]) -> tuple[list[str], dict[str, str]]:
    """The section titles, and each row's text with its keys."""
    from snaptui.tui.screens.help import HelpScreen

    screen = app.screen
    assert isinstance(screen, HelpScreen)
    titles = [title for title, _rows in screen._sections]
    rows = {text: keys for _title, section in screen._sections for keys, text in section}
    return titles, rows


def test_f1_with_the_json_view_focused_lists_its_keys(sim: Simulator, clock: FakeClock) -> None:
    app = make_app(sim, clock, (*DEMO, "task-ended"))

    async def go() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("j")
            await pilot.pause(0.2)
            assert isinstance(app.focused, JsonView)
            await pilot.press("f1")
            await pilot.pause(0.2)
            titles, rows = help_rows(app)
            assert titles[0] == "The JSON"  # what has focus first
            assert rows["The line above"] == "↑" and rows["The line below"] == "↓"
            assert rows["A page up"] == "pgup" and rows["A page down"] == "pgdn"
            assert rows["The first line"] == "g home" and rows["The last line"] == "G end"
            assert rows["Scroll a long line to see its end"] == "→"
            # The view's keys that act on the JSON too.
            assert rows["Search the tree or the JSON (n / N: next / previous match)"] == "/"
            assert rows["Next match"] == "n" and rows["Previous match"] == "N"
            copy_row = next(text for text in rows if text.startswith("Copy the value"))
            assert rows[copy_row] == "c" and "a branch as JSON" in copy_row

    run(go())


def test_f1_in_the_query_form_lists_the_forms_keys(sim: Simulator, clock: FakeClock) -> None:
    from snaptui.settings import add_recent

    add_recent((*DEMO, "task-failed"), "demo")
    app = make_app(sim, clock, (*DEMO, "task-ended"))

    async def go() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("ctrl+n")
            await pilot.pause(0.2)
            assert app.focused is not None and app.focused.id == "app-id"
            await pilot.press("f1")
            await pilot.pause(0.2)
            titles, rows = help_rows(app)
            assert titles[:2] == ["In a text field", "The query form"]
            assert rows["Open the task (from any field)"] == "⏎"
            assert rows["The next field, then the recent queries"] == "tab"
            assert rows["The field before"] == "shift+tab"
            assert rows["Clear before the cursor"] == "^u"
            assert rows["Clear after the cursor"] == "^k"
            assert rows["A word to the left"] == "alt+← alt+b"
            assert rows["A word to the right"] == "alt+→ alt+f"
            assert rows["To the recent queries: ↑ ↓ to choose, Enter opens"] == "↓"

    run(go())


def test_down_in_a_field_goes_to_the_recent_queries(sim: Simulator, clock: FakeClock) -> None:
    from snaptui.settings import add_recent
    from snaptui.tui.widgets.recent_list import RecentList

    add_recent((*DEMO, "task-failed"), "demo")
    app = make_app(sim, clock)

    async def go() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause(0.2)
            assert app.focused is not None and app.focused.id == "app-id"
            await pilot.press("down")
            assert isinstance(app.focused, RecentList)
            await pilot.press("f1")
            await pilot.pause(0.2)
            titles, rows = help_rows(app)
            assert titles[0] == "Recent queries"
            assert rows["Open this recent query"] == "⏎"
            await pilot.press("escape", "enter")
            await settle(pilot)
            view = app.screen.query_one(TaskView)
            assert view.ids == (*DEMO, "task-failed")

    run(go())


def test_without_recent_queries_down_is_not_offered(sim: Simulator, clock: FakeClock) -> None:
    app = make_app(sim, clock)

    async def go() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause(0.2)
            await pilot.press("down")
            assert app.focused is not None and app.focused.id == "app-id"
            await pilot.press("f1")
            await pilot.pause(0.2)
            _titles, rows = help_rows(app)
            assert "To the recent queries: ↑ ↓ to choose, Enter opens" not in rows

    run(go())


def readme_spelling(key: str) -> str:
    """A Textual key name as README's key table writes it: `g`, ←, Ctrl+U, Alt+←, Tab."""
    from tests.test_tui_rough_edges import readme_spelling as spelled

    for modifier in ("alt", "shift"):
        if key.startswith(modifier + "+"):
            return f"{modifier.title()}+{readme_spelling(key[len(modifier) + 1 :]).strip('`')}"
    return {"tab": "Tab", "enter": "Enter"}.get(key) or spelled(key)


def test_the_readme_key_table_names_the_keys_of_the_json_view_and_the_form() -> None:
    import re
    from pathlib import Path

    from textual.binding import Binding

    from snaptui.tui.widgets.field import Field
    from snaptui.tui.widgets.query_form import IdField, QueryForm
    from snaptui.tui.widgets.recent_list import RecentList

    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("### The app", 1)[1]
    table = "\n".join(line for line in section.splitlines()[:40] if line.startswith("|"))
    missing = [
        f"{binding.id}: {readme_spelling(key)}"
        for owner in (JsonView, Field, IdField, QueryForm, RecentList)
        for binding in owner.BINDINGS
        if isinstance(binding, Binding) and binding.id is not None
        for key in binding.key.split(",")
        if not re.search(rf"(?<![A-Za-z]){re.escape(readme_spelling(key))}(?![A-Za-z])", table)
    ]
    assert not missing, "keys the README's table does not name: " + ", ".join(missing)
