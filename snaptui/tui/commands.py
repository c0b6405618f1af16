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
from snaptui.i18n import _, translate
from snaptui.tui.key_order import in_declared_order

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


# Textual's key panel: F1 is our key help, and the panel cannot be closed with Esc, shows
# Textual's own tree keys and squeezes the view at 80 columns.
_LEFT_OUT = {"action_show_help_panel", "action_hide_help_panel"}


def textual_commands(
    commands: Iterable[SystemCommand], screen: Screen[Any]
) -> Iterable[SystemCommand]:
    """Textual's own entries (Theme, Quit...) in the user's language, each with its key
    when one is bound to it ("Quit  (^q)"), as ours have; the others stay plain. Its key
    panel ("Keys") is left out."""
    for command in commands:
        if getattr(command.callback, "__name__", "") in _LEFT_OUT:
            continue
        title = translate(command.title)
        key = _key_of(command.callback, screen)
        yield command._replace(
            title=f"{title}  ({key})" if key else title, help=translate(command.help)
        )


def _key_of(callback: Callable[..., Any], screen: Screen[Any]) -> str | None:
    """The key bound, where `screen` is, to the action a callback runs (app.action_quit:
    ^q); the first one its class lists when there are several. None for no key, or for a
    callback that is not an action (a lambda)."""
    name = getattr(callback, "__name__", "")
    owner = getattr(callback, "__self__", None)
    if owner is None or not name.startswith("action_"):
        return None
    action = name.removeprefix("action_")

    def runs_it(node: DOMNode, target: str) -> bool:
        if target.startswith("app."):
            return owner is screen.app and target == f"app.{action}"
        if target.startswith("screen."):
            return owner is screen and target == f"screen.{action}"
        return node is owner and target == action

    keys = [
        found.binding.key
        for found in screen.active_bindings.values()
        if runs_it(found.node, found.binding.action)
    ]
    if not keys:
        return None
    first = in_declared_order(owner, keys, lambda b: b.action.rsplit(".", 1)[-1] == action)[0]
    return screen.app.get_key_display(Binding(first, ""))


def language_commands(switch: Callable[[str], None]) -> Iterable[SystemCommand]:
    """'Language / 语言: English' and '… 简体中文', but not the language on show."""
    for language, name in LANGUAGE_NAMES.items():
        if language != i18n.current_language():
            yield SystemCommand(
                f"Language / 语言: {name}",
                _("Show snaptui in this language (remembered; the open tasks stay open)"),
                partial(switch, language),
            )
