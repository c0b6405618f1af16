"""Plain-text and JSON renderings of a task, for scripts and terminals without the TUI.

Imports nothing heavy: the one-shot path stays fast.
"""

from __future__ import annotations

import json
import os
import re
from typing import Any

from snaptui.present import ACTIVE, FAILED, MUTED, OK, RUNNING, UNKNOWN, WAITING, Node

REDACTED = "<redacted>"
# Keys whose values are credentials of some store; never shown, whoever sends them.
SECRET_KEYS = frozenset(
    {"accesskey", "secretkey", "accesskeyid", "secretaccesskey", "sessiontoken", "securitytoken"}
)
_JSON_UNSAFE = re.compile(
    "[\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)


def redact(data: Any) -> Any:
    """A copy of decoded JSON with every secret-named field's value replaced."""
    if isinstance(data, dict):
        return {
            k: (REDACTED if k.lower() in SECRET_KEYS and v is not None else redact(v))
            for k, v in data.items()
        }
    if isinstance(data, list):
        return [redact(v) for v in data]
    return data


def dump_json(data: Any, *, indent: int | None = 2) -> str:
    """Redacted, pretty JSON that is safe on a terminal: controls, C1 and bidi are escaped."""
    text = json.dumps(redact(data), ensure_ascii=False, indent=indent)
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


_TONE_COLOURS = {
    OK: "32",
    RUNNING: "36",
    WAITING: "33",
    FAILED: "31;1",
    UNKNOWN: "35",
    MUTED: "2",
    ACTIVE: "32",
}


def colour_enabled(stream: Any) -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org)."""
    if os.environ.get("NO_COLOR"):
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty()) and os.environ.get("TERM") != "dumb"


def render_tree(root: Node, *, colour: bool = False) -> str:
    """Box-drawn tree. Folded nodes (long lists, unused storage) show their line only."""
    lines = [_paint(root.text(), root.tone, colour)]

    def walk(node: Node, prefix: str) -> None:
        if not node.expanded and node is not root:
            return
        for i, child in enumerate(node.children):
            last = i == len(node.children) - 1
            lines.append(
                prefix + ("└─ " if last else "├─ ") + _paint(child.text(), child.tone, colour)
            )
            walk(child, prefix + ("   " if last else "│  "))

    walk(root, "")
    return "\n".join(lines)


def _paint(text: str, tone: str, colour: bool) -> str:
    code = _TONE_COLOURS.get(tone)
    if not colour or not code:
        return text
    return f"\x1b[{code}m{text}\x1b[0m"
