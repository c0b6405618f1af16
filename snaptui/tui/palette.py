"""The command palette (Ctrl+P): Textual's, with a search box whose keys are handled in
the order they were typed, and Enter acting on the list for the text as it is then.

Textual's search box runs a key's binding only once the key has bubbled up to the app,
after the keys queued behind it: Ctrl+U then `keys` typed in one burst typed `keys`
first and then cleared the box, and Enter ran the first entry of the whole list (Close,
closing a tab). The box here handles keys as every widget of ours does (`FocusedKeys`).
And as the list is searched in the background, Enter typed right behind the text waits
for that search to end, so it never picks from the list of an earlier text.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterable

from textual import events, on
from textual.command import CommandInput, CommandPalette
from textual.widget import Widget
from textual.widgets import Input

from snaptui.tui.widgets.focused_keys import FocusedKeys

# Enter waits at most this long for the search of the text typed before it: a provider
# that hangs must not hang the palette.
SEARCH_WAIT = 2.0


class PaletteInput(FocusedKeys, CommandInput):
    def types_text(self, event: events.Key) -> bool:
        return event.is_printable


class Palette(CommandPalette):
    def compose(self) -> Iterable[Widget]:
        for widget in super().compose():
            if type(widget) is CommandInput:
                widget = PaletteInput(placeholder=widget.placeholder, select_on_focus=False)
            yield widget

    @on(Input.Submitted)
    async def _searched_first(self, event: Input.Submitted) -> None:
        """Runs before Textual's own handler, which picks from the list as it is."""
        searches = [w for w in self.workers if w.group == self._GATHER_COMMANDS_GROUP]
        for search in [s for s in searches if not s.is_finished]:
            # Cancelled by a newer search, or too slow: Textual's handler goes on anyway.
            with contextlib.suppress(Exception):
                await asyncio.wait_for(search.wait(), SEARCH_WAIT)
