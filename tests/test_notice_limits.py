"""A notification and a copy stay bounded whatever server text they carry."""

from __future__ import annotations

from snaptui.simulator import Simulator
from snaptui.simulator.tasks import TaskSpec
from snaptui.tui.app import NOTICE_MOST
from snaptui.tui.widgets.task_view import CLIPBOARD_LIMIT
from tests.helpers import FakeClock, run
from tests.tui_fixtures import make_app, settle


def huge_task(sim: Simulator, name: str, **fields: object) -> tuple[str, str, str]:
    spec = sim.gateway.tasks[("demo", "room-1", "task-failed")]
    sim.gateway.tasks[("demo", "room-1", name)] = TaskSpec(
        "demo", "room-1", name, dict(spec.snapshot, **fields), spec.timeline, spec.started_before
    )
    return ("demo", "room-1", name)


def test_a_task_that_fails_with_a_huge_stop_reason_says_so_in_a_few_lines(
    sim: Simulator, clock: FakeClock
) -> None:
    app = make_app(sim, clock, huge_task(sim, "task-huge-reason", StopReason="B" * 2_000_000))

    async def go() -> list[str]:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            return [n.message for n in app._notifications]

    messages = run(go())
    assert any("BBBB" in m for m in messages)  # the end was said
    assert all(len(m) <= NOTICE_MOST for m in messages)


def test_i_does_not_copy_a_request_id_too_big_for_the_clipboard(
    sim: Simulator, clock: FakeClock
) -> None:
    # As a hostile server would send it: every answer's RequestId over the cap.
    sim.gateway._request_id = lambda: "R" * (CLIPBOARD_LIMIT + 1)  # type: ignore[method-assign]
    app = make_app(sim, clock, ("demo", "room-1", "task-ended"))
    copied: list[str] = []

    async def go() -> list[str]:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            app.copy_to_clipboard = copied.append  # type: ignore[method-assign]
            await pilot.press("i")
            await pilot.pause()
            return [n.message for n in app._notifications]

    messages = run(go())
    assert copied == []
    assert "was not copied" in messages[-1]
