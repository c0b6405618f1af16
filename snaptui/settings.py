"""Non-secret settings (profiles: endpoint and region) in the platform's config dir.

Never holds a key: secrets live in the OS keyring or the environment.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

DEFAULT_PROFILE = "default"


def config_dir() -> Path:
    """$SNAPTUI_CONFIG_DIR, else the platform's per-user config dir."""
    override = os.environ.get("SNAPTUI_CONFIG_DIR")
    if override:
        return Path(override)
    if sys.platform == "win32":
        base = Path(os.environ.get("APPDATA") or Path.home() / "AppData" / "Roaming")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    return base / "snaptui"


@dataclass
class Profile:
    name: str = DEFAULT_PROFILE
    endpoint: str = "volcengine"  # a preset name or a URL
    region: str | None = None  # None: the preset's region


def settings_path() -> Path:
    return config_dir() / "settings.json"


def _read() -> dict[str, object]:
    try:
        data = json.loads(settings_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _write(data: dict[str, object]) -> None:
    path = settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def load_profile(name: str = DEFAULT_PROFILE) -> Profile:
    profiles = _read().get("profiles")
    raw = profiles.get(name) if isinstance(profiles, dict) else None
    if not isinstance(raw, dict):
        return Profile(name)
    endpoint = raw.get("endpoint")
    region = raw.get("region")
    return Profile(
        name,
        endpoint if isinstance(endpoint, str) and endpoint else "volcengine",
        region if isinstance(region, str) and region else None,
    )


def save_profile(profile: Profile) -> None:
    data = _read()
    profiles = data.get("profiles")
    if not isinstance(profiles, dict):
        profiles = {}
    fields = asdict(profile)
    del fields["name"]
    profiles[profile.name] = fields
    data["profiles"] = profiles
    _write(data)


# --- recent queries ---------------------------------------------------------------

MAX_RECENT = 50


def recent_path() -> Path:
    return config_dir() / "recent.json"


def _read_recent() -> dict[str, object]:
    try:
        data = json.loads(recent_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def load_recent(profile: str = DEFAULT_PROFILE) -> list[tuple[str, str, str]]:
    """Last queries of a profile, newest first. Ids only: nothing secret is ever kept here."""
    items = _read_recent().get(profile)
    if not isinstance(items, list):
        return []
    return [
        (item[0], item[1], item[2])
        for item in items
        if isinstance(item, list) and len(item) == 3 and all(isinstance(x, str) for x in item)
    ][:MAX_RECENT]


def add_recent(
    ids: tuple[str, str, str], profile: str = DEFAULT_PROFILE
) -> list[tuple[str, str, str]]:
    recent = [ids] + [r for r in load_recent(profile) if r != ids]
    recent = recent[:MAX_RECENT]
    data = _read_recent()
    data[profile] = [list(r) for r in recent]
    path = recent_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(data) + "\n", encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        pass  # a read-only home must not stop anyone from querying
    return recent
