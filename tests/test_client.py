"""RtcClient against the simulator over real HTTP: retries, deadline, limits, errors."""

from __future__ import annotations

import asyncio
import contextlib
import gzip
import json
import socket
import sys
import threading
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest

from snaptui.simulator import Fault, Simulator
from snaptui.volc.blocking import BlockingRtcClient
from snaptui.volc.client import RtcClient
from snaptui.volc.endpoints import resolve_endpoint
from snaptui.volc.errors import (
    ApiError,
    InvalidEndpointError,
    InvalidIdError,
    MalformedResponseError,
    RequestTimeout,
    TransportError,
)
from snaptui.volc.exchange import TaskResponse
from snaptui.volc.ids import validate_id
from snaptui.volc.ratelimit import RateLimiter
from snaptui.volc.secret import Credentials, Secret
from tests.helpers import DEMO_CREDS, FakeClock, run

KIND = "async"


@pytest.fixture(params=["async", "blocking"], autouse=True)
def client_kind(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every exchange test runs against both clients: the TUI's and the one-shot CLI's."""
    monkeypatch.setattr(sys.modules[__name__], "KIND", request.param)


def fetch(
    sim: Simulator,
    task: str = "task-ended",
    *,
    clock: FakeClock | None = None,
    timeout: float = 10.0,
    creds: Credentials = DEMO_CREDS,
):  # type: ignore[no-untyped-def]
    kwargs = {"clock": clock} if clock is not None else {}
    endpoint = resolve_endpoint(sim.url)
    if KIND == "blocking":
        with BlockingRtcClient(
            creds, endpoint, timeout=timeout, rate_limiter=RateLimiter(), **kwargs
        ) as blocking:
            return blocking.get_snapshot_task("demo", "room-1", task)

    async def go():  # type: ignore[no-untyped-def]
        async with RtcClient(
            creds, endpoint, timeout=timeout, rate_limiter=RateLimiter(), **kwargs
        ) as client:
            return await client.get_snapshot_task("demo", "room-1", task)

    return run(go())


def body_fault(
    sim: Simulator, body: str | bytes, status: int = 200, times: int | None = None
) -> None:
    sim.gateway.faults.append(Fault("body", status=status, body=body, times=times))


@pytest.mark.parametrize("value", ["a", "A-z_0.9@x", "x" * 128])
def test_valid_ids(value: str) -> None:
    assert validate_id("TaskId", value) == value


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("", "is empty"),
        ("x" * 129, "129 characters"),
        ("a b", "' '"),
        ("tâche", "'â'"),
        ("a\x1bb", r"U\+001B"),
    ],
)
def test_invalid_ids_are_caught_before_sending(value: str, reason: str) -> None:
    with pytest.raises(InvalidIdError, match=reason):
        validate_id("RoomId", value)


def test_success(sim: Simulator, clock: FakeClock) -> None:
    response = fetch(sim, clock=clock)
    assert response.http_status == 200 and response.attempts == 1
    assert response.result.task is not None
    assert (
        response.request_id
        and response.request_id == response.data["ResponseMetadata"]["RequestId"]
    )
    assert response.clock_skew is not None and abs(response.clock_skew) < 2


def test_api_error_carries_everything(sim: Simulator, clock: FakeClock) -> None:
    with pytest.raises(ApiError) as caught:
        fetch(sim, clock=clock, creds=Credentials(DEMO_CREDS.access_key, Secret("wrong")))
    error = caught.value
    assert (error.code, error.code_n, error.http_status) == ("SignatureDoesNotMatch", 100010, 401)
    assert error.request_id and "Secret Access Key rejected" in error.hint


def test_invalid_timestamp_says_how_far_off_the_clock_is(sim: Simulator, clock: FakeClock) -> None:
    behind = FakeClock(clock.now - 20 * 60)
    with pytest.raises(ApiError) as caught:
        fetch(sim, clock=behind)
    assert caught.value.code == "InvalidTimestamp"
    assert caught.value.hint.startswith("Your clock is 20 min behind the server")


def test_dotted_codes_match_their_family() -> None:
    error = ApiError(code="InternalError.Boom", message="m", http_status=500)
    assert error.hint.startswith("RTC internal error")
    error = ApiError(code="InvalidParameter.Odd", message="bad value", http_status=400)
    assert error.hint == "Invalid input: bad value"


def test_retries_5xx_then_succeeds(sim: Simulator, clock: FakeClock) -> None:
    sim.gateway.faults.append(Fault("http5xx", status=503, times=2))
    response = fetch(sim, clock=clock)
    assert response.attempts == 3 and response.result.task is not None


def test_gives_up_after_three_attempts(sim: Simulator, clock: FakeClock) -> None:
    sim.gateway.faults.append(Fault("http5xx", status=502))
    with pytest.raises(MalformedResponseError, match=r"HTTP 502: the body is HTML"):
        fetch(sim, clock=clock)
    assert sim.gateway.stats.answered[502] == 3


def test_throttled_then_success_honours_retry_after(sim: Simulator, clock: FakeClock) -> None:
    sim.gateway.faults.append(Fault("throttle", seconds=1, times=1))
    started = time.monotonic()
    response = fetch(sim, clock=clock)
    assert response.attempts == 2
    assert time.monotonic() - started >= 0.9  # Retry-After: 1 was waited for


def test_4xx_is_not_retried(sim: Simulator, clock: FakeClock) -> None:
    with pytest.raises(ApiError):
        fetch(sim, "no-such-task", clock=clock)
    assert sim.gateway.stats.answered[400] == 1


def test_connection_reset_is_retried(sim: Simulator, clock: FakeClock) -> None:
    sim.gateway.faults.append(Fault("reset", times=1))
    assert fetch(sim, clock=clock).attempts == 2


def test_refused_connection_is_a_transport_error() -> None:
    async def go() -> None:
        async with RtcClient(
            DEMO_CREDS,
            resolve_endpoint("http://127.0.0.1:9"),
            timeout=3,
            rate_limiter=RateLimiter(),
        ) as client:
            await client.get_snapshot_task("demo", "room-1", "t")

    with pytest.raises(TransportError, match=r"could not connect to http://127\.0\.0\.1:9 "):
        run(go())


def test_trickling_body_cannot_outlive_the_timeout(sim: Simulator, clock: FakeClock) -> None:
    sim.gateway.faults.append(Fault("trickle", seconds=30))
    started = time.monotonic()
    with pytest.raises(RequestTimeout, match="within 1 s"):
        fetch(sim, clock=clock, timeout=1)
    assert time.monotonic() - started < 3


def test_redirect_is_not_followed(sim: Simulator, clock: FakeClock) -> None:
    sim.gateway.faults.append(Fault("redirect", body="https://attacker.example/steal"))
    with pytest.raises(TransportError, match=r"redirect to .attacker\.example.; redirects are not"):
        fetch(sim, clock=clock)
    assert sim.gateway.stats.answered[302] == 1


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        ("", 200, "the body is empty"),
        ('{"ResponseMetadata": {"RequestId": "r"}, "Result": {"Snap', 200, "not valid JSON"),
        (b"\xff\xfe{}", 200, "not valid UTF-8"),
        ("[" * 100_000 + "]" * 100_000, 200, "nested too deeply"),
        ('{"Result": {"SnapshotTask": {"Status": NaN}}}', 200, "not valid JSON"),
        ('{"ResponseMetadata": {}}', 500, "HTTP 500 with no error details"),
        ('"just a string"', 200, "body should be an object"),
    ],
)
def test_malformed_answers(
    sim: Simulator, clock: FakeClock, body: str | bytes, status: int, message: str
) -> None:
    body_fault(sim, body, status)
    with pytest.raises(MalformedResponseError, match=message):
        fetch(sim, clock=clock, timeout=3)


def test_error_inside_a_200(sim: Simulator, clock: FakeClock) -> None:
    body_fault(
        sim,
        '{"ResponseMetadata": {"RequestId": "rq-9", "Error": {"Code": "InternalError",'
        ' "Message": "oops"}}}',
    )
    with pytest.raises(ApiError) as caught:
        fetch(sim, clock=clock)
    assert (caught.value.code, caught.value.request_id, caught.value.http_status) == (
        "InternalError",
        "rq-9",
        200,
    )


def test_huge_body_is_refused(
    sim: Simulator, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    import snaptui.volc.exchange as exchange

    monkeypatch.setattr(exchange, "MAX_BODY_BYTES", 1000)
    with pytest.raises(MalformedResponseError, match="over the"):
        fetch(sim, "task-many", clock=clock)


def test_rate_limiter_never_exceeds_its_rate() -> None:
    clock = FakeClock(0.0)
    limiter = RateLimiter(60, clock=clock)
    slots = [limiter.reserve() for _ in range(200)]
    times = sorted(delay for delay in slots)
    for i in range(len(times) - 60):
        assert times[i + 60] - times[i] >= 1.0
    assert times[59] == 0.0 and times[60] == 1.0


def test_one_limiter_shared_across_clients(live_sim: Simulator) -> None:
    sim = live_sim
    limiter = RateLimiter(5)

    async def go() -> float:
        async def one() -> None:
            async with RtcClient(DEMO_CREDS, resolve_endpoint(sim.url), rate_limiter=limiter) as c:
                await c.get_snapshot_task("demo", "room-1", "task-ended")

        started = time.monotonic()
        await asyncio.gather(*(one() for _ in range(11)))
        return time.monotonic() - started

    took = run(go())
    assert took >= 2.0  # 11 requests at 5 per second need two full windows


def test_endpoint_rules() -> None:
    assert resolve_endpoint().url == "https://rtc.volcengineapi.com"
    assert resolve_endpoint("volcengine-intl").region == "ap-singapore-1"
    assert resolve_endpoint("byteplus", "ap-southeast-1").region == "ap-southeast-1"
    assert resolve_endpoint("http://[::1]:8000").url == "http://[::1]:8000"
    with pytest.raises(InvalidEndpointError, match="https"):
        resolve_endpoint("http://10.0.0.1:8000")
    with pytest.raises(InvalidEndpointError, match="unknown endpoint"):
        resolve_endpoint("mars")


# --- answers the simulator cannot give: a raw server ------------------------------------


class RawServer:
    """A loopback server that answers every connection by calling `answer(conn)` after
    reading the request head: for headers that trickle or bodies in odd encodings."""

    def __init__(self, answer: Callable[[socket.socket], None]) -> None:
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._answer = answer
        self.url = f"http://127.0.0.1:{self._listener.getsockname()[1]}"
        self.connections = 0
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self._listener.accept()
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self._one, args=(conn,), daemon=True).start()

    def _one(self, conn: socket.socket) -> None:
        with conn:
            head = b""
            while b"\r\n\r\n" not in head:
                chunk = conn.recv(4096)
                if not chunk:
                    return
                head += chunk
            with contextlib.suppress(OSError):
                self._answer(conn)

    def close(self) -> None:
        # Shut down first: closing alone leaves the accept() in progress listening on the
        # port, and a later test's server could be handed this one's connections.
        with contextlib.suppress(OSError):
            self._listener.shutdown(socket.SHUT_RDWR)
        self._listener.close()


def fetch_raw(url: str, timeout: float = 10.0) -> TaskResponse:
    endpoint = resolve_endpoint(url)
    if KIND == "blocking":
        with BlockingRtcClient(
            DEMO_CREDS, endpoint, timeout=timeout, rate_limiter=RateLimiter()
        ) as blocking:
            return blocking.get_snapshot_task("demo", "room-1", "task-ended")

    async def go() -> TaskResponse:
        async with RtcClient(
            DEMO_CREDS, endpoint, timeout=timeout, rate_limiter=RateLimiter()
        ) as client:
            return await client.get_snapshot_task("demo", "room-1", "task-ended")

    return run(go())


GOOD_BODY = json.dumps(
    {"ResponseMetadata": {"RequestId": "rq-1"}, "Result": {"SnapshotTask": {"Status": 3}}}
).encode()


def test_headers_that_trickle_cannot_outlive_the_timeout() -> None:
    """One header byte a second: the deadline bounds the status line and headers too."""

    def answer(conn: socket.socket) -> None:
        for byte in b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n":
            conn.sendall(bytes([byte]))
            time.sleep(0.5)

    server = RawServer(answer)
    started = time.monotonic()
    try:
        with pytest.raises(RequestTimeout, match=r"within 1\.5 s"):
            fetch_raw(server.url, timeout=1.5)
    finally:
        server.close()
    assert time.monotonic() - started < 3


def gzip_answer(body: bytes) -> Callable[[socket.socket], None]:
    packed = gzip.compress(body, compresslevel=9)

    def answer(conn: socket.socket) -> None:
        head = (
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\n"
            f"Content-Length: {len(packed)}\r\nConnection: close\r\n\r\n"
        )
        conn.sendall(head.encode() + packed)

    return answer


def test_a_gzip_answer_is_read() -> None:
    server = RawServer(gzip_answer(GOOD_BODY))
    try:
        response = fetch_raw(server.url)
    finally:
        server.close()
    assert response.request_id == "rq-1" and response.task.Status == 3


def test_a_gzip_bomb_is_stopped_at_the_limit_while_it_inflates(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """200 MB of JSON whitespace in 200 KB of gzip: refused before it is inflated whole,
    never holding more than about the limit (1 MiB here) in memory."""
    import snaptui.volc.exchange as exchange

    monkeypatch.setattr(exchange, "MAX_BODY_BYTES", 2**20)
    server = RawServer(gzip_answer(b"{" + b" " * 200_000_000 + b"}"))
    tracemalloc.start()
    try:
        with pytest.raises(MalformedResponseError, match="over the 1 MiB limit"):
            fetch_raw(server.url)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        server.close()
    assert peak < 16 * 2**20, f"peak {peak / 2**20:.0f} MiB"


def test_an_encoding_that_was_not_asked_for_is_refused() -> None:
    def answer(conn: socket.socket) -> None:
        conn.sendall(
            b"HTTP/1.1 200 OK\r\nContent-Encoding: br\x1b]2;x\x07\r\nContent-Length: 2\r\n"
            b"Connection: close\r\n\r\n{}"
        )

    server = RawServer(answer)
    try:
        with pytest.raises(MalformedResponseError, match="encoded as 'br") as caught:
            fetch_raw(server.url)
    finally:
        server.close()
    assert "\x1b" not in str(caught.value)


def test_the_answer_kept_holds_no_key_and_no_control(sim: Simulator, clock: FakeClock) -> None:
    """Redacted and cleaned where it is received: the decoded data, the models and the
    errors, whatever a view does with them later."""
    spelled = "".join(f"\\u{ord(c):04x}" for c in DEMO_CREDS.secret_key.reveal())
    body_fault(
        sim,
        '{"ResponseMetadata": {"RequestId": "rq\\u001b]52;c;eA==\\u0007"}, "Result": '
        f'{{"SnapshotTask": {{"Status": 3, "StopReason": "{spelled}", "TargetStreams": '
        '{"StreamList": [{"Index": 0, "UserId": "AKLTsnaptuidemo"}]}, "StorageConfig": '
        '{"Type": 2, "CustomConfig": {"Vendor": 0, "Secr\\u0065tKey": "s3-LEAK"}}}}}',
    )
    response = fetch(sim, clock=clock)
    data = json.dumps(response.data)
    assert DEMO_CREDS.secret_key.reveal() not in data and "s3-LEAK" not in data
    assert "AKLTsnaptuidemo" not in data and "****demo" in data
    assert response.request_id == "rq\\u001b]52;c;eA==\\u0007"
    assert response.task.StopReason is not None and "\x1b" not in repr(response.task)


def test_error_text_from_the_server_is_clean(sim: Simulator, clock: FakeClock) -> None:
    body_fault(
        sim,
        '{"ResponseMetadata": {"RequestId": "r\\u009b2J", "Error": {"Code": '
        '"Bad\\u001b[2J", "Message": "m\\u202e"}}}',
        status=400,
    )
    with pytest.raises(ApiError) as caught:
        fetch(sim, clock=clock)
    error = caught.value
    assert (error.code, error.message, error.request_id) == (
        "Bad\\u001b[2J",
        "m\\u202e",
        "r\\u009b2J",
    )


def test_tls_is_verified_and_a_certificate_from_an_unknown_ca_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from snaptui.volc import blocking
    from tests.tls import ca_stores, throwaway_ca, tls_simulator

    context, ca_file = throwaway_ca(tmp_path)
    sim, url = tls_simulator(context)
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    try:
        if KIND == "blocking":  # the async client's trust store is httpx's own
            monkeypatch.setenv("SSL_CERT_DIR", ca_stores(tmp_path, ca_file)["SSL_CERT_DIR"])
            monkeypatch.setattr(blocking, "_tls_context", None)
            assert fetch_raw(url).task.Status == 3
            monkeypatch.delenv("SSL_CERT_DIR")
            monkeypatch.setattr(blocking, "_tls_context", None)
        with pytest.raises(TransportError, match="certificate"):
            fetch_raw(url, timeout=3)
    finally:
        sim.stop()


def test_a_retry_after_of_unicode_digits_is_ignored_not_a_crash() -> None:
    """'²'.isdigit() is True in Python, and float('²') raises: a hostile header found it."""

    def answer(conn: socket.socket) -> None:
        body = b'{"ResponseMetadata": {"Error": {"Code": "FlowLimitExceeded"}}}'
        conn.sendall(
            b"HTTP/1.1 429 Too Many Requests\r\nRetry-After: \xb2\r\n"
            + f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode()
            + body
        )

    server = RawServer(answer)
    try:
        with pytest.raises(ApiError, match="FlowLimitExceeded"):
            fetch_raw(server.url, timeout=5)
    finally:
        server.close()
    assert server.connections == 3  # retried as a 429 is, with the usual back-off
