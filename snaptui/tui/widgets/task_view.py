"""One watched task: status line, error panel, timeline, tree or raw JSON, search.

When to fetch is decided by the RefreshLoop (no screen, tested on a fake clock); this
widget sends the request, arms one timer for the delay the loop gives back and shows
the state. Describing the task and dumping its JSON happen in a worker thread; an
answer whose Result is the same as the last one's costs no describe and no repaint.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.reactive import reactive
from textual.timer import Timer
from textual.widgets import Input

from snaptui.connection import Connection
from snaptui.i18n import N_, _
from snaptui.output import dump_json
from snaptui.present import FAILED, UNKNOWN, Node, describe, elapsed, outcome, status_badge
from snaptui.present import status_word as badge_word
from snaptui.tui import end_notice
from snaptui.tui.big_answers import expect_big_answers
from snaptui.tui.branch_json import branch_of_lines, branch_text, is_branch, name_of
from snaptui.tui.language import localized
from snaptui.tui.refresh_loop import DEFAULT_INTERVAL, MAX_INTERVAL, MIN_INTERVAL, RefreshLoop
from snaptui.tui.widgets.error_panel import ErrorPanel
from snaptui.tui.widgets.focused_keys import focus_now
from snaptui.tui.widgets.json_view import JsonView
from snaptui.tui.widgets.search_bar import SearchBar
from snaptui.tui.widgets.status_line import StatusLine
from snaptui.tui.widgets.task_tree import TaskTree
from snaptui.tui.widgets.timeline import Timeline, TimelinePanel
from snaptui.volc.errors import SnaptuiError
from snaptui.volc.models import SnapshotTask, Status
from snaptui.volc.timefmt import format_duration

# OSC 52 travels base64-encoded (4/3 of the text) and terminals drop writes past a cap:
# hterm and tmux's default path take about 100 KB, some less. 74,000 bytes of text are
# 98,668 bytes of base64: under that cap. Bigger goes to a file (e).
CLIPBOARD_LIMIT = 74_000
# Relative times ("3 min ago", "Running for") are redescribed this often between answers.
RETELL_EVERY = 10.0
# An answer not in after this long is marked in flight.
SLOW_ANSWER = 0.5

if TYPE_CHECKING:
    from snaptui.volc.client import TaskResponse

Ids = tuple[str, str, str]
# The countdown's clock; fixtures pin it so a screenshot never catches a tick.
monotonic = time.monotonic


def _result(data: object) -> object:
    """The part of an answer that describes the task (the RequestId changes every time)."""
    return data.get("Result") if isinstance(data, dict) else data


def _compare_and_describe(
    previous: TaskResponse | None, response: TaskResponse, now: float
) -> tuple[bool, Node]:
    """Whether the answer says what the previous one said, and its (lazy) description."""
    same = previous is not None and _result(previous.data) == _result(response.data)
    return same, describe(response.task, now, lazy=True)


def _named_branch(data: object, key: str) -> tuple[str, str] | None:
    """(name, JSON) of the tree's branch at `key`, or None."""
    text = branch_text(data, key)
    return None if text is None else (name_of(key), text)


def _size(count: int) -> str:
    return f"{count / 1_000_000:.2f} MB" if count >= 1_000_000 else f"{count / 1000:.0f} KB"


def _clock_time(moment: float, now: float) -> str:
    """'12:03:04' today, '2026-11-24 12:03:04' another day: the header is one line."""
    try:
        local = time.localtime(moment)
    except (OverflowError, OSError, ValueError):
        return "(out of range)"
    same_day = local[:3] == time.localtime(now)[:3]
    return time.strftime("%H:%M:%S" if same_day else "%Y-%m-%d %H:%M:%S", local)


def _off_footer(
    key: str, action: str, description: str, tooltip: str, key_display: str | None = None
) -> Binding:
    """A task key the footer has no room for: the line under it, F1 and the palette list
    it. Its id is its action's ("copy_json" is "copy-json")."""
    return Binding(
        key,
        action,
        description,
        id=action.replace("_", "-"),
        key_display=key_display,
        show=False,
        tooltip=tooltip,
    )


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
        /* At 80 columns a long line ends in "…", never runs into the refresh state. */
        text-wrap: nowrap;
        text-overflow: ellipsis;
        margin-right: 1;
    }
    .caption, #request-id {
        width: auto;
        color: $text-muted;
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
    #timeline {
        border: round $primary;
        border-title-align: left;
        padding: 0 1;
        height: auto;
        max-height: 8;
    }
    #task-tree {
        height: 1fr;
        padding: 0 1;
    }
    #search {
        dock: bottom;
        height: 1;
        border: none;
        padding: 0 1;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = localized(
        [
            # First, so the footer shows it even at 80 columns (focused bindings come first).
            Binding(
                "f1", "app.help", N_("Help"), id="task-help", tooltip=N_("Keys and what they do")
            ),
            Binding(
                "r", "refresh_now", N_("Refresh"), id="refresh", tooltip=N_("Fetch the task now")
            ),
            Binding(
                "p",
                "toggle_pause",
                N_("Pause"),
                id="pause",
                tooltip=N_("Pause or resume auto-refresh"),
            ),
            Binding(
                "plus,equals_sign",
                "slower",
                N_("Interval"),
                id="slower",
                key_display="+/-",
                tooltip=N_("Refresh less often (+1 s); - refreshes more often"),
            ),
            _off_footer(
                "minus",
                "faster",
                N_("Faster"),
                N_("Refresh more often (1 s less, at least 1 s)"),
                key_display="-",
            ),
            Binding(
                "j",
                "toggle_json",
                N_("JSON"),
                id="json",
                tooltip=N_("Show the raw JSON or the tree"),
            ),
            Binding(
                "c",
                "copy_value",
                N_("Copy"),
                id="copy-value",
                tooltip=N_(
                    "Copy the value under the cursor as the JSON has it, a branch as JSON "
                    "(works over SSH)"
                ),
            ),
            _off_footer(
                "C",
                "copy_json",
                N_("Copy JSON"),
                N_("Copy the whole JSON answer, secrets redacted"),
            ),
            _off_footer(
                "i",
                "copy_request_id",
                N_("Copy RequestId"),
                N_("Copy the RequestId of the error on screen, or of the last answer"),
            ),
            _off_footer("e", "export", N_("Export"), N_("Save the JSON answer to a file")),
            # After C, i and e: the line of keys the footer has no room for shows those first.
            _off_footer(
                "slash",
                "search",
                N_("Find"),
                N_("Search the tree or the JSON (n / N: next / previous match)"),
                key_display="/",
            ),
            _off_footer("n", "next_match", N_("Next match"), N_("Next match")),
            _off_footer("N", "previous_match", N_("Previous match"), N_("Previous match")),
            _off_footer(
                "t", "toggle_timeline", N_("Timeline"), N_("The status changes seen while watching")
            ),
        ]
    )

    interval: reactive[float] = reactive(DEFAULT_INTERVAL, init=False)
    paused: reactive[bool] = reactive(False, init=False)

    class Finished(Message):
        def __init__(self, view: TaskView, outcome: str, failed: bool) -> None:
            self.view = view
            self.outcome = outcome
            self.failed = failed
            super().__init__()

    class Answered(Message):
        """A good answer came (the tab's text follows `Labelled`)."""

        def __init__(self, view: TaskView) -> None:
            self.view = view
            super().__init__()

    class Labelled(Message):
        """The tab's text changed: `label` is what `tab_label()` says now."""

        def __init__(self, view: TaskView, label: str) -> None:
            self.view = view
            self.label = label
            super().__init__()

    def __init__(self, ids: Ids, connection: Connection, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.ids = ids
        self.connection = connection
        self.loop = RefreshLoop(clock=lambda: monotonic())
        self.last: TaskResponse | None = None
        self.error: SnaptuiError | None = None
        self.timeline = Timeline()
        self.status_word = _("Loading")
        self._label = ids[2]  # the tab is made with the TaskId alone
        self._timer: Timer | None = None
        self._ticker: Timer | None = None
        self._retold_at = 0.0
        self._updated_wall: float | None = None
        self._json_of: object = None  # the Result the JSON view shows
        self._seen_unfinished = False
        self._matches: list[str] = []
        self._match_at = -1
        self._needle = ""
        # A search asked for before the first answer: run once it is painted.
        self._search_waits = False

    # The refresh state, as tests and the fixtures read it.
    @property
    def finished(self) -> bool:
        return self.loop.finished

    @property
    def failures(self) -> int:
        return self.loop.failures

    @property
    def _in_flight(self) -> bool:
        return self.loop.in_flight

    @property
    def title(self) -> str:
        return " / ".join(self.ids)

    @property
    def snapshot(self) -> SnapshotTask | None:
        return self.last.task if self.last else None

    def compose(self) -> ComposeResult:
        yield StatusLine()
        yield ErrorPanel(id="error-panel")
        yield TimelinePanel(id="timeline")
        yield TaskTree(id="task-tree")
        yield JsonView(id="raw-json")
        yield SearchBar(
            self._find,
            self._close_search,
            placeholder=_("find: a user, a value, a key · Enter · Esc"),
            id="search",
        )

    def on_mount(self) -> None:
        self.query_one(ErrorPanel).clear()
        self.query_one("#raw-json").display = False
        self.query_one(TimelinePanel).display = False
        self.query_one(TimelinePanel).border_title = _("Timeline")
        search = self.query_one("#search", Input)
        search.display = False
        search.cursor_blink = False
        self.query_one(StatusLine).set_badge(_("Loading"), UNKNOWN)
        self.query_one(StatusLine).set_request_id(None)
        self._ticker = self.set_interval(1.0, self._tick, pause=True)
        self.action_refresh_now()

    # -- the refresh loop ----------------------------------------------------------

    def action_refresh_now(self) -> None:
        if not self.loop.start():
            return
        self._cancel_timer()
        if self.last is None:
            self._show_refresh_state()
            self._show_loading()
        else:
            # The in-flight mark only for an answer that is slow to come: a fast one would
            # flash it for a few milliseconds and cost bytes on every refresh.
            self.set_timer(SLOW_ANSWER, self._show_refresh_state)
        self.run_worker(self._fetch(), group="fetch", exit_on_error=False)

    async def _fetch(self) -> None:
        ok = False
        error: SnaptuiError | None = None
        try:
            response = await self.connection.fetch(self.ids)
            await self._on_data(response)
            ok = True
        except SnaptuiError as exc:
            error = exc
        except Exception as exc:  # never let one bad answer take the app down
            error = SnaptuiError(_("unexpected error: {name}").format(name=type(exc).__name__))
        finally:
            # Also when the worker is cancelled: the loop must not stay "in flight".
            finished = self.last is not None and self._is_finished(self.last.task)
            delay = self.loop.done(ok, finished=ok and finished)
            self._arm(delay)
        if error is not None and self.is_mounted:
            self._on_error(error)
        if self.is_mounted:
            self._show_refresh_state()
            self._show_updated()
            self._tell_label()

    def _arm(self, delay: float | None) -> None:
        self._cancel_timer()
        if delay is not None and self.is_mounted:
            self._timer = self.set_timer(delay, self.action_refresh_now)

    def _cancel_timer(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def _tick(self) -> None:
        self._show_refresh_state()
        if self.last is None and self.error is None:
            self._show_loading()
        elif self.last is not None:
            self._show_updated()
        if self.loop.finished:
            # Changed marks are for one cycle; after the end no new cycle comes to clear them.
            self.query_one(TaskTree).clear_marks()
        due = self.connection.clock() - self._retold_at >= RETELL_EVERY
        if self.last is not None and not self.loop.in_flight and due:
            self.run_worker(self._retell(self.last), group="retell", exit_on_error=False)

    async def _retell(self, response: TaskResponse) -> None:
        """Relative times keep moving between answers and after the end; only labels whose
        text changed are repainted."""
        now = self.connection.clock()
        self._retold_at = now
        root = await asyncio.to_thread(describe, response.task, now, lazy=True)
        if response is self.last and self.is_mounted:
            self._show_tree(root, response.task, mark=False)

    @staticmethod
    def _is_finished(task: SnapshotTask) -> bool:
        return task.Status is not None and task.Status.finished

    # -- showing data ----------------------------------------------------------------

    async def _on_data(self, response: TaskResponse) -> None:
        task = response.task
        if task.TargetStreams is not None:
            expect_big_answers(len(task.TargetStreams.StreamList))
        previous = self.last
        self.last = response
        self.error = None
        self.query_one(ErrorPanel).clear()
        now = self.connection.clock()
        self._updated_wall = now
        self._retold_at = now
        # Off the UI thread: comparing 100,000 streams takes tens of milliseconds.
        same, root = await asyncio.to_thread(_compare_and_describe, previous, response, now)
        if not self.is_mounted:
            return
        # The same answer again repaints only what time moved ("Running for"); a new one
        # marks what changed.
        self._show_tree(root, task, mark=previous is not None and not same)
        if self.query_one("#raw-json").display:
            if same:
                self._show_json_metadata()
            else:
                await self._show_json()
        if self.timeline.see(task, now):
            self.query_one(TimelinePanel).show_timeline(self.timeline)
        self._show_header(task, now)
        if self._search_waits:
            self._search_waits = False
            self._search()
        self.post_message(self.Answered(self))
        finished = self._is_finished(task)
        if not finished:
            self._seen_unfinished = True
        elif not self.loop.finished:
            failed = task.Status == Status.FAILED
            self.post_message(self.Finished(self, outcome(task), failed=failed))
            if self._seen_unfinished and end_notice.wanted(failed, end_notice.choice()):
                self._ring(outcome(task))

    def _show_tree(self, root: Node, task: SnapshotTask, *, mark: bool) -> None:
        tree = self.query_one(TaskTree)
        before = tree.model
        streams = task.TargetStreams.StreamList if task.TargetStreams else ()
        tree.show(root, set(), streams)
        changed: set[str] = set()
        if mark:
            for key, node in tree.model.items():
                old = before.get(key)
                if old is None or key.endswith("$Elapsed"):
                    continue
                if old.raw != node.raw or (not node.raw and old.value != node.value):
                    changed.add(key)
            if changed:
                tree.show(root, changed, streams)
        if tree.cursor_line < 0 and tree.root.children:
            tree.cursor_line = 0  # the cursor is visible from the first answer

    def _ring(self, text: str) -> None:
        driver = self.app._driver
        if driver is not None and not self.app.is_headless:
            driver.write(end_notice.escapes(f"snaptui: {self.ids[2]}", text))

    def _on_error(self, error: SnaptuiError) -> None:
        self.error = error
        # A search waiting for the first answer goes quietly: the panel says why.
        self._search_waits = False
        delay = self.loop.delay()  # the loop has counted this failure already
        # The countdown is in the header; this says how far the back-off has gone.
        note = (
            _("Paused: p to resume")
            if self.paused
            else _("Retrying every {delay} (backing off up to 30 s)").format(
                delay=format_duration(delay)
            )
        )
        redact = self.connection.credentials.redact if self.connection.credentials else None
        self.query_one(ErrorPanel).show_error(
            error, note, stale=self.last is not None, redact=redact
        )
        if self.last is None:
            self._set_badge(_("Error"), FAILED)
            self.query_one(StatusLine).set_times(_("no answer yet"))
            # The one `i` copies: with nothing loaded, the error's is the only one.
            self.query_one(StatusLine).set_request_id(getattr(error, "request_id", None))

    def _set_badge(self, word: str, tone: str) -> None:
        self.query_one(StatusLine).set_badge(word, tone)
        self.status_word = word

    def tab_label(self) -> str:
        """The TaskId and the status, as the badge says it; ✗ while the last fetch failed
        ('task-9 · ✗ Error' with nothing loaded, 'task-9 · Running ✗' over older data)."""
        name = self.ids[2]
        if self.last is None:
            return f"{name} · ✗ {_('Error')}" if self.error is not None else name
        word = f"{name} · {badge_word(self.last.task.Status)}"
        return f"{word} ✗" if self.error is not None else word

    def _tell_label(self) -> None:
        label = self.tab_label()
        if label != self._label:
            self._label = label
            self.post_message(self.Labelled(self, label))

    def _show_header(self, task: SnapshotTask, now: float) -> None:
        status = self.query_one(StatusLine)
        # The tone by the Status itself: the badge's word is in the user's language.
        self._set_badge(*status_badge(task.Status))
        parts = []
        if task.StartTime:
            started = _clock_time(task.StartTime / 1000, now)
            parts.append(_("started {time}").format(time=started))
        span = elapsed(task, now)
        if span is not None:
            what = _("ran {duration}") if span[0] == "Duration" else _("running for {duration}")
            parts.append(what.format(duration=format_duration(span[1])))
        status.set_times(" · ".join(parts))
        status.set_request_id(self.last.request_id if self.last else None)

    def _show_updated(self) -> None:
        if self._updated_wall is None:
            return
        stamp = time.strftime("%H:%M:%S", time.localtime(self._updated_wall))
        age = self.loop.age()
        # Fresh data needs no words beyond its time; the header is one line at 80 columns.
        suffix = f" · {age}" if age and age != _("just now") else ""
        self.query_one(StatusLine).set_updated(f"{stamp}{suffix}")

    def _show_loading(self) -> None:
        sent = self.loop.sent_at
        waited = int(monotonic() - sent) if sent is not None else 0
        self.query_one(StatusLine).set_times(_("loading… {s} s").format(s=waited))

    def _show_refresh_state(self) -> None:
        if not self.is_attached:
            return
        status = self.query_one(StatusLine)
        if self.loop.finished:
            failed = self.snapshot is not None and self.snapshot.Status == Status.FAILED
            status.set_refresh_state(
                _("stopped: task failed") if failed else _("stopped: task ended")
            )
        elif self.loop.paused and not self.loop.in_flight:
            status.set_refresh_state(_("paused (p to resume)"))
        else:
            status.set_refresh_state(*self.loop.status_parts())
        if self._ticker is not None:
            # Always on, also after the end: relative times keep moving ("1 min ago"), and
            # a tick that changes no text writes nothing.
            self._ticker.resume()

    async def _show_json(self) -> None:
        if self.last is None:
            return
        result = _result(self.last.data)
        if result is self._json_of:
            return
        self._json_of = result
        data = self.last.data
        lines = await asyncio.to_thread(lambda: dump_json(data).splitlines())
        self.query_one(JsonView).show(lines)

    def _show_json_metadata(self) -> None:
        """An answer that says what the last one said but for its ResponseMetadata (a new
        RequestId): only those lines are made again, not 100,000 streams' worth, so the
        JSON view never shows (nor `c` copies) another answer's RequestId than the header."""
        data = self.last.data if self.last is not None else None
        view = self.query_one(JsonView)
        if not isinstance(data, dict) or "ResponseMetadata" not in data or not view.lines:
            return
        # '  "ResponseMetadata": {' ... '  }': at the same depth as in the whole answer.
        fresh = dump_json({"ResponseMetadata": data["ResponseMetadata"]}).splitlines()[1:-1]
        lines = view.lines
        if fresh[0] not in lines:
            return
        start = lines.index(fresh[0])
        end = next((i for i in range(start, len(lines)) if lines[i] in ("  }", "  },")), None)
        if end is None:
            return
        view.show([*lines[:start], *fresh[:-1], lines[end], *lines[end + 1 :]])

    # -- actions ---------------------------------------------------------------------

    def action_toggle_pause(self) -> None:
        if self.loop.finished:
            self.notify(_("The task has finished; nothing to refresh."))
            return
        self.paused = not self.paused

    def watch_paused(self, paused: bool) -> None:
        if paused:
            self.loop.pause()
            self._cancel_timer()
            self._show_refresh_state()
        else:
            self.loop.resume()
            self.action_refresh_now()

    def action_slower(self) -> None:
        self.interval = min(MAX_INTERVAL, self.interval + 1)

    def action_faster(self) -> None:
        self.interval = max(MIN_INTERVAL, self.interval - 1)

    def watch_interval(self, interval: float) -> None:
        delay = self.loop.set_interval(interval)
        if delay is not None:
            self._arm(delay)
        self._show_refresh_state()

    async def action_toggle_json(self) -> None:
        area = self.query_one(JsonView)
        tree = self.query_one(TaskTree)
        area.display = not area.display
        tree.display = not area.display
        if area.display:
            focus_now(area)
            # Awaited: the keys typed behind j (G, ↑, c) act on the JSON, not on an empty view.
            await self._show_json()
        else:
            focus_now(tree)

    def action_toggle_timeline(self) -> None:
        panel = self.query_one(TimelinePanel)
        panel.show_timeline(self.timeline)
        panel.display = not panel.display

    def action_search(self) -> None:
        search = self.query_one("#search", Input)
        search.display = True
        focus_now(search)
        search.select_all()  # the next needle typed replaces the last one

    def _find(self, needle: str) -> None:
        self._needle = needle.strip()
        self._close_search()
        if not self._needle:
            return
        if self.last is None:
            # Nothing to search yet: an empty tree would say "No match".
            self._search_waits = True
            self._say_search_waits()
            return
        self._search()

    def _search(self) -> None:
        if self.query_one(JsonView).display:
            self._find_in_json(1)
            return
        tree = self.query_one(TaskTree)
        self._matches = tree.matches(self._needle)
        self._match_at = -1
        self.action_next_match()

    def _close_search(self) -> None:
        search = self.query_one("#search", Input)
        search.display = False
        json_view = self.query_one(JsonView)
        focus_now(json_view if json_view.display else self.query_one(TaskTree))

    def action_previous_match(self) -> None:
        self.action_next_match(-1)

    def _say_search_waits(self) -> None:
        text = _("Will search for {needle} once the task loads.").format(needle=repr(self._needle))
        self.notify(text)

    def action_next_match(self, step: int = 1) -> None:
        if self._search_waits:
            self._say_search_waits()
            return
        if not self._needle:
            self.notify(_("Nothing to find yet: / to search."), severity="warning")
            return
        if self.query_one(JsonView).display:
            self._find_in_json(step)
            return
        if not self._matches:
            self._no_match()
            return
        self._match_at = (self._match_at + step) % len(self._matches)
        self.query_one(TaskTree).go_to(self._matches[self._match_at])
        self.notify(
            _("{n} of {total} matches for {needle}").format(
                n=self._match_at + 1, total=f"{len(self._matches):,}", needle=repr(self._needle)
            ),
            timeout=2,
        )

    def _find_in_json(self, step: int) -> None:
        if not self.query_one(JsonView).find(self._needle, forward=step > 0):
            self._no_match()

    def _no_match(self) -> None:
        text = _("No match for {needle}.").format(needle=repr(self._needle))
        self.notify(text, severity="warning")

    def action_copy_value(self) -> None:
        json_view = self.query_one(JsonView)
        branch: Callable[[], tuple[str, str] | None] | None = None
        if json_view.display:
            if json_view.opens_branch():
                lines, at = json_view.lines, json_view.cursor
                branch = partial(branch_of_lines, lines, at)
            value = json_view.value_at_cursor()
        else:
            tree = self.query_one(TaskTree)
            key = tree.key_at_cursor()
            if key and self.last is not None and is_branch(self.last.data, key):
                branch = partial(_named_branch, self.last.data, key)
            value = tree.value_at_cursor()
        if branch is not None:
            # Printing 100,000 streams takes half a second: not on the UI thread.
            self.run_worker(self._copy_branch(branch), group="copy", exit_on_error=False)
            return
        if value is None:
            self.notify(_("Nothing to copy here: move the cursor to a value."), severity="warning")
            return
        too_big = _(
            "The value is {size}: terminals drop clipboard (OSC 52) writes over "
            "about 100 KB, so it was not copied. Press e to export the JSON to a file."
        )
        self._copy(value, _("Copied the value to the clipboard."), too_big)

    async def _copy_branch(self, make: Callable[[], tuple[str, str] | None]) -> None:
        """An object or an array, as JSON, made by `make` in a thread; the whole document
        says what C says."""
        made = await asyncio.to_thread(make)
        if made is None or not self.is_mounted:
            return
        name, text = made
        if not name:
            self.action_copy_json()
            return
        too_big = _(
            "{name} is {size}: terminals drop clipboard (OSC 52) writes over "
            "about 100 KB, so it was not copied. Press e to export the JSON to a file."
        )
        said = _("Copied {name} (JSON) to the clipboard.").format(name=name)
        self._copy(text, said, too_big, name=name)

    def action_copy_json(self) -> None:
        if self.last is None:
            self.notify(_("No answer yet."), severity="warning")
            return
        too_big = _(
            "The JSON is {size}: terminals drop clipboard (OSC 52) writes over "
            "about 100 KB, so it was not copied. Press e to export it to a file."
        )
        self._copy(dump_json(self.last.data), _("Copied the JSON to the clipboard."), too_big)

    def action_copy_request_id(self) -> None:
        # The error on screen first: its RequestId is the one a support ticket needs.
        request_id = getattr(self.error, "request_id", None) if self.error else None
        if not request_id and self.last is not None:
            request_id = self.last.request_id
        if not request_id:
            self.notify(_("No RequestId yet."), severity="warning")
            return
        self._copy(request_id, _("Copied the RequestId to the clipboard."))

    def _copy(self, text: str, said: str, too_big: str = "", **fields: str) -> None:
        """`too_big`: what to say instead of copying text over CLIPBOARD_LIMIT ({size},
        and any `fields`). Every copy is capped: a server's RequestId can be huge too."""
        size = len(text.encode())
        if size > CLIPBOARD_LIMIT:
            too_big = too_big or _(
                "The text is {size}: terminals drop clipboard (OSC 52) writes over "
                "about 100 KB, so it was not copied."
            )
            said_instead = too_big.format(size=_size(size), **fields)
            self.notify(said_instead, severity="warning", timeout=10)
            return
        # OSC 52: the terminal on the user's side takes it, even over SSH.
        self.app.copy_to_clipboard(text)
        self.notify(said)

    def action_export(self) -> None:
        """Also before the first answer: a name typed blind behind `e` goes into the
        dialog, never runs as keys of the tree (its q would quit)."""
        from snaptui.tui.screens.export import ExportScreen

        default = Path.cwd() / f"snapshot-task-{self.ids[2]}.json"
        self.app.push_screen(ExportScreen(default, self._export_text))

    def _export_text(self) -> str | None:
        return dump_json(self.last.data) + "\n" if self.last is not None else None
