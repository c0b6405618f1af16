"""Telling the person at the terminal that a watched task ended, even in another window.

The bell, then a desktop notification in both escapes terminals use for it: OSC 9
(iTerm2, Windows Terminal, WezTerm, ConEmu, kitty) and OSC 777 (VTE terminals such as
GNOME Terminal, foot, urxvt, Ghostty). A terminal that knows neither ignores an OSC
string, so both are sent.

When: `notify` in settings.json or $SNAPTUI_NOTIFY, one of "failure" (the default: a
failed task needs a person), "end" (also a normal end), "off".
"""

from __future__ import annotations

import os
import re

from snaptui.settings import SettingsFileError, read_json, settings_path

CHOICES = ("failure", "end", "off")
DEFAULT = "failure"
# Nothing from the server may end the escape early or start another one.
_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f;]")


def choice() -> str:
    """The configured choice; anything unknown reads as the default, and so does a
    settings.json that cannot be read (the app refuses one at start on a profile; this
    one broke since, or it is the demo, and a task's end is no moment to stop)."""
    wanted: object = os.environ.get("SNAPTUI_NOTIFY")
    if wanted is None:
        try:
            wanted = read_json(settings_path()).get("notify")
        except SettingsFileError:
            wanted = None
    return wanted if isinstance(wanted, str) and wanted in CHOICES else DEFAULT


def wanted(failed: bool, setting: str) -> bool:
    return setting == "end" or (setting == "failure" and failed)


def escapes(title: str, body: str) -> str:
    """Bell, OSC 9 and OSC 777 for one notification."""
    # Short: a server's StopReason of kilobytes would fill the desktop's notification.
    title, body = _UNSAFE.sub(" ", _short(title, 80)), _UNSAFE.sub(" ", _short(body, 200))
    return f"\a\x1b]9;{title}: {body}\x1b\\\x1b]777;notify;{title};{body}\x1b\\"


def _short(text: str, most: int) -> str:
    return text if len(text) <= most else text[: most - 1] + "…"
