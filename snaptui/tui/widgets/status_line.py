"""The two lines above the tree: status badge, times, refresh state, RequestId, last update.

Each changing part is its own small widget, sized to its content, and touched
only when its text changes: a refresh that changes nothing rewrites just the
few characters that did change (the RequestId, the countdown digit).
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Static

from snaptui.i18n import _


class Part(Static):
    """A Static that ignores updates that would not change what it shows."""

    def set(self, text: str) -> None:
        shown: str | None = getattr(self, "_shown", None)
        if shown != text:
            self._shown = text
            # Same length, same size: skip the screen-wide layout pass an update costs.
            self.update(Text(text), layout=shown is None or len(shown) != len(text))


class StatusLine(Vertical):
    """Row 1: badge, times, refresh state. Row 2: the RequestId of the data shown and when
    it came ('… · updated 12:03:04 · 3 s ago'), one part, so a refresh writes it once."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._request_id: str | None = None
        self._updated = ""

    def compose(self) -> ComposeResult:
        with Horizontal(classes="status-row"):
            yield Part("…", id="badge", classes="badge")
            yield Part("", id="times")
            yield Part("", id="refresh-mode")
            yield Part("", id="refresh-next")
        with Horizontal(classes="status-row"):
            yield Static("RequestId ", classes="caption")
            yield Part("—", id="request-id")

    def set_badge(self, word: str, tone: str) -> None:
        badge = self.query_one("#badge", Part)
        badge.set(f" {word} ")
        badge.set_classes(f"badge tone-{tone}")

    def set_times(self, text: str) -> None:
        self.query_one("#times", Part).set(text)

    def set_updated(self, text: str) -> None:
        """'12:03:04 · 3 s ago': when the data shown came; also under an error."""
        self._updated = text
        self._show_answer()

    def set_request_id(self, request_id: str | None) -> None:
        self._request_id = request_id
        self._show_answer()

    def _show_answer(self) -> None:
        text = self._request_id or "—"
        if self._updated:
            text += _(" · updated {time}").format(time=self._updated)
        self.query_one("#request-id", Part).set(text)

    def set_refresh_state(self, mode: str, countdown: str = "") -> None:
        """`mode` ('every 2 s · next in ') rarely changes; `countdown` ('1 s') does."""
        self.query_one("#refresh-mode", Part).set(mode)
        self.query_one("#refresh-next", Part).set(countdown)
