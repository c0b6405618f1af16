"""Simulated snapshot tasks: a base SnapshotTask plus a timeline of changes.

Time starts at a task's first query, so a demo always opens on a fresh task.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from snaptui.i18n import _
from snaptui.simulator import DEMO_APP, DEMO_ROOM
from snaptui.simulator.faults import Fault, parse_fault
from snaptui.volc.ids import ID_PATTERN

QUERYABLE_SECONDS = 72 * 3600


@dataclass(frozen=True)
class Step:
    at: float  # seconds after the first query
    changes: dict[str, Any]


@dataclass
class TaskSpec:
    app_id: str
    room_id: str
    task_id: str
    snapshot: dict[str, Any]
    timeline: list[Step] = field(default_factory=list)
    # How long before its first query the task started (StartTime).
    started_before: float = 0.0
    faults: list[Fault] = field(default_factory=list)

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.app_id, self.room_id, self.task_id)

    def state_at(self, first_query: float, now: float) -> dict[str, Any]:
        """The SnapshotTask as the API would show it `now` (epoch seconds)."""
        since = now - first_query
        start = first_query - self.started_before
        task: dict[str, Any] = {"StartTime": int(start * 1000), "EndTime": 0}
        task.update(copy.deepcopy(self.snapshot))
        ended_at: float | None = None
        for step in self.timeline:
            if step.at > since:
                break
            task.update(copy.deepcopy(step.changes))
            if step.changes.get("Status") in (3, 4) and "EndTime" not in step.changes:
                ended_at = first_query + step.at
        if ended_at is not None and not task.get("EndTime"):
            task["EndTime"] = int(ended_at * 1000)
        return _api_order(task)

    def expired(self, first_query: float, now: float) -> bool:
        return now - (first_query - self.started_before) > QUERYABLE_SECONDS


_ORDER = (
    "StartTime",
    "EndTime",
    "Status",
    "StopReason",
    "TargetStreams",
    "MaxIdleTime",
    "ImageConfig",
    "StorageConfig",
)


def _api_order(task: dict[str, Any]) -> dict[str, Any]:
    ordered = {key: task[key] for key in _ORDER if key in task}
    ordered.update({k: v for k, v in task.items() if k not in ordered})
    return ordered


def example_task(specs: Iterable[TaskSpec]) -> TaskSpec | None:
    """A task a first query will find, to name in a hint: the demo's task-live if served."""
    servable = [spec for spec in specs if not spec.expired(0.0, 0.0)]
    live = [spec for spec in servable if spec.key == (DEMO_APP, DEMO_ROOM, "task-live")]
    return next(iter(live or servable), None)


# --- the built-in demo set ---------------------------------------------------


_SEED_STREAMS = [
    {"Index": 0, "UserId": "user0", "StreamType": 1},
    {"Index": 1, "UserId": "user1", "StreamType": 1},
]
_SEED_STORAGE = {
    "Type": 0,
    "TosConfig": {"Region": 0},
    "VodConfig": {"Region": 0},
    "VeImageXConfig": {"Region": 0},
    "CustomConfig": {"Vendor": 0, "Region": 0},
}
_IMAGE = {"Format": 0, "Width": 0, "Height": 0, "Interval": 2}
_TOS = {"Type": 0, "TosConfig": {"AccountId": "2100000001", "Bucket": "rtc-snapshots", "Region": 2}}


def _base(streams: list[dict[str, Any]], storage: dict[str, Any], **extra: Any) -> dict[str, Any]:
    task: dict[str, Any] = {
        "Status": 2,
        "StopReason": "",
        "TargetStreams": {"StreamList": streams},
        "MaxIdleTime": 180,
        "ImageConfig": dict(_IMAGE),
        "StorageConfig": storage,
    }
    task.update(extra)
    return task


def demo_tasks() -> list[TaskSpec]:
    alice = [{"Index": 0, "UserId": "alice", "StreamType": 0}]
    pair = [*alice, {"Index": 1, "UserId": "bob", "StreamType": 1}]
    specs = [
        TaskSpec(
            DEMO_APP, DEMO_ROOM, "task-live",
            _base(pair, _TOS, Status=1),
            [Step(2, {"Status": 2}), Step(20, {"Status": 3, "StopReason": "StopByAPI"})],
        ),
        TaskSpec(
            DEMO_APP, DEMO_ROOM, "task-ended",
            {
                "Status": 3,
                "StopReason": "IdleTimeOut",
                "TargetStreams": {"StreamList": copy.deepcopy(_SEED_STREAMS)},
                "MaxIdleTime": 200,
                "ImageConfig": {"Format": 0, "Width": 800, "Height": 800, "Interval": 2},
                "StorageConfig": copy.deepcopy(_SEED_STORAGE),
            },
            [Step(0, {"Status": 3})],
            started_before=202,
        ),
        TaskSpec(
            DEMO_APP, DEMO_ROOM, "task-failed",
            _base(alice, _TOS, Status=4, StopReason="StartTaskFailed"),
            [Step(0, {"Status": 4})],
            started_before=5,
        ),
        TaskSpec(
            DEMO_APP, DEMO_ROOM, "user-7",
            _base([{"Index": 0, "UserId": "user-7", "StreamType": 0}], _TOS),
            [Step(30, {"Status": 3, "StopReason": "UserDisconnect"})],
            started_before=12,
        ),
        TaskSpec(DEMO_APP, DEMO_ROOM, "task-pending", _base(alice, _TOS, Status=1)),
        TaskSpec(
            DEMO_APP, DEMO_ROOM, "task-many",
            _base(
                [
                    {"Index": i, "UserId": f"viewer-{i:05d}", "StreamType": int(i % 7 == 0)}
                    for i in range(10_000)
                ],
                _TOS,
                ImageConfig={"Format": 1, "Width": 640, "Height": 360, "Interval": 10},
            ),
            started_before=3600,
        ),
        TaskSpec(DEMO_APP, DEMO_ROOM, "task-tos", _base(pair, _TOS), started_before=90),
        TaskSpec(
            DEMO_APP, DEMO_ROOM, "task-vod",
            _base(pair, {
                "Type": 1,
                "VodConfig": {
                    "AccountId": "2100000001",
                    "Space": "live-snapshots",
                    "Region": 0,
                    "StorageClass": 3,
                    "AutoSetFileExtension": True,
                },
            }),
            started_before=90,
        ),
        TaskSpec(
            DEMO_APP, DEMO_ROOM, "task-s3",
            _base(pair, {
                "Type": 2,
                "CustomConfig": {"Vendor": 1, "Region": 1, "Bucket": "oss-rtc-frames"},
            }),
            started_before=90,
        ),
        TaskSpec(
            DEMO_APP, DEMO_ROOM, "task-imagex",
            _base(pair, {
                "Type": 3,
                "VeImageXConfig": {
                    "AccountId": "2100000001", "ServiceId": "sd8x2kqf1m", "Region": 0,
                },
            }),
            started_before=90,
        ),
        TaskSpec(DEMO_APP, DEMO_ROOM, "task-all-streams", _base([], _TOS), started_before=90),
    ]  # fmt: skip
    return specs


# --- scenario files ----------------------------------------------------------


class ScenarioError(ValueError):
    pass


# Deep enough for any SnapshotTask; shallow enough that copying and encoding a value
# can never hit Python's recursion limit while a request waits.
MAX_DEPTH = 32
# StartTime and timeline offsets stay well inside what an epoch in milliseconds can hold.
MAX_SCENARIO_SECONDS = 1e9
MAX_SCENARIO_BYTES = 16 * 2**20
_TOP_KEYS = ("include_demo", "faults", "task")
_TASK_KEYS = ("app_id", "room_id", "task_id", "started_before", "snapshot", "faults", "timeline")


def load_scenario(path: Path) -> tuple[list[TaskSpec], list[Fault], bool]:
    """Tasks and run-wide faults from a TOML scenario; the bool says keep the demo set."""
    import tomllib  # here: the demo, started with the app, reads no scenario

    try:
        # Bounded: a scenario is a few KB; /dev/zero or a huge file must not eat memory.
        with path.open("rb") as file:
            raw = file.read(MAX_SCENARIO_BYTES + 1)
        if len(raw) > MAX_SCENARIO_BYTES:
            raise ScenarioError(
                f"cannot read scenario {str(path)!r}: over {MAX_SCENARIO_BYTES // 2**20} MiB"
            )
        data = tomllib.loads(raw.decode("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ScenarioError(
            _("cannot read scenario {path}: {error}").format(path=repr(str(path)), error=exc)
        ) from None
    except RecursionError:
        raise ScenarioError(
            _("cannot read scenario {path}: values are nested too deeply").format(
                path=repr(str(path))
            )
        ) from None
    return parse_scenario(data)


def parse_scenario(data: dict[str, Any]) -> tuple[list[TaskSpec], list[Fault], bool]:
    _known_keys(data, _TOP_KEYS, _("the scenario"))
    keep_demo = data.get("include_demo", False)
    if not isinstance(keep_demo, bool):
        raise ScenarioError(_("'include_demo' must be true or false"))
    faults = [_fault(f, "faults") for f in _list(data, "faults", "")]
    specs: list[TaskSpec] = []
    seen: set[tuple[str, str, str]] = set()
    for i, raw in enumerate(_list(data, "task", "")):
        spec = _task(raw, f"task[{i}]")
        if spec.key in seen:
            raise ScenarioError(
                _("{where}: {task} is already defined above").format(
                    where=f"task[{i}]", task="/".join(spec.key)
                )
            )
        seen.add(spec.key)
        specs.append(spec)
    return specs, faults, keep_demo


def _task(raw: dict[str, Any], where: str) -> TaskSpec:
    _known_keys(raw, _TASK_KEYS, where)
    for key in ("app_id", "room_id", "task_id"):
        value = raw.get(key)
        if not isinstance(value, str):
            raise ScenarioError(_("{where}: '{key}' must be a string").format(where=where, key=key))
        # The gateway refuses such an id before looking for a task: it could never answer.
        if not ID_PATTERN.fullmatch(value):
            raise ScenarioError(
                _(
                    "{where}: {key} {value} can never be queried: an id is 1 to 128 "
                    "letters, digits and @ . _ -"
                ).format(where=where, key=key, value=repr(value))
            )
    snapshot = raw.get("snapshot", {})
    if not isinstance(snapshot, dict):
        raise ScenarioError(_("{where} must be a table").format(where=f"{where}.snapshot"))
    _check_json(snapshot, f"{where}.snapshot", 0)
    timeline = []
    for j, step in enumerate(_list(raw, "timeline", where)):
        at = _seconds(step.get("at"), f"{where}.timeline[{j}]", "at")
        changes = {k: v for k, v in step.items() if k != "at"}
        _check_json(changes, f"{where}.timeline[{j}]", 0)
        timeline.append(Step(at, changes))
    started = _seconds(raw.get("started_before", 0), where, "started_before")
    return TaskSpec(
        raw["app_id"],
        raw["room_id"],
        raw["task_id"],
        snapshot,
        sorted(timeline, key=lambda s: s.at),
        started,
        [_fault(f, f"{where}.faults") for f in _list(raw, "faults", where)],
    )


def _seconds(value: object, where: str, name: str) -> float:
    # Written so that nan fails too: every comparison with nan is false.
    if (
        not isinstance(value, int | float)
        or isinstance(value, bool)
        or not 0 <= value <= MAX_SCENARIO_SECONDS
    ):
        raise ScenarioError(
            _("{where}: '{name}' must be a number of seconds from 0 to {max}").format(
                where=where, name=name, max=f"{MAX_SCENARIO_SECONDS:,.0f}"
            )
        )
    return float(value)


def _check_json(value: object, where: str, depth: int) -> None:
    """Only what a JSON answer can hold: a TOML date or a nan could never be sent."""
    if depth > MAX_DEPTH:
        raise ScenarioError(
            _("{where}: nested more than {max} levels deep").format(where=where, max=MAX_DEPTH)
        )
    if isinstance(value, dict):
        for key, item in value.items():
            _check_json(item, f"{where}.{key}", depth + 1)
    elif isinstance(value, list):
        for n, item in enumerate(value):
            _check_json(item, f"{where}[{n}]", depth + 1)
    elif isinstance(value, float) and not math.isfinite(value):
        raise ScenarioError(
            _("{where}: {value} is not a JSON number (use a 'body' fault)").format(
                where=where, value=value
            )
        )
    elif not isinstance(value, str | int | float | bool):
        raise ScenarioError(
            _("{where}: a {type} cannot be sent in JSON; write it as a number or a string").format(
                where=where, type=type(value).__name__
            )
        )


def _fault(raw: Any, where: str) -> Fault:
    try:
        return parse_fault(raw, where)
    except ValueError as exc:
        raise ScenarioError(str(exc)) from None


def _known_keys(data: dict[str, Any], known: tuple[str, ...], where: str) -> None:
    unknown = [key for key in data if key not in known]
    if unknown:
        raise ScenarioError(
            _("{where}: unknown key {key}; known: {known}").format(
                where=where, key=repr(unknown[0]), known=", ".join(known)
            )
        )


def _list(data: dict[str, Any], key: str, where: str) -> list[dict[str, Any]]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        name = f"{where}.{key}" if where else key
        raise ScenarioError(
            _("{name} must be an array of tables ([[{key}]])").format(name=name, key=key)
        )
    return value
