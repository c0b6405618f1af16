"""F1: the keys of what has focus and everything around it, and what the screen shows.

Built from the live bindings of the focused widget, its containers, the screen and the
app (the keys that would act right now), so help cannot drift from the keys.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import ActiveBinding, Binding, BindingType
from textual.dom import DOMNode
from textual.screen import ModalScreen
from textual.widgets import Static

from snaptui.i18n import N_, _, translate
from snaptui.tui.key_order import in_declared_order
from snaptui.tui.language import localized
from snaptui.tui.widgets.focused_keys import FocusedKeys
from snaptui.tui.widgets.scroll import Scroll

NOTES = N_(
    "The badge shows the task Status: Not started (1), Running (2), Ended (3), Failed (4), "
    "Unknown (0 or a value the docs do not list). While a task has not finished it is fetched "
    "again after each answer (every 2 s by default). A value that changed since the last "
    "refresh is shown reversed for one refresh. When a request fails, the last good data "
    "stays on screen under an error panel and retries back off up to 30 s.\n"
    "Start on a task: snaptui APP_ID ROOM_ID TASK_ID; on the simulator: snaptui demo "
    "ROOM_ID TASK_ID (App ID demo implied). Keys from another profile or endpoint: "
    "snaptui --profile P --endpoint E --region R."
)
# Section titles for the nodes whose keys are listed; others go by their class name.
TITLES = {
    "SnaptuiApp": N_("Anywhere"),
    "TaskView": N_("Watching a task"),
    "TaskTree": N_("The tree"),
    "CredentialsScreen": N_("Credentials"),
}


def sections(
    active: dict[str, ActiveBinding], key_display: Callable[[str], str]
) -> list[tuple[str, list[tuple[str, str]]]]:
    """(title, [(keys, what it does)]) per node, focused first; each binding once, with
    every key that acts now ("h ←"), and only our own bindings (they carry an id).
    `key_display` names one key as the footer does ("left" is "←")."""
    keys: dict[str, list[str]] = {}
    by_node: dict[int, tuple[DOMNode, list[tuple[str, Binding]]]] = {}
    for found in active.values():
        binding = found.binding
        if binding.id is None:
            continue
        if binding.id not in keys:
            keys[binding.id] = []
            by_node.setdefault(id(found.node), (found.node, []))[1].append((binding.id, binding))
        keys[binding.id].append(binding.key)
    result = []
    # The focused widget first, then what holds it, out to the app: the keys nearest to
    # hand come first, whichever node bound a key first.
    nodes = sorted(by_node.values(), key=lambda entry: -len(entry[0].ancestors_with_self))
    for node, bindings in nodes:
        rows = []
        for binding_id, binding in bindings:

            def same_id(other: Binding, wanted: str = binding_id) -> bool:
                return other.id == wanted

            ordered = in_declared_order(node, keys[binding_id], same_id)
            shown = " ".join(dict.fromkeys(key_display(k) for k in ordered))
            rows.append((shown, binding.tooltip or binding.description))
        name = type(node).__name__
        title = translate(getattr(node, "HELP_TITLE", None) or TITLES.get(name, name))
        result.append((title, rows))
    return result


class HelpScreen(FocusedKeys, ModalScreen[None]):
    DEFAULT_CSS = """
    HelpScreen {
        align: center middle;
    }
    #help-notes {
        color: $text-muted;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = localized(
        [
            Binding(
                "escape,f1,q", "close", N_("Close"), id="close-help", tooltip=N_("Close this help")
            ),
        ]
    )

    def __init__(self, active: dict[str, ActiveBinding], footnote: str = "") -> None:
        super().__init__()
        self._sections = sections(active, lambda key: self.app.get_key_display(Binding(key, "")))
        self._footnote = footnote

    def compose(self) -> ComposeResult:
        table = Table(box=None, show_header=False, pad_edge=False, expand=True)
        table.add_column("key", style="bold", no_wrap=True)
        table.add_column("action")
        for title, rows in self._sections:
            table.add_row(Text(title, style="underline"), "")
            for key, text in rows:
                table.add_row(key, text)
            table.add_row("", "")
        with Scroll(id="help-dialog", classes="dialog") as scroll:
            scroll.border_title = _("snaptui help · Esc to close")
            yield Static(table)
            notes = translate(NOTES) + (f"\n{self._footnote}" if self._footnote else "")
            yield Static(Text(notes), id="help-notes")

    def action_close(self) -> None:
        self.dismiss(None)
