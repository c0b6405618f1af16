"""`snaptui watch FILE|-` on hostile or careless lists: an endless pipe, a list too long
or with too many tasks, a file name holding terminal controls. Each ends in one line
and exit 2, fast and in bounded memory, and opens nothing."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from snaptui import cli
from snaptui.tui import launch
from snaptui.watchlist import MAX_LIST_CHARS, MAX_TASKS, parse_watch_list
from tests.terminal import SNAPTUI

README = Path(__file__).parent.parent / "README.md"
# Enough for a Python process that reads a 1 MB list; the unbounded read grew to
# gigabytes in seconds.
MAX_RSS_KIB = 150 * 1024
# A guard for the machine should the read be unbounded again: the process fails on
# MemoryError instead of taking gigabytes.
ADDRESS_SPACE = 2 * 2**30


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


def env_for(tmp_path: Path) -> dict[str, str]:
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("VOLC", "SNAPTUI", "PYTHON_KEY"))
    }
    env.update(SNAPTUI_CONFIG_DIR=str(tmp_path / "config"), HOME=str(tmp_path), LANG="C.UTF-8")
    return env


def run_measured(
    args: list[str], stdin: int | None, env: dict[str, str], timeout: float = 20
) -> tuple[int, str, float, int]:
    """Runs snaptui in a fresh interpreter that reports the child's peak RSS (KiB):
    exit code, stderr, seconds and peak RSS."""
    measure = (
        "import resource, subprocess, sys\n"
        "def limit():\n"
        f"    resource.setrlimit(resource.RLIMIT_AS, ({ADDRESS_SPACE}, {ADDRESS_SPACE}))\n"
        "r = subprocess.run(sys.argv[1:], capture_output=True, preexec_fn=limit)\n"
        "sys.stderr.buffer.write(r.stderr)\n"
        "sys.stderr.write('\\n@rss %d' % resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
        "sys.exit(r.returncode)\n"
    )
    started = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-c", measure, *SNAPTUI, *args],
        stdin=stdin,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        timeout=timeout,
    )
    took = time.monotonic() - started
    err, _, rss = proc.stderr.rpartition("\n@rss ")
    return proc.returncode, err, took, int(rss)


def one_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, f"not one line: {err!r}"
    return lines[0]


# --- 1. the list is read up to 1,000,000 characters, and refused past that ------------


def test_an_endless_pipe_is_refused_fast_in_bounded_memory(tmp_path: Path) -> None:
    """`yes "app room task" | snaptui watch -` grew to 3.9 GB in 8 s."""
    yes = shutil.which("yes")
    if yes is None:
        pytest.skip("no `yes` command")
    feeder = subprocess.Popen([yes, "app room task"], stdout=subprocess.PIPE)
    try:
        assert feeder.stdout is not None
        code, err, took, rss = run_measured(
            ["watch", "-"], feeder.stdout.fileno(), env_for(tmp_path)
        )
    finally:
        feeder.kill()
        feeder.wait()
    line = one_line(err)
    assert code == 2, err
    assert "1,000,000 characters" in line and "stdin" in line, line
    assert "Traceback" not in err and "internal error" not in err
    assert took < 10, f"took {took:.1f} s"
    assert rss < MAX_RSS_KIB, f"peak RSS {rss // 1024} MB"


def test_a_list_at_the_cap_opens_and_one_past_it_is_refused(
    tmp_path: Path, started: list[launch.AppOptions], capsys: pytest.CaptureFixture[str]
) -> None:
    """A file was cut at 1 MB without a word: a last line cut mid-id opened another task."""
    line = "demo room-1 task-live\n"
    padding = "#" * (MAX_LIST_CHARS - len(line) - 1) + "\n"
    runbook = tmp_path / "runbook.txt"
    runbook.write_text(padding + line)
    assert len(runbook.read_text()) == MAX_LIST_CHARS
    assert cli.main(["watch", "--demo", str(runbook)]) == 0
    assert list(started[-1].tasks) == [("demo", "room-1", "task-live")]
    capsys.readouterr()

    # One character more: the old read kept "demo room-1 task-liv", a task of its own.
    runbook.write_text(padding + "demo room-1 task-lives\n")
    calls = len(started)
    assert cli.main(["watch", "--demo", str(runbook)]) == 2
    assert len(started) == calls, "the app was opened on a list cut short"
    said = one_line(capsys.readouterr().err)
    assert "runbook.txt" in said and "1,000,000 characters" in said, said


def test_a_pipe_longer_than_the_cap_is_refused(tmp_path: Path) -> None:
    text = ("demo room-1 task-live\n" * (MAX_LIST_CHARS // 22 + 10)).encode()
    env = env_for(tmp_path)
    proc = subprocess.run(
        [*SNAPTUI, "watch", "--demo", "-"], input=text, capture_output=True, env=env, timeout=30
    )
    assert proc.returncode == 2, proc.stderr
    assert "1,000,000 characters" in one_line(proc.stderr.decode())


# --- 2. linear parsing, and at most MAX_TASKS tasks --------------------------------


def test_eighty_thousand_lines_parse_in_linear_time() -> None:
    """Each line was looked up in a list of the tasks so far: 80,000 lines took 134 s.
    The bound is a guard against that, not a speed figure (0.2 s here): far above any
    busy machine's time for linear work, far below the quadratic one's."""
    text = "".join(f"app room task-{i}\n" for i in range(80_000))
    started = time.perf_counter()
    tasks, problems = parse_watch_list(text)
    took = time.perf_counter() - started
    assert len(tasks) == 80_000 and problems == []
    assert tasks[0] == ("app", "room", "task-0") and tasks[-1] == ("app", "room", "task-79999")
    assert took < 10, f"{took:.2f} s for 80,000 lines"


def test_duplicates_are_dropped_in_order() -> None:
    text = "a r t2\na r t1\na/r/t2\nsnaptui://a/r/t1\na r t3\n"
    assert parse_watch_list(text) == ([("a", "r", "t2"), ("a", "r", "t1"), ("a", "r", "t3")], [])


def test_more_tasks_than_one_watch_opens_is_refused_whole(
    tmp_path: Path, started: list[launch.AppOptions], capsys: pytest.CaptureFixture[str]
) -> None:
    runbook = tmp_path / "runbook.txt"
    runbook.write_text("".join(f"demo room-1 t{i}\n" for i in range(MAX_TASKS)))
    assert cli.main(["watch", "--demo", str(runbook)]) == 0
    assert len(started[-1].tasks) == MAX_TASKS
    capsys.readouterr()

    runbook.write_text("".join(f"demo room-1 t{i}\n" for i in range(MAX_TASKS + 1)))
    calls = len(started)
    assert cli.main(["watch", "--demo", str(runbook)]) == 2
    assert len(started) == calls
    said = one_line(capsys.readouterr().err)
    assert f"{MAX_TASKS + 1} tasks" in said and f"at most {MAX_TASKS}" in said, said


def test_the_task_cap_is_documented() -> None:
    help_text = " ".join(_help("watch").split())
    assert f"at most {MAX_TASKS} tasks" in help_text, help_text
    readme = " ".join(README.read_text(encoding="utf-8").split())
    assert f"at most {MAX_TASKS} tasks" in readme
    assert "1,000,000 characters" in readme and "1,000,000 characters" in help_text


def _help(command: str) -> str:
    proc = subprocess.run(
        [*SNAPTUI, command, "--help"],
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "200", "LANG": "C.UTF-8"},
        timeout=30,
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_thousands_of_bad_lines_are_reported_in_a_screenful(
    tmp_path: Path, started: list[launch.AppOptions], capsys: pytest.CaptureFixture[str]
) -> None:
    runbook = tmp_path / "runbook.txt"
    runbook.write_text("demo room-1 task-live\n" + "just two\n" * 5_000)
    assert cli.main(["watch", "--demo", str(runbook)]) == 0
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) <= 25, lines[:30]
    assert "line 2:" in lines[0], lines[0]
    assert "4,980 more" in lines[-1], lines[-1]


# --- 5. a file name is outside text ------------------------------------------------

HOSTILE_NAME = "list\x1b]0;pwned-title\x07\u202e.txt"


def test_a_file_name_holding_controls_never_reaches_stderr_raw(
    tmp_path: Path, started: list[launch.AppOptions], capsys: pytest.CaptureFixture[str]
) -> None:
    runbook = tmp_path / HOSTILE_NAME
    runbook.write_text("demo room-1 task-live\nnot a task line\n")
    assert cli.main(["watch", "--demo", str(runbook)]) == 0
    err = capsys.readouterr().err
    assert "line 2" in err
    notes = " ".join(started[-1].notes)
    assert "line 2" in notes
    for raw in ("\x1b", "\x07", "\u202e"):
        assert raw not in err, f"{raw!r} from the file name reached stderr: {err!r}"
        assert raw not in notes, f"{raw!r} from the file name reached the app: {notes!r}"
    assert "\\u001b]0;pwned-title" in err


@pytest.mark.parametrize(
    "content", ["", "x" * (MAX_LIST_CHARS + 1), None], ids=["empty", "too-long", "missing"]
)
def test_every_message_naming_the_file_is_clean(
    tmp_path: Path, content: str | None, capsys: pytest.CaptureFixture[str]
) -> None:
    runbook = tmp_path / HOSTILE_NAME  # content None: missing
    if content is not None:
        runbook.write_text(content)
    assert cli.main(["watch", "--demo", str(runbook)]) == 2
    err = capsys.readouterr().err
    assert "pwned-title" in err
    assert "\x1b" not in err and "\x07" not in err and "\u202e" not in err, repr(err)
