"""The command line's rough edges, as a new user and an attacker meet them: hints that name
only what the command can do, usage errors that point to the command's own help, bad
options and over-long numbers as one-line usage errors, unknown profiles, and the
simulator's secret kept out of its command line."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from snaptui import cli
from snaptui.settings import Profile, save_profile
from snaptui.simulator import Fault, Gateway, Simulator
from snaptui.tui import launch
from tests.helpers import DEMO_ENV
from tests.helpers import cli as run_cli
from tests.terminal import run_in_pty

ROOT = Path(__file__).parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
# A keyring backend snaptui refuses: as on a server with no desktop keyring.
NO_KEYRING = {"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
HUGE = "1" + "0" * 5000


def config_env(**extra: str) -> dict[str, str]:
    """The test's own config dir (the cli helper drops SNAPTUI_* from the environment)."""
    return {"SNAPTUI_CONFIG_DIR": os.environ["SNAPTUI_CONFIG_DIR"], **extra}


def snaptui(*args: str) -> list[str]:
    return [sys.executable, "-m", "snaptui", *args]


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> list[launch.AppOptions]:
    """What the app would have been started with (it is not started)."""
    seen: list[launch.AppOptions] = []

    def fake_run(options: launch.AppOptions, lang: str | None = None) -> int:
        seen.append(options)
        return 0

    monkeypatch.setattr(launch, "run_app", fake_run)
    monkeypatch.setattr("snaptui.cli._need_terminal", lambda command: None)  # a terminal
    return seen


# --- 1. hints name only what works for the command --------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["get", "demo", "room-1", "task-ended"],
        ["whoami"],
        ["login", "--access-key", "AKLTnew", "--secret-stdin"],
    ],
)
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_without_a_keyring_the_hint_names_only_what_the_command_can_use(
    args: list[str], lang: str
) -> None:
    result = run_cli(*args, "--lang", lang, env=config_env(**NO_KEYRING))
    assert result.code == 3, result.err
    assert "VOLCENGINE_ACCESS_KEY" in result.err and "Traceback" not in result.err
    # Keys for this session only are the app's (F2, Ctrl+O): no command has a session.
    assert "session only" not in result.err
    assert "本次会话" not in result.err


def test_the_app_still_offers_keys_for_this_session() -> None:
    code = (
        "from snaptui import credentials\n"
        "try:\n"
        "    credentials.resolve('default')\n"
        "except credentials.KeyringUnavailable as exc:\n"
        "    print(exc)\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("VOLC")} | NO_KEYRING
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60
    )
    assert "or use the keys for this session only" in done.stdout, done.stderr


def test_get_on_a_terminal_without_keys_names_no_app_only_way() -> None:
    code, written = run_in_pty(snaptui("get", "demo", "room-1", "task-ended"), env=NO_KEYRING)
    screen = written.decode()
    assert code == 3
    assert "VOLCENGINE_ACCESS_KEY" in screen and "session" not in screen


# --- 2. a usage error points to the help of its own command -----------------------


@pytest.mark.parametrize(
    ("args", "help_command"),
    [
        (["get", "demo"], "snaptui get"),
        (["get", "demo", "room-1", "t", "--output", "xml"], "snaptui get"),
        (["get", "demo", "room-1", "t", "--interval", "0.2"], "snaptui get"),
        (["simulate", "--port", "x"], "snaptui simulate"),
        (["whoami", "--bogus"], "snaptui whoami"),
        (["login", "--bogus"], "snaptui login"),
        (["logout", "extra"], "snaptui logout"),
        (["watch"], "snaptui watch"),
        (["demo", "a", "b", "c", "d"], "snaptui demo"),
        (["get", "--lang", "xx", "a", "b", "c"], "snaptui get"),
        (["--lang", "zh", "--lang=en", "watch", "--bogus", "f"], "snaptui watch"),
        (["--lang", "xx", "get", "a", "b", "c"], "snaptui get"),
        (["--", "get", "a"], "snaptui"),
        (["--bogus"], "snaptui"),
        (["a", "b"], "snaptui"),
    ],
)
def test_a_usage_error_points_to_its_command_s_help(args: list[str], help_command: str) -> None:
    result = run_cli(*args, env=config_env())
    assert result.code == 2, result.err
    assert result.err.splitlines()[-1] == f"Try '{help_command} --help'."
    assert run_cli(*help_command.split()[1:], "--help").code == 0


def test_usage_error_pointer_is_translated() -> None:
    result = run_cli("--lang", "zh", "get", "demo")
    assert result.err.splitlines()[-1] == "请运行 'snaptui get --help' 查看用法。"


def test_get_s_usage_error_on_a_terminal_points_to_get_s_help() -> None:
    code, written = run_in_pty(snaptui("get", "demo"))
    assert code == 2
    assert "Try 'snaptui get --help'." in written.decode()
    assert "Try 'snaptui --help'." not in written.decode()


# --- 3. get --watch writes JSON Lines when piped ----------------------------------


@pytest.fixture
def fast_sim() -> Iterator[Simulator]:
    """The demo simulator on a clock ten times faster than the real one: task-live's 20 s
    story takes 2 s. (A clock skew warning may appear on stderr after 6 s.)"""
    start = time.time()
    with Simulator(Gateway(clock=lambda: start + (time.time() - start) * 10)) as running:
        yield running


def test_get_help_documents_json_lines_for_watch() -> None:
    out = " ".join(run_cli("get", "--help").out.split())
    assert "one line per status change" in out and "JSON Lines" in out


def test_readme_watch_example_prints_each_status_change(fast_sim: Simulator) -> None:
    section = README.split("### `snaptui get`", 1)[1].split("\n### ", 1)[0]
    [example] = [b for b in re.findall(r"```sh\n(.*?)```", section, re.S) if "--watch" in b]
    assert "http://127.0.0.1:8000" in example
    script = example.replace("http://127.0.0.1:8000", fast_sim.url)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VOLC", "PYTHON_KEYRING"))}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}"
    done = subprocess.run(
        ["bash", "-o", "pipefail", "-c", script],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    # What the README says the example prints.
    assert done.stdout.split() == ["1", "2", "3"], done.stderr


def test_watch_as_json_is_one_object_a_line_per_status_change(fast_sim: Simulator) -> None:
    args = ["get", "--endpoint", fast_sim.url, "--watch", "--interval", "1"]
    result = run_cli(*args, "demo", "room-1", "task-live", env=config_env(**DEMO_ENV))
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    statuses = [json.loads(line)["Result"]["SnapshotTask"]["Status"] for line in lines]
    assert statuses == [1, 2, 3]


# --- 4. a bad option is a usage error for every command ----------------------------


BAD_OPTIONS = [
    (["--endpoint", "http://[::1"], "invalid endpoint URL"),
    (["--endpoint", "ftp://example.com"], "endpoint"),
    (["--region", "é"], "invalid region"),
]


@pytest.mark.parametrize(("option", "words"), BAD_OPTIONS)
@pytest.mark.parametrize(
    "command",
    [[], ["demo", "room-1", "task-ended"], ["get", "demo", "room-1", "task-ended"], ["watch"]],
)
def test_a_bad_connection_option_is_a_usage_error_for_every_command(
    started: list[launch.AppOptions],
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    command: list[str],
    option: list[str],
    words: str,
) -> None:
    if command == ["watch"]:
        (tmp_path / "list").write_text("demo room-1 task-ended\n")
        command = ["watch", str(tmp_path / "list")]
    if command and command[0] == "get":
        command = [*command, "--timeout", "1"]
    argv = [*command, *option] if command and command[0] != "demo" else [*option, *command]
    assert cli.main(argv) == 2
    err = capsys.readouterr().err
    assert words in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1, err
    assert not started  # the app was not opened on a connection it could not use


def test_a_bad_endpoint_on_login_is_a_usage_error_whatever_the_keyring() -> None:
    args = ["login", "--access-key", "AKLTnew", "--secret-stdin", "--endpoint", "http://[::1"]
    result = run_cli(*args, env=config_env(**NO_KEYRING))
    assert result.code == 2, result.err
    assert "invalid endpoint URL" in result.err


def test_the_app_s_bad_endpoint_exits_2_as_get_s_does() -> None:
    for args in (
        ["--endpoint", "http://[::1"],
        ["get", "--endpoint", "http://[::1", "a", "b", "c"],
    ):
        result = run_cli(*args, env=config_env(**DEMO_ENV))
        assert result.code == 2, result.err
        assert (
            result.err.strip()
            == "error: invalid endpoint URL: the host or port cannot be read (a port is a number)"
        )


# --- 5. over-long numbers ------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (
            ["get", "a", "b", "c", "--timeout", HUGE],
            "--timeout must be more than 0 and at most 600",
        ),
        (["get", "a", "b", "c", "--interval", HUGE], "--interval must be a number of seconds"),
        (["get", "a", "b", "c", "--timeout", "1x" + HUGE], "--timeout: must be a number"),
        (["get", "a", "b", "c", "--interval", "-" + HUGE], "--interval must be"),
        (["simulate", "--port", HUGE], "--port: must be a port number from 0"),
        (["simulate", "--port", "1_000"], "--port: must be a port number from 0"),
        (["simulate", "--port", "65536"], "--port: must be a port number from 0"),
        (["simulate", "--fault", f"http5xx:status={HUGE}"], "status is too large"),
        (["simulate", "--fault", f"http5xx:times={HUGE}"], "times is too large"),
        (["simulate", "--region", HUGE], "invalid region"),
        (["simulate", "--region", "é"], "invalid region"),
        (["get", "a", "b", "c", "--output", HUGE], "invalid choice"),
        (["get", "a", "b", "c", HUGE], "unrecognized arguments"),
    ],
)
def test_an_over_long_number_is_a_short_clear_usage_error(args: list[str], words: str) -> None:
    result = run_cli(*args, env=config_env(**DEMO_ENV))
    assert result.code == 2, result.err[:500]
    assert words in result.err, result.err[:500]
    assert "4300" not in result.err and "Exceeds the limit" not in result.err
    assert "Traceback" not in result.err
    lines = result.err.splitlines()
    assert len(lines) <= 2 and all(len(line) < 300 for line in lines), result.err[:500]


# --- 6. an unknown profile -----------------------------------------------------------


def test_an_unknown_profile_on_get_and_whoami_says_so_and_lists_the_known_ones() -> None:
    save_profile(Profile("work", "byteplus"))
    for args in (
        ["get", "--profile", "wrok", "demo", "room-1", "task-ended"],
        ["whoami", "--profile", "wrok"],
    ):
        # Keys in the environment do not make a mistyped profile right.
        result = run_cli(*args, env=config_env(**DEMO_ENV))
        assert result.code == 2, result.err
        assert "profile 'wrok' does not exist" in result.err
        assert "'default', 'work'" in result.err
        assert "snaptui login --profile wrok" in result.err
        assert "AKLTsnaptuidemo" not in result.err and "snaptui-demo-secret" not in result.err
        assert len(result.err.strip().splitlines()) == 1


def test_a_known_profile_still_works(live_sim: Simulator) -> None:
    save_profile(Profile("work", live_sim.url))
    result = run_cli(
        "get", "--profile", "work", "demo", "room-1", "task-ended", env=config_env(**DEMO_ENV)
    )
    assert result.code == 0, result.err
    result = run_cli("whoami", "--profile", "work", env=config_env(**DEMO_ENV))
    assert result.code == 0 and live_sim.url in result.out
    result = run_cli(
        "get",
        "demo",
        "room-1",
        "task-ended",
        "--endpoint",
        live_sim.url,
        env=config_env(**DEMO_ENV),
    )
    assert result.code == 0, result.err  # default needs no saving


@pytest.mark.parametrize("command", [[], ["demo", "room-1", "task-ended"], ["watch"]])
def test_the_app_and_watch_refuse_an_unknown_profile(
    started: list[launch.AppOptions],
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    command: list[str],
) -> None:
    if command == ["watch"]:
        (tmp_path / "list").write_text("demo room-1 task-ended\n")
        command = ["watch", str(tmp_path / "list")]
    argv = (
        [*command, "--profile", "wrok"]
        if command[:1] == ["watch"]
        else ["--profile", "wrok", *command]
    )
    assert cli.main(argv) == 2
    err = capsys.readouterr().err
    assert "profile 'wrok' does not exist" in err and not started
    save_profile(Profile("wrok"))
    assert cli.main(argv) == 0 and started[-1].profile == "wrok"


def test_an_unknown_profile_is_said_in_chinese() -> None:
    result = run_cli("--lang", "zh", "whoami", "--profile", "wrok", env=config_env())
    assert result.code == 2
    assert "Profile 'wrok' 不存在" in result.err


def test_login_creates_a_new_profile(secret_service_env: dict[str, str], tmp_path: Path) -> None:
    env = {
        k: v for k, v in secret_service_env.items() if not k.startswith(("VOLC", "PYTHON_KEYRING"))
    }
    env["SNAPTUI_CONFIG_DIR"] = str(tmp_path / "config")
    env["PYTHONPATH"] = str(ROOT)

    def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            snaptui(*args), input=stdin, capture_output=True, text=True, env=env, timeout=120
        )

    assert run("whoami", "--profile", "brand-new").returncode == 2
    try:
        login = run(
            "login",
            "--profile",
            "brand-new",
            "--access-key",
            "AKLTbrandnew1234",
            "--secret-stdin",
            stdin="sk-brand-new\n",
        )
        assert login.returncode == 0, login.stderr
        whoami = run("whoami", "--profile", "brand-new")
        assert whoami.returncode == 0, whoami.stderr
        assert "****1234" in whoami.stdout and "sk-brand-new" not in whoami.stdout
    finally:
        run("logout", "--profile", "brand-new")


# --- 7. the simulator's SecretKey stays out of its command line --------------------


def _start_simulator(
    args: list[str], env: dict[str, str], stdin: str | None = None
) -> tuple[subprocess.Popen[str], str]:
    """A running `snaptui simulate` on a free port, and the URL it printed."""
    proc = subprocess.Popen(
        snaptui("simulate", "--port", "0", *args),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert proc.stdin is not None and proc.stdout is not None
    if stdin is not None:
        proc.stdin.write(stdin)
        proc.stdin.flush()
    line = proc.stdout.readline()
    match = re.search(r"http://127\.0\.0\.1:\d+", line)
    assert match, line + (proc.stderr.read() if proc.stderr else "")
    return proc, match.group()


def _stop(proc: subprocess.Popen[str]) -> str:
    proc.terminate()
    _out, err = proc.communicate(timeout=30)
    return err


SECRET = "sk-SENTINEL-not-in-argv-93f1"


@pytest.mark.parametrize("how", ["stdin", "environment"])
def test_the_documented_ways_keep_the_secret_out_of_the_process_list(how: str) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VOLC", "SNAPTUI_SIM"))}
    args = ["--access-key", "AKLTmine"]
    if how == "stdin":
        proc, url = _start_simulator([*args, "--secret-key-stdin"], env, stdin=SECRET + "\n")
    else:
        env["SNAPTUI_SIMULATOR_SECRET_KEY"] = SECRET
        proc, url = _start_simulator(args, env)
    try:
        cmdline = Path(f"/proc/{proc.pid}/cmdline").read_bytes()
        assert b"simulate" in cmdline  # it is the simulator's own
        assert SECRET.encode() not in cmdline
        # The simulator really accepts that secret, and only it.
        keys = {"VOLC_ACCESSKEY": "AKLTmine", "VOLC_SECRETKEY": SECRET}
        ok = run_cli(
            "get", "--endpoint", url, "demo", "room-1", "task-ended", env=config_env(**keys)
        )
        assert ok.code == 0, ok.err
        keys["VOLC_SECRETKEY"] = "wrong"
        wrong = run_cli(
            "get", "--endpoint", url, "demo", "room-1", "task-ended", env=config_env(**keys)
        )
        assert wrong.code == 4 and "SignatureDoesNotMatch" in wrong.err
    finally:
        err = _stop(proc)
    assert SECRET not in err and "warning" not in err


def test_the_old_option_still_works_but_warns() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VOLC", "SNAPTUI_SIM"))}
    proc, url = _start_simulator(["--access-key", "AKLTmine", "--secret-key", SECRET], env)
    try:
        keys = {"VOLC_ACCESSKEY": "AKLTmine", "VOLC_SECRETKEY": SECRET}
        ok = run_cli(
            "get", "--endpoint", url, "demo", "room-1", "task-ended", env=config_env(**keys)
        )
        assert ok.code == 0, ok.err
    finally:
        err = _stop(proc)
    assert "warning: --secret-key shows the secret to every user" in err
    assert "--secret-key-stdin" in err and SECRET not in err


@pytest.mark.parametrize(
    ("args", "stdin", "words"),
    [
        (["--access-key", "AKLTmine"], "", "--access-key needs its SecretKey"),
        (["--access-key", "AKLTmine", "--secret-key-stdin"], "", "no SecretKey on the first"),
        (["--secret-key-stdin"], "sk\n", "without its --access-key"),
    ],
)
def test_simulator_keys_that_do_not_go_together_are_usage_errors(
    args: list[str], stdin: str, words: str
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VOLC", "SNAPTUI_SIM"))}
    done = subprocess.run(
        snaptui("simulate", "--port", "0", *args),
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert done.returncode == 2, done.stderr
    assert words in done.stderr
    assert done.stderr.splitlines()[-1] == "Try 'snaptui simulate --help'."


def test_simulate_help_names_the_safe_ways() -> None:
    out = " ".join(run_cli("simulate", "--help").out.split())
    assert "--secret-key-stdin" in out and "SNAPTUI_SIMULATOR_SECRET_KEY" in out
    assert "deprecated" in out


@pytest.mark.parametrize("watch", [[], ["--watch"]])
def test_an_api_hint_says_what_the_command_can_do(live_sim: Simulator, watch: list[str]) -> None:
    # The app refreshes slower when throttled; a command has retried and stopped.
    live_sim.gateway.faults.append(Fault("throttle", seconds=0))
    args = ["get", "--endpoint", live_sim.url, *watch, "demo", "room-1", "task-ended"]
    result = run_cli(*args, env=config_env(**DEMO_ENV))
    assert result.code == 4, result.err
    assert "FlowLimitExceeded" in result.err
    assert "Run it again in a moment" in result.err
    assert "refresh" not in result.err and "Retrying" not in result.err


def test_a_secret_typed_at_a_terminal_is_not_echoed() -> None:
    import pty
    import select

    main_fd, child_fd = pty.openpty()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VOLC", "SNAPTUI_SIM"))}
    proc = subprocess.Popen(
        snaptui("simulate", "--port", "0", "--access-key", "AKLTmine", "--secret-key-stdin"),
        stdin=child_fd,
        stdout=child_fd,
        stderr=child_fd,
        env=env,
        close_fds=True,
    )
    os.close(child_fd)
    seen = bytearray()

    def read_until(text: bytes) -> None:
        deadline = time.monotonic() + 30
        while text not in seen:
            assert time.monotonic() < deadline, bytes(seen)
            if select.select([main_fd], [], [], 0.2)[0]:
                seen.extend(os.read(main_fd, 65536))

    try:
        read_until(b"SecretKey (not shown): ")
        os.write(main_fd, SECRET.encode() + b"\r")
        read_until(b"listening on http://")
        assert Path(f"/proc/{proc.pid}/cmdline").read_bytes().find(SECRET.encode()) == -1
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        os.close(main_fd)
    assert SECRET.encode() not in seen


@pytest.mark.parametrize(
    ("args", "first_line"),
    [
        (["--profile", "wrok"], "error: profile 'wrok' does not exist (profiles: 'default')"),
        (
            ["--endpoint", "http://[::1"],
            "error: invalid endpoint URL: the host or port cannot be read (a port is a number)",
        ),
        (["--timeout", "1x" + HUGE], "snaptui get: argument --timeout: must be a number"),
    ],
)
def test_get_s_bad_options_on_a_terminal_read_as_one_short_line(
    args: list[str], first_line: str
) -> None:
    code, written = run_in_pty(
        snaptui("get", *args, "demo", "room-1", "task-ended"), env=DEMO_ENV, size=(100, 30)
    )
    lines = written.decode().splitlines()
    assert code == 2
    assert lines[0].startswith(first_line), lines
    assert len(lines) <= 2 and all(len(line) < 300 for line in lines)
    assert "\x1b" not in written.decode()  # no colour or control in an error line


def test_the_simulator_answers_a_content_length_of_thousands_of_digits(
    live_sim: Simulator, capfd: pytest.CaptureFixture[str]
) -> None:
    import socket

    host, port = live_sim.url.removeprefix("http://").rsplit(":", 1)
    with socket.create_connection((host, int(port)), timeout=10) as conn:
        conn.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: " + HUGE.encode() + b"\r\n\r\n")
        answer = b""
        while chunk := conn.recv(65536):
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 400 "), answer[:200]
    assert b"Content-Length is over" in answer
    assert "4300" not in capfd.readouterr().err
