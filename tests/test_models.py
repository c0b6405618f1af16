"""Models: every seed-page field, unknown values kept, wrong types named by path."""

from __future__ import annotations

import json
from typing import Any

import pytest

from snaptui.volc.errors import MalformedResponseError
from snaptui.volc.models import (
    Format,
    Status,
    StopReason,
    StorageClass,
    StorageType,
    StreamType,
    Vendor,
    parse,
    read_metadata,
)
from tests.helpers import DATA

SEED = json.loads((DATA / "seed-example-response.json").read_text())


def with_task(**fields: Any) -> dict[str, Any]:
    return {"ResponseMetadata": {"RequestId": "r-1"}, "Result": {"SnapshotTask": fields}}


def test_seed_example_parses_every_field() -> None:
    result = parse(SEED)
    task = result.task
    assert task is not None
    assert result.metadata.RequestId == "20230****10420"
    assert (task.StartTime, task.EndTime) == (1677227309000, 1677227511000)
    assert task.Status is Status.ENDED and task.StopReason is StopReason.IDLE_TIMEOUT
    assert task.MaxIdleTime == 200
    assert task.TargetStreams is not None
    assert [(s.Index, s.UserId, s.StreamType) for s in task.TargetStreams.StreamList] == [
        (0, "user0", StreamType.SCREEN),
        (1, "user1", StreamType.SCREEN),
    ]
    assert task.ImageConfig is not None
    assert (task.ImageConfig.Format, task.ImageConfig.Width, task.ImageConfig.Interval) == (
        Format.JPEG,
        800,
        2,
    )
    storage = task.StorageConfig
    assert storage is not None and storage.Type is StorageType.TOS
    assert storage.TosConfig is not None and storage.TosConfig.Region == 0
    assert storage.CustomConfig is not None and storage.CustomConfig.Vendor is Vendor.AMAZON_S3


def test_every_storage_config_field() -> None:
    task = parse(
        with_task(
            StorageConfig={
                "Type": 1,
                "TosConfig": {"AccountId": "1", "Region": 2, "Bucket": "b"},
                "VodConfig": {
                    "AccountId": "2",
                    "Region": 1,
                    "Space": "s",
                    "StorageClass": 2,
                    "AutoSetFileExtension": True,
                },
                "CustomConfig": {"Vendor": 4, "Region": 3, "Bucket": "c"},
                "VeImageXConfig": {"AccountId": "3", "Region": 0, "ServiceId": "x"},
            }
        )
    ).task
    assert task is not None and task.StorageConfig is not None
    vod = task.StorageConfig.VodConfig
    assert vod is not None
    assert (vod.Space, vod.StorageClass, vod.AutoSetFileExtension) == (
        "s",
        StorageClass.ARCHIVE,
        True,
    )
    assert task.StorageConfig.VeImageXConfig is not None
    assert task.StorageConfig.VeImageXConfig.ServiceId == "x"


def test_unknown_enum_values_are_kept_and_flagged() -> None:
    task = parse(
        with_task(
            Status=9, StopReason="SolarFlare", StorageConfig={"Type": 7}, ImageConfig={"Format": 5}
        )
    ).task
    assert task is not None and task.Status is not None and task.StopReason is not None
    assert int(task.Status) == 9 and not task.Status.known
    assert str(task.StopReason) == "SolarFlare" and not task.StopReason.known
    assert Status.RUNNING.known and StopReason.STOP_BY_API.known


def test_missing_and_null_fields_become_none() -> None:
    task = parse(with_task(Status=None, TargetStreams=None, StopReason="")).task
    assert task is not None
    assert task.Status is None and task.TargetStreams is None and task.StopReason is None
    assert task.StartTime is None and task.StorageConfig is None


@pytest.mark.parametrize(
    ("fields", "path"),
    [
        (
            {"TargetStreams": {"StreamList": [{"Index": 0}, {"Index": "1"}]}},
            "SnapshotTask.TargetStreams.StreamList[1].Index",
        ),
        ({"Status": True}, "SnapshotTask.Status"),
        ({"StartTime": 1.5}, "SnapshotTask.StartTime"),
        ({"TargetStreams": {"StreamList": {"Index": 0}}}, "SnapshotTask.TargetStreams.StreamList"),
        ({"ImageConfig": []}, "SnapshotTask.ImageConfig"),
        (
            {"StorageConfig": {"VodConfig": {"AutoSetFileExtension": "yes"}}},
            "SnapshotTask.StorageConfig.VodConfig.AutoSetFileExtension",
        ),
        ({"StopReason": 3}, "SnapshotTask.StopReason"),
    ],
)
def test_wrong_type_names_the_path(fields: dict[str, Any], path: str) -> None:
    with pytest.raises(MalformedResponseError) as caught:
        parse(with_task(**fields))
    assert caught.value.path == path
    assert path in str(caught.value)
    assert caught.value.request_id == "r-1"


def test_not_an_object_and_missing_task() -> None:
    with pytest.raises(MalformedResponseError, match="should be an object"):
        parse([1, 2])
    with pytest.raises(MalformedResponseError, match=r"no Result\.SnapshotTask"):
        parse({"ResponseMetadata": {}, "Result": {}})


def test_error_metadata_is_read_and_an_error_answer_has_no_task() -> None:
    body = {"ResponseMetadata": {"RequestId": "r", "Error": {"Code": "X\x1b]52;c;", "CodeN": 1}}}
    metadata = read_metadata(body)
    assert metadata.Error is not None and metadata.Error.Code == "X\\u001b]52;c;"
    with pytest.raises(MalformedResponseError, match=r"no Result\.SnapshotTask"):
        parse(body)


def test_third_party_keys_are_never_kept() -> None:
    task = parse(
        with_task(
            StorageConfig={
                "Type": 2,
                "CustomConfig": {
                    "Vendor": 0,
                    "AccessKey": "AKIAEXAMPLE",
                    "SecretKey": "very-secret",
                },
            }
        )
    ).task
    assert "very-secret" not in repr(task) and "AKIAEXAMPLE" not in repr(task)
