"""Save the JSON answer to a file; the path is editable and nothing is lost on error."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from snaptui.i18n import N_, _
from snaptui.tui.language import localized


class ExportScreen(ModalScreen[Path | None]):
    DEFAULT_CSS = """
    ExportScreen {
        align: center middle;
    }
    #export-dialog .dim {
        color: $text-muted;
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

    def __init__(self, default: Path, text: str) -> None:
        super().__init__()
        self._default = default
        self._text = text

    def compose(self) -> ComposeResult:
        with Vertical(id="export-dialog", classes="dialog"):
            yield Label(_("Export the JSON answer (secrets redacted) to:"))
            yield Input(str(self._default), id="export-path")
            yield Static("", id="export-error", classes="field-error")
            yield Label(_("Enter to save · Esc to cancel"), classes="dim")

    def on_mount(self) -> None:
        path_input = self.query_one(Input)
        path_input.cursor_blink = False
        path_input.focus()
        self.query_one("#export-error").display = False

    @on(Input.Submitted)
    def _save(self, event: Input.Submitted) -> None:
        path = Path(event.value).expanduser()
        try:
            path.write_text(self._text, encoding="utf-8")
        except OSError as exc:
            error = self.query_one("#export-error", Static)
            reason = exc.strerror or str(exc)
            error.update(Text(_("Cannot write {path}: {reason}").format(path=path, reason=reason)))
            error.display = True
            return
        self.app.notify(_("Saved {path}").format(path=path), markup=False)
        self.dismiss(path)

    def action_cancel(self) -> None:
        self.dismiss(None)
