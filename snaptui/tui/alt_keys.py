"""Esc and a control key read together are Alt+that key, as they are for a letter.

A terminal sends Alt+key as Esc then the key, so a burst of Esc and Ctrl+N over a laggy
link reads the same as Alt+Ctrl+N. Textual keeps the Alt for a letter (`alt+j`) but drops
it for a control key, and with it the Esc: F1, then Esc and Ctrl+N typed ahead left the
help open. Kept, the Alt lets every widget of ours take an Alt+key that nothing binds as
Esc, then the key (see widgets/focused_keys.py).
"""

from __future__ import annotations

from collections.abc import Iterable

from textual import events
from textual._xterm_parser import XTermParser
from textual.keys import _character_to_key

# Esc and a key that Textual's table reads as another key: Alt+Backspace as Ctrl+W, iTerm's
# Alt+B/F as Ctrl+←/→, WezTerm's Option+digits as symbols, the Linux console's Esc+Tab as
# Shift+Tab. Here Ctrl+W closes a task and Ctrl+←/→ switch tabs: an Esc typed just before
# Backspace or b must not do that. Read as Alt+the key, as for any other letter.
_AS_ALT = {
    "\x1b\x7f": ("backspace", None),
    "\x1b\x08": ("backspace", None),
    "\x1b\t": ("tab", "\t"),
    **{f"\x1b{c}": (_character_to_key(c), c) for c in "bf§1234567890-="},
}


class AltKeepingParser(XTermParser):
    def _sequence_to_key_events(self, sequence: str, alt: bool = False) -> Iterable[events.Key]:
        if sequence in _AS_ALT:
            key, character = _AS_ALT[sequence]
            return [events.Key(f"alt+{key}", character)]
        keys = super()._sequence_to_key_events(sequence, alt)
        if not alt:
            return keys
        return [
            events.Key(f"alt+{e.key}", e.character)
            if not e.key.startswith("alt+") and e.key != "escape"
            else e
            for e in keys
        ]


def keep_alt(driver: type[object]) -> None:
    """Have `driver` read keys with AltKeepingParser: it makes its parser when its input
    thread starts, by the name its module imported (a driver that parses no bytes, as
    in tests, is left as it is)."""
    import sys

    module = sys.modules[driver.__module__]
    if getattr(module, "XTermParser", None) is XTermParser:
        module.XTermParser = AltKeepingParser  # type: ignore[attr-defined]
