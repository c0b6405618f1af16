"""Arbitrary JSON through parse and present: only the documented error may come out.

Default runs are short; `pytest -m slow` runs 2,000 examples of each."""

from __future__ import annotations

import json
import os
import re
import time
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from snaptui.output import dump_json, render_tree
from snaptui.present import describe, outcome
from snaptui.volc.errors import ApiError, MalformedResponseError, SnaptuiError
from snaptui.volc.exchange import Answer, Retryable, interpret
from snaptui.volc.models import parse
from snaptui.volc.safe_text import UNSAFE_CHARS
from tests.helpers import DEMO_CREDS

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


# --- the boundary: any outside text, nothing of it acts on a terminal -------------------

UNSAFE = re.compile(UNSAFE_CHARS)
hostile_text = st.text(
    st.characters(codec="utf-8")
    | st.sampled_from(["\x1b", "\x07", "\x9b", "\x9d", "\u202e", "\u2066", "\x7f", "\r"]),
    max_size=12,
)


def outside_answer(text: str, status: int, error: bool) -> Answer:
    metadata: dict[str, Any] = {"RequestId": text}
    if error:
        metadata["Error"] = {"Code": text, "Message": text}
    body = {
        "ResponseMetadata": metadata,
        "Result": {
            "SnapshotTask": {
                "Status": 2,
                "StopReason": text,
                "TargetStreams": {"StreamList": [{"Index": 0, "UserId": text}] * 21},
                "StorageConfig": {
                    "Type": 9,
                    "TosConfig": {"Bucket": text, "AccountId": text},
                    "VeImageXConfig": {"ServiceId": text},
                },
                text: text,
            }
        },
    }
    headers = {
        "content-type": text,
        "location": "https://" + text,
        "date": text,
        "retry-after": text,
    }
    return Answer(status, headers, json.dumps(body, ensure_ascii=bool(len(text) % 2)).encode())


@FAST
@given(hostile_text, st.sampled_from([200, 302, 400, 429, 503]), st.booleans())
def test_no_outside_control_character_reaches_any_output(
    text: str, status: int, error: bool
) -> None:
    try:
        response = interpret(outside_answer(text, status, error), 1, time.time, DEMO_CREDS)
    except Retryable as retry:
        shown = str(retry.error)
    except SnaptuiError as exc:
        shown = str(exc) + (exc.hint if isinstance(exc, ApiError) else "")
        shown += getattr(exc, "request_id", None) or ""
    else:
        # Line breaks and SGR colours are the only control the tree and JSON have: ours.
        tree = render_tree(describe(response.task, time.time()), colour=True)
        shown = "".join(re.sub(r"\x1b\[[0-9;]*m", "", tree).split("\n"))
        shown += "".join(dump_json(response.data).split("\n"))
        shown += (response.request_id or "") + outcome(response.task)
        shown += dump_json(response.data, indent=None)
    assert UNSAFE.search(shown) is None, repr(shown)


@pytest.mark.parametrize("depth", [65, 500, 990, 5000])
def test_deep_json_is_malformed_everywhere_never_a_recursion_error(depth: int) -> None:
    nested = "[" * depth + "]" * depth
    body = f'{{"Result": {{"SnapshotTask": {{"Status": 3, "X": {nested}}}}}}}'.encode()
    with pytest.raises(MalformedResponseError, match="nested"):
        interpret(Answer(200, {}, body), 1, time.time, DEMO_CREDS)
    deep: Any = []
    for _ in range(depth):
        deep = [deep]
    with pytest.raises(MalformedResponseError, match="nested"):
        dump_json({"x": deep})


def test_the_cli_tree_prints_folded_branches_too() -> None:
    streams = [{"Index": i, "UserId": f"user{i}", "StreamType": 0} for i in range(30)]
    body = {
        "Result": {
            "SnapshotTask": {
                "Status": 2,
                "TargetStreams": {"StreamList": streams},
                "StorageConfig": {"Type": 0, "VodConfig": {"Space": "unused-space"}},
            }
        }
    }
    text = render_tree(describe(parse(body).task, time.time()))
    assert "UserId: user29" in text and "Index: 29" in text
    assert "Space: unused-space" in text
