"""What the app remembers between runs that is not a profile: the theme, the language.

Kept in `ui.json` next to settings.json, so the app's look never rewrites the file that
holds profiles; read and written with the same care as settings.json. A missing file is
no preference. One that cannot be read is no preference too (these are niceties, never
a reason not to start), is never written over, and the app says so once it runs.
"""

from __future__ import annotations

import contextlib
import os

from snaptui.i18n import LANGUAGES
from snaptui.settings import (
    SettingsFileError,
    SettingsWriteError,
    config_dir,
    read_json,
    update_json,
)
from snaptui.volc.errors import InvalidSettingError

FILE = "ui.json"


def _path() -> str:
    return os.path.join(config_dir(), FILE)


def _load() -> dict[str, object]:
    """SettingsFileError naming ui.json when it cannot be read."""
    return read_json(_path())


def _save(**values: str) -> None:
    """Write `values` over what the file holds: the theme keeps the language and back."""

    def change(data: dict[str, object]) -> None:
        for key in [k for k, v in data.items() if not isinstance(v, str)]:
            del data[key]
        data.update(values)

    # A read-only or odd config dir must never stop the app, and a broken ui.json stays
    # as it is (the app said so at start).
    with contextlib.suppress(OSError, InvalidSettingError, SettingsWriteError):
        update_json(FILE, change)


def load_theme() -> str | None:
    """The theme last chosen; SettingsFileError naming ui.json when it cannot be read."""
    theme = _load().get("theme")
    return theme if isinstance(theme, str) and theme.isprintable() else None


def save_theme(theme: str) -> None:
    _save(theme=theme)


def load_language() -> str | None:
    """The language last chosen in the app, if any (None when ui.json cannot be read:
    the app, once started in the locale's language, says why)."""
    try:
        value = _load().get("language")
    except SettingsFileError:
        return None
    return value if isinstance(value, str) and value in LANGUAGES else None


def save_language(language: str) -> None:
    _save(language=language)
