"""Start the app: on real keys, or on the built-in simulator (`snaptui demo`)."""

from __future__ import annotations

from snaptui import credentials
from snaptui.connection import Connection
from snaptui.settings import load_profile
from snaptui.volc.endpoints import resolve_endpoint
from snaptui.volc.errors import CredentialsError

Ids = tuple[str, str, str]


def demo_connection() -> tuple[Connection, object]:
    """A connection to a fresh simulator on a free loopback port, with its demo keys."""
    from snaptui.simulator import DEMO_ACCESS_KEY, DEMO_SECRET_KEY, Simulator
    from snaptui.volc.secret import Credentials, Secret

    sim = Simulator().start()
    creds = Credentials(DEMO_ACCESS_KEY, Secret(DEMO_SECRET_KEY))
    endpoint = resolve_endpoint(sim.url)
    endpoint = type(endpoint)(endpoint.url, endpoint.region, "simulator")
    return Connection(endpoint, creds, "demo simulator", "demo"), sim


def user_connection(profile_name: str = "default") -> Connection:
    profile = load_profile(profile_name)
    endpoint = resolve_endpoint(profile.endpoint, profile.region)
    try:
        found = credentials.resolve(profile_name)
    except CredentialsError:
        return Connection(endpoint, None, "none", profile_name)
    return Connection(endpoint, found.credentials, found.source, profile_name)


def run_app(ids: Ids | None, demo: bool = False) -> int:
    from snaptui.tui.app import SnaptuiApp

    sim = None
    if demo:
        connection, sim = demo_connection()
    else:
        connection = user_connection()
    try:
        result = SnaptuiApp(connection, ids).run()
    finally:
        if sim is not None:
            sim.stop()  # type: ignore[attr-defined]
    return result or 0
