"""Keys handled by the widget focused when they are handled, not when they arrived.

Textual queues each key on the widget focused when the key *arrived*, and runs the
non-priority bindings only once the key has bubbled back up to the app. Over a laggy SSH
link keys arrive in bursts: in `/quota`, the `/` moves focus to the search bar, but
`quota` is already queued on the tree, and its `q` would quit. Every focusable widget
that takes keys therefore derives from `FocusedKeys`: it runs a key's binding at once, in
order with the keys queued behind it, and hands a key it was given while no longer
focused to the widget that is focused now (on whichever screen is on top).

A mixin rather than an app-level queue: Textual's key path (forwarding, bubbling, the
binding chain) stays as it is, and a widget that takes keys opts in by its base class,
which a test checks for every focusable widget the app shows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events
from textual.widget import Widget

# A plain mixin at run time: a Widget base ahead of the real widget class would hide that
# class's component classes and CSS from Textual, which reads them along the MRO.
if TYPE_CHECKING:
    _Base = Widget
else:
    _Base = object


class FocusedKeys(_Base):
    """Mix in before a Textual widget class: `class Tree(FocusedKeys, Tree)`."""

    def types_text(self, event: events.Key) -> bool:
        """Whether the widget itself takes this key as typed text (an input does)."""
        return False

    async def _on_key(self, event: events.Key) -> None:
        focused = self.app.focused if self.is_attached else None
        if focused is not self:
            event.stop()
            event.prevent_default()
            target = focused if focused is not None else self.app.screen
            if target is not self:
                # A fresh event, marked as forwarded so the app does not route it again.
                target._forward_event(events.Key(event.key, event.character))
            return
        if self.types_text(event):
            return
        active = self.app.screen.active_bindings.get(event.key)
        # Priority bindings already ran when the key arrived.
        if active is not None and active.enabled and not active.binding.priority:
            # Run the binding now, not when the key has bubbled up to the app: the keys
            # queued behind it must see its effect (a focus move, a tab change, a search).
            event.stop()
            event.prevent_default()
            await self.app.run_action(active.binding.action, active.node)


def focus_now(widget: Widget) -> None:
    """Move focus at once (`Widget.focus()` waits for the next turn of the loop), so the
    keys queued behind the key that asked for it already go to `widget`."""
    widget.screen.set_focus(widget)
