"""BlockingRtcClient: the same call without asyncio, for the one-shot CLI.

Importing asyncio and anyio costs a fresh process ~50 ms, more than the rest of
a `snaptui get`. The policy (retries, limits, errors) is exchange.py's, shared
with the async client; only the waiting differs. The deadline covers every
attempt: a body that trickles in is checked against it between chunks.
"""

from __future__ import annotations

import time
from typing import Any

import httpx

from snaptui.volc.endpoints import Endpoint
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


class BlockingRtcClient(ClientBase):
    def __init__(
        self, credentials: Credentials, endpoint: Endpoint | None = None, **options: Any
    ) -> None:
        """`options`: timeout, max_attempts, rate_limiter, clock (see ClientBase)."""
        super().__init__(credentials, endpoint, **options)
        self._http = httpx.Client(**self.http_options)

    def __enter__(self) -> BlockingRtcClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    def get_snapshot_task(self, app_id: str, room_id: str, task_id: str) -> TaskResponse:
        query = task_query(app_id, room_id, task_id)
        deadline = time.monotonic() + self.timeout
        attempt = 0
        last_error: SnaptuiError | None = None
        while True:
            attempt += 1
            wait = self.rate_limiter.reserve()
            if time.monotonic() + wait >= deadline:
                raise last_error or timeout_error(self.endpoint, self.timeout)
            time.sleep(wait)
            try:
                return self._attempt(query, attempt, deadline)
            except Retryable as retry:
                last_error = retry.error
                delay = backoff(attempt, retry.retry_after)
                if attempt >= self.max_attempts or time.monotonic() + delay >= deadline:
                    raise retry.error from None
                log.debug("attempt %d failed (%s); retrying in %.2f s", attempt, retry.error, delay)
                time.sleep(delay)
            except _PastDeadline:
                raise last_error or timeout_error(self.endpoint, self.timeout) from None

    def _attempt(self, query: str, attempt: int, deadline: float) -> TaskResponse:
        log.debug("GET %s/?%s (attempt %d)", self.endpoint.url, query, attempt)
        left = deadline - time.monotonic()
        try:
            with self._http.stream("GET", "/?" + query, timeout=httpx.Timeout(left)) as response:
                check_size(response.status_code, declared_size(response))
                chunks, size = [], 0
                for chunk in response.iter_bytes():
                    if time.monotonic() > deadline:
                        raise _PastDeadline
                    size += len(chunk)
                    check_size(response.status_code, size)
                    chunks.append(chunk)
        except httpx.TimeoutException:
            raise _PastDeadline from None
        except httpx.HTTPError as exc:
            raise network_error(self.endpoint, exc) from None
        return interpret(response, b"".join(chunks), attempt, self._clock)


class _PastDeadline(Exception):
    pass
