"""Finding and folding in the task view: `/`, n/N, g/G, h/l, L/H, at 10,000 and 100,000
streams; a folded branch is never built, a search looks in the model."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterator

import pytest
from textual.pilot import Pilot

from snaptui.present import describe
from snaptui.simulator import Simulator
from snaptui.simulator.tasks import TaskSpec, demo_tasks
from snaptui.tui.widgets.json_view import JsonView
from snaptui.tui.widgets.task_tree import TaskTree
from snaptui.tui.widgets.task_view import TaskView
from snaptui.volc.models import parse
from tests.helpers import FakeClock, run
from tests.tui_fixtures import make_app, make_simulator, settle

LIST = "SnapshotTask.TargetStreams.StreamList"
ITEM = re.compile(re.escape(LIST) + r"\[\d+\]$")


@pytest.fixture
def sim(clock: FakeClock) -> Iterator[Simulator]:
    simulator = make_simulator(clock)
    yield simulator
    simulator.stop()


def tree_of(app: object) -> TaskTree:
    return app.screen.query_one(TaskView).query_one(TaskTree)  # type: ignore[attr-defined,no-any-return]


def built_streams(tree: TaskTree) -> int:
    return sum(1 for key in tree._by_key if ITEM.match(key))


async def until(pilot: Pilot[object], check: Callable[[], bool], seconds: float = 5) -> None:
    for _ in range(int(seconds / 0.05)):
        if check():
            return
        await pilot.pause(0.05)
    raise AssertionError("the condition never held")


async def search(pilot: Pilot[object], text: str) -> None:
    await pilot.press("slash", *text, "enter")
    await pilot.pause(0.1)


def test_search_jumps_into_a_folded_list_and_builds_only_its_group(
    sim: Simulator, clock: FakeClock
) -> None:
    app = make_app(sim, clock, ("demo", "room-1", "task-many"))

    async def go() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            tree = tree_of(app)
            assert built_streams(tree) == 0  # folded means not built
            await search(pilot, "viewer-0424")
            assert tree.cursor_node is not None
            assert tree.cursor_node.data == f"{LIST}[4240]"
            assert built_streams(tree) == 1000  # the group 4000..4999, nothing else
            await pilot.press("n")
            assert tree.cursor_node.data == f"{LIST}[4241]"
            await pilot.press("N", "N")
            assert tree.cursor_node.data == f"{LIST}[4249]"  # wraps around
            # The search bar is gone and the keys are the tree's again.
            assert not app.screen.query_one("#search").display and tree.has_focus

    run(go())


def test_search_finds_values_outside_the_list_and_says_when_nothing_matches(
    sim: Simulator, clock: FakeClock
) -> None:
    app = make_app(sim, clock, ("demo", "room-1", "task-many"))
    notes: list[str] = []

    async def go() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            view = app.screen.query_one(TaskView)
            view.notify = lambda message, **kw: notes.append(message)  # type: ignore[method-assign]
            tree = tree_of(app)
            await search(pilot, "cn-shanghai")
            assert tree.cursor_node is not None
            assert tree.cursor_node.data == "SnapshotTask.StorageConfig.TosConfig.Region"
            await search(pilot, "nobody-here")
            assert notes[-1] == "No match for 'nobody-here'."

    run(go())


def test_fold_keys(sim: Simulator, clock: FakeClock) -> None:
    app = make_app(sim, clock, ("demo", "room-1", "task-tos"))

    async def go() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            tree = tree_of(app)
            await pilot.press("G")
            last = tree.cursor_line
            assert last > 10
            await pilot.press("g")
            assert tree.cursor_line == 0
            tree.move_cursor(tree._by_key["SnapshotTask.ImageConfig"])
            await pilot.press("h")  # fold
            assert not tree._by_key["SnapshotTask.ImageConfig"].is_expanded
            await pilot.press("l")  # unfold
            assert tree._by_key["SnapshotTask.ImageConfig"].is_expanded
            await pilot.press("l")  # on an open branch: into its first child
            assert tree.cursor_node is tree._by_key["SnapshotTask.ImageConfig.Format"]
            await pilot.press("h")  # on a leaf: up to the parent
            assert tree.cursor_node is tree._by_key["SnapshotTask.ImageConfig"]
            await pilot.press("H")
            assert not any(
                node.is_expanded for key, node in tree._by_key.items() if key != "SnapshotTask"
            )
            await pilot.press("L")
            stream = tree._by_key[f"{LIST}[1]"]
            assert stream.is_expanded and tree._by_key["SnapshotTask.StorageConfig"].is_expanded

    run(go())


def test_search_in_the_json_view(sim: Simulator, clock: FakeClock) -> None:
    app = make_app(sim, clock, ("demo", "room-1", "task-many"))

    async def go() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("j")
            json_view = app.screen.query_one(JsonView)
            await until(pilot, lambda: bool(json_view.lines))
            await search(pilot, "viewer-04242")
            assert '"viewer-04242"' in json_view.lines[json_view.cursor]
            top = json_view.scroll_offset.y
            assert top <= json_view.cursor < top + json_view.size.height
            await pilot.press("n")  # one match: it stays
            assert '"viewer-04242"' in json_view.lines[json_view.cursor]

    run(go())


def test_search_among_100000_streams_builds_one_group(sim: Simulator, clock: FakeClock) -> None:
    spec = next(t for t in demo_tasks() if t.task_id == "task-pending")
    snapshot = copy.deepcopy(spec.snapshot)
    snapshot["TargetStreams"]["StreamList"] = [
        {"Index": i, "UserId": f"u-{i:06d}", "StreamType": 0} for i in range(100_000)
    ]
    sim.gateway.tasks[("demo", "room-1", "huge")] = TaskSpec("demo", "room-1", "huge", snapshot)
    app = make_app(sim, clock, ("demo", "room-1", "huge"))

    async def go() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            tree = tree_of(app)
            assert len(tree._by_key) < 50
            await search(pilot, "u-099999")
            assert tree.cursor_node is not None
            assert tree.cursor_node.data == f"{LIST}[99999]"
            assert built_streams(tree) == 1000
            # The list opens onto 100 groups, not 100,000 rows.
            assert len(tree._by_key[LIST].children) == 100

    run(go())


def test_lazy_describe_says_the_same_as_the_eager_one() -> None:
    streams = [{"Index": i, "UserId": f"u{i}", "StreamType": i % 2} for i in range(2500)]
    body = {"Result": {"SnapshotTask": {"Status": 2, "TargetStreams": {"StreamList": streams}}}}
    task = parse(body).task
    assert task is not None
    lazy = describe(task, 0.0, lazy=True)
    listing = next(n for n in lazy.walk_built() if n.key == LIST)
    assert listing.children == () and listing.load is not None
    groups = listing.kids()
    assert [g.label for g in groups] == ["[0..999]", "[1000..1999]", "[2000..2499]"]
    eager = {n.key: n.text() for n in describe(task, 0.0).walk()}
    lazily = {n.key: n.text() for n in lazy.walk() if ":" not in n.key.rsplit("[", 1)[-1]}
    assert lazily == eager
