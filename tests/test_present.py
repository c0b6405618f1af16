"""Presentation: the words a person reads, for every kind of value."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from typing import Any

import pytest

from snaptui.present import Node, clean, describe, outcome
from snaptui.volc.models import parse
from tests.helpers import DATA

SEED = json.loads((DATA / "seed-example-response.json").read_text())


@pytest.fixture(autouse=True)
def utc() -> Iterator[None]:
    old = os.environ.get("TZ")
    os.environ["TZ"] = "UTC"
    time.tzset()
    yield
    if old is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = old
    time.tzset()


def nodes(body: dict[str, Any], now: float = 1677227511 + 180) -> dict[str, Node]:
    task = parse(body).task
    assert task is not None
    return {n.key: n for n in describe(task, now).walk()}


def task_body(**fields: Any) -> dict[str, Any]:
    return {"ResponseMetadata": {}, "Result": {"SnapshotTask": fields}}


def test_seed_example_reads_like_a_person_wrote_it() -> None:
    n = nodes(SEED)
    assert n["SnapshotTask.Status"].value == "Ended (3)"
    assert n["SnapshotTask.StopReason"].value.startswith("IdleTimeOut")
    assert n["SnapshotTask.StartTime"].value == "2023-02-24 08:28:29 UTC (6 min ago)"
    assert n["SnapshotTask.$Elapsed"].text() == "Duration: 3 min 22 s"
    assert n["SnapshotTask.ImageConfig"].value == "JPEG 800x800, every 2 s"
    assert n["SnapshotTask.ImageConfig.Interval"].value == "every 2 s"
    assert n["SnapshotTask.TargetStreams.StreamList[0]"].value == "user0 · screen share"
    assert n["SnapshotTask.StorageConfig.TosConfig"].value == "in use"
    assert n["SnapshotTask.StorageConfig.VodConfig"].tone == "muted"
    assert n["SnapshotTask.StorageConfig.TosConfig.Region"].value == "cn-beijing (0)"


def test_local_time_with_utc_and_relative() -> None:
    os.environ["TZ"] = "Asia/Shanghai"
    time.tzset()
    value = nodes(SEED)["SnapshotTask.StartTime"].value
    assert value == "2023-02-24 16:28:29 +08:00 (08:28:29 UTC, 6 min ago)"


def test_running_task_and_defaults() -> None:
    n = nodes(
        task_body(
            Status=2,
            StartTime=1677227309000,
            EndTime=0,
            ImageConfig={"Width": 0, "Height": 0},
            TargetStreams={"StreamList": []},
        ),
        now=1677227309 + 125,
    )
    assert n["SnapshotTask.Status"].value == "Running (2)"
    assert n["SnapshotTask.$Elapsed"].text() == "Running for: 2 min 5 s"
    assert n["SnapshotTask.EndTime"].value == "0 (not ended)"
    assert n["SnapshotTask.StopReason"].value == "none yet (not ended)"
    assert n["SnapshotTask.ImageConfig.Width"].value == "0 (same as stream)"
    assert n["SnapshotTask.TargetStreams.StreamList"].value == "empty: all streams in the room"


def test_unknown_values_are_shown_raw_and_flagged() -> None:
    n = nodes(task_body(Status=9, StopReason="SolarFlare", StorageConfig={"Type": 8}))
    assert n["SnapshotTask.Status"].value == "9 (unknown value)"
    assert n["SnapshotTask.Status"].tone == "unknown"
    assert n["SnapshotTask.StopReason"].value == "SolarFlare (unknown value)"
    assert n["SnapshotTask.StorageConfig.Type"].value == "8 (unknown value)"


def test_region_codes_decoded_per_store() -> None:
    n = nodes(
        task_body(
            StorageConfig={
                "Type": 2,
                "VodConfig": {"Region": 1, "StorageClass": 3},
                "CustomConfig": {"Vendor": 1, "Region": 9},
                "VeImageXConfig": {"Region": 0},
            }
        )
    )
    prefix = "SnapshotTask.StorageConfig."
    assert n[prefix + "VodConfig.Region"].value == "ap-southeast-1 (1)"
    assert n[prefix + "VodConfig.StorageClass"].value == "Infrequent access (3)"
    assert n[prefix + "CustomConfig.Region"].value == "oss-cn-guangzhou (9)"
    assert n[prefix + "CustomConfig"].value == "in use"
    assert n[prefix + "VeImageXConfig.Region"].value == "default region (0)"
    n = nodes(task_body(StorageConfig={"Type": 2, "CustomConfig": {"Vendor": 2, "Region": 4}}))
    assert n[prefix + "CustomConfig.Region"].value == "Huawei Cloud OBS region #4"


def test_server_strings_cannot_drive_the_terminal() -> None:
    n = nodes(
        task_body(
            TargetStreams={
                "StreamList": [
                    {"Index": 0, "UserId": "evil\x1b[2J\x07[bold red]x[/]\u202e", "StreamType": 0}
                ]
            }
        )
    )
    text = n["SnapshotTask.TargetStreams.StreamList[0].UserId"].value
    assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text
    assert text == "evil\\u001b[2J\\u0007[bold red]x[/]\\u202e"
    assert clean("ok\u009b31m") == "ok\\u009b31m"


def test_outcome_line() -> None:
    task = parse(SEED).task
    assert task is not None
    assert outcome(task) == "Task ended: IdleTimeOut after 3 min 22 s"
    failed = parse(
        task_body(Status=4, StopReason="StartTaskFailed", StartTime=1000, EndTime=6000)
    ).task
    assert failed is not None
    assert outcome(failed) == "Task failed: StartTaskFailed after 5 s"


def test_huge_times_do_not_crash() -> None:
    n = nodes(task_body(StartTime=10**30, EndTime=-(10**30)))
    assert "out of range" in n["SnapshotTask.StartTime"].value


def test_the_badge_word_and_its_tone() -> None:
    from snaptui.present import status_badge
    from snaptui.volc.models import Status

    assert status_badge(Status.RUNNING) == ("Running", "running")
    assert status_badge(Status.FAILED) == ("Failed", "failed")
    assert status_badge(None) == ("Unknown", "unknown")


def test_each_node_carries_its_fields_meaning() -> None:
    n = nodes(SEED)
    assert n["SnapshotTask.EndTime"].help == (
        "When the task ended: a Unix timestamp in milliseconds. 0 means it has not ended."
    )
    assert n["SnapshotTask.TargetStreams.StreamList[0].StreamType"].help.startswith(
        "The stream's type. 0: a normal audio/video stream; 1: a screen stream."
    )
