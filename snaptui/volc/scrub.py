"""The decoded answer made safe to keep: our own keys out, other stores' keys out, and a
depth that every later step (printing, the JSON view, export) can walk without recursing
too deep.

Done once, where an answer is received, so every view of it is covered by construction.
It walks the decoded JSON rather than replacing text in the body: a server can spell a
key with `\\uXXXX` escapes that a text replace would not see.
"""

from __future__ import annotations

from collections.abc import Callable

from snaptui.i18n import _
from snaptui.volc.errors import MalformedResponseError
from snaptui.volc.secret import Credentials

# typing.TYPE_CHECKING's value, without importing typing: a fresh process saves ~3 ms.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

REDACTED = "<redacted>"
# Keys whose values are credentials of some store; never kept, whoever sends them.
SECRET_FIELDS = frozenset(
    {"accesskey", "secretkey", "accesskeyid", "secretaccesskey", "sessiontoken", "securitytoken"}
)
# The answer is six levels deep; anything near Python's recursion limit is an attack.
MAX_DEPTH = 64


class RawNumber(float):
    """A number too big for a float (`1e400`), kept as written so it is printed back as
    written rather than as `Infinity`, which is not JSON."""

    text: str

    def __new__(cls, text: str) -> RawNumber:
        number = super().__new__(cls, text)
        number.text = text
        return number


def scrub(data: Any, body_text: str, credentials: Credentials | None) -> Any:
    """`data` (decoded from `body_text`) with our keys and secret-named fields redacted;
    MalformedResponseError if it is nested deeper than MAX_DEPTH."""
    if _count_containers(body_text) > MAX_DEPTH and not _within_depth(data):
        raise _too_deep()
    # A string of the decoded body can hold a key only if the body text does, unless an
    # escape spelled it: most answers need no copy at all.
    escaped = "\\" in body_text
    mine = credentials is not None and (escaped or credentials.appears_in(body_text))
    if mine or escaped or _names_a_secret_field(body_text):
        return _redact(data, credentials.redact if mine and credentials else None)
    return data


def _too_deep() -> MalformedResponseError:
    deep = _("the body is JSON nested more than {n} levels deep")
    return MalformedResponseError(deep.format(n=MAX_DEPTH))


def _names_a_secret_field(text: str) -> bool:
    lowered = text.lower()
    return any(name in lowered for name in SECRET_FIELDS)


def redact_fields(data: Any) -> Any:
    """A copy with every secret-named field's value replaced (no key strings known)."""
    _check_depth(data)
    return _redact(data, None)


def _count_containers(text: str) -> int:
    return text.count("[") + text.count("{")


def _check_depth(data: Any) -> None:
    if not _within_depth(data):
        raise _too_deep()


def _within_depth(data: Any) -> bool:
    """Level by level, without recursing (the point is not to recurse into whatever a
    server nested), and only through containers: a few ms for 10,000 streams."""
    level = [data]
    for _level in range(MAX_DEPTH):
        deeper = []
        for value in level:
            children = value.values() if type(value) is dict else value
            deeper.extend([c for c in children if type(c) is dict or type(c) is list])
        if not deeper:
            return True
        level = deeper
    return False


def _redact(data: Any, redact_text: Callable[[str], str] | None) -> Any:
    """Recursive, after the depth was checked (or the body is too flat to need it)."""

    def text(value: str) -> str:
        return redact_text(value) if redact_text is not None else value

    def walk(value: Any) -> Any:
        if isinstance(value, str):
            return text(value)
        if isinstance(value, dict):
            return {
                text(k): (REDACTED if k.lower() in SECRET_FIELDS and v is not None else walk(v))
                for k, v in value.items()
            }
        if isinstance(value, list):
            return [walk(v) for v in value]
        return value

    return walk(data)
