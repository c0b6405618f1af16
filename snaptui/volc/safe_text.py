"""Outside text made safe for a terminal: no control character gets through.

`clean` is the one function that does it; what it returns is typed `SafeText`, so a
printer or widget that takes `SafeText` cannot be handed a raw server string by mistake
(mypy says so).
"""

from __future__ import annotations

import re
from typing import NewType

SafeText = NewType("SafeText", str)

# C0 and C1 controls, DEL, lone surrogates, and the bidi controls that can reorder a line.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def clean(text: str, keep_newlines: bool = False) -> SafeText:
    """Every control character shown as a visible escape (ESC -> \\u001b); with
    `keep_newlines`, line breaks of a multi-line text of our own stay line breaks.
    Cleaning clean text changes nothing."""

    def escape(match: re.Match[str]) -> str:
        char = match.group()
        return char if keep_newlines and char == "\n" else f"\\u{ord(char):04x}"

    return SafeText(_UNSAFE.sub(escape, text))


def clean_optional(text: str | None) -> SafeText | None:
    return None if text is None else clean(text)
