"""Durations in the words a person uses: '3 min 22 s', '2 h 5 min'."""

from __future__ import annotations


def format_duration(seconds: float) -> str:
    total = round(seconds)
    if total < 60:
        return f"{total} s"
    minutes, secs = divmod(total, 60)
    if minutes < 60:
        return f"{minutes} min {secs} s" if secs else f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    days, hours = divmod(hours, 24)
    return f"{days} d {hours} h" if hours else f"{days} d"


def format_ago(seconds: float) -> str:
    """Relative time: '3 min ago', 'in 2 h', 'just now'.

    Under a minute reads 'just now': a label that ticks every second would
    repaint the screen every second over SSH for no real information.
    """
    if abs(seconds) < 60:
        return "just now"
    text = format_duration(abs(seconds))
    # Only the biggest unit: "3 min ago", not "3 min 12 s ago".
    text = " ".join(text.split()[:2])
    return f"{text} ago" if seconds > 0 else f"in {text}"
