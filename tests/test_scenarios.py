"""`snaptui simulate` with bad scenarios and faults, as its user meets them: a clear
one-line error and exit 2, never a traceback, never a server that drops requests without
a word; and the hint it prints names a task it really serves."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from snaptui.simulator import Gateway, Simulator, TaskSpec
from snaptui.simulator.faults import parse_fault
from snaptui.simulator.tasks import ScenarioError, load_scenario
from tests.helpers import DEMO_CREDS, cli, run

CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
TASK = '[[task]]\napp_id = "myapp"\nroom_id = "standup"\ntask_id = "snap-1"\n'


def refused(tmp_path: Path, toml: str) -> str:
    """The one-line reason this scenario is refused for."""
    path = tmp_path / "scenario.toml"
    path.write_text(toml, encoding="utf-8")
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    assert "\n" not in str(caught.value)
    return str(caught.value)


@pytest.mark.parametrize(
    "toml",
    [
        "a = " + "[" * 5000 + "]" * 5000,
        TASK + "started_before = nan\n",
        'include_demo = "no"\n',
        TASK.replace("snap-1", "a\\u001b]52;c;cHduZWQ=\\u0007"),
        TASK.replace("snap-1", "evil\\u202etxt"),
    ],
    ids=["deep", "nan", "include_demo", "osc52-id", "bidi-id"],
)
def test_simulate_refuses_a_bad_scenario_in_one_safe_line(tmp_path: Path, toml: str) -> None:
    """Through the command: exit 2, one line, no traceback, no control character."""
    path = tmp_path / "scenario.toml"
    path.write_text(toml, encoding="utf-8")
    result = cli("simulate", "--port", "0", "--scenario", str(path), timeout=30)
    assert result.code == 2, (result.out, result.err)
    assert result.err.startswith("error: ") and result.err.count("\n") == 1, result.err
    assert "Traceback" not in result.err
    assert not CONTROL.search(result.err), result.err


def test_deeply_nested_toml_is_a_clear_error(tmp_path: Path) -> None:
    err = refused(tmp_path, "a = " + "[" * 5000 + "]" * 5000)
    assert "nested too deeply" in err
    # Deep enough to choke the server later, shallow enough for the TOML reader.
    err = refused(tmp_path, TASK + "snapshot = { X = " + "[" * 40 + "]" * 40 + " }\n")
    assert "nested more than 32 levels" in err


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "+nan", "-5"])
def test_non_finite_or_negative_seconds_are_refused(tmp_path: Path, value: str) -> None:
    err = refused(tmp_path, TASK + f"started_before = {value}\n")
    assert "task[0]: 'started_before' must be a number of seconds" in err
    err = refused(tmp_path, TASK + f"[[task.timeline]]\nat = {value}\nStatus = 3\n")
    assert "task[0].timeline[0]: 'at' must be a number of seconds" in err
    err = refused(tmp_path, f'[[faults]]\nkind = "latency"\nseconds = {value}\n')
    assert "faults: 'seconds' must be a number from 0 to 3600" in err
    err = refused(tmp_path, TASK + f'faults = [{{ kind = "trickle", seconds = {value} }}]\n')
    assert "task[0].faults: 'seconds' must be a number" in err


def test_values_json_cannot_carry_are_refused(tmp_path: Path) -> None:
    err = refused(tmp_path, TASK + "snapshot = { StartTime = 1979-05-27T07:32:00Z }\n")
    assert "task[0].snapshot.StartTime: a datetime cannot be sent in JSON" in err
    err = refused(tmp_path, TASK + "[[task.timeline]]\nat = 1\nMaxIdleTime = nan\n")
    assert "task[0].timeline[0].MaxIdleTime: nan is not a JSON number" in err


def test_include_demo_must_be_a_boolean(tmp_path: Path) -> None:
    err = refused(tmp_path, 'include_demo = "no"\n' + TASK)
    assert err == "'include_demo' must be true or false"


def test_misspelt_keys_are_named(tmp_path: Path) -> None:
    assert "unknown key 'tasks'" in refused(tmp_path, TASK.replace("[[task]]", "[[tasks]]"))
    assert "task[0]: unknown key 'started'" in refused(tmp_path, TASK + "started = 5\n")


@pytest.mark.parametrize(
    "bad", ["a\x1b]52;c;cHduZWQ=\x07", "x\x1b[2J", "evil\u202etxt", "", "a b", "x" * 129]
)
def test_ids_that_can_never_be_queried_are_refused_and_shown_safely(
    tmp_path: Path, bad: str
) -> None:
    toml = TASK.replace('task_id = "snap-1"', f"task_id = {json.dumps(bad)}")
    err = refused(tmp_path, toml)
    assert "task[0]: task_id" in err and "can never be queried" in err


def test_a_task_defined_twice_is_refused(tmp_path: Path) -> None:
    assert "myapp/standup/snap-1 is already defined" in refused(tmp_path, TASK + TASK)


@pytest.mark.parametrize(
    "fault,message",
    [
        ("nope", "unknown fault kind 'nope'"),
        ("latency:seconds=nan", "'seconds' must be a number from 0 to 3600"),
        ("latency:seconds=1e308", "'seconds' must be a number from 0 to 3600"),
        ("latency:seconds=soon", "seconds must be a number"),
        ("http5xx:status=5o3", "status must be a whole number"),
        ("http5xx:status=99", "'status' must be an HTTP status code"),
        ("latency:secs=1", "unknown setting 'secs'"),
        ("latency:secs\x1b[2J=1", "unknown setting 'secs\\x1b[2J'"),
    ],
)
def test_bad_faults_are_refused_with_the_reason(fault: str, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_fault(fault, "--fault")
    assert message in str(caught.value)


@pytest.mark.parametrize("fault", ["latency:seconds=nan", "latency:secs\x1b]2;x\x07=1"])
def test_simulate_refuses_a_bad_fault_with_exit_2(fault: str) -> None:
    result = cli("simulate", "--port", "0", "--fault", fault, timeout=30)
    assert result.code == 2, result
    assert result.err.startswith("error: ") and result.err.count("\n") == 1, result.err
    assert "Traceback" not in result.err and not CONTROL.search(result.err)


def test_a_body_is_text_and_takes_the_rest() -> None:
    fault = parse_fault("body:status=418,body=x=1, y", "--fault")
    assert (fault.status, fault.body) == (418, "x=1, y")


def test_a_port_out_of_range_is_a_usage_error() -> None:
    result = cli("simulate", "--port", "70000", timeout=20)
    assert result.code == 2 and "--port: must be a port number from 0" in result.err, result
    assert "Traceback" not in result.err


# --- a running `snaptui simulate` ------------------------------------------------------


@contextmanager
def simulate(*args: str) -> Iterator[list[str]]:
    """`snaptui simulate` on a free port; yields its banner lines once it serves."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VOLC", "SNAPTUI"))}
    proc = subprocess.Popen(
        [sys.executable, "-m", "snaptui", "simulate", "--port", "0", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert proc.stdout is not None
        lines = []
        while not lines or not lines[-1].startswith("  tasks:"):
            line = proc.stdout.readline()
            assert line, f"simulate stopped: {proc.wait(10)} {proc.stderr and proc.stderr.read()}"
            lines.append(line.rstrip("\n"))
        yield lines
    finally:
        proc.terminate()
        proc.wait(10)
        for stream in (proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()


def _run_hint(lines: list[str]) -> subprocess.CompletedProcess[str]:
    """Run the `try:` command as a user pasting it would, with the demo secret filled in."""
    (hint,) = [line for line in lines if line.startswith("  try: ")]
    words = hint.removeprefix("  try: ").split()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VOLC", "SNAPTUI"))}
    while "=" in words[0]:
        name, _, value = words.pop(0).partition("=")
        env[name] = "snaptui-demo-secret" if value == "..." else value
    assert words[:2] == ["snaptui", "get"], hint
    return subprocess.run(
        [sys.executable, "-m", "snaptui", *words[1:], "--output", "json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


def test_the_hint_names_a_task_the_scenario_serves(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_text(
        TASK.replace("snap-1", "too-old") + "started_before = 300000\n" + TASK, encoding="utf-8"
    )
    with simulate("--scenario", str(path), "--region", "ap-singapore-1") as lines:
        assert any("myapp standup snap-1" in line for line in lines), lines
        done = _run_hint(lines)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["ResponseMetadata"]["Region"] == "ap-singapore-1"


def test_the_hint_names_task_live_with_the_demo() -> None:
    with simulate() as lines:
        assert any(line.endswith("demo room-1 task-live") for line in lines), lines
        done = _run_hint(lines)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["Result"]["SnapshotTask"]["Status"] == 1


def test_a_scenario_with_no_tasks_says_so(tmp_path: Path) -> None:
    path = tmp_path / "empty.toml"
    path.write_text("include_demo = false\n", encoding="utf-8")
    with simulate("--scenario", str(path)) as lines:
        assert not any("try:" in line for line in lines)
        assert "no tasks: the scenario defines none" in "\n".join(lines)


def test_a_body_fault_takes_any_text() -> None:
    """`body=` is text, not a number, and takes the rest of the setting, commas included."""
    from snaptui.volc.httpx_auth import VolcAuth

    with simulate("--fault", "body:status=418,body=short, and stout") as lines:
        url = lines[0].split()[4]
        answer = httpx.get(
            url,
            params={"Action": "GetSnapshotTask", "Version": "2023-11-01", "AppId": "demo",
                    "RoomId": "room-1", "TaskId": "task-ended"},
            auth=VolcAuth(DEMO_CREDS, "cn-north-1"),
            timeout=10,
        )  # fmt: skip
    assert (answer.status_code, answer.text) == (418, "short, and stout")


# --- the server answers every request ------------------------------------------------------


def test_an_internal_failure_is_answered_and_logged(capfd: pytest.CaptureFixture[str]) -> None:
    """A task the scenario checks would refuse, built in code: the request still gets an
    answer (500 InternalError) and the simulator's log says why."""
    import datetime

    from snaptui.volc.client import RtcClient
    from snaptui.volc.endpoints import resolve_endpoint
    from snaptui.volc.errors import SnaptuiError

    broken = TaskSpec("demo", "room-1", "t", {"Status": datetime.date(2026, 1, 1)})
    with Simulator(Gateway(tasks=[broken])) as sim:

        async def query() -> str:
            async with RtcClient(DEMO_CREDS, resolve_endpoint(sim.url), timeout=10) as client:
                try:
                    await client.get_snapshot_task("demo", "room-1", "t")
                except SnaptuiError as error:
                    return str(error)
            return "answered"

        assert "InternalError" in run(query())
    log = capfd.readouterr().err
    assert "simulator: GET /?" in log and "TypeError" in log


def test_a_body_that_cannot_be_framed_is_answered() -> None:
    """A Content-Length that is not a byte count gets a 400, not a hung connection."""
    with Simulator(Gateway()) as sim:
        host, port = sim.url.removeprefix("http://").split(":")
        for length in ("-5", "abc", str(1 << 30)):
            with socket.create_connection((host, int(port)), timeout=5) as conn:
                conn.sendall(
                    f"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: {length}\r\n\r\n".encode()
                )
                # The server closes the connection after answering: read to the end.
                answer = b"".join(iter(lambda: conn.recv(4096), b"")).decode()
            assert answer.startswith("HTTP/1.1 400"), answer
            assert "Content-Length" in answer.split("\r\n\r\n", 1)[1]


def test_load_scenario_keeps_the_documented_example(tmp_path: Path) -> None:
    """The README's example still loads as it says."""
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    example = readme.split("```toml\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "readme.toml"
    path.write_text(example, encoding="utf-8")
    tasks, faults, keep_demo = load_scenario(path)
    assert [t.key for t in tasks] == [("myapp", "standup", "snap-1")]
    assert [f.kind for f in faults] == ["latency"] and keep_demo is False
    with pytest.raises(ScenarioError):
        path.write_text(example.replace("at = 10", "at = nan"), encoding="utf-8")
        load_scenario(path)


def test_an_endless_scenario_file_is_refused_in_bounded_memory() -> None:
    from pathlib import Path

    from snaptui.simulator.tasks import ScenarioError, load_scenario

    with pytest.raises(ScenarioError, match="over 16 MiB"):
        load_scenario(Path("/dev/zero"))
