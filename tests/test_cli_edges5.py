"""The command line's last rough edges, each as a person meets it in a shell: help to a
full disk, a refused connection that says where, watch without a terminal, a session
token beside VOLC_* keys, a gzip answer with bytes after it, and the keyring message."""

from __future__ import annotations

import os
import subprocess

import pytest

from tests.test_output_errors import FULL, SNAPTUI, with_stdout_closed

HELP_AND_VERSION = [["--help"], ["get", "--help"], ["simulate", "--help"], ["--version"]]


# --- 1. --help and --version whose output cannot be written -------------------------


def _clean_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith(("VOLC", "SNAPTUI"))}


@pytest.mark.parametrize("args", HELP_AND_VERSION, ids=" ".join)
def test_help_to_a_full_disk_fails_in_one_line(args: list[str]) -> None:
    if not os.path.exists(FULL):
        pytest.skip(f"no {FULL}")
    with open(FULL, "w") as full:
        proc = subprocess.run(
            [*SNAPTUI, *args], stdout=full, stderr=subprocess.PIPE, text=True, env=_clean_env()
        )
    assert proc.returncode == 1, proc.stderr
    assert proc.stderr.splitlines() == ["error: cannot write the output: No space left on device"]


@pytest.mark.parametrize("args", HELP_AND_VERSION, ids=" ".join)
def test_help_with_stdout_closed_fails_in_one_line(args: list[str]) -> None:
    proc = with_stdout_closed(args, _clean_env())
    assert proc.returncode == 1, proc.stderr
    # Not the help text on stderr instead: one line saying why.
    assert proc.stderr.splitlines() == ["error: cannot write the output: standard output is closed"]


def test_help_still_prints_and_a_reader_gone_is_quiet() -> None:
    proc = subprocess.run([*SNAPTUI, "get", "--help"], capture_output=True, text=True)
    assert proc.returncode == 0 and "APP_ID ROOM_ID TASK_ID" in proc.stdout
    piped = subprocess.run(
        ["bash", "-c", 'set -o pipefail; "$@" --help | head -c 5', "-", *SNAPTUI],
        capture_output=True,
        text=True,
    )
    assert piped.returncode == 0 and piped.stderr == "", piped.stderr
    assert piped.stdout == "usage"
