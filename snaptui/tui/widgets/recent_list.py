"""The recent queries: an option list whose keys go where focus is when they are handled."""

from __future__ import annotations

from textual.widgets import OptionList

from snaptui.tui.widgets.focused_keys import FocusedKeys


class RecentList(FocusedKeys, OptionList):
    """Imported only once there is a recent query, to keep the first frame light."""
