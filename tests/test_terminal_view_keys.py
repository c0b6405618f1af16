"""The task view's last rough edges in a real terminal (tmux) at 80x24: a dialog is never
drawn over by a toast, and a search typed while the task loads lands once it has."""

from __future__ import annotations

import time
from pathlib import Path

from tests.terminal import SNAPTUI, terminal

DEMO = [*SNAPTUI, "demo", "demo", "room-1"]


def clean_env(tmp_path: Path) -> dict[str, str]:
    return {"SNAPTUI_CONFIG_DIR": str(tmp_path / "config"), "TZ": "UTC"}


def dialog_rows(screen: str, first_line: str, last_line: str) -> list[str]:
    """The rows of the dialog whose text starts with `first_line`, borders included."""
    rows = screen.splitlines()
    top = next(i for i, row in enumerate(rows) if first_line in row) - 1
    bottom = next(i for i, row in enumerate(rows) if last_line in row) + 1
    return rows[top : bottom + 1]


def test_toasts_do_not_draw_over_the_export_dialog(tmp_path: Path) -> None:
    with terminal([*DEMO, "task-ended"], tmp_path, env=clean_env(tmp_path)) as term:
        # Three toasts on screen: the demo's note, the task's end, and the copy.
        term.wait_for("Status: Ended (3)")
        term.keys("c")
        term.wait_for("Copied the value")
        term.keys("e")
        term.wait_for("Enter to save · Esc to cancel")
        time.sleep(0.5)
        screen = term.screen()
        rows = dialog_rows(screen, "Export the JSON answer", "Enter to save · Esc to cancel")
        # Whole: its right border at one column on every row, nothing drawn across it.
        right = rows[0].rstrip().rfind("╮")
        assert right > 0 and rows[-1].rstrip().rfind("╯") == right, screen
        assert all(row[right : right + 1] == "│" for row in rows[1:-1]), screen
        # Closed, the toasts that are still due show again.
        term.keys("Escape")
        term.wait_for("Copied the value")


def test_c_on_a_branch_puts_its_json_on_the_clipboard(tmp_path: Path) -> None:
    import json

    with terminal([*DEMO, "task-ended"], tmp_path, env=clean_env(tmp_path)) as term:
        term.wait_for("Status: Ended (3)")
        term.type("/ImageConfig")
        term.keys("Enter")
        term.wait_for("matches for 'ImageConfig'")
        term.keys("c")
        term.wait_for("Copied ImageConfig (JSON)")
        deadline = time.monotonic() + 5
        while not term.clipboard() and time.monotonic() < deadline:
            time.sleep(0.1)
        copied = term.clipboard()[0]
        assert json.loads(copied) == {"Format": 0, "Width": 800, "Height": 800, "Interval": 2}
        assert copied.startswith('{\n  "Format": 0,')  # pretty, as C copies the whole
