"""Rough edges a new user met in the first minutes: the recent list at 80x24, toasts over
help, failed tabs, the back-off in the status line, help's keys, the palette's keys."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from textual.app import App
from textual.widget import Widget

from snaptui.simulator import Simulator
from snaptui.tui.widgets.task_view import TaskView
from tests.helpers import FakeClock, run
from tests.tui_fixtures import make_app, make_simulator, settle

DEMO = ("demo", "room-1")


@pytest.fixture
def sim(clock: FakeClock) -> Iterator[Simulator]:
    simulator = make_simulator(clock)
    yield simulator
    simulator.stop()


def visible_rows(app: App[object], widget: Widget) -> int:
    """How many rows of `widget` a person sees: not cut off, not under another widget."""
    x = widget.region.x + 1
    return sum(1 for y in range(app.size.height) if app.screen.get_widget_at(x, y)[0] is widget)


# -- 1. the recent list at 80x24 --------------------------------------------------------


@pytest.mark.parametrize("size", [(80, 24), (100, 30)])
def test_recent_queries_show_on_the_query_tab(
    sim: Simulator, clock: FakeClock, size: tuple[int, int]
) -> None:
    from textual.widgets import OptionList

    app = make_app(sim, clock, (*DEMO, "task-ended"))

    async def go() -> None:
        async with app.run_test(size=size) as pilot:
            await settle(pilot)
            for task in ("task-failed", "task-pending"):
                await app.screen.open_task((*DEMO, task))  # type: ignore[attr-defined]
                await settle(pilot)
            await pilot.press("ctrl+n")
            await pilot.pause(0.2)
            listing = app.screen.query_one("#recent", OptionList)
            assert listing.option_count == 3
            # Every entry on screen, and the list is reached by keys from the form.
            assert visible_rows(app, listing) >= 3
            await pilot.press("tab", "tab", "tab")
            assert app.focused is listing
            await pilot.press("down", "down")
            chosen = listing.highlighted_option
            assert chosen is not None and visible_rows(app, listing) >= 3
            await pilot.press("enter")
            await settle(pilot)
            active = app.screen.active_view()  # type: ignore[attr-defined]
            assert isinstance(active, TaskView) and "\x00".join(active.ids) == chosen.id

    run(go())


def test_the_recent_lists_highlight_stays_on_screen_at_80x24(
    sim: Simulator, clock: FakeClock
) -> None:
    from textual.widgets import OptionList

    from snaptui.settings import add_recent

    for n in range(8):
        add_recent((*DEMO, f"task-{n}"), "demo")
    app = make_app(sim, clock, (*DEMO, "task-ended"))

    async def go() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("ctrl+n")
            await pilot.pause(0.2)
            listing = app.screen.query_one("#recent", OptionList)
            await pilot.press("tab", "tab", "tab")
            assert app.focused is listing
            for _ in range(7):
                await pilot.press("down")
                await pilot.pause()
                index = listing.highlighted
                assert index is not None
                # The highlighted row is one a person sees: the list scrolled to it.
                row = listing.region.y + index - int(listing.scroll_offset.y)
                assert app.screen.get_widget_at(listing.region.x + 1, row)[0] is listing
                assert listing.region.y <= row < listing.region.bottom

    run(go())


# -- 2. toasts and the help dialog ------------------------------------------------------


def covering_help(app: App[object]) -> set[str]:
    """The widgets drawn over the help dialog: none, when all of it can be read."""
    from snaptui.tui.screens.help import HelpScreen

    screen = app.screen
    assert isinstance(screen, HelpScreen)
    dialog = screen.query_one("#help-dialog")
    over = set()
    for y in range(dialog.region.y, dialog.region.bottom):
        for x in range(dialog.region.x, dialog.region.right):
            widget = screen.get_widget_at(x, y)[0]
            if widget is not dialog and dialog not in widget.ancestors:
                over.add(type(widget).__name__)
    return over


def test_toasts_never_cover_the_help_dialog(sim: Simulator, clock: FakeClock) -> None:
    app = make_app(sim, clock, (*DEMO, "task-ended"))

    async def go() -> None:
        async with app.run_test(size=(80, 24), notifications=True) as pilot:
            await settle(pilot)
            await pilot.press("c")  # "Copied the value to the clipboard."
            await pilot.press("f1")
            await pilot.pause(0.3)
            assert covering_help(app) == set()
            # A notice that comes while help is open does not cover it either.
            app.notify("The task ended while you were reading help.", timeout=30)
            await pilot.pause(0.3)
            assert covering_help(app) == set()
            # It is not lost: closed, the help gives way to what was said meanwhile.
            await pilot.press("escape")
            await pilot.pause(0.3)
            toasts = [str(t.render()) for t in app.screen.query("Toast") if t.visible]
            assert any("while you were reading" in t for t in toasts)

    run(go())


# -- 3. a mark on the tab of a task that failed to load --------------------------------


def tab_label(app: App[object], view: TaskView) -> str:
    from textual.widgets import TabbedContent

    from snaptui.tui.screens.main import tab_id

    tabs = app.screen.query_one(TabbedContent)
    return str(tabs.get_tab(tab_id(view.ids)).label)


def add_task(sim: Simulator, task_id: str) -> None:
    import copy

    from snaptui.simulator.tasks import TaskSpec, demo_tasks

    spec = next(t for t in demo_tasks() if t.task_id == "task-pending")
    sim.gateway.tasks[(*DEMO, task_id)] = TaskSpec(*DEMO, task_id, copy.deepcopy(spec.snapshot), [])


FORBIDDEN = (
    '{"ResponseMetadata": {"RequestId": "r-403", "Action": "GetSnapshotTask", '
    '"Version": "2023-11-01", "Error": {"Code": "AccessDenied", "Message": "denied"}}}'
)


@pytest.mark.parametrize(
    "trouble", ["unknown task", "network error", "403", "error over a good answer"]
)
def test_a_tab_whose_task_failed_to_load_carries_a_mark_until_it_loads(
    sim: Simulator, clock: FakeClock, trouble: str
) -> None:
    from snaptui.simulator import Fault

    task = "task-nope" if trouble == "unknown task" else "task-pending"
    faults = {
        "network error": Fault("reset"),
        "403": Fault("body", status=403, body=FORBIDDEN),
        "error over a good answer": Fault("http5xx", status=502),
    }
    # Another task (over, so never fetched again) opens first: the tab bar is there.
    app = make_app(sim, clock, (*DEMO, "task-ended"))

    async def go() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            if trouble in ("network error", "403"):
                sim.gateway.faults.append(faults[trouble])
            await app.screen.open_task((*DEMO, task))  # type: ignore[attr-defined]
            await settle(pilot)
            view = app.screen.active_view()  # type: ignore[attr-defined]
            assert isinstance(view, TaskView) and view.ids[2] == task
            if trouble == "error over a good answer":
                assert tab_label(app, view) == "task-pending · Not started"
                sim.gateway.faults.append(faults[trouble])
                await pilot.press("r")
                await settle(pilot)
                assert tab_label(app, view) == "task-pending · Not started ✗"
            else:
                assert tab_label(app, view) == f"{task} · ✗ Error"
            # The trouble passes; the next refresh clears the mark.
            sim.gateway.faults.clear()
            add_task(sim, "task-nope")
            await pilot.press("r")
            await settle(pilot)
            assert tab_label(app, view) == f"{task} · Not started"
            other = next(v for v in app.screen.query(TaskView) if v is not view)
            assert tab_label(app, other) == "task-ended · Ended"

    run(go())


# -- 4. the status line during back-off --------------------------------------------------


def test_the_loop_says_when_it_backs_off_and_when_it_is_back() -> None:
    from snaptui.tui.refresh_loop import RefreshLoop

    clock = FakeClock(0)
    loop = RefreshLoop(clock=clock, interval=2.0)
    loop.start()
    loop.done(ok=True)
    assert "".join(loop.status_parts()) == "every 2 s · next in 2 s"
    for failures, delay in ((1, 4), (2, 8), (3, 16)):
        loop.start()
        clock.advance(1.2)  # a slow answer: in flight, it says so
        before = "every 2 s · " if failures == 1 else f"failed {failures - 1}× · "
        assert "".join(loop.status_parts()) == f"{before}fetching 1 s"
        loop.done(ok=False)
        assert loop.status_parts() == (f"failed {failures}× · retrying in ", f"{delay} s")
        if failures < 3:
            clock.advance(delay)
    clock.advance(10)  # the number counts down, the words stay
    assert loop.status_parts() == ("failed 3× · retrying in ", "6 s")
    clock.advance(6)
    loop.start()
    loop.done(ok=True)  # an answer: back to the interval
    assert "".join(loop.status_parts()) == "every 2 s · next in 2 s"


def test_a_throttled_task_says_retrying_then_every_2_s_again(
    sim: Simulator, clock: FakeClock
) -> None:
    from snaptui.simulator import Fault
    from snaptui.tui.widgets.status_line import Part

    app = make_app(sim, clock, (*DEMO, "task-pending"))

    def refresh_state(view: TaskView) -> str:
        return "".join(
            str(view.query_one(f"#{p}", Part).render()) for p in ("refresh-mode", "refresh-next")
        )

    async def go() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            view = app.screen.query_one(TaskView)
            assert refresh_state(view).startswith("every 2 s · ")
            # 429 on every try (the client's own retries included), for two refreshes.
            sim.gateway.faults.append(Fault("throttle", seconds=0))
            for failures in (1, 2):
                await pilot.press("r")
                await settle(pilot)
                state = refresh_state(view)
                assert state.startswith(f"failed {failures}× · retrying in "), state
            sim.gateway.faults.clear()
            await pilot.press("r")
            await settle(pilot)
            assert refresh_state(view).startswith("every 2 s · "), refresh_state(view)

    run(go())


# -- 5. help lists every key of a binding -----------------------------------------------


def test_help_lists_every_key_of_a_binding(sim: Simulator, clock: FakeClock) -> None:
    from snaptui.tui.screens.help import HelpScreen

    app = make_app(sim, clock, (*DEMO, "task-ended"))

    async def go() -> None:
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            await pilot.press("f1")
            await pilot.pause(0.2)
            screen = app.screen
            assert isinstance(screen, HelpScreen)
            rows = {text: keys for _title, section in screen._sections for keys, text in section}
            assert rows["Fold this branch (or go up)"] == "h ←"
            assert rows["Open this branch"] == "l →"
            assert rows["The first line"] == "g home"
            assert rows["The last line"] == "G end"
            assert rows["Show the next tab"] == "^→ ^pgdn"
            assert rows["Refresh less often (+1 s); - refreshes more often"] == "+ ="
            assert rows["Refresh more often (1 s less, at least 1 s)"] == "-"
            assert rows["Quit (outside a field)"] == "q"
            # Each binding once.
            listed = [text for _title, section in screen._sections for _keys, text in section]
            assert len(listed) == len(set(listed))

    run(go())


def readme_spelling(key: str) -> str:
    """A Textual key name as the README's key table writes it: `h`, ←, Ctrl+PgUp, F1."""
    named = {
        "left": "←",
        "right": "→",
        "up": "↑",
        "down": "↓",
        "home": "Home",
        "end": "End",
        "pageup": "PgUp",
        "pagedown": "PgDn",
        "space": "Space",
        "escape": "Esc",
        "plus": "`+`",
        "equals_sign": "`=`",
        "minus": "`-`",
        "slash": "`/`",
    }
    if key.startswith("ctrl+"):
        rest = key.removeprefix("ctrl+")
        return "Ctrl+" + named.get(rest, rest.upper()).strip("`")
    if key in named:
        return named[key]
    return f"`{key}`" if len(key) == 1 else key.upper()


def test_the_readme_key_table_lists_every_key_of_the_app() -> None:
    from pathlib import Path

    from textual.binding import Binding

    from snaptui.tui.app import SnaptuiApp
    from snaptui.tui.screens.main import MainScreen
    from snaptui.tui.widgets.task_tree import TaskTree

    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("### The app", 1)[1]
    table = "\n".join(line for line in section.splitlines()[:40] if line.startswith("|"))
    missing = [
        f"{binding.id}: {readme_spelling(key)}"
        for owner in (TaskView, TaskTree, MainScreen, SnaptuiApp)
        for binding in owner.BINDINGS
        if isinstance(binding, Binding) and binding.id is not None
        for key in binding.key.split(",")
        if not re.search(rf"(?<![A-Za-z]){re.escape(readme_spelling(key))}(?![A-Za-z])", table)
    ]
    assert not missing, "keys the README's table does not name: " + ", ".join(missing)


# -- 6. Textual's own palette entries name their key -------------------------------------


def test_textual_palette_entries_show_their_key(sim: Simulator, clock: FakeClock) -> None:
    app = make_app(sim, clock, (*DEMO, "task-ended"))

    async def go() -> None:
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            titles = [command.title for command in app.get_system_commands(app.screen)]
            assert "Quit  (^q)" in titles, titles
            # Entries without a key stay plain.
            assert "Theme" in titles and "Screenshot" in titles
            # A key bound to one of them later shows too.
            app.bind("f9", "change_theme")
            titles = [command.title for command in app.get_system_commands(app.screen)]
            assert "Theme  (f9)" in titles, titles
            assert len(titles) == len(set(titles))

    run(go())


# -- the first key on a task opened from the command line ---------------------------------


def test_opened_on_a_task_the_tree_has_focus_from_the_first_frame(
    sim: Simulator, clock: FakeClock
) -> None:
    from snaptui.tui.widgets.task_tree import TaskTree

    app = make_app(sim, clock, (*DEMO, "task-live"))

    async def go() -> None:
        async with app.run_test(size=(80, 24)):
            # Not a turn later: a key typed as the first answer shows must reach the view.
            assert isinstance(app.focused, TaskTree)

    run(go())


def test_opened_without_a_task_app_id_has_focus(sim: Simulator, clock: FakeClock) -> None:
    app = make_app(sim, clock)

    async def go() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause(0.1)
            assert app.focused is not None and app.focused.id == "app-id"

    run(go())


def test_with_nothing_loaded_the_header_shows_the_errors_request_id(
    sim: Simulator, clock: FakeClock
) -> None:
    app = make_app(sim, clock, (*DEMO, "task-nope"))

    async def go() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            view = app.screen.query_one(TaskView)
            request_id = getattr(view.error, "request_id", None)
            assert request_id
            header = str(view.query_one("#request-id").render())
            assert request_id in header

    run(go())
