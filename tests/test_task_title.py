"""The header names the task on show with its App and Room: two tabs can both say
`task-ended` (or the same UserId), from two rooms."""

from __future__ import annotations

from textual.widgets import Header

from snaptui.simulator import Simulator
from snaptui.tui.screens.main import task_title
from tests.helpers import FakeClock, run
from tests.tui_fixtures import make_app, settle


def header_text(app: object) -> str:
    header = app.screen.query_one(Header)  # type: ignore[attr-defined]
    return " ".join(str(child.render()) for child in header.children)


def test_the_header_names_the_task_on_show(sim: Simulator, clock: FakeClock) -> None:
    one, two = ("demo", "room-1", "task-ended"), ("demo", "room-2", "task-ended")
    app = make_app(sim, clock, tasks=[one, two])

    async def go() -> list[str]:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            seen = [header_text(app)]
            await pilot.press("ctrl+right")
            await pilot.pause(0.2)
            seen.append(header_text(app))
            await pilot.press("ctrl+n")
            await pilot.pause(0.2)
            seen.append(header_text(app))
            return seen

    first, second, form = run(go())  # several tasks open on the first
    assert "demo / room-2 / task-ended" in second
    assert "demo / room-1 / task-ended" in first
    assert "snaptui" in form and "task-ended" not in form


def test_long_ids_are_cut_in_the_middle_to_fit() -> None:
    title = task_title(("a" * 128, "r" * 100 + "-end", "t" * 128))
    assert len(title) <= 60 and title.count(" / ") == 2
    assert "-end" in title  # the ends of each id stay, where ids differ most
