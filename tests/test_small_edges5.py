"""Small edges found by attack: bounded reads of stdin, a bounded start-up line, clear words."""

from __future__ import annotations

import base64
import os
import subprocess
import sys
from pathlib import Path

import pytest

from snaptui.volc.secret import Credentials, Secret
from tests.helpers import cli
from tests.terminal import SNAPTUI, run_in_pty


def test_login_secret_stdin_reads_a_bounded_amount(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`login --secret-stdin < /dev/zero` read until memory ran out: it reads a bounded
    amount, then refuses what it read."""
    import argparse
    import io

    from snaptui import account, credentials
    from snaptui.volc.errors import CredentialsError

    asked: list[int] = []

    class Endless(io.StringIO):
        def read(self, size: int | None = -1) -> str:
            asked.append(-1 if size is None else size)
            return "\0" * (size if size is not None and size >= 0 else 10_000_000)

    monkeypatch.setenv("SNAPTUI_CONFIG_DIR", str(tmp_path))
    monkeypatch.setattr(credentials, "keyring_backend_name", lambda: "a safe keyring")
    monkeypatch.setattr(account.sys, "stdin", Endless())
    ns = argparse.Namespace(
        profile="default", endpoint=None, region=None, access_key="AKLTx", secret_stdin=True
    )
    with pytest.raises(CredentialsError):
        account.login(ns)
    assert asked and all(0 <= n <= 1_000_000 for n in asked)


def test_simulate_lists_a_few_tasks_of_a_huge_scenario(tmp_path: Path) -> None:
    scenario = tmp_path / "many.toml"
    rows = [f'[[task]]\napp_id = "a"\nroom_id = "r"\ntask_id = "t{i:03}"\n' for i in range(500)]
    scenario.write_text("\n".join(rows), encoding="utf-8")
    env = {"SNAPTUI_SIMULATOR_SECRET_KEY": "sk-test-1234567890"}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "snaptui",
            "simulate",
            "--port",
            "0",
            "--access-key",
            "AKLTsim1",
            "--scenario",
            str(scenario),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **env},
    )
    try:
        lines = []
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.append(line)
            if "tasks:" in line:
                break
    finally:
        proc.kill()
        proc.wait()
    tasks_line = next((line for line in lines if "tasks:" in line), "")
    assert "and 450 more" in tasks_line, "".join(lines) + (
        proc.stderr.read() if proc.stderr else ""
    )
    assert len(tasks_line) < 1000


def test_a_timeout_of_zero_is_refused_in_words_that_say_why() -> None:
    done = cli("get", "--timeout", "0", "a", "r", "t")
    assert done.code == 2
    assert "more than 0" in done.err


@pytest.mark.parametrize("before", [b"", b"x", b"xy", b"xyz"])
@pytest.mark.parametrize("after", [b"", b"t", b"tail"])
def test_a_key_inside_a_longer_base64_text_is_masked(before: bytes, after: bytes) -> None:
    """A server can echo a session token it was sent, base64'd with text around it."""
    token = "TOKsecretTOKEN123456"
    creds = Credentials("AKLTtest12345678", Secret("sk-not-this-one-0000"), Secret(token))
    for encode in (base64.b64encode, base64.urlsafe_b64encode):
        echoed = encode(before + token.encode() + after).decode()
        shown = creds.redact(f"message {echoed} end")
        assert echoed not in shown and "****" in shown
        # Around the mask, at most the 2 groups that hold bytes of the text around it.
        assert len(shown) <= len("message **** end") + 8 + len(encode(after))


def test_the_app_refuses_to_start_without_a_keyboard() -> None:
    """stdin at the end of a pipe: the app used to draw, spin a core and never see q."""
    code, written = run_in_pty([*SNAPTUI, "demo"], stdin=b"", timeout=30)
    assert code == 2
    assert b"stdin is not one" in written


def test_a_key_with_a_byte_that_is_not_utf8_is_one_line_and_exit_3() -> None:
    env = {"VOLCENGINE_ACCESS_KEY": "AKLTattack1234", "VOLCENGINE_SECRET_KEY": "SKsecret\udcff"}
    done = cli("get", "--endpoint", "http://127.0.0.1:9", "a", "r", "t", env=env)
    assert done.code == 3, done.err
    assert "Traceback" not in done.err and len(done.err.strip().splitlines()) == 1
    assert "SKsecret" not in done.err


@pytest.mark.parametrize(
    "args",
    [
        ["login", "--access-key", "AKLTattackAKEY1234wxyz", "SKsecretVALUE-abcdef0123456789"],
        ["whoami", "SKsecretVALUE-abcdef0123456789"],
        ["simulate", "--port", "0", "SKsecretVALUE-abcdef0123456789"],
    ],
    ids=["login", "whoami", "simulate"],
)
def test_a_usage_error_does_not_repeat_words_that_may_be_keys(args: list[str]) -> None:
    done = cli(*args)
    assert done.code == 2
    assert "SKsecretVALUE" not in done.err and "AKLTattackAKEY1234wxyz" not in done.err
    assert "unrecognized arguments" in done.err and "not repeated" in done.err


def test_an_unknown_option_is_still_named() -> None:
    done = cli("get", "--outptu", "json", "a", "r", "t")
    assert done.code == 2 and "--outptu" in done.err
