"""The reference for the startup benchmark: a minimal Textual app (Header, Label, Footer)."""

from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import BindingType
from textual.widgets import Footer, Header, Label


class Minimal(App[None]):
    BINDINGS: ClassVar[list[BindingType]] = [("ctrl+q", "quit", "Quit")]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label("Query")
        yield Footer()


if __name__ == "__main__":
    Minimal().run()
