"""The app's keys, help, tabs, credentials screen and start-up, driven by keys."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from textual.widgets import Input, TabbedContent

from snaptui import credentials
from snaptui.settings import load_recent
from snaptui.simulator import Simulator
from snaptui.tui.screens.main import tab_id
from snaptui.tui.widgets.task_view import TaskView
from tests.helpers import FakeClock, run
from tests.pilot_keys import burst
from tests.tui_fixtures import make_app, make_simulator, settle, type_ids


@pytest.fixture
def scene_sim(clock: FakeClock) -> Iterator[Simulator]:
    backend = keyring.get_keyring()
    sim = make_simulator(clock)
    yield sim
    sim.stop()
    keyring.set_keyring(backend)


def focused_id(app: object) -> str | None:
    focused = app.focused  # type: ignore[attr-defined]
    return focused.id if focused is not None else None


def value(app: object, field: str) -> str:
    return app.screen.query_one(f"#{field}", Input).value  # type: ignore[attr-defined,no-any-return]


def test_ctrl_arrows_switch_tabs_from_a_field(scene_sim: Simulator, clock: FakeClock) -> None:
    app = make_app(scene_sim, clock, ("demo", "room-1", "task-ended"))

    async def go() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            tabs = app.screen.query_one(TabbedContent)
            await pilot.press("ctrl+n")
            await pilot.pause(0.1)
            assert tabs.active == "query" and focused_id(app) == "app-id"
            await pilot.press("ctrl+right")
            await pilot.pause(0.1)
            assert tabs.active == tab_id(("demo", "room-1", "task-ended"))
            await pilot.press("ctrl+left")
            await pilot.pause(0.1)
            assert tabs.active == "query"

    run(go())


def test_ctrl_n_on_the_form_lands_on_app_id_without_a_selection(
    scene_sim: Simulator, clock: FakeClock
) -> None:
    app = make_app(scene_sim, clock)

    async def go() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press(*"demo", "tab", *"room-1")
            await pilot.press("ctrl+n")
            await pilot.pause(0.1)
            assert focused_id(app) == "app-id"
            await pilot.press("x")  # adds; overwrites nothing
            assert (value(app, "app-id"), value(app, "room-id")) == ("demox", "room-1")

    run(go())


def test_ctrl_w_in_the_form_deletes_nothing_and_says_why(
    scene_sim: Simulator, clock: FakeClock
) -> None:
    app = make_app(scene_sim, clock)
    notes: list[str] = []

    async def go() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            app.notify = lambda message, **kw: notes.append(message)  # type: ignore[method-assign]
            await settle(pilot)
            await pilot.press(*"my-app")
            await pilot.press("ctrl+w")
            assert value(app, "app-id") == "my-app"
            assert notes and "cannot be closed" in notes[-1]
            await pilot.press("left", "left", "left", "ctrl+u")  # clearing lives here
            assert value(app, "app-id") == "app"

    run(go())


def test_q_quits_outside_a_field_and_types_inside_one(
    scene_sim: Simulator, clock: FakeClock
) -> None:
    app = make_app(scene_sim, clock, ("demo", "room-1", "task-ended"))

    async def go() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("ctrl+n")
            await pilot.pause(0.1)
            await pilot.press("end", "q")
            # Ctrl+N cleared the ids of the open task: the q is typed into an empty field.
            assert value(app, "app-id") == "q" and app.is_running
            await pilot.press("ctrl+right")
            await pilot.pause(0.2)
            assert focused_id(app) == "task-tree"
            await pilot.press("q")
            await pilot.pause(0.2)
            assert not app.is_running

    run(go())


def test_help_lists_each_key_once_from_the_live_bindings(
    scene_sim: Simulator, clock: FakeClock
) -> None:
    from snaptui.tui.screens.help import HelpScreen

    app = make_app(scene_sim, clock, ("demo", "room-1", "task-ended"))

    async def go() -> None:
        async with app.run_test(size=(100, 40)) as pilot:
            await settle(pilot)
            await pilot.press("f1")
            await pilot.pause(0.2)
            assert isinstance(app.screen, HelpScreen)
            keys = [key for _, rows in app.screen._sections for key, _ in rows]
            assert len(keys) == len(set(keys)), keys
            assert keys.count("f1") == 1
            # The task's keys, the screen's and the app's are all there.
            assert {"r", "C", "i", "e", "f2", "^n", "^w", "^q"} <= set(keys)

    run(go())


def test_help_does_not_import_the_app() -> None:
    code = "import sys, snaptui.tui.screens.help; print('snaptui.tui.app' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_the_theme_is_remembered(scene_sim: Simulator, clock: FakeClock) -> None:
    first = make_app(scene_sim, clock)

    async def choose() -> None:
        async with first.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            first.theme = "nord"
            await pilot.pause(0.1)

    run(choose())
    second = make_app(scene_sim, clock)

    async def reopen() -> None:
        async with second.run_test(size=(80, 24)) as pilot:
            await pilot.pause(0.1)
            assert second.theme == "nord"

    run(reopen())


def test_two_tasks_never_share_a_tab(scene_sim: Simulator, clock: FakeClock) -> None:
    assert tab_id(("a.b", "r", "t")) != tab_id(("a-d-b", "r", "t"))
    assert tab_id(("a_b", "r", "t")) != tab_id(("a", "b_r", "t"))
    app = make_app(scene_sim, clock)

    async def go() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await type_ids(pilot, "a.b", "r", "t")
            await settle(pilot)
            await pilot.press("ctrl+n")
            await pilot.pause(0.1)
            # Ctrl+N starts from empty fields: the ids of the open task are in its tab.
            await pilot.press(*"a-d-b", "tab", "r", "tab", "t", "enter")
            await settle(pilot)
            assert sorted(v.ids[0] for v in app.screen.query(TaskView)) == ["a-d-b", "a.b"]

    run(go())


def test_only_tasks_that_answered_are_recent_and_tabs_show_the_status(
    scene_sim: Simulator, clock: FakeClock
) -> None:
    app = make_app(scene_sim, clock)

    async def go() -> None:
        async with app.run_test(size=(100, 30)) as pilot:
            await type_ids(pilot, "demo", "room-1", "nope")
            await settle(pilot)
            assert load_recent("demo") == []
            await pilot.press("ctrl+n")
            await pilot.pause(0.1)
            await pilot.press(*"demo", "tab", *"room-1", "tab", *"task-ended", "enter")
            await settle(pilot)
            assert load_recent("demo") == [("demo", "room-1", "task-ended")]
            tabs = app.screen.query_one(TabbedContent)
            label = tabs.get_tab(tab_id(("demo", "room-1", "task-ended"))).label
            assert str(label) == "task-ended · Ended"

    run(go())


def test_the_demo_form_lists_the_demo_tasks(scene_sim: Simulator, clock: FakeClock) -> None:
    app = make_app(scene_sim, clock)

    async def go() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            hint = str(app.screen.query_one("#form-hint").render())
            assert "task-live" in hint and "task-ended" in hint

    run(go())


def test_a_hanging_keyring_lookup_does_not_hold_ctrl_q(
    scene_sim: Simulator, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    def hang(profile: str) -> None:
        time.sleep(20)

    monkeypatch.setattr(credentials, "load_from_keyring", hang)
    app = make_app(scene_sim, clock, keys=False)

    async def go() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause(0.3)
            await pilot.press("ctrl+q")

    started = time.monotonic()
    run(go())
    assert time.monotonic() - started < 5


def test_a_crash_exits_non_zero_with_one_line(
    scene_sim: Simulator, clock: FakeClock, capsys: pytest.CaptureFixture[str]
) -> None:
    app = make_app(scene_sim, clock)

    def boom() -> None:
        raise RuntimeError("AKLTsnaptuidemo snaptui-demo-secret")

    async def go() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            app.call_later(boom)
            await pilot.pause(0.3)

    with pytest.raises(RuntimeError):  # the test harness re-raises what crashed the app
        run(go())
    assert app.return_code == 1
    report = capsys.readouterr().err.strip()
    assert report.count("\n") == 0 and "RuntimeError" in report, report
    assert "snaptui-demo-secret" not in report and "AKLT" not in report


# -- the credentials screen ---------------------------------------------------------


def test_f2_burst_puts_the_secret_key_in_its_field(scene_sim: Simulator, clock: FakeClock) -> None:
    app = make_app(scene_sim, clock)

    async def go() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("f2")
            await pilot.pause(0.3)
            burst(app, "AKLTtyped", "tab", "s3cret-typed")
            await pilot.pause(0.3)
            assert value(app, "access-key") == "AKLTtyped"
            assert value(app, "secret-key") == "s3cret-typed"

    run(go())


def test_a_non_ascii_token_is_refused_with_a_message(
    scene_sim: Simulator, clock: FakeClock
) -> None:
    app = make_app(scene_sim, clock)

    async def go() -> None:
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            await pilot.press("f2")
            await pilot.pause(0.3)
            await pilot.press(*"AKLTsnaptuidemo", "tab", *"snaptui-demo-secret", "tab")
            app.screen.query_one("#token", Input).value = "tökén"
            await pilot.press("ctrl+t")
            await pilot.pause(0.5)
            message = str(app.screen.query_one("#cred-message").render())
            assert message.startswith("The session token holds a character"), message
            assert app.is_running

    run(go())


def test_a_new_endpoint_keeps_the_keys_in_use(scene_sim: Simulator, clock: FakeClock) -> None:
    app = make_app(scene_sim, clock)

    async def go() -> None:
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            keys = app.connection.credentials
            await pilot.press("f2")
            await pilot.pause(0.3)
            app.screen.query_one("#endpoint", Input).value = "byteplus"
            await pilot.press("ctrl+o")
            await pilot.pause(0.3)
            assert app.connection.credentials is keys
            assert app.connection.endpoint.name == "byteplus"
            assert app.connection.source == "demo simulator"

    run(go())


@pytest.fixture
def in_process_keyring(secret_service_env: dict[str, str]) -> Iterator[None]:
    """This process's keyring on the test Secret Service."""
    saved = os.environ.get("DBUS_SESSION_BUS_ADDRESS")
    os.environ["DBUS_SESSION_BUS_ADDRESS"] = secret_service_env["DBUS_SESSION_BUS_ADDRESS"]
    from keyring.backends import SecretService

    keyring.set_keyring(SecretService.Keyring())
    yield
    if saved is None:
        os.environ.pop("DBUS_SESSION_BUS_ADDRESS", None)
    else:
        os.environ["DBUS_SESSION_BUS_ADDRESS"] = saved


def test_f8_asks_first_then_the_keys_are_gone(
    scene_sim: Simulator, clock: FakeClock, in_process_keyring: None, tmp_path: Path
) -> None:
    from tests.helpers import DEMO_CREDS

    credentials.save_to_keyring("demo", DEMO_CREDS)
    app = make_app(scene_sim, clock, keys=False)
    keyring.set_keyring(keyring.backends.SecretService.Keyring())  # make_app swapped it

    async def go() -> None:
        async with app.run_test(size=(100, 30)) as pilot:
            for _ in range(50):
                await pilot.pause(0.1)
                if app.connection.credentials is not None:
                    break
            assert app.connection.source.startswith("keyring")
            await pilot.press("f2")
            await pilot.pause(0.3)
            await pilot.press("f8")
            await pilot.pause(0.2)
            await pilot.press("n")
            await pilot.pause(0.3)
            assert credentials.load_from_keyring("demo") is not None
            await pilot.press("f8")
            await pilot.pause(0.2)
            await pilot.press("y")
            for _ in range(50):
                await pilot.pause(0.1)
                if app.connection.credentials is None:
                    break
            assert credentials.load_from_keyring("demo") is None
            assert "none" in str(app.screen.query_one("#cred-current").render())
            await pilot.press("escape")
            await pilot.pause(0.2)
            assert "no keys" in str(app.screen.query_one("#connection-line").render())

    run(go())


def test_without_keys_the_credentials_screen_opens_with_the_reason(
    scene_sim: Simulator, clock: FakeClock
) -> None:
    from snaptui.tui.screens.credentials import CredentialsScreen

    app = make_app(scene_sim, clock, keys=False)

    async def go() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            for _ in range(50):
                await pilot.pause(0.1)
                if isinstance(app.screen, CredentialsScreen):
                    break
            assert isinstance(app.screen, CredentialsScreen)
            await pilot.pause(0.2)
            message = str(app.screen.query_one("#cred-message").render())
            assert message[0].isupper() and "keyring" in message, message
            assert focused_id(app) == "access-key"

    run(go())


def test_a_config_dir_under_a_file_fails_the_save_with_a_message_and_keeps_no_keys(
    scene_sim: Simulator,
    clock: FakeClock,
    in_process_keyring: None,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("SNAPTUI_CONFIG_DIR", str(blocker / "snaptui"))
    app = make_app(scene_sim, clock)
    keyring.set_keyring(keyring.backends.SecretService.Keyring())  # make_app may swap it

    async def go() -> None:
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            await pilot.press("f2")
            await pilot.pause(0.3)
            app.screen.query_one("#profile", Input).value = "blocked"
            await pilot.press(*"AKLTsaved", "tab", *"secret-saved", "ctrl+s")
            message = ""
            for _ in range(50):
                await pilot.pause(0.1)
                message = str(app.screen.query_one("#cred-message").render())
                if "Could not save" in message or "Cannot use" in message:
                    break
            assert message.startswith("Cannot use the config dir"), message
            assert "part of its path is a file" in message, message
            assert app.is_running

    run(go())
    assert credentials.load_from_keyring("blocked") is None
