"""A yes/no question before something that cannot be undone (F8: delete keys)."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from snaptui.i18n import N_, _
from snaptui.tui.language import localized
from snaptui.tui.widgets.focused_keys import FocusedKeys


class ConfirmScreen(FocusedKeys, ModalScreen[bool]):
    DEFAULT_CSS = """
    ConfirmScreen {
        align: center middle;
    }
    #confirm-dialog {
        width: 60;
        max-width: 90%;
    }
    #confirm-keys {
        color: $text-muted;
        margin-top: 1;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = localized(
        [
            Binding("y", "answer(True)", N_("Yes"), id="confirm-yes", tooltip=N_("Yes, do it")),
            Binding(
                "n,escape", "answer(False)", N_("No"), id="confirm-no", tooltip=N_("No, keep it")
            ),
        ]
    )

    def __init__(self, question: str) -> None:
        super().__init__()
        self._question = question

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-dialog", classes="dialog") as dialog:
            dialog.border_title = _("Are you sure?")
            yield Static(Text(self._question))
            yield Static(_("y: yes · n or Esc: no"), id="confirm-keys")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
