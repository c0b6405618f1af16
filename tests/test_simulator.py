"""The simulator from outside: requests signed by the official SDKs, every gateway error,
lifecycles on a test clock, the rate limit, faults and scenario files."""

from __future__ import annotations

import concurrent.futures
import datetime
import hashlib
import json
import time
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import quote, urlencode

import httpx
import pytest

from snaptui.simulator import (
    DEMO_ACCESS_KEY,
    DEMO_SECRET_KEY,
    Account,
    Fault,
    Gateway,
    Simulator,
    Step,
    TaskSpec,
)
from snaptui.simulator.gateway import Reply
from snaptui.simulator.tasks import ScenarioError, load_scenario
from snaptui.volc.client import RtcClient
from snaptui.volc.endpoints import resolve_endpoint
from snaptui.volc.errors import ApiError
from snaptui.volc.secret import Secret
from tests.helpers import DEMO_CREDS, FakeClock, run

QUERY = {
    "Action": "GetSnapshotTask",
    "Version": "2023-11-01",
    "AppId": "demo",
    "RoomId": "room-1",
    "TaskId": "task-ended",
}


def official_get(
    url: str,
    query: dict[str, str],
    *,
    sk: str = DEMO_SECRET_KEY,
    ak: str = DEMO_ACCESS_KEY,
    when: datetime.datetime | None = None,
    token: str | None = None,
    form_encoded: bool = False,
) -> httpx.Response:
    """Sign with volcenginesdkcore's SignerV4 (the official signer) and send over real HTTP."""
    from volcenginesdkcore import signv4

    host = httpx.URL(url).netloc.decode()
    headers: dict[str, str] = {"Host": host}
    if when is not None:
        pinned = when

        class Pinned(datetime.datetime):
            @classmethod
            def utcnow(cls) -> datetime.datetime:  # type: ignore[override]
                return pinned

        original = signv4.datetime.datetime
        signv4.datetime.datetime = Pinned  # type: ignore[misc]
    try:
        signv4.SignerV4.sign(
            "/", "GET", headers, "", {}, list(query.items()), ak, sk, "cn-north-1", "rtc", token
        )
    finally:
        if when is not None:
            signv4.datetime.datetime = original  # type: ignore[misc]
    wire = urlencode(query) if form_encoded else urlencode(query, quote_via=quote)
    return httpx.get(f"{url}/?{wire}", headers=headers, timeout=10)


def error_of(response: httpx.Response) -> dict[str, object]:
    return response.json()["ResponseMetadata"]["Error"]


def test_demo_tasks_answer_in_documented_shape(live_sim: Simulator) -> None:
    for task_id in (
        "task-live",
        "task-ended",
        "task-failed",
        "user-7",
        "task-pending",
        "task-tos",
        "task-vod",
        "task-s3",
        "task-imagex",
        "task-all-streams",
    ):
        response = official_get(live_sim.url, {**QUERY, "TaskId": task_id})
        assert response.status_code == 200, response.text
        body = response.json()
        assert list(body) == ["ResponseMetadata", "Result"]
        meta = body["ResponseMetadata"]
        assert meta["Action"] == "GetSnapshotTask" and meta["Version"] == "2023-11-01"
        assert meta["Service"] == "rtc" and meta["Region"] == "cn-north-1"
        task = body["Result"]["SnapshotTask"]
        assert set(task) >= {
            "StartTime",
            "EndTime",
            "Status",
            "StopReason",
            "TargetStreams",
            "MaxIdleTime",
            "ImageConfig",
            "StorageConfig",
        }


def test_task_ended_carries_the_seed_page_values(live_sim: Simulator) -> None:
    task = official_get(live_sim.url, QUERY).json()["Result"]["SnapshotTask"]
    assert task["Status"] == 3 and task["StopReason"] == "IdleTimeOut"
    assert task["EndTime"] - task["StartTime"] == 202_000
    assert task["MaxIdleTime"] == 200
    assert task["ImageConfig"] == {"Format": 0, "Width": 800, "Height": 800, "Interval": 2}
    assert [s["UserId"] for s in task["TargetStreams"]["StreamList"]] == ["user0", "user1"]


def test_request_ids_are_unique(live_sim: Simulator) -> None:
    ids = {
        official_get(live_sim.url, QUERY).json()["ResponseMetadata"]["RequestId"] for _ in range(20)
    }
    assert len(ids) == 20


def test_wrong_secret_is_signature_does_not_match(live_sim: Simulator) -> None:
    response = official_get(live_sim.url, QUERY, sk="not-the-secret")
    assert response.status_code == 401
    assert error_of(response) | {} == {
        "CodeN": 100010,
        "Code": "SignatureDoesNotMatch",
        "Message": error_of(response)["Message"],
    }


def test_old_x_date_is_invalid_timestamp(live_sim: Simulator) -> None:
    old = datetime.datetime.utcnow() - datetime.timedelta(minutes=20)
    response = official_get(live_sim.url, QUERY, when=old)
    assert response.status_code == 400
    assert error_of(response)["Code"] == "InvalidTimestamp"
    assert error_of(response)["CodeN"] == 100006


def test_missing_task_id_is_missing_parameter(live_sim: Simulator) -> None:
    query = {k: v for k, v in QUERY.items() if k != "TaskId"}
    response = official_get(live_sim.url, query)
    assert response.status_code == 400
    assert error_of(response)["Code"] == "MissingParameter"


def test_unknown_access_key(live_sim: Simulator) -> None:
    response = official_get(live_sim.url, QUERY, ak="AKLTnobody")
    assert response.status_code == 401
    assert error_of(response)["Code"] == "InvalidAccessKey"


def test_wrong_version_and_action(live_sim: Simulator) -> None:
    for change in ({"Version": "2020-12-01"}, {"Action": "StartSnapshot"}):
        response = official_get(live_sim.url, {**QUERY, **change})
        assert response.status_code == 404
        assert error_of(response)["Code"] == "InvalidActionOrVersion"


def test_unknown_task_and_app(live_sim: Simulator) -> None:
    response = official_get(live_sim.url, {**QUERY, "TaskId": "no-such-task"})
    assert response.status_code == 400
    assert error_of(response)["Code"] == "InvalidParameter.ErrorActiveTaskNotFound"
    response = official_get(live_sim.url, {**QUERY, "AppId": "other-app"})
    assert error_of(response)["Code"] == "InvalidParameter.NotExistAppId"


def test_invalid_ids_are_invalid_parameter(live_sim: Simulator) -> None:
    response = official_get(live_sim.url, {**QUERY, "RoomId": "room 1/?"})
    assert response.status_code == 400
    assert error_of(response)["Code"] == "InvalidParameter.IllegalRoomID"


def test_spaces_accepted_as_percent_20_and_plus(live_sim: Simulator) -> None:
    """Both wire forms the SDKs use for a space verify (the id itself is then invalid)."""
    for form in (False, True):
        response = official_get(live_sim.url, {**QUERY, "TaskId": "a b+c"}, form_encoded=form)
        assert error_of(response)["Code"] == "InvalidParameter.IllegalTaskId", response.text


def test_old_volcengine_sdk_is_accepted(live_sim: Simulator) -> None:
    """volc-sdk-python's Service.get: form-encoded wire query, its own signer."""
    from volcengine.ApiInfo import ApiInfo
    from volcengine.base.Service import Service
    from volcengine.Credentials import Credentials
    from volcengine.ServiceInfo import ServiceInfo

    host = httpx.URL(live_sim.url).netloc.decode()
    info = ServiceInfo(
        host,
        {"Accept": "application/json"},
        Credentials(DEMO_ACCESS_KEY, DEMO_SECRET_KEY, "rtc", "cn-north-1"),
        5,
        5,
        scheme="http",
    )
    api = {
        "GetSnapshotTask": ApiInfo(
            "GET", "/", {"Action": "GetSnapshotTask", "Version": "2023-11-01"}, {}, {}
        )
    }
    service = Service(info, api)
    body = json.loads(
        service.get(
            "GetSnapshotTask", {"AppId": "demo", "RoomId": "room-1", "TaskId": "task-ended"}
        )
    )
    assert body["Result"]["SnapshotTask"]["StopReason"] == "IdleTimeOut"
    with pytest.raises(Exception, match="IllegalTaskId"):
        service.get(
            "GetSnapshotTask", {"AppId": "demo", "RoomId": "room-1", "TaskId": "with space~*"}
        )


def test_session_token_is_checked() -> None:
    accounts = {"AKLTsts": Account(Secret("sts-secret"), Secret("the-token"))}
    with Simulator(Gateway(accounts=accounts)) as sim:
        ok = official_get(sim.url, QUERY, ak="AKLTsts", sk="sts-secret", token="the-token")
        assert ok.status_code == 200
        bad = official_get(sim.url, QUERY, ak="AKLTsts", sk="sts-secret", token="other")
        assert error_of(bad)["Code"] == "InvalidSecretToken"


def test_task_live_lifecycle_on_test_clock(sim: Simulator, clock: FakeClock) -> None:
    """Real signed requests over HTTP; only the shared test clock moves."""

    async def statuses() -> list[tuple[int, str | None]]:
        seen = []
        async with RtcClient(DEMO_CREDS, resolve_endpoint(sim.url), clock=clock) as client:
            for step in (0, 1.9, 0.2, 17.8, 0.2):
                clock.advance(step)
                task = (await client.get_snapshot_task("demo", "room-1", "task-live")).result.task
                assert task is not None and task.Status is not None
                seen.append((int(task.Status), task.StopReason and str(task.StopReason)))
        return seen

    assert run(statuses()) == [(1, None), (1, None), (2, None), (2, None), (3, "StopByAPI")]


def test_user_task_ends_with_user_disconnect(clock: FakeClock) -> None:
    spec = next(s for s in Gateway(clock=clock).tasks.values() if s.task_id == "user-7")
    assert spec.state_at(clock(), clock() + 29)["Status"] == 2
    assert spec.state_at(clock(), clock() + 30)["StopReason"] == "UserDisconnect"


def test_task_many_has_ten_thousand_streams(live_sim: Simulator) -> None:
    task = official_get(live_sim.url, {**QUERY, "TaskId": "task-many"}).json()
    assert len(task["Result"]["SnapshotTask"]["TargetStreams"]["StreamList"]) == 10_000


def test_tasks_expire_after_72_hours(clock: FakeClock) -> None:
    old = TaskSpec("demo", "room-1", "old", {"Status": 3}, started_before=72 * 3600 + 1)
    gateway = Gateway(tasks=[old], clock=clock)
    assert old.expired(clock(), clock())
    fresh = TaskSpec("demo", "room-1", "fresh", {"Status": 2}, started_before=60)
    assert not fresh.expired(clock(), clock())
    assert fresh.expired(clock(), clock() + 72 * 3600)
    assert gateway.tasks


def test_burst_over_sixty_per_second_is_throttled(live_sim: Simulator) -> None:
    from volcenginesdkcore import signv4

    host = httpx.URL(live_sim.url).netloc.decode()
    headers: dict[str, str] = {"Host": host}
    signv4.SignerV4.sign(
        "/",
        "GET",
        headers,
        "",
        {},
        list(QUERY.items()),
        DEMO_ACCESS_KEY,
        DEMO_SECRET_KEY,
        "cn-north-1",
        "rtc",
    )
    url = f"{live_sim.url}/?{urlencode(QUERY, quote_via=quote)}"
    limits = httpx.Limits(max_connections=100)
    with httpx.Client(limits=limits, timeout=10) as client:
        started = time.monotonic()
        with concurrent.futures.ThreadPoolExecutor(max_workers=50) as pool:
            answers = list(pool.map(lambda _: client.get(url, headers=headers), range(100)))
        took = time.monotonic() - started
    codes = [a.status_code for a in answers]
    if took < 1.0:  # the check only means something for a burst inside one second
        assert codes.count(200) <= 60
        assert codes.count(429) >= 40
    assert set(codes) <= {200, 429}
    for answer in answers:
        if answer.status_code == 429:
            assert error_of(answer)["Code"] == "FlowLimitExceeded"


def test_faults_html_then_recovery(live_sim: Simulator) -> None:
    spec = live_sim.gateway.tasks[("demo", "room-1", "task-ended")]
    spec.faults.append(Fault("http5xx", status=503, times=1))
    first = official_get(live_sim.url, QUERY)
    assert first.status_code == 503 and first.text.startswith("<html>")
    assert official_get(live_sim.url, QUERY).status_code == 200


def test_faults_malformed_and_reset(live_sim: Simulator) -> None:
    live_sim.gateway.faults.append(Fault("malformed", times=1))
    broken = official_get(live_sim.url, QUERY)
    assert broken.status_code == 200
    with pytest.raises(json.JSONDecodeError):
        json.loads(broken.text)
    live_sim.gateway.faults.append(Fault("reset", times=1))
    with pytest.raises(httpx.TransportError):
        official_get(live_sim.url, QUERY)


def test_scenario_file(tmp_path: Path, clock: FakeClock) -> None:
    path = tmp_path / "s.toml"
    path.write_text("""
[[task]]
app_id = "myapp"
room_id = "standup"
task_id = "snap-1"
started_before = 30
snapshot = { Status = 2, MaxIdleTime = 60, ImageConfig = { Format = 1, Interval = 5 } }
faults = [ { kind = "latency", seconds = 0.1, times = 1 } ]

[[task.timeline]]
at = 10
Status = 3
StopReason = "IdleTimeOut"
""")
    tasks, faults, keep_demo = load_scenario(path)
    assert not faults and not keep_demo
    (spec,) = tasks
    assert spec.key == ("myapp", "standup", "snap-1")
    assert spec.timeline == [Step(10.0, {"Status": 3, "StopReason": "IdleTimeOut"})]
    before = spec.state_at(clock(), clock() + 5)
    after = spec.state_at(clock(), clock() + 10)
    assert before["Status"] == 2 and after["Status"] == 3
    assert after["EndTime"] - after["StartTime"] == 40_000
    assert spec.faults[0].kind == "latency"


def test_scenario_errors_are_clear(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text('[[task]]\napp_id = "a"\n')
    with pytest.raises(ScenarioError, match="room_id"):
        load_scenario(path)
    path.write_text("not toml [")
    with pytest.raises(ScenarioError, match="cannot read scenario"):
        load_scenario(path)


def test_a_task_is_not_found_72_hours_after_it_started(sim: Simulator, clock: FakeClock) -> None:
    """Over HTTP, on the test clock: found now, gone once its start is more than 72 h ago."""

    async def query() -> str:
        async with RtcClient(DEMO_CREDS, resolve_endpoint(sim.url), clock=clock) as client:
            try:
                await client.get_snapshot_task("demo", "room-1", "task-tos")
            except ApiError as error:
                return error.code
            return "found"

    assert run(query()) == "found"
    clock.advance(72 * 3600 - 90)  # task-tos started 90 s before its first query
    assert run(query()) == "found"
    clock.advance(1)
    assert run(query()) == "InvalidParameter.ErrorActiveTaskNotFound"


def _signed_by_official_signer(url: str, headers: dict[str, str]) -> dict[str, str]:
    """volcenginesdkcore's signer signs Host only when it is given, and every X- header."""
    from volcenginesdkcore import signv4

    signv4.SignerV4.sign(
        "/", "GET", headers, "", {}, list(QUERY.items()), DEMO_ACCESS_KEY, DEMO_SECRET_KEY,
        "cn-north-1", "rtc",
    )  # fmt: skip
    return headers


def _send(url: str, headers: dict[str, str]) -> httpx.Response:
    return httpx.get(f"{url}/?{urlencode(QUERY, quote_via=quote)}", headers=headers, timeout=10)


def test_any_signed_header_set_with_x_date_verifies(live_sim: Simulator) -> None:
    """Host unsigned (as the Node.js SDK does), extra X- headers signed: both verify."""
    headers = _signed_by_official_signer(live_sim.url, {"X-Trace": "abc"})
    assert "SignedHeaders=x-content-sha256;x-date;x-trace," in headers["Authorization"]
    answer = _send(live_sim.url, headers)
    assert answer.status_code == 200, answer.text
    assert answer.json()["Result"]["SnapshotTask"]["StopReason"] == "IdleTimeOut"


def test_exactly_the_signed_headers_are_verified(live_sim: Simulator) -> None:
    headers = _signed_by_official_signer(live_sim.url, {"X-Trace": "abc"})
    # An unsigned header may change on the way (proxies add some): still verified.
    assert _send(live_sim.url, {**headers, "Accept": "text/plain"}).status_code == 200
    # A signed one may not, and one listed but not sent is a mismatch too.
    for changed in (
        {**headers, "X-Trace": "abd"},
        {k: v for k, v in headers.items() if k != "X-Trace"},
    ):
        answer = _send(live_sim.url, changed)
        assert answer.status_code == 401
        assert error_of(answer)["Code"] == "SignatureDoesNotMatch"


def test_x_date_must_be_signed(live_sim: Simulator) -> None:
    from snaptui.volc.signing import canonical_query, format_x_date, sign_headers

    host = httpx.URL(live_sim.url).netloc.decode()
    x_date = format_x_date(time.time())
    signed = sign_headers(
        method="GET",
        path="/",
        query_string=canonical_query(QUERY.items()),
        headers={"host": host},
        access_key=DEMO_ACCESS_KEY,
        secret_key=Secret(DEMO_SECRET_KEY),
        region="cn-north-1",
        service="rtc",
        x_date=x_date,
        body_sha256=hashlib.sha256(b"").hexdigest(),
    )
    answer = _send(live_sim.url, {"X-Date": x_date, "Authorization": signed.authorization})
    assert answer.status_code == 401
    assert error_of(answer) == {
        "CodeN": 100010,
        "Code": "SignatureDoesNotMatch",
        "Message": "x-date must be signed",
    }


def test_a_scope_for_another_region_is_refused() -> None:
    with Simulator(Gateway(region="ap-singapore-1")) as sim:
        answer = official_get(sim.url, QUERY)  # signed for cn-north-1
        assert answer.status_code == 401
        assert error_of(answer)["Code"] == "SignatureDoesNotMatch"
        assert "ap-singapore-1" in str(error_of(answer)["Message"])


def test_snaptui_itself_still_signs_host_sha256_date_and_token() -> None:
    """Only the server relaxed: our own client keeps the fullest signed set."""
    from snaptui.volc.secret import Credentials

    seen: list[str] = []

    class Recording(Gateway):
        def handle(
            self, method: str, target: str, headers: Mapping[str, str], body: bytes = b""
        ) -> Reply:
            seen.append({k.lower(): v for k, v in headers.items()}["authorization"])
            return super().handle(method, target, headers, body)

    accounts = {"AKLTsts": Account(Secret("sts-secret"), Secret("the-token"))}
    creds = Credentials("AKLTsts", Secret("sts-secret"), Secret("the-token"))
    with Simulator(Recording(accounts=accounts)) as sim:

        async def fetch() -> int | None:
            async with RtcClient(creds, resolve_endpoint(sim.url)) as client:
                task = (await client.get_snapshot_task("demo", "room-1", "task-ended")).result.task
                return task.Status

        assert run(fetch()) == 3
    assert len(seen) == 1
    assert "SignedHeaders=host;x-content-sha256;x-date;x-security-token," in seen[0]
