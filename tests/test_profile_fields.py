"""A profile field that is there but cannot be used is an error naming the file and the
field, never the production endpoint or the default region in its place."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers import DEMO_ENV, cli


def settings(tmp_path: Path, profiles: object) -> dict[str, str]:
    (tmp_path / "settings.json").write_text(json.dumps({"profiles": profiles}), encoding="utf-8")
    return {**DEMO_ENV, "SNAPTUI_CONFIG_DIR": str(tmp_path)}


@pytest.mark.parametrize(
    ("profiles", "named"),
    [
        ({"stag": {"endpoint": "https://staging.example.com\n"}}, "endpoint"),
        ({"stag": {"endpoint": ["https://staging.example.com"]}}, "endpoint"),
        ({"stag": {"endpoint": 5}}, "endpoint"),
        ({"stag": {"endpoint": "https://x.example.com/\x1b[2J"}}, "endpoint"),
        ({"stag": {"endpoint": "https://" + "x" * 3000 + ".com"}}, "endpoint"),
        ({"stag": {"endpoint": "volcengine", "region": "cn north 1"}}, "region"),
        ({"stag": []}, "'stag'"),
        ([], "profiles"),
    ],
    ids=["newline", "list", "number", "escape", "too-long", "region", "not-an-object", "profiles"],
)
def test_an_unusable_profile_field_is_an_error_naming_it(
    tmp_path: Path, profiles: object, named: str
) -> None:
    done = cli(
        "get", "--debug", "--profile", "stag", "a", "r", "t", env=settings(tmp_path, profiles)
    )
    assert done.code == 2, done.err
    lines = done.err.strip().splitlines()
    assert len(lines) == 1 and "settings.json" in lines[0] and named in lines[0], done.err
    assert "rtc.volcengineapi.com" not in done.err  # nothing was sent to production
    assert "\x1b" not in done.err
    assert json.loads((tmp_path / "settings.json").read_text())["profiles"] == profiles


def test_absent_or_null_fields_mean_the_defaults(tmp_path: Path) -> None:
    env = settings(tmp_path, {"stag": {"endpoint": "volcengine", "region": None}})
    done = cli("whoami", "--profile", "stag", env=env)
    assert done.code == 0, done.err
    assert "rtc.volcengineapi.com" in done.out and "cn-north-1" in done.out
