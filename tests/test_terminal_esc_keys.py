"""Esc typed right before a key that Textual's key table reads as another key: the bytes
a terminal sends in one read, Esc then that key, never a tab closed or switched."""

from __future__ import annotations

import time
from pathlib import Path

from tests.terminal import SNAPTUI, terminal

ENDED = [*SNAPTUI, "demo", "demo", "room-1", "task-ended"]


def test_esc_then_backspace_does_not_close_the_task(tmp_path: Path) -> None:
    with terminal(ENDED, tmp_path, cwd=tmp_path) as t:
        t.wait_for("IdleTimeOut")
        time.sleep(1)
        t.burst("\x1b\x7f", "\x1bb", "\x1bf", "j")  # read as Ctrl+W, Ctrl+←, Ctrl+→ before
        screen = t.wait_for('"ResponseMetadata": {')  # the j: still on the task, its JSON
        assert "task-ended" in screen.splitlines()[1]


def test_alt_b_and_alt_backspace_in_a_field_edit_words(tmp_path: Path) -> None:
    with terminal([*SNAPTUI, "demo"], tmp_path, cwd=tmp_path) as t:
        t.wait_for("App ID")
        t.burst("one two", "\x1bb", "X", "\x1b\x7f", "1")  # Alt+B, then Alt+Backspace
        screen = t.wait_for("one 1two")
        assert "¡" not in screen
