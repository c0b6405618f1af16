"""The id rule of the API: AppId, RoomId, TaskId (and UserId) are [A-Za-z0-9@._-]{1,128}."""

from __future__ import annotations

from snaptui.i18n import _
from snaptui.volc.errors import InvalidIdError

# typing.TYPE_CHECKING's value, without importing typing: a fresh process saves ~3 ms.
TYPE_CHECKING = False
if TYPE_CHECKING:
    import re

# A set, not a regex: compiling one costs a fresh process more than every check it makes.
ID_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789@._-")
ID_FIELDS = ("AppId", "RoomId", "TaskId")


def is_valid_id(value: str) -> bool:
    return 1 <= len(value) <= 128 and ID_CHARS.issuperset(value)


def __getattr__(name: str) -> re.Pattern[str]:
    # The same rule as a regex, for the simulator and the tests; compiled when asked for.
    if name == "ID_PATTERN":
        import re

        return re.compile(r"[A-Za-z0-9@._-]{1,128}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def validate_id(field: str, value: str) -> str:
    """Raise InvalidIdError unless value matches [A-Za-z0-9@._-]{1,128}."""
    if not value:
        raise InvalidIdError(field, _("is empty"))
    if len(value) > 128:
        too_long = _("is {n} characters long; at most 128 are allowed")
        raise InvalidIdError(field, too_long.format(n=len(value)))
    if not is_valid_id(value):
        bad = next(ch for ch in value if ch not in ID_CHARS)
        shown = repr(bad) if bad.isprintable() else f"U+{ord(bad):04X}"
        raise InvalidIdError(
            field,
            _("contains {char}; only letters, digits and @ . _ - are allowed").format(char=shown),
        )
    return value
