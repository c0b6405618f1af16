"""Fixed scenes of the app, shared by the snapshot tests and tests/make_screenshots.py.

Everything on screen is fixed: the clock (FakeClock), the data (the demo simulator
with seeded RequestIds), the time zone (UTC), the endpoint shown, the countdown.
"""

from __future__ import annotations

import os
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

import httpx
from textual.pilot import Pilot
from textual.widgets._tabs import Underline

from snaptui.connection import Connection
from snaptui.simulator import Fault, Gateway, Simulator
from snaptui.tui import app as app_module
from snaptui.tui.widgets import task_view
from snaptui.tui.widgets.task_view import TaskView
from snaptui.volc.endpoints import Endpoint
from tests.helpers import DEMO_CREDS, FakeClock

SHOWN_URL = "http://127.0.0.1:8000"
SIZES = {"80x24": (80, 24), "120x40": (120, 40)}


class ToSimulator(httpx.AsyncHTTPTransport):
    """Real HTTP to the simulator's actual port, whatever port the screen shows."""

    def __init__(self, port: int) -> None:
        super().__init__()
        self._port = port

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        request.url = request.url.copy_with(port=self._port)
        return await super().handle_async_request(request)


def pin_environment() -> None:
    os.environ["TZ"] = "UTC"
    time.tzset()
    task_view.monotonic = lambda: 0.0  # "next in 2 s", never a tick in between


def make_app(
    sim: Simulator,
    clock: FakeClock,
    ids: tuple[str, str, str] | None = None,
    keys: bool = True,
    language: str = "en",
    *,
    tasks: Sequence[tuple[str, str, str]] = (),
    shown: str | None = None,
) -> app_module.SnaptuiApp:
    """`keys=False`: no keys anywhere, and a keyring backend that keeps nothing.
    `language`: the app's language (set back to English by the caller afterwards).
    `tasks`, `shown`: several tasks to open, and the tab to show (see SnaptuiApp)."""
    from snaptui.tui.language import apply_language

    pin_environment()
    apply_language(language)
    if not keys:
        import keyring
        from keyring.backends import fail

        keyring.set_keyring(fail.Keyring())
    port = int(sim.url.rsplit(":", 1)[1])
    connection = Connection(
        Endpoint(SHOWN_URL, "cn-north-1", "simulator"),
        DEMO_CREDS if keys else None,
        "demo simulator" if keys else "none",
        "demo",
        clock=clock,
        transport=ToSimulator(port),
    )
    return app_module.SnaptuiApp(connection, ids, tasks=tasks, shown=shown)


def make_simulator(clock: FakeClock) -> Simulator:
    return Simulator(Gateway(clock=clock, seed=7)).start()


async def settle(pilot: Pilot[object]) -> None:
    """Wait until every open task has an answer or an error and all work is done."""
    for _ in range(200):
        await pilot.pause(0.02)
        views = list(pilot.app.screen.query(TaskView))
        if all(v.last is not None or v.error is not None for v in views) and not any(
            v._in_flight for v in views
        ):
            break
    await pilot.app.workers.wait_for_complete()

    # Textual places the tab underline a refresh after a tab opens, sometimes before the
    # tab has a size; a real terminal repaints it a moment later. Wait for that moment.
    def placed(bar: Underline) -> bool:
        # Under the whole active tab: a relabelled tab ("task-tos · Running") is wider.
        active = bar.parent.query("Tab.-active") if bar.parent is not None else None
        if not active:
            return bar.highlight_end > bar.highlight_start
        tab = active.first()
        start, end = tab.virtual_region.shrink(tab.styles.gutter).column_span
        return bar.highlight_end - bar.highlight_start == end - start

    for _ in range(50):
        if all(placed(bar) for bar in pilot.app.screen.query(Underline)):
            break
        await pilot.pause(0.02)
    await pilot.pause(0.05)


async def type_ids(pilot: Pilot[object], app_id: str, room_id: str, task_id: str) -> None:
    await settle(pilot)  # as a person would: after the form is on screen and focused
    for text in (app_id, room_id):
        await pilot.press(*text) if text else None
        await pilot.press("tab")
    if task_id:
        await pilot.press(*task_id)
    await pilot.press("enter")


Action = Callable[[Pilot[object], Simulator], Awaitable[None]]


@dataclass(frozen=True)
class Scene:
    ids: tuple[str, str, str] | None
    action: Action | None = None
    main: bool = False  # also kept as an SVG in screenshots/
    keys: bool = True  # False: no keys in the environment and no usable keyring
    language: str = "en"


async def _nothing(pilot: Pilot[object], sim: Simulator) -> None:
    await settle(pilot)


async def _invalid(pilot: Pilot[object], sim: Simulator) -> None:
    await type_ids(pilot, "my app", "room#1", "")
    await settle(pilot)


async def _typed_ended(pilot: Pilot[object], sim: Simulator) -> None:
    await type_ids(pilot, "demo", "room-1", "task-ended")
    await settle(pilot)


async def _error_over_stale(pilot: Pilot[object], sim: Simulator) -> None:
    await settle(pilot)
    sim.gateway.faults.append(Fault("http5xx", status=502))
    await pilot.press("r")
    await settle(pilot)


async def _paused(pilot: Pilot[object], sim: Simulator) -> None:
    await settle(pilot)
    await pilot.press("p")
    await settle(pilot)


async def _help(pilot: Pilot[object], sim: Simulator) -> None:
    await settle(pilot)
    await pilot.press("f1")
    await pilot.pause(0.1)


async def _credentials(pilot: Pilot[object], sim: Simulator) -> None:
    await settle(pilot)
    await pilot.press("f2")
    await pilot.pause(0.2)


async def _credentials_rejected(pilot: Pilot[object], sim: Simulator) -> None:
    await _credentials(pilot, sim)
    await pilot.press(*"AKLTsnaptuidemo", "tab", *"not-the-secret")
    await pilot.press("ctrl+t")
    for _ in range(100):
        await pilot.pause(0.05)
        if "Rejected" in str(pilot.app.screen.query_one("#cred-message").render()):
            break
    await pilot.pause(0.1)


async def _no_keyring(pilot: Pilot[object], sim: Simulator) -> None:
    # The keyring is asked on a thread of its own; its answer opens the credentials screen.
    for _ in range(100):
        await pilot.pause(0.05)
        if pilot.app.screen.query("#cred-message") and pilot.app.screen.query("#credentials"):
            break
    await settle(pilot)
    await pilot.pause(0.2)


async def _help_on_task(pilot: Pilot[object], sim: Simulator) -> None:
    await settle(pilot)
    await pilot.press("f1")
    await pilot.pause(0.1)


async def _confirm_delete(pilot: Pilot[object], sim: Simulator) -> None:
    await _credentials(pilot, sim)
    await pilot.press("f8")
    await pilot.pause(0.2)


async def _typed_link(pilot: Pilot[object], sim: Simulator) -> None:
    from snaptui.tui.widgets.query_form import LINK_SETTLE

    await settle(pilot)
    await pilot.press(*"demo/room-1/task-ended")
    await pilot.pause(LINK_SETTLE + 0.2)


async def _more_tabs(pilot: Pilot[object], sim: Simulator) -> None:
    await settle(pilot)
    screen = pilot.app.screen
    for task in ("task-failed", "task-pending"):
        await screen.open_task(("demo", "room-1", task))  # type: ignore[attr-defined]
        await settle(pilot)


async def _query_tab_with_recent(pilot: Pilot[object], sim: Simulator) -> None:
    await settle(pilot)
    await pilot.app.screen.open_task(("demo", "room-1", "task-failed"))  # type: ignore[attr-defined]
    await settle(pilot)
    await pilot.press("ctrl+n")
    pilot.app.clear_notifications()
    await pilot.pause(0.2)


async def hold_still(pilot: Pilot[object]) -> None:
    """From the moment the task view exists, no timer fires: no auto-refresh (a new
    RequestId), no tick (marks cleared), whatever time a scene takes on a busy machine.
    Keys still refresh."""
    for _ in range(200):
        views = list(pilot.app.screen.query(TaskView))
        if views:
            break
        await pilot.pause(0.01)
    for view in views:
        view._arm = lambda delay: None  # type: ignore[method-assign]
        view._cancel_timer()
        if view._ticker is not None:
            view._ticker.stop()
            view._ticker = None


async def _search_many(pilot: Pilot[object], sim: Simulator) -> None:
    await hold_still(pilot)
    await settle(pilot)
    await pilot.press("slash")
    await pilot.pause(0.05)
    await pilot.press(*"viewer-0424")
    await pilot.press("enter")
    await pilot.pause(0.2)
    # The match's toast comes and goes with time: not part of the scene.
    pilot.app.clear_notifications()
    await pilot.pause(0.1)


async def _timeline(pilot: Pilot[object], sim: Simulator) -> None:
    clock = pilot.app.connection.clock  # type: ignore[attr-defined]
    await hold_still(pilot)
    await settle(pilot)
    for seconds in (2.5, 18):
        clock.advance(seconds)
        await pilot.press("r")
        await settle(pilot)
    await pilot.press("t")
    pilot.app.clear_notifications()
    await pilot.pause(0.2)


async def _json_view(pilot: Pilot[object], sim: Simulator) -> None:
    await hold_still(pilot)
    await settle(pilot)
    await pilot.press("j")
    await settle(pilot)
    await pilot.press("down", "down", "down")
    await pilot.pause(0.1)


SCENES: dict[str, Scene] = {
    "query-empty": Scene(None, _nothing, main=True),
    "query-invalid": Scene(None, _invalid),
    "task-running": Scene(("demo", "room-1", "task-tos"), _nothing, main=True),
    "task-ended": Scene(None, _typed_ended, main=True),
    "task-failed": Scene(("demo", "room-1", "task-failed"), _nothing),
    "error-over-stale-tree": Scene(("demo", "room-1", "task-vod"), _error_over_stale, main=True),
    "paused": Scene(("demo", "room-1", "task-s3"), _paused),
    "many-streams-collapsed": Scene(("demo", "room-1", "task-many"), _nothing),
    "help": Scene(None, _help, main=True),
    "credentials": Scene(None, _credentials, main=True),
    "credentials-rejected": Scene(None, _credentials_rejected),
    "credentials-no-keyring": Scene(None, _no_keyring, keys=False),
    "help-on-task": Scene(("demo", "room-1", "task-ended"), _help_on_task),
    "confirm-delete": Scene(None, _confirm_delete),
    "link-typed": Scene(None, _typed_link),
    "tabs-with-status": Scene(("demo", "room-1", "task-ended"), _more_tabs),
    "query-tab-with-recent": Scene(("demo", "room-1", "task-ended"), _query_tab_with_recent),
    "search-many-streams": Scene(("demo", "room-1", "task-many"), _search_many),
    "timeline": Scene(("demo", "room-1", "task-live"), _timeline),
    "json-view": Scene(("demo", "room-1", "task-vod"), _json_view),
}
# The main screens in Simplified Chinese: double-width text at 80 and 120 columns.
SCENES.update(
    {
        f"{name}-zh": Scene(SCENES[name].ids, SCENES[name].action, main=main, language="zh")
        for name, main in (
            ("query-empty", False),
            ("query-invalid", False),
            ("task-running", True),
            ("task-ended", False),
            ("task-failed", False),
            ("error-over-stale-tree", False),
            ("paused", False),
            ("help", False),
            ("help-on-task", False),
            ("credentials", False),
            ("credentials-rejected", False),
            ("confirm-delete", False),
            ("tabs-with-status", False),
            ("timeline", False),
        )
    }
)
