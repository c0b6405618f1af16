"""The status changes seen while watching a task, as `get --watch` prints them."""

from __future__ import annotations

import time
from dataclasses import dataclass

from rich.text import Text
from textual.widgets import Static

from snaptui.i18n import _
from snaptui.present import status_word
from snaptui.safe_text import clean
from snaptui.volc.models import SnapshotTask


@dataclass(frozen=True)
class Change:
    at: float  # epoch seconds, when the answer showing it came in
    word: str  # Not started / Running / Ended / Failed / Unknown
    stop_reason: str


class Timeline:
    """Keeps one entry per change of status or stop reason."""

    def __init__(self) -> None:
        self.changes: list[Change] = []

    def see(self, task: SnapshotTask, now: float) -> bool:
        """Records the task's state if it changed; True when it did."""
        reason = clean(str(task.StopReason)) if task.StopReason else ""
        change = Change(now, status_word(task.Status), reason)
        last = self.changes[-1] if self.changes else None
        if last is not None and (last.word, last.stop_reason) == (change.word, reason):
            return False
        self.changes.append(change)
        return True

    def lines(self) -> list[str]:
        out = []
        previous: float | None = None
        for change in self.changes:
            stamp = time.strftime("%H:%M:%S", time.localtime(change.at))
            line = f"{stamp}  {change.word}"
            if change.stop_reason:
                line += f" · {change.stop_reason}"
            if previous is not None:
                line += f"  (+{_short(change.at - previous)})"
            out.append(line)
            previous = change.at
        return out


def _short(seconds: float) -> str:
    total = round(seconds)
    if total < 60:
        return _("{s} s").format(s=total)
    return _("{m} min {s} s").format(m=total // 60, s=total % 60)


class TimelinePanel(Static):
    """Hidden until `t`; its text changes only when the timeline does."""

    def show_timeline(self, timeline: Timeline) -> None:
        lines = timeline.lines() or [_("Nothing seen yet.")]
        self.update(Text("\n".join(lines)))
