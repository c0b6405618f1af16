"""Everything needed to talk to the API in one place: keys, their source, endpoint, clock.

One RtcClient per connection, so every open task shares its connection pool
and its account's rate limiter.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeVar

from snaptui.volc.endpoints import DEFAULT_TIMEOUT, Endpoint
from snaptui.volc.errors import CredentialsError
from snaptui.volc.secret import Credentials

if TYPE_CHECKING:
    from concurrent.futures import Future

    import httpx

    from snaptui.credentials import Found
    from snaptui.volc.client import RtcClient
    from snaptui.volc.exchange import TaskResponse

Ids = tuple[str, str, str]
T = TypeVar("T")


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
    _early: dict[Ids, Future[TaskResponse | None]] = field(default_factory=dict, repr=False)
    _keyring: Future[Found | None] | None = field(default=None, repr=False)

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

    def look_up_keys(self) -> None:
        """Asks the keyring for this profile's keys now, on a daemon thread (a hanging
        keyring cannot hold up start-up or Ctrl+Q), while the app loads. The early request,
        `fetch` and the app (keys_found) wait for its answer instead of asking again."""
        from snaptui import credentials

        profile = self.profile
        self._keyring = _on_thread(lambda: credentials.load_from_keyring(profile), "keyring")

    def keys_found(self) -> Found | None:
        """The keyring's answer, waited for: the lookup started at launch, else a new one."""
        if self._keyring is not None:
            return self._keyring.result()
        from snaptui import credentials

        return credentials.load_from_keyring(self.profile)

    def send_early(self, ids: Ids) -> None:
        """Sends the first request for a task opened from the command line now, before the
        app is drawn: it travels while the app's modules load and its first frame is made,
        instead of after them. On a thread and the standard library's client (same signing,
        policy and checks as the shared one), because the shared one's imports and set-up
        are what it would wait for. With keys in the keyring, it waits for them first. The
        view that opens the task takes the answer (see fetch)."""
        if self.transport is not None or (self.credentials is None and self._keyring is None):
            return
        credentials, keyring, endpoint = self.credentials, self._keyring, self.endpoint
        prepare, self.prepare = self.prepare, None

        def send() -> TaskResponse | None:
            keys = credentials or _keys_in(keyring)
            if keys is None:
                return None  # the app says why (no keys, or the keyring's error)
            if prepare is not None:
                prepare()
            from snaptui.volc.blocking import BlockingRtcClient

            options = {"timeout": self.timeout, "clock": self.clock}
            with BlockingRtcClient(keys, endpoint, **options) as client:
                return client.get_snapshot_task(*ids)

        self._early[ids] = _on_thread(send, "first-request")

    async def fetch(self, ids: Ids) -> TaskResponse:
        """The task's answer: the one sent early, once, if it was; else a new request, once
        the keyring has answered if it is being asked."""
        import asyncio

        early = self._early.pop(ids, None)
        if early is not None and (response := await asyncio.wrap_future(early)) is not None:
            return response
        if self.credentials is None and self._keyring is not None:
            with contextlib.suppress(Exception):  # the app reports the keyring's errors
                found = await asyncio.wrap_future(self._keyring)
                if found is not None and self.credentials is None:
                    self.credentials, self.source = found.credentials, found.source
        return await self.client().get_snapshot_task(*ids)

    async def replace(
        self, credentials: Credentials | None, source: str, endpoint: Endpoint | None = None
    ) -> None:
        """Switch keys (or endpoint); the next request uses them."""
        old, self._client = self._client, None
        self.credentials = credentials
        self.source = source
        self._keyring = None  # what it found is no longer what the user wants
        if endpoint is not None:
            self.endpoint = endpoint
        if old is not None:
            await old.aclose()

    async def aclose(self) -> None:
        client, self._client = self._client, None
        if client is not None:
            await client.aclose()


def _keys_in(keyring: Future[Found | None] | None) -> Credentials | None:
    """The keys the keyring lookup found, once it has answered; None for none or an error."""
    if keyring is None or keyring.exception() is not None:
        return None
    found = keyring.result()
    return found.credentials if found is not None else None


def _on_thread(work: Callable[[], T], name: str) -> Future[T]:
    """`work` on a daemon thread; its result or exception in the future."""
    import threading
    from concurrent.futures import Future

    future: Future[T] = Future()

    def run() -> None:
        future.set_running_or_notify_cancel()
        try:
            future.set_result(work())
        except BaseException as exc:  # handed to whoever waits for it
            future.set_exception(exc)

    threading.Thread(target=run, name=name, daemon=True).start()
    return future
