"""RtcClient: the async GetSnapshotTask call the TUI uses; signed, rate-limited, retrying.

The whole call (rate-limit wait, retries, a body that trickles in) must end within
`timeout` seconds: one deadline covers every attempt.
"""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from snaptui.volc.endpoints import DEFAULT_TIMEOUT, Endpoint
from snaptui.volc.errors import SnaptuiError
from snaptui.volc.exchange import (
    ClientBase,
    Retryable,
    TaskResponse,
    backoff,
    check_size,
    declared_size,
    interpret,
    log,
    network_error,
    task_query,
    timeout_error,
)
from snaptui.volc.secret import Credentials

# An answer bigger than this is decoded in a worker thread, so the app stays responsive.
BIG_BODY = 256 * 1024

__all__ = ["DEFAULT_TIMEOUT", "RtcClient", "TaskResponse"]


class RtcClient(ClientBase):
    def __init__(
        self,
        credentials: Credentials,
        endpoint: Endpoint | None = None,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        **options: Any,
    ) -> None:
        """`options`: timeout, max_attempts, rate_limiter, clock (see ClientBase)."""
        super().__init__(credentials, endpoint, **options)
        self._http = httpx.AsyncClient(transport=transport, **self.http_options)

    async def __aenter__(self) -> RtcClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    async def get_snapshot_task(self, app_id: str, room_id: str, task_id: str) -> TaskResponse:
        query = task_query(app_id, room_id, task_id)
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
                log.debug("attempt %d failed (%s); retrying in %.2f s", attempt, retry.error, delay)
                await asyncio.sleep(delay)

    async def _attempt(self, query: str, attempt: int) -> TaskResponse:
        log.debug("GET %s/?%s (attempt %d)", self.endpoint.url, query, attempt)
        try:
            async with self._http.stream("GET", "/?" + query) as response:
                check_size(response.status_code, declared_size(response))
                chunks, size = [], 0
                async for chunk in response.aiter_bytes():
                    size += len(chunk)
                    check_size(response.status_code, size)
                    chunks.append(chunk)
        except httpx.HTTPError as exc:
            raise network_error(self.endpoint, exc) from None
        if size > BIG_BODY:
            # Decoding 100,000 streams takes a third of a second: not on the event loop.
            return await asyncio.to_thread(
                interpret, response, b"".join(chunks), attempt, self._clock
            )
        return interpret(response, b"".join(chunks), attempt, self._clock)
