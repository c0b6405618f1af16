"""The search bar of a task view: `/`, a needle, then Enter to search or Esc to close.

Enter and Esc act at once, not through a message that the view handles later: in
`/user9` Enter `n` `n` typed ahead, the `n`s are handled right after Enter, and by then
the search must have run and the tree must have focus again, or they would be typed into
the needle. Esc and a key read together (Alt+key) are Esc, then the key, as in every
widget of ours (see focused_keys).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual.binding import Binding, BindingType

from snaptui.tui.widgets.field import Field


class SearchBar(Field):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "close", show=False)]

    def __init__(
        self, find: Callable[[str], None], close: Callable[[], None], **kwargs: object
    ) -> None:
        super().__init__(on_enter=find, **kwargs)
        self._close = close

    def action_close(self) -> None:
        self._close()
