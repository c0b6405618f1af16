"""The id rule of the API: AppId, RoomId, TaskId (and UserId) are [A-Za-z0-9@._-]{1,128}."""

from __future__ import annotations

import re

from snaptui.volc.errors import InvalidIdError

ID_PATTERN = re.compile(r"[A-Za-z0-9@._-]{1,128}")
ID_FIELDS = ("AppId", "RoomId", "TaskId")


def validate_id(field: str, value: str) -> str:
    """Raise InvalidIdError unless value matches [A-Za-z0-9@._-]{1,128}."""
    if not value:
        raise InvalidIdError(field, "is empty")
    if len(value) > 128:
        raise InvalidIdError(field, f"is {len(value)} characters long; at most 128 are allowed")
    if not ID_PATTERN.fullmatch(value):
        bad = next(ch for ch in value if not ID_PATTERN.fullmatch(ch))
        shown = repr(bad) if bad.isprintable() else f"U+{ord(bad):04X}"
        raise InvalidIdError(
            field, f"contains {shown}; only letters, digits and @ . _ - are allowed"
        )
    return value
