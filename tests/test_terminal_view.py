"""The task view in a real terminal (tmux), as a person uses it: `snaptui demo`, keys,
then what the screen, the clipboard and the bytes written show."""

from __future__ import annotations

import re
import time
from pathlib import Path

from tests.terminal import SNAPTUI, Terminal, terminal

DEMO = [*SNAPTUI, "demo", "demo", "room-1"]


def clean_env(tmp_path: Path) -> dict[str, str]:
    return {"SNAPTUI_CONFIG_DIR": str(tmp_path / "config"), "TZ": "UTC"}


def first_json_line(term: Terminal) -> str:
    """The first JSON line on screen with a key or a value (below the header rows)."""
    rows = term.screen().splitlines()[5:-1]
    body = [r for r in rows if '"' in r]
    return body[0] if body else ""


def test_json_scroll_is_held_across_refreshes(tmp_path: Path) -> None:
    with terminal([*DEMO, "task-live"], tmp_path, env=clean_env(tmp_path)) as term:
        term.wait_for("Not started")
        term.keys("j")
        term.wait_for('"ResponseMetadata"')
        term.keys("PageDown", "Down", "Down")
        term.wait_until_gone('"ResponseMetadata"')
        time.sleep(0.5)  # the two Downs are handled too, on a busy machine
        top = first_json_line(term)
        term.wait_for(" Running ", timeout=10)  # the answer changed under the JSON view
        time.sleep(2.5)  # and another refresh came
        assert first_json_line(term) == top
        term.keys("g")
        assert '"ResponseMetadata"' in term.wait_for('"Status": 2')


def test_search_among_10000_streams(tmp_path: Path) -> None:
    with terminal([*DEMO, "task-many"], tmp_path, env=clean_env(tmp_path)) as term:
        term.wait_for("10,000 streams")
        term.keys("/")
        term.type("viewer-09876")
        term.keys("Enter")
        term.wait_for("[9876]: viewer-09876")
        # The notice may come a frame after the tree has moved to the match.
        assert "[9876]: viewer-09876" in term.wait_for("1 of 1 matches")


def test_an_error_then_i_copies_its_request_id(tmp_path: Path) -> None:
    with terminal([*DEMO, "no-such-task"], tmp_path, env=clean_env(tmp_path)) as term:
        screen = term.wait_for("ErrorActiveTaskNotFound")
        request_id = re.search(r"RequestId (\w{20,})", screen)
        assert request_id is not None
        term.keys("i")
        term.wait_for("Copied the RequestId")
        assert request_id.group(1) in term.clipboard()


def test_c_copies_the_raw_value(tmp_path: Path) -> None:
    with terminal([*DEMO, "task-ended"], tmp_path, env=clean_env(tmp_path)) as term:
        term.wait_for("Status: Ended (3)")
        term.keys("c")  # the cursor is on the first row, Status
        term.wait_for("Copied the value")
        assert term.clipboard()[0] == "3"


def test_bell_and_desktop_notification_when_a_watched_task_ends(tmp_path: Path) -> None:
    env = {**clean_env(tmp_path), "SNAPTUI_NOTIFY": "end"}
    with terminal([*DEMO, "task-live"], tmp_path, env=env) as term:
        term.wait_for("Not started")
        assert b"\x1b]9;" not in term.written()
        term.wait_for("stopped: task ended", timeout=30)
        written = term.written()
        assert b"\a\x1b]9;snaptui: task-live: Task ended: StopByAPI" in written
        assert b"\x1b]777;notify;snaptui: task-live;Task ended: StopByAPI" in written
