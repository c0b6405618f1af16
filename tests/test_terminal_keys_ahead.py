"""Keys typed ahead in one write, in a real terminal (tmux), go where the user meant."""

from __future__ import annotations

import json
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


MANY = [*SNAPTUI, "demo", "demo", "room-1", "task-many"]
# Keys as a terminal sends them, for bursts that hold them with text.
F1, F2, CTRL_P = "\x1bOP", "\x1bOQ", "\x10"


def test_a_name_typed_right_after_e_is_the_file_saved(tmp_path: Path) -> None:
    with terminal(ENDED, tmp_path, cwd=tmp_path) as t:
        t.wait_for("IdleTimeOut")
        time.sleep(1)
        t.burst("e", "out.json", "Enter")
        t.wait_for("Saved")
        saved = json.loads((tmp_path / "out.json").read_text())
        assert saved["Result"]["SnapshotTask"]["StopReason"] == "IdleTimeOut"


def test_export_asks_before_replacing_a_file_and_says_it_did(tmp_path: Path) -> None:
    kept = tmp_path / "kept.json"
    kept.write_text("mine\n")
    with terminal(ENDED, tmp_path, cwd=tmp_path) as t:
        t.wait_for("IdleTimeOut")
        time.sleep(1)
        t.burst("e", "kept.json", "Enter")
        t.wait_for("kept.json exists")
        assert kept.read_text() == "mine\n"
        t.keys("y")
        t.wait_for("Replaced")
        assert json.loads(kept.read_text())["Result"]["SnapshotTask"]["Status"] == 3


def test_keys_behind_f2_go_into_the_access_key_field(tmp_path: Path) -> None:
    with terminal(ENDED, tmp_path, cwd=tmp_path) as t:
        t.wait_for("IdleTimeOut")
        time.sleep(1)
        t.burst(F2, "AKLTahead")
        screen = t.wait_for("AKLTahead")
        assert "Credentials" in screen


def test_keys_behind_ctrl_p_are_the_palettes_search(tmp_path: Path) -> None:
    with terminal(ENDED, tmp_path, cwd=tmp_path) as t:
        t.wait_for("IdleTimeOut")
        time.sleep(1)
        t.burst(CTRL_P, "language")
        t.wait_for("Language / 语言")


def test_keys_behind_f1_go_to_the_help_then_back_to_the_tree(tmp_path: Path) -> None:
    with terminal(ENDED, tmp_path, cwd=tmp_path) as t:
        t.wait_for("IdleTimeOut")
        time.sleep(1)
        t.burst(F1, "q", "j")  # q closes the help (never quits), j shows the JSON
        t.wait_for('"ResponseMetadata": {')


def test_n_behind_enter_in_the_search_goes_to_the_next_matches(tmp_path: Path) -> None:
    with terminal(MANY, tmp_path, cwd=tmp_path) as t:
        t.wait_for("10,000")
        time.sleep(1)
        t.burst("/viewer-0424", "Enter", "n", "n")
        t.wait_for("3 of 10 matches for 'viewer-0424'")


def test_n_behind_esc_in_the_search_goes_to_the_next_match(tmp_path: Path) -> None:
    with terminal(MANY, tmp_path, cwd=tmp_path) as t:
        t.wait_for("10,000")
        time.sleep(1)
        t.burst("/viewer-0424", "Enter")
        t.wait_for("1 of 10 matches")
        t.burst("/zzz", "Escape", "n")
        t.wait_for("2 of 10 matches for 'viewer-0424'")


def test_a_search_typed_behind_the_ids_searches_the_task_they_open(tmp_path: Path) -> None:
    """README's promise: ids, Enter, then `/` and a search, typed blind in one write."""
    with terminal([*SNAPTUI, "demo"], tmp_path, cwd=tmp_path) as t:
        t.wait_for("App ID")
        t.burst("demo", "Tab", "room-1", "Tab", "task-ended", "Enter", "/zzz", "Enter")
        # The task opened, and the search went to it (it says so), not into Task ID.
        screen = t.wait_for("No match for 'zzz'")
        assert "task-ended · " in screen and "StopReason: IdleTimeOut" in screen
        # And again from an open task: Ctrl+N, the ids of another, Enter, a search.
        t.burst("C-n", "demo", "Tab", "room-1", "Tab", "task-tos", "Enter", "/yyy", "Enter")
        screen = t.wait_for("No match for 'yyy'")
        assert "task-tos · " in screen


def test_ids_typed_behind_ctrl_w_open_the_next_task(tmp_path: Path) -> None:
    """Ctrl+W on the last task, then Ctrl+N and the ids of another, in one write."""
    with terminal(ENDED, tmp_path, cwd=tmp_path) as t:
        t.wait_for("IdleTimeOut")
        time.sleep(1)
        t.burst("C-w", "C-n", "demo", "Tab", "room-1", "Tab", "task-failed", "Enter")
        screen = t.wait_for("StartTaskFailed")
        assert "task-ended" not in screen.splitlines()[1]  # its tab is closed
