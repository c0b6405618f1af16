"""The command line's last rough edges, each as a person meets it in a shell: help to a
full disk, a refused connection that says where, watch without a terminal, a session
token beside VOLC_* keys, a gzip answer with bytes after it, and the keyring message."""

from __future__ import annotations

import gzip
import json
import os
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from snaptui.simulator import DEMO_SECRET_KEY, Account, Gateway, Simulator
from snaptui.volc.client import RtcClient
from snaptui.volc.endpoints import resolve_endpoint
from snaptui.volc.errors import MalformedResponseError
from snaptui.volc.ratelimit import RateLimiter
from snaptui.volc.secret import Secret
from tests.helpers import DEMO_CREDS, DEMO_ENV, cli, run
from tests.hostile_server import Answer, HostileServer, hostile_env
from tests.terminal import require_tmux, terminal
from tests.test_output_errors import FULL, SNAPTUI, with_stdout_closed

HELP_AND_VERSION = [["--help"], ["get", "--help"], ["simulate", "--help"], ["--version"]]


# --- 1. --help and --version whose output cannot be written -------------------------


def _clean_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith(("VOLC", "SNAPTUI"))}


@pytest.mark.parametrize("args", HELP_AND_VERSION, ids=" ".join)
def test_help_to_a_full_disk_fails_in_one_line(args: list[str]) -> None:
    if not os.path.exists(FULL):
        pytest.skip(f"no {FULL}")
    with open(FULL, "w") as full:
        proc = subprocess.run(
            [*SNAPTUI, *args], stdout=full, stderr=subprocess.PIPE, text=True, env=_clean_env()
        )
    assert proc.returncode == 1, proc.stderr
    assert proc.stderr.splitlines() == ["error: cannot write the output: No space left on device"]


@pytest.mark.parametrize("args", HELP_AND_VERSION, ids=" ".join)
def test_help_with_stdout_closed_fails_in_one_line(args: list[str]) -> None:
    proc = with_stdout_closed(args, _clean_env())
    assert proc.returncode == 1, proc.stderr
    # Not the help text on stderr instead: one line saying why.
    assert proc.stderr.splitlines() == ["error: cannot write the output: standard output is closed"]


def test_help_still_prints_and_a_reader_gone_is_quiet() -> None:
    proc = subprocess.run([*SNAPTUI, "get", "--help"], capture_output=True, text=True)
    assert proc.returncode == 0 and "APP_ID ROOM_ID TASK_ID" in proc.stdout
    piped = subprocess.run(
        ["bash", "-c", 'set -o pipefail; "$@" --help | head -c 5', "-", *SNAPTUI],
        capture_output=True,
        text=True,
    )
    assert piped.returncode == 0 and piped.stderr == "", piped.stderr
    assert piped.stdout == "usage"


# --- 2. a refused connection says where ----------------------------------------------


def _closed_port() -> int:
    """A loopback port nothing listens on: bound, then let go."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_get_names_the_address_it_could_not_connect_to(tmp_path: Path) -> None:
    port = _closed_port()
    env = {**DEMO_ENV, "SNAPTUI_CONFIG_DIR": str(tmp_path)}
    result = cli("get", "--endpoint", f"http://127.0.0.1:{port}", "demo", "room-1", "t", env=env)
    assert result.code == 5
    assert result.err.splitlines() == [
        f"error: could not connect to http://127.0.0.1:{port} (connection refused)"
    ]
    assert DEMO_SECRET_KEY not in result.err and "Errno" not in result.err
    zh = cli(
        "get", "--lang", "zh", "--endpoint", f"http://127.0.0.1:{port}", "a", "b", "c", env=env
    )
    assert zh.err.splitlines() == [f"错误：无法连接到 http://127.0.0.1:{port}（连接被拒绝）"]


def test_the_apps_error_panel_names_the_address_too(tmp_path: Path) -> None:
    require_tmux()
    port = _closed_port()
    env = {**DEMO_ENV, "SNAPTUI_CONFIG_DIR": str(tmp_path / "config"), "HOME": str(tmp_path)}
    argv = [*SNAPTUI, "--endpoint", f"http://127.0.0.1:{port}", "app1", "room-1", "task-1"]
    with terminal(argv, tmp_path, size=(100, 30), env=env) as term:
        screen = term.wait_for("connection refused", timeout=20)
        term.keys("C-q")
        term.exit_status(timeout=10)
    assert f"could not connect to http://127.0.0.1:{port} (connection refused)" in " ".join(
        screen.split()
    ), screen


# --- 5. a gzip answer with bytes after the gzip member --------------------------------

TASK_BODY = json.dumps(
    {
        "ResponseMetadata": {"RequestId": "rq-body", "Action": "GetSnapshotTask"},
        "Result": {"SnapshotTask": {"Status": 3}},
    }
).encode()
GZIP_HEADERS = [
    ("Content-Type", b"application/json"),
    ("Content-Encoding", b"gzip"),
    ("X-Tt-Logid", b"20261126045500000001ABCDEF"),
]
BROKEN_GZIP = {
    "trailing-garbage": gzip.compress(TASK_BODY) + b"\x00junk",
    "two-members": gzip.compress(TASK_BODY) + gzip.compress(b'{"other": 1}'),
    "cut-short": gzip.compress(TASK_BODY)[:-6],
}


@pytest.fixture
def gzip_server() -> Iterator[HostileServer]:
    with HostileServer() as running:
        yield running


@pytest.mark.parametrize("name", BROKEN_GZIP)
def test_get_refuses_a_gzip_answer_with_a_tail_or_cut_short(
    name: str, gzip_server: HostileServer, tmp_path: Path
) -> None:
    gzip_server.answer = Answer(body=BROKEN_GZIP[name], headers=GZIP_HEADERS)
    env = hostile_env(gzip_server.url, str(tmp_path / "config"), DEMO_ENV)
    proc = subprocess.run(
        [*SNAPTUI, "get", "--output", "json", "app1", "room-1", "task-1"],
        capture_output=True,
        text=True,
        env=env,
        timeout=30,
    )
    assert proc.returncode == 5, proc.stdout
    assert proc.stdout == ""
    lines = proc.stderr.splitlines()
    assert lines[0].startswith("error: HTTP 200: the compressed body "), proc.stderr
    assert lines[1:] == ["  RequestId: 20261126045500000001ABCDEF"], proc.stderr


def test_a_whole_gzip_answer_is_still_read(gzip_server: HostileServer, tmp_path: Path) -> None:
    gzip_server.answer = Answer(body=gzip.compress(TASK_BODY), headers=GZIP_HEADERS)
    env = hostile_env(gzip_server.url, str(tmp_path / "config"), DEMO_ENV)
    result = subprocess.run(
        [*SNAPTUI, "get", "--output", "json", "app1", "room-1", "task-1"],
        capture_output=True,
        text=True,
        env=env,
        timeout=30,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["Result"]["SnapshotTask"]["Status"] == 3


@pytest.mark.parametrize("name", BROKEN_GZIP)
def test_the_apps_client_refuses_it_too(name: str, gzip_server: HostileServer) -> None:
    gzip_server.answer = Answer(body=BROKEN_GZIP[name], headers=GZIP_HEADERS)

    async def fetch() -> None:
        endpoint = resolve_endpoint(gzip_server.url)
        async with RtcClient(DEMO_CREDS, endpoint, timeout=5, rate_limiter=RateLimiter()) as c:
            await c.get_snapshot_task("app1", "room-1", "task-1")

    with pytest.raises(MalformedResponseError, match="the compressed body") as caught:
        run(fetch())
    assert caught.value.request_id == "20261126045500000001ABCDEF"


# --- 6. no safe keyring, said in three lines -------------------------------------------


def _no_safe_keyring_env(tmp_path: Path) -> dict[str, str]:
    """As on a machine with keyrings.alt and no Secret Service: the chain holds only
    keyrings.alt's file backends."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("VOLC", "SNAPTUI", "PYTHON_KEYRING", "DBUS", "XDG"))
    }
    env.update(
        HOME=str(tmp_path),
        SNAPTUI_CONFIG_DIR=str(tmp_path / "config"),
        PYTHON_KEYRING_BACKEND="keyring.backends.chainer.ChainerBackend",
        DBUS_SESSION_BUS_ADDRESS="unix:path=/nonexistent",
    )
    return env


NO_SAFE_KEYRING = (
    "no safe keyring here (only keyrings.alt's files). Set VOLCENGINE_ACCESS_KEY and "
    "VOLCENGINE_SECRET_KEY, or install and unlock a Secret Service keyring"
)


def test_credentials_screen_says_it_in_three_lines_at_80_columns(tmp_path: Path) -> None:
    pytest.importorskip("keyrings.alt")
    require_tmux()
    with terminal([*SNAPTUI], tmp_path, size=(80, 24), env=_no_safe_keyring_env(tmp_path)) as term:
        screen = term.wait_for("session only.", timeout=20)
        term.keys("Escape", "C-q")
        term.exit_status(timeout=10)
    lines = screen.splitlines()
    first = next(i for i, line in enumerate(lines) if "No safe keyring here" in line)
    last = next(i for i, line in enumerate(lines) if "session only." in line)
    assert last - first <= 2, screen
    said = " ".join(" ".join(lines[first : last + 1]).split())
    assert said == (
        "No safe keyring here (only keyrings.alt's files). Set VOLCENGINE_ACCESS_KEY and "
        "VOLCENGINE_SECRET_KEY, or install and unlock a Secret Service keyring, or use the "
        "keys for this session only."
    ), screen
    assert "keyrings.alt.file" not in screen and "ChainerBackend" not in screen


@pytest.mark.parametrize("command", [["get", "app1", "room-1", "task-1"], ["whoami"]])
def test_get_and_whoami_say_the_same(command: list[str], tmp_path: Path) -> None:
    pytest.importorskip("keyrings.alt")
    proc = subprocess.run(
        [*SNAPTUI, *command],
        capture_output=True,
        text=True,
        env=_no_safe_keyring_env(tmp_path),
        timeout=30,
    )
    assert proc.returncode == 3
    assert proc.stderr.splitlines() == [
        f"error: no credentials for profile 'default': {NO_SAFE_KEYRING}"
    ]


# --- 3. the app with no terminal to show it on ----------------------------------------


def _app_commands(tmp_path: Path) -> dict[str, list[str]]:
    listing = tmp_path / "list.txt"
    listing.write_text("demo room-1 task-live\n")
    return {
        "snaptui watch": ["watch", "--demo", str(listing)],
        "snaptui demo": ["demo"],
        "snaptui": ["app1", "room-1", "task-1"],
    }


@pytest.mark.parametrize("command", ["snaptui watch", "snaptui demo", "snaptui"])
def test_the_app_refuses_a_pipe_in_one_line_with_a_hint(command: str, tmp_path: Path) -> None:
    """Piped (`| tee log`) or in a script, the other end wants lines: the full-screen app
    is refused at once, instead of writing escape codes and waiting for keys."""
    env = {**DEMO_ENV, "SNAPTUI_CONFIG_DIR": str(tmp_path / "config")}
    result = cli(*_app_commands(tmp_path)[command], env=env, timeout=20)
    assert result.code == 2
    assert result.out == ""
    assert result.err.splitlines() == [
        f"{command}: the app needs a terminal, and stdout is not one; in a script, use "
        "`snaptui get APP_ID ROOM_ID TASK_ID` (--watch to follow a task until it ends)"
    ]


def test_watch_on_a_terminal_still_opens(tmp_path: Path) -> None:
    require_tmux()
    listing = tmp_path / "list.txt"
    listing.write_text("demo room-1 task-ended\n")
    env = {"SNAPTUI_CONFIG_DIR": str(tmp_path / "config"), "HOME": str(tmp_path)}
    with terminal([*SNAPTUI, "watch", "--demo", str(listing)], tmp_path, env=env) as term:
        term.wait_for("task-ended", timeout=20)
        term.keys("C-q")
        assert term.exit_status(timeout=10) == 0


# --- 4. a session token beside VOLC_* keys ---------------------------------------------

STS_AK, STS_SK, STS_TOKEN = "AKTPsnaptuists", "sts-secret", "sts-token-1"
TOKEN_WARNING = (
    "warning: VOLCENGINE_SESSION_TOKEN is not used with VOLC_ACCESSKEY and VOLC_SECRETKEY, "
    "as in the official SDKs; for temporary keys set VOLCENGINE_ACCESS_KEY and "
    "VOLCENGINE_SECRET_KEY with it"
)


@pytest.fixture
def sts_sim() -> Iterator[Simulator]:
    account = Account(Secret(STS_SK), Secret(STS_TOKEN))
    with Simulator(Gateway(accounts={STS_AK: account})) as sim:
        yield sim


def test_the_token_goes_with_the_volcengine_pair(sts_sim: Simulator, tmp_path: Path) -> None:
    env = {
        "VOLCENGINE_ACCESS_KEY": STS_AK,
        "VOLCENGINE_SECRET_KEY": STS_SK,
        "VOLCENGINE_SESSION_TOKEN": STS_TOKEN,
        "SNAPTUI_CONFIG_DIR": str(tmp_path),
    }
    result = cli("get", "--endpoint", sts_sim.url, "demo", "room-1", "task-ended", env=env)
    assert result.code == 0, result.err
    assert result.err == ""


def test_a_token_beside_volc_keys_is_said_not_silently_dropped(
    sts_sim: Simulator, tmp_path: Path
) -> None:
    env = {
        "VOLC_ACCESSKEY": STS_AK,
        "VOLC_SECRETKEY": STS_SK,
        "VOLCENGINE_SESSION_TOKEN": STS_TOKEN,
        "SNAPTUI_CONFIG_DIR": str(tmp_path),
    }
    result = cli("get", "--endpoint", sts_sim.url, "demo", "room-1", "task-ended", env=env)
    # As with the official SDKs, the token is not sent with VOLC_* keys: the server
    # refuses the temporary keys, and the first line says why.
    assert result.code == 4, result.err
    assert result.err.splitlines()[0] == TOKEN_WARNING
    assert STS_TOKEN not in result.err and STS_SK not in result.err
    whoami = cli("whoami", env=env)
    assert whoami.code == 0
    assert whoami.err.splitlines() == [TOKEN_WARNING]
    assert "session token" not in whoami.out


def test_no_warning_without_a_token(tmp_path: Path) -> None:
    whoami = cli("whoami", env={**DEMO_ENV, "SNAPTUI_CONFIG_DIR": str(tmp_path)})
    assert whoami.code == 0 and whoami.err == ""


def test_the_app_says_it_too(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from snaptui import cli as snaptui_cli
    from snaptui.tui import launch

    started: list[launch.AppOptions] = []

    def fake_run(options: launch.AppOptions, lang: str | None = None) -> int:
        started.append(options)
        return 0

    monkeypatch.setattr(launch, "run_app", fake_run)
    monkeypatch.setattr("snaptui.cli._need_terminal", lambda command: None)  # a terminal
    monkeypatch.setenv("SNAPTUI_CONFIG_DIR", str(tmp_path))
    for name in ("VOLCENGINE_ACCESS_KEY", "VOLCENGINE_SECRET_KEY"):
        monkeypatch.delenv(name, raising=False)
    for name, value in {"VOLC_ACCESSKEY": STS_AK, "VOLC_SECRETKEY": STS_SK}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("VOLCENGINE_SESSION_TOKEN", STS_TOKEN)
    assert snaptui_cli.main(["app1", "room-1", "task-1"]) == 0
    assert list(started[-1].notes) == [TOKEN_WARNING.removeprefix("warning: ")]
    monkeypatch.delenv("VOLCENGINE_SESSION_TOKEN")
    assert snaptui_cli.main(["app1", "room-1", "task-1"]) == 0
    assert list(started[-1].notes) == []
