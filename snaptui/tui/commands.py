"""Command palette: every action of the screen on show, and of the task on show."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial
from typing import Any

from textual.app import SystemCommand
from textual.binding import Binding
from textual.dom import DOMNode
from textual.screen import Screen

from snaptui import i18n
from snaptui.i18n import _

# Each language by its own name, and the entry in both: whoever cannot read the language
# on screen can still find the way back.
LANGUAGE_NAMES = {i18n.ENGLISH: "English", i18n.CHINESE: "简体中文"}


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
            yield from _from_bindings(view, _("Task: "))


def language_commands(switch: Callable[[str], None]) -> Iterable[SystemCommand]:
    """'Language / 语言: English' and '… 简体中文', but not the language on show."""
    for language, name in LANGUAGE_NAMES.items():
        if language != i18n.current_language():
            yield SystemCommand(
                f"Language / 语言: {name}",
                _("Show snaptui in this language (remembered; the open tasks stay open)"),
                partial(switch, language),
            )
