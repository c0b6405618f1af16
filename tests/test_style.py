"""The code base stays clean: ruff (lint and format) and mypy --strict on snaptui/."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parent.parent


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, timeout=600
    )


def test_ruff_check_and_format() -> None:
    check = _run("ruff", "check", "snaptui", "tests")
    assert check.returncode == 0, check.stdout + check.stderr
    fmt = _run("ruff", "format", "--check", "snaptui", "tests")
    assert fmt.returncode == 0, fmt.stdout + fmt.stderr


def test_mypy_strict_on_snaptui() -> None:
    result = _run("mypy")
    assert result.returncode == 0, result.stdout + result.stderr
