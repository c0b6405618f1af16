"""Any text, in any string field or header of an answer: none of its control characters
reaches the rendered output raw. Through `snaptui get` (JSON and the coloured tree), the
app's rendered screen (Textual pilot), and a few examples in a real terminal.

Default runs are short; `pytest -m slow` runs many more examples."""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from snaptui.connection import Connection
from snaptui.volc.endpoints import Endpoint
from snaptui.volc.secret import Credentials, Secret
from tests.hostile_server import HOSTILE, PAYLOADS, Answer, HostileServer, hostile_env, hostile_task
from tests.terminal import SNAPTUI, require_tmux, terminal

AK = "AKLTpropertyaccess01"
SK = "property-secret"
IDS = ("prop", "room-1", "task-1")
# What a terminal acts on: C0 (but line breaks and tabs of our own layout), DEL, C1, and
# the bidi controls that reorder a line.
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# The only escapes `get` may write: its own colours.
OUR_SGR = re.compile(r"\x1b\[(?:32|36|33|31;1|35|2|0)m")

CONTROLS = [chr(c) for c in (*range(0x20), 0x7F, *range(0x80, 0xA0))]
BIDI = ["\u200e", "\u200f", *map(chr, range(0x202A, 0x202F)), *map(chr, range(0x2066, 0x206A))]
hostile_text = st.one_of(
    st.text(
        alphabet=st.one_of(st.sampled_from(CONTROLS + BIDI), st.characters(codec="utf-8")),
        min_size=1,
        max_size=30,
    ),
    st.lists(st.sampled_from(list(PAYLOADS.values())), min_size=1, max_size=3).map("".join),
)
# Where the text goes: a path of keys into the answer, or a header name.
BODY_FIELDS = [
    ("ResponseMetadata", "RequestId"),
    ("ResponseMetadata", "Action"),
    ("ResponseMetadata", "Region"),
    ("Result", "SnapshotTask", "StopReason"),
    ("Result", "SnapshotTask", "TargetStreams", "StreamList", 0, "UserId"),
    ("Result", "SnapshotTask", "StorageConfig", "TosConfig", "Bucket"),
    ("Result", "SnapshotTask", "StorageConfig", "TosConfig", "AccountId"),
    ("Result", "SnapshotTask", "StorageConfig", "VeImageXConfig", "ServiceId"),
    ("Result", "SnapshotTask", "Extra"),
]
ERROR_FIELDS = [("ResponseMetadata", "Error", "Code"), ("ResponseMetadata", "Error", "Message")]
HEADERS = ["Date", "Retry-After", "X-Request-Id", "Content-Type", "Server"]
where = st.one_of(
    st.sampled_from(BODY_FIELDS).map(lambda f: ("body", f)),
    st.sampled_from(ERROR_FIELDS).map(lambda f: ("error", f)),
    st.sampled_from(HEADERS).map(lambda h: ("header", h)),
)

FAST = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
SLOW = settings(FAST, max_examples=600)
FAST_TUI = settings(FAST, max_examples=8)
SLOW_TUI = settings(FAST, max_examples=60)


def answer_with(text: str, place: tuple[str, Any]) -> Answer:
    kind, target = place
    data: dict[str, Any] = {
        "ResponseMetadata": {"RequestId": "prop-1", "Action": "GetSnapshotTask"},
        "Result": {"SnapshotTask": hostile_task("")},
    }
    status = 200
    headers: list[tuple[str, bytes]] = []
    if kind == "header":
        # A header value cannot hold a line break or NUL; every other byte may come.
        value = re.sub("[\r\n\x00]", "", text).encode()
        headers.append((target, value))
    else:
        if kind == "error":
            status = 400
            data["ResponseMetadata"]["Error"] = {"Code": "InvalidParameter", "Message": "m"}
            del data["Result"]
        node: Any = data
        for key in target[:-1]:
            node = node[key]
        node[target[-1]] = text
    return Answer(status, json.dumps(data, ensure_ascii=False).encode(), headers)


def unsafe_in(output: str, text: str) -> list[str]:
    """The unsafe characters of `text` that appear raw in `output` (ESC only where it is
    not one of our own colour codes)."""
    mine = OUR_SGR.sub("", output)
    return sorted({c for c in text if UNSAFE.match(c) and c in mine})


@pytest.fixture(scope="module")
def server() -> Iterator[HostileServer]:
    with HostileServer() as running:
        yield running


class _Tty(io.BytesIO):
    def isatty(self) -> bool:
        return True


def run_get(server: HostileServer, output: str, tty: bool) -> tuple[int, str]:
    """`snaptui get` in this process, its stdout a terminal or not; stdout + stderr."""
    from snaptui.cli import main

    out = io.TextIOWrapper(_Tty() if tty else io.BytesIO(), encoding="utf-8")
    err = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    args = ["get", "--endpoint", server.url, "--timeout", "3", "--output", output, *IDS]
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(args)
    shown = ""
    for stream in (out, err):
        stream.flush()
        shown += stream.buffer.getvalue().decode("utf-8", "surrogateescape")  # type: ignore[attr-defined]
    return code, shown


@pytest.fixture
def keys(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VOLC_ACCESSKEY", AK)
    monkeypatch.setenv("VOLC_SECRETKEY", SK)
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.delenv("NO_COLOR", raising=False)


def check_cli(server: HostileServer, text: str, place: tuple[str, Any]) -> None:
    server.answer = answer_with(text, place)
    for output, tty in (("json", False), ("tree", True)):
        code, shown = run_get(server, output, tty)
        assert code in (0, 4, 5), shown
        assert "Traceback" not in shown and "internal error" not in shown, shown
        raw = unsafe_in(shown, text)
        assert not raw, f"--output {output}: {raw!r} reached the output raw:\n{shown!r}"


@FAST
@given(text=hostile_text, place=where)
@example(text=HOSTILE, place=("body", BODY_FIELDS[3]))
@example(text=HOSTILE, place=("error", ERROR_FIELDS[0]))
@example(text=HOSTILE, place=("header", "Content-Type"))
def test_cli(server: HostileServer, keys: None, text: str, place: tuple[str, Any]) -> None:
    check_cli(server, text, place)


@pytest.mark.slow
@SLOW
@given(text=hostile_text, place=where)
def test_cli_long(server: HostileServer, keys: None, text: str, place: tuple[str, Any]) -> None:
    check_cli(server, text, place)


# --- the app's rendering ----------------------------------------------------------------


def render_app(server: HostileServer) -> str:
    """The app's screen as Textual renders it, once the answer (or its error) is shown."""
    from snaptui.tui.app import SnaptuiApp
    from snaptui.tui.widgets.task_view import TaskView

    creds = Credentials(AK, Secret(SK))
    connection = Connection(Endpoint(server.url, "cn-north-1"), creds, "environment")
    app = SnaptuiApp(connection, IDS)

    async def go() -> str:
        async with app.run_test(size=(120, 40)) as pilot:
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:
                await pilot.pause(0.05)
                views = app.screen.query(TaskView)
                if views and (views.first().last is not None or views.first().error is not None):
                    break
            await pilot.pause(0.1)
            tree = app.export_screenshot()
            await pilot.press("j")
            await pilot.pause(0.1)
            return tree + app.export_screenshot()

    return asyncio.run(go())


def check_tui(server: HostileServer, text: str, place: tuple[str, Any]) -> None:
    server.answer = answer_with(text, place)
    svg = render_app(server)
    raw = unsafe_in(svg, text)
    assert not raw, f"{raw!r} reached the app's screen raw"


@FAST_TUI
@given(text=hostile_text, place=where)
# The places a person looks first, always tried: the status line, the tree, the panel.
@example(text=HOSTILE, place=("body", BODY_FIELDS[0]))
@example(text=HOSTILE, place=("body", BODY_FIELDS[4]))
@example(text=HOSTILE, place=("error", ERROR_FIELDS[1]))
def test_tui(server: HostileServer, text: str, place: tuple[str, Any]) -> None:
    check_tui(server, text, place)


@pytest.mark.slow
@SLOW_TUI
@given(text=hostile_text, place=where)
def test_tui_long(server: HostileServer, text: str, place: tuple[str, Any]) -> None:
    check_tui(server, text, place)


# --- a real terminal, a handful of examples ---------------------------------------------


# In the bytes the app writes, ESC, CR and BEL are also its own (cursor moves, colours,
# its OSC 52 on a copy): there, the other unsafe characters are looked for, and the title
# and the clipboard tell whether an escape of the server's took effect.
OWN_IN_WRITTEN = {"\x1b", "\r", "\x07", "\n"}


@settings(FAST, max_examples=3)
@given(text=hostile_text, place=where)
def test_terminal(
    server: HostileServer, tmp_path_factory: pytest.TempPathFactory, text: str, place: Any
) -> None:
    require_tmux()
    server.answer = answer_with(text, place)
    tmp = tmp_path_factory.mktemp("term")
    keys = {"VOLC_ACCESSKEY": AK, "VOLC_SECRETKEY": SK}
    env = hostile_env(server.url, str(Path(tmp) / "config"), keys)
    with terminal([*SNAPTUI, *IDS], tmp, size=(100, 30), env=env) as term:
        title = term.title()
        term.wait_until_gone("Loading", timeout=15)
        term.keys("j")
        time.sleep(0.3)
        written = term.written().decode("utf-8", "surrogateescape")
        same_title = term.title() == title
        board = term.clipboard()
        term.keys("C-q")
    raw = [c for c in unsafe_in(written, text) if c not in OWN_IN_WRITTEN]
    assert not raw, f"{raw!r} reached the terminal raw"
    assert same_title, "the window title changed"
    assert board == [], f"the clipboard was set: {board}"
