"""The app's command line: options, ids, the demo shorthand, hints and `watch`."""

from __future__ import annotations

from pathlib import Path

import pytest

from snaptui import cli
from snaptui.settings import Profile, save_profile
from snaptui.tui import launch
from snaptui.watchlist import parse_watch_list
from tests.helpers import cli as run_cli


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


def test_the_app_takes_get_s_options(started: list[launch.AppOptions]) -> None:
    save_profile(Profile("work"))
    argv = ["--profile", "work", "--endpoint", "byteplus", "--region", "r1", "a", "b", "c"]
    assert cli.main(argv) == 0
    options = started[-1]
    assert (options.profile, options.endpoint, options.region) == ("work", "byteplus", "r1")
    assert list(options.tasks) == [("a", "b", "c")] and not options.demo
    assert cli.main(["--profile", "work"]) == 0
    assert started[-1].profile == "work" and list(started[-1].tasks) == []


def test_demo_with_two_ids_implies_the_demo_app(started: list[launch.AppOptions]) -> None:
    assert cli.main(["demo", "room-1", "task-live"]) == 0
    assert started[-1].demo and list(started[-1].tasks) == [("demo", "room-1", "task-live")]
    assert any("snaptui -- demo" in note for note in started[-1].notes)


def test_an_app_id_named_like_a_command_opens_after_a_double_dash(
    started: list[launch.AppOptions], capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["get", "room", "task"]) == 2
    assert "snaptui -- get room task" in capsys.readouterr().err
    assert cli.main(["--", "get", "room", "task"]) == 0
    assert list(started[-1].tasks) == [("get", "room", "task")] and not started[-1].demo


def test_a_bad_id_on_the_command_line_is_a_usage_error() -> None:
    result = run_cli("a b", "room-1", "t")
    assert result.code == 2
    assert "invalid AppId" in result.err and "Traceback" not in result.err
    assert len(result.err.strip().splitlines()) == 2  # the error and the --help pointer
    result = run_cli("demo", "room-1", "t\x1b]52;c;eA==\x07")
    assert result.code == 2 and "\x1b" not in result.err


def test_watch_list_lines() -> None:
    text = (
        "# runbook for the outage\n"
        "demo room-1 task-live\n"
        "\n"
        "demo/room-1/task-ended\n"
        "just two\n"
        "https://alerts.example/x?AppId=demo&RoomId=room-1&TaskId=user-7\n"
        "demo room-1 t@sk!\n"
        "demo\troom-1\ttask-live\n"
    )
    tasks, problems = parse_watch_list(text)
    assert tasks == [
        ("demo", "room-1", "task-live"),
        ("demo", "room-1", "task-ended"),
        ("demo", "room-1", "user-7"),
    ]
    assert [p.split(":")[0] for p in problems] == ["line 5", "line 7"]


def test_watch_opens_the_good_lines_and_reports_the_bad(
    started: list[launch.AppOptions], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    runbook = tmp_path / "runbook.txt"
    runbook.write_text("demo room-1 task-live\nnot a task line at all\n")
    assert cli.main(["watch", "--demo", str(runbook)]) == 0
    assert list(started[-1].tasks) == [("demo", "room-1", "task-live")]
    assert any("line 2" in note for note in started[-1].notes)
    assert "line 2" in capsys.readouterr().err


def test_watch_with_nothing_to_watch_is_a_usage_error(tmp_path: Path) -> None:
    runbook = tmp_path / "runbook.txt"
    runbook.write_text("# nothing yet\n\n")
    result = run_cli("watch", str(runbook))
    assert result.code == 2 and "no task to watch" in result.err
    assert run_cli("watch", str(tmp_path / "missing.txt")).code == 2


def test_help_names_the_app_options() -> None:
    result = run_cli("--help")
    assert result.code == 0
    text = " ".join(result.out.split())
    assert "--profile, --endpoint and --region" in text and "snaptui -- get" in text


def test_the_real_path_never_imports_the_simulator() -> None:
    import subprocess
    import sys

    code = (
        "import sys, snaptui.cli, snaptui.tui.app, snaptui.tui.widgets.task_view, "
        "snaptui.volc.client\n"
        "from snaptui.tui.launch import user_connection\n"
        "user_connection()\n"
        "print([m for m in sys.modules if 'simulator' in m])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
