"""The real programs in a real terminal: snaptui in tmux, `snaptui get` in a pty.

What a person sees goes through a terminal, so these tests read what the terminal made
of the program's bytes (the screen, the window title, the clipboard) and the bytes
themselves. Each Terminal is its own tmux server on a private socket.
"""

from __future__ import annotations

import contextlib
import os
import pty
import select
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

import pytest

SNAPTUI = [sys.executable, "-m", "snaptui"]


def require_tmux() -> None:
    """Skip where tmux is missing; in CI (which installs it) that is a failure."""
    if shutil.which("tmux") is None:
        if os.environ.get("CI"):
            pytest.fail("tmux is not installed (CI must install it)")
        pytest.skip("tmux is not installed")


class Terminal:
    """A program in tmux: type keys, paste, read the screen, the title, the clipboard and
    every byte the program wrote."""

    def __init__(
        self,
        argv: Sequence[str],
        *,
        size: tuple[int, int] = (80, 24),
        env: Mapping[str, str] | None = None,
        cwd: Path | None = None,
        log_dir: Path,
    ) -> None:
        require_tmux()
        self.socket = f"snaptui-test-{uuid.uuid4().hex[:12]}"
        self.log = log_dir / f"{self.socket}.bytes"
        self._exit_file = log_dir / f"{self.socket}.exit"
        ready = log_dir / f"{self.socket}.ready"
        full_env = {k: v for k, v in os.environ.items() if not k.startswith("TMUX")}
        full_env.update(env or {})
        full_env.setdefault("TERM", "xterm-256color")
        cols, rows = size
        env_args = [f"{k}={v}" for k, v in full_env.items()]
        command = shlex.join(["env", "-i", *env_args, *argv])
        # The program waits until the byte log is attached, so not one byte is missed;
        # its exit status is kept, and the pane stays open to be read afterwards.
        script = (
            f"while [ ! -e {shlex.quote(str(ready))} ]; do sleep 0.02; done; "
            f"{command}; echo $? > {shlex.quote(str(self._exit_file))}; sleep 600"
        )
        self._tmux(
            "-f",
            "/dev/null",
            "new-session",
            "-d",
            "-s",
            "t",
            "-x",
            str(cols),
            "-y",
            str(rows),
            *(["-c", str(cwd)] if cwd else []),
            script,
        )
        # The terminal honours OSC 52 (as the user's would), so a clipboard write shows up
        # as a tmux buffer; titles are recorded in pane_title.
        self._tmux("set-option", "-s", "set-clipboard", "on")
        self._tmux("set-option", "-g", "status", "off")
        self._tmux("pipe-pane", "-O", "-t", "t", f"cat >> {shlex.quote(str(self.log))}")
        ready.touch()

    def _tmux(self, *args: str) -> str:
        result = subprocess.run(
            ["tmux", "-L", self.socket, *args], capture_output=True, text=True, timeout=10
        )
        if result.returncode != 0:
            raise RuntimeError(f"tmux {' '.join(args)}: {result.stderr.strip()}")
        return result.stdout

    # -- input ---------------------------------------------------------------------

    def keys(self, *keys: str, pause: float = 0.15) -> None:
        """tmux key names (Tab, Enter, C-n, F2, Escape...), one send each, then a pause."""
        for key in keys:
            self._tmux("send-keys", "-t", "t", key)
            time.sleep(pause)

    def type(self, text: str, pause: float = 0.15) -> None:
        """Literal text, as one burst (a person typing fast over SSH)."""
        self._tmux("send-keys", "-t", "t", "-l", text)
        time.sleep(pause)

    def burst(self, *parts: str, pause: float = 0.15) -> None:
        """Text and keys that reach the program in one write: `burst("demo", "Tab", "room-1")`.
        Parts named in _KEY_BYTES are sent as those keys, the rest literally."""
        # send-keys writes each argument separately; one hex run arrives as one write.
        data = b"".join(_KEY_BYTES.get(p, p.encode()) for p in parts)
        self._tmux("send-keys", "-t", "t", "-H", *[f"{b:02x}" for b in data])
        time.sleep(pause)

    def paste(self, text: str, *, bracketed: bool = True, pause: float = 0.3) -> None:
        """Paste as a terminal does: bracketed if the program asked for it, else raw."""
        self._tmux("set-buffer", "-b", "paste", "--", text)
        self._tmux("paste-buffer", "-d", "-b", "paste", "-t", "t", *(["-p"] if bracketed else []))
        time.sleep(pause)

    # -- output --------------------------------------------------------------------

    def screen(self) -> str:
        return self._tmux("capture-pane", "-p", "-t", "t")

    def screen_with_colours(self) -> str:
        return self._tmux("capture-pane", "-p", "-e", "-t", "t")

    def wait_for(self, text: str, timeout: float = 10.0) -> str:
        """The screen once it shows `text`; fails with the screen if it never does."""
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.1)
        raise AssertionError(f"{text!r} never appeared; the screen:\n{screen}")

    def wait_until_gone(self, text: str, timeout: float = 10.0) -> str:
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if text not in screen:
                return screen
            time.sleep(0.1)
        raise AssertionError(f"{text!r} stayed; the screen:\n{screen}")

    def wait_for_written(self, data: bytes, timeout: float = 10.0) -> bytes:
        """Every byte written, once `data` is among them: for text a hostile program may
        have wiped off the screen right after writing it."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if data in (written := self.written()):
                return written
            time.sleep(0.1)
        raise AssertionError(f"{data!r} was never written; the screen:\n{self.screen()}")

    def written(self) -> bytes:
        """Every byte the program has written to the terminal so far."""
        return self.log.read_bytes() if self.log.exists() else b""

    def title(self) -> str:
        return self._tmux("display-message", "-p", "-t", "t", "#{pane_title}").rstrip("\n")

    def clipboard(self) -> list[str]:
        """What the program put on the clipboard (OSC 52), newest first."""
        names = self._tmux("list-buffers", "-F", "#{buffer_name}").split()
        return [self._tmux("show-buffer", "-b", name) for name in names]

    def pids(self) -> list[int]:
        """The processes running in the terminal: the pane's shell and its descendants."""
        found = [int(self._tmux("display-message", "-p", "-t", "t", "#{pane_pid}"))]
        for pid in found:  # grows as children are found
            for children in Path(f"/proc/{pid}/task").glob("*/children"):
                with contextlib.suppress(OSError):
                    found += [int(c) for c in children.read_text().split()]
        return found

    def peak_rss_kib(self) -> int:
        """The largest peak resident memory (VmHWM) among the running processes."""
        peak = 0
        for pid in self.pids():
            with contextlib.suppress(OSError):
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmHWM:"):
                        peak = max(peak, int(line.split()[1]))
        return peak

    def exit_status(self, timeout: float = 10.0) -> int:
        """The program's exit status, once it has exited."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._exit_file.exists() and self._exit_file.read_text().strip():
                return int(self._exit_file.read_text())
            time.sleep(0.1)
        raise AssertionError(f"the program did not exit; the screen:\n{self.screen()}")

    def close(self) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True)


# Keys as the bytes a terminal sends for them (xterm), for bursts in one write.
_KEY_BYTES = {
    "Tab": b"\t",
    "Enter": b"\r",
    "Escape": b"\x1b",
    "BSpace": b"\x7f",
    "Up": b"\x1b[A",
    "Down": b"\x1b[B",
    "Right": b"\x1b[C",
    "Left": b"\x1b[D",
    "C-n": b"\x0e",
    "C-w": b"\x17",
}


@contextmanager
def terminal(
    argv: Sequence[str],
    tmp_path: Path,
    *,
    size: tuple[int, int] = (80, 24),
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
) -> Iterator[Terminal]:
    term = Terminal(argv, size=size, env=env, cwd=cwd, log_dir=tmp_path)
    try:
        yield term
    finally:
        term.close()


def run_in_pty(
    argv: Sequence[str],
    *,
    env: Mapping[str, str] | None = None,
    size: tuple[int, int] = (80, 24),
    timeout: float = 30.0,
    stdin: bytes | None = None,
) -> tuple[int, bytes]:
    """Run a command with stdout and stderr on a pty (a terminal, as `isatty()` sees it);
    returns its exit status and every byte it wrote."""
    import fcntl
    import struct
    import termios

    main_fd, child_fd = pty.openpty()
    cols, rows = size
    fcntl.ioctl(child_fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    full_env = dict(os.environ)
    full_env.setdefault("TERM", "xterm-256color")
    full_env.update(env or {})
    proc = subprocess.Popen(
        list(argv),
        stdin=subprocess.PIPE if stdin is not None else child_fd,
        stdout=child_fd,
        stderr=child_fd,
        env=full_env,
        close_fds=True,
    )
    os.close(child_fd)
    if stdin is not None and proc.stdin is not None:
        proc.stdin.write(stdin)
        proc.stdin.close()
    out = bytearray()
    deadline = time.monotonic() + timeout
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            proc.kill()
            raise AssertionError(f"{argv} did not finish in {timeout} s; wrote {bytes(out)!r}")
        ready, _, _ = select.select([main_fd], [], [], min(left, 0.2))
        if ready:
            try:
                chunk = os.read(main_fd, 65536)
            except OSError:  # the pty is closed once the child and its children are gone
                break
            if not chunk:
                break
            out += chunk
        elif proc.poll() is not None:
            # Drain what is left, then stop.
            while select.select([main_fd], [], [], 0.05)[0]:
                try:
                    chunk = os.read(main_fd, 65536)
                except OSError:
                    break
                if not chunk:
                    break
                out += chunk
            break
    os.close(main_fd)
    return proc.wait(timeout=5), bytes(out)
