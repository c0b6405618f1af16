"""`snaptui watch FILE`: the tasks of a runbook, one `APP ROOM TASK` or link a line."""

from __future__ import annotations

from snaptui.i18n import _
from snaptui.links import parse_deep_link
from snaptui.safe_text import clean
from snaptui.volc.errors import InvalidIdError
from snaptui.volc.ids import ID_FIELDS, validate_id

Ids = tuple[str, str, str]


def parse_watch_list(text: str) -> tuple[list[Ids], list[str]]:
    """The tasks in order (each once), and a message per bad line with its number.
    Blank lines and `#` comments are skipped."""
    tasks: list[Ids] = []
    problems: list[str] = []
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        found = parse_deep_link(line)
        if found is None:
            problems.append(_("line {n}: expected APP ROOM TASK or a link").format(n=number))
            continue
        try:
            for field, value in zip(ID_FIELDS, found, strict=True):
                validate_id(field, value)
        except InvalidIdError as exc:
            problems.append(
                clean(
                    _("line {n}: {field} {reason}").format(
                        n=number, field=exc.field, reason=exc.reason
                    )
                )
            )
            continue
        ids = (found[0], found[1], found[2])
        if ids not in tasks:
            tasks.append(ids)
    return tasks, problems
