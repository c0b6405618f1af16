"""The Textual app: global keys, the command palette and the screens. Kept small on purpose:
screens and widgets carry their own logic."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, ClassVar

from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.driver import Driver
from textual.notifications import SeverityLevel
from textual.screen import Screen

from snaptui.connection import Connection
from snaptui.i18n import N_, _
from snaptui.tui.commands import commands_for, language_commands, textual_commands
from snaptui.tui.language import localized
from snaptui.tui.screens.main import MainScreen
from snaptui.tui.widgets.query_form import Ids

# A notification is a few lines in a corner, whatever it quotes.
NOTICE_MOST = 300
NOTICE_TITLE_MOST = 80


def _cut(text: str, most: int) -> str:
    return text if len(text) <= most else text[: most - 1] + "…"


# Textual's own palette entries, marked here so that the catalog has them.
TEXTUAL_COMMANDS = (
    N_("Theme"),
    N_("Change the current theme"),
    N_("Quit the application as soon as possible"),
    N_("Minimize"),
    N_("Minimize the widget and restore to normal size"),
    N_("Maximize"),
    N_("Maximize the focused widget"),
    N_("Screenshot"),
    N_("Save an SVG 'screenshot' of the current screen"),
)


class SnaptuiApp(App[int]):
    CSS_PATH = Path(__file__).with_name("snaptui.tcss")
    TITLE = "snaptui"
    # At 80 columns a toast lands on a dialog wherever it is placed (help, export, a
    # question). Over any dialog toasts wait: each screen has its own, and the one below
    # shows them again once the dialog closes, unless their time is up. Said here, once,
    # so that a new dialog cannot forget it.
    CSS = "ModalScreen Toast { visibility: hidden; }"
    ENABLE_COMMAND_PALETTE = True
    BINDINGS: ClassVar[list[BindingType]] = localized(
        [
            Binding(
                "f1", "help", N_("Help"), id="help", tooltip=N_("Keys and what the screen shows")
            ),
            Binding("ctrl+q", "quit", N_("Quit"), id="quit", tooltip=N_("Quit snaptui")),
            # Typed text goes to a text field first, so q quits only outside one.
            Binding(
                "q",
                "quit",
                N_("Quit"),
                id="quit-q",
                show=False,
                tooltip=N_("Quit (outside a field)"),
            ),
            Binding(
                "ctrl+p",
                "command_palette",
                N_("Palette"),
                id="palette",
                show=False,
                tooltip=N_("Command palette: every action, with its key"),
            ),
        ]
    )

    def __init__(
        self,
        connection: Connection,
        open_ids: Ids | None = None,
        *,
        tasks: Sequence[Ids] = (),
        notes: Sequence[str] = (),
        shown: str | None = None,
    ) -> None:
        """`open_ids` or `tasks`: tasks to open at start; `notes`: said once it is up;
        `shown`: the tab to show once they are open (a tab id), else the first task's."""
        super().__init__()
        # Sliding tab underlines are paint over SSH with nothing to say.
        self.animation_level = "none"
        self.connection = connection
        self._tasks = [open_ids] if open_ids is not None else list(tasks)
        self._notes = list(notes)
        self._theme_loaded = False
        # Set when the language is switched: run_app starts a new app in it.
        self.restart_in: str | None = None
        self.reopen: list[Ids] = []
        self.reshow: str | None = None
        self._shown = shown

    # Two exits every widget goes through, made safe here so none can forget.

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Never markup: a message may quote a server's text (a stop reason), and
        `[@click=app.quit]` in it must stay text. Cut to a few lines: a stop reason of
        2 MB would cover the screen."""
        message, title = _cut(message, NOTICE_MOST), _cut(title, NOTICE_TITLE_MOST)
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=False)

    def copy_to_clipboard(self, text: str) -> None:
        """What reaches the clipboard is pasted into shells: no control character (an
        `ESC[201~` ends a bracketed paste and a newline runs the line), and no key of ours.
        Only a whole JSON document keeps its line breaks: JSON escapes any in its strings."""
        import json

        from snaptui.safe_text import clean

        credentials = self.connection.credentials
        if credentials is not None:
            text = credentials.redact(text)
        document = False
        if "\n" in text and text.lstrip().startswith(("{", "[")):
            try:
                json.loads(text)
                document = True
            except ValueError:
                pass
        super().copy_to_clipboard(clean(text, keep_newlines=document))

    def on_mount(self) -> None:
        from snaptui import collector
        from snaptui.preferences import load_theme
        from snaptui.settings import SettingsFileError

        self.call_after_refresh(collector.resume)  # once the first frame is out

        try:
            theme = load_theme()
        except SettingsFileError as exc:  # the app goes on; the file stays as it is
            theme = None
            self.notify(str(exc), title=_("Theme and language not remembered"), severity="warning")
        if theme is not None and theme in self.available_themes:
            self.theme = theme
        self._theme_loaded = True

    def watch_theme(self, theme: str) -> None:
        if self._theme_loaded:  # the user's choice, not the one read at start-up
            from snaptui.preferences import save_theme

            save_theme(theme)

    def get_driver_class(self) -> type[Driver]:
        from snaptui.tui.alt_keys import keep_alt

        driver = super().get_driver_class()
        keep_alt(driver)  # Esc and Ctrl+N read together are Alt+Ctrl+N, not Ctrl+N
        return driver

    def get_default_screen(self) -> Screen[Any]:
        return MainScreen(self.connection, self._tasks, self._notes, shown=self._shown)

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield from textual_commands(super().get_system_commands(screen), screen)
        yield SystemCommand(_("Help  (f1)"), _("Keys and what the screen shows"), self.action_help)
        yield from language_commands(self.switch_language)
        yield from commands_for(screen)

    def switch_language(self, language: str) -> None:
        """Remember the choice and start the app again in it, with the same tasks open:
        key descriptions, screens and notifications are all made anew in the new
        language (see launch.run_app)."""
        from snaptui.preferences import save_language

        save_language(language)
        self.restart_in = language
        screen = self.screen_stack[0] if self.screen_stack else None
        if isinstance(screen, MainScreen):
            self.reopen, self.reshow = screen.open_tasks(), screen.shown_tab()
        self.exit(0)

    def action_command_palette(self) -> None:
        from snaptui.tui.palette import Palette

        if self.use_command_palette and self.screen.id != "--command-palette":
            placeholder = _("Search for commands…")
            self.push_screen(Palette(id="--command-palette", placeholder=placeholder))

    def action_help(self) -> None:
        from snaptui.tui.screens.help import HelpScreen

        screen = self.screen
        if isinstance(screen, HelpScreen):
            return
        active = screen.active_bindings
        footnote = (
            ""
            if any(type(b.node).__name__ == "TaskView" for b in active.values())
            else _("Open a task and press F1 there for the keys of the task view.")
        )
        self.push_screen(HelpScreen(active, footnote))

    def _fatal_error(self) -> None:
        """A crash report without local variables: Textual's own prints every frame's
        locals, and a frame in the signing path holds the session token."""
        import traceback

        from rich.text import Text

        error = sys.exc_info()[1]
        where = ""
        if error is not None and error.__traceback__ is not None:
            last = traceback.extract_tb(error.__traceback__)[-1]
            where = f" at {Path(last.filename).name}:{last.lineno}"
        name = type(error).__name__ if error is not None else "unknown error"
        # One line: the error's type and place, never its text (it may quote a value).
        report = _("snaptui: internal error, please report: {name}{where}").format(
            name=name, where=where
        )
        if self.connection.credentials is not None:
            report = self.connection.credentials.redact(report)
        self._return_code = 1
        self.bell()
        self._exit_renderables.append(Text(report))
        self._close_messages_no_wait()

    async def on_unmount(self) -> None:
        await self.connection.aclose()
