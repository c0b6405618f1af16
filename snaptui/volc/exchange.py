"""One GetSnapshotTask exchange, whatever carries it: the signed request, reading the
answer within limits, and deciding what it means. Shared by the async client (httpx, the
TUI) and the blocking one (http.client, the one-shot CLI); neither decides anything
itself, so both follow the same policy.
"""

from __future__ import annotations

import json
import random
import time
import zlib
from collections.abc import Callable, Mapping
from urllib.parse import urlsplit

from snaptui import __version__
from snaptui.i18n import _
from snaptui.volc.endpoints import (
    ACTION,
    DEFAULT_PRESET,
    DEFAULT_TIMEOUT,
    PRESETS,
    SERVICE,
    VERSION,
    Endpoint,
)
from snaptui.volc.errors import (
    RETRYABLE_STATUSES,
    ApiError,
    CredentialsError,
    MalformedResponseError,
    RequestTimeout,
    SnaptuiError,
    TransportError,
)
from snaptui.volc.ids import ID_FIELDS, validate_id
from snaptui.volc.models import SnapshotTask, TaskResult, parse, read_metadata
from snaptui.volc.ratelimit import RateLimiter, limiter_for
from snaptui.volc.record import Record
from snaptui.volc.safe_text import SafeText, clean
from snaptui.volc.scrub import RawNumber, scrub
from snaptui.volc.secret import Credentials
from snaptui.volc.signing import canonical_query, format_x_date, sign_query

# typing.TYPE_CHECKING's value, without importing typing: a fresh process saves ~3 ms.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, NoReturn

MAX_ATTEMPTS = 3
BACKOFF_BASE = 0.3
MAX_BODY_BYTES = 32 * 1024 * 1024
# Memory follows the number of values, not the bytes: 31 MB of `{},` decode to 2 GB.
# 1.5 million values is about 375,000 streams; a body of short strings just under it
# peaked at 565 MB in `get --output json` (decoded, redacted, dumped), 416 MB in the app.
MAX_JSON_VALUES = 1_500_000
SKEW_WARNING_SECONDS = 60.0
READ_CHUNK = 64 * 1024
# The encodings we ask for and can decode within the size limit.
ACCEPT_ENCODING = "gzip, deflate"

Trace = Callable[[str], None]


class TaskResponse(Record):
    result: TaskResult
    data: object  # the decoded JSON body, our keys and any store's keys redacted
    http_status: int
    clock_skew: float | None  # server Date minus local clock, seconds
    attempts: int

    @property
    def request_id(self) -> SafeText | None:
        return self.result.metadata.RequestId

    @property
    def task(self) -> SnapshotTask:
        return self.result.task


class Answer(Record):
    """What a transport received: status, headers (names lowercased), the decoded body."""

    status: int
    headers: Mapping[str, str]
    body: bytes


class ClientBase:
    """What both clients are made of: endpoint, keys, one deadline, attempts, the account's
    rate limiter, a clock, and an optional trace for --debug."""

    def __init__(
        self,
        credentials: Credentials,
        endpoint: Endpoint | None = None,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        max_attempts: int = MAX_ATTEMPTS,
        rate_limiter: RateLimiter | None = None,
        clock: Callable[[], float] = time.time,
        trace: Trace | None = None,
    ) -> None:
        self.endpoint = endpoint or PRESETS[DEFAULT_PRESET]
        self.credentials = credentials
        self.timeout = timeout
        self.max_attempts = max_attempts
        self.rate_limiter = rate_limiter or limiter_for(credentials.access_key)
        self._clock = clock
        self._trace = trace

    def trace(self, text: str) -> None:
        if self._trace is not None:
            self._trace(text)

    def prepare(self, app_id: str, room_id: str, task_id: str) -> str:
        """The canonical query, after checking the ids and keys (nothing is sent if either
        is unusable)."""
        problem = self.credentials.problem()
        if problem is not None:
            raise CredentialsError(problem)
        return task_query(app_id, room_id, task_id)

    def headers(self, query: str) -> dict[str, str]:
        """The signed headers of one attempt (signed anew: X-Date moves on)."""
        host = urlsplit(self.endpoint.url).netloc
        headers = {
            "Host": host,
            "Accept": "application/json",
            "Accept-Encoding": ACCEPT_ENCODING,
            "User-Agent": f"snaptui/{__version__}",
        }
        signed = sign_query(
            method="GET",
            host=host,
            query=query,
            credentials=self.credentials,
            region=self.endpoint.region,
            service=SERVICE,
            x_date=format_x_date(self._clock()),
        )
        headers.update(signed)
        return headers

    def received(self, answer: Answer) -> Answer:
        """Traces an answer on its way to `interpret` (outside text: the trace cleans it)."""
        self.trace(
            f"HTTP {answer.status}, {len(answer.body)} bytes, headers {dict(answer.headers)}"
        )
        return answer

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.endpoint.url!r}, {self.credentials!r})"


class Retryable(Exception):
    """An attempt failed in a way another attempt may fix."""

    def __init__(self, error: SnaptuiError, retry_after: float | None = None) -> None:
        self.error = error
        self.retry_after = retry_after


class PastDeadline(Exception):
    """The call's deadline passed while an attempt was under way."""


def task_query(app_id: str, room_id: str, task_id: str) -> str:
    """The canonical query, after checking the ids (nothing is sent for an invalid one)."""
    ids = (app_id, room_id, task_id)
    for field, value in zip(ID_FIELDS, ids, strict=True):
        validate_id(field, value)
    return canonical_query(
        [("Action", ACTION), ("Version", VERSION), *zip(ID_FIELDS, ids, strict=True)]
    )


def backoff(attempt: int, retry_after: float | None) -> float:
    """Exponential from about 300 ms with jitter; a server's Retry-After is honoured."""
    delay = BACKOFF_BASE * 2 ** (attempt - 1) * random.uniform(0.75, 1.25)
    return max(delay, retry_after) if retry_after is not None else float(delay)


def timeout_error(endpoint: Endpoint, timeout: float) -> RequestTimeout:
    late = _("no complete answer from {host} within {seconds} s")
    return RequestTimeout(late.format(host=endpoint.host, seconds=f"{timeout:g}"))


class BodyTooLarge(MalformedResponseError):
    pass


def check_size(status: int, size: int) -> None:
    if size > MAX_BODY_BYTES:
        raise BodyTooLarge(
            f"HTTP {status}: "
            + _("the answer is over the {limit} MiB limit ({size} bytes or more)").format(
                limit=MAX_BODY_BYTES // 2**20, size=f"{size:,}"
            ),
            http_status=status,
        )


class BodyReader:
    """Collects a body from raw chunks as they arrive, undoing gzip/deflate on the way and
    counting the bytes after decoding: a small compressed bomb is stopped at the limit,
    never inflated whole."""

    def __init__(self, status: int, headers: Mapping[str, str]) -> None:
        self.status = status
        declared = headers.get("content-length", "")
        if declared.isascii() and declared.isdigit():
            check_size(status, int(declared))
        encoding = headers.get("content-encoding", "identity").strip().lower()
        if encoding in ("gzip", "x-gzip"):
            self._inflate: Any = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif encoding == "deflate":
            self._inflate = zlib.decompressobj()
        elif encoding in ("", "identity"):
            self._inflate = None
        else:
            raise MalformedResponseError(
                f"HTTP {status}: "
                + _("the body is encoded as {encoding}, which was not asked for").format(
                    encoding=repr(clean(encoding)[:40])
                ),
                http_status=status,
            )
        self._chunks: list[bytes] = []
        self._size = 0
        self._compressed = 0
        # Said with any error of the body: the answer never gets as far as its metadata.
        self._request_id = header_request_id(headers)

    def feed(self, raw: bytes) -> None:
        if self._inflate is None:
            self._add(raw)
            return
        self._compressed += len(raw)
        data = raw
        while data:
            if self._inflate.eof:
                # Bytes after the end of the compressed stream: whatever they are, the
                # answer is not what the server meant to send, and is not taken in part.
                self._malformed(_("the compressed body has bytes after its end"))
            try:
                # At most what is still allowed (+1 to see it overflow), whatever the ratio.
                out = self._inflate.decompress(data, MAX_BODY_BYTES - self._size + 1)
            except zlib.error:
                self._malformed(_("the compressed body is corrupt"))
            self._add(out)
            data = self._inflate.unconsumed_tail or self._inflate.unused_data

    def _malformed(self, what: str) -> NoReturn:
        raise MalformedResponseError(
            f"HTTP {self.status}: {what}", http_status=self.status, request_id=self._request_id
        )

    def _add(self, data: bytes) -> None:
        self._size += len(data)
        try:
            check_size(self.status, self._size)
        except MalformedResponseError as exc:
            exc.request_id = self._request_id
            raise
        if data:
            self._chunks.append(data)

    def body(self) -> bytes:
        if self._inflate is not None:
            self._add(self._inflate.flush())
            if self._compressed and not self._inflate.eof:
                self._malformed(_("the compressed body is cut short"))
        return b"".join(self._chunks)


# Headers that may carry an answer's RequestId (the id a support ticket needs): there
# even when the body, which carries it in ResponseMetadata, cannot be read.
REQUEST_ID_HEADERS = ("x-tt-logid", "x-request-id")


def header_request_id(headers: Mapping[str, str]) -> str | None:
    for name in REQUEST_ID_HEADERS:
        value = headers.get(name, "").strip()
        if value:
            return clean(value)[:128]
    return None


def interpret(
    answer: Answer,
    attempt: int,
    clock: Callable[[], float],
    credentials: Credentials | None = None,
) -> TaskResponse:
    """The one place that decides: the answer as a TaskResponse, or the error it means
    (Retryable if worth retrying). What it returns holds only safe, redacted text."""
    status = answer.status
    skew = _clock_skew(answer.headers, clock)
    if 300 <= status < 400:
        raise TransportError(
            _(
                "the server answered HTTP {status}, a redirect{where}; "
                "redirects are not followed (check the endpoint URL)"
            ).format(status=status, where=_where(answer.headers)),
            http_status=status,
        )
    try:
        text, data = decode_json(answer.body)
        data = scrub(data, text, credentials)
        metadata = read_metadata(data) if isinstance(data, dict) else None
    except MalformedResponseError as exc:
        exc.http_status = status
        kind = clean(answer.headers.get("content-type", _("no content type")).split(";")[0])
        size = _("{n} bytes").format(n=len(answer.body))
        exc.args = (f"HTTP {status}: {exc} ({kind[:60]}, {size})",)
        if status in RETRYABLE_STATUSES:
            raise Retryable(exc, _retry_after(answer.headers)) from None
        raise exc from None
    error: SnaptuiError | None = None
    if metadata is not None and metadata.Error is not None:
        error = ApiError(
            code=metadata.Error.Code,
            code_n=metadata.Error.CodeN,
            message=metadata.Error.Message,
            http_status=status,
            request_id=metadata.RequestId,
            clock_skew=skew,
        )
    elif not 200 <= status < 300:
        error = MalformedResponseError(
            f"HTTP {status} " + _("with no error details in the body"),
            http_status=status,
            request_id=metadata.RequestId if metadata else None,
        )
    if error is not None:
        if status in RETRYABLE_STATUSES:
            raise Retryable(error, _retry_after(answer.headers))
        raise error
    return TaskResponse(parse(data, metadata), data, status, skew, attempt)


def _where(headers: Mapping[str, str]) -> str:
    target = headers.get("location", "")
    if not target:
        return ""
    try:
        host = urlsplit(target).hostname or ""
    except ValueError:
        host = ""
    return _(" to {place}").format(place=repr(clean(host or target)[:200]))


def _http_date(value: str) -> float | None:
    # email.utils costs a fresh process ~10 ms: imported only when a date is there.
    from email.utils import parsedate_to_datetime

    try:
        return parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


def _clock_skew(headers: Mapping[str, str], clock: Callable[[], float]) -> float | None:
    date = headers.get("date")
    if not date:
        return None
    moment = _http_date(date)
    return None if moment is None else moment - clock()


def _reject_constant(name: str) -> object:
    raise ValueError(f"{name} is not valid JSON")


def _number(text: str) -> float:
    value = float(text)
    # inf can only come from a finite literal too big for a float (1e400).
    return RawNumber(text) if value in (float("inf"), float("-inf")) else value


def _values_at_least(body: bytes) -> int:
    """A lower bound of the values in a JSON body: every object, list and comma."""
    return body.count(b"{") + body.count(b"[") + body.count(b",")


def decode_json(body: bytes) -> tuple[str, object]:
    """Strict JSON from UTF-8 bytes, and the text it was read from; any failure is a
    MalformedResponseError."""
    if not body.strip():
        raise MalformedResponseError(_("the body is empty"))
    if len(body) > 1 << 20 and _values_at_least(body) > MAX_JSON_VALUES:
        too_many = _("the body holds more than {n} JSON values, too many to show")
        raise MalformedResponseError(too_many.format(n=f"{MAX_JSON_VALUES:,}"))
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        not_utf8 = _("the body is not valid UTF-8 (byte {n})").format(n=exc.start)
        raise MalformedResponseError(not_utf8) from None
    try:
        return text, json.loads(text, parse_constant=_reject_constant, parse_float=_number)
    except RecursionError:
        raise MalformedResponseError(_("the body is JSON nested too deeply to read")) from None
    except ValueError as exc:
        if text.lstrip().startswith("<"):
            raise MalformedResponseError(_("the body is HTML, not JSON")) from None
        detail = exc.msg if isinstance(exc, json.JSONDecodeError) else str(exc)
        not_json = _("the body is not valid JSON ({detail})").format(detail=clean(detail))
        raise MalformedResponseError(not_json) from None


def _retry_after(headers: Mapping[str, str]) -> float | None:
    value = headers.get("retry-after", "").strip()
    if not value:
        return None
    if value.isascii() and value.isdigit():
        return min(float(value), 3600.0)
    moment = _http_date(value)
    return None if moment is None else max(0.0, moment - time.time())
