"""Keys from the environment and the OS keyring, against a real Secret Service."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import keyring
import keyring.backend
import pytest

from snaptui import credentials
from snaptui.simulator import Simulator
from snaptui.volc.errors import CredentialsError
from snaptui.volc.secret import Credentials, Secret
from tests.secret_service import set_locked

SENTINEL_SK = "snaptui-demo-secret"  # the simulator's; it must never be printed


def run(
    env: dict[str, str], *args: str, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "snaptui", *args],
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.fixture
def ss_env(secret_service_env: dict[str, str], tmp_path: Path) -> dict[str, str]:
    env = {
        k: v for k, v in secret_service_env.items() if not k.startswith(("VOLC", "PYTHON_KEYRING"))
    }
    env["SNAPTUI_CONFIG_DIR"] = str(tmp_path / "config")
    env["PYTHONPATH"] = str(Path(__file__).parent.parent)
    return env


@pytest.fixture
def in_process_keyring(secret_service_env: dict[str, str]) -> Iterator[None]:
    """Point this process's keyring at the test Secret Service."""
    saved = os.environ.get("DBUS_SESSION_BUS_ADDRESS")
    os.environ["DBUS_SESSION_BUS_ADDRESS"] = secret_service_env["DBUS_SESSION_BUS_ADDRESS"]
    from keyring.backends import SecretService

    keyring.set_keyring(SecretService.Keyring())
    yield
    if saved is None:
        os.environ.pop("DBUS_SESSION_BUS_ADDRESS", None)
    else:
        os.environ["DBUS_SESSION_BUS_ADDRESS"] = saved


def test_login_whoami_get_logout_under_a_real_secret_service(
    ss_env: dict[str, str], live_sim: Simulator
) -> None:
    login = run(
        ss_env,
        "login",
        "--profile",
        "oncall",
        "--access-key",
        "AKLTsnaptuidemo",
        "--secret-stdin",
        "--endpoint",
        live_sim.url,
        stdin=SENTINEL_SK + "\n",
    )
    assert login.returncode == 0, login.stderr
    assert "SecretService" in login.stderr and "****demo" in login.stderr

    whoami = run(ss_env, "whoami", "--profile", "oncall")
    assert whoami.returncode == 0
    assert "keyring (keyring.backends.SecretService.Keyring)" in whoami.stdout
    assert "****demo" in whoami.stdout and "AKLTsnaptuidemo" not in whoami.stdout

    got = run(ss_env, "get", "--profile", "oncall", "demo", "room-1", "task-ended")
    assert got.returncode == 0, got.stderr
    assert '"StopReason": "IdleTimeOut"' in got.stdout

    assert run(ss_env, "logout", "--profile", "oncall").returncode == 0
    after = run(ss_env, "get", "--profile", "oncall", "demo", "room-1", "task-ended")
    assert after.returncode == 3
    assert "snaptui login --profile oncall" in after.stderr

    everything = (
        login.stdout
        + login.stderr
        + whoami.stdout
        + whoami.stderr
        + got.stdout
        + got.stderr
        + after.stdout
        + after.stderr
    )
    assert SENTINEL_SK not in everything and "Traceback" not in everything
    for root in (ss_env["HOME"], ss_env["SNAPTUI_CONFIG_DIR"], ss_env["XDG_CONFIG_HOME"]):
        for path in Path(root).rglob("*"):
            if path.is_file():
                assert SENTINEL_SK.encode() not in path.read_bytes(), path


def test_no_backend_login_fails_naming_the_variables(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("VOLC")}
    env.update(
        PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring", SNAPTUI_CONFIG_DIR=str(tmp_path)
    )
    result = run(env, "login", "--access-key", "AKLTx", "--secret-stdin", stdin="sk\n")
    assert result.returncode == 3
    assert "no safe keyring here (none found)" in result.stderr
    assert "VOLCENGINE_ACCESS_KEY and VOLCENGINE_SECRET_KEY" in result.stderr
    assert "Traceback" not in result.stderr and not list(tmp_path.rglob("*"))


def test_environment_wins_over_keyring(in_process_keyring: None) -> None:
    credentials.save_to_keyring("envtest", Credentials("AKLTkeyring", Secret("sk1")))
    env = {"VOLC_ACCESSKEY": "AKLTenvironment", "VOLC_SECRETKEY": "sk2"}
    assert credentials.resolve("envtest", env).source == "environment (VOLC_ACCESSKEY)"
    found = credentials.resolve("envtest", {})
    assert found.source.startswith("keyring (") and found.credentials.access_key == "AKLTkeyring"
    assert credentials.delete_from_keyring("envtest")


def test_session_token_round_trips(in_process_keyring: None) -> None:
    creds = Credentials("AKLTsts", Secret("sk"), Secret("token-1"))
    credentials.save_to_keyring("sts", creds)
    found = credentials.load_from_keyring("sts")
    assert found is not None and found.credentials.session_token == Secret("token-1")
    credentials.delete_from_keyring("sts")


def test_locked_collection_is_refused_not_waited_on(
    in_process_keyring: None, secret_service_env: dict[str, str]
) -> None:
    set_locked(secret_service_env, True)
    try:
        started = time.monotonic()
        with pytest.raises(CredentialsError, match="locked"):
            credentials.load_from_keyring("default")
        assert time.monotonic() - started < 3
    finally:
        set_locked(secret_service_env, False)


class HangingKeyring(keyring.backend.KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def get_password(self, service: str, username: str) -> str | None:
        time.sleep(30)
        return None

    def set_password(self, service: str, username: str, password: str) -> None:
        time.sleep(30)

    def delete_password(self, service: str, username: str) -> None:
        time.sleep(30)


class ForgetfulKeyring(keyring.backend.KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def get_password(self, service: str, username: str) -> str | None:
        return None

    def set_password(self, service: str, username: str, password: str) -> None:
        pass

    def delete_password(self, service: str, username: str) -> None:
        pass


class BrokenKeyring(ForgetfulKeyring):
    def get_password(self, service: str, username: str) -> str | None:
        raise RuntimeError("dbus went away")


@pytest.fixture
def backend(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """Sets a backend; the test doubles above count as trusted (the allow-list is tested
    with real backends below)."""
    saved = keyring.get_keyring()
    doubles = {credentials.backend_name(cls()) for cls in (HangingKeyring, ForgetfulKeyring)}
    doubles.add(credentials.backend_name(BrokenKeyring()))
    monkeypatch.setattr(credentials, "ALLOWED_BACKENDS", credentials.ALLOWED_BACKENDS | doubles)
    yield keyring.set_keyring
    keyring.set_keyring(saved)


def test_hanging_backend_times_out(backend: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    backend(HangingKeyring())
    monkeypatch.setattr(credentials, "KEYRING_TIMEOUT", 0.5)
    started = time.monotonic()
    with pytest.raises(CredentialsError, match=r"did not answer within 0\.5 s"):
        credentials.load_from_keyring("default")
    assert time.monotonic() - started < 2


def test_backend_that_drops_writes_is_caught(backend: Any) -> None:
    backend(ForgetfulKeyring())
    with pytest.raises(CredentialsError, match="did not keep them"):
        credentials.save_to_keyring("p", Credentials("AKLTx", Secret("sk")))


def test_backend_exception_becomes_a_clear_message(backend: Any) -> None:
    backend(BrokenKeyring())
    with pytest.raises(
        CredentialsError, match=r"failed to read the keys \(RuntimeError\)"
    ) as caught:
        credentials.load_from_keyring("p")
    # A backend's own text may quote what it was handed: never repeated.
    assert "dbus went away" not in str(caught.value)


@pytest.mark.parametrize(
    "name",
    [
        "keyring.backends.fail.Keyring",
        "keyring.backends.null.Keyring",
        "keyrings.alt.file.PlaintextKeyring",
        "keyrings.alt.file.EncryptedKeyring",
    ],
)
def test_backends_that_do_not_keep_secrets_are_refused_by_name(backend: Any, name: str) -> None:
    import importlib

    module, cls = name.rsplit(".", 1)
    backend(getattr(importlib.import_module(module), cls)())
    found = "only keyrings.alt's files" if name.startswith("keyrings.alt") else "none found"
    refused = rf"no safe keyring here \({re.escape(found)}\)\. Set VOLCENGINE_ACCESS_KEY"
    with pytest.raises(CredentialsError, match=refused):
        credentials.keyring_backend_name()


def test_a_chain_of_untrusted_backends_is_refused_and_writes_nothing(tmp_path: Path) -> None:
    """keyrings.alt installed and no Secret Service: the chainer holds only file backends.
    Nothing may be written to them, and the refusal names them."""
    home = tmp_path / "home"
    home.mkdir()
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("VOLC", "PYTHON_KEYRING", "DBUS", "XDG"))
    }
    env.update(
        HOME=str(home),
        SNAPTUI_CONFIG_DIR=str(tmp_path / "config"),
        PYTHON_KEYRING_BACKEND="keyring.backends.chainer.ChainerBackend",
        DBUS_SESSION_BUS_ADDRESS="unix:path=/nonexistent",
        PYTHONPATH=str(Path(__file__).parent.parent),
    )
    login = run(
        env, "login", "--access-key", "AKLTchained", "--secret-stdin", stdin=SENTINEL_SK + "\n"
    )
    assert login.returncode == 3, login.stderr
    assert "no safe keyring here (only keyrings.alt's files)" in login.stderr
    written = [p for p in home.rglob("*") if p.is_file()]
    assert written == [], written


def test_a_chain_with_a_trusted_backend_uses_only_that_one(
    in_process_keyring: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from keyring.backends import SecretService
    from keyring.backends.chainer import ChainerBackend
    from keyrings.alt.file import PlaintextKeyring

    plain = PlaintextKeyring()
    plain.file_path = str(tmp_path / "plain.cfg")  # type: ignore[misc]
    secret_service = SecretService.Keyring()
    monkeypatch.setattr(ChainerBackend, "backends", property(lambda self: [secret_service, plain]))
    keyring.set_keyring(ChainerBackend())
    saved = credentials.save_to_keyring("chained", Credentials("AKLTchain", Secret("sk-x")))
    try:
        assert saved == "keyring.backends.SecretService.Keyring"
        assert not (tmp_path / "plain.cfg").exists()
        found = credentials.load_from_keyring("chained")
        assert found is not None and found.credentials.secret_key == Secret("sk-x")
    finally:
        credentials.delete_from_keyring("chained")
