"""The three official Volcengine clients against the simulator, over real HTTP.

Each signs its own way: the old Python SDK (`volcengine`) `host;x-content-sha256;x-date`
with a form-encoded wire query; the new one (`volcenginesdkcore`) every `X-*` header it
sends, through its own ApiClient and retry loop; the Node.js SDK (`@volcengine/openapi`)
only `x-date` (and the token), with a query from Node's `querystring`. Each makes, for
random ids, a session token and a second region: calls for known tasks (answered), unknown
ids (not found), odd ids (refused as ids, never as a bad signature), and badly signed calls
(a wrong secret, the other region, a wrong token: refused).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from snaptui.simulator import Account, Gateway, Simulator, TaskSpec
from snaptui.volc.ids import ID_PATTERN
from snaptui.volc.secret import Secret

NODE_DIR = Path(__file__).parent / "node"
REGIONS = ("cn-north-1", "ap-singapore-1")
SDK_PACKAGE = "@volcengine/openapi"


@dataclass(frozen=True)
class Call:
    """One GetSnapshotTask call as a client is configured for it."""

    query: dict[str, str]
    region: str
    access_key: str
    secret_key: str
    token: str | None


@dataclass(frozen=True)
class Answer:
    """What the caller learned: the error Code, or the task."""

    code: str | None
    task: dict[str, Any] | None = None


# A client: the simulator's host:port and the calls, in order -> one answer per call.
Client = Callable[[str, list[Call]], list[Answer]]


def _from_body(body: dict[str, Any]) -> Answer:
    error = body.get("ResponseMetadata", {}).get("Error")
    if error:
        return Answer(error["Code"])
    return Answer(None, body["Result"]["SnapshotTask"])


# --- the three clients ---------------------------------------------------------------


def old_python_sdk(host: str, calls: list[Call]) -> list[Answer]:
    """volc-sdk-python's `Service.get`: it raises the body text on a non-200 answer."""
    from volcengine.ApiInfo import ApiInfo
    from volcengine.base.Service import Service
    from volcengine.Credentials import Credentials
    from volcengine.ServiceInfo import ServiceInfo

    api = {
        "GetSnapshotTask": ApiInfo(
            "GET", "/", {"Action": "GetSnapshotTask", "Version": "2023-11-01"}, {}, {}
        )
    }
    answers = []
    for call in calls:
        credentials = Credentials(call.access_key, call.secret_key, "rtc", call.region)
        info = ServiceInfo(host, {"Accept": "application/json"}, credentials, 5, 5, scheme="http")
        service = Service(info, api)
        if call.token:
            service.set_session_token(call.token)
        try:
            text = service.get("GetSnapshotTask", call.query)
        except Exception as refused:  # the SDK's way of saying "not 200"
            text = str(refused)
        answers.append(_from_body(json.loads(text)))
    return answers


def new_python_sdk(host: str, calls: list[Call]) -> list[Answer]:
    """volcengine-python-sdk's UniversalApi: its ApiClient signs, sends and retries."""
    import volcenginesdkcore
    from volcenginesdkcore.rest import ApiException
    from volcenginesdkcore.universal import UniversalApi, UniversalInfo

    info = UniversalInfo(
        method="GET",
        service="rtc",
        version="2023-11-01",
        action="GetSnapshotTask",
        content_type="application/json",
    )
    answers = []
    for call in calls:
        configuration = volcenginesdkcore.Configuration()
        configuration.host = host
        configuration.scheme = "http"
        configuration.region = call.region
        configuration.ak = call.access_key
        configuration.sk = call.secret_key
        configuration.session_token = call.token or ""
        api = UniversalApi(volcenginesdkcore.ApiClient(configuration))
        try:
            # On success the SDK hands back the Result alone.
            answers.append(Answer(None, api.do_call(info, dict(call.query))["SnapshotTask"]))
        except ApiException as refused:
            answers.append(_from_body(json.loads(refused.body)))
    return answers


def node_sdk(host: str, calls: list[Call]) -> list[Answer]:
    """`RtcService.createAPI` in one `node` process per batch (keys go over stdin)."""
    job = {
        "host": host,
        "calls": [
            {
                "region": call.region,
                "accessKeyId": call.access_key,
                "secretKey": call.secret_key,
                **({"sessionToken": call.token} if call.token else {}),
                "query": call.query,
            }
            for call in calls
        ],
    }
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(NODE_DIR),  # the SDK would read ~/.volc/config for missing keys
        "NO_PROXY": "127.0.0.1,localhost",
    }
    done = subprocess.run(
        [_node_binary(), "call.js"],
        cwd=NODE_DIR,
        input=json.dumps(job),
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    results = json.loads(done.stdout)
    assert all("body" in result for result in results), results
    return [_from_body(result["body"]) for result in results]


def _node_binary() -> str:
    """`node`, or a skip with the reason; in CI a missing Node or SDK is a failure."""
    node = shutil.which("node")
    problem = None
    if node is None:
        problem = "Node.js is not installed (no `node` on PATH)"
    else:
        wanted = json.loads((NODE_DIR / "package.json").read_text())["dependencies"][SDK_PACKAGE]
        installed = NODE_DIR / "node_modules" / SDK_PACKAGE / "package.json"
        if not installed.exists():
            problem = f"{SDK_PACKAGE} is not installed: run `npm ci` in tests/node"
        elif json.loads(installed.read_text())["version"] != wanted:
            problem = f"tests/node has another {SDK_PACKAGE} than {wanted}: run `npm ci` there"
    if problem is None and node is not None:
        return node
    if os.environ.get("SNAPTUI_REQUIRE_NODE") == "1" or os.environ.get("CI") == "true":
        pytest.fail(problem)
    pytest.skip(problem)


CLIENTS: dict[str, Client] = {
    "volcengine": old_python_sdk,
    "volcenginesdkcore": new_python_sdk,
    "node-openapi": node_sdk,
}

# --- what to ask ---------------------------------------------------------------------

ids = st.from_regex(ID_PATTERN, fullmatch=True)
# Anything a caller might paste: control characters, bidi marks, CJK, emoji, `+ & = %`.
odd_text = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=16)
secret_text = st.text(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=", min_size=8
)


@pytest.fixture
def serve() -> Iterator[Callable[[Gateway], Simulator]]:
    running: list[Simulator] = []

    def start(gateway: Gateway) -> Simulator:
        running.append(Simulator(gateway).start())
        return running[-1]

    yield start
    for sim in running:
        sim.stop()


def _expected_for_odd_room(room: str) -> str:
    if not room:
        return "MissingParameter"
    if not ID_PATTERN.fullmatch(room):
        return "InvalidParameter.IllegalRoomID"
    return "InvalidParameter.ErrorActiveTaskNotFound"


def check_client(
    serve: Callable[[Gateway], Simulator],
    name: str,
    region: str,
    with_token: bool,
    keys: list[tuple[str, str, str]],
    access_key: str,
    secret_key: str,
    token: str,
    odd_room: str,
) -> None:
    """One client, one simulator, one story of calls: each call gets the answer it must."""
    client = CLIENTS[name]
    if name == "node-openapi":
        _node_binary()  # skip (or fail in CI) before starting anything
    specs = [
        TaskSpec(app, room, task, {"Status": 2, "MaxIdleTime": n + 1})
        for n, (app, room, task) in enumerate(keys)
    ]
    session = token if with_token else None
    account = Account(Secret(secret_key), Secret(session) if session else None)
    gateway = Gateway(tasks=specs, accounts={access_key: account}, region=region)
    sim = serve(gateway)
    host = sim.url.removeprefix("http://")

    def call(query: dict[str, str], **change: Any) -> Call:
        base = Call(query, region, access_key, secret_key, session)
        return Call(**{**base.__dict__, **change})

    def query(app: str, room: str, task: str) -> dict[str, str]:
        return {"AppId": app, "RoomId": room, "TaskId": task}

    known = set(keys)
    apps = {app for app, _, _ in keys}
    app, room, task = keys[0]
    gone = next(
        t for t in (f"{task[:120]}-gone{n}" for n in range(9)) if (app, room, t) not in known
    )
    other_app = next(a for a in (f"{app[:120]}-other{n}" for n in range(9)) if a not in apps)
    other_region = REGIONS[1] if region == REGIONS[0] else REGIONS[0]
    story: list[tuple[Call, Answer | int]] = [
        *((call(query(*key)), n) for n, key in enumerate(keys)),
        (call(query(app, room, gone)), Answer("InvalidParameter.ErrorActiveTaskNotFound")),
        (call(query(other_app, room, task)), Answer("InvalidParameter.NotExistAppId")),
        (call(query(app, odd_room, task)), Answer(_expected_for_odd_room(odd_room))),
        (
            call(query(app, room, task), secret_key=secret_key + "x"),
            Answer("SignatureDoesNotMatch"),
        ),
        (call(query(app, room, task), region=other_region), Answer("SignatureDoesNotMatch")),
    ]
    if session:
        story.append(
            (call(query(app, room, task), token=session + "x"), Answer("InvalidSecretToken"))
        )
        story.append((call(query(app, room, task), token=None), Answer("InvalidSecretToken")))

    answers = client(host, [c for c, _ in story])

    assert len(answers) == len(story)
    for (made, expected), got in zip(story, answers, strict=True):
        if isinstance(expected, int):
            assert got.code is None, (made.query, got)
            assert got.task is not None and got.task["MaxIdleTime"] == expected + 1, made.query
        else:
            assert got == expected, made.query
    # One HTTP request per call: nothing was retried, nothing answered out of band.
    assert sum(gateway.stats.answered.values()) == len(story)


CONFIGURATIONS = pytest.mark.parametrize(
    "region,with_token", [(REGIONS[0], False), (REGIONS[1], True)]
)
DRAWN = {
    "keys": st.lists(st.tuples(ids, ids, ids), min_size=1, max_size=4, unique=True),
    "access_key": ids,
    "secret_key": secret_text,
    "token": secret_text,
    "odd_room": odd_text,
}
SLOW_OK = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]


@CONFIGURATIONS
@pytest.mark.parametrize("name", list(CLIENTS))
@settings(max_examples=4, deadline=None, suppress_health_check=SLOW_OK)
@given(**DRAWN)
def test_official_client_calls_are_verified_and_answered(
    serve: Callable[[Gateway], Simulator], name: str, region: str, with_token: bool, **drawn: Any
) -> None:
    check_client(serve, name, region, with_token, **drawn)


@pytest.mark.slow
@CONFIGURATIONS
@pytest.mark.parametrize("name", list(CLIENTS))
@settings(max_examples=200, deadline=None, suppress_health_check=SLOW_OK)
@given(**DRAWN)
def test_official_client_calls_long_run(
    serve: Callable[[Gateway], Simulator], name: str, region: str, with_token: bool, **drawn: Any
) -> None:
    check_client(serve, name, region, with_token, **drawn)


def _readme_examples() -> list[tuple[str, str]]:
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Official clients", 1)[1].split("\n### ", 1)[0]
    return re.findall(r"```(python|js)\n(.*?)```", section, re.S)


def test_readme_examples_call_the_simulator(live_sim: Simulator) -> None:
    """Each client's example in the README, run as written against a running simulator."""
    examples = _readme_examples()
    assert [language for language, _ in examples] == ["python", "python", "js"]
    host = live_sim.url.removeprefix("http://")
    for language, code in examples:
        assert "127.0.0.1:8000" in code
        code = code.replace("127.0.0.1:8000", host)
        if language == "python":
            command, cwd = [sys.executable, "-c", code], None
        else:
            command, cwd = [_node_binary(), "-e", code], NODE_DIR
        done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        assert "SnapshotTask" in done.stdout and "Error" not in done.stdout, done.stdout
