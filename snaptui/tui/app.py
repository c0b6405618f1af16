"""The Textual app: global keys, the command palette and the screens. Kept small on purpose:
screens and widgets carry their own logic."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any, ClassVar

from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen

from snaptui.connection import Connection
from snaptui.tui.commands import commands_for
from snaptui.tui.screens.main import MainScreen
from snaptui.tui.widgets.query_form import Ids


class SnaptuiApp(App[int]):
    CSS_PATH = Path(__file__).with_name("snaptui.tcss")
    TITLE = "snaptui"
    ENABLE_COMMAND_PALETTE = True
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "help", "Help", id="help", tooltip="Keys and what the screen shows"),
        Binding("ctrl+q", "quit", "Quit", id="quit", tooltip="Quit snaptui"),
    ]

    def __init__(self, connection: Connection, open_ids: Ids | None = None) -> None:
        super().__init__()
        # Sliding tab underlines are paint over SSH with nothing to say.
        self.animation_level = "none"
        self.connection = connection
        self._open_ids = open_ids

    def get_default_screen(self) -> Screen[Any]:
        return MainScreen(self.connection, self._open_ids)

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("Help", "Keys and what the screen shows", self.action_help)
        yield from commands_for(screen)

    def action_help(self) -> None:
        from snaptui.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def _fatal_error(self) -> None:
        """A crash report without local variables: Textual's own prints every frame's
        locals, and a frame in the signing path holds the session token."""
        import traceback

        from rich.text import Text

        error = sys.exc_info()[1]
        lines = traceback.format_exception(error) if error else ["unknown error\n"]
        report = "snaptui crashed; please report this (no keys are shown):\n" + "".join(lines)
        if self.connection.credentials is not None:
            report = self.connection.credentials.redact(report)
        self.bell()
        self._exit_renderables.append(Text(report))
        self._close_messages_no_wait()

    async def on_unmount(self) -> None:
        await self.connection.aclose()
