"""A text field that handles each key as the widget focused at that moment would.

Textual queues a key on the widget focused when the key *arrived*. Over a laggy SSH link
keys arrive in bursts: in `demo` Tab `room-1`, the Tab and `room-1` are all queued on the
first field before the Tab has moved focus, so `room-1` lands in the wrong field (and on
the credentials screen a SecretKey would land, in clear, in the AccessKey field). A Field
therefore handles keys as every widget that takes them does (`FocusedKeys`), and takes
printable keys as typed text.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import ClassVar

from textual import events
from textual.binding import Binding, BindingType
from textual.widgets import Input

from snaptui.i18n import N_
from snaptui.tui.language import localized
from snaptui.tui.widgets.focused_keys import FocusedKeys

# Ctrl+Left/Right switch tabs and Ctrl+W closes a task everywhere in the app, so a field
# must not take them. Word moves go to Alt+Left/Right and, as in a shell, Alt+B/F; Alt+
# Backspace deletes the word before the cursor (alt_keys.py keeps terminals' Esc+Backspace
# from reading as Ctrl+W); Ctrl+U / Ctrl+K clear before / after.
_GIVEN_UP = {"ctrl+left", "ctrl+right", "ctrl+w", "alt+backspace"}
_WORD_KEYS: list[BindingType] = [
    Binding("alt+left,alt+b", "cursor_left_word", "Move cursor left a word", show=False),
    Binding("alt+right,alt+f", "cursor_right_word", "Move cursor right a word", show=False),
    Binding("alt+backspace", "delete_left_word", "Delete the word before", show=False),
]
# The keys F1 lists in a field (an id and a tooltip, by action): the ones a person would
# not guess. Typing, arrows and Backspace need no help.
_LISTED = {
    "delete_left_all": ("field-clear-left", N_("Clear before the cursor")),
    "delete_right_all": ("field-clear-right", N_("Clear after the cursor")),
    "cursor_left_word": ("field-word-left", N_("A word to the left")),
    "cursor_right_word": ("field-word-right", N_("A word to the right")),
    "home": ("field-start", N_("The start of the field")),
    "end": ("field-end", N_("The end of the field")),
}


def _field_bindings() -> list[BindingType]:
    kept: list[BindingType] = []
    for binding in [*Input.BINDINGS, *_WORD_KEYS]:
        if not isinstance(binding, Binding):
            continue
        keys = [k for k in binding.key.split(",") if k.strip() not in _GIVEN_UP]
        if not keys:
            continue
        listed = _LISTED.get(binding.action)
        if listed is None:
            kept.append(Binding(",".join(keys), binding.action, binding.description, show=False))
            continue
        # Our own wording, so that the description is translated too. Super+ keys stay
        # unlisted: few terminals send them.
        key_id, tooltip = listed
        plain = [k for k in keys if not k.startswith("super+")]
        kept.append(
            Binding(
                ",".join(plain), binding.action, tooltip, show=False, id=key_id, tooltip=tooltip
            )
        )
        if len(plain) < len(keys):
            others = ",".join(k for k in keys if k not in plain)
            kept.append(Binding(others, binding.action, binding.description, show=False))
    return localized(kept)


class Field(FocusedKeys, Input, inherit_bindings=False):
    """An Input for the forms: no blinking cursor, no select-all on focus (the next key
    must not replace what is there), and keys handled by whoever is focused when they are
    handled."""

    BINDINGS: ClassVar[list[BindingType]] = _field_bindings()
    HELP_TITLE = N_("In a text field")

    def __init__(
        self, *, on_enter: Callable[[str], Awaitable[None] | None] | None = None, **kwargs: object
    ) -> None:
        """`on_enter`: what Enter does with the text, at once (awaited before the next key
        is handled). Without it Enter posts Input.Submitted, which is handled after the keys
        typed behind Enter."""
        super().__init__(select_on_focus=False, **kwargs)  # type: ignore[arg-type]
        self.cursor_blink = False
        self._enter_does = on_enter
        # Set by a paste, so the form can take pasted text as complete at once.
        self.pasted = False

    async def action_submit(self) -> None:
        if self._enter_does is None:
            await super().action_submit()
        elif (done := self._enter_does(self.value)) is not None:
            await done

    def types_text(self, event: events.Key) -> bool:
        # Alt+B is a word move, not a b (Textual gives it the character b).
        return event.is_printable and not event.key.startswith("alt+")

    def _on_paste(self, event: events.Paste) -> None:
        focused = self.screen.focused if self.is_attached else None
        if focused is not self and focused is not None:
            event.stop()
            event.prevent_default()
            focused._forward_event(events.Paste(event.text))
            return
        self.pasted = True
        super()._on_paste(event)
        event.prevent_default()  # inserted once, not again by Input's own handler
