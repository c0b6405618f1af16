"""The recent queries: an option list whose keys go where focus is when they are handled.

Its label promises ↑↓ Enter: ↓ from a field comes here on the first row (the newest
query, and Enter typed behind ↓ opens it), and ↑ on the first row goes back to Task ID.
"""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.widgets import OptionList

from snaptui.i18n import N_
from snaptui.tui.language import localized
from snaptui.tui.widgets.focused_keys import FocusedKeys, focus_now


class RecentList(FocusedKeys, OptionList):
    """Imported only once there is a recent query, to keep the first frame light."""

    # OptionList's own keys, with an id and a tooltip so that F1 lists them.
    BINDINGS: ClassVar[list[BindingType]] = localized(
        [
            Binding(
                "up",
                "cursor_up",
                N_("Up"),
                show=False,
                id="recent-up",
                tooltip=N_("The recent query above; from the first, back to Task ID"),
            ),
            Binding(
                "down",
                "cursor_down",
                N_("Down"),
                show=False,
                id="recent-down",
                tooltip=N_("The recent query below"),
            ),
            Binding(
                "enter",
                "select",
                N_("Open"),
                show=False,
                id="recent-open",
                tooltip=N_("Open this recent query"),
            ),
        ]
    )
    HELP_TITLE = N_("Recent queries")

    def enter_from_above(self) -> None:
        """Focus, at once (keys typed behind ↓ act on the list), on the first row: the
        newest query, wherever the highlight was left."""
        focus_now(self)
        if self.option_count:
            self.highlighted = 0

    def action_cursor_up(self) -> None:
        if self.highlighted in (None, 0):
            self.screen.focus_previous()  # Task ID, the field above the list
            return
        super().action_cursor_up()
