"""Writing the output fails: a full disk (`> /dev/full`) or stdout closed (`>&-`). Not an
internal error: one line saying why, and exit code 1, which README's table documents."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.hostile_server import Answer, HostileServer, hostile_env
from tests.terminal import SNAPTUI

README = Path(__file__).parent.parent / "README.md"
KEYS = {"VOLC_ACCESSKEY": "AKLToutputerrors01", "VOLC_SECRETKEY": "output-errors-secret"}
IDS = ["app1", "room-1", "task-1"]
META = {"RequestId": "out-1", "Action": "GetSnapshotTask", "Version": "2023-11-01"}
ENDED = {"ResponseMetadata": META, "Result": {"SnapshotTask": {"Status": 3}}}
FULL = "/dev/full"


@pytest.fixture
def server() -> Iterator[HostileServer]:
    with HostileServer() as running:
        running.answer = Answer(body=json.dumps(ENDED).encode())
        yield running


def env_for(server: HostileServer, tmp_path: Path) -> dict[str, str]:
    env = hostile_env(server.url, str(tmp_path / "config"), KEYS)
    env["HOME"] = str(tmp_path)
    return env


def to_full_disk(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    if not os.path.exists(FULL):
        pytest.skip(f"no {FULL}")
    with open(FULL, "w") as full:
        return subprocess.run(
            [*SNAPTUI, *args], stdout=full, stderr=subprocess.PIPE, text=True, env=env, timeout=30
        )


def with_stdout_closed(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", "-c", 'exec "$@" >&-', "-", *SNAPTUI, *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        timeout=30,
    )


def check_one_line(proc: subprocess.CompletedProcess[str], reason: str) -> None:
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert proc.returncode == 1, proc.stderr
    assert lines == [f"error: cannot write the output: {reason}"], proc.stderr


@pytest.mark.parametrize(
    "options", [["--output", "json"], ["--output", "tree"], ["--watch", "--interval", "1"]]
)
def test_get_to_a_full_disk(options: list[str], server: HostileServer, tmp_path: Path) -> None:
    proc = to_full_disk(["get", *options, *IDS], env_for(server, tmp_path))
    check_one_line(proc, "No space left on device")


def test_get_with_stdout_closed_says_so_before_sending(
    server: HostileServer, tmp_path: Path
) -> None:
    proc = with_stdout_closed(["get", *IDS], env_for(server, tmp_path))
    check_one_line(proc, "standard output is closed")
    assert server.requests == [], "a request was sent whose answer had nowhere to go"


def test_whoami_to_a_full_disk_or_a_closed_stdout(server: HostileServer, tmp_path: Path) -> None:
    env = env_for(server, tmp_path)
    check_one_line(to_full_disk(["whoami"], env), "No space left on device")
    check_one_line(with_stdout_closed(["whoami"], env), "standard output is closed")


def test_in_chinese_too(server: HostileServer, tmp_path: Path) -> None:
    proc = to_full_disk(["--lang", "zh", "get", *IDS], env_for(server, tmp_path))
    assert proc.returncode == 1
    assert proc.stderr.strip() == "错误：无法写出输出：No space left on device", proc.stderr


def test_a_pipe_closed_by_its_reader_is_still_quiet(server: HostileServer, tmp_path: Path) -> None:
    env = env_for(server, tmp_path)
    argv = " ".join([*SNAPTUI, "get", "--output", "json", *IDS])
    proc = subprocess.run(
        ["bash", "-c", f"set -o pipefail; {argv} | head -c 1"],
        capture_output=True,
        text=True,
        env=env,
        timeout=30,
    )
    assert "cannot write" not in proc.stderr and "internal error" not in proc.stderr


def test_exit_code_1_is_documented() -> None:
    readme = README.read_text(encoding="utf-8")
    assert "| 1 | the output could not be written" in readme
    proc = subprocess.run(
        [*SNAPTUI, "get", "--help"],
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "200"},
        timeout=30,
    )
    assert "  1  the output could not be written" in proc.stdout
