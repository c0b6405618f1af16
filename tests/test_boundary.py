"""The boundary for outside text, seen from a real terminal: `snaptui get` runs on a
pseudo-terminal against a server that puts terminal control into every string field and
header it can. Our colours must arrive as colours; nothing the server sent may arrive as
control."""

from __future__ import annotations

import json
import os
import re
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

from snaptui.simulator import Fault, Simulator
from tests.helpers import DEMO_ENV

# What a hostile server would like a terminal to do: set the clipboard (OSC 52), the
# window title (OSC 2), clear the screen (CSI 2J), reorder text (bidi), and C1 controls.
PAYLOADS = [
    "\x1b]52;c;ZWNobyBwd25lZA==\x07",
    "\x1b]2;pwned\x1b\\",
    "\x1b[2J\x1b[H",
    "\u202eevil\u2066",
    "\x9b31m\x9d0;c1\x9c",
    "\x1bP+q\x1b\\",
]
OUR_SGR = re.compile(rb"\x1b\[[0-9;]*m")


def hostile_body() -> str:
    payload = "".join(PAYLOADS)
    streams = [{"Index": i, "UserId": f"u{i}{payload}", "StreamType": 0} for i in range(25)]
    task = {
        "StartTime": 1_700_000_000_000,
        "EndTime": 1_700_000_060_000,
        "Status": 3,
        "StopReason": f"IdleTimeOut{payload}",
        "MaxIdleTime": 180,
        "TargetStreams": {"StreamList": streams},
        "ImageConfig": {"Format": 0, "Width": 0, "Height": 0, "Interval": 2},
        "StorageConfig": {
            "Type": 0,
            "TosConfig": {"AccountId": f"acc{payload}", "Region": 0, "Bucket": f"b{payload}"},
            "VodConfig": {"AccountId": f"v{payload}", "Region": 1, "Space": f"s{payload}"},
        },
    }
    return json.dumps(
        {"ResponseMetadata": {"RequestId": f"rq{payload}"}, "Result": {"SnapshotTask": task}}
    )


def run_on_tty(args: list[str], env: dict[str, str], timeout: float = 30) -> tuple[int, bytes]:
    """Run `python -m snaptui ARGS` with stdout and stderr on a pseudo-terminal, as a
    person would; every byte it writes to the terminal."""
    master, slave = os.openpty()
    full_env = {
        k: v for k, v in os.environ.items() if not k.startswith(("VOLC", "NO_COLOR", "SNAPTUI"))
    }
    full_env.update(TERM="xterm-256color", PYTHONPATH=str(Path(__file__).parent.parent), **env)
    proc = subprocess.Popen(
        [sys.executable, "-m", "snaptui", *args],
        stdin=subprocess.DEVNULL,
        stdout=slave,
        stderr=slave,
        env=full_env,
        close_fds=True,
    )
    os.close(slave)
    output = bytearray()
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 0.2)
            if ready:
                try:
                    chunk = os.read(master, 65536)
                except OSError:  # the child closed the terminal
                    break
                if not chunk:
                    break
                output += chunk
            elif proc.poll() is not None:
                break
        code = proc.wait(timeout=5)
    finally:
        os.close(master)
        if proc.poll() is None:
            proc.kill()
    return code, bytes(output)


def assert_no_outside_control(data: bytes) -> None:
    """Nothing but our own SGR colours may act on the terminal."""
    rest = OUR_SGR.sub(b"", data)
    text = rest.decode("utf-8")
    controls = [c for c in text if (ord(c) < 0x20 and c not in "\r\n") or 0x7F <= ord(c) <= 0x9F]
    assert controls == [], controls[:5]
    for bidi in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069":
        assert bidi not in text


@pytest.fixture
def hostile(live_sim: Simulator, tmp_path: Path) -> dict[str, str]:
    live_sim.gateway.faults.append(Fault("body", body=hostile_body()))
    return {**DEMO_ENV, "SNAPTUI_CONFIG_DIR": str(tmp_path)}


def test_get_on_a_terminal_paints_our_colours_and_nothing_of_the_servers(
    live_sim: Simulator, hostile: dict[str, str]
) -> None:
    code, data = run_on_tty(
        ["get", "--endpoint", live_sim.url, "demo", "room-1", "task-ended"], hostile
    )
    assert code == 0, data[-2000:]
    # Our colours are real escapes: Status Ended is green, the unused storage dim.
    assert b"\x1b[32mStatus: Ended (3)\x1b[0m" in data
    assert b"\x1b[2mVodConfig: not used\x1b[0m" in data
    assert b"\\u001b[32m" not in data  # never our own colours escaped
    assert_no_outside_control(data)
    # What the server sent is there, shown as visible text.
    assert b"\\u001b]52;c;ZWNobyBwd25lZA==\\u0007" in data
    assert b"RequestId: rq\\u001b]52" in data
    # The CLI tree is for grep and less: every stream, the 25th too, and unused storage.
    text = data.decode()
    assert "[24]" in text and "UserId: u24" in text
    assert "Space: s\\u001b" in text


def test_no_color_means_no_escape_at_all(live_sim: Simulator, hostile: dict[str, str]) -> None:
    code, data = run_on_tty(
        ["get", "--endpoint", live_sim.url, "demo", "room-1", "task-ended"],
        {**hostile, "NO_COLOR": "1"},
    )
    assert code == 0, data[-2000:]
    assert b"\x1b" not in data
    assert b"Status: Ended (3)" in data


def test_json_on_a_terminal_escapes_the_servers_control(
    live_sim: Simulator, hostile: dict[str, str]
) -> None:
    args = ["get", "--endpoint", live_sim.url, "--output", "json", "demo", "room-1", "task-ended"]
    code, data = run_on_tty(args, hostile)
    assert code == 0, data[-2000:]
    assert b"\x1b" not in data
    assert_no_outside_control(data)
    body = json.loads(data.decode().replace("\r\n", "\n"))
    # Still the body as received: decoding the escapes gives back exactly what was sent.
    assert body["ResponseMetadata"]["RequestId"] == "rq" + "".join(PAYLOADS)


def test_watch_and_errors_on_a_terminal_stay_inert(live_sim: Simulator, tmp_path: Path) -> None:
    payload = "".join(PAYLOADS)
    error = {
        "ResponseMetadata": {
            "RequestId": f"rq{payload}",
            "Error": {"Code": f"InvalidParameter{payload}", "Message": f"bad{payload}"},
        }
    }
    live_sim.gateway.faults.append(Fault("body", status=400, body=json.dumps(error)))
    env = {**DEMO_ENV, "SNAPTUI_CONFIG_DIR": str(tmp_path)}
    args = ["get", "--watch", "--endpoint", live_sim.url, "demo", "room-1", "task-ended"]
    code, data = run_on_tty(args, env)
    assert code == 4, data[-2000:]
    assert b"Code: InvalidParameter\\u001b]52" in data
    assert_no_outside_control(data)


def test_a_link_with_a_bad_id_is_refused_by_the_watch_list_naming_the_character() -> None:
    """Links are parsed as they come; their ids are validated before they are shown or
    sent (the form does the same), so URL-decoding cannot smuggle a control through."""
    from snaptui.watchlist import parse_watch_list

    tasks, problems = parse_watch_list(
        "https://console.example/x?AppId=demo&RoomId=room-1&TaskId=t%1b%5d52%3bc%3beA%3d%3d%07\n"
        "demo room-1 task-1\n"
    )
    assert tasks == [("demo", "room-1", "task-1")]
    assert len(problems) == 1 and "U+001B" in problems[0] and "\x1b" not in problems[0]


def test_valid_links_give_their_ids() -> None:
    from snaptui.links import parse_deep_link

    url = "https://console.example/x?appid=demo&RoomId=room-1&TaskId=user%407"
    assert parse_deep_link(url) == ("demo", "room-1", "user@7")
    assert parse_deep_link("snaptui://demo/room-1/task-1") == ("demo", "room-1", "task-1")


def test_every_tone_has_its_colour() -> None:
    """output.py spells the tones out (JSON output must not import present.py): they must
    stay the ones present.py uses."""
    from snaptui import output, present

    tones = {present.OK, present.RUNNING, present.WAITING, present.FAILED}
    tones |= {present.UNKNOWN, present.MUTED, present.ACTIVE}
    assert set(output._TONE_COLOURS) == tones
