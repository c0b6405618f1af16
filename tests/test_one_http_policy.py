"""The app's client and the one-shot client read a malformed answer the same way: a
Content-Length that disagrees with itself or is no number, a redirect whose Location is
not a URL."""

from __future__ import annotations

import pytest

from snaptui.volc.blocking import BlockingRtcClient
from snaptui.volc.client import RtcClient
from snaptui.volc.endpoints import resolve_endpoint
from snaptui.volc.errors import SnaptuiError, TransportError
from snaptui.volc.ratelimit import RateLimiter
from tests.helpers import DEMO_CREDS, DEMO_ENV, cli, run
from tests.hostile_server import Answer, HostileServer, task_body


def ask(url: str, kind: str) -> None:
    endpoint = resolve_endpoint(url)
    if kind == "blocking":
        with BlockingRtcClient(DEMO_CREDS, endpoint, timeout=5, rate_limiter=RateLimiter()) as c:
            c.get_snapshot_task("a", "r", "t")
        return

    async def go() -> None:
        async with RtcClient(DEMO_CREDS, endpoint, timeout=5, rate_limiter=RateLimiter()) as c:
            await c.get_snapshot_task("a", "r", "t")

    run(go())


@pytest.mark.parametrize(
    ("length", "code"),
    [(b"{n}, 5", 5), (b"-1", 5), (b"{n}, {n}", 0)],
    ids=["two-lengths", "negative", "the-same-twice"],
)
def test_a_content_length_that_is_not_one_number_is_refused_by_get(
    length: bytes, code: int
) -> None:
    body = task_body()
    value = length.replace(b"{n}", str(len(body)).encode())
    answer = Answer(200, body, [("Content-Length", value)], content_length=False)
    with HostileServer(answer) as server:
        done = cli("get", "--endpoint", server.url, "--timeout", "5", "a", "r", "t", env=DEMO_ENV)
    assert done.code == code
    if code:
        assert "Content-Length" in done.err
        assert len(done.err.strip().splitlines()) == 1


@pytest.mark.parametrize("kind", ["blocking", "async"])
def test_a_redirect_to_no_url_is_said_as_a_redirect_and_not_retried(kind: str) -> None:
    location = b"http://exa\x1b]2;pwned\x07mple.com:99999/x"
    answer = Answer(302, b"", [("Location", location)])
    with HostileServer(answer) as server:
        with pytest.raises(SnaptuiError) as caught:
            ask(server.url, kind)
        assert len(server.requests) == 1
    assert isinstance(caught.value, TransportError)
    message = str(caught.value)
    assert "HTTP 302" in message and "redirect" in message
    assert "\x1b" not in message and "\x07" not in message


@pytest.mark.parametrize("kind", ["blocking", "async"])
def test_a_body_shorter_than_its_content_length_is_refused(kind: str) -> None:
    body = task_body()
    answer = Answer(200, body, [("Content-Length", b"100000")], content_length=False)
    with HostileServer(answer) as server, pytest.raises(SnaptuiError) as caught:
        ask(server.url, kind)
    assert isinstance(caught.value, TransportError)
