"""The order keys are handled in when the widget holding the first of them is busy."""

from __future__ import annotations

import asyncio

import pytest
from textual import events
from textual.app import App, ComposeResult
from textual.message import Message

from snaptui.tui.widgets import focused_keys
from snaptui.tui.widgets.field import Field
from tests.helpers import run
from tests.pilot_keys import handled


class Busy(Message):
    """Work that keeps a widget from its queued keys a while (a mount, a big answer)."""

    def __init__(self, seconds: float) -> None:
        super().__init__()
        self.seconds = seconds


class SlowField(Field):
    async def on_busy(self, message: Busy) -> None:
        await asyncio.sleep(message.seconds)


class TwoFields(App[None]):
    def compose(self) -> ComposeResult:
        yield SlowField(id="first")
        yield Field(id="second")


def key(char: str) -> events.Key:
    return events.Key(char, char)


def typed_while_the_first_is_busy(busy: float, wait: float) -> tuple[str, str]:
    """`1` queued on the first field while it is busy, focus moved on, `2` queued on the
    second: what each field holds afterwards."""
    app = TwoFields()

    async def go() -> tuple[str, str]:
        async with app.run_test() as pilot:
            first, second = app.query_one("#first", Field), app.query_one("#second", Field)
            app.screen.set_focus(first)
            await pilot.pause()
            first.post_message(Busy(busy))
            first.post_message(key("1"))
            app.screen.set_focus(second)
            second.post_message(key("2"))
            await asyncio.sleep(wait)
            await handled(pilot)
            return first.value, second.value

    return run(go())


def test_a_key_on_a_busy_widget_is_not_overtaken_by_the_keys_behind_it() -> None:
    # Busy for seconds, as a mount can be on a loaded machine.
    assert typed_while_the_first_is_busy(busy=1.5, wait=1.7) == ("", "12")


def test_a_key_on_a_stuck_widget_is_handed_on_in_its_place_and_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(focused_keys, "GIVE_UP_AFTER", 0.3)
    # The first field gets to its 1 at last, after it was handed on: not typed again.
    assert typed_while_the_first_is_busy(busy=1.0, wait=1.2) == ("", "12")
    # Before the first field is free, both keys are already where focus is.
    assert typed_while_the_first_is_busy(busy=3.0, wait=1.0)[1] == "12"
