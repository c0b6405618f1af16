"""A real, throwaway Secret Service: gnome-keyring on a private D-Bus session bus.

Nothing touches the user's own keyring: the bus, the daemon and its files live in a
temporary directory with its own HOME and XDG dirs; no display is set, so no unlock
dialog can ever appear.
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

BUS_CONFIG = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir={run}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"""


class Unavailable(RuntimeError):
    pass


@contextmanager
def secret_service() -> Iterator[dict[str, str]]:
    """Yield the environment that points keyring at a fresh, unlocked Secret Service."""
    for tool in ("dbus-daemon", "gnome-keyring-daemon"):
        if shutil.which(tool) is None:
            raise Unavailable(f"{tool} is not installed (Debian: dbus gnome-keyring)")
    root = Path(tempfile.mkdtemp(prefix="snaptui-secret-service-"))
    dirs = {name: root / name for name in ("home", "run", "data", "config", "cache")}
    for path in dirs.values():
        path.mkdir(mode=0o700)
    (root / "bus.conf").write_text(BUS_CONFIG.format(run=dirs["run"]))
    env = {
        k: v
        for k, v in os.environ.items()
        if k
        not in (
            "DISPLAY",
            "WAYLAND_DISPLAY",
            "DBUS_SESSION_BUS_ADDRESS",
            "PYTHON_KEYRING_BACKEND",
            "GNOME_KEYRING_CONTROL",
        )
    }
    env.update(
        HOME=str(dirs["home"]),
        XDG_RUNTIME_DIR=str(dirs["run"]),
        XDG_DATA_HOME=str(dirs["data"]),
        XDG_CONFIG_HOME=str(dirs["config"]),
        XDG_CACHE_HOME=str(dirs["cache"]),
    )
    bus = subprocess.Popen(
        ["dbus-daemon", f"--config-file={root / 'bus.conf'}", "--nofork", "--print-address"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=env,
        text=True,
    )
    daemon = None
    try:
        assert bus.stdout is not None
        address = bus.stdout.readline().strip()
        if not address:
            raise Unavailable("dbus-daemon did not start")
        env["DBUS_SESSION_BUS_ADDRESS"] = address
        password = secrets.token_hex(16)
        control = dirs["run"] / "keyring"
        control.mkdir(mode=0o700)
        daemon = subprocess.Popen(
            [
                "gnome-keyring-daemon",
                "--foreground",
                "--unlock",
                "--components=secrets",
                f"--control-directory={control}",
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=env,
        )
        assert daemon.stdin is not None
        daemon.stdin.write(password.encode())
        daemon.stdin.close()
        _wait_unlocked(env)
        env["SNAPTUI_TEST_KEYRING_PASSWORD"] = password
        yield env
    finally:
        for proc in (daemon, bus):
            if proc is not None:
                proc.terminate()
                try:
                    proc.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    proc.kill()
        shutil.rmtree(root, ignore_errors=True)


def _wait_unlocked(env: dict[str, str], timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        probe = subprocess.run(
            [
                "dbus-send",
                "--session",
                "--print-reply=literal",
                "--reply-timeout=2000",
                "--dest=org.freedesktop.secrets",
                "/org/freedesktop/secrets/aliases/default",
                "org.freedesktop.DBus.Properties.Get",
                "string:org.freedesktop.Secret.Collection",
                "string:Locked",
            ],
            capture_output=True,
            text=True,
            env=env,
        )
        if "boolean false" in probe.stdout:
            return
        time.sleep(0.05)
    raise Unavailable("gnome-keyring-daemon did not come up with an unlocked collection")


def set_locked(env: dict[str, str], locked: bool) -> None:
    """Lock the default collection, or unlock it with the daemon's own password."""
    import secretstorage
    from secretstorage.util import DBusAddressWrapper, format_secret, open_session

    saved = os.environ.get("DBUS_SESSION_BUS_ADDRESS")
    os.environ["DBUS_SESSION_BUS_ADDRESS"] = env["DBUS_SESSION_BUS_ADDRESS"]
    try:
        bus = secretstorage.dbus_init()
        if locked:
            secretstorage.get_default_collection(bus).lock()
        else:
            session = open_session(bus)
            DBusAddressWrapper(
                "/org/freedesktop/secrets",
                "org.gnome.keyring.InternalUnsupportedGuiltRiddenInterface",
                bus,
            ).call(
                "UnlockWithMasterPassword",
                "o(oayays)",
                "/org/freedesktop/secrets/collection/login",
                format_secret(session, env["SNAPTUI_TEST_KEYRING_PASSWORD"].encode(), "text/plain"),
            )
        bus.close()
    finally:
        if saved is None:
            os.environ.pop("DBUS_SESSION_BUS_ADDRESS", None)
        else:
            os.environ["DBUS_SESSION_BUS_ADDRESS"] = saved
