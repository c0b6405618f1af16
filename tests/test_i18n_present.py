"""Display values in Simplified Chinese: the API page's wording, times, durations, field
meanings; and the same values in English, unchanged."""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Iterator
from typing import Any

import pytest

from snaptui import i18n
from snaptui.field_help import FIELD_HELP, describe_field
from snaptui.present import (
    DURATION,
    Node,
    describe,
    elapsed,
    outcome,
    status_badge,
    status_text,
    stream_matches,
)
from snaptui.volc import endpoints
from snaptui.volc.models import Status, parse
from snaptui.volc.timefmt import format_ago, format_duration
from tests.helpers import DATA

SEED = json.loads((DATA / "seed-example-response.json").read_text())
SEED_NOW = 1677227511 + 180


@pytest.fixture(autouse=True)
def _utc_and_english_afterwards() -> Iterator[None]:
    old = os.environ.get("TZ")
    os.environ["TZ"] = "UTC"
    time.tzset()
    yield
    i18n.set_language(i18n.ENGLISH)
    if old is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = old
    time.tzset()


@pytest.fixture
def zh() -> None:
    i18n.set_language(i18n.CHINESE)


def task_body(**fields: Any) -> dict[str, Any]:
    return {"ResponseMetadata": {}, "Result": {"SnapshotTask": fields}}


def nodes(body: dict[str, Any], now: float = SEED_NOW) -> dict[str, Node]:
    task = parse(body).task
    assert task is not None
    return {n.key: n for n in describe(task, now).walk()}


_S = "SnapshotTask.StorageConfig"

# Each documented value with the words the API page (GetSnapshotTask, 2023-11-01) gives it.
API_PAGE_WORDING = [
    ({"Status": 0}, "SnapshotTask.Status", "未知异常状态 (0)"),
    ({"Status": 1}, "SnapshotTask.Status", "未开始 (1)"),
    ({"Status": 2}, "SnapshotTask.Status", "运行中 (2)"),
    ({"Status": 3}, "SnapshotTask.Status", "已结束 (3)"),
    ({"Status": 4}, "SnapshotTask.Status", "任务运行失败 (4)"),
    (
        {"StopReason": "UnknownStopReason"},
        "SnapshotTask.StopReason",
        "UnknownStopReason：未知停止原因",
    ),
    (
        {"StopReason": "StopByAPI"},
        "SnapshotTask.StopReason",
        "StopByAPI：用户主动调用服务端 OpenAPI 停止",
    ),
    ({"StopReason": "StartTaskFailed"}, "SnapshotTask.StopReason", "StartTaskFailed：任务启动失败"),
    ({"StopReason": "IdleTimeOut"}, "SnapshotTask.StopReason", "IdleTimeOut：任务超过最大空闲时间"),
    (
        {"StopReason": "UserDisconnect"},
        "SnapshotTask.StopReason",
        "UserDisconnect：自动截图任务中，截图任务对应的客户端用户主动退房",
    ),
    (
        {"TargetStreams": {"StreamList": [{"Index": 0, "UserId": "u", "StreamType": 0}]}},
        "SnapshotTask.TargetStreams.StreamList[0].StreamType",
        "普通音视频流 (0)",
    ),
    (
        {"TargetStreams": {"StreamList": [{"Index": 0, "UserId": "u", "StreamType": 1}]}},
        "SnapshotTask.TargetStreams.StreamList[0].StreamType",
        "屏幕流 (1)",
    ),
    ({"StorageConfig": {"Type": 0}}, f"{_S}.Type", "火山引擎对象存储 TOS (0)"),
    ({"StorageConfig": {"Type": 1}}, f"{_S}.Type", "视频点播 VOD (1)"),
    ({"StorageConfig": {"Type": 2}}, f"{_S}.Type", "支持 S3 协议的第三方存储 (2)"),
    ({"StorageConfig": {"Type": 3}}, f"{_S}.Type", "veImageX (3)"),
    (
        {"StorageConfig": {"CustomConfig": {"Vendor": 0}}},
        f"{_S}.CustomConfig.Vendor",
        "亚马逊 S3 (0)",
    ),
    (
        {"StorageConfig": {"CustomConfig": {"Vendor": 1}}},
        f"{_S}.CustomConfig.Vendor",
        "阿里云 OSS (1)",
    ),
    (
        {"StorageConfig": {"CustomConfig": {"Vendor": 2}}},
        f"{_S}.CustomConfig.Vendor",
        "华为云 OBS (2)",
    ),
    (
        {"StorageConfig": {"CustomConfig": {"Vendor": 3}}},
        f"{_S}.CustomConfig.Vendor",
        "腾讯云 COS (3)",
    ),
    (
        {"StorageConfig": {"CustomConfig": {"Vendor": 4}}},
        f"{_S}.CustomConfig.Vendor",
        "七牛云 Kodo (4)",
    ),
    (
        {"StorageConfig": {"VodConfig": {"StorageClass": 1}}},
        f"{_S}.VodConfig.StorageClass",
        "标准存储 (1)",
    ),
    (
        {"StorageConfig": {"VodConfig": {"StorageClass": 2}}},
        f"{_S}.VodConfig.StorageClass",
        "归档存储 (2)",
    ),
    (
        {"StorageConfig": {"VodConfig": {"StorageClass": 3}}},
        f"{_S}.VodConfig.StorageClass",
        "低频存储 (3)",
    ),
]


@pytest.mark.parametrize(("fields", "key", "expected"), API_PAGE_WORDING)
def test_decoded_values_use_the_api_pages_wording(
    zh: None, fields: dict[str, Any], key: str, expected: str
) -> None:
    assert nodes(task_body(**fields))[key].value == expected


def test_the_seed_example_in_chinese() -> None:
    i18n.set_language(i18n.CHINESE)
    os.environ["TZ"] = "Asia/Shanghai"
    time.tzset()
    n = nodes(SEED)
    assert (
        n["SnapshotTask.StartTime"].value == "2023-02-24 16:28:29 +08:00（UTC 08:28:29，6 分钟前）"
    )
    elapsed = n["SnapshotTask.$Elapsed"]
    assert (elapsed.label, elapsed.value) == ("时长", "3 分 22 秒")
    assert n["SnapshotTask.MaxIdleTime"].value == "200 秒（3 分 20 秒）"
    assert n["SnapshotTask.TargetStreams"].value == "2 路流"
    assert n["SnapshotTask.TargetStreams.StreamList[0]"].value == "user0 · 屏幕流"
    assert n["SnapshotTask.ImageConfig"].value == "JPEG 800x800，每 2 秒"
    assert n["SnapshotTask.ImageConfig.Width"].value == "800 像素"
    assert n["SnapshotTask.ImageConfig.Interval"].value == "每 2 秒"
    assert n["SnapshotTask.StorageConfig"].value == "火山引擎对象存储 TOS"
    assert n["SnapshotTask.StorageConfig.TosConfig"].value == "使用中"
    assert n["SnapshotTask.StorageConfig.VodConfig"].value == "未使用"
    assert n["SnapshotTask.StorageConfig.VeImageXConfig.Region"].value == "默认地域 (0)"
    # Field names and region ids stay as the API spells them.
    assert n["SnapshotTask.StartTime"].label == "StartTime"
    assert n["SnapshotTask.StorageConfig.TosConfig.Region"].value == "cn-beijing (0)"


def test_a_time_in_utc_and_out_of_range_in_chinese(zh: None) -> None:
    n = nodes(task_body(StartTime=1677227309000, EndTime=10**30))
    assert n["SnapshotTask.StartTime"].value == "2023-02-24 08:28:29 UTC（6 分钟前）"
    assert n["SnapshotTask.EndTime"].value == f"{10**30}（超出范围）"


def test_a_running_task_and_its_defaults_in_chinese(zh: None) -> None:
    n = nodes(
        task_body(
            Status=2,
            StartTime=1677227309000,
            EndTime=0,
            ImageConfig={"Width": 0, "Height": 0, "Interval": 5},
            TargetStreams={"StreamList": []},
        ),
        now=1677227309 + 125,
    )
    elapsed = n["SnapshotTask.$Elapsed"]
    assert (elapsed.label, elapsed.value) == ("已运行", "2 分 5 秒")
    assert n["SnapshotTask.EndTime"].value == "0（任务未结束）"
    assert n["SnapshotTask.StopReason"].value == "暂无（任务未结束）"
    assert n["SnapshotTask.ImageConfig.Width"].value == "0（与视频流相同）"
    assert n["SnapshotTask.ImageConfig"].value == "原始尺寸，每 5 秒"
    assert n["SnapshotTask.TargetStreams.StreamList"].value == "空：订阅房间内所有流"


def test_unknown_and_missing_values_in_chinese(zh: None) -> None:
    n = nodes(
        task_body(
            Status=9,
            StopReason="SolarFlare",
            StorageConfig={"Type": 2, "CustomConfig": {"Vendor": 2, "Region": 4}},
        )
    )
    assert n["SnapshotTask.Status"].value == "9（未知取值）"
    assert n["SnapshotTask.StopReason"].value == "SolarFlare（未知取值）"
    assert n[f"{_S}.CustomConfig.Region"].value == "华为云 OBS 地域 #4"
    assert status_text(None) == ("未知（缺失）", "unknown")
    ended = nodes(task_body(Status=3))
    assert ended["SnapshotTask.StopReason"].value == "（空）"


@pytest.mark.parametrize(
    ("status", "word", "tone"),
    [
        (Status.NOT_STARTED, "未开始", "waiting"),
        (Status.RUNNING, "运行中", "running"),
        (Status.ENDED, "已结束", "ok"),
        (Status.FAILED, "任务运行失败", "failed"),
        (None, "未知异常状态", "unknown"),
    ],
)
def test_the_badge_in_chinese_keeps_its_tone(
    zh: None, status: Status | None, word: str, tone: str
) -> None:
    assert status_badge(status) == (word, tone)


def test_outcome_in_chinese(zh: None) -> None:
    task = parse(SEED).task
    assert task is not None
    assert outcome(task) == "任务已结束：IdleTimeOut，历时 3 分 22 秒"
    failed = parse(task_body(Status=4, StopReason="StartTaskFailed", StartTime=1, EndTime=5001))
    assert failed.task is not None
    assert outcome(failed.task) == "任务运行失败：StartTaskFailed，历时 5 秒"
    no_reason = parse(task_body(Status=3)).task
    assert no_reason is not None
    assert outcome(no_reason) == "任务已结束：未给出停止原因"


DURATIONS = [
    (7, "7 s", "7 秒"),
    (60, "1 min", "1 分钟"),
    (202, "3 min 22 s", "3 分 22 秒"),
    (7200, "2 h", "2 小时"),
    (7500, "2 h 5 min", "2 小时 5 分"),
    (3 * 86400, "3 d", "3 天"),
    (3 * 86400 + 4 * 3600, "3 d 4 h", "3 天 4 小时"),
]


@pytest.mark.parametrize(("seconds", "english", "chinese"), DURATIONS)
def test_durations_in_both_languages(seconds: float, english: str, chinese: str) -> None:
    assert format_duration(seconds) == english
    i18n.set_language(i18n.CHINESE)
    assert format_duration(seconds) == chinese


RELATIVE = [
    (30, "just now", "刚刚"),
    (-30, "just now", "刚刚"),
    (200, "3 min ago", "3 分钟前"),
    (7500, "2 h ago", "2 小时前"),
    (5 * 86400, "5 d ago", "5 天前"),
    (-200, "in 3 min", "3 分钟后"),
    (-7500, "in 2 h", "2 小时后"),
    (-5 * 86400, "in 5 d", "5 天后"),
]


@pytest.mark.parametrize(("seconds", "english", "chinese"), RELATIVE)
def test_relative_times_in_both_languages(seconds: float, english: str, chinese: str) -> None:
    assert format_ago(seconds) == english
    i18n.set_language(i18n.CHINESE)
    assert format_ago(seconds) == chinese


@pytest.mark.parametrize(
    ("count", "english", "chinese"),
    [(1, "1 stream", "1 路流"), (10_000, "10,000 streams", "10,000 路流")],
)
def test_stream_counts(count: int, english: str, chinese: str) -> None:
    streams = [{"Index": i, "UserId": f"u{i}", "StreamType": 0} for i in range(count)]
    body = task_body(TargetStreams={"StreamList": streams})
    assert nodes(body)["SnapshotTask.TargetStreams"].value == english
    i18n.set_language(i18n.CHINESE)
    assert nodes(body)["SnapshotTask.TargetStreams"].value == chinese


def _every_kind_of_value() -> list[dict[str, Any]]:
    """Tasks that between them show every decoded value present has words for."""
    streams = [
        {"Index": 0, "UserId": "alice", "StreamType": 0},
        {"Index": 1, "UserId": "bob", "StreamType": 1},
        {"Index": 2, "StreamType": 7},
    ]
    image = {"Format": 1, "Width": 0, "Height": 720, "Interval": 2}
    bodies = [
        task_body(**{**SEED["Result"]["SnapshotTask"], "Status": status}) for status in range(6)
    ]
    for stop in ("UnknownStopReason", "StopByAPI", "StartTaskFailed", "UserDisconnect", "X"):
        bodies.append(task_body(Status=3, StopReason=stop, StartTime=1, EndTime=0))
    storages = [
        {"Type": 1, "VodConfig": {"AccountId": "21", "Region": 1, "Space": "s",
                                  "StorageClass": c, "AutoSetFileExtension": c == 2}}
        for c in (1, 2, 3, 9)
    ]  # fmt: skip
    storages += [
        {"Type": 2, "CustomConfig": {"Vendor": v, "Region": r, "Bucket": "b"}}
        for v in range(6)
        for r in (0, 99)
    ]
    storages += [{"Type": 3, "VeImageXConfig": {"Region": r, "ServiceId": "x"}} for r in (0, 2)]
    storages += [{"Type": t, "TosConfig": {"Region": 40}} for t in (0, 5)]
    for storage in storages:
        bodies.append(
            task_body(
                Status=2,
                StartTime=1677227309000,
                EndTime=0,
                MaxIdleTime=30,
                TargetStreams={"StreamList": streams},
                ImageConfig=image,
                StorageConfig=storage,
            )
        )
    bodies.append(task_body(ImageConfig={"Format": 5, "Width": 640, "Height": 0}))
    return bodies


# English that rightly stays in a Chinese tree: the API's own names and codes, ids, units
# known the world over, brands.
_KEPT = {
    "UTC", "JPEG", "PNG", "TOS", "VOD", "S3", "OSS", "OBS", "COS", "Kodo", "veImageX",
    "API", "IdleTimeOut", "StopByAPI", "StartTaskFailed", "UserDisconnect",
    "UnknownStopReason", "SolarFlare", "OpenAPI", "alice", "bob", "user",
}  # fmt: skip
_REGION_WORDS = {
    word
    for table in (endpoints.TOS_REGIONS, endpoints.VOD_REGIONS, *endpoints.VENDOR_REGIONS.values())
    if table
    for region in table
    for word in re.findall(r"[A-Za-z]+", region)
}


def test_no_english_words_are_left_in_a_chinese_tree(zh: None) -> None:
    left: set[str] = set()
    for body in _every_kind_of_value():
        for node in nodes(body).values():
            for text in (node.label, node.value):
                for word in re.findall(r"[A-Za-z]{2,}", text):
                    if word not in _KEPT and word not in _REGION_WORDS and word != node.label:
                        left.add(f"{node.key}: {word!r} in {text!r}")
    assert not left, "\n".join(sorted(left))


def test_every_node_of_a_task_has_its_fields_meaning_in_both_languages() -> None:
    keys = {key for body in _every_kind_of_value() for key in nodes(body)}
    english = {key: describe_field(key) for key in keys}
    assert all(english.values()), [k for k, v in english.items() if not v]
    i18n.set_language(i18n.CHINESE)
    chinese = {key: describe_field(key) for key in keys}
    assert all(re.search(r"[\u4e00-\u9fff]", text) for text in chinese.values())
    assert chinese != english


def test_a_fields_meaning_is_the_api_pages(zh: None) -> None:
    n = nodes(SEED)
    assert n["SnapshotTask.StartTime"].help == "任务开始时间戳，Unix 时间，单位为毫秒。"
    assert n["SnapshotTask.ImageConfig.Interval"].help == (
        "相邻截图之间的间隔时间，取值范围为 [1, 600]，单位为秒，默认值为 2。"
    )
    # One meaning for every stream, whatever its index or group.
    user = "SnapshotTask.TargetStreams.StreamList[1].UserId"
    assert n[user].help == "用户 ID，表示这个流所属的用户。"
    assert describe_field("SnapshotTask.TargetStreams.StreamList[5000:6000]") == describe_field(
        "SnapshotTask.TargetStreams.StreamList"
    )
    assert describe_field("SnapshotTask.NotAField") == ""
    i18n.set_language(i18n.ENGLISH)
    assert n[user].help == "The user ID: the user this stream belongs to."


def test_every_described_field_is_one_the_api_returns() -> None:
    """No meaning is kept for a path no node has: each entry of the table is reachable."""
    keys = {re.sub(r"\[\d+\]", "", key) for body in _every_kind_of_value() for key in nodes(body)}
    full = {"AccountId", "Bucket"}  # TosConfig's own, not in the tasks above
    keys |= {f"{_S}.TosConfig.{name}" for name in full}
    keys |= {f"{_S}.VeImageXConfig.AccountId"}
    assert set(FIELD_HELP) <= keys, set(FIELD_HELP) - keys


def test_a_search_finds_streams_by_their_chinese_words(zh: None) -> None:
    task = parse(
        task_body(
            TargetStreams={
                "StreamList": [
                    {"Index": 0, "UserId": "a", "StreamType": 0},
                    {"Index": 1, "UserId": "b", "StreamType": 1},
                ]
            }
        )
    ).task
    assert task is not None and task.TargetStreams is not None
    assert stream_matches(task.TargetStreams.StreamList, "屏幕流") == [1]


def test_elapseds_label_stays_a_key_a_view_can_compare_with(zh: None) -> None:
    task = parse(SEED).task
    assert task is not None
    span = elapsed(task, SEED_NOW)
    assert span is not None and span[0] == DURATION == "Duration"
