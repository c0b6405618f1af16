"""What the app remembers between runs that is not a profile: the theme.

Kept in `ui.json` next to settings.json, so the app's look never rewrites the file that
holds profiles. A missing or broken file reads as no preference.
"""

from __future__ import annotations

import contextlib
import json
import os

from snaptui.settings import config_dir


def _path() -> os.PathLike[str]:
    return config_dir() / "ui.json"


def load_theme() -> str | None:
    try:
        with open(_path(), encoding="utf-8") as f:
            data = json.load(f)
    except (OSError, ValueError, RecursionError):
        return None
    theme = data.get("theme") if isinstance(data, dict) else None
    return theme if isinstance(theme, str) and theme.isprintable() else None


def save_theme(theme: str) -> None:
    path = config_dir() / "ui.json"
    # A read-only or odd config dir must never stop the app: the theme is a nicety.
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".ui.{os.getpid()}.tmp")
        tmp.write_text(json.dumps({"theme": theme}) + "\n", encoding="utf-8")
        os.replace(tmp, path)
