"""The simulated endpoint's logic: strict gateway checks, then the task answer.

Pure request-in, reply-out; the HTTP server around it only moves bytes and
plays out transport faults (latency, resets, trickling).
"""

from __future__ import annotations

import calendar
import hashlib
import itertools
import json
import random
import re
import secrets
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote_plus

from snaptui.simulator import DEMO_ACCESS_KEY, DEMO_SECRET_KEY
from snaptui.simulator.faults import Fault
from snaptui.simulator.tasks import TaskSpec, demo_tasks
from snaptui.volc.endpoints import ACTION, SERVICE, VERSION
from snaptui.volc.ids import ID_PATTERN
from snaptui.volc.ratelimit import API_CEILING_PER_SECOND
from snaptui.volc.secret import Secret
from snaptui.volc.signing import canonical_query, sign_headers

TIMESTAMP_TOLERANCE = 15 * 60
_AUTH = re.compile(
    r"HMAC-SHA256 Credential=(?P<ak>[^/,\s]+)/(?P<date>\d{8})/(?P<region>[^/,\s]+)/"
    r"(?P<service>[^/,\s]+)/request, ?SignedHeaders=(?P<signed>[a-z0-9;-]+), ?"
    r"Signature=(?P<sig>[0-9a-f]{64})"
)

# Code -> (CodeN, HTTP status) for gateway errors, from the reference tables.
GATEWAY_ERRORS: dict[str, tuple[int | None, int]] = {
    "MissingParameter": (100002, 400),
    "MissingRequestInfo": (100004, 400),
    "InvalidTimestamp": (100006, 400),
    "InvalidActionOrVersion": (100008, 404),
    "InvalidAccessKey": (100009, 401),
    "SignatureDoesNotMatch": (100010, 401),
    "FlowLimitExceeded": (100018, 429),
    "InvalidAuthorization": (None, 400),
    "MissingAuthenticationToken": (None, 401),
    "InvalidSecretToken": (None, 401),
    "MethodNotAllowed": (None, 405),
    "InternalError": (100014, 500),
}


@dataclass(frozen=True)
class Account:
    secret_key: Secret
    session_token: Secret | None = None


@dataclass
class Reply:
    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)
    fault: Fault | None = None  # a transport fault for the server to play out


@dataclass
class Stats:
    """What the gateway saw, for benchmarks: the busiest second of each account."""

    answered: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    busiest_second: dict[str, int] = field(default_factory=lambda: defaultdict(int))


class Gateway:
    def __init__(
        self,
        *,
        tasks: list[TaskSpec] | None = None,
        accounts: Mapping[str, Account] | None = None,
        region: str = "cn-north-1",
        clock: Callable[[], float] = time.time,
        faults: list[Fault] | None = None,
        per_second: int = API_CEILING_PER_SECOND,
        seed: int | None = None,
    ) -> None:
        self.tasks = {spec.key: spec for spec in (demo_tasks() if tasks is None else tasks)}
        self.accounts = dict(accounts or {DEMO_ACCESS_KEY: Account(Secret(DEMO_SECRET_KEY))})
        self.region = region
        self.clock = clock
        self.faults = list(faults or [])
        self.per_second = per_second
        self.stats = Stats()
        self._first_query: dict[tuple[str, str, str], float] = {}
        self._admitted: dict[str, deque[float]] = defaultdict(deque)
        self._arrivals: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        # A seed makes RequestIds repeatable, for fixtures and screenshots.
        self._random = random.Random(seed) if seed is not None else None

    # -- the request path ------------------------------------------------------

    def handle(
        self, method: str, target: str, headers: Mapping[str, str], body: bytes = b""
    ) -> Reply:
        request_id = self._request_id()
        try:
            reply = self._handle(
                method, target, {k.lower(): v for k, v in headers.items()}, body, request_id
            )
        except _Refusal as refusal:
            reply = self._error(request_id, refusal.code, refusal.message, refusal.status)
        with self._lock:
            self.stats.answered[reply.status] += 1
        return reply

    def refusal(self, code: str, message: str, status: int | None = None) -> Reply:
        """An error answer in the gateway's shape, for requests refused before `handle`."""
        reply = self._error(self._request_id(), code, message, status)
        with self._lock:
            self.stats.answered[reply.status] += 1
        return reply

    def _handle(
        self, method: str, target: str, headers: dict[str, str], body: bytes, request_id: str
    ) -> Reply:
        path, _, raw_query = target.partition("?")
        try:
            query = _decode_query(raw_query)
        except ValueError:
            raise _Refusal("InvalidParameter", "the query string is not valid UTF-8") from None
        params = dict(query)
        if not params.get("Action") or not params.get("Version"):
            raise _Refusal("MissingParameter", "Action and Version are required")
        access_key = self._authenticate(method, path, query, headers, body)
        if method != "GET":
            raise _Refusal("MethodNotAllowed", f"{method} is not allowed for {ACTION}")
        if params["Action"] != ACTION or params["Version"] != VERSION:
            raise _Refusal(
                "InvalidActionOrVersion",
                f"Action {params['Action']} with Version {params['Version']} is not offered",
            )
        self._count(access_key)
        return self._answer(params, request_id)

    def _authenticate(
        self,
        method: str,
        path: str,
        query: list[tuple[str, str]],
        headers: dict[str, str],
        body: bytes,
    ) -> str:
        authorization = headers.get("authorization", "")
        x_date = headers.get("x-date", "")
        if not authorization:
            raise _Refusal("MissingAuthenticationToken", "no Authorization header")
        if not x_date:
            raise _Refusal("MissingRequestInfo", "no X-Date header")
        match = _AUTH.fullmatch(authorization.strip())
        if not match:
            raise _Refusal("InvalidAuthorization", "the Authorization header is malformed")
        signed_at = _parse_x_date(x_date)
        if signed_at is None:
            raise _Refusal("InvalidTimestamp", f"X-Date {x_date!r} is not YYYYMMDD'T'HHMMSS'Z'")
        if abs(self.clock() - signed_at) > TIMESTAMP_TOLERANCE:
            raise _Refusal(
                "InvalidTimestamp",
                "the request time differs from the server's by more than 15 minutes",
            )
        access_key = match["ak"]
        account = self.accounts.get(access_key)
        if account is None:
            raise _Refusal("InvalidAccessKey", "the AccessKey ID does not exist")
        # Clients sign different header sets (the Node.js SDK signs only x-date, plus the
        # token): any set is valid if it holds x-date, and exactly the listed ones are checked.
        signed = match["signed"].split(";")
        if "x-date" not in signed:
            raise _Refusal("SignatureDoesNotMatch", "x-date must be signed")
        if (match["date"], match["region"], match["service"]) != (x_date[:8], self.region, SERVICE):
            raise _Refusal(
                "SignatureDoesNotMatch",
                f"the credential scope does not match {x_date[:8]}/{self.region}/{SERVICE}/request",
            )
        missing = [name for name in signed if name not in headers]
        if missing:
            raise _Refusal("SignatureDoesNotMatch", f"signed header {missing[0]} was not sent")
        body_hash = hashlib.sha256(body).hexdigest()
        if headers.get("x-content-sha256", body_hash) != body_hash:
            raise _Refusal("SignatureDoesNotMatch", "X-Content-Sha256 does not match the body")
        expected = sign_headers(
            method=method,
            path=path or "/",
            query_string=canonical_query(query),
            headers={name: headers[name] for name in signed},
            access_key=access_key,
            secret_key=account.secret_key,
            region=self.region,
            service=SERVICE,
            x_date=x_date,
            body_sha256=headers.get("x-content-sha256", body_hash),
        )
        if not secrets.compare_digest(expected.signature, match["sig"]):
            raise _Refusal(
                "SignatureDoesNotMatch",
                "the request signature we calculated does not match the signature you provided",
            )
        if account.session_token is not None:
            token = headers.get("x-security-token")
            if (
                token is None
                or "x-security-token" not in signed
                or not secrets.compare_digest(
                    token.encode(), account.session_token.reveal().encode()
                )
            ):
                raise _Refusal("InvalidSecretToken", "the session token is invalid or expired")
        return access_key

    def _count(self, access_key: str) -> None:
        now = time.monotonic()
        with self._lock:
            arrivals = self._arrivals[access_key]
            arrivals.append(now)
            while arrivals[0] <= now - 1.0:
                arrivals.popleft()
            busiest = self.stats.busiest_second
            busiest[access_key] = max(busiest[access_key], len(arrivals))
            admitted = self._admitted[access_key]
            while admitted and admitted[0] <= now - 1.0:
                admitted.popleft()
            if len(admitted) >= self.per_second:
                raise _Refusal(
                    "FlowLimitExceeded",
                    f"more than {self.per_second} requests in one second for this account",
                )
            admitted.append(now)

    def _answer(self, params: dict[str, str], request_id: str) -> Reply:
        missing = [k for k in ("AppId", "RoomId", "TaskId") if not params.get(k)]
        if missing:
            raise _Refusal("MissingParameter", f"{missing[0]} is required")
        for name, code in (
            ("AppId", "IllegalAppId"),
            ("RoomId", "IllegalRoomID"),
            ("TaskId", "IllegalTaskId"),
        ):
            if not ID_PATTERN.fullmatch(params[name]):
                raise _Refusal(f"InvalidParameter.{code}", f"{name} is invalid", 400)
        key = (params["AppId"], params["RoomId"], params["TaskId"])
        spec = self.tasks.get(key)
        if spec is None and not any(k[0] == key[0] for k in self.tasks):
            raise _Refusal("InvalidParameter.NotExistAppId", "the AppId does not exist", 400)
        now = self.clock()
        if spec is not None:
            with self._lock:
                first = self._first_query.setdefault(key, now)
            if spec.expired(first, now):
                spec = None
        if spec is None:
            raise _Refusal(
                "InvalidParameter.ErrorActiveTaskNotFound",
                "task not found (only tasks started in the last 72 h can be queried)",
                400,
            )
        fault = self._fault_for(spec)
        if fault is not None and fault.kind not in ("latency", "trickle", "reset"):
            return self._fault_reply(fault, request_id)
        task = spec.state_at(first, now)
        body = {
            "ResponseMetadata": self._metadata(request_id),
            "Result": {"SnapshotTask": task},
        }
        return Reply(200, _json(body), fault=fault)

    # -- replies -----------------------------------------------------------------

    def _fault_for(self, spec: TaskSpec) -> Fault | None:
        for fault in [*spec.faults, *self.faults]:
            if fault.take():
                return fault
        return None

    def _fault_reply(self, fault: Fault, request_id: str) -> Reply:
        if fault.kind == "http5xx":
            status = fault.status or 502
            page = (
                f"<html><head><title>{status} Bad Gateway</title></head><body>"
                f"<center><h1>{status} Bad Gateway</h1></center><hr><center>nginx</center>"
                "</body></html>"
            )
            return Reply(status, page.encode(), {"Content-Type": "text/html"})
        if fault.kind == "malformed":
            whole = _json(
                {
                    "ResponseMetadata": self._metadata(request_id),
                    "Result": {"SnapshotTask": {"Status": 2, "StartTime": 1}},
                }
            )
            return Reply(200, whole[: len(whole) // 2])
        if fault.kind == "throttle":
            reply = self._error(request_id, "FlowLimitExceeded", "throttled by fault injection")
            reply.headers["Retry-After"] = str(int(fault.seconds) or 1)
            return reply
        if fault.kind == "redirect":
            location = str(fault.body) or "https://elsewhere.example/"
            return Reply(fault.status or 302, b"", {"Location": location})
        body = fault.body if isinstance(fault.body, bytes) else fault.body.encode()
        return Reply(fault.status or 200, body)

    def _metadata(self, request_id: str) -> dict[str, Any]:
        return {
            "RequestId": request_id,
            "Action": ACTION,
            "Version": VERSION,
            "Service": SERVICE,
            "Region": self.region,
        }

    def _error(self, request_id: str, code: str, message: str, status: int | None = None) -> Reply:
        code_n, default_status = GATEWAY_ERRORS.get(code, (None, 400))
        error: dict[str, Any] = {"Code": code, "Message": message}
        if code_n is not None:
            error = {"CodeN": code_n, **error}
        metadata = {**self._metadata(request_id), "Error": error}
        return Reply(status or default_status, _json({"ResponseMetadata": metadata}))

    def _request_id(self) -> str:
        stamp = time.strftime("%Y%m%d%H%M%S", time.gmtime(self.clock()))
        tail = (
            f"{self._random.getrandbits(48):012X}"
            if self._random is not None
            else secrets.token_hex(6).upper()
        )
        return f"{stamp}{next(self._ids):06X}{tail}"


class _Refusal(Exception):
    def __init__(self, code: str, message: str, status: int | None = None) -> None:
        self.code = code
        self.message = message
        self.status = status


def _decode_query(raw: str) -> list[tuple[str, str]]:
    """Form-decode the wire query: '%20' and '+' both mean a space, as the real gateway reads it."""
    pairs = []
    for part in raw.split("&"):
        if part:
            name, _, value = part.partition("=")
            pairs.append(
                (unquote_plus(name, errors="strict"), unquote_plus(value, errors="strict"))
            )
    return pairs


def _parse_x_date(value: str) -> float | None:
    try:
        return float(calendar.timegm(time.strptime(value, "%Y%m%dT%H%M%SZ")))
    except ValueError:
        return None


def _json(data: object) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
