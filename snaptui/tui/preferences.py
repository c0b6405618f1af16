"""What the app remembers between runs that is not a profile: the theme, the language.

Kept in `ui.json` next to settings.json, so the app's look never rewrites the file that
holds profiles. A missing or broken file reads as no preference.
"""

from __future__ import annotations

import contextlib
import json
import os
from typing import Any

from snaptui.i18n import LANGUAGES
from snaptui.settings import config_dir


def _path() -> os.PathLike[str]:
    return config_dir() / "ui.json"


def _load() -> dict[str, Any]:
    try:
        with open(_path(), encoding="utf-8") as f:
            data = json.load(f)
    except (OSError, ValueError, RecursionError):
        return {}
    return data if isinstance(data, dict) else {}


def _save(**values: str) -> None:
    """Write `values` over what the file holds: the theme keeps the language and back."""
    path = config_dir() / "ui.json"
    data = {k: v for k, v in _load().items() if isinstance(v, str)}
    data.update(values)
    # A read-only or odd config dir must never stop the app: these are niceties.
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".ui.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(data) + "\n", encoding="utf-8")
        os.replace(tmp, path)


def load_theme() -> str | None:
    theme = _load().get("theme")
    return theme if isinstance(theme, str) and theme.isprintable() else None


def save_theme(theme: str) -> None:
    _save(theme=theme)


def load_language() -> str | None:
    """The language last chosen in the app, if any."""
    value = _load().get("language")
    return value if value in LANGUAGES else None


def save_language(language: str) -> None:
    _save(language=language)
