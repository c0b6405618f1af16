"""Rough edges a new user met in the first minutes: the recent list at 80x24, toasts over
help, failed tabs, the back-off in the status line, help's keys, the palette's keys."""

from __future__ import annotations

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
