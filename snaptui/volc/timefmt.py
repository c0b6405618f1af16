"""Durations in the words a person uses: '3 min 22 s', '2 h 5 min' ('3 分 22 秒')."""

from __future__ import annotations

from snaptui.i18n import _


def _parts(seconds: float) -> tuple[str, int, int]:
    """The biggest unit that reads well ('s', 'min', 'h' or 'd'), its count and the
    count of the next unit down: 202 s -> ('min', 3, 22)."""
    total = round(seconds)
    if total < 60:
        return "s", total, 0
    minutes, secs = divmod(total, 60)
    if minutes < 60:
        return "min", minutes, secs
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return "h", hours, minutes
    days, hours = divmod(hours, 24)
    return "d", days, hours


def format_duration(seconds: float) -> str:
    unit, big, small = _parts(seconds)
    # Whole sentences per unit, so a translation can order and space them its own way.
    if unit == "s":
        return _("{n} s").format(n=big)
    if unit == "min":
        if small:
            return _("{m} min {s} s").format(m=big, s=small)
        return _("{m} min").format(m=big)
    if unit == "h":
        return _("{h} h {m} min").format(h=big, m=small) if small else _("{h} h").format(h=big)
    return _("{d} d {h} h").format(d=big, h=small) if small else _("{d} d").format(d=big)


def format_ago(seconds: float) -> str:
    """Relative time: '3 min ago', 'in 2 h', 'just now'.

    Under a minute reads 'just now': a label that ticks every second would
    repaint the screen every second over SSH for no real information.
    """
    if abs(seconds) < 60:
        return _("just now")
    # Only the biggest unit: "3 min ago", not "3 min 12 s ago".
    unit, count, _small = _parts(abs(seconds))
    if seconds > 0:
        if unit == "min":
            return _("{n} min ago").format(n=count)
        if unit == "h":
            return _("{n} h ago").format(n=count)
        return _("{n} d ago").format(n=count)
    if unit == "min":
        return _("in {n} min").format(n=count)
    if unit == "h":
        return _("in {n} h").format(n=count)
    return _("in {n} d").format(n=count)
