"""Save the JSON answer to a file; the path is editable and nothing is lost on error.

An existing file is replaced only when asked: Enter on its path asks first, and Enter
again or y replaces it, n or Esc goes back to the name. The line of keys under the name
says what the keys do now: while the question is asked, it is the question's. A FIFO, a
device or a directory is refused at once, never offered for replacement.

Keys typed ahead land where they are meant: the name typed right after `e` in the path
(a key that opens a screen waits for it, see focused_keys), and Enter saves at once, not
in a message handled later.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, Static
from textual.widgets.input import Selection

from snaptui.i18n import N_, _
from snaptui.tui.language import localized
from snaptui.tui.widgets.field import Field
from snaptui.tui.widgets.focused_keys import FocusedKeys, focus_now


class Question(FocusedKeys, Static, can_focus=True):
    """Has focus while the dialog asks whether to replace a file: keys answer it, and
    none is typed into the path."""

    BINDINGS: ClassVar[list[BindingType]] = localized(
        [
            Binding(
                "y,enter",
                "screen.overwrite",
                N_("Replace"),
                id="export-replace",
                tooltip=N_("Replace the existing file"),
            ),
            Binding(
                "n",
                "screen.cancel",
                N_("Change the name"),
                id="export-rename",
                show=False,
                tooltip=N_("Keep the existing file and change the name"),
            ),
        ]
    )


class ExportScreen(FocusedKeys, ModalScreen[Path | None]):
    DEFAULT_CSS = """
    ExportScreen {
        align: center middle;
    }
    #export-dialog .dim {
        color: $text-muted;
    }
    #export-question {
        text-style: bold;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = localized(
        [
            Binding(
                "escape",
                "cancel",
                N_("Cancel"),
                id="cancel-export",
                tooltip=N_("Close without saving"),
            ),
        ]
    )

    def __init__(self, default: Path, text: Callable[[], str | None]) -> None:
        """`text`: the JSON to save, made when it is saved (the latest answer); None
        while the task has not answered yet."""
        super().__init__()
        self._default = default
        self._text = text
        self._asked: Path | None = None  # the existing file the question is about
        self._made: str | None = None  # the JSON made when Enter was pressed

    def compose(self) -> ComposeResult:
        with Vertical(id="export-dialog", classes="dialog"):
            yield Label(_("Export the JSON answer (secrets redacted) to:"))
            yield Field(value=str(self._default), id="export-path", on_enter=self._entered)
            yield Static("", id="export-error", classes="field-error")
            yield Question("", id="export-question")
            yield Label(_("Enter to save · Esc to cancel"), id="export-keys", classes="dim")

    def on_mount(self) -> None:
        path_input = self.query_one("#export-path", Field)
        focus_now(path_input)
        # The name typed next replaces the default path, as a name typed ahead must.
        path_input.select_all()
        self.query_one("#export-error").display = False
        self.query_one(Question).display = False

    def _entered(self, value: str) -> None:
        path = Path(value).expanduser()
        # Made once per Enter (100,000 streams take a while), saved as is or after the
        # replace question.
        self._made = self._text()
        if self._made is None:
            # `e` and a name typed before the first answer: the name stays, nothing runs.
            self._say(_("No answer yet, nothing to save: Enter again once the task has loaded."))
            return
        if path.exists() and not path.is_file():
            self._refuse(path, _("not a regular file"))
            return
        if path.exists() and path != self._asked:
            self._ask(path)
            return
        self._save(path)

    def _ask(self, path: Path) -> None:
        self._asked = path
        question = self.query_one(Question)
        question.update(
            Text(
                _("{path} exists. Enter or y: replace it · n or Esc: change the name").format(
                    path=path
                )
            )
        )
        question.display = True
        # Its keys are the question's now: Esc no longer cancels.
        self.query_one("#export-keys").display = False
        self.query_one("#export-error").display = False
        focus_now(question)

    def action_overwrite(self) -> None:
        if self._asked is not None:
            self._save(self._asked)

    def _save(self, path: Path) -> None:
        if self._made is None:
            return
        replaced = path.exists()
        try:
            write_regular_file(path, self._made)
        except OSError as exc:
            self._refuse(path, exc.strerror or str(exc))
            return
        said = _("Replaced {path}") if replaced else _("Saved {path}")
        self.app.notify(said.format(path=path), markup=False)
        self.dismiss(path)

    def _refuse(self, path: Path, reason: str) -> None:
        self._say(_("Cannot write {path}: {reason}").format(path=path, reason=reason))

    def _say(self, problem: str) -> None:
        self._back_to_name()
        error = self.query_one("#export-error", Static)
        error.update(Text(problem))
        error.display = True

    def _back_to_name(self) -> None:
        """The question goes; the file's name is selected, so a new one replaces it."""
        self._asked = None
        self.query_one(Question).display = False
        self.query_one("#export-keys").display = True
        path_input = self.query_one("#export-path", Field)
        focus_now(path_input)
        value = path_input.value
        path_input.selection = Selection(value.rfind("/") + 1, len(value))

    def action_cancel(self) -> None:
        if self._asked is not None:
            self._back_to_name()
            return
        self.dismiss(None)


def write_regular_file(path: Path, text: str) -> None:
    """Writes `text` to `path`, a regular file or a new one. A FIFO or a device is refused
    rather than written: opening one for writing waits for a reader, and the app would
    freeze until one came."""
    import errno
    import os
    import stat

    not_a_file = OSError(errno.EINVAL, _("not a regular file"))
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_NONBLOCK | os.O_NOCTTY, 0o644)
    except OSError as exc:
        raise not_a_file if exc.errno == errno.ENXIO else exc from None  # a FIFO, no reader
    with os.fdopen(fd, "w", encoding="utf-8") as file:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise not_a_file
        os.set_blocking(fd, True)
        file.truncate(0)
        file.write(text)
