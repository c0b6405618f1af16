"""What can go wrong when asking for a snapshot task, one class per kind.

Every message is one line a person can act on; `hint` says what to do.
"""

from __future__ import annotations

from snaptui.i18n import N_, _, translate
from snaptui.volc.timefmt import format_duration

# Hints by Code. Dotted codes (`InvalidParameter.IllegalRoomID`) fall back to
# their family (`InvalidParameter`) when the full code has no entry.
HINTS: dict[str, str] = {
    "MissingParameter": N_("A required field is missing: check App ID, Room ID and Task ID."),
    "MissingRequestInfo": N_(
        "The request was not signed completely. This is a client bug; please report it."
    ),
    "InvalidTimestamp": N_("Your computer clock is off. Sync the system time (UTC) and retry."),
    "ServiceNotFound": N_(
        "Service 'rtc' was not found at this endpoint; check the endpoint setting."
    ),
    "InvalidActionOrVersion": N_(
        "This endpoint does not offer GetSnapshotTask 2023-11-01; check the endpoint/region."
    ),
    "InvalidAccessKey": N_(
        "Access Key ID not recognised. Check for typos or stray spaces, "
        "and that the key is enabled."
    ),
    "SignatureDoesNotMatch": N_(
        "Secret Access Key rejected. Re-enter it; also check the region matches the endpoint."
    ),
    "LackPolicy": N_("This IAM user has no RTC permission. Ask an admin to grant RTC read access."),
    "AccessDenied": N_(
        "Access denied for this action. Ask an admin to grant the needed RTC policy."
    ),
    "InternalError": N_(
        "Volcengine had an internal error. Retry shortly; if it persists, report the RequestId."
    ),
    "InternalServiceTimeout": N_("The service timed out. Retry in a moment."),
    "FlowLimitExceeded": N_(
        "Too many requests (limit 60/s per account). Wait a moment; refreshing slower."
    ),
    "ServiceUnavailableTemp": N_("Service temporarily unavailable. Retrying..."),
    "FailToConnect": N_("Could not reach the service. Retrying..."),
    "InternalServiceError": N_("Service error. Retry shortly."),
    "MethodNotAllowed": N_("Wrong HTTP method: client bug, please report."),
    "InvalidAuthorization": N_("Malformed signature header: client bug, please report."),
    "InvalidCredential": N_("Malformed credential: check the AK has no spaces or slashes."),
    "MissingAuthenticationToken": N_("No credentials were sent. Set AK/SK first."),
    "MissingSignature": N_("No signature was sent: client bug, please report."),
    "InvalidSecretToken": N_("Session token invalid or expired. Get new temporary credentials."),
    "LackProjectPolicy": N_("No permission in this project. Ask an admin to grant project access."),
    "UndefinedError": N_("Unexpected service error. Retry; report the RequestId if it persists."),
    "InvalidParameter": N_("Invalid input: {message}"),
    "InvalidParameter.IllegalRoomID": N_(
        "Room ID may only use letters, digits and @ . _ - (max 128)."
    ),
    "InvalidParameter.IllegalAppId": N_("App ID not found: copy it from the RTC console."),
    "InvalidParameter.NotExistAppId": N_("App ID not found: copy it from the RTC console."),
    "InvalidParameter.ErrorActiveTaskNotFound": N_(
        "No such snapshot task (only tasks started in the last 72 h can be queried)."
    ),
    "InvalidParameter.AccountIdMismatch": N_(
        "This App ID belongs to another account than these keys."
    ),
    "FlowLimitExceeded.QPSOverLimit": N_("Too many requests. Waiting before the next refresh."),
    "AccessDenied.NoPermissionForApp": N_("These keys may not access this App ID."),
    "AccessDenied.ServiceNotEnabled": N_("Enable the required service in the RTC console."),
    "InternalError.*": N_("RTC internal error. Retry; report the RequestId if it persists."),
}


def hint_for(code: str, message: str = "") -> str:
    """The hint for a Code: exact match first, then `Family.*`, then the family."""
    family = code.split(".", 1)[0]
    for key in (code, f"{family}.*", family):
        if key in HINTS:
            return translate(HINTS[key]).replace("{message}", message or code)
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
    off = (
        _("Your clock is {duration} behind the server")
        if skew_seconds > 0
        else _("Your clock is {duration} ahead of the server")
    )
    return off.format(duration=format_duration(abs(skew_seconds)))
