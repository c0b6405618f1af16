"""Deep links from alerts and chat: turn pasted text into (AppId, RoomId, TaskId)."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

_SPLIT = re.compile(r"[\s/|,]+")


def parse_deep_link(text: str) -> tuple[str, str, str] | None:
    """Accepts `snaptui://demo/room-1/task-1`, any URL with AppId/RoomId/TaskId query
    parameters, `demo/room-1/task-1` and `demo room-1 task-1`. None if it is not a link."""
    text = text.strip()
    if not text:
        return None
    if "://" in text:
        parts = urlsplit(text)
        query = {k.lower(): v[0] for k, v in parse_qs(parts.query).items() if v}
        if {"appid", "roomid", "taskid"} <= query.keys():
            return query["appid"], query["roomid"], query["taskid"]
        if parts.scheme == "snaptui":
            text = f"{parts.netloc}{parts.path}"
        else:
            return None
    pieces = [p for p in _SPLIT.split(text) if p]
    if len(pieces) == 3:
        return pieces[0], pieces[1], pieces[2]
    return None
