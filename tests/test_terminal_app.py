"""The real app in a real terminal (tmux): keys in bursts, links typed and pasted, quit."""

from __future__ import annotations

from pathlib import Path

from tests.terminal import SNAPTUI, terminal

DEMO = [*SNAPTUI, "demo"]


def test_a_burst_of_keys_fills_the_form_and_opens_the_task(tmp_path: Path) -> None:
    with terminal(DEMO, tmp_path) as t:
        t.wait_for("App ID")
        t.burst("demo", "Tab", "room-1", "Tab", "task-ended", "Enter")
        t.wait_for("IdleTimeOut")
        t.wait_for("task-ended · Ended")  # the tab shows the status


def test_a_link_typed_key_by_key_is_taken_once_complete(tmp_path: Path) -> None:
    with terminal(DEMO, tmp_path) as t:
        t.wait_for("App ID")
        for char in "demo/room-1/task-ended":
            t.type(char, pause=0.03)
        screen = t.wait_for("Task ID   task-ended")
        assert "Room ID   room-1" in screen
        t.keys("Enter")
        t.wait_for("IdleTimeOut")


def test_a_link_typed_with_a_wrong_task_opens_no_truncated_task(tmp_path: Path) -> None:
    with terminal(DEMO, tmp_path) as t:
        t.wait_for("App ID")
        for char in "demo/room-1/nope":
            t.type(char, pause=0.03)
        t.wait_for("Task ID   nope")
        t.keys("Enter")
        screen = t.wait_for("ActiveTaskNotFound")
        tab_bar = screen.splitlines()[1]
        assert "nope" in tab_bar and " ope" not in tab_bar


def test_an_unbracketed_paste_opens_the_task(tmp_path: Path) -> None:
    with terminal(DEMO, tmp_path) as t:
        t.wait_for("App ID")
        t.paste("demo/room-1/task-ended\n", bracketed=False)
        t.wait_for("IdleTimeOut")


def test_ids_pasted_from_a_table_are_split(tmp_path: Path) -> None:
    with terminal(DEMO, tmp_path) as t:
        t.wait_for("App ID")
        t.paste("demo\troom-1\ttask-ended", bracketed=True)
        screen = t.wait_for("Task ID   task-ended")
        lines = [line.strip() for line in screen.splitlines()]
        assert "App ID    demo" in lines and "Room ID   room-1" in lines


def test_f2_burst_keeps_the_secret_key_out_of_sight(tmp_path: Path) -> None:
    with terminal(DEMO, tmp_path) as t:
        t.wait_for("App ID")
        t.keys("F2")
        t.wait_for("Esc: back")
        t.burst("AKLTtyped", "Tab", "s3cretTyped")
        screen = t.wait_for("AKLTtyped")
        assert "s3cretTyped" not in screen
        assert "s3cretTyped" not in t.written().decode("utf-8", "replace")


def test_q_quits_when_focus_is_not_in_a_field(tmp_path: Path) -> None:
    with terminal([*DEMO, "room-1", "task-ended"], tmp_path) as t:
        t.wait_for("IdleTimeOut")
        t.keys("q")
        assert t.exit_status() == 0


def test_a_bad_id_on_the_command_line_is_a_usage_error(tmp_path: Path) -> None:
    with terminal([*SNAPTUI, "a b", "room-1", "t"], tmp_path) as t:
        assert t.exit_status() == 2
        screen = t.screen()
        assert "invalid AppId" in screen and "Traceback" not in screen


def test_watch_reads_a_list_on_stdin_and_keys_from_the_terminal(tmp_path: Path) -> None:
    import shlex

    command = shlex.join([*SNAPTUI, "watch", "--demo", "-"])
    listing = "# incident 42\\ndemo room-1 task-ended\\nbad line\\ndemo/room-1/task-failed\\n"
    with terminal(["sh", "-c", f"printf '{listing}' | {command}"], tmp_path) as t:
        t.wait_for("task-failed · Failed")
        t.wait_for("task-ended · Ended")
        t.keys("q")
        assert t.exit_status() == 0


def test_at_80_columns_the_key_lines_fit(tmp_path: Path) -> None:
    with terminal([*DEMO, "room-1", "task-ended"], tmp_path, size=(80, 24)) as t:
        t.wait_for("IdleTimeOut")
        t.wait_for("C Copy JSON")
        lines = t.wait_for("^w Close ^q Quit").rstrip("\n").splitlines()
        assert lines[-1].rstrip().endswith("^n New ^w Close ^q Quit")
        assert lines[-2].startswith(" C Copy JSON  i Copy RequestId  e Expor")
        assert "palettel" not in t.screen()
