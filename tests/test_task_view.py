"""The task view driven by keys against the simulator over real HTTP, on a test clock:
what a person notices in the JSON view, the header, copying, the end of a task."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterator

import pytest
from rich.style import Style
from textual.pilot import Pilot

from snaptui.simulator import Fault, Simulator
from snaptui.simulator.tasks import Step, TaskSpec, demo_tasks
from snaptui.tui.widgets import task_view
from snaptui.tui.widgets.json_view import KEY, NUMBER, STRING, JsonView, colour, value_of
from snaptui.tui.widgets.status_line import Part
from snaptui.tui.widgets.task_tree import TaskTree
from snaptui.tui.widgets.task_view import TaskView
from tests.helpers import FakeClock, run
from tests.tui_fixtures import make_app, make_simulator, settle


@pytest.fixture
def sim(clock: FakeClock) -> Iterator[Simulator]:
    simulator = make_simulator(clock)
    yield simulator
    simulator.stop()


def view_of(app: object) -> TaskView:
    return app.screen.query_one(TaskView)  # type: ignore[attr-defined,no-any-return]


def shown(view: TaskView, part: str) -> str:
    return str(view.query_one(f"#{part}", Part).render())


async def until(pilot: Pilot[object], check: Callable[[], bool], seconds: float = 5) -> None:
    for _ in range(int(seconds / 0.05)):
        if check():
            return
        await pilot.pause(0.05)
    raise AssertionError("the condition never held")


def add_task(sim: Simulator, task_id: str, timeline: list[Step]) -> None:
    spec = next(t for t in demo_tasks() if t.task_id == "task-pending")
    sim.gateway.tasks[("demo", "room-1", task_id)] = TaskSpec(
        "demo", "room-1", task_id, copy.deepcopy(spec.snapshot), timeline
    )


# -- 10.1 the JSON view ---------------------------------------------------------------


def test_json_view_keeps_cursor_and_scroll_when_the_answer_changes(
    sim: Simulator, clock: FakeClock
) -> None:
    app = make_app(sim, clock, ("demo", "room-1", "task-live"))

    async def go() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            view = view_of(app)
            await pilot.press("j")
            json_view = view.query_one(JsonView)
            await until(pilot, lambda: '"Status": 1' in json_view.text)
            await pilot.press("pagedown", "down", "down")
            cursor, scrolled = json_view.cursor, json_view.scroll_offset.y
            assert scrolled > 0 and cursor > scrolled
            clock.advance(2.5)  # Not started -> Running: a new text
            await pilot.press("r")
            await settle(pilot)
            await until(pilot, lambda: '"Status": 2' in json_view.text)
            assert (json_view.cursor, json_view.scroll_offset.y) == (cursor, scrolled)

    run(go())


def test_json_is_coloured_by_kind() -> None:
    styles = {seg.text: seg.style for seg in colour('    "Status": 2,')}
    assert styles['"Status"'] == KEY and styles["2"] == NUMBER
    styles = {seg.text: seg.style for seg in colour('  "UserId": "a: 1",')}
    assert styles['"a: 1"'] == STRING  # a colon inside a string is not a key
    assert len({KEY, STRING, NUMBER}) == 3 and all(isinstance(s, Style) for s in (KEY, STRING))


def test_json_view_of_10000_streams_renders_only_what_is_on_screen(
    sim: Simulator, clock: FakeClock
) -> None:
    app = make_app(sim, clock, ("demo", "room-1", "task-many"))

    async def go() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("j")
            json_view = view_of(app).query_one(JsonView)
            await until(pilot, lambda: len(json_view.lines) > 50_000)
            await pilot.press("pagedown", "pagedown", "G")
            await pilot.pause(0.1)
            assert json_view.cursor == len(json_view.lines) - 1
            # Coloured lazily: a few screens' worth, never the whole megabyte.
            assert len(json_view._cache) < 100

    run(go())


# -- 10.4 the RequestId of the error on screen ----------------------------------------


def test_i_copies_the_request_id_of_the_error_on_screen(sim: Simulator, clock: FakeClock) -> None:
    app = make_app(sim, clock, ("demo", "room-1", "no-such-task"))
    copied: list[str] = []

    async def go() -> None:
        async with app.run_test(size=(100, 30)) as pilot:
            app.copy_to_clipboard = copied.append  # type: ignore[method-assign]
            await settle(pilot)
            view = view_of(app)
            request_id = getattr(view.error, "request_id", None)
            assert request_id and request_id in str(view.query_one("#error-panel").render())
            await pilot.press("i")
            assert copied == [request_id]

    run(go())


# -- 10.5 slow answers ------------------------------------------------------------------


def test_slow_answers_show_loading_in_flight_and_the_age_of_the_data(
    sim: Simulator, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    sim.gateway.faults.append(Fault("latency", seconds=1.0, times=1))
    app = make_app(sim, clock, ("demo", "room-1", "task-tos"))
    monkeypatch.setattr(task_view, "monotonic", clock)  # the countdown on the test's clock

    async def go() -> None:
        async with app.run_test(size=(100, 30)) as pilot:
            await until(pilot, lambda: bool(app.screen.query(TaskView)))
            view = view_of(app)
            await until(pilot, lambda: view.loop.in_flight)
            await pilot.pause(0.1)  # the first load: marked at once
            assert shown(view, "badge").strip() == "Loading"
            assert shown(view, "times").startswith("loading…")
            # No "next in 1 s" meanwhile.
            refresh = shown(view, "refresh-mode") + shown(view, "refresh-next")
            assert refresh == "every 2 s · fetching…"
            await settle(pilot)
            assert shown(view, "request-id").endswith(" · updated 10:00:00")
            sim.gateway.faults.append(Fault("http5xx", status=502))
            clock.advance(5)
            await pilot.press("r")
            await settle(pilot)
            # Under the stale-data panel: when the data shown came, and how old it is.
            assert view.query_one("#error-panel").display
            assert shown(view, "request-id").endswith(" · updated 10:00:00 · 5 s ago")

    run(go())


# -- 10.6 copying -----------------------------------------------------------------------


def test_c_copies_the_raw_value_in_the_tree_and_in_the_json(
    sim: Simulator, clock: FakeClock
) -> None:
    app = make_app(sim, clock, ("demo", "room-1", "task-ended"))
    copied: list[str] = []

    async def go() -> None:
        async with app.run_test(size=(100, 30)) as pilot:
            app.copy_to_clipboard = copied.append  # type: ignore[method-assign]
            await settle(pilot)
            view = view_of(app)
            tree = view.query_one(TaskTree)
            for key in ("SnapshotTask.Status", "SnapshotTask.StartTime"):
                tree.move_cursor(tree._by_key[key])
                await pilot.press("c")
            start = view.snapshot.StartTime  # type: ignore[union-attr]
            assert copied == ["3", str(start)]
            await pilot.press("j")
            json_view = view.query_one(JsonView)
            await until(pilot, lambda: bool(json_view.lines))
            json_view.go(next(i for i, t in enumerate(json_view.lines) if '"StopReason"' in t))
            await pilot.press("c")
            assert copied[-1] == "IdleTimeOut"

    run(go())


def test_value_of_a_json_line() -> None:
    assert value_of('      "StartTime": 1764105358000,') == "1764105358000"
    assert value_of('  "StopReason": "IdleTimeOut"') == "IdleTimeOut"
    assert value_of('  "AutoSetFileExtension": true,') == "true"
    assert value_of('    "TargetStreams": {') is None
    assert value_of("    },") is None


def test_copying_a_huge_json_says_why_not_and_offers_export(
    sim: Simulator, clock: FakeClock
) -> None:
    app = make_app(sim, clock, ("demo", "room-1", "task-many"))
    copied: list[str] = []
    notes: list[str] = []

    async def go() -> None:
        async with app.run_test(size=(100, 30)) as pilot:
            app.copy_to_clipboard = copied.append  # type: ignore[method-assign]
            await settle(pilot)
            view = view_of(app)
            view.notify = lambda message, **kw: notes.append(message)  # type: ignore[method-assign]
            await pilot.press("C")
            assert copied == []
            assert "MB" in notes[-1] and "OSC 52" in notes[-1] and "e to export" in notes[-1]

    run(go())


# -- 10.9 after the end -------------------------------------------------------------------


def test_marks_clear_and_relative_times_move_after_the_end(
    sim: Simulator, clock: FakeClock
) -> None:
    app = make_app(sim, clock, ("demo", "room-1", "task-live"))

    async def go() -> None:
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            view = view_of(app)
            tree = view.query_one(TaskTree)
            cleared: list[set[str]] = []
            clear = tree.clear_marks

            def spy(keep: set[str] | None = None) -> None:
                if view.finished and tree._marked - (keep or set()):
                    cleared.append(set(tree._marked))
                clear(keep)

            tree.clear_marks = spy  # type: ignore[method-assign]
            clock.advance(21)
            await pilot.press("r")
            await settle(pilot)
            assert view.finished
            # The next tick clears the marks of the last answer; no answer comes after it.
            await until(pilot, lambda: bool(cleared) and not tree._marked, seconds=3)
            assert "SnapshotTask.Status" in cleared[0]
            assert tree.model["SnapshotTask.EndTime"].value.endswith("(just now)")
            clock.advance(70)
            await until(
                pilot, lambda: "1 min ago" in tree.model["SnapshotTask.EndTime"].value, seconds=3
            )

    run(go())


# -- 10.11 the first look ----------------------------------------------------------------


def test_tree_cursor_is_on_the_first_row_when_a_task_opens(
    sim: Simulator, clock: FakeClock
) -> None:
    app = make_app(sim, clock, ("demo", "room-1", "task-imagex"))

    async def go() -> None:
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            tree = view_of(app).query_one(TaskTree)
            assert tree.cursor_line == 0 and tree.cursor_node is not None
            assert tree.has_focus
            region = tree.model["SnapshotTask.StorageConfig.VeImageXConfig.Region"].value
            assert region == "default region (0)"

    run(go())


# -- timeline, status word, end notice ----------------------------------------------------


def test_timeline_lists_the_changes_seen(sim: Simulator, clock: FakeClock) -> None:
    app = make_app(sim, clock, ("demo", "room-1", "task-live"))
    words: list[str] = []

    async def go() -> None:
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            view = view_of(app)
            for seconds in (2.5, 18):
                clock.advance(seconds)
                await pilot.press("r")
                await settle(pilot)
            await pilot.press("t")
            await pilot.pause(0.1)
            panel = view.query_one("#timeline")
            assert panel.display
            assert str(panel.render()).splitlines() == [
                "10:00:00  Not started",
                "10:00:02  Running  (+2 s)",
                "10:00:20  Ended · StopByAPI  (+18 s)",
            ]
            words.append(view.status_word)

    run(go())
    assert words == ["Ended"]


@pytest.mark.parametrize(
    ("setting", "final", "rings"),
    [("failure", 4, True), ("failure", 3, False), ("end", 3, True), ("off", 4, False)],
)
def test_end_notice_follows_the_setting(
    sim: Simulator,
    clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
    setting: str,
    final: int,
    rings: bool,
) -> None:
    monkeypatch.setenv("SNAPTUI_NOTIFY", setting)
    add_task(sim, "ends-later", [Step(3, {"Status": final, "StopReason": "StartTaskFailed"})])
    app = make_app(sim, clock, ("demo", "room-1", "ends-later"))
    rung: list[str] = []

    async def go() -> None:
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            view = view_of(app)
            view._ring = rung.append  # type: ignore[method-assign]
            clock.advance(4)
            await pilot.press("r")
            await settle(pilot)
            assert view.finished

    run(go())
    assert bool(rung) == rings
    if rings:
        assert rung[0].startswith("Task ")


def test_a_task_already_over_when_opened_rings_nothing(
    sim: Simulator, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SNAPTUI_NOTIFY", "end")
    app = make_app(sim, clock, ("demo", "room-1", "task-failed"))
    rung: list[str] = []

    async def go() -> None:
        async with app.run_test(size=(100, 30)) as pilot:
            await until(pilot, lambda: bool(app.screen.query(TaskView)))
            view = view_of(app)
            view._ring = rung.append  # type: ignore[method-assign]
            await settle(pilot)
            assert view.finished and view.status_word == "Failed"

    run(go())
    assert rung == []


def test_the_json_export_is_the_answer(sim: Simulator, clock: FakeClock) -> None:
    app = make_app(sim, clock, ("demo", "room-1", "task-tos"))

    async def go() -> None:
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            await pilot.press("j")
            json_view = view_of(app).query_one(JsonView)
            await until(pilot, lambda: bool(json_view.lines))
            body = json.loads(json_view.text)
            assert body["Result"]["SnapshotTask"]["StorageConfig"]["Type"] == 0

    run(go())


def test_the_collector_is_tuned_only_for_big_answers() -> None:
    import gc

    from snaptui.tui.big_answers import BIG, THRESHOLDS, expect_big_answers

    before = gc.get_threshold()
    try:
        gc.set_threshold(700, 10, 10)
        assert not expect_big_answers(BIG - 1) and gc.get_threshold() == (700, 10, 10)
        assert expect_big_answers(BIG) and gc.get_threshold() == THRESHOLDS
        assert not expect_big_answers(BIG * 10)  # once is enough
    finally:
        gc.set_threshold(*before)
