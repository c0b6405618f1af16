"""VolcAuth: the signing as an httpx `Auth` flow, for code that builds its own httpx
requests (the simulator's tests and tools). snaptui's own clients add the headers of
`signing.sign_query` themselves; this adapter signs whatever query a request carries
and rewrites it to the exact canonical string it signed."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Generator

import httpx

from snaptui.volc.secret import Credentials
from snaptui.volc.signing import format_x_date, parse_query, sign


class VolcAuth(httpx.Auth):
    """Signs each request; the wire query becomes the canonical query it signed."""

    requires_request_body = True

    def __init__(
        self,
        credentials: Credentials,
        region: str,
        service: str = "rtc",
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._credentials = credentials
        self._region = region
        self._service = service
        self._clock = clock

    def __repr__(self) -> str:
        return f"VolcAuth(region={self._region!r}, service={self._service!r})"

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        query = parse_query(request.url.query.decode("ascii"))
        body_sha256 = hashlib.sha256(request.content).hexdigest()
        signed = sign(
            method=request.method,
            host=request.headers["Host"],
            path=request.url.raw_path.split(b"?", 1)[0].decode("ascii") or "/",
            query=query,
            credentials=self._credentials,
            region=self._region,
            service=self._service,
            x_date=format_x_date(self._clock()),
            body_sha256=body_sha256,
            # A Content-Type that is sent is also signed, as the Go SDK does.
            extra_headers={
                name: request.headers[name] for name in ("Content-Type",) if name in request.headers
            },
        )
        request.url = request.url.copy_with(query=signed.canonical_query.encode("ascii"))
        request.headers["X-Date"] = signed.x_date
        request.headers["X-Content-Sha256"] = body_sha256
        if self._credentials.session_token:
            request.headers["X-Security-Token"] = self._credentials.session_token.reveal().strip()
        request.headers["Authorization"] = signed.authorization
        yield request
