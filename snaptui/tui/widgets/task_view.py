"""One watched task: status line, error panel, tree or raw JSON, and its refresh loop.

Refreshing follows one rule: the next request is scheduled only after the
previous one has finished (a one-shot timer), so requests never pile up and
at most one is in flight for this task.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.reactive import reactive
from textual.timer import Timer
from textual.widgets import TextArea

from snaptui.connection import Connection
from snaptui.output import dump_json
from snaptui.present import FAILED, OK, RUNNING, UNKNOWN, WAITING, describe, elapsed, outcome
from snaptui.present import status_word as badge_word
from snaptui.tui.widgets.error_panel import ErrorPanel
from snaptui.tui.widgets.status_line import StatusLine
from snaptui.tui.widgets.task_tree import TaskTree
from snaptui.volc.errors import SnaptuiError
from snaptui.volc.models import SnapshotTask, Status
from snaptui.volc.timefmt import format_duration

DEFAULT_INTERVAL = 2.0
MIN_INTERVAL = 1.0
MAX_INTERVAL = 60.0
MAX_BACKOFF = 30.0
BADGE_TONES = {
    "Not started": WAITING,
    "Running": RUNNING,
    "Ended": OK,
    "Failed": FAILED,
    "Unknown": UNKNOWN,
}

if TYPE_CHECKING:
    from snaptui.volc.client import TaskResponse

Ids = tuple[str, str, str]
# The countdown's clock; fixtures pin it so a screenshot never catches a tick.
monotonic = time.monotonic


class TaskView(Vertical):
    DEFAULT_CSS = """
    TaskView {
        height: 1fr;
    }
    StatusLine {
        height: 2;
        padding: 0 1;
    }
    .status-row {
        height: 1;
    }
    .badge {
        width: auto;
        text-style: bold;
        margin-right: 1;
    }
    .tone-running { background: $primary; color: $text; }
    .tone-ok { background: $success; color: $text; }
    .tone-waiting { background: $warning; color: $text; }
    .tone-failed { background: $error; color: $text; }
    .tone-unknown { background: $secondary; color: $text; }
    #times {
        width: 1fr;
        color: $text-muted;
    }
    .caption, #request-id {
        width: auto;
        color: $text-muted;
    }
    .spacer {
        width: 1fr;
    }
    #refresh-mode, #refresh-next {
        width: auto;
    }
    #error-panel {
        border: round $error;
        padding: 0 1;
        height: auto;
        max-height: 8;
    }
    #task-tree {
        height: 1fr;
        padding: 0 1;
    }
    #raw-json {
        height: 1fr;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        # First, so the footer shows it even at 80 columns (focused bindings come first).
        Binding("f1", "app.help", "Help", id="task-help", tooltip="Keys and what they do"),
        Binding("r", "refresh_now", "Refresh", id="refresh", tooltip="Fetch the task now"),
        Binding("p", "toggle_pause", "Pause", id="pause", tooltip="Pause or resume auto-refresh"),
        Binding(
            "plus,equals_sign",
            "slower",
            "Interval",
            id="slower",
            key_display="+/-",
            tooltip="Refresh less often (+1 s); - refreshes more often",
        ),
        Binding(
            "minus",
            "faster",
            "Faster",
            id="faster",
            key_display="-",
            show=False,
            tooltip="Refresh more often (1 s less, at least 1 s)",
        ),
        Binding("j", "toggle_json", "JSON", id="json", tooltip="Show the raw JSON or the tree"),
        Binding(
            "c",
            "copy_value",
            "Copy",
            id="copy-value",
            tooltip="Copy the value under the cursor (works over SSH)",
        ),
        Binding(
            "C",
            "copy_json",
            "Copy JSON",
            id="copy-json",
            show=False,
            tooltip="Copy the whole JSON answer, secrets redacted",
        ),
        Binding(
            "i",
            "copy_request_id",
            "Copy RequestId",
            id="copy-request-id",
            show=False,
            tooltip="Copy the RequestId of the last answer",
        ),
        Binding(
            "e",
            "export",
            "Export",
            id="export",
            show=False,
            tooltip="Save the JSON answer to a file",
        ),
    ]

    interval: reactive[float] = reactive(DEFAULT_INTERVAL, init=False)
    paused: reactive[bool] = reactive(False, init=False)

    class Finished(Message):
        def __init__(self, view: TaskView, outcome: str, failed: bool) -> None:
            self.view = view
            self.outcome = outcome
            self.failed = failed
            super().__init__()

    class Answered(Message):
        """A good answer came; `status` is the badge word (Running, Ended...)."""

        def __init__(self, view: TaskView, status: str) -> None:
            self.view = view
            self.status = status
            super().__init__()

    def __init__(self, ids: Ids, connection: Connection, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.ids = ids
        self.connection = connection
        self.last: TaskResponse | None = None
        self.error: SnaptuiError | None = None
        self.failures = 0
        self.finished = False
        self._in_flight = False
        self._timer: Timer | None = None
        self._ticker: Timer | None = None
        self._next_at: float | None = None

    @property
    def title(self) -> str:
        return " / ".join(self.ids)

    @property
    def snapshot(self) -> SnapshotTask | None:
        return self.last.task if self.last else None

    def compose(self) -> ComposeResult:
        yield StatusLine()
        yield ErrorPanel(id="error-panel")
        yield TaskTree(id="task-tree")
        yield TextArea("", read_only=True, id="raw-json", show_line_numbers=False)

    def on_mount(self) -> None:
        self.query_one(ErrorPanel).clear()
        self.query_one("#raw-json").display = False
        self.query_one(StatusLine).set_badge("Loading", UNKNOWN)
        self.query_one(StatusLine).set_request_id(None)
        self._ticker = self.set_interval(1.0, self._tick, pause=True)
        self.action_refresh_now()

    # -- the refresh loop ----------------------------------------------------------

    def action_refresh_now(self) -> None:
        if self._in_flight:
            return
        self._cancel_timer()
        self._in_flight = True
        self._show_refresh_state()
        self.run_worker(self._fetch(), group="fetch", exit_on_error=False)

    async def _fetch(self) -> None:
        try:
            response = await self.connection.client().get_snapshot_task(*self.ids)
        except SnaptuiError as exc:
            self._on_error(exc)
        except Exception as exc:  # never let one bad answer take the app down
            self._on_error(SnaptuiError(f"unexpected error: {type(exc).__name__}"))
        else:
            self._on_data(response)
        finally:
            self._in_flight = False
            self._schedule()

    def _schedule(self) -> None:
        if self.finished or self.paused or not self.is_mounted:
            self._next_at = None
        else:
            delay = self.interval
            if self.error is not None:
                delay = min(MAX_BACKOFF, self.interval * 2**self.failures)
            self._next_at = monotonic() + delay
            self._timer = self.set_timer(delay, self.action_refresh_now)
        self._show_refresh_state()

    def _cancel_timer(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self._next_at = None

    def _tick(self) -> None:
        self._show_refresh_state()

    # -- showing data ----------------------------------------------------------------

    def _on_data(self, response: TaskResponse) -> None:
        task = response.task
        previous = self.snapshot
        self.last = response
        self.error = None
        self.failures = 0
        self.query_one(ErrorPanel).clear()
        now = self.connection.clock()
        root = describe(task, now)
        changed: set[str] = set()
        if previous is not None and previous != task:
            before = {n.key: n.value for n in describe(previous, now).walk()}
            changed = {n.key for n in root.walk() if before.get(n.key, n.value) != n.value}
        self.query_one(TaskTree).show(root, changed)
        self._show_header(task, now)
        self.post_message(self.Answered(self, badge_word(task.Status)))
        if self.query_one("#raw-json").display:
            self._show_json()
        if task.Status is not None and task.Status.finished and not self.finished:
            self.finished = True
            self.post_message(
                self.Finished(self, outcome(task), failed=task.Status == Status.FAILED)
            )

    def _on_error(self, error: SnaptuiError) -> None:
        self.error = error
        self.failures += 1
        delay = min(MAX_BACKOFF, self.interval * 2**self.failures)
        # The countdown is in the header; this says how far the back-off has gone.
        note = (
            "Paused: p to resume"
            if self.paused
            else f"Retrying every {format_duration(delay)} (backing off up to 30 s)"
        )
        redact = self.connection.credentials.redact if self.connection.credentials else None
        self.query_one(ErrorPanel).show_error(
            error, note, stale=self.last is not None, redact=redact
        )
        if self.last is None:
            self.query_one(StatusLine).set_badge("Error", "failed")

    def _show_header(self, task: SnapshotTask, now: float) -> None:
        status = self.query_one(StatusLine)
        word = badge_word(task.Status)
        status.set_badge(word, BADGE_TONES[word])
        parts = []
        if task.StartTime:
            stamp = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(task.StartTime / 1000))
            parts.append(f"started {stamp}")
        span = elapsed(task, now)
        if span is not None:
            what = "ran" if span[0] == "Duration" else "running for"
            parts.append(f"{what} {format_duration(span[1])}")
        status.set_times(" · ".join(parts))
        status.set_request_id(self.last.request_id if self.last else None)

    def _show_refresh_state(self) -> None:
        if not self.is_mounted:
            return
        status = self.query_one(StatusLine)
        every = f"every {self.interval:g} s"
        if self.finished:
            word = "failed" if self.snapshot and self.snapshot.Status == Status.FAILED else "ended"
            status.set_refresh_state(f"stopped: task {word}")
        elif self.paused:
            status.set_refresh_state("paused (p to resume)")
        elif self._next_at is not None:
            left = max(1, round(self._next_at - monotonic()))
            status.set_refresh_state(f"{every} · next in ", f"{left} s")
        elif not self._in_flight:
            status.set_refresh_state(every)
        # While a request is in flight the line keeps its last words: a flash of
        # "refreshing" for a few milliseconds tells nobody anything and costs bytes.
        if self._ticker is not None:
            if self.finished or self.paused:
                self._ticker.pause()
            else:
                self._ticker.resume()

    def _show_json(self) -> None:
        area = self.query_one("#raw-json", TextArea)
        text = dump_json(self.last.data) if self.last else ""
        if area.text != text:
            area.load_text(text)

    # -- actions ---------------------------------------------------------------------

    def action_toggle_pause(self) -> None:
        if self.finished:
            self.notify("The task has finished; nothing to refresh.")
            return
        self.paused = not self.paused

    def watch_paused(self, paused: bool) -> None:
        if paused:
            self._cancel_timer()
            self._show_refresh_state()
        else:
            self.action_refresh_now()

    def action_slower(self) -> None:
        self.interval = min(MAX_INTERVAL, self.interval + 1)

    def action_faster(self) -> None:
        self.interval = max(MIN_INTERVAL, self.interval - 1)

    def watch_interval(self) -> None:
        if self._timer is not None and not self._in_flight:
            self._cancel_timer()
            self._schedule()
        else:
            self._show_refresh_state()

    def action_toggle_json(self) -> None:
        area = self.query_one("#raw-json", TextArea)
        tree = self.query_one(TaskTree)
        area.display = not area.display
        tree.display = not area.display
        if area.display:
            self._show_json()
            area.focus()
        else:
            tree.focus()

    def action_copy_value(self) -> None:
        value = self.query_one(TaskTree).value_at_cursor()
        if value is None:
            self.notify("Nothing to copy here: move the cursor to a value.", severity="warning")
            return
        self._copy(value, "value")

    def action_copy_json(self) -> None:
        if self.last is None:
            self.notify("No answer yet.", severity="warning")
            return
        self._copy(dump_json(self.last.data), "JSON")

    def action_copy_request_id(self) -> None:
        request_id = self.last.request_id if self.last else None
        if not request_id:
            self.notify("No RequestId yet.", severity="warning")
            return
        self._copy(request_id, "RequestId")

    def _copy(self, text: str, what: str) -> None:
        # OSC 52: the terminal on the user's side takes it, even over SSH.
        self.app.copy_to_clipboard(text)
        self.notify(f"Copied the {what} to the clipboard.")

    def action_export(self) -> None:
        if self.last is None:
            self.notify("No answer yet.", severity="warning")
            return
        from snaptui.tui.screens.export import ExportScreen

        default = Path.cwd() / f"snapshot-task-{self.ids[2]}.json"
        text = dump_json(self.last.data) + "\n"
        self.app.push_screen(ExportScreen(default, text))
