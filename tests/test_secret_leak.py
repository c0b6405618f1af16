"""A sentinel SecretKey and session token go through every path; no byte of any output,
file, screenshot or argv may contain them."""

from __future__ import annotations

import os
import subprocess
import sys
import time
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
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VOLC", "SNAPTUI"))}
    env.update(
        HOME=str(tmp_path / "home"),
        SNAPTUI_CONFIG_DIR=str(tmp_path / "config"),
        XDG_CONFIG_HOME=str(tmp_path / "xdg"),
        PYTHONPATH=str(Path(__file__).parent.parent),
    )
    (tmp_path / "home").mkdir()
    return env


def assert_no_secret(blob: str | bytes, where: str) -> None:
    data = blob.encode() if isinstance(blob, str) else blob
    for secret in SECRETS:
        assert secret.encode() not in data, f"{where} contains a secret"
    assert AK.encode() not in data, f"{where} shows the whole AccessKey"


def assert_no_secret_in_files(*roots: str) -> None:
    for root in roots:
        for path in Path(root).rglob("*"):
            if path.is_file():
                assert_no_secret(path.read_bytes(), str(path))


def snaptui(
    env: dict[str, str],
    *args: str,
    stdin: str | None = None,
) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "snaptui", *args],
        env=env,
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
    assert_no_secret_in_files(home["HOME"], home["SNAPTUI_CONFIG_DIR"], home["XDG_CONFIG_HOME"])


def test_argv_never_holds_a_secret(leak_sim: Simulator, home: dict[str, str]) -> None:
    env = {
        **home,
        "VOLCENGINE_ACCESS_KEY": AK,
        "VOLCENGINE_SECRET_KEY": SK,
        "VOLCENGINE_SESSION_TOKEN": TOKEN,
    }
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "snaptui",
            "get",
            "--endpoint",
            leak_sim.url,
            "--watch",
            "demo",
            "room-1",
            "task-pending",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        time.sleep(1.0)
        cmdline = Path(f"/proc/{proc.pid}/cmdline").read_bytes()
        assert_no_secret(cmdline, "argv")
    finally:
        proc.terminate()
        out, err = proc.communicate(timeout=10)
    assert_no_secret(out + err, "watch output")


def test_keyring_login_path(
    secret_service_env: dict[str, str], leak_sim: Simulator, home: dict[str, str]
) -> None:
    env = {
        **{k: v for k, v in secret_service_env.items() if not k.startswith("VOLC")},
        "SNAPTUI_CONFIG_DIR": home["SNAPTUI_CONFIG_DIR"],
        "PYTHONPATH": home["PYTHONPATH"],
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
    assert_no_secret_in_files(env["HOME"], env["SNAPTUI_CONFIG_DIR"], env["XDG_CONFIG_HOME"])


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


def test_tui_paths_crash_and_screenshots(
    leak_sim: Simulator, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    creds = Credentials(AK, Secret(SK), Secret(TOKEN))
    connection = Connection(resolve_endpoint(leak_sim.url), creds, "this session only")
    app = SnaptuiApp(connection, ("demo", "room-1", "task-ended"))
    screens: list[str] = []

    async def go() -> None:
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            screens.append(app.export_screenshot())
            await pilot.press("j")
            await pilot.pause(0.1)
            screens.append(app.export_screenshot())
            # A crash inside signing during a refresh: reported in the panel, keys scrubbed.
            import snaptui.volc.signing as signing

            def boom(*args: object, **kwargs: object) -> object:
                raise RuntimeError(f"forced crash with {SK} and {TOKEN}")

            monkeypatch.setattr(signing, "sign_headers", boom)
            await pilot.press("j", "r")
            await settle(pilot)
            view = app.screen.query_one(TaskView)
            assert view.error is not None
            screens.append(app.export_screenshot())
            await pilot.press("f2")
            await pilot.pause(0.2)
            await pilot.press("tab", *SK)  # into the SecretKey field, a password field
            screens.append(app.export_screenshot())
            # Textual's crash report, as an uncaught error would produce it.
            try:
                raise RuntimeError(f"uncaught, holding {TOKEN}")
            except RuntimeError:
                app._fatal_error()
            screens.append("".join(str(r) for r in app._exit_renderables))
            assert "internal error, please report: RuntimeError" in screens[-1]

    run(go())
    for number, svg in enumerate(screens):
        assert_no_secret(svg, f"screen {number}")
