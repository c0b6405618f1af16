"""Shared by the benchmarks: machine description, medians, a process in a pty."""

from __future__ import annotations

import fcntl
import os
import platform
import pty
import select
import statistics
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Sequence


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            for line in info:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}"


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def smoke() -> bool:
    """Tiny counts, so CI can run every benchmark and they cannot rot."""
    return "--smoke" in sys.argv or os.environ.get("SNAPTUI_BENCH_SMOKE") == "1"


class PtyProcess:
    """A command on a pseudo-terminal of a given size; counts what it writes."""

    def __init__(
        self, argv: list[str], cols: int = 100, rows: int = 30, env: dict[str, str] | None = None
    ) -> None:
        self.master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        full_env = {**os.environ, "TERM": "xterm-256color", **(env or {})}
        self.proc = subprocess.Popen(
            argv,
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=full_env,
            start_new_session=True,
            close_fds=True,
        )
        os.close(slave)
        self.output = bytearray()

    def read_for(self, seconds: float) -> int:
        """Read for `seconds`; return how many bytes came."""
        deadline = time.monotonic() + seconds
        count = 0
        while (left := deadline - time.monotonic()) > 0:
            ready, _, _ = select.select([self.master], [], [], left)
            if not ready:
                continue
            try:
                chunk = os.read(self.master, 65536)
            except OSError:
                break
            count += len(chunk)
            self.output += chunk
        return count

    def wait_for(self, needle: bytes, timeout: float) -> float | None:
        """Seconds until `needle` appears in the output, or None."""
        started = time.monotonic()
        while time.monotonic() - started < timeout:
            if needle in self.output:
                return time.monotonic() - started
            self.read_for(0.005)
        return None

    def cpu_seconds(self) -> float:
        with open(f"/proc/{self.proc.pid}/stat", encoding="ascii") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def close(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        os.close(self.master)
