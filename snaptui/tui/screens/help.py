"""F1: every key, what it does, and what the screen is telling you."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from snaptui.tui.screens.main import MainScreen

NOTES = (
    "The badge shows the task Status: Not started (1), Running (2), Ended (3), Failed (4), "
    "Unknown (0 or a value the docs do not list). While a task has not finished it is fetched "
    "again after each answer (every 2 s by default). A value that changed since the last "
    "refresh is shown reversed for one refresh. When a request fails, the last good data "
    "stays on screen under an error panel and retries back off up to 30 s."
)


def _rows(bindings: list[BindingType]) -> list[tuple[str, str]]:
    rows = []
    for b in bindings:
        if isinstance(b, Binding):
            key = b.key_display or b.key.split(",")[0]
            rows.append((key, b.tooltip or b.description))
    return rows


class HelpScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    HelpScreen {
        align: center middle;
    }
    #help-notes {
        color: $text-muted;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,f1,q", "close", "Close", id="close-help", tooltip="Close this help"),
    ]

    def compose(self) -> ComposeResult:
        from snaptui.tui.app import SnaptuiApp
        from snaptui.tui.widgets.task_tree import TaskTree
        from snaptui.tui.widgets.task_view import TaskView

        table = Table(box=None, show_header=False, pad_edge=False, expand=True)
        table.add_column("key", style="bold", no_wrap=True)
        table.add_column("action")
        sections = [
            ("Anywhere", SnaptuiApp.BINDINGS + MainScreen.BINDINGS),
            ("Watching a task", TaskView.BINDINGS + TaskTree.BINDINGS),
        ]
        for title, bindings in sections:
            table.add_row(Text(title, style="underline"), "")
            for key, text in _rows(bindings):
                table.add_row(key, text)
            table.add_row("", "")
        with VerticalScroll(id="help-dialog", classes="dialog") as scroll:
            scroll.border_title = "snaptui help"
            yield Static(table)
            yield Static(Text(NOTES), id="help-notes")

    def action_close(self) -> None:
        self.dismiss(None)
