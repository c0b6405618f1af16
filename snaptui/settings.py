"""Non-secret settings (profiles: endpoint and region) in the platform's config dir.

Never holds a key: secrets live in the OS keyring or the environment.
"""

from __future__ import annotations

import contextlib
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


def _read_json(path: Path) -> dict[str, object]:
    """A JSON object from a file; anything missing or broken reads as empty."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _write_json(path: Path, data: dict[str, object]) -> None:
    """Write through a temporary file, so a crash never leaves half a file behind."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def load_profile(name: str = DEFAULT_PROFILE) -> Profile:
    profiles = _read_json(settings_path()).get("profiles")
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
    data = _read_json(settings_path())
    profiles = data.get("profiles")
    if not isinstance(profiles, dict):
        profiles = {}
    fields = asdict(profile)
    del fields["name"]
    profiles[profile.name] = fields
    data["profiles"] = profiles
    _write_json(settings_path(), data)


# --- recent queries ---------------------------------------------------------------

MAX_RECENT = 50


def recent_path() -> Path:
    return config_dir() / "recent.json"


def load_recent(profile: str = DEFAULT_PROFILE) -> list[tuple[str, str, str]]:
    """Last queries of a profile, newest first. Ids only: nothing secret is ever kept here."""
    items = _read_json(recent_path()).get(profile)
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
    data = _read_json(recent_path())
    data[profile] = [list(r) for r in recent]
    # A read-only home must not stop anyone from querying.
    with contextlib.suppress(OSError):
        _write_json(recent_path(), data)
    return recent
