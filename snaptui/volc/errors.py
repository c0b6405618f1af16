"""What can go wrong when asking for a snapshot task, one class per kind.

Every message is one line a person can act on; `hint` says what to do.
"""

from __future__ import annotations

from snaptui.volc.timefmt import format_duration

# Hints by Code. Dotted codes (`InvalidParameter.IllegalRoomID`) fall back to
# their family (`InvalidParameter`) when the full code has no entry.
HINTS: dict[str, str] = {
    "MissingParameter": "A required field is missing: check App ID, Room ID and Task ID.",
    "MissingRequestInfo": "The request was not signed completely. This is a client bug; "
    "please report it.",
    "InvalidTimestamp": "Your computer clock is off. Sync the system time (UTC) and retry.",
    "ServiceNotFound": "Service 'rtc' was not found at this endpoint; check the endpoint setting.",
    "InvalidActionOrVersion": "This endpoint does not offer GetSnapshotTask 2023-11-01; "
    "check the endpoint/region.",
    "InvalidAccessKey": "Access Key ID not recognised. Check for typos or stray spaces, "
    "and that the key is enabled.",
    "SignatureDoesNotMatch": "Secret Access Key rejected. Re-enter it; also check the region "
    "matches the endpoint.",
    "LackPolicy": "This IAM user has no RTC permission. Ask an admin to grant RTC read access.",
    "AccessDenied": "Access denied for this action. Ask an admin to grant the needed RTC policy.",
    "InternalError": "Volcengine had an internal error. Retry shortly; if it persists, "
    "report the RequestId.",
    "InternalServiceTimeout": "The service timed out. Retry in a moment.",
    "FlowLimitExceeded": "Too many requests (limit 60/s per account). Wait a moment; "
    "refreshing slower.",
    "ServiceUnavailableTemp": "Service temporarily unavailable. Retrying...",
    "FailToConnect": "Could not reach the service. Retrying...",
    "InternalServiceError": "Service error. Retry shortly.",
    "MethodNotAllowed": "Wrong HTTP method: client bug, please report.",
    "InvalidAuthorization": "Malformed signature header: client bug, please report.",
    "InvalidCredential": "Malformed credential: check the AK has no spaces or slashes.",
    "MissingAuthenticationToken": "No credentials were sent. Set AK/SK first.",
    "MissingSignature": "No signature was sent: client bug, please report.",
    "InvalidSecretToken": "Session token invalid or expired. Get new temporary credentials.",
    "LackProjectPolicy": "No permission in this project. Ask an admin to grant project access.",
    "UndefinedError": "Unexpected service error. Retry; report the RequestId if it persists.",
    "InvalidParameter": "Invalid input: {message}",
    "InvalidParameter.IllegalRoomID": "Room ID may only use letters, digits and @ . _ - (max 128).",
    "InvalidParameter.IllegalAppId": "App ID not found: copy it from the RTC console.",
    "InvalidParameter.NotExistAppId": "App ID not found: copy it from the RTC console.",
    "InvalidParameter.ErrorActiveTaskNotFound": "No such snapshot task (only tasks started in "
    "the last 72 h can be queried).",
    "InvalidParameter.AccountIdMismatch": "This App ID belongs to another account than these keys.",
    "FlowLimitExceeded.QPSOverLimit": "Too many requests. Waiting before the next refresh.",
    "AccessDenied.NoPermissionForApp": "These keys may not access this App ID.",
    "AccessDenied.ServiceNotEnabled": "Enable the required service in the RTC console.",
    "InternalError.*": "RTC internal error. Retry; report the RequestId if it persists.",
}


def hint_for(code: str, message: str = "") -> str:
    """The hint for a Code: exact match first, then `Family.*`, then the family."""
    family = code.split(".", 1)[0]
    for key in (code, f"{family}.*", family):
        if key in HINTS:
            return HINTS[key].replace("{message}", message or code)
    return ""


class SnaptuiError(Exception):
    """Base of every error snaptui reports to a person. Its message is terminal-safe: the
    parts that came from outside were cleaned where they were read."""

    @property
    def summary(self) -> str:
        return str(self)


class InvalidIdError(SnaptuiError, ValueError):
    """An AppId, RoomId or TaskId that the API would reject; caught before sending."""

    def __init__(self, field: str, reason: str) -> None:
        self.field = field
        self.reason = reason
        super().__init__(f"{field}: {reason}")


class InvalidEndpointError(SnaptuiError, ValueError):
    """An endpoint preset or URL that snaptui will not send keys to."""


class InvalidSettingError(SnaptuiError, ValueError):
    """A region, interval or other option value that cannot be used."""


class CredentialsError(SnaptuiError):
    """No usable AccessKey/SecretKey."""


class ApiError(SnaptuiError):
    """The server answered with an error: a non-2xx status or ResponseMetadata.Error."""

    def __init__(
        self,
        *,
        code: str,
        message: str,
        http_status: int,
        request_id: str | None = None,
        code_n: int | None = None,
        clock_skew: float | None = None,
    ) -> None:
        self.code = code
        self.message = message
        self.http_status = http_status
        self.request_id = request_id
        self.code_n = code_n
        self.clock_skew = clock_skew
        super().__init__(f"{code}: {message}" if message else code)

    @property
    def hint(self) -> str:
        hint = hint_for(self.code, self.message)
        if self.code == "InvalidTimestamp" and self.clock_skew is not None:
            hint = f"{describe_skew(self.clock_skew)}. {hint}"
        return hint

    @property
    def retryable(self) -> bool:
        return self.http_status in RETRYABLE_STATUSES


class TransportError(SnaptuiError):
    """The request did not get a usable answer: network, timeout, redirect."""

    def __init__(self, message: str, *, http_status: int | None = None) -> None:
        self.http_status = http_status
        super().__init__(message)


class RequestTimeout(TransportError):
    pass


class MalformedResponseError(SnaptuiError):
    """An answer that is not the documented shape: not JSON, wrong types, too big."""

    def __init__(
        self,
        message: str,
        *,
        http_status: int | None = None,
        path: str | None = None,
        request_id: str | None = None,
    ) -> None:
        self.http_status = http_status
        self.path = path
        self.request_id = request_id
        super().__init__(message)


RETRYABLE_STATUSES = frozenset({429, 500, 502, 503, 504})


def describe_skew(skew_seconds: float) -> str:
    """'Your clock is 5 min 3 s behind the server' for a skew of server minus local time."""
    direction = "behind" if skew_seconds > 0 else "ahead of"
    return f"Your clock is {format_duration(abs(skew_seconds))} {direction} the server"
