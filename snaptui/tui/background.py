"""Blocking work (a keyring call) on a daemon thread that never holds the app's exit.

Textual's thread workers run on asyncio's default executor, which the event loop waits
for when it closes: a keyring lookup hanging for 5 s kept Ctrl+Q waiting as long.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import threading
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def in_background(work: Callable[[], T], done: Callable[[T | Exception], None]) -> None:
    """Run `work` off the UI thread; `done` gets its result (or exception) on the UI
    thread. If the app has gone by then, the result is dropped."""
    loop = asyncio.get_running_loop()
    # `done` runs in this context: Textual finds its app and screen through it.
    context = contextvars.copy_context()

    def target() -> None:
        result: T | Exception
        try:
            result = work()
        except Exception as exc:
            result = exc
        with contextlib.suppress(RuntimeError):  # the loop has closed: nobody to tell
            loop.call_soon_threadsafe(done, result, context=context)

    threading.Thread(target=target, name="snaptui-background", daemon=True).start()
