"""Keys that went astray, in a real terminal (tmux): the bytes a terminal sends in one
write when keys are typed ahead over a laggy link."""

from __future__ import annotations

import os
import time
from pathlib import Path

from snaptui.settings import add_recent
from tests.terminal import SNAPTUI, terminal

ENDED = [*SNAPTUI, "demo", "demo", "room-1", "task-ended"]
F1, F2, PAGE_DOWN = "\x1bOP", "\x1bOQ", "\x1b[6~"
CTRL_P, CTRL_U = "\x10", "\x15"


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
        t.wait_until_gone("snaptui help")
        t.wait_for('"ResponseMetadata": {')


def test_ctrl_u_and_text_in_one_write_in_the_palette_keep_the_text(tmp_path: Path) -> None:
    with terminal(ENDED, tmp_path, cwd=tmp_path) as t:
        t.wait_for("IdleTimeOut")
        time.sleep(1)
        t.burst(CTRL_P)
        t.wait_for("Search for commands")
        t.type("copy")
        t.wait_for("Copy RequestId")
        t.burst(CTRL_U, "keys")
        t.wait_for("No matches found")
        assert "🔎 keys" in t.screen()
        t.keys("Enter", pause=0.7)
        t.keys("Escape")
        screen = t.wait_until_gone("No matches found")
        assert "task-ended · Ended" in screen  # its tab is still open


def test_keys_typed_past_the_token_on_f2_land_in_the_profile(tmp_path: Path) -> None:
    with terminal(ENDED, tmp_path, cwd=tmp_path) as t:
        t.wait_for("IdleTimeOut")
        time.sleep(1)
        t.burst(F2)
        t.wait_for("Keys in use")
        t.burst("Tab", "Tab", "Tab", "-xq")  # past the Token: q must not quit
        screen = t.wait_for("demo-xq")
        assert "Profile   demo-xq" in screen


def test_up_and_down_between_task_id_and_the_recent_queries(tmp_path: Path) -> None:
    add_recent(("demo", "room-1", "task-failed"), "demo")
    add_recent(("demo", "room-1", "task-ended"), "demo")  # the first row
    with terminal([*SNAPTUI, "demo"], tmp_path, cwd=tmp_path) as t:
        t.wait_for("Recent queries (↑↓ Enter)")
        t.burst("Down", "Down", "Up", "Up", "typed")  # ↑ on the first row: Task ID
        t.wait_for("Task ID   typed")
        t.burst("Down", "Enter")  # the first row, highlighted as ↓ got there
        t.wait_for("IdleTimeOut")


def test_export_refuses_a_fifo_at_once_and_its_question_says_what_esc_does(
    tmp_path: Path,
) -> None:
    os.mkfifo(tmp_path / "pipe")
    (tmp_path / "kept.json").write_text("mine\n")
    with terminal(ENDED, tmp_path, cwd=tmp_path) as t:
        t.wait_for("IdleTimeOut")
        time.sleep(1)
        t.burst("e", "pipe", "Enter")
        screen = t.wait_for("not a regular file")
        assert "exists" not in screen
        t.wait_until_gone("built-in simulator", timeout=20)  # its note covers the dialog
        t.burst(CTRL_U, "kept.json", "Enter")
        screen = t.wait_for("kept.json exists")
        assert "n or Esc: change" in screen and "Esc to cancel" not in screen
        t.burst("Escape")
        t.wait_for("Esc to cancel")
        t.burst("Escape")
        t.wait_until_gone("Export the JSON")
        assert (tmp_path / "kept.json").read_text() == "mine\n"
