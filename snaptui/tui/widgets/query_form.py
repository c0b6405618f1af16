"""AppId / RoomId / TaskId with inline validation, deep-link paste and recent queries."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import partial
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Input, Label, Static

from snaptui.i18n import N_, _, translate
from snaptui.links import parse_deep_link
from snaptui.safe_text import clean
from snaptui.tui.language import localized
from snaptui.tui.widgets.field import Field
from snaptui.tui.widgets.focused_keys import focus_now
from snaptui.volc.errors import InvalidIdError
from snaptui.volc.ids import ID_FIELDS, validate_id

if TYPE_CHECKING:
    from textual.widgets import OptionList

Ids = tuple[str, str, str]
FIELD_IDS = {"AppId": "app-id", "RoomId": "room-id", "TaskId": "task-id"}
LABELS = {"AppId": N_("App ID"), "RoomId": N_("Room ID"), "TaskId": N_("Task ID")}
# A link or ids copied from a table is taken once the text has stopped changing for this
# long: keys of an unbracketed paste come milliseconds apart, a person's much further.
LINK_SETTLE = 0.4
_LINK_MARKS = ("/", "://", "|", ",", " ", "\t")


def looks_like_link(text: str) -> bool:
    return any(mark in text.strip() for mark in _LINK_MARKS)


def ids_from_link(text: str) -> Ids | str:
    """The three ids a link or `app room task` text holds, each checked; or what is wrong."""
    found = parse_deep_link(text)
    if found is None:
        return _("Paste app/room/task, three ids separated by spaces or tabs, or an alert link.")
    for field, value in zip(ID_FIELDS, found, strict=True):
        try:
            validate_id(field, value)
        except InvalidIdError as exc:
            return _("The link's {field} {reason}.").format(
                field=translate(LABELS[field]), reason=exc.reason
            )
    return found[0], found[1], found[2]


class OpenLink(Static):
    """A click target for mouse users; the keyboard way is Enter in any field."""

    def on_click(self, event: events.Click) -> None:
        event.stop()
        self.post_message(OpenLink.Clicked())

    class Clicked(Message):
        pass


class IdField(Field):
    """An id field: Enter opens the task, and F1 says so."""

    BINDINGS: ClassVar[list[BindingType]] = localized(
        [
            Binding(
                "enter",
                "submit",
                N_("Open"),
                show=False,
                id="form-open",
                tooltip=N_("Open the task (from any field)"),
            )
        ]
    )


class QueryForm(Vertical):
    # The form's own keys, so that F1 lists them (Tab is Textual's, unlisted there).
    BINDINGS: ClassVar[list[BindingType]] = localized(
        [
            Binding(
                "tab",
                "next_field",
                N_("Next field"),
                show=False,
                id="form-next",
                tooltip=N_("The next field, then the recent queries"),
            ),
            Binding(
                "shift+tab",
                "previous_field",
                N_("Previous field"),
                show=False,
                id="form-previous",
                tooltip=N_("The field before"),
            ),
            Binding(
                "down",
                "recent",
                N_("Recent"),
                show=False,
                id="form-recent",
                tooltip=N_("To the recent queries: ↑ ↓ to choose, Enter opens"),
            ),
        ]
    )
    HELP_TITLE = N_("The query form")

    class Submitted(Message):
        def __init__(self, ids: Ids) -> None:
            self.ids = ids
            super().__init__()

    def __init__(
        self,
        recent: list[Ids],
        hint: str = "",
        ids: Ids | None = None,
        open_task: Callable[[Ids], Awaitable[None]] | None = None,
        **kwargs: object,
    ) -> None:
        """`ids`: what the fields start with. `open_task`: what Enter in a field does with
        valid ids, awaited, so that keys typed behind Enter go to the task it opened
        (without it, Submitted is posted)."""
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._open_task = open_task
        self._recent = recent
        self._hint = hint
        self._initial = ids or ("", "", "")
        self._link_timer: Timer | None = None
        self._connection_line = ""
        self._shown = False  # its children exist: set and shown at once from then on

    def compose(self) -> ComposeResult:
        yield Static("", id="connection-line")
        for field in ID_FIELDS:
            with Horizontal(classes="field-row"):
                yield Label(translate(LABELS[field]), classes="field-label")
                yield IdField(
                    on_enter=partial(self._entered_in, FIELD_IDS[field]),
                    value=self._initial[ID_FIELDS.index(field)],
                    placeholder=_("{field}  (letters, digits, @ . _ -)").format(
                        field=translate(LABELS[field])
                    ),
                    id=FIELD_IDS[field],
                    compact=True,
                    max_length=1024,
                )
            yield Static("", id=f"{FIELD_IDS[field]}-error", classes="field-error")
        yield Static(
            _(
                "For an automatic snapshot task, the Task ID is the UserId. "
                "Paste app/room/task or an alert link into any field to fill all three."
            )
            + (f"\n{self._hint}" if self._hint else ""),
            id="form-hint",
        )
        yield OpenLink(_("▶ Open task (Enter)"), id="open")

    def on_mount(self) -> None:
        self._shown = True
        for field in ID_FIELDS:
            self._set_error(field, "")
        self.show_connection(self._connection_line)
        self.set_recent(self._recent)

    def show_connection(self, text: str) -> None:
        self._connection_line = text
        if self._shown:  # else on_mount shows it
            self.query_one("#connection-line", Static).update(Text(text))

    def set_recent(self, recent: list[Ids]) -> None:
        """Show recent queries; the list is only built once there is something in it."""
        self._recent = recent
        if not recent or not self._shown:  # on_mount shows them
            return
        from textual.widgets import OptionList
        from textual.widgets.option_list import Option

        from snaptui.tui.widgets.recent_list import RecentList

        options = [Option(Text(clean(" / ".join(ids))), id="\x00".join(ids)) for ids in recent]
        existing = self.query("#recent")
        if existing:
            listing = existing.first(OptionList)
            listing.clear_options()
            listing.add_options(options)
        else:
            self.mount(Label(_("Recent queries (↑↓ Enter)"), id="recent-label"))
            self.mount(RecentList(*options, id="recent"))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # ↓ only where there is a list to go to (F1 leaves it out otherwise).
        return bool(self.query("#recent")) if action == "recent" else True

    def action_next_field(self) -> None:
        self._step(1)

    def action_previous_field(self) -> None:
        self._step(-1)

    def _step(self, step: int) -> None:
        """From field to field in the form's own order, not Textual's focus chain: right
        after Ctrl+N (or Ctrl+W) the Query tab may not be laid out yet, and the chain,
        made of what is on screen, would send Tab to the tab bar with the ids behind it."""
        stops: list[Widget] = [self.query_one(f"#{FIELD_IDS[f]}", Input) for f in ID_FIELDS]
        stops += [w for w in self.query("#recent") if w.display]
        focused = self.screen.focused
        at = stops.index(focused) + step if focused in stops else -1
        if 0 <= at < len(stops):
            focus_now(stops[at])
        elif step > 0:
            self.screen.focus_next()
        else:
            self.screen.focus_previous()

    def action_recent(self) -> None:
        from snaptui.tui.widgets.recent_list import RecentList

        listing = self.query("#recent")
        if listing:
            listing.first(RecentList).enter_from_above()

    def fill(self, ids: Ids) -> None:
        for field, value in zip(ID_FIELDS, ids, strict=True):
            self.query_one(f"#{FIELD_IDS[field]}", Input).value = value

    def start_new(self, opened: set[Ids] | None = None) -> None:
        """Ready for the next query, App ID focused, so that ids typed blind never append
        to others. Without `opened` (Ctrl+N, a new query) the form is emptied; with it
        (back to the form after Ctrl+W) only the ids of a task opened are cleared, and a
        query typed but never opened stays."""
        if opened is None or self.values() in opened or self.values() in self._recent:
            self.fill(("", "", ""))
        self.focus_first()

    def focus_first(self) -> None:
        first = self.query_one("#app-id", Input)
        focus_now(first)
        first.cursor_position = len(first.value)

    def _set_error(self, field: str, message: str) -> None:
        error = self.query_one(f"#{FIELD_IDS[field]}-error", Static)
        error.update(Text(message))
        error.display = bool(message)

    def values(self) -> Ids:
        values = [self.query_one(f"#{FIELD_IDS[f]}", Input).value.strip() for f in ID_FIELDS]
        return values[0], values[1], values[2]

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        field = next(f for f, i in FIELD_IDS.items() if i == event.input.id)
        self._stop_link_timer()
        if isinstance(event.input, Field) and event.input.pasted:
            event.input.pasted = False
            if self.take_link(event.input):
                return
        if looks_like_link(event.value):
            # Not yet: a link is taken when it is complete (see LINK_SETTLE), never
            # half-typed, or `demo/room-1/nope` would open a task "n".
            self._set_error(field, "")
            self._link_timer = self.set_timer(
                LINK_SETTLE, lambda: self.take_link(event.input, quiet=True)
            )
            return
        # Only complain about what has been typed; an empty field is fine until submit.
        self._check(field, event.value.strip(), allow_empty=True)

    def _stop_link_timer(self) -> None:
        if self._link_timer is not None:
            self._link_timer.stop()
            self._link_timer = None

    def take_link(self, field: Input, quiet: bool = False) -> bool:
        """Fill the three fields from a link in `field`; False (and a message unless
        `quiet`, for text that may still be incomplete) when it holds none."""
        self._stop_link_timer()
        if not looks_like_link(field.value):
            return False
        found = ids_from_link(field.value)
        name = next(f for f, i in FIELD_IDS.items() if i == field.id)
        if isinstance(found, str):
            if not quiet or found != ids_from_link(""):  # an id that is wrong, not a half link
                self._set_error(name, found)
            return False
        self.fill(found)
        task = self.query_one("#task-id", Input)
        if field is not task:
            task.focus()
        # At the end, nothing selected: a key typed next adds to the Task ID.
        task.cursor_position = len(task.value)
        return True

    def _check(self, field: str, value: str, allow_empty: bool = False) -> bool:
        if allow_empty and not value:
            self._set_error(field, "")
            return True
        try:
            validate_id(field, value)
        except InvalidIdError as exc:
            self._set_error(field, f"{translate(LABELS[field])} {exc.reason}")
            return False
        self._set_error(field, "")
        return True

    async def _entered_in(self, field_id: str, value: str) -> None:
        """Enter in a field, handled before the keys typed behind it."""
        if looks_like_link(value) and not self.take_link(self.query_one(f"#{field_id}", Input)):
            return
        values = self._valid_values()
        if values is None:
            return
        if self._open_task is None:
            self.post_message(self.Submitted(values))
        else:
            await self._open_task(values)

    @on(OpenLink.Clicked)
    def submit(self) -> None:
        values = self._valid_values()
        if values is not None:
            self.post_message(self.Submitted(values))

    def _valid_values(self) -> Ids | None:
        """The three ids if valid; else None, with the cursor where the problem is."""
        self._stop_link_timer()
        values = self.values()
        valid = [self._check(f, v) for f, v in zip(ID_FIELDS, values, strict=True)]
        if not all(valid):
            self.query_one(f"#{FIELD_IDS[ID_FIELDS[valid.index(False)]]}", Input).focus()
            return None
        return values

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option_list.id != "recent" or event.option.id is None:
            return
        app_id, room_id, task_id = event.option.id.split("\x00")
        self.fill((app_id, room_id, task_id))
        self.post_message(self.Submitted((app_id, room_id, task_id)))
