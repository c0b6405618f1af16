"""A hostile server, seen through a real terminal: the app in tmux, `snaptui get` on a pty.

The server puts OSC 52 (clipboard), OSC 2 (window title), CSI, C1 and bidi controls into
every string field and header of its answers. Whatever the user does, the terminal's title
and clipboard must stay theirs, and no control sequence of the server's may be among the
bytes the program writes. Our own colours, meanwhile, must still be colours.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.hostile_server import (
    CLIP_B64,
    CLIP_TEXT,
    HOSTILE,
    TITLE_TEXT,
    Answer,
    HostileServer,
    error_body,
    hostile_env,
    hostile_headers,
    raw_controls_in,
    task_body,
)
from tests.terminal import SNAPTUI, Terminal, require_tmux, run_in_pty, terminal

AK = "AKLThostileaccess9k2"
SK = "hostile-test-secret"
KEYS = {"VOLC_ACCESSKEY": AK, "VOLC_SECRETKEY": SK}
IDS = ("hostile", "room-1", "task-1")
# Any control character a terminal acts on, and the bidi controls; newlines and tabs of
# a multi-line copy (the JSON) are the user's.
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")

TASK = Answer(body=task_body(), headers=hostile_headers())
ERRORS = {
    "400-error": Answer(
        400, error_body("InvalidParameter" + HOSTILE, "bad" + HOSTILE), hostile_headers()
    ),
    "403-error": Answer(403, error_body("AccessDenied" + HOSTILE, HOSTILE), hostile_headers()),
    "500-error": Answer(500, error_body("InternalError" + HOSTILE, HOSTILE), hostile_headers()),
    "429-error": Answer(429, error_body("FlowLimitExceeded" + HOSTILE, HOSTILE), hostile_headers()),
    "502-html": Answer(502, b"<html>" + HOSTILE.encode() + b"</html>", hostile_headers()),
    "404-not-json": Answer(404, HOSTILE.encode(), hostile_headers()),
    "302-redirect": Answer(
        302, b"", [("Location", b"https://evil.example/" + quote(HOSTILE).encode())]
    ),
    "esc-in-header": Answer(200, task_body(), [("X-Evil", b"\x1b]2;" + TITLE_TEXT.encode())]),
}
# The documented exit code of `get` for each answer.
EXIT_CODE = {
    "task": 0,
    "400-error": 4,
    "403-error": 4,
    "500-error": 4,
    "429-error": 4,
    "502-html": 5,
    "404-not-json": 5,
    "302-redirect": 5,
    "esc-in-header": 0,  # a lenient parser takes it; the value is never shown raw
}
ANSWERS = {"task": TASK, **ERRORS}


@pytest.fixture
def server() -> Iterator[HostileServer]:
    with HostileServer(TASK) as running:
        yield running


def env_for(server: HostileServer, tmp_path: Path, **extra: str) -> dict[str, str]:
    env = hostile_env(server.url, str(tmp_path / "config"), KEYS)
    env.update(HOME=str(tmp_path), **extra)
    return env


def assert_no_server_controls(written: bytes, where: str) -> None:
    found = raw_controls_in(written)
    assert not found, f"{where}: server control sequences reached the terminal: {found}"


def clipboard_problems(board: list[str], copies: int) -> list[str]:
    """At most one clipboard entry per copy the user asked for, none of them chosen by
    the server, none holding a control character."""
    problems = []
    if any(CLIP_TEXT in entry for entry in board):
        problems.append(f"the server set the clipboard: {board}")
    if len(board) > copies:
        problems.append(f"{len(board)} clipboard writes for {copies} copies")
    problems += [f"a copy holds control characters: {e!r}" for e in board if CONTROL.search(e)]
    return problems


class Findings:
    """What went wrong in one long session, all reported at the end rather than only the
    first: each step of the walk is worth knowing about."""

    def __init__(self, term: Terminal) -> None:
        self.term = term
        self.problems: list[str] = []
        self._seen: set[str] = set()

    def check(self, where: str) -> None:
        for name in raw_controls_in(self.term.written()):
            if name not in self._seen:
                self._seen.add(name)
                self.problems.append(f"{where}: {name} reached the terminal raw")

    def add(self, problems: list[str]) -> None:
        self.problems += problems

    def assert_none(self) -> None:
        assert not self.problems, "\n".join(self.problems)


# --- snaptui get ----------------------------------------------------------------------


@pytest.mark.parametrize("name", ANSWERS)
@pytest.mark.parametrize("output", ["tree", "json"])
def test_get_on_a_tty(name: str, output: str, server: HostileServer, tmp_path: Path) -> None:
    server.answer = ANSWERS[name]
    argv = [*SNAPTUI, "get", "--debug", "--timeout", "4", "--output", output, *IDS]
    code, written = run_in_pty(argv, env=env_for(server, tmp_path), timeout=30)
    text = written.decode("utf-8", "replace")
    assert code == EXIT_CODE[name], text
    assert "Traceback" not in text
    assert_no_server_controls(written, f"get --output {output} ({name})")
    assert SK not in text and AK not in text


def test_get_colours_are_colours_on_a_tty(server: HostileServer, tmp_path: Path) -> None:
    code, written = run_in_pty(
        [*SNAPTUI, "get", *IDS], env=env_for(server, tmp_path), size=(200, 50)
    )
    assert code == 0, written
    text = written.decode("utf-8", "replace")
    # On a terminal the default is the tree, its Status line in the running colour (cyan).
    assert "Status: Running (2)" in text
    assert "\x1b[36mStatus: Running (2)" in text, "the status is not coloured"
    # (The server's own escapes do come out as text, \u001b[0m among them: data, not colour.)
    assert "\\u001b[36mStatus" not in text, "our colours came out as text"
    assert_no_server_controls(written, "get (tree, coloured)")


def test_get_without_colour_writes_no_escape_at_all(server: HostileServer, tmp_path: Path) -> None:
    code, written = run_in_pty(
        [*SNAPTUI, "get", *IDS], env=env_for(server, tmp_path, NO_COLOR="1"), size=(200, 50)
    )
    assert code == 0, written
    assert b"Status: Running (2)" in written
    assert b"\x1b" not in written, "NO_COLOR=1, yet an escape was written"
    assert_no_server_controls(written, "get with NO_COLOR")


@pytest.mark.parametrize("name", ["task", "403-error"])
def test_get_in_tmux_keeps_title_and_clipboard(
    name: str, server: HostileServer, tmp_path: Path
) -> None:
    server.answer = ANSWERS[name]
    argv = [*SNAPTUI, "get", "--timeout", "4", *IDS]
    with terminal(argv, tmp_path, size=(160, 50), env=env_for(server, tmp_path)) as term:
        title = term.title()
        assert term.exit_status(timeout=20) == EXIT_CODE[name], term.screen()
        assert term.title() == title and TITLE_TEXT not in term.title()
        assert term.clipboard() == []
        assert_no_server_controls(term.written(), f"get in tmux ({name})")


# --- the app --------------------------------------------------------------------------


def check_answer_for(head: bytes) -> Answer:
    """The F2 key test asks for task "snaptui-check": that one gets a hostile error."""
    if b"snaptui-check" in head:
        return ERRORS["403-error"]
    return TASK


def test_app_through_every_view_and_key(server: HostileServer, tmp_path: Path) -> None:
    require_tmux()
    server.answer_for = check_answer_for
    work = tmp_path / "work"
    work.mkdir()
    env = env_for(server, tmp_path)
    with terminal([*SNAPTUI, *IDS], tmp_path, size=(100, 30), env=env, cwd=work) as term:
        title = term.title()
        found = Findings(term)
        term.wait_for("Running", timeout=20)
        copies = 0

        # The tree, refreshed a few times (each refresh brings the hostile text again).
        time.sleep(2.5)
        found.check("the tree")
        term.keys("Down", "Down", "c")
        copies += 1
        # The raw JSON view, and copies of the whole JSON and the RequestId.
        term.keys("j")
        term.wait_for("ResponseMetadata")
        found.check("the JSON view")
        term.keys("C", "i")
        copies += 2
        time.sleep(0.5)
        board = term.clipboard()
        found.add(clipboard_problems(board, copies))
        whole = [entry for entry in board if entry.lstrip().startswith("{")]
        assert whole, f"C copied no JSON: {board}"
        assert "ResponseMetadata" in json.loads(whole[0])

        # Export to a file in the working directory.
        term.keys("e")
        term.wait_for("Export")
        term.keys("Enter")
        term.wait_for("Saved")
        saved = (work / f"snapshot-task-{IDS[2]}.json").read_text(encoding="utf-8")
        assert "ResponseMetadata" in json.loads(saved)
        if CONTROL.search(saved):
            found.add(["the exported file holds control characters"])
        found.check("export")
        term.keys("j")

        # Help, the command palette.
        term.keys("F1")
        term.wait_for("Keys")
        found.check("help")
        term.keys("Escape", "C-p")
        time.sleep(0.5)
        found.check("the palette")
        term.keys("Escape")

        # F2, keys typed in, Ctrl+T: the server answers the check with a hostile error.
        term.keys("F2")
        term.wait_for("AccessKey")
        time.sleep(0.5)  # the screen focuses the AccessKey field after its first paint
        term.type(AK)
        term.keys("Tab")
        term.type(SK)
        term.keys("C-t")
        # Not on the screen: before the fix, the server's CSI 2J wipes it.
        try:
            term.wait_for_written(b"AccessDenied", timeout=8)
        except AssertionError:
            # Seen once in a full run on a loaded machine: the check was answered with a
            # misreported size error (a clear message, nothing leaked). Test once more so
            # the hostile text is still checked; the misreport is tracked separately.
            term.keys("C-t")
            term.wait_for_written(b"AccessDenied", timeout=15)
        found.check("F2 Ctrl+T")
        term.keys("Escape")

        # A pasted alert link holding a URL-encoded OSC 52 and OSC 2 in the TaskId.
        term.keys("C-n")
        term.wait_for("App ID")
        evil_task = quote(f"t\x1b]52;c;{CLIP_B64}\x07\x1b]2;{TITLE_TEXT}\x07\u009b2J\u202e")
        term.paste(f"https://alerts.example/view?AppId=a&RoomId=r&TaskId={evil_task}")
        time.sleep(1.0)
        term.keys("Enter")
        time.sleep(1.0)
        found.check("the pasted alert link")

        assert "Traceback" not in term.screen()
        if term.title() != title:
            found.add([f"the window title changed to {term.title()!r}"])
        found.add(clipboard_problems(term.clipboard(), copies))
        term.keys("C-q")
        assert term.exit_status(timeout=10) == 0
        found.assert_none()


def test_app_error_answers(server: HostileServer, tmp_path: Path) -> None:
    """Every kind of error answer, one after another, over the last good tree."""
    require_tmux()
    env = env_for(server, tmp_path)
    with terminal([*SNAPTUI, *IDS], tmp_path, size=(100, 30), env=env, cwd=tmp_path) as term:
        title = term.title()
        found = Findings(term)
        term.wait_for("Running", timeout=20)
        for name, answer in ERRORS.items():
            server.answer = answer
            asked = len(server.requests)
            term.keys("r")
            # The answer was asked for and shown (a refresh already in flight gets the
            # old answer; the panel's back-off brings the next one within seconds).
            deadline = time.monotonic() + 15
            while len(server.requests) <= asked and time.monotonic() < deadline:
                time.sleep(0.1)
            # A 200 answer (an ESC in a header) is a good answer: the panel goes away.
            if answer.status == 200:
                term.wait_until_gone("Error", timeout=15)
            else:
                term.wait_for("Error", timeout=15)
            time.sleep(0.5)
            found.check(f"the error panel ({name})")
        server.answer = TASK
        # Retries back off; an explicit refresh brings the tree back.
        term.keys("r")
        time.sleep(1.5)
        assert "Traceback" not in term.screen()
        found.check("after the errors")
        if term.title() != title:
            found.add([f"the window title changed to {term.title()!r}"])
        found.add(clipboard_problems(term.clipboard(), 0))
        term.keys("C-q")
        assert term.exit_status(timeout=10) == 0
        found.assert_none()


def test_app_pasted_alert_link(server: HostileServer, tmp_path: Path) -> None:
    """An alert link whose ids hold URL-encoded OSC 52, OSC 2, C1 and bidi controls,
    pasted into the form: shown as data, never acted on by the terminal."""
    require_tmux()
    env = env_for(server, tmp_path)
    with terminal(SNAPTUI, tmp_path, size=(100, 30), env=env) as term:
        title = term.title()
        found = Findings(term)
        term.wait_for("App ID", timeout=15)
        evil = quote(f"t\x1b]52;c;{CLIP_B64}\x07\x1b]2;{TITLE_TEXT}\x07\u009d2;{TITLE_TEXT}\u202e")
        term.paste(f"https://alerts.example/view?AppId=a%1b%5b2J&RoomId=r&TaskId={evil}")
        time.sleep(1.0)
        found.check("the pasted link")
        term.keys("Enter")
        time.sleep(1.0)
        found.check("the pasted link, submitted")
        assert "Traceback" not in term.screen()
        if term.title() != title:
            found.add([f"the window title changed to {term.title()!r}"])
        found.add(clipboard_problems(term.clipboard(), 0))
        term.keys("C-q")
        assert term.exit_status(timeout=10) == 0
        found.assert_none()
