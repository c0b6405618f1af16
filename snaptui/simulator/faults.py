"""Faults the simulator can inject, per task or for a whole run.

A fault with `times = N` hits only the first N requests it sees, which gives
"unavailable, then fine" and "throttled, then fine" stories.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from snaptui.i18n import _

KINDS = {
    "latency": "wait `seconds` before answering normally",
    "http5xx": "answer `status` (default 502) with an HTML error page, as a proxy would",
    "malformed": "answer 200 with truncated JSON",
    "reset": "reset the connection without answering",
    "trickle": "send the normal answer a few bytes at a time over `seconds`",
    "throttle": "answer 429 FlowLimitExceeded with Retry-After",
    "body": "answer `status` (default 200) with `body` exactly as given",
    "redirect": "answer 302 with Location `body` (default another host)",
}


@dataclass
class Fault:
    kind: str
    seconds: float = 0.0
    status: int | None = None
    body: str | bytes = ""
    times: int | None = None
    _hits: int = field(default=0, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def take(self) -> bool:
        """True if this fault applies to the current request (and count it)."""
        with self._lock:
            if self.times is not None and self._hits >= self.times:
                return False
            self._hits += 1
            return True


# Long enough for any story a test tells; a bound keeps sleep() from failing mid-request.
MAX_SECONDS = 3600.0
_SETTINGS = ("seconds", "status", "times", "body")


def parse_fault(raw: Any, where: str = "fault") -> Fault:
    if isinstance(raw, str):
        raw = _parse_short(raw)
    if not isinstance(raw, dict):
        raise ValueError(_("{where}: a fault is a table with a 'kind'").format(where=where))
    kind = raw.get("kind")
    if kind not in KINDS:
        raise ValueError(
            _("{where}: unknown fault kind {kind}; known: {known}").format(
                where=where, kind=repr(kind), known=", ".join(KINDS)
            )
        )
    unknown = sorted(set(raw) - {"kind", *_SETTINGS})
    if unknown:
        raise ValueError(_unknown_setting(where, unknown[0]))
    seconds = raw.get("seconds", 0.0)
    status = raw.get("status")
    times = raw.get("times")
    body = raw.get("body", "")
    # Written so that nan fails too: every comparison with nan is false.
    if not _is_number(seconds) or not 0 <= seconds <= MAX_SECONDS:
        raise ValueError(
            _("{where}: 'seconds' must be a number from 0 to {max}").format(
                where=where, max=f"{MAX_SECONDS:g}"
            )
        )
    if status is not None and (not _is_whole(status) or not 100 <= status <= 599):
        raise ValueError(
            _("{where}: 'status' must be an HTTP status code (100 to 599)").format(where=where)
        )
    if times is not None and (not _is_whole(times) or times < 0):
        raise ValueError(_("{where}: 'times' must be a whole number >= 0").format(where=where))
    if not isinstance(body, str):
        raise ValueError(_("{where}: 'body' must be a string").format(where=where))
    return Fault(kind, float(seconds), status, body, times)


def _unknown_setting(where: str, name: str) -> str:
    return _("{where}: unknown setting {name}; known: {known}").format(
        where=where, name=repr(name), known=", ".join(_SETTINGS)
    )


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _is_whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _parse_short(text: str) -> dict[str, Any]:
    """`latency:seconds=0.5` or `http5xx:status=503,times=2` from a command line.

    `body` takes the rest of the text, commas included, so it goes last:
    `redirect:status=301,body=https://example.com/?a=1,b=2`.
    """
    kind, _colon, rest = text.partition(":")
    out: dict[str, Any] = {"kind": kind.strip()}
    parts = rest.split(",") if rest else []
    for i, part in enumerate(parts):
        if not part.strip():
            continue
        name, _equals, value = part.partition("=")
        name = name.strip()
        if name == "body":
            out[name] = ",".join([value, *parts[i + 1 :]])
            break
        where = _("fault {text}").format(text=repr(text))
        if name not in _SETTINGS:
            raise ValueError(_unknown_setting(where, name))
        if name != "seconds" and len(value.strip()) > 9 and value.strip().isdigit():
            # No status or count needs 10 digits; int() refuses 4301 in words of its own.
            raise ValueError(_("{where}: {name} is too large").format(where=where, name=name))
        try:
            out[name] = float(value) if name == "seconds" else int(value)
        except ValueError:
            if name == "seconds":
                problem = _("{where}: {name} must be a number")
            else:
                problem = _("{where}: {name} must be a whole number")
            raise ValueError(problem.format(where=where, name=name)) from None
    return out
