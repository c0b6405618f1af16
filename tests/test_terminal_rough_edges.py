"""The rough edges a new user met, in a real terminal (tmux) at 80x24: what the screen
shows after the keys a person presses."""

from __future__ import annotations

import time
from pathlib import Path

from tests.terminal import SNAPTUI, Terminal, terminal

DEMO = [*SNAPTUI, "demo"]


def clean_env(tmp_path: Path) -> dict[str, str]:
    return {"SNAPTUI_CONFIG_DIR": str(tmp_path / "config"), "TZ": "UTC"}


def open_by_keys(term: Terminal, task: str) -> None:
    term.keys("C-n")
    term.type("demo")
    term.keys("Tab")
    term.type("room-1")
    term.keys("Tab")
    term.type(task)
    term.keys("Enter")


def test_recent_queries_show_under_the_form_at_80x24(tmp_path: Path) -> None:
    with terminal(DEMO, tmp_path, env=clean_env(tmp_path)) as term:
        term.wait_for("App ID")
        open_by_keys(term, "task-ended")
        term.wait_for("task-ended · Ended")
        open_by_keys(term, "task-failed")
        term.wait_for("task-failed · Failed")
        term.keys("C-n")
        expected = ["demo / room-1 / task-failed", "demo / room-1 / task-ended"]
        deadline = time.monotonic() + 10
        while True:
            screen = term.screen()
            # The entries themselves, at the left (a toast on the right names tasks too).
            rows = [r[:38].strip() for r in screen.splitlines() if r.startswith("  demo / ")]
            if rows[:2] == expected or time.monotonic() > deadline:
                break
            time.sleep(0.1)
        assert rows[:2] == expected, screen


def test_help_right_after_a_toast_is_not_covered(tmp_path: Path) -> None:
    with terminal(
        [*DEMO, "demo", "room-1", "task-ended"], tmp_path, env=clean_env(tmp_path)
    ) as term:
        term.wait_for("Status: Ended (3)")
        term.keys("c", "F1")
        screen = term.wait_for("snaptui help")
        time.sleep(0.5)
        screen = term.screen()
        assert "Copied" not in screen and "IdleTimeOut after" not in screen, screen
        # The dialog's right border is whole on every row: nothing drawn over it.
        top = next(i for i, row in enumerate(screen.splitlines()) if "snaptui help" in row)
        rows = screen.splitlines()[top + 1 : top + 19]
        assert all(row.rstrip().endswith("│") or "│" in row[60:] for row in rows), screen
        term.keys("Escape")
        term.wait_for("Copied the value")


def test_the_tab_of_an_unknown_task_is_marked(tmp_path: Path) -> None:
    with terminal(
        [*DEMO, "demo", "room-1", "task-ended"], tmp_path, env=clean_env(tmp_path)
    ) as term:
        term.wait_for("task-ended · Ended")
        open_by_keys(term, "task-nope")
        screen = term.wait_for("ErrorActiveTaskNotFound")
        assert "task-nope · ✗ Error" in term.wait_for("task-nope · ✗"), screen


def test_the_status_line_says_it_is_backing_off(tmp_path: Path) -> None:
    with terminal(
        [*DEMO, "demo", "room-1", "task-nope"], tmp_path, env=clean_env(tmp_path)
    ) as term:
        screen = term.wait_for("failed 1× · retrying in ")
        assert "every 2 s" not in screen
        term.wait_for("failed 2× · retrying in ", timeout=15)


def test_help_names_both_keys_of_a_pair(tmp_path: Path) -> None:
    with terminal(
        [*DEMO, "demo", "room-1", "task-ended"], tmp_path, env=clean_env(tmp_path)
    ) as term:
        term.wait_for("Status: Ended (3)")
        term.keys("F1")
        screen = term.wait_for("snaptui help")
        rows = [" ".join(row.split()) for row in screen.splitlines()]
        assert any("│ h ← Fold this branch" in row for row in rows), screen
        assert any("│ g home The first line" in row for row in rows), screen


def test_the_palette_names_the_key_of_textual_s_own_entries(tmp_path: Path) -> None:
    with terminal(
        [*DEMO, "demo", "room-1", "task-ended"], tmp_path, env=clean_env(tmp_path)
    ) as term:
        term.wait_for("Status: Ended (3)")
        term.keys("C-p")
        term.wait_for("Search for commands")
        term.type("quit")
        screen = term.wait_for("Quit the application")
        assert "Quit  (^q)" in screen, screen
        term.keys("BSpace", "BSpace", "BSpace", "BSpace")
        term.type("theme")
        screen = term.wait_for("Change the current theme")
        # No key is bound to it: plain, as before.
        assert "Theme  (" not in screen and "Theme" in screen, screen
