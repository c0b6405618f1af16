"""Settings and recent queries: outside text checked on load, writes locked and atomic."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from snaptui import settings
from snaptui.settings import ConfigDirError, Profile

ROOT = Path(__file__).parent.parent


@pytest.fixture(autouse=True)
def config_here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SNAPTUI_CONFIG_DIR", str(tmp_path))


def login_env(secret_service_env: dict[str, str], config: Path) -> dict[str, str]:
    env = {
        k: v for k, v in secret_service_env.items() if not k.startswith(("VOLC", "PYTHON_KEYRING"))
    }
    env["SNAPTUI_CONFIG_DIR"] = str(config)
    env["PYTHONPATH"] = str(ROOT)
    return env


def start_login(env: dict[str, str], profile: str) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "snaptui",
            "login",
            "--profile",
            profile,
            "--access-key",
            f"AKLT{profile}",
            "--secret-stdin",
            "--endpoint",
            f"http://127.0.0.1:{8000 + int(profile[1:])}",
        ],
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdin is not None
    proc.stdin.write("sk-concurrent\n")
    proc.stdin.close()
    return proc


def run_logout(env: dict[str, str], profile: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "snaptui", "logout", "--profile", profile],
        env=env,
        capture_output=True,
        timeout=60,
    )


def test_sixteen_concurrent_logins_keep_sixteen_profiles(
    secret_service_env: dict[str, str], tmp_path: Path
) -> None:
    env = login_env(secret_service_env, tmp_path / "config")
    profiles = [f"p{i}" for i in range(16)]
    procs = [start_login(env, name) for name in profiles]
    try:
        for proc in procs:
            assert proc.wait(timeout=120) == 0, proc.stderr.read() if proc.stderr else ""
        saved = json.loads((tmp_path / "config" / "settings.json").read_text())["profiles"]
        assert sorted(saved) == sorted(profiles)
        for name in profiles:
            assert saved[name]["endpoint"] == f"http://127.0.0.1:{8000 + int(name[1:])}"
        # No temporary file is left behind.
        assert sorted(p.name for p in (tmp_path / "config").iterdir()) == [
            ".lock",
            "settings.json",
        ]
    finally:
        for name in profiles:
            run_logout(env, name)


def test_login_under_a_regular_file_fails_before_anything_is_saved(
    secret_service_env: dict[str, str], tmp_path: Path
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    env = login_env(secret_service_env, blocker / "snaptui")
    proc = start_login(env, "p99")
    assert proc.wait(timeout=60) == 2
    err = proc.stderr.read() if proc.stderr else ""
    assert "cannot use the config dir" in err and "part of its path is a file" in err
    assert "Traceback" not in err
    logout = subprocess.run(
        [sys.executable, "-m", "snaptui", "logout", "--profile", "p99"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    # The keys were never written to the keyring.
    assert logout.returncode == 0 and "had no keys" in logout.stderr, logout.stderr


def test_config_dir_errors_say_why(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("SNAPTUI_CONFIG_DIR", str(blocker))
    with pytest.raises(ConfigDirError, match="a file is in the way"):
        settings.save_profile(Profile("p"))
    monkeypatch.setenv("SNAPTUI_CONFIG_DIR", str(blocker / "below"))
    with pytest.raises(ConfigDirError, match="part of its path is a file"):
        settings.save_profile(Profile("p"))
    # Reading never fails: it is only settings.
    assert settings.load_profile("p") == Profile("p")
    # Recent queries are a convenience: a write that cannot happen is skipped.
    assert settings.add_recent(("a", "b", "c")) == [("a", "b", "c")]


def test_bad_ids_in_recent_queries_are_dropped_on_load(tmp_path: Path) -> None:
    (tmp_path / "recent.json").write_text(
        json.dumps(
            {
                "default": [
                    ["demo", "room-1", "task-1"],
                    ["demo", "room 1", "task-2"],
                    ["demo", "room-1", "t\u001b]52;c;eA==\u0007"],
                    ["demo", "room-1"],
                    ["x" * 129, "r", "t"],
                    ["demo", "room-1", "task-3"],
                ]
            }
        )
    )
    assert settings.load_recent() == [("demo", "room-1", "task-1"), ("demo", "room-1", "task-3")]
    recent = settings.add_recent(("demo", "room-1", "task-4"))
    assert recent[0] == ("demo", "room-1", "task-4") and len(recent) == 3
    kept = json.loads((tmp_path / "recent.json").read_text())["default"]
    assert all("\u001b" not in "".join(item) for item in kept)


@pytest.mark.parametrize(
    "content",
    ["[" * 100_000, "{" * 50_000, '{"profiles": ' * 3000, "\xff\xfe", "null", '"x"'],
    ids=["brackets", "braces", "nested-profiles", "not-utf8", "null", "string"],
)
def test_a_broken_settings_file_is_an_error_naming_it(content: str, tmp_path: Path) -> None:
    # Read as empty, it sent requests to the default endpoint (tests/test_settings_files.py).
    (tmp_path / "settings.json").write_text(content, encoding="latin-1")
    with pytest.raises(settings.SettingsFileError, match=r"settings\.json"):
        settings.load_profile()


def test_values_that_are_not_what_they_should_be_are_refused(tmp_path: Path) -> None:
    (tmp_path / "settings.json").write_text(
        json.dumps(
            {
                "profiles": {
                    "default": {"endpoint": "https://x\u001b]2;t\u0007", "region": "cn\u202e"},
                    "ok": {"endpoint": "volcengine-intl", "region": "ap-southeast-1"},
                }
            }
        )
    )
    # Never the production endpoint or the default region in their place.
    with pytest.raises(settings.SettingsFileError, match=r"settings\.json.*'default'.*endpoint"):
        settings.load_profile()
    assert settings.load_profile("ok") == Profile("ok", "volcengine-intl", "ap-southeast-1")


def test_a_save_keeps_other_profiles_and_other_keys(tmp_path: Path) -> None:
    (tmp_path / "settings.json").write_text(
        json.dumps({"profiles": {"a": {"endpoint": "byteplus"}}, "theme": "dark"})
    )
    settings.save_profile(Profile("b", "volcengine-intl", None))
    data = json.loads((tmp_path / "settings.json").read_text())
    assert data["theme"] == "dark"
    assert set(data["profiles"]) == {"a", "b"}
    assert os.stat(tmp_path / "settings.json").st_size > 0
