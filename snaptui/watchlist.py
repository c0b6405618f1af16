"""`snaptui watch FILE`: the tasks of a runbook, one `APP ROOM TASK` or link a line."""

from __future__ import annotations

from snaptui.i18n import _
from snaptui.links import parse_deep_link
from snaptui.safe_text import clean
from snaptui.volc.errors import InvalidIdError
from snaptui.volc.ids import ID_FIELDS, is_valid_id, validate_id

Ids = tuple[str, str, str]

# A list is read up to this many characters: a runbook is a few hundred lines, and an
# endless pipe (`yes ... | snaptui watch -`) must not fill the memory.
MAX_LIST_CHARS = 1_000_000
# Tabs one watch opens. Past it the whole list is refused rather than cut: a runbook
# whose last tasks were quietly left out would look watched when it is not. At the
# API's 60 requests a second, 200 tasks still refresh about every 3 s.
MAX_TASKS = 200


def parse_watch_list(text: str) -> tuple[list[Ids], list[str]]:
    """The tasks in order (each once), and a message per bad line with its number.
    Blank lines and `#` comments are skipped."""
    tasks: list[Ids] = []
    seen: set[Ids] = set()  # a list lookup per line made 20,000 lines take 21 s
    problems: list[str] = []
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        words = line.split()
        if len(words) == 3 and all(is_valid_id(word) for word in words):
            ids = (words[0], words[1], words[2])  # the usual line, without the link parser
        else:
            found = _ids_of(line, number)
            if isinstance(found, str):
                problems.append(found)
                continue
            ids = found
        if ids not in seen:
            seen.add(ids)
            tasks.append(ids)
    return tasks, problems


def _ids_of(line: str, number: int) -> Ids | str:
    """The ids a link or `APP ROOM TASK` line names, or what is wrong with it."""
    found = parse_deep_link(line)
    if found is None:
        return _("line {n}: expected APP ROOM TASK or a link").format(n=number)
    try:
        for field, value in zip(ID_FIELDS, found, strict=True):
            validate_id(field, value)
    except InvalidIdError as exc:
        message = _("line {n}: {field} {reason}")
        return clean(message.format(n=number, field=exc.field, reason=exc.reason))
    return found
