"""Every file of ours in the config dir is read and written with the same care: the
notify choice (settings.json) and the theme and language (ui.json) as much as the
profiles; the lock file is never followed or waited on; a write leaves no temporary file
behind, and one killed half way has its leftover removed by the next write."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from snaptui import preferences, settings
from snaptui.settings import Profile, SettingsFileError
from snaptui.simulator import Simulator
from snaptui.tui import end_notice
from tests.helpers import FakeClock, run
from tests.terminal import SNAPTUI
from tests.tui_fixtures import make_app, make_simulator

ROOT = Path(__file__).parent.parent
TIMEOUT = 20  # a read that waits on a FIFO would wait for ever
TRAILING_COMMA = '{"theme": "textual-light", "language": "zh",}\n'


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    directory = tmp_path / "config"
    directory.mkdir()
    monkeypatch.setenv("SNAPTUI_CONFIG_DIR", str(directory))
    monkeypatch.delenv("SNAPTUI_NOTIFY", raising=False)
    return directory


def _limits(memory: int, file_size: int | None) -> None:
    import resource

    # Memory: /dev/zero read to its end must end the child, not fill the machine.
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    if file_size is not None:  # a full disk: any write past this fails (EFBIG)
        resource.setrlimit(resource.RLIMIT_FSIZE, (file_size, file_size))


def python(code: str, config: Path, file_size: int | None = None) -> list[str]:
    """`code` run in a process of its own, under limits; its output lines."""
    env = {**os.environ, "SNAPTUI_CONFIG_DIR": str(config), "PYTHONPATH": str(ROOT)}
    env.pop("SNAPTUI_NOTIFY", None)
    proc = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=env,
        timeout=TIMEOUT,
        preexec_fn=lambda: _limits(1 << 30, file_size),
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.splitlines()


def plant(path: Path, kind: str) -> None:
    if kind == "fifo":
        os.mkfifo(path)
    else:
        path.symlink_to("/dev/zero")


def leftovers(config: Path) -> list[str]:
    return sorted(p.name for p in config.iterdir() if p.name.endswith(".tmp"))


# --- one reader --------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_the_notify_choice_neither_waits_on_nor_floods_from_settings_json(
    kind: str, config: Path
) -> None:
    """Read when a task ends, on the app's UI thread: a FIFO froze the app there, and
    /dev/zero filled its memory."""
    plant(config / "settings.json", kind)
    said = python("from snaptui.tui import end_notice\nprint(end_notice.choice())", config)
    assert said == [end_notice.DEFAULT]


def test_the_notify_choice_is_still_read(config: Path) -> None:
    (config / "settings.json").write_text('{"notify": "end"}')
    assert end_notice.choice() == "end"
    (config / "settings.json").write_text('{"notify": "end",}')  # broken: the default
    assert end_notice.choice() == end_notice.DEFAULT


@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_ui_json_that_is_not_a_file_is_refused_at_once_naming_it(kind: str, config: Path) -> None:
    """Read before the app's first frame: a FIFO there kept the app from ever starting."""
    path = config / "ui.json"
    plant(path, kind)
    code = (
        "from snaptui.settings import SettingsFileError\n"
        "from snaptui import preferences\n"
        "print(preferences.load_language())\n"
        "try:\n"
        "    preferences.load_theme()\n"
        "except SettingsFileError as exc:\n"
        "    print(exc)\n"
        "preferences.save_theme('textual-light')\n"
    )
    said = python(code, config)
    assert said[0] == "None" and len(said) == 2, said
    assert str(path) in said[1] and "not a regular file" in said[1], said
    assert path.is_symlink() or stat.S_ISFIFO(os.lstat(path).st_mode), "ui.json was replaced"


def test_theme_and_language_are_still_remembered(config: Path) -> None:
    preferences.save_theme("textual-light")
    preferences.save_language("zh")
    assert preferences.load_theme() == "textual-light"
    assert preferences.load_language() == "zh"
    assert json.loads((config / "ui.json").read_text()) == {
        "theme": "textual-light",
        "language": "zh",
    }


@pytest.fixture
def scene_sim(clock: FakeClock) -> Iterator[Simulator]:
    sim = make_simulator(clock)
    yield sim
    sim.stop()


def test_the_app_says_once_that_ui_json_is_broken_and_keeps_it(
    scene_sim: Simulator, clock: FakeClock, config: Path
) -> None:
    path = config / "ui.json"
    path.write_text(TRAILING_COMMA)
    app = make_app(scene_sim, clock)

    async def go() -> None:
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause(0.3)
            app.theme = "textual-dark" if app.theme != "textual-dark" else "nord"
            await pilot.pause(0.3)
            said = [n for n in app._notifications if n.title == "Theme and language not remembered"]
            assert len(said) == 1, [n.message for n in app._notifications]
            assert str(path) in said[0].message and "not valid JSON" in said[0].message
            assert app.is_running

    run(go())
    assert path.read_text() == TRAILING_COMMA, "the theme was written over a broken ui.json"


# --- the lock ----------------------------------------------------------------------


def test_a_symlink_planted_as_the_lock_is_not_followed(tmp_path: Path, config: Path) -> None:
    target = tmp_path / "elsewhere"
    lock = config / ".lock"
    lock.symlink_to(target)
    with pytest.raises(SettingsFileError) as raised:
        settings.save_profile(Profile("p", "byteplus"))
    assert str(lock) in str(raised.value) and "symbolic link" in str(raised.value)
    assert not target.exists(), "the lock was opened through the symlink"
    assert not (config / "settings.json").exists(), "saved without the lock"
    with pytest.raises(SettingsFileError):
        settings.ensure_config_dir()  # what login checks before the keyring is written


def test_a_fifo_planted_as_the_lock_is_refused_at_once(config: Path) -> None:
    lock = config / ".lock"
    os.mkfifo(lock)
    code = (
        "from snaptui import settings\n"
        "try:\n"
        "    settings.save_profile(settings.Profile('p', 'byteplus'))\n"
        "except settings.SettingsFileError as exc:\n"
        "    print(exc)\n"
    )
    said = python(code, config)
    assert len(said) == 1 and str(lock) in said[0] and "not a regular file" in said[0], said
    assert stat.S_ISFIFO(os.lstat(lock).st_mode)
    assert not (config / "settings.json").exists()


def test_login_refuses_a_bad_lock_before_the_keyring_is_written(
    secret_service_env: dict[str, str], tmp_path: Path, config: Path
) -> None:
    env = {
        k: v for k, v in secret_service_env.items() if not k.startswith(("VOLC", "PYTHON_KEYRING"))
    }
    env.update(SNAPTUI_CONFIG_DIR=str(config), PYTHONPATH=str(ROOT), HOME=str(tmp_path))
    lock = config / ".lock"
    lock.symlink_to(tmp_path / "elsewhere")
    args = ["login", "--profile", "badlock", "--access-key", "AKLTbadlock01", "--secret-stdin"]
    login = subprocess.run(
        [*SNAPTUI, *args],
        input="sk-badlock\n",
        capture_output=True,
        text=True,
        env=env,
        timeout=30,
    )
    assert login.returncode == 2, login.stderr
    lines = login.stderr.strip().splitlines()
    assert len(lines) == 1 and str(lock) in lines[0] and "Traceback" not in login.stderr, lines
    lock.unlink()
    logout = subprocess.run(
        [*SNAPTUI, "logout", "--profile", "badlock"],
        capture_output=True,
        text=True,
        env=env,
        timeout=30,
    )
    assert logout.returncode == 0 and "had no keys" in logout.stderr, logout.stderr


# --- temporary files ---------------------------------------------------------------

WRITERS = {
    "settings.json": "settings.save_profile(settings.Profile('p', 'http://h/' + 'a' * 300))",
    "recent.json": "settings.add_recent(('a' * 100, 'b' * 100, 'c' * 100))",
    "ui.json": "preferences.save_theme('t' * 300)",
}


@pytest.mark.parametrize("name", WRITERS)
def test_a_write_that_fails_on_a_full_disk_leaves_no_temporary_file(
    name: str, config: Path
) -> None:
    """Files of at most 64 bytes, like a disk that is full: each write fails, the file
    stays as it was, and no `.NAME.PID.tmp` is left (dozens piled up in a real config)."""
    path = config / name
    before = b'{"x": "1"}\n'
    path.write_bytes(before)
    code = (
        "from snaptui import settings\n"
        "from snaptui import preferences\n"
        "try:\n"
        f"    {WRITERS[name]}\n"
        "except settings.SettingsWriteError as exc:\n"
        "    print(exc)\n"
    )
    said = python(code, config, file_size=64)
    if name == "settings.json":  # recent.json and ui.json are niceties: not a word
        assert said == [f"cannot write {path}: File too large"], said
    else:
        assert said == [], said
    assert path.read_bytes() == before
    assert leftovers(config) == []


def test_a_failed_rename_leaves_no_temporary_file(
    config: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*_: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(settings.SettingsWriteError, match="No space left on device"):
        settings.save_profile(Profile("p", "byteplus"))
    preferences.save_theme("textual-light")
    settings.add_recent(("demo", "room-1", "task-1"))
    assert leftovers(config) == []


def dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", ""])
    proc.wait()
    return proc.pid


def test_a_write_removes_what_writes_killed_half_way_left(config: Path) -> None:
    dead = dead_pid()
    alive = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        stale = [f".recent.json.{dead}.tmp", f".settings.json.{dead}.tmp", f".ui.{dead}.tmp"]
        stale.append(f".ui.json.{dead}.tmp")
        kept = [
            f".recent.json.{alive.pid}.tmp",  # a live process's: not ours to judge
            f".notes.txt.{dead}.tmp",  # not one of our files
            f"recent.json.{dead}.tmp",
        ]
        for name in stale + kept:
            (config / name).write_text("" if name.startswith(".r") else '{"half": ')
        settings.add_recent(("demo", "room-1", "task-1"))
        assert leftovers(config) == sorted(kept)
        assert settings.load_recent() == [("demo", "room-1", "task-1")]
    finally:
        alive.kill()
        alive.wait()


def test_a_symlink_planted_as_the_temporary_file_is_not_written_through(
    tmp_path: Path, config: Path
) -> None:
    target = tmp_path / "elsewhere"
    target.write_text("keep me\n")
    (config / f".settings.json.{os.getpid()}.tmp").symlink_to(target)
    settings.save_profile(Profile("p", "byteplus"))
    assert target.read_text() == "keep me\n"
    path = config / "settings.json"
    assert not path.is_symlink() and settings.load_profile("p") == Profile("p", "byteplus")
    assert leftovers(config) == []


def test_no_module_reads_a_file_past_the_one_reader() -> None:
    """`read_text`, `read_bytes` and `json.load` read to the end of whatever is there, a
    FIFO or /dev/zero included: our files go through settings.read_json. The catalogs
    are the package's own files."""
    import ast

    allowed = {"snaptui/i18n.py": {"read_text"}}
    found = []
    for path in sorted((ROOT / "snaptui").rglob("*.py")):
        name = path.relative_to(ROOT).as_posix()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                call = node.func.attr
                reads = call in ("read_text", "read_bytes") or (
                    call == "load"
                    and isinstance(node.func.value, ast.Name)
                    and node.func.value.id == "json"
                )
                if reads and call not in allowed.get(name, set()):
                    found.append(f"{name}:{node.lineno}: {call}")
    assert not found, found
