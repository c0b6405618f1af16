"""Keys as a laggy link delivers them: several at once, before the app handles any."""

from __future__ import annotations

import unicodedata

from textual import events
from textual.app import App
from textual.keys import _character_to_key, _get_unicode_name_from_key


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
    names = {"tab", "enter", "escape", "backspace", "shift+tab"}
    for part in parts:
        for key in [part] if part in names or ("+" in part and len(part) > 1) else list(part):
            event = _event(key)
            event.set_sender(app)
            app.post_message(event)
