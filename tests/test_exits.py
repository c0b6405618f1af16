"""What leaves through the app's exits (notifications, the clipboard) and the core's
redaction, against text a server chose: markup, controls, invisible characters, and our
own keys spelled another way."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from urllib.parse import quote

import pytest

from snaptui.safe_text import clean
from snaptui.simulator import Simulator
from snaptui.volc.errors import MalformedResponseError
from snaptui.volc.exchange import MAX_JSON_VALUES, decode_json
from snaptui.volc.secret import Credentials, Secret
from tests.helpers import FakeClock, run
from tests.tui_fixtures import make_app, make_simulator

AK = "AKLThostileAKEY1234WXYZ"
SK = "SKsecretVALUEabc123"
TOKEN = "TOKENsessionXYZ987"
CREDS = Credentials(AK, Secret(SK), Secret(TOKEN))


@pytest.fixture
def scene_sim(clock: FakeClock) -> Iterator[Simulator]:
    sim = make_simulator(clock)
    yield sim
    sim.stop()


@pytest.mark.parametrize(
    "spelling",
    [
        AK.lower(),
        TOKEN.upper(),
        SK.swapcase(),
        quote(TOKEN, safe=""),
        base64.b64encode(TOKEN.encode()).decode(),
        base64.b64encode(SK.encode()).decode().rstrip("="),
    ],
)
def test_our_keys_are_redacted_in_other_cases_and_encodings(spelling: str) -> None:
    shown = CREDS.redact(f"echo: {spelling} :end")
    assert spelling not in shown
    assert shown.startswith("echo: ") and shown.endswith(" :end")


def test_the_access_key_is_masked_to_its_last_four_in_any_case() -> None:
    assert CREDS.redact(AK.lower()) == CREDS.masked_access_key
    assert CREDS.redact("nothing of ours") == "nothing of ours"


@pytest.mark.parametrize("char", ["\u200b", "\u200d", "\u2060", "\ufeff", "\u061c", "\u180e"])
def test_invisible_characters_are_shown_escaped(char: str) -> None:
    assert clean(f"TOKEN{char}session") == f"TOKEN\\u{ord(char):04x}session"


def test_a_body_of_too_many_values_is_refused_before_it_is_decoded() -> None:
    body = b'{"Result": {"X": [' + b"{}," * (MAX_JSON_VALUES // 2) + b"{}]}}"
    with pytest.raises(MalformedResponseError, match="too many"):
        decode_json(body)


def test_a_task_of_100000_streams_is_not_too_many_values() -> None:
    streams = b",".join(
        b'{"Index": 0, "UserId": "u%d", "StreamType": 0}' % i for i in range(100_000)
    )
    body = b'{"Result": {"SnapshotTask": {"TargetStreams": {"StreamList": [' + streams + b"]}}}}"
    _, data = decode_json(body)
    assert isinstance(data, dict)


def test_a_notification_quoting_server_text_is_never_markup(
    scene_sim: Simulator, clock: FakeClock
) -> None:
    """A stop reason that is broken markup (`[/]`) crashed the app; one that is good
    markup made a link that quits. Every widget's notify ends in the app's."""
    app = make_app(scene_sim, clock)

    async def go() -> list[bool]:
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause(0.2)
            app.notify("Task ended: IdleTimeOut [/]")
            app.screen.notify("Task failed: [@click=app.quit]Click[/]", markup=True)
            await pilot.pause(0.3)
            assert app.is_running
            return [n.markup for n in app._notifications]

    assert run(go()) == [False, False]


def test_the_clipboard_gets_no_control_character_and_no_key_of_ours(
    scene_sim: Simulator, clock: FakeClock
) -> None:
    app = make_app(scene_sim, clock)
    app.connection.credentials = CREDS

    async def go() -> list[str]:
        copied = []
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause(0.1)
            for text in (
                "harmless\x1b[201~; touch /tmp/PWNED\r",
                "ls\nrm -rf ~\n",
                f"key {AK.lower()} token {TOKEN}",
                '{\n  "a": "b\\nc"\n}',
            ):
                app.copy_to_clipboard(text)
                copied.append(app.clipboard)
        return copied

    escape, lines, keys, document = run(go())
    assert escape == "harmless\\u001b[201~; touch /tmp/PWNED\\u000d"
    assert lines == "ls\\u000arm -rf ~\\u000a"
    assert AK.lower() not in keys and TOKEN not in keys and keys.endswith("****")
    assert document == '{\n  "a": "b\\nc"\n}'  # a JSON document keeps its lines
