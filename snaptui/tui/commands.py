"""Command palette: every action of the screen on show, and of the task on show."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from textual.app import SystemCommand
from textual.binding import Binding
from textual.dom import DOMNode
from textual.screen import Screen


def _from_bindings(node: DOMNode, prefix: str = "") -> Iterable[SystemCommand]:
    for binding in node.BINDINGS:
        if isinstance(binding, Binding):
            action = getattr(node, f"action_{binding.action}", None)
            if action is not None:
                key = node.app.get_key_display(Binding(binding.key.split(",")[0], ""))
                shown = binding.key_display or key
                yield SystemCommand(
                    f"{prefix}{binding.description}  ({shown})", binding.tooltip, action
                )


def commands_for(screen: Screen[Any]) -> Iterable[SystemCommand]:
    """Built from the bindings, so a key and its palette entry can never drift apart."""
    from snaptui.tui.screens.main import MainScreen

    yield from _from_bindings(screen)
    if isinstance(screen, MainScreen):
        view = screen.active_view()
        if view is not None:
            yield from _from_bindings(view, "Task: ")
