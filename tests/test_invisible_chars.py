"""Characters a terminal draws as nothing reach it as visible escapes, never as themselves."""

from __future__ import annotations

import json
import sys
import unicodedata

import pytest

from snaptui.output import dump_json
from snaptui.volc.safe_text import clean

# Seen passing through to the screen and to JSON output before: format characters
# (Arabic and Syriac number signs, Egyptian hieroglyph and shorthand format controls,
# musical symbol beams) and printable characters that draw as nothing.
SLIPPED_THROUGH = [
    "\u0600", "\u0605", "\u06dd", "\u070f", "\u0890", "\u0891", "\u08e2",
    "\U000110bd", "\U000110cd", "\U00013430", "\U00013438", "\U0001bca0", "\U0001bca3",
    "\U0001d173", "\U0001d17a",
    "\u034f", "\u17b4", "\u17b5", "\u180b", "\ufe00", "\ufe0f", "\u2800", "\U000e0100",
]  # fmt: skip


@pytest.mark.parametrize("char", SLIPPED_THROUGH, ids=lambda c: f"U+{ord(c):04X}")
def test_an_invisible_character_is_shown_as_an_escape(char: str) -> None:
    shown = clean(f"bucket{char}name")
    assert char not in shown
    assert shown == f"bucket\\u{ord(char):04x}name" or shown == f"bucket\\U{ord(char):08x}name"


@pytest.mark.parametrize("char", SLIPPED_THROUGH, ids=lambda c: f"U+{ord(c):04X}")
def test_json_output_escapes_it_and_reads_back_the_same(char: str) -> None:
    data = {"StopReason": f"x{char}y"}
    text = dump_json(data)
    assert char not in text
    assert json.loads(text) == data


def test_every_format_character_of_this_python_is_escaped() -> None:
    """Cf holds the bidi controls and zero-width characters; a newer Unicode adds more."""
    found = [chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Cf"]
    assert len(found) > 150
    left = [f"U+{ord(c):04X}" for c in found if c in clean(c)]
    assert left == []


def test_text_people_write_is_left_alone() -> None:
    for text in ["张三的屏幕共享", "Zoë · naïve café", "user 7\u00a0(nbsp)", "한국어", "😀 ok"]:
        assert clean(text) == text
