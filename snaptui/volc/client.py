"""RtcClient: one signed, rate-limited, retrying GetSnapshotTask call.

The whole call (rate-limit wait, retries, a body that trickles in) must end
within `timeout` seconds: one deadline covers every attempt.
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from email.utils import parsedate_to_datetime

import httpx

from snaptui import __version__
from snaptui.volc.endpoints import ACTION, DEFAULT_PRESET, PRESETS, VERSION, Endpoint
from snaptui.volc.errors import (
    RETRYABLE_STATUSES,
    ApiError,
    MalformedResponseError,
    RequestTimeout,
    SnaptuiError,
    TransportError,
)
from snaptui.volc.ids import ID_FIELDS, validate_id
from snaptui.volc.models import TaskResult, parse, parse_metadata
from snaptui.volc.ratelimit import RateLimiter, limiter_for
from snaptui.volc.secret import Credentials
from snaptui.volc.signing import VolcAuth, canonical_query

log = logging.getLogger("snaptui.client")

DEFAULT_TIMEOUT = 10.0
MAX_ATTEMPTS = 3
BACKOFF_BASE = 0.3
MAX_BODY_BYTES = 32 * 1024 * 1024
SKEW_WARNING_SECONDS = 60.0


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


class _Retryable(Exception):
    def __init__(self, error: SnaptuiError, retry_after: float | None = None) -> None:
        self.error = error
        self.retry_after = retry_after


class RtcClient:
    def __init__(
        self,
        credentials: Credentials,
        endpoint: Endpoint | None = None,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        max_attempts: int = MAX_ATTEMPTS,
        rate_limiter: RateLimiter | None = None,
        clock: Callable[[], float] = time.time,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.endpoint = endpoint or PRESETS[DEFAULT_PRESET]
        self.credentials = credentials
        self.timeout = timeout
        self.max_attempts = max_attempts
        self.rate_limiter = rate_limiter or limiter_for(credentials.access_key)
        self._clock = clock
        self._http = httpx.AsyncClient(
            base_url=self.endpoint.url,
            auth=VolcAuth(credentials, self.endpoint.region, clock=clock),
            timeout=httpx.Timeout(timeout),
            follow_redirects=False,
            headers={"Accept": "application/json", "User-Agent": f"snaptui/{__version__}"},
            transport=transport,
            trust_env=False,
        )

    def __repr__(self) -> str:
        return f"RtcClient({self.endpoint.url!r}, {self.credentials!r})"

    async def __aenter__(self) -> RtcClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    async def get_snapshot_task(self, app_id: str, room_id: str, task_id: str) -> TaskResponse:
        ids = (app_id, room_id, task_id)
        for field, value in zip(ID_FIELDS, ids, strict=True):
            validate_id(field, value)
        query = canonical_query(
            [("Action", ACTION), ("Version", VERSION), *zip(ID_FIELDS, ids, strict=True)]
        )
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.timeout
        attempt = 0
        last_error: SnaptuiError | None = None
        while True:
            attempt += 1
            try:
                async with asyncio.timeout_at(deadline):
                    await self.rate_limiter.acquire()
                    return await self._attempt(query, attempt)
            except TimeoutError:
                # A retry cut short says less than the failure that caused it.
                raise last_error or RequestTimeout(
                    f"no complete answer from {self.endpoint.host} within {self.timeout:g} s"
                ) from None
            except _Retryable as retry:
                last_error = retry.error
                delay = BACKOFF_BASE * 2 ** (attempt - 1) * random.uniform(0.75, 1.25)
                if retry.retry_after is not None:
                    delay = max(delay, retry.retry_after)
                if attempt >= self.max_attempts or loop.time() + delay >= deadline:
                    raise retry.error from None
                log.debug("attempt %d failed (%s); retrying in %.2f s", attempt, retry.error, delay)
                await asyncio.sleep(delay)

    async def _attempt(self, query: str, attempt: int) -> TaskResponse:
        started = time.monotonic()
        log.debug("GET %s/?%s (attempt %d)", self.endpoint.url, query, attempt)
        try:
            async with self._http.stream("GET", "/?" + query) as response:
                body = await _read_capped(response)
        except httpx.TimeoutException:
            raise RequestTimeout(
                f"no complete answer from {self.endpoint.host} within {self.timeout:g} s"
            ) from None
        except (
            httpx.ConnectError,
            httpx.ReadError,
            httpx.WriteError,
            httpx.RemoteProtocolError,
        ) as exc:
            raise _Retryable(TransportError(_network_message(self.endpoint.host, exc))) from None
        except httpx.HTTPError as exc:
            raise TransportError(_network_message(self.endpoint.host, exc)) from None
        log.debug(
            "HTTP %d, %d bytes, %.0f ms, headers %s",
            response.status_code,
            len(body),
            (time.monotonic() - started) * 1000,
            dict(response.headers),
        )
        skew = self._clock_skew(response)
        if skew is not None and abs(skew) > SKEW_WARNING_SECONDS:
            log.warning("local clock differs from the server's by %.0f s", skew)
        return self._interpret(response, body, skew, attempt)

    def _interpret(
        self, response: httpx.Response, body: bytes, skew: float | None, attempt: int
    ) -> TaskResponse:
        status = response.status_code
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
                raise _Retryable(exc, _retry_after(response)) from None
            raise exc from None
        metadata = None
        if isinstance(data, dict):
            metadata = parse_metadata(data.get("ResponseMetadata") or {})
        if metadata is not None and metadata.Error is not None:
            error = ApiError(
                code=metadata.Error.Code,
                code_n=metadata.Error.CodeN,
                message=metadata.Error.Message,
                http_status=status,
                request_id=metadata.RequestId,
                clock_skew=skew,
            )
            if status in RETRYABLE_STATUSES:
                raise _Retryable(error, _retry_after(response))
            raise error
        if not 200 <= status < 300:
            error_ = MalformedResponseError(
                f"HTTP {status} with no error details in the body",
                http_status=status,
                request_id=metadata.RequestId if metadata else None,
            )
            if status in RETRYABLE_STATUSES:
                raise _Retryable(error_, _retry_after(response))
            raise error_
        result = parse(data)
        return TaskResponse(result, data, status, skew, attempt)

    def _clock_skew(self, response: httpx.Response) -> float | None:
        date = response.headers.get("Date")
        if not date:
            return None
        try:
            return parsedate_to_datetime(date).timestamp() - self._clock()
        except (TypeError, ValueError, IndexError, OverflowError):
            return None


async def _read_capped(response: httpx.Response) -> bytes:
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise MalformedResponseError(
            f"HTTP {response.status_code}: the answer is {int(declared):,} bytes, over the "
            f"{MAX_BODY_BYTES // 2**20} MiB limit",
            http_status=response.status_code,
        )
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.aiter_bytes():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise MalformedResponseError(
                f"HTTP {response.status_code}: the answer is over the "
                f"{MAX_BODY_BYTES // 2**20} MiB limit",
                http_status=response.status_code,
            )
        chunks.append(chunk)
    return b"".join(chunks)


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
