"""One GetSnapshotTask exchange, whatever waits for it: building the request, reading the
answer, and deciding what a failure means. Shared by the async client (the TUI) and the
blocking one (the one-shot CLI, which should not pay for importing asyncio).
"""

from __future__ import annotations

import json
import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any

import httpx

from snaptui import __version__
from snaptui.volc.endpoints import (
    ACTION,
    DEFAULT_PRESET,
    DEFAULT_TIMEOUT,
    PRESETS,
    VERSION,
    Endpoint,
)
from snaptui.volc.errors import (
    RETRYABLE_STATUSES,
    ApiError,
    MalformedResponseError,
    RequestTimeout,
    SnaptuiError,
    TransportError,
)
from snaptui.volc.ids import ID_FIELDS, validate_id
from snaptui.volc.models import SnapshotTask, TaskResult, parse, parse_metadata
from snaptui.volc.ratelimit import RateLimiter, limiter_for
from snaptui.volc.secret import Credentials
from snaptui.volc.signing import VolcAuth, canonical_query

log = logging.getLogger("snaptui.client")

MAX_ATTEMPTS = 3
BACKOFF_BASE = 0.3
MAX_BODY_BYTES = 32 * 1024 * 1024
SKEW_WARNING_SECONDS = 60.0
# Errors of the connection itself: worth another attempt.
CONNECTION_ERRORS = (
    httpx.ConnectError,
    httpx.ReadError,
    httpx.WriteError,
    httpx.RemoteProtocolError,
)


@dataclass(frozen=True, slots=True)
class TaskResponse:
    result: TaskResult
    data: object  # the decoded JSON body, as received
    http_status: int
    clock_skew: float | None  # server Date minus local clock, seconds
    attempts: int

    @property
    def request_id(self) -> str | None:
        return self.result.metadata.RequestId

    @property
    def task(self) -> SnapshotTask:
        """Always there: an answer without a task is raised as an error, never returned."""
        if self.result.task is None:
            raise MalformedResponseError("no SnapshotTask in the answer")
        return self.result.task


class ClientBase:
    """What both clients are made of: endpoint, keys, one deadline, attempts, the account's
    rate limiter and a clock. Subclasses add their httpx client as `_http`."""

    def __init__(
        self,
        credentials: Credentials,
        endpoint: Endpoint | None = None,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        max_attempts: int = MAX_ATTEMPTS,
        rate_limiter: RateLimiter | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.endpoint = endpoint or PRESETS[DEFAULT_PRESET]
        self.credentials = credentials
        self.timeout = timeout
        self.max_attempts = max_attempts
        self.rate_limiter = rate_limiter or limiter_for(credentials.access_key)
        self._clock = clock

    @property
    def http_options(self) -> dict[str, Any]:
        return client_options(self.credentials, self.endpoint, self.timeout, self._clock)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.endpoint.url!r}, {self.credentials!r})"


class Retryable(Exception):
    """An attempt failed in a way another attempt may fix."""

    def __init__(self, error: SnaptuiError, retry_after: float | None = None) -> None:
        self.error = error
        self.retry_after = retry_after


def task_query(app_id: str, room_id: str, task_id: str) -> str:
    """The canonical query, after checking the ids (nothing is sent for an invalid one)."""
    ids = (app_id, room_id, task_id)
    for field, value in zip(ID_FIELDS, ids, strict=True):
        validate_id(field, value)
    return canonical_query(
        [("Action", ACTION), ("Version", VERSION), *zip(ID_FIELDS, ids, strict=True)]
    )


def client_options(
    credentials: Credentials, endpoint: Endpoint, timeout: float, clock: Callable[[], float]
) -> dict[str, Any]:
    """What every httpx client of ours is made with: signed, no redirects, no proxies from
    the environment, and no TLS set-up for a plain-http (loopback) endpoint."""
    options: dict[str, Any] = {
        "base_url": endpoint.url,
        "auth": VolcAuth(credentials, endpoint.region, clock=clock),
        "timeout": httpx.Timeout(timeout),
        "follow_redirects": False,
        "headers": {"Accept": "application/json", "User-Agent": f"snaptui/{__version__}"},
        "trust_env": False,
    }
    if endpoint.url.startswith("http://"):
        options["verify"] = False  # no TLS on this connection: skip loading CA certificates
    return options


def backoff(attempt: int, retry_after: float | None) -> float:
    """Exponential from about 300 ms with jitter; a server's Retry-After is honoured."""
    delay = BACKOFF_BASE * 2 ** (attempt - 1) * random.uniform(0.75, 1.25)
    return max(delay, retry_after) if retry_after is not None else float(delay)


def timeout_error(endpoint: Endpoint, timeout: float) -> RequestTimeout:
    return RequestTimeout(f"no complete answer from {endpoint.host} within {timeout:g} s")


def network_error(endpoint: Endpoint, exc: Exception) -> SnaptuiError | Retryable:
    message = _network_message(endpoint.host, exc)
    if isinstance(exc, httpx.TimeoutException):
        return RequestTimeout(message)
    if isinstance(exc, CONNECTION_ERRORS):
        return Retryable(TransportError(message))
    return TransportError(message)


class BodyTooLarge(MalformedResponseError):
    pass


def check_size(status: int, size: int) -> None:
    if size > MAX_BODY_BYTES:
        raise BodyTooLarge(
            f"HTTP {status}: the answer is {size:,} bytes, over the "
            f"{MAX_BODY_BYTES // 2**20} MiB limit",
            http_status=status,
        )


def declared_size(response: httpx.Response) -> int:
    declared = response.headers.get("Content-Length", "")
    return int(declared) if declared.isdigit() else 0


def interpret(
    response: httpx.Response,
    body: bytes,
    attempt: int,
    clock: Callable[[], float],
) -> TaskResponse:
    """The answer as a TaskResponse, or the error it means (Retryable if worth retrying)."""
    status = response.status_code
    log.debug("HTTP %d, %d bytes, headers %s", status, len(body), dict(response.headers))
    skew = _clock_skew(response, clock)
    if skew is not None and abs(skew) > SKEW_WARNING_SECONDS:
        log.warning("local clock differs from the server's by %.0f s", skew)
    if 300 <= status < 400:
        target = response.headers.get("Location", "")
        host = httpx.URL(target).host if target else ""
        where = f" to {host or target!r}" if target else ""
        raise TransportError(
            f"the server answered HTTP {status}, a redirect{where}; redirects are not "
            "followed (check the endpoint URL)",
            http_status=status,
        )
    try:
        data = decode_json(body)
    except MalformedResponseError as exc:
        exc.http_status = status
        kind = response.headers.get("Content-Type", "no content type").split(";")[0]
        exc.args = (f"HTTP {status}: {exc} ({kind}, {len(body)} bytes)",)
        if status in RETRYABLE_STATUSES:
            raise Retryable(exc, _retry_after(response)) from None
        raise exc from None
    metadata = (
        parse_metadata(data.get("ResponseMetadata") or {}) if isinstance(data, dict) else None
    )
    error: SnaptuiError | None = None
    if metadata is not None and metadata.Error is not None:
        error = ApiError(
            code=metadata.Error.Code,
            code_n=metadata.Error.CodeN,
            message=metadata.Error.Message,
            http_status=status,
            request_id=metadata.RequestId,
            clock_skew=skew,
        )
    elif not 200 <= status < 300:
        error = MalformedResponseError(
            f"HTTP {status} with no error details in the body",
            http_status=status,
            request_id=metadata.RequestId if metadata else None,
        )
    if error is not None:
        if status in RETRYABLE_STATUSES:
            raise Retryable(error, _retry_after(response))
        raise error
    return TaskResponse(parse(data), data, status, skew, attempt)


def _clock_skew(response: httpx.Response, clock: Callable[[], float]) -> float | None:
    date = response.headers.get("Date")
    if not date:
        return None
    try:
        return parsedate_to_datetime(date).timestamp() - clock()
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


def _reject_constant(name: str) -> object:
    raise ValueError(f"{name} is not valid JSON")


def decode_json(body: bytes) -> object:
    """Strict JSON from UTF-8 bytes; any failure is a MalformedResponseError."""
    if not body.strip():
        raise MalformedResponseError("the body is empty")
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise MalformedResponseError(f"the body is not valid UTF-8 (byte {exc.start})") from None
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except RecursionError:
        raise MalformedResponseError("the body is JSON nested too deeply to read") from None
    except ValueError as exc:
        if text.lstrip().startswith("<"):
            raise MalformedResponseError("the body is HTML, not JSON") from None
        detail = exc.msg if isinstance(exc, json.JSONDecodeError) else str(exc)
        raise MalformedResponseError(f"the body is not valid JSON ({detail})") from None


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After", "").strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


def _network_message(host: str, exc: Exception) -> str:
    if isinstance(exc, httpx.TimeoutException):
        return f"{host} did not answer in time ({type(exc).__name__})"
    kind = {
        httpx.ConnectError: "could not connect to",
        httpx.ReadError: "the connection broke while reading from",
        httpx.WriteError: "the connection broke while sending to",
        httpx.RemoteProtocolError: "the connection was closed unexpectedly by",
    }
    for cls, words in kind.items():
        if isinstance(exc, cls):
            detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            return f"{words} {host}: {detail}"
    return f"network error talking to {host}: {type(exc).__name__}"
