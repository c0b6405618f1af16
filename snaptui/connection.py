"""Everything needed to talk to the API in one place: keys, their source, endpoint, clock.

One RtcClient per connection, so every open task shares its connection pool
and its account's rate limiter.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from snaptui.volc.endpoints import DEFAULT_TIMEOUT, Endpoint
from snaptui.volc.errors import CredentialsError
from snaptui.volc.secret import Credentials

if TYPE_CHECKING:
    from concurrent.futures import Future

    import httpx

    from snaptui.volc.client import RtcClient
    from snaptui.volc.exchange import TaskResponse

Ids = tuple[str, str, str]


@dataclass
class Connection:
    endpoint: Endpoint
    credentials: Credentials | None = None
    source: str = "none"  # 'environment (VOLC_ACCESSKEY)', 'keyring (SecretService)', ...
    profile: str = "default"
    clock: Callable[[], float] = time.time
    timeout: float = DEFAULT_TIMEOUT
    transport: httpx.AsyncBaseTransport | None = field(default=None, repr=False)
    # Work to do before the first request (the demo starts its simulator here).
    prepare: Callable[[], None] | None = field(default=None, repr=False)
    _client: RtcClient | None = field(default=None, repr=False)
    _early: dict[Ids, Future[TaskResponse]] = field(default_factory=dict, repr=False)

    @property
    def masked_access_key(self) -> str:
        return self.credentials.masked_access_key if self.credentials else "(none)"

    def client(self) -> RtcClient:
        """The shared client of this connection's keys and endpoint."""
        if self.credentials is None:
            raise CredentialsError("no credentials: enter keys on the credentials screen (F2)")
        if self._client is None:
            self._client = self.new_client(self.credentials, self.endpoint)
        return self._client

    def new_client(self, credentials: Credentials, endpoint: Endpoint) -> RtcClient:
        """A client on this connection's clock, timeout and transport: the shared one, and
        the credentials screen's test of keys not yet in use. The caller closes it."""
        # Imported here: httpx is not needed to draw the first frame.
        from snaptui.volc.client import RtcClient

        if self.prepare is not None:
            prepare, self.prepare = self.prepare, None
            prepare()
        return RtcClient(
            credentials, endpoint, timeout=self.timeout, clock=self.clock, transport=self.transport
        )

    def send_early(self, ids: Ids) -> None:
        """Sends the first request for a task opened from the command line now, before the
        app is drawn: it travels while the app's modules load and its first frame is made,
        instead of after them. On a thread and the standard library's client (same signing,
        policy and checks as the shared one), because the shared one's imports and set-up
        are what it would wait for. The view that opens the task takes it (see fetch)."""
        if self.credentials is None or self.transport is not None:
            return
        import threading
        from concurrent.futures import Future

        future: Future[TaskResponse] = Future()
        credentials, endpoint = self.credentials, self.endpoint
        prepare, self.prepare = self.prepare, None

        def send() -> None:
            future.set_running_or_notify_cancel()
            try:
                if prepare is not None:
                    prepare()
                from snaptui.volc.blocking import BlockingRtcClient

                options = {"timeout": self.timeout, "clock": self.clock}
                with BlockingRtcClient(credentials, endpoint, **options) as client:
                    future.set_result(client.get_snapshot_task(*ids))
            except BaseException as exc:  # handed to the view, which reports it
                future.set_exception(exc)

        self._early[ids] = future
        threading.Thread(target=send, name="first-request", daemon=True).start()

    async def fetch(self, ids: Ids) -> TaskResponse:
        """The task's answer: the one sent early, once, if it was; else a new request."""
        early = self._early.pop(ids, None)
        if early is not None:
            import asyncio

            return await asyncio.wrap_future(early)
        return await self.client().get_snapshot_task(*ids)

    async def replace(
        self, credentials: Credentials | None, source: str, endpoint: Endpoint | None = None
    ) -> None:
        """Switch keys (or endpoint); the next request uses them."""
        old, self._client = self._client, None
        self.credentials = credentials
        self.source = source
        if endpoint is not None:
            self.endpoint = endpoint
        if old is not None:
            await old.aclose()

    async def aclose(self) -> None:
        client, self._client = self._client, None
        if client is not None:
            await client.aclose()
