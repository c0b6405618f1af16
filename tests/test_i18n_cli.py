"""The command line in Simplified Chinese: `--lang`, the locale, and what never changes
(JSON, exit codes, option and field names, Codes, RequestIds). Real processes, real HTTP
to the simulator, and a real terminal (pty) where colours and columns matter."""

from __future__ import annotations

import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from snaptui import cli as snaptui_cli
from snaptui import i18n
from snaptui.simulator import Simulator
from snaptui.tui import launch
from tests.helpers import DEMO_ENV, cli
from tests.terminal import SNAPTUI, run_in_pty

ZH = {**DEMO_ENV, "LANG": "zh_CN.UTF-8"}
EN = {**DEMO_ENV, "LANG": "en_US.UTF-8"}
CSI = re.compile(r"\x1b\[[0-9;]*m")
API_FIELDS = {"Status", "StopReason", "StartTime", "EndTime", "MaxIdleTime", "StreamType"}
API_FIELDS |= {"TargetStreams", "StreamList", "Index", "UserId", "ImageConfig", "Format"}
API_FIELDS |= {"Width", "Height", "Interval", "StorageConfig", "Type", "TosConfig", "Bucket"}


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def box(line: str) -> str:
    """The tree's drawing before a node's text."""
    return line[: len(line) - len(line.lstrip("│├└─ "))]


def has_chinese(text: str) -> bool:
    return any("\u4e00" <= c <= "\u9fff" for c in text)


def test_lang_zh_errors_are_chinese_and_keep_code_and_request_id(live_sim: Simulator) -> None:
    result = cli(
        "get", "--lang", "zh", "--endpoint", live_sim.url, "demo", "room-1", "nope", env=EN
    )
    assert result.code == 4
    lines = result.err.splitlines()
    assert lines[0].startswith("错误：API 拒绝了请求：")
    assert lines[1] == "  Code: InvalidParameter.ErrorActiveTaskNotFound (HTTP 400)"
    assert re.fullmatch(r"  RequestId: \w+", lines[2])
    assert lines[3] == "  提示：没有这个截图任务（只能查询最近 72 小时内开始的任务）。"


def test_lang_zh_on_a_terminal_invalid_id_and_api_error(live_sim: Simulator) -> None:
    code, written = run_in_pty(
        [*SNAPTUI, "get", "--lang", "zh", "--endpoint", live_sim.url, "demo", "room 1", "t"],
        env=EN,
    )
    text = written.decode("utf-8")
    assert code == 2
    assert "错误：RoomId 无效：包含 ' '；只允许字母、数字和 @ . _ -" in text
    assert "未发送任何请求" in text
    code, written = run_in_pty(
        [*SNAPTUI, "get", "--lang", "zh", "--endpoint", live_sim.url, "demo", "room-1", "nope"],
        env={**EN, "VOLC_SECRETKEY": "wrong"},
    )
    text = written.decode("utf-8")
    assert code == 4
    assert "提示：Secret Access Key 被拒绝。" in text and "Code: SignatureDoesNotMatch" in text


def test_lang_zh_tree_on_a_terminal_keeps_field_names_columns_and_colours(
    live_sim: Simulator,
) -> None:
    ids = ("demo", "room-1", "task-failed")
    runs = {}
    for lang in ("en", "zh"):
        code, written = run_in_pty(
            [*SNAPTUI, "get", "--lang", lang, "--endpoint", live_sim.url, *ids], env=EN
        )
        assert code == 0, written
        runs[lang] = written.decode("utf-8").replace("\r\n", "\n").strip().splitlines()
    en, zh = runs["en"], runs["zh"]
    assert len(en) == len(zh)
    for en_line, zh_line in zip(en, zh, strict=True):
        # The same box drawing before each node; an API field keeps the API's name.
        plain_en, plain_zh = CSI.sub("", en_line), CSI.sub("", zh_line)
        assert box(plain_en) == box(plain_zh)
        label = plain_en.split(":")[0].strip("│├└─ ")
        if label in API_FIELDS:
            assert plain_zh.split(":")[0] == plain_en.split(":")[0]
    text = "\n".join(CSI.sub("", line) for line in zh)
    assert "├─ Status: 任务运行失败 (4)" in text and "├─ StopReason: StartTaskFailed" in text
    # Our colours reach the terminal as colours, in Chinese too: the failed status in red.
    assert any(line.startswith("├─ \x1b[31;1mStatus: ") for line in zh)
    assert not any("\\u001b" in line for line in zh)


def test_help_in_chinese_is_aligned_and_within_the_width() -> None:
    result = cli("get", "--help", "--lang", "zh", env={"COLUMNS": "60"})
    assert result.code == 0
    lines = result.out.splitlines()
    assert lines[0].startswith("用法：snaptui get [-h]")
    # Continuation lines of the usage start under the first option, counted in columns.
    indent = width("用法：snaptui get ")
    for line in lines[1:]:
        if not line:
            break
        assert len(line) - len(line.lstrip(" ")) == indent, line
    assert "选项:" in lines and "位置参数:" in lines
    # Description, option help and exit codes alike: nothing wider than the terminal.
    assert all(width(line) <= 58 for line in lines), [x for x in lines if width(x) > 58]
    text = result.out
    for kept in ("--output {tree,json}", "--watch", "--lang {en,zh}", "APP_ID", "Status 3"):
        assert kept in text
    assert "退出码：" in text and "显示此帮助信息并退出" in text
    assert "exit codes" not in text and "show this help" not in text


def test_top_level_help_lists_commands_in_chinese() -> None:
    result = cli("--lang", "zh", "--help", env={"COLUMNS": "80"})
    assert result.code == 0
    assert "查询一个任务并输出（供脚本使用）" in result.out
    assert "显示程序版本号并退出" in result.out


@pytest.mark.parametrize(
    ("env", "args", "chinese"),
    [
        ({"LANG": "zh_CN.UTF-8"}, [], True),
        ({"LANG": "en_US.UTF-8", "LC_MESSAGES": "zh_SG.UTF-8"}, [], True),
        ({"LANG": "zh_CN.UTF-8"}, ["--lang", "en"], False),
        ({"LANG": "zh_CN.UTF-8", "SNAPTUI_LANG": "en"}, [], False),
        ({"LANG": "en_US.UTF-8", "SNAPTUI_LANG": "zh"}, [], True),
        ({"LANG": "zh_TW.UTF-8"}, [], False),
        ({"LANG": "C"}, [], False),
    ],
)
def test_the_language_comes_from_lang_option_snaptui_lang_and_locale(
    env: dict[str, str], args: list[str], chinese: bool
) -> None:
    result = cli("get", *args, "demo", "room/1", "t", env=env)
    assert result.code == 2
    assert has_chinese(result.err) == chinese, result.err
    if not chinese:
        assert result.err.startswith("error: invalid RoomId: contains '/'")


@pytest.mark.parametrize(
    "args",
    [
        ["demo", "room-1", "task-ended"],
        ["demo", "room-1", "task-live", "--output", "json"],
    ],
)
def test_json_output_is_identical_in_both_languages(live_sim: Simulator, args: list[str]) -> None:
    outs = [
        cli("get", "--endpoint", live_sim.url, "--lang", lang, *args, env=EN)
        for lang in ("en", "zh")
    ]
    assert outs[0].code == outs[1].code == 0
    # The same task at the same moment: only RequestId-free bytes can be compared.
    strip = re.compile(r'"RequestId": ?"[^"]*"')
    assert strip.sub("", outs[0].out) == strip.sub("", outs[1].out)
    assert not has_chinese(outs[1].out)


@pytest.mark.parametrize(
    ("args", "env"),
    [
        (["demo", "room-1", "task-ended"], DEMO_ENV),
        (["demo", "room 1", "task-ended"], DEMO_ENV),
        (["demo", "room-1", "task-ended"], {}),
        (["demo", "room-1", "nope"], DEMO_ENV),
        (["demo", "room-1", "task-ended", "--output", "xml"], DEMO_ENV),
        (["demo", "room-1", "task-failed", "--watch", "--interval", "1"], DEMO_ENV),
    ],
)
def test_exit_codes_are_identical_in_both_languages(
    live_sim: Simulator, args: list[str], env: dict[str, str]
) -> None:
    codes = []
    for lang in ("en", "zh"):
        result = cli("get", "--lang", lang, "--endpoint", live_sim.url, *args, env=env)
        assert "Traceback" not in result.err
        assert has_chinese(result.err) == (lang == "zh" and bool(result.err)), result.err
        codes.append(result.code)
    assert codes[0] == codes[1]


def test_argparse_errors_are_chinese_and_name_the_option() -> None:
    result = cli("get", "--lang", "zh", "demo", "room-1", "t", "--output", "xml")
    assert result.code == 2
    assert "snaptui get: 参数 --output：无效的选择：'xml'（可选：'tree', 'json'）" in result.err
    assert "请运行 'snaptui get --help' 查看用法。" in result.err
    result = cli("--lang", "zh", "get", "demo")
    assert result.code == 2
    assert "缺少以下参数：ROOM_ID, TASK_ID" in result.err


def test_an_unknown_language_is_a_usage_error() -> None:
    result = cli("--lang", "fr", "get", "a", "b", "c")
    assert result.code == 2
    assert "--lang" in result.err and "'fr'" in result.err and "Traceback" not in result.err


def test_whoami_columns_line_up_in_chinese() -> None:
    result = cli("whoami", "--lang", "zh", env=DEMO_ENV)
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0].startswith("Profile：") and lines[-1].startswith("AccessKey:")
    starts = {width(line) - width(line.split(maxsplit=1)[1]) for line in lines}
    assert len(starts) == 1, lines
    assert "来源：     环境变量（VOLC_ACCESSKEY）" in lines


@pytest.mark.parametrize(
    ("argv", "lang"),
    [
        (["--lang", "zh", "a", "b", "c"], "zh"),
        (["demo", "--lang", "en"], "en"),
        (["--lang=zh", "demo", "room-1", "task-live"], "zh"),
        (["a", "b", "c"], None),
    ],
)
def test_the_app_is_given_the_chosen_lang(
    monkeypatch: pytest.MonkeyPatch, argv: list[str], lang: str | None
) -> None:
    given: list[str | None] = []

    def fake_run(options: launch.AppOptions, lang: str | None = None) -> int:
        given.append(lang)
        return 0

    monkeypatch.setattr(launch, "run_app", fake_run)
    monkeypatch.setattr("snaptui.cli._need_terminal", lambda command: None)  # a terminal
    try:
        assert snaptui_cli.main(argv) == 0
    finally:
        i18n.set_language(i18n.ENGLISH)
    assert given == [lang]


def test_simulate_prints_its_lines_in_chinese() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "snaptui", "simulate", "--port", "0", "--lang", "zh"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        lines = [proc.stdout.readline() for _ in range(4)]
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    assert lines[0].startswith("snaptui 模拟器正在监听 http://127.0.0.1:")
    assert lines[0].rstrip().endswith("（地域 cn-north-1）")
    assert lines[1].startswith("  AccessKey AKLTsnaptuidemo   SecretKey ")
    assert lines[2].startswith(
        "  试试：VOLC_ACCESSKEY=AKLTsnaptuidemo VOLC_SECRETKEY=... snaptui get"
    )
    assert lines[3].startswith("  任务：demo/room-1/")


def test_login_whoami_logout_in_chinese_under_a_real_secret_service(
    secret_service_env: dict[str, str], tmp_path: Path
) -> None:
    env = {
        k: v for k, v in secret_service_env.items() if not k.startswith(("VOLC", "PYTHON_KEYRING"))
    }
    env.update(SNAPTUI_CONFIG_DIR=str(tmp_path / "config"), LANG="zh_CN.UTF-8")

    def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "snaptui", *args],
            env=env,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=60,
        )

    login = run("login", "--access-key", "AKLTsnaptuidemo", "--secret-stdin", stdin="sk-zh\n")
    assert login.returncode == 0, login.stderr
    assert "已把 Profile 'default' 的 AccessKey ****demo 保存到密钥环（" in login.stderr
    whoami = run("whoami")
    assert whoami.returncode == 0, whoami.stderr
    assert "来源：     密钥环（keyring.backends.SecretService.Keyring）" in whoami.stdout
    assert "AccessKey: ****demo" in whoami.stdout and "sk-zh" not in whoami.stdout
    logout = run("logout")
    assert logout.returncode == 0
    assert "已从密钥环删除 Profile 'default' 的密钥" in logout.stderr
    missing = run("login", "--secret-stdin", stdin="sk\n")
    assert missing.returncode == 3
    assert "错误：使用 --secret-stdin 时必须给出 --access-key" in missing.stderr


@pytest.mark.parametrize(
    ("chosen", "locale", "chinese"), [("zh", "C.UTF-8", True), ("en", "zh_CN.UTF-8", False)]
)
def test_the_language_chosen_in_the_app_speaks_for_the_command_line(
    tmp_path: Path, chosen: str, locale: str, chinese: bool
) -> None:
    """README: the app's choice comes before LC_*/LANG, for every command."""
    (tmp_path / "ui.json").write_text(f'{{"language": "{chosen}"}}\n', encoding="utf-8")
    env = {"SNAPTUI_CONFIG_DIR": str(tmp_path), "LANG": locale, "LC_ALL": "", "LC_MESSAGES": ""}
    done = cli("get", "demo", "room 1", "x", env={**DEMO_ENV, **env})
    assert done.code == 2
    assert has_chinese(done.err) == chinese, done.err
    # --lang still wins over the app's choice.
    forced = cli(
        "--lang", "en" if chinese else "zh", "get", "demo", "room 1", "x", env={**DEMO_ENV, **env}
    )
    assert has_chinese(forced.err) != chinese, forced.err
