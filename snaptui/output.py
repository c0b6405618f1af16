"""Plain-text and JSON renderings of a task, for scripts and terminals without the TUI.

Imports nothing heavy: the one-shot path stays fast. The data is made safe first, then
painted: our own colours are real escapes, anything from outside never is.
"""

from __future__ import annotations

import json
import os
import re
from functools import cache

from snaptui.volc.safe_text import UNSAFE_CHARS, SafeText, clean
from snaptui.volc.scrub import REDACTED, SECRET_FIELDS, RawNumber, redact_fields

# typing.TYPE_CHECKING's value, without importing typing: a fresh process saves ~3 ms.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from snaptui.present import Node

__all__ = ["REDACTED", "SECRET_FIELDS", "colour_enabled", "dump_json", "redact", "render_tree"]


@cache
def _json_unsafe() -> re.Pattern[str]:
    # The characters clean() escapes (json.dumps has escaped C0 already).
    return re.compile(UNSAFE_CHARS)


def _json_escape(match: re.Match[str]) -> str:
    """A \\u escape JSON reads back as the same character (a surrogate pair above U+FFFF)."""
    char = match.group()
    if char == "\n":  # the layout's: json.dumps has escaped those inside strings
        return char
    code = ord(char)
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    code -= 0x10000
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def redact(data: Any) -> Any:
    """A copy of decoded JSON with every secret-named field's value replaced."""
    return redact_fields(data)


def dump_json(data: Any, *, indent: int | None = 2) -> SafeText:
    """Redacted, pretty JSON that is safe on a terminal: controls, C1 and bidi are escaped,
    and a number too big for a float is printed as it was written. Data nested deeper than
    an answer can be is refused with MalformedResponseError, never a RecursionError."""
    raw: list[str] = []
    marker = f"\x00{os.urandom(8).hex()}:"

    def keep_raw(value: Any) -> Any:
        if isinstance(value, RawNumber):
            raw.append(value.text)
            return f"{marker}{len(raw) - 1}"
        if isinstance(value, dict):
            return {k: keep_raw(v) for k, v in value.items()}
        if isinstance(value, list):
            return [keep_raw(v) for v in value]
        return value

    safe = redact_fields(data)  # also checks the depth, so the walks below are bounded
    text = json.dumps(keep_raw(safe) if _has_raw(safe) else safe, ensure_ascii=False, indent=indent)
    if raw:
        quoted = json.dumps(marker)[:-1]
        text = re.sub(re.escape(quoted) + r'(\d+)"', lambda m: raw[int(m.group(1))], text)
    if text.isascii() and "\x7f" not in text:
        return SafeText(text)
    return SafeText(_json_unsafe().sub(_json_escape, text))


def _has_raw(data: Any) -> bool:
    if isinstance(data, RawNumber):
        return True
    if isinstance(data, dict):
        return any(_has_raw(v) for v in data.values())
    if isinstance(data, list):
        return any(_has_raw(v) for v in data)
    return False


# By tone (present.py's OK, RUNNING, ...): spelled out so that JSON output need not
# import present.py and what it imports.
_TONE_COLOURS = {
    "ok": "32",
    "running": "36",
    "waiting": "33",
    "failed": "31;1",
    "unknown": "35",
    "muted": "2",
    "active": "32",
}


def colour_enabled(stream: Any) -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org)."""
    if os.environ.get("NO_COLOR"):
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty()) and os.environ.get("TERM") != "dumb"


def render_tree(root: Node, *, colour: bool = False) -> str:
    """Box-drawn tree of every node, folded or not: this is for grep and less; only the app
    folds. Each line's text is cleaned before it is painted."""
    lines = [_paint(clean(root.text()), root.tone, colour)]
    _walk(root, "", lines, colour)
    return "\n".join(lines)


def _walk(node: Node, prefix: str, lines: list[str], colour: bool) -> None:
    for i, child in enumerate(node.children):
        last = i == len(node.children) - 1
        text = _paint(clean(child.text()), child.tone, colour)
        lines.append(prefix + ("└─ " if last else "├─ ") + text)
        _walk(child, prefix + ("   " if last else "│  "), lines, colour)


def _paint(text: SafeText, tone: str, colour: bool) -> str:
    code = _TONE_COLOURS.get(tone)
    if not colour or not code:
        return text
    return f"\x1b[{code}m{text}\x1b[0m"
