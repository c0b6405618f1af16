"""Command palette: every action, offered where it makes sense."""

from __future__ import annotations

from collections.abc import Iterable

from textual.app import SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from snaptui.tui.screens.main import MainScreen


def commands_for(screen: Screen[object]) -> Iterable[SystemCommand]:
    """Commands of the main screen, plus those of the task on show, from their bindings."""
    if not isinstance(screen, MainScreen):
        return
    for binding in MainScreen.BINDINGS:
        if isinstance(binding, Binding):
            action = getattr(screen, f"action_{binding.action}")
            yield SystemCommand(binding.description, binding.tooltip, action)
    view = screen.active_view()
    if view is None:
        return
    from snaptui.tui.widgets.task_view import TaskView

    for binding in TaskView.BINDINGS:
        if isinstance(binding, Binding):
            action = getattr(view, f"action_{binding.action}")
            yield SystemCommand(f"Task: {binding.description}", binding.tooltip, action)
