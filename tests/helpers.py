"""Shared test tools: a clock tests move by hand, and running the real CLI."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import Coroutine
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from snaptui.simulator import DEMO_ACCESS_KEY, DEMO_SECRET_KEY
from snaptui.volc.secret import Credentials, Secret

T = TypeVar("T")
DATA = Path(__file__).parent / "data"
# 2026-11-24 10:00:00 UTC: a fixed "now" for everything that shows time.
FIXED_NOW = 1795514400.0
DEMO_CREDS = Credentials(DEMO_ACCESS_KEY, Secret(DEMO_SECRET_KEY))


class FakeClock:
    """Epoch seconds that move only when a test says so."""

    def __init__(self, now: float = FIXED_NOW) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def run(coro: Coroutine[Any, Any, T]) -> T:
    return asyncio.run(coro)


@dataclass
class CliResult:
    code: int
    out: str
    err: str


def cli(*args: str, env: dict[str, str] | None = None, timeout: float = 60) -> CliResult:
    """Run `python -m snaptui ARGS` as a user would, with a clean credential environment."""
    base = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("VOLC", "SNAPTUI", "PYTHON_KEYRING"))
    }
    base.update(env or {})
    proc = subprocess.run(
        [sys.executable, "-m", "snaptui", *args],
        capture_output=True,
        text=True,
        env=base,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )
    return CliResult(proc.returncode, proc.stdout, proc.stderr)


DEMO_ENV = {"VOLC_ACCESSKEY": DEMO_ACCESS_KEY, "VOLC_SECRETKEY": DEMO_SECRET_KEY}
