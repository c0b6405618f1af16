"""Volcengine OpenAPI request signing (HMAC-SHA256, V4 style).

`sign()` is the algorithm as a pure function; `sign_query()` gives the headers for a
request whose wire query is exactly the canonical query it signed, so what is sent can
never differ from what was signed. Each transport only adds these headers: no HTTP
library is imported here.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Iterable, Mapping
from urllib.parse import quote, unquote

from snaptui.volc.record import Record
from snaptui.volc.secret import Credentials, Secret

ALGORITHM = "HMAC-SHA256"
EMPTY_BODY_SHA256 = hashlib.sha256(b"").hexdigest()
_UNRESERVED = "-_.~"


def percent_encode(value: str) -> str:
    """RFC 3986 encoding of UTF-8 bytes: only A-Z a-z 0-9 - _ . ~ stay literal."""
    return quote(value, safe=_UNRESERVED)


def canonical_query(params: Iterable[tuple[str, str]]) -> str:
    """Encode, sort by name (byte order, stable for repeated names), join with '&'."""
    encoded = [(percent_encode(k), percent_encode(v)) for k, v in params]
    encoded.sort(key=lambda kv: kv[0])
    return "&".join(f"{k}={v}" for k, v in encoded)


def parse_query(raw: str) -> list[tuple[str, str]]:
    """Split a wire query into decoded pairs. '+' is a literal plus here, not a space."""
    pairs = []
    for part in raw.split("&"):
        if not part:
            continue
        name, _, value = part.partition("=")
        pairs.append((unquote(name, errors="strict"), unquote(value, errors="strict")))
    return pairs


def format_x_date(epoch_seconds: float) -> str:
    return time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(epoch_seconds))


def signing_host(host_header: str) -> str:
    """The Host header as signed: a default port (:80, :443) is dropped, any other kept."""
    for default in (":80", ":443"):
        if host_header.endswith(default):
            return host_header[: -len(default)]
    return host_header


class Signature(Record):
    x_date: str
    canonical_query: str
    canonical_request: str
    credential_scope: str
    string_to_sign: str
    signed_headers: str
    signature: str
    authorization: str


def sign(
    *,
    method: str,
    host: str,
    path: str,
    query: Iterable[tuple[str, str]],
    credentials: Credentials,
    region: str,
    service: str,
    x_date: str,
    body_sha256: str = EMPTY_BODY_SHA256,
    extra_headers: Mapping[str, str] | None = None,
) -> Signature:
    headers = dict(extra_headers or {})
    headers["host"] = host
    headers["x-date"] = x_date
    headers["x-content-sha256"] = body_sha256
    if credentials.session_token:
        headers["x-security-token"] = credentials.session_token.reveal()
    return sign_headers(
        method=method,
        path=path,
        query_string=canonical_query(query),
        headers=headers,
        access_key=credentials.access_key,
        secret_key=credentials.secret_key,
        region=region,
        service=service,
        x_date=x_date,
        body_sha256=body_sha256,
    )


def sign_headers(
    *,
    method: str,
    path: str,
    query_string: str,
    headers: Mapping[str, str],
    access_key: str,
    secret_key: Secret,
    region: str,
    service: str,
    x_date: str,
    body_sha256: str,
) -> Signature:
    """Sign exactly the given headers (all of them) over an already canonical query.

    Shared with the simulator, which recomputes a signature over whatever
    SignedHeaders a client chose.
    """
    canonical = {name.lower(): value.strip() for name, value in headers.items()}
    if "host" in canonical:
        canonical["host"] = signing_host(canonical["host"])
    names = sorted(canonical)
    signed_headers = ";".join(names)
    canonical_request = "\n".join(
        [
            method.upper(),
            path or "/",
            query_string,
            "".join(f"{name}:{canonical[name]}\n" for name in names),
            signed_headers,
            body_sha256,
        ]
    )
    scope = f"{x_date[:8]}/{region}/{service}/request"
    string_to_sign = "\n".join(
        [ALGORITHM, x_date, scope, hashlib.sha256(canonical_request.encode()).hexdigest()]
    )
    key = signing_key(secret_key, x_date[:8], region, service)
    signature = hmac.new(key, string_to_sign.encode(), hashlib.sha256).hexdigest()
    return Signature(
        x_date=x_date,
        canonical_query=query_string,
        canonical_request=canonical_request,
        credential_scope=scope,
        string_to_sign=string_to_sign,
        signed_headers=signed_headers,
        signature=signature,
        authorization=(
            f"{ALGORITHM} Credential={access_key}/{scope}, "
            f"SignedHeaders={signed_headers}, Signature={signature}"
        ),
    )


def signing_key(secret_key: Secret, short_date: str, region: str, service: str) -> bytes:
    """kSigning = HMAC chain from the raw SecretKey over date, region, service, 'request'."""
    key = secret_key.hmac_sha256(short_date)
    for part in (region, service, "request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    return key


def sign_query(
    *,
    method: str,
    host: str,
    query: str,
    credentials: Credentials,
    region: str,
    service: str,
    x_date: str,
    path: str = "/",
    extra_headers: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """The headers that sign a body-less request to `host` whose wire query is `query`,
    already canonical (see `canonical_query`). A header in `extra_headers` is signed too
    and must be sent as given."""
    signed = sign(
        method=method,
        host=host,
        path=path,
        query=parse_query(query),
        credentials=credentials,
        region=region,
        service=service,
        x_date=x_date,
        extra_headers=extra_headers,
    )
    if signed.canonical_query != query:
        raise ValueError("the query to send is not in canonical form")
    headers = {"X-Date": x_date, "X-Content-Sha256": EMPTY_BODY_SHA256}
    if credentials.session_token:
        headers["X-Security-Token"] = credentials.session_token.reveal().strip()
    headers["Authorization"] = signed.authorization
    return headers
