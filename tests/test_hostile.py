"""A hostile or broken server, through the CLI and through the TUI.

Every case asserts what a person would see: the exit code and one clear message on
stderr, or the error panel over the last good tree; never a traceback, a raw control
character, or a secret."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest

from snaptui.simulator import DEMO_SECRET_KEY, Fault, Gateway, Simulator
from snaptui.tui.widgets.error_panel import ErrorPanel
from snaptui.tui.widgets.task_tree import TaskTree
from snaptui.tui.widgets.task_view import TaskView
from tests.helpers import DEMO_ENV, FakeClock, cli, run
from tests.tui_fixtures import make_app, settle

OK_META = {"RequestId": "hostile-1", "Action": "GetSnapshotTask", "Version": "2023-11-01"}


def body(task: object = None, meta: object = None, **extra: object) -> str:
    data: dict[str, object] = {"ResponseMetadata": meta if meta is not None else OK_META}
    if task is not None:
        data["Result"] = {"SnapshotTask": task}
    data.update(extra)
    return json.dumps(data, ensure_ascii=False)


@dataclass(frozen=True)
class Case:
    faults: tuple[Fault, ...]
    exit_code: int
    says: str  # on stderr (CLI), in the error panel or the tree (TUI)
    absent: tuple[str, ...] = field(default=())


def fault(kind: str, **kw: object) -> Fault:
    return Fault(kind, **kw)  # type: ignore[arg-type]


ESCAPES = "\x1b[2J\x1b]52;c;cHduZWQ=\x07\u009b31m\u202e"
CASES: dict[str, Case] = {
    "html-502": Case((fault("http5xx", status=502),), 5, "the body is HTML"),
    "html-503": Case((fault("http5xx", status=503),), 5, "HTTP 503"),
    "html-504": Case((fault("http5xx", status=504),), 5, "HTTP 504"),
    "html-401": Case((fault("body", status=401, body="<html>denied</html>"),), 5, "HTTP 401"),
    "empty-body": Case((fault("body", body=""),), 5, "the body is empty"),
    "truncated-json": Case((fault("malformed"),), 5, "not valid JSON"),
    "not-an-object": Case((fault("body", body="[1, 2, 3]"),), 5, "body should be an object"),
    "nan": Case(
        (fault("body", body='{"Result": {"SnapshotTask": {"Status": NaN}}}'),), 5, "not valid JSON"
    ),
    "wrong-type-status": Case(
        (fault("body", body=body({"Status": "2"})),), 5, "SnapshotTask.Status should be an integer"
    ),
    "wrong-type-streams": Case(
        (fault("body", body=body({"TargetStreams": {"StreamList": {"Index": 0}}})),),
        5,
        "SnapshotTask.TargetStreams.StreamList should be a list",
    ),
    "wrong-type-index": Case(
        (fault("body", body=body({"TargetStreams": {"StreamList": [{"Index": "0"}]}})),),
        5,
        "StreamList[0].Index should be an integer",
    ),
    "wrong-type-error-code": Case(
        (fault("body", status=400, body=body(meta={"Error": {"Code": 7}})),),
        5,
        "ResponseMetadata.Error.Code should be a string",
    ),
    "nulls": Case(
        (
            fault(
                "body",
                body=body(
                    {
                        k: None
                        for k in (
                            "StartTime",
                            "EndTime",
                            "Status",
                            "StopReason",
                            "TargetStreams",
                            "ImageConfig",
                        )
                    }
                ),
            ),
        ),
        0,
        "Unknown (missing)",
    ),
    "error-inside-200": Case(
        (
            fault(
                "body",
                body=body(meta={**OK_META, "Error": {"Code": "InternalError", "Message": "boom"}}),
            ),
        ),
        4,
        "InternalError",
    ),
    "json-500-without-error": Case(
        (fault("body", status=500, body=body()),), 5, "no error details"
    ),
    "absurd-nesting": Case(
        (fault("body", body="[" * 200_000 + "]" * 200_000),), 5, "nested too deeply"
    ),
    "invalid-utf8": Case((fault("body", body=b'{"a": "\xff\xfe"}'),), 5, "not valid UTF-8"),
    "huge-body": Case((fault("body", body=b" " * (33 * 2**20)),), 5, "MiB limit"),
    "trickle": Case((fault("trickle", seconds=30),), 5, "within 2 s"),
    "connection-reset": Case((fault("reset"),), 5, "connection"),
    "redirect-elsewhere": Case(
        (fault("redirect", body="https://evil.example/x"),), 5, "redirects are not followed"
    ),
    "escape-sequences": Case(
        (
            fault(
                "body",
                body=body(
                    {
                        "Status": 2,
                        "StopReason": ESCAPES,
                        "TargetStreams": {
                            "StreamList": [{"Index": 0, "UserId": "u" + ESCAPES, "StreamType": 0}]
                        },
                    }
                ),
            ),
        ),
        0,
        "\\u001b[2J",
    ),
    "rich-markup": Case(
        (
            fault(
                "body",
                body=body(
                    {
                        "Status": 2,
                        "StopReason": "[bold red]boom[/] [link=x]y",
                        "StorageConfig": {
                            "Type": 0,
                            "TosConfig": {"Bucket": "[reverse]b[/reverse]"},
                        },
                    }
                ),
            ),
        ),
        0,
        "[bold red]boom[/]",
    ),
    "secret-fields-echoed": Case(
        (
            fault(
                "body",
                body=body(
                    {
                        "Status": 2,
                        "StorageConfig": {
                            "Type": 2,
                            "CustomConfig": {
                                "Vendor": 0,
                                "AccessKey": "AKIA-STORE-LEAK",
                                "SecretKey": "store-secret-LEAK",
                            },
                        },
                    }
                ),
            ),
        ),
        0,
        "Running (2)",
        ("store-secret-LEAK", "AKIA-STORE-LEAK"),
    ),
    "our-secret-echoed-in-error": Case(
        (
            fault(
                "body",
                status=403,
                body=body(
                    meta={
                        **OK_META,
                        "Error": {
                            "Code": "AccessDenied",
                            "Message": f"key {DEMO_SECRET_KEY} is not allowed",
                        },
                    }
                ),
            ),
        ),
        4,
        "AccessDenied",
        (DEMO_SECRET_KEY,),
    ),
    "throttled-then-ok": Case((fault("throttle", seconds=1, times=1),), 0, "Running (2)"),
    "unavailable-then-ok": Case((fault("http5xx", status=503, times=2),), 0, "Running (2)"),
    "reset-then-ok": Case((fault("reset", times=1),), 0, "Running (2)"),
    "slow-but-in-time": Case((fault("latency", seconds=0.5),), 0, "Running (2)"),
    "unknown-enums": Case(
        (
            fault(
                "body",
                body=body({"Status": 9, "StopReason": "Meteor", "StorageConfig": {"Type": 7}}),
            ),
        ),
        0,
        "9 (unknown value)",
    ),
    "times-out-of-range": Case(
        (fault("body", body=body({"Status": 2, "StartTime": 10**30})),), 0, "out of range"
    ),
    "utf8-bom": Case((fault("body", body="\ufeff" + body({"Status": 2})),), 0, "Running (2)"),
}


@pytest.fixture
def hostile_sim() -> Iterator[Simulator]:
    with Simulator(Gateway()) as sim:
        yield sim


def assert_clean(text: str, case: Case) -> None:
    assert "Traceback" not in text
    for ch in ("\x1b", "\x07", "\u009b", "\u202e"):
        assert ch not in text
    for secret in (*case.absent, DEMO_SECRET_KEY):
        assert secret not in text


@pytest.mark.parametrize("name", CASES)
def test_cli(name: str, hostile_sim: Simulator) -> None:
    case = CASES[name]
    hostile_sim.gateway.tasks[("demo", "room-1", "task-tos")].faults.extend(case.faults)
    result = cli(
        "get",
        "--endpoint",
        hostile_sim.url,
        "--timeout",
        "2",
        "--output",
        "tree",
        "demo",
        "room-1",
        "task-tos",
        env=DEMO_ENV,
    )
    assert result.code == case.exit_code, result.err
    shown = result.err if case.exit_code else result.out
    assert case.says in shown
    assert_clean(result.out + result.err, case)
    if case.exit_code:
        assert len(result.err.strip().splitlines()) <= 4


@pytest.mark.parametrize("name", CASES)
def test_tui(name: str) -> None:
    case = CASES[name]
    clock = FakeClock()
    with Simulator(Gateway(clock=clock, seed=1)) as sim:
        app = make_app(sim, clock, ("demo", "room-1", "task-tos"))
        app.connection.timeout = 2

        async def go() -> None:
            async with app.run_test(size=(120, 40)) as pilot:
                await settle(pilot)
                view = app.screen.query_one(TaskView)
                tree = view.query_one(TaskTree)
                assert tree.model["SnapshotTask.Status"].value == "Running (2)"
                sim.gateway.tasks[("demo", "room-1", "task-tos")].faults.extend(case.faults)
                await pilot.press("r")
                await settle(pilot)
                panel = view.query_one(ErrorPanel)
                # What the tree draws, as text: markup must show literally, not style anything.
                labels = "\n".join(str(node.label) for node in tree._by_key.values())
                if case.exit_code:
                    text = str(panel.render())
                    assert panel.display and case.says in text, text
                    # The last good data stays on screen.
                    assert tree.model["SnapshotTask.Status"].value == "Running (2)"
                    assert_clean(text, case)
                else:
                    assert not panel.display
                    assert case.says in labels
                assert_clean(labels, case)
                assert app.is_running

        run(go())
