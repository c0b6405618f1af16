"""BlockingRtcClient: the same call on the standard library's http.client, for the
one-shot CLI.

A fresh `snaptui get` spends most of its life importing: httpx and its async stack cost
more than the call itself, so the one-shot path carries none of it. The policy (signing,
retries, deadline, size limit, no redirects, gzip) is exchange.py's, shared with the async
client; http.client parses the HTTP, this module only waits.

TLS: one context per process, made lazily, verifying as `ssl.create_default_context()`
does, but where the platform keeps a hashed CA directory it is searched on demand
instead of parsing the whole CA bundle at start.

The deadline covers every byte: each read of the socket, the status line and headers
included, may take only what is left of it, so a server trickling one header byte a
second cannot hold the call open.
"""

from __future__ import annotations

import errno
import http.client
import io
import os
import socket
import sys
import time

from snaptui.i18n import _
from snaptui.volc import connect_failure
from snaptui.volc.endpoints import Endpoint
from snaptui.volc.errors import SnaptuiError, TransportError
from snaptui.volc.exchange import (
    READ_CHUNK,
    Answer,
    BodyReader,
    ClientBase,
    PastDeadline,
    Retryable,
    TaskResponse,
    backoff,
    interpret,
    timeout_error,
)
from snaptui.volc.safe_text import clean
from snaptui.volc.secret import Credentials

# typing.TYPE_CHECKING's value, without importing typing: a fresh process saves ~3 ms.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

_tls_context: Any = None
# Errors of connect() itself: said as where and why (`connection refused`).
UNREACHABLE = frozenset({errno.ENETUNREACH, errno.EHOSTUNREACH})


def tls_context() -> Any:
    """One verifying TLS context per process, made on first use; plain-http loopback calls
    never build one. Certificates and host names are always checked."""
    global _tls_context
    if _tls_context is None:
        import ssl

        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)  # CERT_REQUIRED, check_hostname
        paths = ssl.get_default_verify_paths()
        if _default_bundle(paths) and _is_hashed_dir(paths.capath):
            # CAs looked up by subject hash when a chain needs one: reading the whole
            # bundle up front costs a fresh process ~30 ms.
            context.load_verify_locations(capath=paths.capath)
        else:
            context.load_default_certs()
        _tls_context = context
    return _tls_context


def _default_bundle(paths: Any) -> bool:
    """True unless SSL_CERT_FILE names a bundle of its own (not the platform's, which the
    hashed directory holds too): a CA added only there must still be trusted."""
    chosen = os.environ.get(paths.openssl_cafile_env)
    return not chosen or os.path.realpath(chosen) == os.path.realpath(paths.openssl_cafile)


def _is_hashed_dir(path: str | None) -> bool:
    """A CA directory OpenSSL can search: it holds `<8 hex digits>.<n>` names."""
    try:
        names = os.listdir(path) if path else []
    except OSError:
        return False
    hexdigits = set("0123456789abcdef")
    return any(
        len(n) > 9 and n[8] == "." and hexdigits.issuperset(n[:8]) and n[9:].isdigit()
        for n in names
    )


class BlockingRtcClient(ClientBase):
    def __init__(
        self, credentials: Credentials, endpoint: Endpoint | None = None, **options: Any
    ) -> None:
        """`options`: timeout, max_attempts, rate_limiter, clock, trace (see ClientBase)."""
        super().__init__(credentials, endpoint, **options)
        self._conn: http.client.HTTPConnection | None = None

    def __enter__(self) -> BlockingRtcClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._conn is not None:
            conn, self._conn = self._conn, None
            conn.close()

    def get_snapshot_task(self, app_id: str, room_id: str, task_id: str) -> TaskResponse:
        query = self.prepare(app_id, room_id, task_id)
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
                self.close()
                last_error = retry.error
                delay = backoff(attempt, retry.retry_after)
                if attempt >= self.max_attempts or time.monotonic() + delay >= deadline:
                    raise retry.error from None
                self.trace(
                    _("attempt {n} failed ({error}); retrying in {seconds} s").format(
                        n=attempt, error=retry.error, seconds=f"{delay:.2f}"
                    )
                )
                time.sleep(delay)
            except PastDeadline:
                self.close()
                raise last_error or timeout_error(self.endpoint, self.timeout) from None
            except BaseException:
                self.close()
                raise

    def _connection(self, deadline: float) -> http.client.HTTPConnection:
        left = max(0.001, deadline - time.monotonic())
        if self._conn is None:
            url = self.endpoint.url
            host, port = _host_port(url)
            if url.startswith("https://"):
                self._conn = http.client.HTTPSConnection(
                    host, port, timeout=left, context=tls_context()
                )
            else:
                self._conn = http.client.HTTPConnection(host, port, timeout=left)
        self._conn.timeout = left
        if self._conn.sock is not None:
            self._conn.sock.settimeout(left)
        # Every response of this connection reads its socket against this call's deadline.
        self._conn.response_class = _deadline_response(deadline)
        return self._conn

    def _attempt(self, query: str, attempt: int, deadline: float) -> TaskResponse:
        self.trace(f"GET {self.endpoint.url}/?{query} (attempt {attempt})")
        try:
            conn = self._connection(deadline)
            conn.request("GET", "/?" + query, headers=self.headers(query))
            response = conn.getresponse()
            _check_content_length(response.msg.get_all("content-length") or [])
            headers = {name.lower(): value for name, value in response.getheaders()}
            reader = BodyReader(response.status, headers)
            while chunk := response.read(READ_CHUNK):
                reader.feed(chunk)
            if response.length:  # read in parts, a body cut short is no error to http.client
                raise http.client.IncompleteRead(b"", response.length)
            answer = Answer(response.status, headers, reader.body())
            if response.will_close:
                self.close()
        except (TimeoutError, PastDeadline):
            raise PastDeadline from None
        except (OSError, http.client.HTTPException) as exc:
            raise _network_error(self.endpoint, exc) from None
        return interpret(self.received(answer), attempt, self._clock, self.credentials)


def _check_content_length(values: list[str]) -> None:
    """Refused as the app's HTTP client refuses them: lengths that disagree, in one header
    ("509, 5") or in several, or that are not a number. http.client would read such a
    body to the end of the connection instead."""
    lengths = {part.strip() for value in values for part in value.split(",")}
    if len(lengths) > 1:
        raise http.client.HTTPException("conflicting Content-Length headers")
    if lengths and not all(n.isascii() and n.isdigit() for n in lengths):
        raise http.client.HTTPException("invalid Content-Length header")


def _host_port(url: str) -> tuple[str, int | None]:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return parts.hostname or "", parts.port


def _deadline_response(deadline: float) -> Any:
    def make(sock: socket.socket, *args: Any, **kwargs: Any) -> http.client.HTTPResponse:
        return http.client.HTTPResponse(_DeadlineSocket(sock, deadline), *args, **kwargs)  # type: ignore[arg-type]

    return make


class _DeadlineSocket:
    """What HTTPResponse needs of a socket (makefile), reading against a deadline."""

    def __init__(self, sock: socket.socket, deadline: float) -> None:
        self._sock = sock
        self._deadline = deadline

    def makefile(self, mode: str) -> io.BufferedReader:
        return io.BufferedReader(_DeadlineReader(self._sock, self._deadline))


class _DeadlineReader(io.RawIOBase):
    """The socket's own reader (it keeps the socket open while the response needs it,
    after http.client hands the connection over), each read limited to what is left."""

    def __init__(self, sock: socket.socket, deadline: float) -> None:
        self._sock = sock
        self._raw = sock.makefile("rb", buffering=0)
        self._deadline = deadline

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        left = self._deadline - time.monotonic()
        if left <= 0:
            raise PastDeadline
        self._sock.settimeout(left)
        return self._raw.readinto(buffer) or 0

    def close(self) -> None:
        self._raw.close()
        super().close()


def _network_error(endpoint: Endpoint, exc: BaseException) -> SnaptuiError | Retryable:
    host = endpoint.host
    ssl = sys.modules.get("ssl")
    if ssl is not None and isinstance(exc, ssl.SSLCertVerificationError):
        detail = clean(str(exc.verify_message or exc))[:200]
        message = _("the TLS certificate of {host} was not accepted: {detail}")
        return TransportError(message.format(host=host, detail=detail))
    if isinstance(exc, ConnectionRefusedError | socket.gaierror) or (
        isinstance(exc, OSError) and exc.errno in UNREACHABLE
    ):
        return Retryable(TransportError(connect_failure.message(endpoint, exc)))
    if isinstance(exc, http.client.RemoteDisconnected | ConnectionResetError):
        message = _("the connection was closed unexpectedly by {host}: {detail}")
    elif isinstance(exc, BrokenPipeError):
        message = _("the connection broke while sending to {host}: {detail}")
    elif isinstance(exc, http.client.HTTPException):
        message = _("the answer could not be read from {host}: {detail}")
    else:
        message = _("the connection broke while talking to {host}: {detail}")
    detail = clean(str(exc).splitlines()[0] if str(exc) else type(exc).__name__)[:200]
    return Retryable(TransportError(message.format(host=host, detail=detail)))
