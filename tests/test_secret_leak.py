"""A sentinel SecretKey and session token go through every path; no byte of any output,
file, screenshot or argv may contain them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from snaptui.connection import Connection
from snaptui.simulator import Account, Fault, Gateway, Simulator
from snaptui.tui.app import SnaptuiApp
from snaptui.tui.widgets.task_view import TaskView
from snaptui.volc.endpoints import resolve_endpoint
from snaptui.volc.secret import Credentials, Secret
from tests.helpers import run
from tests.tui_fixtures import settle

AK = "AKLTsentinelaccess"
SK = "SENTINEL-secret-7f3a9c"
TOKEN = "SENTINEL-token-4b2e81"
SECRETS = (SK, TOKEN)


@pytest.fixture
def leak_sim() -> Iterator[Simulator]:
    accounts = {AK: Account(Secret(SK), Secret(TOKEN))}
    with Simulator(Gateway(accounts=accounts)) as sim:
        yield sim


@pytest.fixture
def home(tmp_path: Path) -> dict[str, str]:
    """Every place a run could write a file is a fresh directory of this test's: HOME, the
    config dirs, the temporary dir, and the working directory (see `snaptui()`)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VOLC", "SNAPTUI"))}
    env.update(
        HOME=str(tmp_path / "home"),
        SNAPTUI_CONFIG_DIR=str(tmp_path / "config"),
        XDG_CONFIG_HOME=str(tmp_path / "xdg"),
        XDG_DATA_HOME=str(tmp_path / "xdg-data"),
        XDG_CACHE_HOME=str(tmp_path / "xdg-cache"),
        TMPDIR=str(tmp_path / "tmp"),
        PYTHONPATH=str(Path(__file__).parent.parent),
        SNAPTUI_TEST_CWD=str(tmp_path / "cwd"),
    )
    for name in ("home", "tmp", "cwd"):
        (tmp_path / name).mkdir()
    return env


def written_roots(env: dict[str, str]) -> list[str]:
    keys = ("HOME", "SNAPTUI_CONFIG_DIR", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME")
    return [env[k] for k in (*keys, "TMPDIR", "SNAPTUI_TEST_CWD")]


def assert_no_secret(blob: str | bytes, where: str) -> None:
    data = blob.encode() if isinstance(blob, str) else blob
    for secret in SECRETS:
        assert secret.encode() not in data, f"{where} contains a secret"
    assert AK.encode() not in data, f"{where} shows the whole AccessKey"


def assert_no_secret_in_files(*roots: str) -> int:
    """Checks every file under `roots`; returns how many there were."""
    count = 0
    for root in roots:
        for path in Path(root).rglob("*"):
            if path.is_file():
                count += 1
                assert_no_secret(path.read_bytes(), str(path))
    return count


def snaptui(
    env: dict[str, str],
    *args: str,
    stdin: str | None = None,
) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "snaptui", *args],
        env=env,
        cwd=env.get("SNAPTUI_TEST_CWD"),
        capture_output=True,
        input=stdin.encode() if stdin else None,
        timeout=60,
    )


def test_cli_paths_with_environment_keys(leak_sim: Simulator, home: dict[str, str]) -> None:
    env = {
        **home,
        "VOLCENGINE_ACCESS_KEY": AK,
        "VOLCENGINE_SECRET_KEY": SK,
        "VOLCENGINE_SESSION_TOKEN": TOKEN,
    }
    url = leak_sim.url
    runs = [
        snaptui(env, "get", "--endpoint", url, "demo", "room-1", "task-ended"),
        snaptui(
            env,
            "get",
            "--endpoint",
            url,
            "--output",
            "tree",
            "--debug",
            "demo",
            "room-1",
            "task-ended",
        ),
        snaptui(
            env, "get", "--endpoint", url, "--watch", "--debug", "demo", "room-1", "task-failed"
        ),
        snaptui(env, "get", "--endpoint", url, "--debug", "demo", "room-1", "no-such-task"),
        snaptui(
            env,
            "get",
            "--endpoint",
            url,
            "--region",
            "ap-singapore-1",
            "--debug",
            "demo",
            "room-1",
            "task-ended",
        ),
        snaptui(env, "whoami"),
    ]
    assert [r.returncode for r in runs] == [0, 0, 6, 4, 4, 0]
    for result in runs:
        assert_no_secret(result.stdout + result.stderr, f"output of {result.args[3:]}")
    # A server that echoes the keys back in its error message.
    leak_sim.gateway.faults.append(
        Fault(
            "body",
            status=403,
            body=(
                '{"ResponseMetadata": {"RequestId": "r", "Error": {"Code": "AccessDenied", '
                f'"Message": "{AK} {SK} {TOKEN}"}}}}}}'
            ),
        )
    )
    echoed = snaptui(env, "get", "--endpoint", url, "--debug", "demo", "room-1", "task-ended")
    assert echoed.returncode == 4 and b"AccessDenied" in echoed.stderr
    assert_no_secret(echoed.stdout + echoed.stderr, "an echoed error")
    # A planted file proves the walk reaches the working directory and the temp dir.
    Path(home["SNAPTUI_TEST_CWD"], "planted.txt").write_text("x")
    Path(home["TMPDIR"], "planted.txt").write_text("x")
    assert assert_no_secret_in_files(*written_roots(home)) >= 2


class ProcessWatch(threading.Thread):
    """Reads, every 50 ms, the argv (/proc/PID/cmdline) of every process whose environment
    holds `mark`: the program under test and anything it starts, while it runs."""

    def __init__(self, mark: str) -> None:
        super().__init__(daemon=True)
        self.mark = mark.encode()
        self.argv: dict[int, bytes] = {}
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.is_set():
            for entry in os.listdir("/proc"):
                if not entry.isdigit() or int(entry) == os.getpid():
                    continue
                try:
                    if self.mark in Path(f"/proc/{entry}/environ").read_bytes():
                        self.argv[int(entry)] = Path(f"/proc/{entry}/cmdline").read_bytes()
                except OSError:
                    continue  # gone already, or not ours to read
            time.sleep(0.05)

    def __enter__(self) -> ProcessWatch:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop_event.set()
        self.join(timeout=5)


def test_argv_never_holds_a_secret(
    leak_sim: Simulator, home: dict[str, str], tmp_path: Path
) -> None:
    """The argv of the real running processes: `get --watch`, `login` from stdin, and the
    app while keys are typed into F2 and tested."""
    from tests.terminal import require_tmux, terminal

    require_tmux()
    mark = f"snaptui-argv-{uuid.uuid4().hex}"
    env = {
        **home,
        "SNAPTUI_ARGV_MARK": mark,
        "VOLCENGINE_ACCESS_KEY": AK,
        "VOLCENGINE_SECRET_KEY": SK,
        "VOLCENGINE_SESSION_TOKEN": TOKEN,
    }
    argv = [sys.executable, "-m", "snaptui"]
    with ProcessWatch(mark) as watch:
        watching = subprocess.Popen(
            [*argv, "get", "--endpoint", leak_sim.url, "--watch", "demo", "room-1", "task-pending"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        login_env = {k: v for k, v in env.items() if not k.startswith("VOLC")}
        snaptui(login_env, "login", "--access-key", AK, "--secret-stdin", stdin=f"{SK}\n{TOKEN}\n")
        (Path(home["SNAPTUI_CONFIG_DIR"])).mkdir(exist_ok=True)
        (Path(home["SNAPTUI_CONFIG_DIR"]) / "settings.json").write_text(
            json.dumps({"profiles": {"default": {"endpoint": leak_sim.url}}})
        )
        # (The app's command line reads "demo" as its command, so the ids go in the form.)
        with terminal(argv, tmp_path, env=env) as term:
            term.wait_for("App ID", timeout=20)
            for part in ("demo", "Tab", "room-1", "Tab", "task-ended", "Enter"):
                term.type(part) if part[0].islower() else term.keys(part)
            term.wait_for("Ended", timeout=20)
            term.keys("F2")
            term.wait_for("AccessKey")
            time.sleep(0.5)
            term.type(AK)
            term.keys("Tab")
            term.type(SK)
            term.keys("Tab")
            term.type(TOKEN)
            term.keys("C-t")
            time.sleep(2.0)
            term.keys("C-q")
        watching.terminate()
        out, err = watching.communicate(timeout=10)
    seen = b"\n".join(watch.argv.values())
    # The watch saw the programs themselves, not an empty list.
    assert b"--watch" in seen and b"login" in seen and b"demo" in seen, watch.argv
    for pid, cmdline in watch.argv.items():
        # The AccessKey ID is not a secret (`login --access-key` takes it); the rest are.
        for secret in SECRETS:
            assert secret.encode() not in cmdline, f"argv of process {pid}: {cmdline!r}"
    assert_no_secret(out + err, "watch output")


def test_keyring_login_path(
    secret_service_env: dict[str, str], leak_sim: Simulator, home: dict[str, str]
) -> None:
    env = {
        **{k: v for k, v in secret_service_env.items() if not k.startswith("VOLC")},
        **{k: v for k, v in home.items() if k != "HOME"},
    }
    login = snaptui(
        env,
        "login",
        "--profile",
        "leak",
        "--access-key",
        AK,
        "--secret-stdin",
        "--endpoint",
        leak_sim.url,
        stdin=f"{SK}\n{TOKEN}\n",
    )
    assert login.returncode == 0, login.stderr
    runs = [
        login,
        snaptui(env, "whoami", "--profile", "leak"),
        snaptui(env, "get", "--profile", "leak", "--debug", "demo", "room-1", "task-ended"),
        snaptui(env, "logout", "--profile", "leak"),
    ]
    assert [r.returncode for r in runs] == [0, 0, 0, 0]
    for result in runs:
        assert_no_secret(result.stdout + result.stderr, f"output of {result.args[3:]}")
    # login wrote settings.json at least; nothing anywhere holds a key.
    assert assert_no_secret_in_files(*written_roots(home)) >= 1
    assert (Path(home["SNAPTUI_CONFIG_DIR"]) / "settings.json").exists()


CRASH = """
import sys, hmac
import snaptui.volc.signing as signing
class Boom:
    @staticmethod
    def new(*args, **kwargs):
        raise RuntimeError("forced crash inside the signing path")
    compare_digest = hmac.compare_digest
signing.hmac = Boom
from snaptui.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_forced_crash_inside_signing_cli(leak_sim: Simulator, home: dict[str, str]) -> None:
    env = {
        **home,
        "VOLCENGINE_ACCESS_KEY": AK,
        "VOLCENGINE_SECRET_KEY": SK,
        "VOLCENGINE_SESSION_TOKEN": TOKEN,
    }
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            CRASH,
            "get",
            "--endpoint",
            leak_sim.url,
            "--debug",
            "demo",
            "room-1",
            "task-ended",
        ],
        env=env,
        capture_output=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert b"internal error" in result.stderr and b"Traceback" not in result.stderr
    assert_no_secret(result.stdout + result.stderr, "crash output")


def test_tui_paths_and_screenshots(leak_sim: Simulator, tmp_path: Path) -> None:
    """The tree, the JSON view, the `C` payload, the `i` payload and the `e` file, for a
    server that echoes the keys in every field it sends."""
    from snaptui.tui.screens.export import ExportScreen
    from tests.hostile_server import task_body

    echo = f"{AK} {SK} {TOKEN}"
    leak_sim.gateway.faults.append(Fault("body", body=task_body(echo)))
    creds = Credentials(AK, Secret(SK), Secret(TOKEN))
    connection = Connection(resolve_endpoint(leak_sim.url), creds, "this session only")
    app = SnaptuiApp(connection, ("demo", "room-1", "task-ended"))
    screens: list[str] = []
    copied: list[str] = []
    exported = tmp_path / "export.json"

    async def go() -> None:
        async with app.run_test(size=(120, 40)) as pilot:
            app.copy_to_clipboard = copied.append  # type: ignore[method-assign]
            await settle(pilot)
            view = app.screen.query_one(TaskView)
            assert view.last is not None, "the echoing answer was not shown"
            screens.append(app.export_screenshot())
            for key in ("down", "down", "c", "C", "i", "j"):
                await pilot.press(key)
                await pilot.pause(0.05)
            screens.append(app.export_screenshot())
            await pilot.press("e")
            await pilot.pause(0.2)
            assert isinstance(app.screen, ExportScreen)
            screens.append(app.export_screenshot())
            path_input = app.screen.query_one("#export-path")
            path_input.value = str(exported)  # type: ignore[attr-defined]
            await pilot.press("enter")
            await pilot.pause(0.2)
            # A crash inside signing during a refresh: reported in the panel, keys scrubbed.
            import snaptui.volc.signing as signing

            def boom(*args: object, **kwargs: object) -> object:
                raise RuntimeError(f"forced crash with {SK} and {TOKEN}")

            original = signing.sign_headers
            signing.sign_headers = boom  # type: ignore[assignment]
            try:
                await pilot.press("j", "r")
                await settle(pilot)
            finally:
                signing.sign_headers = original
            assert view.error is not None
            screens.append(app.export_screenshot())
            await pilot.press("f2")
            await pilot.pause(0.2)
            await pilot.press("tab", *SK)  # into the SecretKey field, a password field
            screens.append(app.export_screenshot())

    run(go())
    assert len(copied) == 3, copied
    for number, svg in enumerate(screens):
        assert_no_secret(svg, f"screen {number}")
    for what, text in zip(("value", "JSON", "RequestId"), copied, strict=True):
        assert_no_secret(text, f"the {what} copied to the clipboard")
    assert exported.exists(), "the export was not written"
    assert_no_secret(exported.read_bytes(), "the exported file")


# Run the real app, with one failure planted where F2 turns the typed keys into
# credentials (on Ctrl+T): the error quotes the keys it was given, as library errors
# sometimes do. Nothing in the app expects it, so the app really crashes.
CRASH_ON_F2 = """
import sys
from snaptui.volc.secret import Credentials

real_new = Credentials.__new__

def new(cls, access_key, secret_key, session_token=None):
    # F2's test builds keys from the fields: an unexpected failure there is a crash.
    if access_key.startswith("AKLTcrash"):
        raise RuntimeError(f"unusable keys {access_key} {secret_key.reveal()}")
    return real_new(cls, access_key, secret_key, session_token)

Credentials.__new__ = new
from snaptui.cli import main
sys.exit(main(sys.argv[1:]))
"""
CRASH_AK = "AKLTcrashaccess0001"
CRASH_SK = "SENTINEL-typed-in-f2-5d1c"


def test_real_crash_of_the_app_on_f2(
    leak_sim: Simulator, home: dict[str, str], tmp_path: Path
) -> None:
    from tests.terminal import require_tmux, terminal

    require_tmux()
    env = {**home, "VOLCENGINE_ACCESS_KEY": AK, "VOLCENGINE_SECRET_KEY": SK}
    Path(home["SNAPTUI_CONFIG_DIR"]).mkdir(exist_ok=True)
    (Path(home["SNAPTUI_CONFIG_DIR"]) / "settings.json").write_text(
        json.dumps({"profiles": {"default": {"endpoint": leak_sim.url}}})
    )
    with terminal([sys.executable, "-c", CRASH_ON_F2], tmp_path, env=env) as term:
        term.wait_for("App ID", timeout=20)
        term.keys("F2")
        term.wait_for("AccessKey")
        time.sleep(0.5)
        term.type(CRASH_AK)
        term.keys("Tab")
        term.type(CRASH_SK)
        term.keys("C-t")
        status = term.exit_status(timeout=20)
        written = term.written()
        screen = term.screen()
    assert b"RuntimeError" in written, f"no crash report; the screen:\n{screen}"
    for secret in (CRASH_SK, SK):
        assert secret.encode() not in written, "the crash report shows a secret"
    # The AccessKey was on screen as it was typed; the report after the app's screen
    # (once it leaves the alternate screen) shows it masked at most.
    report = written.rsplit(b"\x1b[?1049l", 1)[-1]
    assert b"RuntimeError" in report, report
    assert CRASH_AK.encode() not in report, "the crash report shows the whole AccessKey"
    assert status != 0, "the app crashed and exited 0"


# A keyring whose error quotes the stored item (the keys, encoded), as a broken backend
# or a D-Bus error may.
KEYRING_ERROR = """
import sys
import keyring.errors
from keyring.backends import SecretService

stored = {}
real_get = SecretService.Keyring.get_password

def get_password(self, service, username):
    value = real_get(self, service, username)
    raise keyring.errors.KeyringError(f"cannot decode item {username}: {value!r}")

SecretService.Keyring.get_password = get_password
from snaptui.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_keyring_error_text(
    secret_service_env: dict[str, str], leak_sim: Simulator, home: dict[str, str]
) -> None:
    env = {
        **{k: v for k, v in secret_service_env.items() if not k.startswith("VOLC")},
        **{k: v for k, v in home.items() if k != "HOME"},
    }
    login = snaptui(
        env,
        "login",
        "--profile",
        "broken",
        "--access-key",
        AK,
        "--secret-stdin",
        "--endpoint",
        leak_sim.url,
        stdin=f"{SK}\n{TOKEN}\n",
    )
    assert login.returncode == 0, login.stderr
    runs = {
        args: subprocess.run(
            [sys.executable, "-c", KEYRING_ERROR, *args],
            env=env,
            capture_output=True,
            timeout=60,
        )
        for args in (
            ("whoami", "--profile", "broken"),
            ("get", "--profile", "broken", "--debug", "demo", "room-1", "task-ended"),
        )
    }
    for args, result in runs.items():
        output = result.stdout + result.stderr
        assert b"keyring" in output, f"{args}: the keyring failure is not named: {output!r}"
        assert b"Traceback" not in output
        assert_no_secret(output, f"output of {args}")
    assert (
        runs[("get", "--profile", "broken", "--debug", "demo", "room-1", "task-ended")].returncode
        == 3
    )
    snaptui(env, "logout", "--profile", "broken")


ECHO = f"{AK} {SK} {TOKEN}"


@pytest.mark.parametrize("status", [200, 403, 503])
@pytest.mark.parametrize("output", ["tree", "json"])
def test_get_with_a_server_echoing_the_keys(status: int, output: str, home: dict[str, str]) -> None:
    """The keys in every field and every header of an answer, an error or not."""
    from tests.hostile_server import Answer, HostileServer, error_body, hostile_headers, task_body

    body = task_body(ECHO) if status == 200 else error_body("AccessDenied" + ECHO, ECHO, ECHO)
    env = {
        **home,
        "VOLCENGINE_ACCESS_KEY": AK,
        "VOLCENGINE_SECRET_KEY": SK,
        "VOLCENGINE_SESSION_TOKEN": TOKEN,
    }
    with HostileServer(Answer(status, body, hostile_headers(ECHO))) as server:
        result = snaptui(
            env,
            *("get", "--endpoint", server.url, "--debug", "--timeout", "3", "--output", output),
            *("echo", "room-1", "task-1"),
        )
    assert result.returncode == {200: 0, 403: 4, 503: 4}[status], result.stderr
    assert b"Traceback" not in result.stderr
    assert_no_secret(result.stdout + result.stderr, f"get --debug --output {output} ({status})")
