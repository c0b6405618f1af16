"""Exit codes of the command line, mapped from the core's error classes (the core itself
knows nothing of them)."""

from __future__ import annotations

from snaptui.volc.errors import (
    ApiError,
    CredentialsError,
    InvalidEndpointError,
    InvalidIdError,
    InvalidSettingError,
    MalformedResponseError,
    SnaptuiError,
    TransportError,
)

EXIT_OK, EXIT_USAGE, EXIT_CREDENTIALS, EXIT_API, EXIT_NETWORK, EXIT_TASK_FAILED = 0, 2, 3, 4, 5, 6
EXIT_INTERNAL = 1
EXIT_INTERRUPTED = 130


class UsageError(SnaptuiError):
    """A command line that cannot be run as given."""


_BY_CLASS: tuple[tuple[type[SnaptuiError], int], ...] = (
    (UsageError, EXIT_USAGE),
    (InvalidIdError, EXIT_USAGE),
    (InvalidEndpointError, EXIT_USAGE),
    (InvalidSettingError, EXIT_USAGE),
    (CredentialsError, EXIT_CREDENTIALS),
    (ApiError, EXIT_API),
    (TransportError, EXIT_NETWORK),
    (MalformedResponseError, EXIT_NETWORK),
)


def exit_code_for(exc: SnaptuiError) -> int:
    for cls, code in _BY_CLASS:
        if isinstance(exc, cls):
            return code
    return EXIT_INTERNAL
