"""Keys typed ahead in one write, in a real terminal (tmux), go where the user meant."""

from __future__ import annotations

import time
from pathlib import Path

from tests.terminal import SNAPTUI, terminal

ENDED = [*SNAPTUI, "demo", "demo", "room-1", "task-ended"]


def test_a_search_typed_in_one_write_searches_and_does_not_quit(tmp_path: Path) -> None:
    with terminal(ENDED, tmp_path, cwd=tmp_path) as t:
        t.wait_for("IdleTimeOut")
        time.sleep(1)  # the tree has focus once the first answer is painted
        t.burst("/quota", "Enter")
        t.wait_for("No match for 'quota'")  # the app is running: it says so


def test_ids_typed_behind_ctrl_n_open_the_new_task(tmp_path: Path) -> None:
    with terminal(ENDED, tmp_path, cwd=tmp_path) as t:
        t.wait_for("IdleTimeOut")
        time.sleep(1)
        t.burst("C-n", "demo", "Tab", "room-1", "Tab", "task-failed", "Enter")
        t.wait_for("StartTaskFailed")


def test_g_behind_j_goes_to_the_top_of_the_json(tmp_path: Path) -> None:
    with terminal(ENDED, tmp_path, cwd=tmp_path) as t:
        t.wait_for("IdleTimeOut")
        time.sleep(1)
        t.keys("j", "G", "j")  # the JSON's cursor on its last line, then the tree again
        t.burst("j", "g")
        t.wait_for('"ResponseMetadata": {')
