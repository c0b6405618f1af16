"""settings.json and recent.json that exist but cannot be read as such (a trailing comma,
a FIFO, a device): never read as empty, never written over. Read as empty, a stray
comma sent signed requests to the default endpoint without a word, and the next save
kept only the profile saved, losing every other one."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backends import SecretService
from textual.widgets import Input

from snaptui import credentials, settings
from snaptui.connection import Connection
from snaptui.settings import Profile, SettingsFileError
from snaptui.simulator import Simulator
from snaptui.tui import app as app_module
from snaptui.tui.screens.credentials import CredentialsScreen
from snaptui.volc.endpoints import Endpoint
from tests.helpers import DEMO_CREDS, FakeClock, run
from tests.hostile_server import Answer, HostileServer, hostile_env
from tests.terminal import SNAPTUI
from tests.tui_fixtures import SHOWN_URL, ToSimulator, make_app, make_simulator, pin_environment

ROOT = Path(__file__).parent.parent
SENTINEL = "SENTINEL-settings-content"
# The story: a hand edit left a trailing comma after the second profile.
TRAILING_COMMA = (
    '{"profiles": {"default": {"endpoint": "http://127.0.0.1:9"}, '
    f'"prod": {{"endpoint": "byteplus", "region": "{SENTINEL}"}},}}}}\n'
)
BROKEN = {
    "trailing-comma": TRAILING_COMMA,
    "brackets": "[" * 100_000,
    "braces": "{" * 50_000,
    "not-utf8": '{"profiles": "\xff\xfe"}',
    "null": "null",
    "string": f'"{SENTINEL}"',
    "huge-number": "1" * 5_000,
}
AK = "AKLTsettingsfiles01"
KEYS = {"VOLC_ACCESSKEY": AK, "VOLC_SECRETKEY": "settings-files-secret"}
IDS = ("demo", "room-1", "task-ended")


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    directory = tmp_path / "config"
    directory.mkdir()
    monkeypatch.setenv("SNAPTUI_CONFIG_DIR", str(directory))
    return directory


def write_broken(path: Path, content: str) -> bytes:
    path.write_bytes(content.encode("latin-1" if "\xff" in content else "utf-8"))
    return path.read_bytes()


def check_said(err: str, file: Path) -> None:
    """One line naming the file and why, never its content, never a traceback."""
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert str(file) in lines[0], err
    assert SENTINEL not in err and "Traceback" not in err and "internal error" not in err, err


# --- the module --------------------------------------------------------------------


@pytest.mark.parametrize("name", BROKEN)
def test_a_broken_file_is_an_error_naming_it_and_is_never_written_over(
    name: str, config: Path
) -> None:
    path = config / "settings.json"
    before = write_broken(path, BROKEN[name])
    with pytest.raises(SettingsFileError) as raised:
        settings.load_profile("prod")
    message = str(raised.value)
    assert str(path) in message and SENTINEL not in message, message
    with pytest.raises(SettingsFileError) as again:
        settings.save_profile(Profile("default", "volcengine-intl"))
    assert str(again.value) == message, "a writer says the same line"
    assert path.read_bytes() == before, "a file that could not be read was written over"


def test_the_trailing_comma_says_where(config: Path) -> None:
    write_broken(config / "settings.json", TRAILING_COMMA)
    with pytest.raises(SettingsFileError, match=r"not valid JSON \(line 1, column \d+\)"):
        settings.load_existing_profile("default")


def test_a_missing_file_is_still_an_empty_one(config: Path) -> None:
    assert settings.load_profile() == Profile()
    assert settings.load_recent() == []
    settings.save_profile(Profile("p", "byteplus"))
    assert settings.load_profile("p") == Profile("p", "byteplus")


@pytest.mark.parametrize("kind", ["device", "directory"])
def test_what_is_not_a_regular_file_is_refused(kind: str, config: Path) -> None:
    path = config / "settings.json"
    if kind == "device":
        path.symlink_to("/dev/zero")
    else:
        path.mkdir()
    with pytest.raises(SettingsFileError, match="not a regular file"):
        settings.load_profile()
    with pytest.raises(SettingsFileError, match="not a regular file"):
        settings.save_profile(Profile("p"))


def test_a_fifo_is_refused_at_once_and_kept(config: Path) -> None:
    """In a process of its own: a read that waits for a writer would hang the tests."""
    path = config / "settings.json"
    os.mkfifo(path)
    code = (
        "from snaptui import settings\n"
        "for step in (settings.load_profile, lambda: settings.save_profile(settings.Profile())):\n"
        "    try:\n"
        "        step()\n"
        "    except settings.SettingsFileError as exc:\n"
        "        print(exc)\n"
    )
    env = {**os.environ, "SNAPTUI_CONFIG_DIR": str(config), "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=15
    )
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert len(lines) == 2 and all("not a regular file" in line for line in lines), lines
    assert stat.S_ISFIFO(os.lstat(path).st_mode), "the FIFO was replaced"


def test_a_broken_recent_file_gives_no_recent_queries_and_is_kept(config: Path) -> None:
    path = config / "recent.json"
    before = write_broken(path, '{"default": [["demo", "room-1", "task-1"]],}')
    with pytest.raises(SettingsFileError):
        settings.load_recent()
    assert settings.add_recent(IDS) == []
    assert path.read_bytes() == before


# --- the commands ------------------------------------------------------------------


@pytest.fixture
def server() -> Iterator[HostileServer]:
    with HostileServer() as running:
        yield running


def command_env(server: HostileServer, config: Path) -> dict[str, str]:
    env = hostile_env(server.url, str(config), KEYS)  # settings.json points at the server
    env["HOME"] = str(config.parent)
    return env


def run_snaptui(
    *args: str, env: dict[str, str], stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*SNAPTUI, *args], input=stdin, capture_output=True, text=True, env=env, timeout=30
    )


@pytest.mark.parametrize("command", [["get", *IDS], ["whoami"], ["get", "--profile", "prod", *IDS]])
def test_reading_commands_refuse_a_broken_file_and_send_nothing(
    command: list[str], server: HostileServer, config: Path
) -> None:
    env = command_env(server, config)
    server.answer = Answer(body=b'{"ResponseMetadata": {"RequestId": "r"}, "Result": {}}')
    path = config / "settings.json"
    before = write_broken(path, TRAILING_COMMA)
    proc = run_snaptui(*command, env=env)
    assert proc.returncode == 2, proc.stderr
    check_said(proc.stderr, path)
    assert "not valid JSON" in proc.stderr
    assert proc.stdout == "", "whoami printed an endpoint it did not read"
    assert server.requests == [], "a request went out on default settings"
    assert path.read_bytes() == before


def test_get_on_a_fifo_named_settings_json_does_not_hang(
    server: HostileServer, config: Path
) -> None:
    env = command_env(server, config)
    path = config / "settings.json"
    path.unlink()
    os.mkfifo(path)
    started = time.monotonic()
    proc = run_snaptui("get", *IDS, env=env)
    assert time.monotonic() - started < 15
    assert proc.returncode == 2, proc.stderr
    check_said(proc.stderr, path)
    assert "not a regular file" in proc.stderr
    assert server.requests == []


def test_the_app_refuses_to_start_on_a_broken_file(server: HostileServer, config: Path) -> None:
    env = command_env(server, config)
    path = config / "settings.json"
    write_broken(path, TRAILING_COMMA)
    for args in ([], ["app1", "room-1", "task-1"]):
        proc = run_snaptui(*args, env=env)
        assert proc.returncode == 2, proc.stderr
        check_said(proc.stderr, path)
    assert server.requests == []


def login_env(secret_service_env: dict[str, str], config: Path) -> dict[str, str]:
    env = {
        k: v for k, v in secret_service_env.items() if not k.startswith(("VOLC", "PYTHON_KEYRING"))
    }
    env.update(SNAPTUI_CONFIG_DIR=str(config), PYTHONPATH=str(ROOT), HOME=str(config.parent))
    return env


def test_login_refuses_a_broken_file_before_the_keyring_is_written(
    secret_service_env: dict[str, str], config: Path
) -> None:
    env = login_env(secret_service_env, config)
    path = config / "settings.json"
    before = write_broken(path, TRAILING_COMMA)
    args = ["login", "--profile", "broken1", "--access-key", AK, "--secret-stdin"]
    proc = run_snaptui(*args, "--endpoint", "byteplus", env=env, stdin="sk-broken\n")
    assert proc.returncode == 2, proc.stderr
    check_said(proc.stderr, path)
    assert path.read_bytes() == before, "login wrote over the profiles it could not read"
    whoami = run_snaptui("whoami", "--profile", "broken1", env=env)
    assert whoami.returncode == 2 and "broken1" not in whoami.stdout
    path.unlink()  # with the file gone, the profile has no keys: none were saved
    logout = run_snaptui("logout", "--profile", "broken1", env=env)
    assert logout.returncode == 0 and "had no keys" in logout.stderr, logout.stderr


# --- the app -----------------------------------------------------------------------


@pytest.fixture
def in_process_keyring(secret_service_env: dict[str, str]) -> Iterator[None]:
    saved = os.environ.get("DBUS_SESSION_BUS_ADDRESS")
    os.environ["DBUS_SESSION_BUS_ADDRESS"] = secret_service_env["DBUS_SESSION_BUS_ADDRESS"]
    yield
    if saved is None:
        os.environ.pop("DBUS_SESSION_BUS_ADDRESS", None)
    else:
        os.environ["DBUS_SESSION_BUS_ADDRESS"] = saved


@pytest.fixture
def scene_sim(clock: FakeClock) -> Iterator[Simulator]:
    sim = make_simulator(clock)
    yield sim
    sim.stop()


def app_on_profile(sim: Simulator, clock: FakeClock, profile: str) -> app_module.SnaptuiApp:
    pin_environment()
    port = int(sim.url.rsplit(":", 1)[1])
    connection = Connection(
        Endpoint(SHOWN_URL, "cn-north-1", "simulator"),
        DEMO_CREDS,
        "demo simulator",
        profile,
        clock=clock,
        transport=ToSimulator(port),
    )
    return app_module.SnaptuiApp(connection)


def test_the_app_s_f2_save_never_writes_over_a_broken_file(
    scene_sim: Simulator, clock: FakeClock, config: Path, in_process_keyring: None
) -> None:
    """The file broke while the app ran (it refuses one at start): F2 says so when it
    opens, and Ctrl+S saves neither the profile nor the keys."""
    path = config / "settings.json"
    settings.save_profile(Profile("default", "volcengine-intl"))
    app = app_on_profile(scene_sim, clock, "default")
    keyring.set_keyring(SecretService.Keyring())

    async def go() -> None:
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause(0.3)
            before = write_broken(path, TRAILING_COMMA)
            await pilot.press("f2")
            await pilot.pause(0.3)
            assert isinstance(app.screen, CredentialsScreen)
            opened = str(app.screen.query_one("#cred-message").render())
            assert str(path) in opened and "not valid JSON" in opened, opened
            app.screen.query_one("#profile", Input).value = "brokenapp"
            await pilot.press(*"AKLTsaved", "tab", *"secret-saved", "ctrl+s")
            message = ""
            for _ in range(50):
                await pilot.pause(0.1)
                message = str(app.screen.query_one("#cred-message").render())
                if "Saving" not in message:
                    break
            assert str(path) in message and "not valid JSON" in message, message
            assert SENTINEL not in message
            assert app.is_running
            assert path.read_bytes() == before

    run(go())
    assert credentials.load_from_keyring("brokenapp") is None


def test_the_app_goes_on_without_a_broken_recent_file_and_says_so_once(
    scene_sim: Simulator, clock: FakeClock, config: Path
) -> None:
    path = config / "recent.json"
    before = write_broken(path, '{"demo": [["demo", "room-1", "task-1"]],}')
    app = make_app(scene_sim, clock, IDS)

    async def go() -> None:
        from tests.tui_fixtures import settle

        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            await pilot.press("ctrl+n")
            await pilot.pause(0.5)
            await settle(pilot)
            said = [n for n in app._notifications if n.title == "No recent queries"]
            assert len(said) == 1, [n.message for n in app._notifications]
            assert str(path) in said[0].message and "not valid JSON" in said[0].message
            assert app.is_running

    run(go())
    assert path.read_bytes() == before, "recent.json was written over"


def test_a_task_answered_with_a_good_recent_file_is_still_kept(
    scene_sim: Simulator, clock: FakeClock, config: Path
) -> None:
    app = make_app(scene_sim, clock, IDS)

    async def go() -> None:
        from tests.tui_fixtures import settle

        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            assert not [n for n in app._notifications if n.title == "No recent queries"]

    run(go())
    assert json.loads((config / "recent.json").read_text())["demo"] == [list(IDS)]
