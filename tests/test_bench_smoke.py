"""Every benchmark runs in CI with tiny counts, so none of them can rot. The real figures
come from running them without --smoke (see README, Performance)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
BENCHES = ["oneshot", "startup", "refresh_cost", "big_task", "rate"]


@pytest.mark.parametrize("name", BENCHES)
def test_benchmark_runs(name: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", f"tests.bench.{name}", "--smoke"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("machine: ")
    assert "goal" in result.stdout
