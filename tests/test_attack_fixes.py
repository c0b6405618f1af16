"""What an attacker found soft, now refused or bounded: conflicting Content-Length on the
one-shot client, export to a FIFO, a value too big for the clipboard, long notifications,
invisible characters."""

from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path

import pytest

from snaptui.output import dump_json
from snaptui.simulator import Simulator
from snaptui.simulator.tasks import TaskSpec
from snaptui.tui.end_notice import escapes
from snaptui.tui.screens.export import write_regular_file
from snaptui.tui.widgets.task_tree import TaskTree
from snaptui.tui.widgets.task_view import CLIPBOARD_LIMIT
from snaptui.volc.safe_text import clean
from tests.helpers import DEMO_ENV, FakeClock, cli, run
from tests.hostile_server import Answer, HostileServer, task_body
from tests.tui_fixtures import make_app, settle


def test_get_refuses_conflicting_content_length_as_the_app_does() -> None:
    body = task_body()
    lengths = [("Content-Length", str(len(body)).encode()), ("Content-Length", b"%d" % 5)]
    answer = Answer(200, body, lengths, content_length=False)
    with HostileServer(answer) as server:
        done = cli("get", "--endpoint", server.url, "--timeout", "5", "a", "r", "t", env=DEMO_ENV)
    assert done.code == 5
    assert "Content-Length" in done.err
    assert len(done.err.strip().splitlines()) == 1


def test_export_refuses_a_fifo_at_once_instead_of_waiting_for_a_reader(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    started = time.monotonic()
    with pytest.raises(OSError, match="not a regular file"):
        write_regular_file(fifo, "{}")
    # Also with a reader on the other end: still not a file to save JSON in.
    reader = threading.Thread(target=lambda: fifo.open("rb").read(), daemon=True)
    reader.start()
    time.sleep(0.2)
    with pytest.raises(OSError, match="not a regular file"):
        write_regular_file(fifo, "{}")
    assert time.monotonic() - started < 5
    with pytest.raises(OSError, match="not a regular file"):
        write_regular_file(Path("/dev/null"), "{}")


def test_export_replaces_a_regular_file_whole(tmp_path: Path) -> None:
    target = tmp_path / "task.json"
    target.write_text("x" * 1000, encoding="utf-8")
    write_regular_file(target, "{}")
    assert target.read_text(encoding="utf-8") == "{}"


def test_a_value_too_big_for_the_clipboard_is_not_copied(sim: Simulator, clock: FakeClock) -> None:
    spec = sim.gateway.tasks[("demo", "room-1", "task-ended")]
    huge = dict(spec.snapshot, StopReason="A" * (CLIPBOARD_LIMIT + 1))
    sim.gateway.tasks[("demo", "room-1", "task-huge")] = TaskSpec(
        "demo", "room-1", "task-huge", huge, spec.timeline, spec.started_before
    )
    app = make_app(sim, clock, ("demo", "room-1", "task-huge"))
    copied: list[str] = []

    async def go() -> list[str]:
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            app.copy_to_clipboard = copied.append  # type: ignore[method-assign]
            tree = app.screen.query_one(TaskTree)
            tree.focus()
            await pilot.pause()
            for _ in range(5):  # down to StopReason
                if (tree.value_at_cursor() or "").startswith("AAAA"):
                    break
                await pilot.press("down")
            assert (tree.value_at_cursor() or "").startswith("AAAA")
            await pilot.press("c")
            await pilot.pause(0.2)
            return [str(n.message) for n in app._notifications]

    notes = run(go())
    assert copied == []
    assert any("not copied" in note and "e to export" in note for note in notes)


def test_a_notification_stays_short_whatever_the_server_says() -> None:
    sent = escapes("task-1", "Task failed: " + "X" * 3000)
    assert len(sent) < 700
    assert sent.count("…") == 2  # OSC 9 and OSC 777 each say it was cut


@pytest.mark.parametrize(
    "char", ["\u00ad", "\u2065", "\u206a", "\ufff9", "\U000e0041", "\u115f", "\u3164"]
)
def test_invisible_characters_are_shown_escaped(char: str) -> None:
    text = f"a{char}b"
    assert char not in clean(text)
    dumped = dump_json({"v": text})
    assert char not in dumped
    assert json.loads(dumped) == {"v": text}  # and the JSON still reads back the same
