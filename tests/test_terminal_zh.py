"""The app in Simplified Chinese in a real terminal (tmux, LANG=zh_CN.UTF-8, 80x24): the
main flows show no English UI words, double-width text lines up, and the language chosen
in the palette comes back in the next run."""

from __future__ import annotations

import json
import re
from pathlib import Path

from rich.cells import cell_len

from tests.terminal import SNAPTUI, Terminal

DEMO = [*SNAPTUI, "demo"]
# ASCII words that may stay: ids, API field names and terms, key names, presets, units.
KEPT = {
    *("snaptui", "demo", "simulator", "room", "task", "live", "ended", "failed", "pending"),
    *("many", "user", "tos", "vod", "s3", "imagex", "App", "Room", "Task", "ID", "UserId"),
    *("app", "RequestId", "AccessKey", "SecretKey", "JSON", "Enter", "Esc", "Ctrl", "Tab", "esc"),
    *("http", "https", "URL", "cn", "north", "volcengine", "intl", "byteplus", "APP_ID"),
    *("ROOM_ID", "TASK_ID", "profile", "endpoint", "region", "Status", "OSC", "SSH", "KB"),
    # API field names and values, as the API page spells them.
    *("StartTime", "EndTime", "StopReason", "MaxIdleTime", "TargetStreams", "StreamList"),
    *("ImageConfig", "Format", "Width", "Height", "Interval", "StorageConfig", "Type"),
    *("IdleTimeOut", "JPEG", "TOS", "UTC"),
    *("SecretService", "P", "E", "R", "n", "N", "y", "p", "j", "c", "C", "i", "e", "r", "t"),
    # Key names as the terminal's keys are labelled.
    *("home", "end", "space", "pgup", "pgdn"),
}
ENGLISH_WORD = re.compile(r"[A-Za-z][A-Za-z_]*")


def english_words(text: str) -> set[str]:
    """Words of the UI left in English: ASCII words that are not ids, field names or keys.
    Ids (task-ended, room-1), RequestIds and key names (^q, f1) never count."""
    text = re.sub(r"\b[0-9A-F]{20,}\b", " ", text)  # RequestIds
    text = re.sub(r"http://\S+", " ", text)
    text = re.sub(r"(?<![\w-])[\^]?[a-z]?f?\d+\b", " ", text)  # f1, ^q style keys
    return {w for w in ENGLISH_WORD.findall(text) if w not in KEPT and len(w) > 1}


def inside_dialog(screen: str) -> str:
    """The text inside a dialog's box (the tree behind it is not the dialog's)."""
    rows = [line for line in screen.splitlines() if line.count("│") >= 2]
    return "\n".join(row[row.index("│") + 1 : row.rindex("│")] for row in rows)


def check_width(screen: str, cols: int = 80) -> None:
    """Nothing runs past the edge: a double-width character cut in half would."""
    for line in screen.splitlines():
        assert cell_len(line) <= cols, f"wider than {cols}: {line!r}"


def value_columns(screen: str, labels_and_values: dict[str, str]) -> set[int]:
    """The cell column where each field's value starts, on the row of its label."""
    columns = set()
    for line in screen.splitlines():
        for label, value in labels_and_values.items():
            if line.lstrip().startswith(label) and value in line:
                columns.add(cell_len(line[: line.index(value)]))
    return columns


def chinese_terminal(tmp_path: Path, argv: list[str] = DEMO, **env: str) -> Terminal:
    base = {"LANG": "zh_CN.UTF-8", "SNAPTUI_CONFIG_DIR": str(tmp_path / "config")}
    return Terminal(argv, env={**base, **env}, log_dir=tmp_path)


def test_the_main_flows_in_chinese_leave_no_english_ui_words(tmp_path: Path) -> None:
    t = chinese_terminal(tmp_path)
    try:
        t.wait_for("打开任务")
        form = t.wait_for("^q 退出")
        check_width(form)
        assert english_words(form) == set(), form
        assert "f2 凭证" in form  # both key lines whole

        t.keys("F2")
        t.wait_for("在用密钥")
        creds = t.wait_for("f8 删除")  # its keys drawn too
        check_width(creds)
        assert english_words(creds) == set(), creds
        # Labels of 4 and 2 double-width characters: the fields still start in one column.
        columns = value_columns(creds, {"配置文件": "demo", "地域": "cn-north-1", "接入点": "http"})
        assert len(columns) == 1, creds
        t.keys("Escape")
        t.wait_for("打开任务")

        t.burst("demo", "Tab", "room-1", "Tab", "task-ended", "Enter")
        t.wait_for("已停止：任务已结束")
        task = t.wait_for("e 导出")  # the task's keys, once its tree has focus
        check_width(task)
        lines = task.splitlines()
        # The whole view: tabs, status line, RequestId, the tree's values, both key lines;
        # not the notes on the right ('▌'): the demo's note is the command line's.
        view = "\n".join(line.split("▌")[0] for line in lines)
        assert english_words(view) == set(), task
        assert "查询" in lines[1] and "开始于" in lines[3] and "更新于" in lines[4]
        assert "^q 退出" in lines[-1] and "e 导出" in lines[-2]

        t.keys("F1")
        help_screen = t.wait_for("snaptui 帮助")
        check_width(help_screen)
        assert english_words(inside_dialog(help_screen)) == set(), help_screen
        # Key and action columns line up whatever the width of the text.
        starts = {
            cell_len(line[: line.index(text)])
            for line in help_screen.splitlines()
            for text in ("立即获取任务", "暂停或继续自动刷新", "显示原始 JSON 或任务树")
            if text in line
        }
        assert len(starts) == 1, help_screen

    finally:
        t.close()


def test_the_language_chosen_in_the_palette_is_shown_at_once_and_remembered(
    tmp_path: Path,
) -> None:
    env = {"LANG": "en_US.UTF-8"}
    t = chinese_terminal(tmp_path, [*DEMO, "room-1", "task-ended"], **env)
    try:
        t.wait_for("stopped: task ended")
        t.wait_for("^q Quit")
        t.keys("C-p")
        t.wait_for("Search for commands")  # the palette is open: typing goes to it
        t.type("Language")
        t.wait_for("简体中文")
        t.keys("Enter")
        t.wait_for("已停止：任务已结束")  # the same task, still open
        screen = t.wait_for("^q 退出")
        assert "task-ended" in screen.splitlines()[1]
    finally:
        t.close()
    saved = json.loads((tmp_path / "config" / "ui.json").read_text(encoding="utf-8"))
    assert saved["language"] == "zh"

    t = chinese_terminal(tmp_path, **env)  # an English locale, but the choice was Chinese
    try:
        t.wait_for("打开任务")
    finally:
        t.close()
    t = chinese_terminal(tmp_path, **env, SNAPTUI_LANG="en")  # SNAPTUI_LANG still wins
    try:
        t.wait_for("Open task")
    finally:
        t.close()
