"""Keys as a laggy link delivers them: several at once, before the app handles any."""

from __future__ import annotations

import unicodedata

from textual import events
from textual.app import App
from textual.keys import _character_to_key, _get_unicode_name_from_key
from textual.pilot import Pilot

from snaptui.tui.widgets.focused_keys import key_order


def _event(key: str) -> events.Key:
    if len(key) == 1:
        return events.Key(_character_to_key(key) if not key.isalnum() else key, key)
    try:
        char: str | None = unicodedata.lookup(_get_unicode_name_from_key(key))
    except KeyError:
        char = key if len(key) == 1 else None
    return events.Key(key, char)


def burst(app: App[object], *parts: str) -> None:
    """Queue every key at once, as the terminal driver would for one read: text parts
    are typed character by character, parts like "tab" or "enter" are one key."""
    names = {"tab", "enter", "escape", "backspace", "shift+tab", "end", "home"}
    names |= {f"f{n}" for n in range(1, 13)}
    for part in parts:
        for key in [part] if part in names or ("+" in part and len(part) > 1) else list(part):
            event = _event(key)
            event.set_sender(app)
            app.post_message(event)


async def handled(pilot: Pilot[object]) -> None:
    """Wait until every key of the bursts sent has been handled (each is handed from the
    widget it was queued on to the focused one, a few turns of the loop apiece)."""
    quiet = 0
    for _ in range(500):
        await pilot.pause(0.01)
        quiet = quiet + 1 if key_order(pilot.app).idle else 0
        if quiet >= 3:
            return
    raise AssertionError("keys typed ahead were never all handled")
