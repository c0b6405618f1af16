"""Text from libraries and the core ("the keyring did not answer...") as shown on screen."""

from __future__ import annotations

from snaptui.i18n import N_, translate


def sentence(text: str) -> str:
    """A capital first letter and a full stop, as every message on screen has."""
    text = text.strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "!", "?", "…")) else text + "."


# Where keys come from, as the connection records them ('keyring (SecretService)'): the
# record stays in English (code compares it), the screen says it in the user's language.
_SOURCES = {
    "environment": N_("environment"),
    "keyring": N_("keyring"),
    "this session only": N_("this session only"),
    "demo simulator": N_("demo simulator"),
}


def source_words(source: str) -> str:
    """'keyring (SecretService)' in the current language; an unknown source as it is."""
    head, space, rest = source.partition(" (")
    if head in _SOURCES:
        return translate(_SOURCES[head]) + (f" ({rest}" if space else "")
    return translate(_SOURCES[source]) if source in _SOURCES else source
