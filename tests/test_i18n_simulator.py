"""The simulator's own messages in Simplified Chinese; its API answers as the real service
words them, whatever the language."""

from __future__ import annotations

import http.client
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from snaptui import i18n
from snaptui.simulator import Simulator, parse_fault
from snaptui.simulator.tasks import ScenarioError, load_scenario, parse_scenario


@pytest.fixture(autouse=True)
def _english_afterwards() -> Iterator[None]:
    yield
    i18n.set_language(i18n.ENGLISH)


def _task(**extra: Any) -> dict[str, Any]:
    return {"app_id": "a", "room_id": "r", "task_id": "t", **extra}


SCENARIOS = [
    (
        {"tasks": []},
        "the scenario: unknown key 'tasks'; known: include_demo, faults, task",
        "场景文件：未知的键 'tasks'；可用：include_demo, faults, task",
    ),
    (
        {"include_demo": "yes"},
        "'include_demo' must be true or false",
        "'include_demo' 须是 true 或 false",
    ),
    (
        {"task": [_task(), _task()]},
        "task[1]: a/r/t is already defined above",
        "task[1]：a/r/t 已在前面定义过",
    ),
    (
        {"task": [_task(task_id="bad id")]},
        "task[0]: task_id 'bad id' can never be queried: an id is 1 to 128 letters, "
        "digits and @ . _ -",
        "task[0]：task_id 'bad id' 永远无法查询：标识须是 1 到 128 个字母、数字或 @ . _ -",
    ),
    (
        {"task": [_task(snapshot=[1])]},
        "task[0].snapshot must be a table",
        "task[0].snapshot 须是一个表",
    ),
    (
        {"task": [_task(started_before=-1)]},
        "task[0]: 'started_before' must be a number of seconds from 0 to 1,000,000,000",
        "task[0]：'started_before' 须是 0 到 1,000,000,000 之间的秒数",
    ),
    (
        {"task": [_task(snapshot={"MaxIdleTime": float("nan")})]},
        "task[0].snapshot.MaxIdleTime: nan is not a JSON number (use a 'body' fault)",
        "task[0].snapshot.MaxIdleTime：nan 不是 JSON 数值（请用 'body' 故障）",
    ),
    (
        {"task": "t"},
        "task must be an array of tables ([[task]])",
        "task 须是表数组（[[task]]）",
    ),
    (
        {"faults": [{"kind": "latency", "seconds": 4000}]},
        "faults: 'seconds' must be a number from 0 to 3600",
        "faults：'seconds' 须是 0 到 3600 之间的数",
    ),
    (
        {"faults": [{"kind": "earthquake"}]},
        "faults: unknown fault kind 'earthquake'; known: latency, http5xx, malformed, reset, "
        "trickle, throttle, body, redirect",
        "faults：未知的故障类型 'earthquake'；可用：latency, http5xx, malformed, reset, "
        "trickle, throttle, body, redirect",
    ),
]


@pytest.mark.parametrize(("data", "english", "chinese"), SCENARIOS)
def test_scenario_errors_in_both_languages(
    data: dict[str, Any], english: str, chinese: str
) -> None:
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(data)
    assert str(caught.value) == english
    i18n.set_language(i18n.CHINESE)
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(data)
    assert str(caught.value) == chinese


@pytest.mark.parametrize(
    ("text", "english", "chinese"),
    [
        (
            "latency:speed=1",
            "fault 'latency:speed=1': unknown setting 'speed'; known: seconds, status, times, body",
            "故障 'latency:speed=1'：未知的设置项 'speed'；可用：seconds, status, times, body",
        ),
        (
            "latency:seconds=soon",
            "fault 'latency:seconds=soon': seconds must be a number",
            "故障 'latency:seconds=soon'：seconds 须是数",
        ),
        (
            "http5xx:status=5xx",
            "fault 'http5xx:status=5xx': status must be a whole number",
            "故障 'http5xx:status=5xx'：status 须是整数",
        ),
        (
            "http5xx:status=700",
            "--fault: 'status' must be an HTTP status code (100 to 599)",
            "--fault：'status' 须是 HTTP 状态码（100 到 599）",
        ),
        (
            "throttle:times=-1",
            "--fault: 'times' must be a whole number >= 0",
            "--fault：'times' 须是大于等于 0 的整数",
        ),
    ],
)
def test_fault_errors_from_the_command_line_in_both_languages(
    text: str, english: str, chinese: str
) -> None:
    with pytest.raises(ValueError) as caught:
        parse_fault(text, "--fault")
    assert str(caught.value) == english
    i18n.set_language(i18n.CHINESE)
    with pytest.raises(ValueError) as caught:
        parse_fault(text, "--fault")
    assert str(caught.value) == chinese


def test_an_unreadable_scenario_in_chinese(tmp_path: Path) -> None:
    i18n.set_language(i18n.CHINESE)
    path = tmp_path / "bad.toml"
    path.write_text("task = [", encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"^无法读取场景文件 '.*bad\.toml'："):
        load_scenario(path)
    deep = tmp_path / "deep.toml"
    deep.write_text("x = " + "[" * 5000 + "]" * 5000, encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"：值嵌套过深$"):
        load_scenario(deep)


def _unsigned_answer(sim: Simulator) -> tuple[int, dict[str, Any]]:
    host, port = sim.url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=5)
    try:
        connection.request("GET", "/?Action=GetSnapshotTask&Version=2023-11-01&AppId=demo")
        answer = connection.getresponse()
        return answer.status, json.loads(answer.read())
    finally:
        connection.close()


def test_the_log_speaks_chinese_and_the_api_answer_stays_as_the_service_words_it(
    capfd: pytest.CaptureFixture[str],
) -> None:
    with Simulator(verbose=True) as sim:
        english_status, english = _unsigned_answer(sim)
        i18n.set_language(i18n.CHINESE)
        chinese_status, chinese = _unsigned_answer(sim)
    err = capfd.readouterr().err
    # The request lines: one in each language's prefix, the request itself as it came.
    assert re.search(r"^simulator: 127\.0\.0\.1 .*GET /\?Action=GetSnapshotTask", err, re.M)
    assert re.search(r"^模拟器：127\.0\.0\.1 .*GET /\?Action=GetSnapshotTask", err, re.M)
    assert english_status == chinese_status == 401
    for body in (english, chinese):
        body["ResponseMetadata"].pop("RequestId")
    assert chinese == english
    error = chinese["ResponseMetadata"]["Error"]
    assert error["Code"] == "MissingAuthenticationToken"
    assert not re.search(r"[\u4e00-\u9fff]", json.dumps(chinese, ensure_ascii=False))
