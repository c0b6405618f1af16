"""Signing: the official SDKs' vectors byte for byte, the official signer as an oracle,
and what actually goes on the wire."""

from __future__ import annotations

import datetime
import json
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from snaptui.volc.secret import Credentials, Secret
from snaptui.volc.signing import (
    canonical_query,
    format_x_date,
    sign,
    sign_query,
    signing_host,
)
from tests.helpers import DATA

VECTORS = json.loads((DATA / "volcengine-signing.json").read_text())["vectors"]


def _creds(v: dict[str, Any]) -> Credentials:
    token = v["session_token"]
    return Credentials(
        v["access_key_id"], Secret(v["secret_access_key"]), Secret(token) if token else None
    )


@pytest.mark.parametrize("v", VECTORS, ids=[v["name"] for v in VECTORS])
def test_vector_byte_for_byte(v: dict[str, Any]) -> None:
    signed = sign(
        method=v["method"],
        host=v["host"],
        path=v["path"],
        query=list(v["query"].items()),
        credentials=_creds(v),
        region=v["region"],
        service=v["service"],
        x_date=v["x_date"],
        extra_headers=v["extra_signed_headers"],
    )
    assert signed.canonical_query == v["canonical_query_string"]
    assert signed.canonical_request == v["canonical_request"]
    assert signed.string_to_sign == v["string_to_sign"]
    assert signed.credential_scope == v["credential_scope"]
    assert signed.signed_headers == v["signed_headers"]
    assert signed.authorization == v["authorization"]


@pytest.mark.parametrize("v", VECTORS, ids=[v["name"] for v in VECTORS])
def test_signed_headers_match_the_vector(v: dict[str, Any]) -> None:
    """The headers a transport sends, for the canonical wire query."""
    headers = sign_query(
        method=v["method"],
        host=v["host"],
        query=v["canonical_query_string"],
        credentials=_creds(v),
        region=v["region"],
        service=v["service"],
        x_date=v["x_date"],
        extra_headers=v["extra_signed_headers"],
    )
    assert headers["Authorization"] == v["authorization"]
    assert headers["X-Date"] == v["x_date"]
    assert headers["X-Content-Sha256"] == v["body_sha256"]
    assert headers.get("X-Security-Token") == (v["session_token"] or None)


def test_a_query_not_in_canonical_form_is_refused() -> None:
    v = VECTORS[0]
    with pytest.raises(ValueError, match="canonical"):
        sign_query(
            method="GET",
            host=v["host"],
            query="b=1&a=2",
            credentials=_creds(v),
            region="cn-north-1",
            service="rtc",
            x_date=v["x_date"],
        )


@pytest.mark.parametrize("v", VECTORS, ids=[v["name"] for v in VECTORS])
def test_auth_sends_exactly_what_it_signed(v: dict[str, Any]) -> None:
    """The httpx adapter (for code that builds its own requests): the wire query is the
    canonical string; headers match the vector."""
    from snaptui.volc.httpx_auth import VolcAuth

    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={})

    stamp = datetime.datetime.strptime(v["x_date"], "%Y%m%dT%H%M%SZ").replace(tzinfo=datetime.UTC)
    auth = VolcAuth(_creds(v), v["region"], v["service"], clock=stamp.timestamp)
    headers = {"Host": v["host"], **v["extra_signed_headers"]}
    # Start from the SDK's form-encoded wire URL: the auth must canonicalise it.
    url = v["sdk_wire_url"].replace("+", "%20")
    with httpx.Client(transport=httpx.MockTransport(handler), auth=auth) as client:
        client.get(url, headers=headers)
    request = seen[0]
    assert request.url.query.decode() == v["canonical_query_string"]
    assert request.headers["Authorization"] == v["authorization"]
    assert request.headers["X-Date"] == v["x_date"]
    assert request.headers["X-Content-Sha256"] == v["body_sha256"]
    if v["session_token"]:
        assert request.headers["X-Security-Token"] == v["session_token"]
    else:
        assert "X-Security-Token" not in request.headers


def test_host_port_rule() -> None:
    assert signing_host("127.0.0.1:8443") == "127.0.0.1:8443"
    assert signing_host("rtc.volcengineapi.com:443") == "rtc.volcengineapi.com"
    assert signing_host("localhost:80") == "localhost"
    assert signing_host("localhost:8080") == "localhost:8080"


def test_canonical_query_encoding() -> None:
    assert canonical_query([("b", "a b"), ("A", "+/=*~@")]) == "A=%2B%2F%3D%2A~%40&b=a%20b"


def _official_signature(
    query: dict[str, str], creds: Credentials, region: str, x_date: str, monkeypatch: Any
) -> str:
    from volcenginesdkcore import signv4

    moment = datetime.datetime.strptime(x_date, "%Y%m%dT%H%M%SZ")

    class PinnedDateTime(datetime.datetime):
        @classmethod
        def utcnow(cls) -> datetime.datetime:  # type: ignore[override]
            return moment

    monkeypatch.setattr(signv4.datetime, "datetime", PinnedDateTime)
    headers = {"Host": "rtc.volcengineapi.com"}
    token = creds.session_token.reveal() if creds.session_token else None
    signv4.SignerV4.sign(
        "/",
        "GET",
        headers,
        "",
        {},
        list(query.items()),
        creds.access_key,
        creds.secret_key.reveal(),
        region,
        "rtc",
        token,
    )
    return headers["Authorization"]


def assert_same_as_official(
    ids: tuple[str, str, str], creds: Credentials, region: str, x_date: str, monkeypatch: Any
) -> None:
    query = {"Action": "GetSnapshotTask", "Version": "2023-11-01", "AppId": ids[0],
             "RoomId": ids[1], "TaskId": ids[2]}  # fmt: skip
    ours = sign(method="GET", host="rtc.volcengineapi.com", path="/", query=list(query.items()),
                credentials=creds, region=region, service="rtc", x_date=x_date)  # fmt: skip
    assert ours.authorization == _official_signature(query, creds, region, x_date, monkeypatch)


any_id = st.text(min_size=0, max_size=40)
NO_FIXTURE_CHECK = [HealthCheck.function_scoped_fixture]


@settings(max_examples=500, deadline=None, suppress_health_check=NO_FIXTURE_CHECK)
@given(
    ids=st.tuples(any_id, any_id, any_id),
    secret=st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=40),
    token=st.none()
    | st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef0123456789+/=", min_size=1, max_size=60),
    region=st.sampled_from(["cn-north-1", "ap-singapore-1", "ap-southeast-1"]),
    when=st.integers(min_value=0, max_value=4102444799),
)
def test_matches_official_signer(
    ids: tuple[str, str, str],
    secret: str,
    token: str | None,
    region: str,
    when: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    creds = Credentials("AKLTproperty", Secret(secret), Secret(token) if token else None)
    assert_same_as_official(ids, creds, region, format_x_date(when), monkeypatch)


@pytest.mark.slow
@settings(max_examples=2000, deadline=None, suppress_health_check=NO_FIXTURE_CHECK)
@given(ids=st.tuples(*(st.text(max_size=128),) * 3))
def test_matches_official_signer_long(
    ids: tuple[str, str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    creds = Credentials("AKLTproperty", Secret("sk"), None)
    assert_same_as_official(ids, creds, "cn-north-1", "20240315T083000Z", monkeypatch)
