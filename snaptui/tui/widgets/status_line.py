"""The two lines above the tree: status badge, times, RequestId, refresh state.

Each part is its own small widget and is touched only when its text changes,
so a refresh that changes nothing writes next to nothing to the terminal.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Static


class Part(Static):
    """A Static that ignores updates that would not change what it shows."""

    def set(self, text: str | Text) -> None:
        plain = text.plain if isinstance(text, Text) else text
        if getattr(self, "_shown", None) != plain:
            self._shown = plain
            self.update(text if isinstance(text, Text) else Text(text))


class StatusLine(Vertical):
    def compose(self) -> ComposeResult:
        with Horizontal(classes="status-row"):
            yield Part("…", id="badge", classes="badge")
            yield Part("", id="times")
        with Horizontal(classes="status-row"):
            yield Part("", id="request-id")
            yield Part("", id="refresh-state")

    def set_badge(self, word: str, tone: str) -> None:
        badge = self.query_one("#badge", Part)
        badge.set(f" {word} ")
        badge.set_classes(f"badge tone-{tone}")

    def set_times(self, text: str) -> None:
        self.query_one("#times", Part).set(text)

    def set_request_id(self, request_id: str | None) -> None:
        self.query_one("#request-id", Part).set(f"RequestId {request_id or '—'}")

    def set_refresh_state(self, text: str) -> None:
        self.query_one("#refresh-state", Part).set(text)
