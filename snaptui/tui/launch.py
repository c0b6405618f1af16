"""Start the app: on real keys, or on the built-in simulator (`snaptui demo`)."""

from __future__ import annotations

import socket
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from snaptui import credentials
from snaptui.connection import Connection
from snaptui.settings import load_profile
from snaptui.volc.endpoints import Endpoint, resolve_endpoint
from snaptui.volc.secret import Credentials, Secret

Ids = tuple[str, str, str]


class DemoServer:
    """The simulator behind `snaptui demo`: its port is bound at once so the app knows
    its URL, and it starts serving when the first request is about to be made."""

    def __init__(self) -> None:
        self._socket = socket.create_server(("127.0.0.1", 0), backlog=256)
        self.url = f"http://127.0.0.1:{self._socket.getsockname()[1]}"
        self._simulator: Any = None
        self._lock = threading.Lock()

    def start(self) -> None:
        from snaptui.simulator import Simulator

        with self._lock:
            if self._simulator is None:
                self._simulator = Simulator(sock=self._socket).start()

    def stop(self) -> None:
        with self._lock:
            if self._simulator is not None:
                self._simulator.stop()
            else:
                self._socket.close()


def demo_connection() -> tuple[Connection, DemoServer]:
    from snaptui.simulator import DEMO_ACCESS_KEY, DEMO_SECRET_KEY

    server = DemoServer()
    creds = Credentials(DEMO_ACCESS_KEY, Secret(DEMO_SECRET_KEY))
    endpoint = Endpoint(server.url, "cn-north-1", "simulator")
    connection = Connection(endpoint, creds, "demo simulator", "demo", prepare=server.start)
    return connection, server


@dataclass(frozen=True)
class AppOptions:
    """What the command line asks of the app: where to connect, and what to open."""

    tasks: Sequence[Ids] = ()
    demo: bool = False
    profile: str = "default"
    endpoint: str | None = None  # a preset or URL; None: the profile's
    region: str | None = None
    notes: Sequence[str] = field(default=())  # shown once the app is up (bad watch lines)


def user_connection(
    profile_name: str = "default", endpoint_name: str | None = None, region: str | None = None
) -> Connection:
    profile = load_profile(profile_name)
    endpoint = resolve_endpoint(endpoint_name or profile.endpoint, region or profile.region)
    # Only the environment here: the keyring is asked off the UI thread once the app runs.
    found = credentials.from_environment()
    if found is None:
        return Connection(endpoint, None, "none", profile_name)
    return Connection(endpoint, found.credentials, found.source, profile_name)


def start_language(lang: str | None = None) -> str:
    """The language to start in: `--lang`, SNAPTUI_LANG, the one chosen in the app last
    time, the locale. Set before the app's modules are imported, as their key
    descriptions are translated when their classes are made."""
    from snaptui import i18n
    from snaptui.preferences import load_language

    language = i18n.language_from(lang, remembered=load_language())
    i18n.set_language(language)
    return language


def run_app(options: AppOptions, *, lang: str | None = None) -> int:
    """`lang`: what the command line asked for (--lang), if anything."""
    start_language(lang)
    server = None
    if options.demo:
        connection, server = demo_connection()
    else:
        connection = user_connection(options.profile, options.endpoint, options.region)
        if connection.credentials is None:
            connection.look_up_keys()
    if options.tasks:
        connection.send_early(options.tasks[0])
    from snaptui.tui.app import SnaptuiApp
    from snaptui.tui.language import apply_language

    tasks, notes, shown = options.tasks, options.notes, None
    try:
        while True:
            app = SnaptuiApp(connection, tasks=tasks, notes=notes, shown=shown)
            result = app.run()
            if app.restart_in is None or app.return_code:
                break
            # The language was switched in the app: the same connection (keys entered
            # for the session included) and the same tasks, in a new app in that language.
            apply_language(app.restart_in)
            tasks, notes, shown = app.reopen, (), app.reshow
    finally:
        if server is not None:
            server.stop()
    # A crash has a return code of 1 even though run() returns no result.
    return app.return_code or result or 0
