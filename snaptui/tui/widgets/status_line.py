"""The two lines above the tree: status badge, times, last update, RequestId, refresh state.

Each changing part is its own small widget, sized to its content, and touched
only when its text changes: a refresh that changes nothing rewrites just the
few characters that did change (the RequestId, the countdown digit).
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Static


class Part(Static):
    """A Static that ignores updates that would not change what it shows."""

    def set(self, text: str) -> None:
        shown: str | None = getattr(self, "_shown", None)
        if shown != text:
            self._shown = text
            # Same length, same size: skip the screen-wide layout pass an update costs.
            self.update(Text(text), layout=shown is None or len(shown) != len(text))


class StatusLine(Vertical):
    def compose(self) -> ComposeResult:
        with Horizontal(classes="status-row"):
            yield Part("…", id="badge", classes="badge")
            yield Part("", id="times")
            yield Part("", id="updated")
        with Horizontal(classes="status-row"):
            yield Static("RequestId ", classes="caption")
            yield Part("—", id="request-id")
            yield Static(classes="spacer")
            yield Part("", id="refresh-mode")
            yield Part("", id="refresh-next")

    def set_badge(self, word: str, tone: str) -> None:
        badge = self.query_one("#badge", Part)
        badge.set(f" {word} ")
        badge.set_classes(f"badge tone-{tone}")

    def set_times(self, text: str) -> None:
        self.query_one("#times", Part).set(text)

    def set_updated(self, text: str) -> None:
        """'updated 12:03:04 · 3 s ago': always there, also under an error."""
        self.query_one("#updated", Part).set(text)

    def set_request_id(self, request_id: str | None) -> None:
        self.query_one("#request-id", Part).set(request_id or "—")

    def set_refresh_state(self, mode: str, countdown: str = "") -> None:
        """`mode` ('every 2 s · ') rarely changes; `countdown` ('next in 1 s') does."""
        self.query_one("#refresh-mode", Part).set(mode)
        self.query_one("#refresh-next", Part).set(countdown)
