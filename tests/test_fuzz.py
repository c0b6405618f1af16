"""Arbitrary JSON through parse and present: only the documented error may come out.

Default runs are short; `pytest -m slow` runs 2,000 examples of each."""

from __future__ import annotations

import os
import time
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from snaptui.output import dump_json, render_tree
from snaptui.present import describe, outcome
from snaptui.volc.errors import MalformedResponseError
from snaptui.volc.models import parse

scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text()
any_json = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)
# Shaped like an answer, so the fuzzing reaches deep into SnapshotTask.
field_values = st.one_of(scalars, any_json)
stream = st.fixed_dictionaries(
    {}, optional={"Index": field_values, "UserId": field_values, "StreamType": field_values}
)
task = st.fixed_dictionaries(
    {},
    optional={
        "StartTime": field_values,
        "EndTime": field_values,
        "Status": field_values,
        "StopReason": field_values,
        "MaxIdleTime": field_values,
        "TargetStreams": st.fixed_dictionaries(
            {}, optional={"StreamList": st.lists(stream, max_size=3)}
        ),
        "ImageConfig": st.dictionaries(
            st.sampled_from(["Format", "Width", "Height", "Interval"]), field_values
        ),
        "StorageConfig": st.dictionaries(
            st.sampled_from(["Type", "TosConfig", "VodConfig", "CustomConfig", "VeImageXConfig"]),
            field_values
            | st.dictionaries(
                st.sampled_from(
                    [
                        "Region",
                        "Vendor",
                        "Bucket",
                        "AccountId",
                        "StorageClass",
                        "AutoSetFileExtension",
                        "Space",
                        "ServiceId",
                        "AccessKey",
                        "SecretKey",
                    ]
                ),
                field_values,
            ),
        ),
    },
)
answer = st.fixed_dictionaries(
    {"Result": st.fixed_dictionaries({"SnapshotTask": task})},
    optional={
        "ResponseMetadata": st.dictionaries(st.sampled_from(["RequestId", "Error"]), field_values)
    },
)


def survive(body: Any) -> None:
    try:
        result = parse(body)
    except MalformedResponseError:
        return
    if result.task is None:
        return
    root = describe(result.task, time.time())
    text = render_tree(root) + outcome(result.task) + dump_json(body)
    assert "\x1b" not in text and "\x07" not in text


FAST = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(autouse=True, scope="module")
def _utc() -> None:
    os.environ["TZ"] = "UTC"
    time.tzset()


@FAST
@given(any_json)
def test_any_json(body: Any) -> None:
    survive(body)


@FAST
@given(answer)
def test_answer_shaped_json(body: Any) -> None:
    survive(body)


@pytest.mark.slow
@SLOW
@given(any_json)
def test_any_json_long(body: Any) -> None:
    survive(body)


@pytest.mark.slow
@SLOW
@given(answer)
def test_answer_shaped_json_long(body: Any) -> None:
    survive(body)
