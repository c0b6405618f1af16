"""RtcClient: the async GetSnapshotTask call the TUI uses, on httpx; signed, rate-limited,
retrying.

The whole call (rate-limit wait, retries, headers or a body that trickles in) must end
within `timeout` seconds: one deadline covers every attempt. The policy is exchange.py's.
"""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from snaptui.i18n import N_, _, translate
from snaptui.volc import connect_failure
from snaptui.volc.endpoints import DEFAULT_TIMEOUT, Endpoint
from snaptui.volc.errors import RequestTimeout, SnaptuiError, TransportError
from snaptui.volc.exchange import (
    Answer,
    BodyReader,
    ClientBase,
    Retryable,
    TaskResponse,
    backoff,
    interpret,
    timeout_error,
)
from snaptui.volc.safe_text import clean
from snaptui.volc.secret import Credentials

# An answer bigger than this is decoded in a worker thread, so the app stays responsive.
BIG_BODY = 256 * 1024

__all__ = ["DEFAULT_TIMEOUT", "RtcClient", "TaskResponse"]

# Errors of the connection itself: worth another attempt.
CONNECTION_ERRORS = (
    httpx.ConnectError,
    httpx.ReadError,
    httpx.WriteError,
    httpx.RemoteProtocolError,
)


class RtcClient(ClientBase):
    def __init__(
        self,
        credentials: Credentials,
        endpoint: Endpoint | None = None,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        **options: Any,
    ) -> None:
        """`options`: timeout, max_attempts, rate_limiter, clock, trace (see ClientBase)."""
        super().__init__(credentials, endpoint, **options)
        self._http = httpx.AsyncClient(
            transport=transport,
            base_url=self.endpoint.url,
            timeout=httpx.Timeout(self.timeout),
            follow_redirects=False,
            trust_env=False,  # no proxy or netrc from the environment
            # No TLS set-up for a plain-http (loopback) endpoint.
            verify=not self.endpoint.url.startswith("http://"),
            event_hooks={"response": [_set_location_aside]},
        )

    async def __aenter__(self) -> RtcClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    async def get_snapshot_task(self, app_id: str, room_id: str, task_id: str) -> TaskResponse:
        query = self.prepare(app_id, room_id, task_id)
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
                raise last_error or timeout_error(self.endpoint, self.timeout) from None
            except Retryable as retry:
                last_error = retry.error
                delay = backoff(attempt, retry.retry_after)
                if attempt >= self.max_attempts or loop.time() + delay >= deadline:
                    raise retry.error from None
                self.trace(
                    _("attempt {n} failed ({error}); retrying in {seconds} s").format(
                        n=attempt, error=retry.error, seconds=f"{delay:.2f}"
                    )
                )
                await asyncio.sleep(delay)

    async def _attempt(self, query: str, attempt: int) -> TaskResponse:
        self.trace(f"GET {self.endpoint.url}/?{query} (attempt {attempt})")
        try:
            request = self._http.build_request("GET", "/", headers=self.headers(query))
            # The wire query is exactly the canonical one that was signed.
            request.url = request.url.copy_with(query=query.encode("ascii"))
            response = await self._http.send(request, stream=True)
            try:
                # Raw bytes: the reader decodes gzip itself, within the size limit.
                reader = BodyReader(response.status_code, _headers(response))
                async for chunk in response.aiter_raw():
                    reader.feed(chunk)
                answer = Answer(response.status_code, _headers(response), reader.body())
            finally:
                await response.aclose()
        except httpx.HTTPError as exc:
            raise network_error(self.endpoint, exc) from None
        answer = self.received(answer)
        if len(answer.body) > BIG_BODY:
            # Decoding 100,000 streams takes a third of a second: not on the event loop.
            return await asyncio.to_thread(
                interpret, answer, attempt, self._clock, self.credentials
            )
        return interpret(answer, attempt, self._clock, self.credentials)


LOCATION_ASIDE = "snaptui.location"


async def _set_location_aside(response: httpx.Response) -> None:
    """httpx builds a redirect's next request even when it follows none, and a Location it
    cannot parse fails that as a broken connection, retried. Redirects are never followed
    here: the Location is kept aside for interpret(), which reports the redirect as the
    one-shot client does."""
    if "location" in response.headers:
        response.extensions = {**response.extensions, LOCATION_ASIDE: response.headers["location"]}
        del response.headers["location"]


def _headers(response: httpx.Response) -> dict[str, str]:
    headers = {name.lower(): value for name, value in response.headers.items()}
    if LOCATION_ASIDE in response.extensions:
        headers["location"] = response.extensions[LOCATION_ASIDE]
    return headers


def network_error(endpoint: Endpoint, exc: Exception) -> SnaptuiError | Retryable:
    message = _network_message(endpoint, exc)
    if isinstance(exc, httpx.TimeoutException):
        return RequestTimeout(message)
    if isinstance(exc, CONNECTION_ERRORS):
        return Retryable(TransportError(message))
    return TransportError(message)


def _network_message(endpoint: Endpoint, exc: Exception) -> str:
    host = endpoint.host
    if isinstance(exc, httpx.ConnectError):
        return connect_failure.message(endpoint, exc)
    if isinstance(exc, httpx.TimeoutException):
        late = _("{host} did not answer in time ({name})")
        return late.format(host=host, name=type(exc).__name__)
    kind = {
        httpx.ReadError: N_("the connection broke while reading from {host}: {detail}"),
        httpx.WriteError: N_("the connection broke while sending to {host}: {detail}"),
        httpx.RemoteProtocolError: N_("the connection was closed unexpectedly by {host}: {detail}"),
    }
    for cls, message in kind.items():
        if isinstance(exc, cls):
            detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            return translate(message).format(host=host, detail=clean(detail)[:200])
    other = _("network error talking to {host}: {name}")
    return other.format(host=host, name=type(exc).__name__)
