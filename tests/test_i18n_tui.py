"""The app's language: chosen at start-up, switched from the palette, remembered, and the
keys, lines and messages that follow it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from rich.cells import cell_len

from snaptui import i18n, preferences
from snaptui.simulator import Simulator
from snaptui.tui.language import apply_language
from snaptui.tui.launch import start_language
from snaptui.tui.screens.main import tab_id
from snaptui.tui.wording import source_words
from tests.helpers import FakeClock, run
from tests.tui_fixtures import make_app, settle

ENDED = ("demo", "room-1", "task-ended")


@pytest.fixture(autouse=True)
def _english_afterwards() -> Iterator[None]:
    yield
    apply_language(i18n.ENGLISH)


def _description(cls: type, key: str) -> str:
    return str(cls._merged_bindings.get_bindings_for_key(key)[0].description)


def test_the_keys_of_classes_already_made_follow_a_switch_of_language() -> None:
    from snaptui.tui.app import SnaptuiApp
    from snaptui.tui.widgets.task_view import TaskView

    apply_language(i18n.CHINESE)
    assert _description(TaskView, "r") == "刷新"
    assert _description(SnaptuiApp, "ctrl+q") == "退出"
    apply_language(i18n.ENGLISH)
    assert _description(TaskView, "r") == "Refresh"
    assert _description(SnaptuiApp, "ctrl+q") == "Quit"


def test_where_keys_come_from_is_said_in_the_language_but_kept_in_english() -> None:
    apply_language(i18n.CHINESE)
    assert source_words("keyring (SecretService)") == "密钥环 (SecretService)"
    assert source_words("environment (VOLC_ACCESSKEY)") == "环境变量 (VOLC_ACCESSKEY)"
    assert source_words("this session only") == "仅本次会话"
    assert source_words("something new") == "something new"


def test_the_theme_and_the_language_are_remembered_side_by_side() -> None:
    preferences.save_theme("nord")
    preferences.save_language("zh")
    preferences.save_theme("gruvbox")
    assert preferences.load_language() == "zh"
    assert preferences.load_theme() == "gruvbox"


def test_a_broken_or_unknown_remembered_language_reads_as_none(tmp_path: Path) -> None:
    preferences.save_language("zh")
    path = Path(preferences._path())
    path.write_text(json.dumps({"language": "fr"}), encoding="utf-8")
    assert preferences.load_language() is None
    path.write_text("{not json", encoding="utf-8")
    assert preferences.load_language() is None


def test_start_up_takes_the_remembered_language_below_snaptui_lang(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in ("SNAPTUI_LANG", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    preferences.save_language("zh")
    assert start_language() == "zh" and i18n.current_language() == "zh"
    assert start_language("en") == "en"  # --lang
    monkeypatch.setenv("SNAPTUI_LANG", "en")
    assert start_language() == "en"


def test_the_palette_switches_the_language_and_keeps_the_tasks(
    sim: Simulator, clock: FakeClock
) -> None:
    app = make_app(sim, clock, ENDED)

    async def go() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("ctrl+p")
            await pilot.press(*"Language")
            await pilot.pause(0.3)
            await pilot.press("enter")
            await pilot.pause(0.2)

    run(go())
    assert app.restart_in == "zh"
    assert app.reopen == [ENDED]
    assert preferences.load_language() == "zh"


def test_the_app_in_the_new_language_shows_the_tab_that_was_on_show(
    sim: Simulator, clock: FakeClock
) -> None:
    failed = ("demo", "room-1", "task-failed")
    app = make_app(sim, clock, tasks=[ENDED, failed])

    async def switch() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("ctrl+n")  # the Query tab
            await pilot.pause(0.2)
            app.switch_language("zh")

    run(switch())
    assert app.reopen == [ENDED, failed] and app.reshow == "query"
    again = make_app(sim, clock, tasks=app.reopen, shown=app.reshow, language="zh")

    async def shown() -> tuple[str | None, object]:
        async with again.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.pause(0.2)
            return again.screen.shown_tab(), again.focused  # type: ignore[attr-defined]

    tab, focused = run(shown())
    assert tab == "query"
    assert getattr(focused, "id", None) == "app-id"


def test_the_second_key_line_shows_whole_entries_only(sim: Simulator, clock: FakeClock) -> None:
    from textual.widgets import Static

    app = make_app(sim, clock, ENDED, language="zh")
    shown: list[str] = []

    async def go() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            line = app.screen.query_one("#more-keys", Static)
            shown.append(str(line.render()))

    run(go())
    text = shown[0]
    assert text.startswith("C 复制 JSON  i 复制 RequestId  e 导出")
    # It fits in 80 columns less the padding, and every key has its words: no lone "t"
    # cut off at the edge.
    assert cell_len(text) <= 78, text
    entries = text.split("  ")
    assert all(len(entry.split(" ", 1)) == 2 for entry in entries), text


def test_watch_list_problems_are_said_in_the_language() -> None:
    from snaptui.watchlist import parse_watch_list

    apply_language(i18n.CHINESE)
    tasks, problems = parse_watch_list("demo room-1 task-ended\nnothing-here\n")
    assert tasks == [ENDED]
    assert problems == ["第 2 行：应为 APP ROOM TASK 或一个链接"]


def test_a_task_tab_on_show_is_kept_and_ends_are_not_said_again(
    sim: Simulator, clock: FakeClock
) -> None:
    failed = ("demo", "room-1", "task-failed")
    app = make_app(sim, clock, tasks=[ENDED, failed])

    async def switch() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.pause(0.2)
            await pilot.press("ctrl+right")  # from task-ended, shown first, to task-failed
            await pilot.pause(0.2)
            app.switch_language("zh")

    run(switch())
    assert app.reshow == tab_id(failed)
    again = make_app(sim, clock, tasks=app.reopen, shown=app.reshow, language="zh")

    async def shown() -> tuple[str | None, list[str]]:
        async with again.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.pause(0.3)
            said = [str(n.message) for n in again._notifications]
            return again.screen.shown_tab(), said  # type: ignore[attr-defined]

    tab, said = run(shown())
    assert tab == tab_id(failed)
    assert not any("IdleTimeOut" in s or "StartTaskFailed" in s for s in said), said


def test_several_tasks_at_start_open_on_the_first(sim: Simulator, clock: FakeClock) -> None:
    """A watch list opens on its first line, not its last."""
    failed = ("demo", "room-1", "task-failed")
    app = make_app(sim, clock, tasks=[ENDED, failed])

    async def go() -> str | None:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.pause(0.3)
            return app.screen.shown_tab()  # type: ignore[attr-defined]

    assert run(go()) == tab_id(ENDED)
