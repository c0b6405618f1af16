"""A scrolling container that takes focus when its content overflows, and so takes keys."""

from __future__ import annotations

from textual.containers import VerticalScroll

from snaptui.tui.widgets.focused_keys import FocusedKeys


class Scroll(FocusedKeys, VerticalScroll):
    """VerticalScroll whose keys go where focus is when they are handled."""
