"""Text from libraries and the core ("the keyring did not answer...") as shown on screen."""

from __future__ import annotations


def sentence(text: str) -> str:
    """A capital first letter and a full stop, as every message on screen has."""
    text = text.strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "!", "?", "…")) else text + "."
