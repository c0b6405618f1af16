"""Keys handled by the widget focused when they are handled, not when they arrived.

Textual queues each key on the widget focused when the key *arrived*, and runs the
non-priority bindings only once the key has bubbled back up to the app. Over a laggy SSH
link keys arrive in bursts: in `/quota`, the `/` moves focus to the search bar, but
`quota` is already queued on the tree, and its `q` would quit. Every focusable widget
that takes keys therefore derives from `FocusedKeys`: it runs a key's binding at once, in
order with the keys queued behind it, and hands a key it was given while no longer
focused to the widget that is focused now (on whichever screen is on top).

Two more things keep a burst in the order it was typed:

- A key that opens a screen (`e`, F1, F2, F8's question, Ctrl+P) is done only once that
  screen is mounted and has its focus, so the keys behind it go into the dialog. Our
  screens take keys too, for those the app gives a screen while nothing on it has focus.
- A terminal sends Esc and the key typed right behind it, read together, as Alt+key
  (it is how Alt is sent). An Alt+key that nothing binds is therefore Esc, then the key:
  F1 then Esc and `j` closes the help and shows the JSON.
- A burst can end up queued on two widgets: the tree still holds the keys behind Ctrl+N
  when the app, which routes each key as it arrives, already gives the later ones to App
  ID. Each key therefore takes a ticket when it is queued (`KeyOrder`), and one that
  comes up before the keys ahead of it are done is set aside, then handed to the focused
  widget when its turn comes: never handled out of order, never waited for in a queue
  that holds the keys it waits for.

A mixin rather than an app-level queue: Textual's key path (forwarding, bubbling, the
binding chain) stays as it is, and a widget that takes keys opts in by its base class,
which a test checks for every focusable widget the app shows.
"""

from __future__ import annotations

import asyncio
import itertools
import time
import weakref
from typing import TYPE_CHECKING

from textual import events
from textual.widget import AwaitMount, Widget

if TYPE_CHECKING:
    from textual.app import App
    from textual.message import Message
    from textual.screen import Screen

    _Base = Widget
else:
    # A plain mixin at run time: a Widget base ahead of the real widget class would hide
    # that class's component classes and CSS from Textual, which reads them along the MRO.
    _Base = object

# The keys set aside behind a key wait for it as long as the widget holding it is running:
# a loaded machine can keep a widget busy for seconds (a mount, a big answer), and keys
# let past it would be handled out of order (`/zzz` searching for `z`). Checked this often;
# a key whose widget has stopped, or is stuck longer than GIVE_UP_AFTER, is handed on in
# its place instead.
CHECK_EVERY = 0.25
GIVE_UP_AFTER = 10.0


class KeyOrder:
    """The keys of one app queued on FocusedKeys widgets and not yet handled, by ticket:
    the order they were queued in."""

    def __init__(self, app: App[object]) -> None:
        self._app = app
        self._tickets = itertools.count()
        # ticket -> (the key, the widget it is queued on); the key is kept so that its id
        # is not reused while it waits.
        self._pending: dict[int, tuple[events.Key, Widget]] = {}
        self._ticket_of: dict[int, int] = {}
        self._parked: set[int] = set()  # set aside until the keys ahead are done
        self._in_hand: set[int] = set()  # being handled
        self._watched: dict[int, float] = {}  # keys waited for, since when
        # Keys handed on in place of a widget that stopped: never handled twice.
        self._given_up: weakref.WeakSet[events.Key] = weakref.WeakSet()

    @property
    def idle(self) -> bool:
        """No key is waiting to be handled."""
        return not self._pending

    def queued(self, event: events.Key, widget: Widget) -> None:
        ticket = self._ticket_of.get(id(event))
        if ticket is None:
            ticket = next(self._tickets)
            self._ticket_of[id(event)] = ticket
        self._pending[ticket] = (event, widget)

    def given_up(self, event: events.Key) -> bool:
        """Whether `event` was handed on for its widget, which is not to handle it too."""
        return event in self._given_up

    def queued_on(self, event: events.Key, widget: Widget) -> bool:
        ticket = self._ticket_of.get(id(event))
        return ticket is not None and self._pending.get(ticket, (None, None))[1] is widget

    def take(self, event: events.Key) -> bool:
        """True: handle `event` now. False: keys queued before it are not done yet; it
        is set aside and handed on when they are."""
        ticket = self._ticket_of.get(id(event))
        if ticket is None:
            return True  # not one of ours (queued before the widget was attached)
        if any(t < ticket for t in self._pending):
            self._parked.add(ticket)
            self._watch(min(self._pending))
            return False
        self._in_hand.add(ticket)
        return True

    def hand_on(self, event: events.Key, owner: Widget, key: str | None = None) -> None:
        """Give `event` (or, with `key`, that key instead) to `owner`, in its place in
        the order."""
        copy = events.Key(key or event.key, event.character)
        ticket = self._ticket_of.pop(id(event), None)
        if ticket is not None:
            self._in_hand.discard(ticket)
            if isinstance(owner, FocusedKeys):
                self._ticket_of[id(copy)] = ticket
                self._pending[ticket] = (copy, owner)
            else:
                # Not a widget of ours: it takes the key in its own time.
                self._pending.pop(ticket, None)
        # A fresh event, marked as forwarded so the app does not route it again.
        owner._forward_event(copy)
        if ticket is not None and not isinstance(owner, FocusedKeys):
            self._release()

    def done(self, event: events.Key) -> None:
        ticket = self._ticket_of.pop(id(event), None)
        if ticket is not None:
            self._pending.pop(ticket, None)
            self._in_hand.discard(ticket)
        self._release()

    def _release(self) -> None:
        """Hand on the key set aside whose turn it is now."""
        while self._pending:
            head = min(self._pending)
            event, widget = self._pending[head]
            if head in self._parked:
                self._parked.discard(head)
                self.hand_on(event, _owner(self._app))
                return  # hand_on goes on when the owner is not ours
            if head not in self._in_hand and not widget.is_running:
                self._give_up(head)  # its widget stopped with it queued
                return
            return

    def _watch(self, head: int) -> None:
        if head not in self._watched:
            self._watched[head] = time.monotonic()
            asyncio.get_running_loop().call_later(CHECK_EVERY, self._check, head)

    def _check(self, head: int) -> None:
        since = self._watched.pop(head)
        if head not in self._pending or head in self._parked or head in self._in_hand:
            return  # handled, or being handled: `done` goes on from there
        _event, widget = self._pending[head]
        if widget.is_running and time.monotonic() - since < GIVE_UP_AFTER:
            self._watched[head] = since  # busy: it gets to the key in its turn
            asyncio.get_running_loop().call_later(CHECK_EVERY, self._check, head)
            return
        self._give_up(head)

    def _give_up(self, ticket: int) -> None:
        """Hand the key at `ticket` to the focused widget in place of the widget it is
        queued on, which will not get to it; it keeps its place in the order."""
        event, _widget = self._pending[ticket]
        self._given_up.add(event)
        self.hand_on(event, _owner(self._app))


_orders: weakref.WeakKeyDictionary[App[object], KeyOrder] = weakref.WeakKeyDictionary()


def key_order(app: App[object]) -> KeyOrder:
    order = _orders.get(app)
    if order is None:
        order = _orders[app] = KeyOrder(app)
    return order


def _owner(app: App[object]) -> Widget:
    """Whose key it is now: the focused widget, else the screen on top (a dialog with
    nothing to focus, or a screen whose focus is not set yet)."""
    return app.focused if app.focused is not None else app.screen


class FocusedKeys(_Base):
    """Mix in before a Textual widget class: `class Tree(FocusedKeys, Tree)`; or before a
    screen's, for the keys the app gives the screen while nothing on it has focus."""

    def types_text(self, event: events.Key) -> bool:
        """Whether the widget itself takes this key as typed text (an input does)."""
        return False

    def _bubbled_from_inside(self) -> bool:
        """A key that reaches this widget while a widget inside it has focus is bubbling
        up from that widget, which had its turn: handing it back would loop forever."""
        focused = self.app.focused if self.is_attached else None
        return focused is not None and focused is not self and self in focused.ancestors

    def post_message(self, message: Message) -> bool:
        posted = super().post_message(message)
        key = isinstance(message, events.Key) and self.is_attached
        if posted and key and not self._bubbled_from_inside():
            key_order(self.app).queued(message, self)  # type: ignore[arg-type]
        return posted

    async def _on_key(self, event: events.Key) -> None:
        order = key_order(self.app)
        if order.given_up(event):
            event.stop()
            event.prevent_default()
            return
        if not order.queued_on(event, self) and self._bubbled_from_inside():
            return
        if not order.take(event):
            event.stop()
            event.prevent_default()
            return
        try:
            await self._handle(event, order)
        finally:
            order.done(event)

    async def _handle(self, event: events.Key, order: KeyOrder) -> None:
        owner = _owner(self.app)
        if owner is not self:
            event.stop()
            event.prevent_default()
            order.hand_on(event, owner)
            return
        screen = self.app.screen
        active = screen.active_bindings.get(event.key)
        if active is None and event.key.startswith("alt+"):
            event.stop()
            event.prevent_default()
            await _escape(self.app)
            order.hand_on(event, _owner(self.app), key=_without_alt(event))
            return
        if self.types_text(event):
            return
        # Priority bindings already ran when the key arrived.
        if active is not None and active.enabled and not active.binding.priority:
            # Run the binding now, not when the key has bubbled up to the app: the keys
            # queued behind it must see its effect (a focus move, a tab change, a search).
            event.stop()
            event.prevent_default()
            await self.app.run_action(active.binding.action, active.node)
            await _ready(self.app, screen)


async def _escape(app: App[object]) -> None:
    """Esc, as the widget focused now takes it: its binding, wherever it is bound (one
    with priority too: it never saw this key)."""
    screen = app.screen
    escape = screen.active_bindings.get("escape")
    if escape is not None and escape.enabled:
        await app.run_action(escape.binding.action, escape.node)
        await _ready(app, screen)


def _without_alt(event: events.Key) -> str:
    """The key behind the Esc: `alt+j` is j, `alt+shift+q` is Q, `alt+ctrl+n` is Ctrl+N."""
    key = event.key.removeprefix("alt+")
    character = event.character or ""
    if key.startswith("shift+") and len(character) == 1 and character.isupper():
        return character
    return key


async def _ready(app: App[object], before: Screen[object]) -> None:
    """A key that opened a screen is done once the screen is mounted: it has its focus
    then (Textual focuses a screen's first widget as it composes it)."""
    screen = app.screen
    if screen is not before and not screen.is_mounted:
        await AwaitMount(screen, [screen])


def focus_now(widget: Widget) -> None:
    """Move focus at once (`Widget.focus()` waits for the next turn of the loop), so the
    keys queued behind the key that asked for it already go to `widget`."""
    widget.screen.set_focus(widget)
