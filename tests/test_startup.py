"""Start-up as a person sees it: a task opened from the command line is asked for while
the app loads, the first frame carries the footer's keys, and the real path never loads
the simulator."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from snaptui.connection import Connection
from snaptui.simulator import Simulator
from snaptui.volc.endpoints import Endpoint
from snaptui.volc.errors import ApiError
from snaptui.volc.exchange import TaskResponse
from tests.helpers import DEMO_CREDS, DEMO_ENV, FakeClock, run
from tests.terminal import SNAPTUI, Terminal, terminal

ENDED = ("demo", "room-1", "task-ended")
FRAME_END = b"\x1b[?2026l"  # the end of a synchronized update: one frame


def answered(sim: Simulator) -> int:
    return sum(sim.gateway.stats.answered.values())


def connection(sim: Simulator, clock: FakeClock) -> Connection:
    return Connection(Endpoint(sim.url, "cn-north-1", "simulator"), DEMO_CREDS, clock=clock)


def test_the_early_request_is_taken_once_then_the_shared_client_asks(
    sim: Simulator, clock: FakeClock
) -> None:
    conn = connection(sim, clock)
    conn.send_early(ENDED)

    async def twice() -> tuple[TaskResponse, int, TaskResponse]:
        first = await conn.fetch(ENDED)
        sent = answered(sim)
        second = await conn.fetch(ENDED)
        await conn.aclose()
        return first, sent, second

    first, sent_after_first, second = run(twice())
    assert first.task.StopReason == "IdleTimeOut"
    assert sent_after_first == 1  # the early request, not another
    assert answered(sim) == 2
    assert second.request_id != first.request_id


def test_an_early_request_that_fails_fails_as_the_shared_client_does(
    sim: Simulator, clock: FakeClock
) -> None:
    unknown = ("demo", "room-1", "task-nope")
    conn = connection(sim, clock)
    conn.send_early(unknown)

    async def both() -> list[ApiError]:
        errors = []
        for _ in range(2):  # the early one, then the shared client's
            with pytest.raises(ApiError) as caught:
                await conn.fetch(unknown)
            errors.append(caught.value)
        await conn.aclose()
        return errors

    early, shared = run(both())
    assert (early.code, early.http_status) == (shared.code, shared.http_status)
    assert early.request_id and early.request_id != shared.request_id


def test_without_keys_nothing_is_sent_early(sim: Simulator, clock: FakeClock) -> None:
    conn = Connection(Endpoint(sim.url, "cn-north-1", "simulator"), None, clock=clock)
    conn.send_early(ENDED)
    time.sleep(0.2)
    assert answered(sim) == 0


def first_frame_with(term: Terminal, text: bytes) -> bytes:
    """The whole frame in which `text` was first written."""
    written = term.wait_for_written(text)
    at = written.index(text)
    start = written.rfind(b"\x1b[?2026h", 0, at)
    end = written.find(FRAME_END, at)
    return written[max(start, 0) : end if end >= 0 else len(written)]


def test_a_task_opened_from_the_command_line_comes_with_its_keys(tmp_path: Path) -> None:
    with terminal([*SNAPTUI, "demo", *ENDED], tmp_path, size=(100, 30)) as term:
        frame = first_frame_with(term, b"IdleTimeOut")
        # The footer in the same frame, already with the tree's keys (focus is on it).
        assert b"Quit" in frame
        assert b"Refresh" in frame


def test_the_form_comes_with_its_keys(tmp_path: Path) -> None:
    with terminal([*SNAPTUI, "demo"], tmp_path, size=(100, 30)) as term:
        frame = first_frame_with(term, b"App ID")
        assert b"Quit" in frame
        assert b"Credentials" in frame


def test_the_real_path_never_loads_the_simulator(tmp_path: Path, live_sim: Simulator) -> None:
    # The modules loaded, written when the app exits (the app itself writes to stderr).
    imports = tmp_path / "imports.txt"
    run_and_record = (
        "import atexit, runpy, sys; "
        f"atexit.register(lambda: open({str(imports)!r}, 'w').write(' '.join(sys.modules))); "
        "sys.argv[0] = 'snaptui'; runpy.run_module('snaptui', run_name='__main__')"
    )
    argv = [sys.executable, "-c", run_and_record, "--endpoint", live_sim.url, *ENDED]
    with terminal(argv, tmp_path, env=DEMO_ENV) as term:
        term.wait_for("IdleTimeOut")
        term.keys("q")
        assert term.exit_status() == 0
    loaded = imports.read_text().split()
    assert "snaptui.tui.app" in loaded  # the list is the app's
    assert not [name for name in loaded if name.startswith("snaptui.simulator")]


def test_a_task_opened_with_keys_in_the_keyring_shows_no_error_first(
    tmp_path: Path, live_sim: Simulator, secret_service_env: dict[str, str]
) -> None:
    """The request waits for the keyring's answer instead of failing without keys and
    retrying seconds later."""
    from snaptui.simulator import DEMO_ACCESS_KEY, DEMO_SECRET_KEY

    env = {k: v for k, v in secret_service_env.items() if not k.startswith("VOLC")}
    env["SNAPTUI_CONFIG_DIR"] = str(tmp_path / "config")
    login = subprocess.run(
        [*SNAPTUI, "login", "--access-key", DEMO_ACCESS_KEY, "--secret-stdin"],
        input=DEMO_SECRET_KEY + "\n",
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert login.returncode == 0, login.stderr
    argv = [*SNAPTUI, "--endpoint", live_sim.url, "--", *ENDED]
    with terminal(argv, tmp_path, env=env) as term:
        term.wait_for("IdleTimeOut")
        assert b"no credentials" not in term.written()
        assert b"Error" not in term.written()
