"""The raw JSON answer, coloured, with a cursor line; fast at any size.

Only the lines on screen are rendered (Textual's line API), each coloured by one
regular expression when first shown, so a 1 MB answer appears at once and a
PageDown costs a screenful. A refresh that brings the same text changes nothing; a
new text keeps the cursor line and the scroll position.
"""

from __future__ import annotations

import json
import re
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from snaptui.i18n import N_
from snaptui.tui.branch_json import opens_block
from snaptui.tui.language import localized
from snaptui.tui.widgets.focused_keys import FocusedKeys

KEY = Style(color="blue", bold=True)
STRING = Style(color="green")
NUMBER = Style(color="cyan")
LITERAL = Style(color="magenta")
CURSOR = Style(reverse=True)
# A key, then a value; or a value alone (in an array). dump_json writes one per line.
_TOKEN = re.compile(
    r'(?P<key>"(?:[^"\\]|\\.)*")(?=\s*:)'
    r'|(?P<string>"(?:[^"\\]|\\.)*")'
    r"|(?P<number>-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)"
    r"|(?P<literal>\btrue\b|\bfalse\b|\bnull\b)"
)
_STYLES = {"key": KEY, "string": STRING, "number": NUMBER, "literal": LITERAL}
_VALUE_LINE = re.compile(r'^\s*(?:"(?:[^"\\]|\\.)*"\s*:\s*)?(?P<value>.*?),?\s*$')


def colour(line: str) -> list[Segment]:
    segments = []
    at = 0
    for match in _TOKEN.finditer(line):
        if match.start() > at:
            segments.append(Segment(line[at : match.start()]))
        kind = match.lastgroup or ""
        segments.append(Segment(match.group(), _STYLES.get(kind)))
        at = match.end()
    if at < len(line):
        segments.append(Segment(line[at:]))
    return segments


def value_of(line: str) -> str | None:
    """The value on a line as the JSON holds it: 1764105358000, 3, IdleTimeOut (a
    string without its quotes); None on a line that opens or closes an object."""
    match = _VALUE_LINE.match(line)
    text = match.group("value") if match else ""
    if not text or text[0] in "{[]}":
        return None
    try:
        value = json.loads(text)
    except ValueError:
        return None
    return value if isinstance(value, str) else json.dumps(value)


class JsonView(FocusedKeys, ScrollView, can_focus=True):
    DEFAULT_CSS = """
    JsonView {
        height: 1fr;
        padding: 0 1;
    }
    """
    # Every key with an id and a tooltip: F1 lists them while the JSON has focus.
    BINDINGS: ClassVar[list[BindingType]] = localized(
        [
            Binding(
                "up", "move(-1)", N_("Up"), show=False, id="json-up", tooltip=N_("The line above")
            ),
            Binding(
                "down",
                "move(1)",
                N_("Down"),
                show=False,
                id="json-down",
                tooltip=N_("The line below"),
            ),
            Binding(
                "pageup",
                "page(-1)",
                N_("Page up"),
                show=False,
                id="json-page-up",
                tooltip=N_("A page up"),
            ),
            Binding(
                "pagedown",
                "page(1)",
                N_("Page down"),
                show=False,
                id="json-page-down",
                tooltip=N_("A page down"),
            ),
            Binding(
                "g,home",
                "jump_to(0)",
                N_("Top"),
                show=False,
                id="json-top",
                tooltip=N_("The first line"),
            ),
            Binding(
                "G,end",
                "jump_to(-1)",
                N_("Bottom"),
                show=False,
                id="json-bottom",
                tooltip=N_("The last line"),
            ),
            Binding(
                "left",
                "scroll_left",
                N_("Left"),
                show=False,
                id="json-left",
                tooltip=N_("Scroll a long line back to its start"),
            ),
            Binding(
                "right",
                "scroll_right",
                N_("Right"),
                show=False,
                id="json-right",
                tooltip=N_("Scroll a long line to see its end"),
            ),
        ]
    )
    HELP_TITLE = N_("The JSON")

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.lines: list[str] = []
        self.cursor = 0
        self._cache: dict[int, list[Segment]] = {}

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    def show(self, text: str | list[str]) -> bool:
        """Shows `text` (or its lines, split off the UI thread); False (and nothing
        repainted) when it is what is shown."""
        lines = text.splitlines() if isinstance(text, str) else text
        if lines == self.lines:
            return False
        self.lines = lines
        self._cache.clear()
        self.cursor = min(self.cursor, max(0, len(lines) - 1))
        width = max((len(line) for line in lines), default=0)
        # Keeps scroll_y: the virtual size changes, the offset stays where it was.
        self.virtual_size = Size(width, len(lines))
        self.refresh()
        return True

    def value_at_cursor(self) -> str | None:
        return value_of(self.lines[self.cursor]) if self.lines else None

    def opens_branch(self) -> bool:
        """Whether the cursor line opens an object or an array (`c` copies it whole,
        see branch_json.branch_of_lines)."""
        return bool(self.lines) and opens_block(self.lines[self.cursor])

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        index = scroll_y + y
        width = self.scrollable_content_region.width
        style = self.rich_style
        if index >= len(self.lines):
            return Strip.blank(width, style)
        segments = self._cache.get(index)
        if segments is None:
            segments = self._cache[index] = colour(self.lines[index])
        strip = Strip(segments)
        if index == self.cursor and self.has_focus:
            strip = Strip(Segment.apply_style(strip, post_style=CURSOR))
        return strip.crop_extend(scroll_x, scroll_x + width, style).apply_style(style)

    # -- moving ----------------------------------------------------------------------

    def go(self, line: int) -> None:
        if not self.lines:
            return
        old = self.cursor
        self.cursor = max(0, min(len(self.lines) - 1, line))
        self._refresh_line(old)
        self._refresh_line(self.cursor)
        self.scroll_to_region(
            Region(0, self.cursor, 1, 1), animate=False, force=True, immediate=True
        )

    def _refresh_line(self, line: int) -> None:
        y = line - self.scroll_offset.y
        if 0 <= y < self.size.height:
            self.refresh(Region(0, y, self.size.width, 1))

    def action_move(self, step: int) -> None:
        self.go(self.cursor + step)

    def action_page(self, step: int) -> None:
        page = max(1, self.scrollable_content_region.height - 1)
        self.scroll_to(y=self.scroll_offset.y + step * page, animate=False, immediate=True)
        self.go(self.cursor + step * page)

    def action_jump_to(self, line: int) -> None:
        self.go(line if line >= 0 else len(self.lines) - 1)

    def on_focus(self) -> None:
        self._refresh_line(self.cursor)

    def on_blur(self) -> None:
        self._refresh_line(self.cursor)

    # -- search ----------------------------------------------------------------------

    def find(self, needle: str, forward: bool = True, *, from_line: int | None = None) -> bool:
        """Moves to the next (or previous) line holding `needle`, case-insensitive."""
        if not needle or not self.lines:
            return False
        needle = needle.casefold()
        count = len(self.lines)
        start = self.cursor if from_line is None else from_line
        step = 1 if forward else -1
        for offset in range(1, count + 1):
            index = (start + step * offset) % count
            if needle in self.lines[index].casefold():
                self.go(index)
                return True
        return False
