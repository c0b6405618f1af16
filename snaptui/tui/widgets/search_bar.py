"""The search bar of a task view: `/`, a needle, then Enter to search or Esc to close.

Enter and Esc act at once, not through a message that the view handles later: in
`/user9` Enter `n` `n` typed ahead, the `n`s are handled right after Enter, and by then
the search must have run and the tree must have focus again, or they would be typed into
the needle. A terminal sends Esc and a key that comes with it in one read as Alt+key
(it is how Alt is sent): here, where Alt+key means nothing, that is Esc, then the key.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual import events
from textual.binding import Binding, BindingType

from snaptui.tui.widgets.field import Field
from snaptui.tui.widgets.focused_keys import KeyOrder


class SearchBar(Field):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "close", show=False)]

    def __init__(
        self, find: Callable[[str], None], close: Callable[[], None], **kwargs: object
    ) -> None:
        super().__init__(on_enter=find, **kwargs)
        self._close = close

    def action_close(self) -> None:
        self._close()

    async def _handle(self, event: events.Key, order: KeyOrder) -> None:
        if self.has_focus and event.key.startswith("alt+") and event.is_printable:
            event.stop()
            event.prevent_default()
            self._close()
            order.hand_on(event, self.app.focused or self.screen, key=event.key[len("alt+") :])
            return
        await super()._handle(event, order)
