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


class AltKeepingParser(XTermParser):
    def _sequence_to_key_events(self, sequence: str, alt: bool = False) -> Iterable[events.Key]:
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
