"""Our own keys, echoed by a server in every field and header, through a real terminal:
nothing the app writes, copies or exports may hold the SecretKey, the session token or
the whole AccessKey."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.hostile_server import Answer, HostileServer, hostile_env, hostile_headers, task_body
from tests.terminal import SNAPTUI, require_tmux, run_in_pty, terminal

AK = "AKLTtermleakaccess42"
SK = "SENTINEL-term-secret-91ab"
TOKEN = "SENTINEL-term-token-77cd"
ECHO = f"{AK} {SK} {TOKEN}"
KEYS = {
    "VOLCENGINE_ACCESS_KEY": AK,
    "VOLCENGINE_SECRET_KEY": SK,
    "VOLCENGINE_SESSION_TOKEN": TOKEN,
}
IDS = ("echo", "room-1", "task-1")


def leaks(data: bytes | str) -> list[str]:
    blob = data.encode() if isinstance(data, str) else data
    found = [name for name, s in (("SecretKey", SK), ("token", TOKEN)) if s.encode() in blob]
    return found + (["the whole AccessKey"] if AK.encode() in blob else [])


@pytest.fixture
def server() -> Iterator[HostileServer]:
    with HostileServer(Answer(body=task_body(ECHO), headers=hostile_headers(ECHO))) as running:
        yield running


def test_app_never_shows_copies_or_exports_our_keys(server: HostileServer, tmp_path: Path) -> None:
    require_tmux()
    work = tmp_path / "work"
    work.mkdir()
    env = hostile_env(server.url, str(tmp_path / "config"), KEYS)
    env["HOME"] = str(tmp_path)
    problems: list[str] = []
    with terminal([*SNAPTUI, *IDS], tmp_path, size=(120, 40), env=env, cwd=work) as term:
        term.wait_for("Running", timeout=20)
        problems += [f"the tree shows {x}" for x in leaks(term.screen())]
        term.keys("Down", "Down", "Down", "c", "j")
        term.wait_for("ResponseMetadata")
        problems += [f"the JSON view shows {x}" for x in leaks(term.screen())]
        term.keys("C", "i")
        time.sleep(0.5)
        assert len(term.clipboard()) >= 2, "the copies did not reach the clipboard"
        for entry in term.clipboard():
            problems += [f"the clipboard holds {x}" for x in leaks(entry)]
        term.keys("e")
        term.wait_for("Export")
        term.keys("Enter")
        term.wait_for("Saved")
        exported = work / f"snapshot-task-{IDS[2]}.json"
        problems += [f"the exported file holds {x}" for x in leaks(exported.read_bytes())]
        term.keys("C-q")
        assert term.exit_status(timeout=10) == 0
        problems += [f"the bytes written hold {x}" for x in leaks(term.written())]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("output", ["tree", "json"])
def test_get_on_a_tty_never_prints_our_keys(
    output: str, server: HostileServer, tmp_path: Path
) -> None:
    env = hostile_env(server.url, str(tmp_path / "config"), KEYS)
    argv = [*SNAPTUI, "get", "--debug", "--output", output, *IDS]
    code, written = run_in_pty(argv, env=env)
    assert code == 0, written
    assert b"Running" in written or b'"Status": 2' in written
    assert not leaks(written), leaks(written)
