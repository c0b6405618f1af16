"""The recent queries: an option list whose keys go where focus is when they are handled."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.widgets import OptionList

from snaptui.i18n import N_
from snaptui.tui.language import localized
from snaptui.tui.widgets.focused_keys import FocusedKeys


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
                tooltip=N_("The recent query above"),
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
