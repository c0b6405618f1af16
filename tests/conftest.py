from __future__ import annotations

from collections.abc import Iterator

import pytest

from snaptui.simulator import Gateway, Simulator
from tests.helpers import FakeClock


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def sim(clock: FakeClock) -> Iterator[Simulator]:
    """The demo simulator on a free loopback port, on a clock the test moves."""
    with Simulator(Gateway(clock=clock)) as running:
        yield running


@pytest.fixture
def live_sim() -> Iterator[Simulator]:
    """The demo simulator on the real clock, for requests signed by other software."""
    with Simulator(Gateway()) as running:
        yield running


@pytest.fixture(autouse=True)
def _isolated_config(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    # No test reads or writes the user's real settings, or their keys.
    monkeypatch.setenv("SNAPTUI_CONFIG_DIR", str(tmp_path_factory.mktemp("config")))
    for name in (
        "VOLC_ACCESSKEY",
        "VOLC_SECRETKEY",
        "VOLCENGINE_ACCESS_KEY",
        "VOLCENGINE_SECRET_KEY",
        "VOLCENGINE_SESSION_TOKEN",
    ):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="session")
def secret_service_env() -> Iterator[dict[str, str]]:
    """A real Secret Service for the session; skipped where it cannot start, except in CI
    (SNAPTUI_REQUIRE_SECRET_SERVICE=1), where that is a failure."""
    import os

    from tests.secret_service import Unavailable, secret_service

    try:
        with secret_service() as env:
            yield env
    except Unavailable as exc:
        if os.environ.get("SNAPTUI_REQUIRE_SECRET_SERVICE") == "1":
            pytest.fail(f"the Secret Service could not start: {exc}")
        pytest.skip(f"no Secret Service here: {exc}")
