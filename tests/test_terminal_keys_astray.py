"""Keys that went astray, in a real terminal (tmux): the bytes a terminal sends in one
write when keys are typed ahead over a laggy link."""

from __future__ import annotations

import time
from pathlib import Path

from tests.terminal import SNAPTUI, terminal

ENDED = [*SNAPTUI, "demo", "demo", "room-1", "task-ended"]
F1, PAGE_DOWN = "\x1bOP", "\x1b[6~"


def test_esc_and_ctrl_n_read_together_close_the_help(tmp_path: Path) -> None:
    with terminal(ENDED, tmp_path, cwd=tmp_path) as t:
        t.wait_for("IdleTimeOut")
        time.sleep(1)
        t.burst(F1)
        t.wait_for("snaptui help")
        t.burst("Escape", "C-n", "typed-ahead")  # one read: Alt+Ctrl+N to the terminal
        t.wait_until_gone("snaptui help")
        t.wait_for("typed-ahead")
        assert "App ID" in t.screen()


def test_esc_and_j_behind_f1_and_page_down_show_the_json(tmp_path: Path) -> None:
    with terminal(ENDED, tmp_path, cwd=tmp_path) as t:
        t.wait_for("IdleTimeOut")
        time.sleep(1)
        t.burst(F1, PAGE_DOWN, "Escape", "j")
        screen = t.wait_for('"ResponseMetadata": {')
        assert "snaptui help" not in screen
