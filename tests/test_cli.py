"""`snaptui get` as a script would run it: real process, real HTTP to the simulator."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from snaptui.simulator import Fault, Simulator
from tests.helpers import DATA, DEMO_ENV, cli

SEED = json.loads((DATA / "seed-example-response.json").read_text())


def get(sim: Simulator, *args: str, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return cli("get", "--endpoint", sim.url, *args, env=env if env is not None else DEMO_ENV)


def assert_clean(text: str) -> None:
    assert "Traceback" not in text
    assert "\x1b" not in text
    assert "snaptui-demo-secret" not in text


def test_json_output_is_the_body_as_received(live_sim: Simulator) -> None:
    result = get(live_sim, "demo", "room-1", "task-ended")
    assert result.code == 0, result.err
    body = json.loads(result.out)
    assert body["Result"]["SnapshotTask"]["StopReason"] == "IdleTimeOut"
    assert list(body) == ["ResponseMetadata", "Result"]
    assert result.out.startswith('{\n  "ResponseMetadata"')


def test_seed_example_round_trips_and_reads_as_a_tree(live_sim: Simulator) -> None:
    live_sim.gateway.faults.append(Fault("body", body=json.dumps(SEED, ensure_ascii=False)))
    result = get(live_sim, "demo", "room-1", "task-ended", "--output", "json")
    assert json.loads(result.out) == SEED
    assert result.out == json.dumps(SEED, indent=2, ensure_ascii=False) + "\n"
    result = get(live_sim, "demo", "room-1", "task-ended", "--output", "tree")
    assert result.code == 0
    for words in (
        "Ended (3)",
        "IdleTimeOut",
        "user0 · screen share",
        "user1 · screen share",
        "JPEG 800x800, every 2 s",
        "Type: TOS (0)",
        "RequestId: 20230****10420",
    ):
        assert words in result.out
    assert_clean(result.out + result.err)


def test_secret_fields_are_redacted(live_sim: Simulator) -> None:
    body = {
        "ResponseMetadata": {"RequestId": "r"},
        "Result": {
            "SnapshotTask": {
                "Status": 2,
                "StorageConfig": {
                    "Type": 2,
                    "CustomConfig": {
                        "Vendor": 0,
                        "AccessKey": "AKIA-LEAK",
                        "SecretKey": "s3-secret-LEAK",
                    },
                },
            }
        },
    }
    live_sim.gateway.faults.append(Fault("body", body=json.dumps(body)))
    result = get(live_sim, "demo", "room-1", "task-ended")
    assert "LEAK" not in result.out
    assert (
        json.loads(result.out)["Result"]["SnapshotTask"]["StorageConfig"]["CustomConfig"][
            "SecretKey"
        ]
        == "<redacted>"
    )


def test_invalid_id_exits_2_and_sends_nothing(live_sim: Simulator) -> None:
    result = get(live_sim, "demo", "room 1", "task-ended")
    assert result.code == 2
    assert "invalid RoomId" in result.err and "nothing was sent" in result.err
    assert sum(live_sim.gateway.stats.answered.values()) == 0


def test_no_credentials_exits_3(live_sim: Simulator) -> None:
    result = get(live_sim, "demo", "room-1", "task-ended", env={})
    assert result.code == 3
    assert "VOLCENGINE_ACCESS_KEY" in result.err and "VOLCENGINE_SECRET_KEY" in result.err


def test_api_error_exits_4_with_code_request_id_and_hint(live_sim: Simulator) -> None:
    env = {**DEMO_ENV, "VOLC_SECRETKEY": "wrong-secret"}
    result = get(live_sim, "demo", "room-1", "task-ended", env=env)
    assert result.code == 4
    assert "Code: SignatureDoesNotMatch (HTTP 401, CodeN 100010)" in result.err
    assert "RequestId: 2" in result.err and "Hint: Secret Access Key rejected" in result.err
    assert "wrong-secret" not in result.err
    assert_clean(result.err)


@pytest.mark.parametrize(
    ("fault", "words"),
    [
        (Fault("http5xx", status=502), "HTTP 502: the body is HTML"),
        (Fault("malformed"), "not valid JSON"),
        (Fault("body", body=b"\xc3\x28"), "not valid UTF-8"),
        (Fault("redirect"), "redirects are not followed"),
        (Fault("trickle", seconds=20), "within 1 s"),
        (
            Fault("body", body='{"Result":{"SnapshotTask":{"Status":"2"}}}'),
            "SnapshotTask.Status should be an integer",
        ),
    ],
)
def test_bad_answers_exit_5_with_one_clear_line(
    live_sim: Simulator, fault: Fault, words: str
) -> None:
    live_sim.gateway.faults.append(fault)
    result = get(live_sim, "demo", "room-1", "task-ended", "--timeout", "1")
    assert result.code == 5, result.err
    assert words in result.err
    assert len(result.err.strip().splitlines()) <= 3
    assert_clean(result.err)


def test_escape_sequences_from_the_server_never_reach_the_terminal(live_sim: Simulator) -> None:
    body = {
        "ResponseMetadata": {"RequestId": "r\x1b]52;c;aGk=\x07"},
        "Result": {
            "SnapshotTask": {
                "Status": 2,
                "StopReason": "\x1b[2J[red]x\u009b",
                "TargetStreams": {
                    "StreamList": [{"Index": 0, "UserId": "u\x1b[31m", "StreamType": 0}]
                },
            }
        },
    }
    live_sim.gateway.faults.append(Fault("body", body=json.dumps(body, ensure_ascii=False)))
    for output in ("tree", "json"):
        result = get(live_sim, "demo", "room-1", "task-ended", "--output", output)
        assert result.code == 0
        assert_clean(result.out)
        assert "\u009b" not in result.out and "\x07" not in result.out
    live_sim.gateway.faults.clear()


def test_watch_prints_status_changes_and_exit_codes(live_sim: Simulator) -> None:
    result = get(
        live_sim, "demo", "room-1", "task-failed", "--watch", "--output", "tree", "--interval", "1"
    )
    assert result.code == 6
    assert "Failed (4)" in result.out and "StartTaskFailed" in result.out
    result = get(live_sim, "demo", "room-1", "task-ended", "--watch", "--output", "tree")
    assert result.code == 0
    assert result.out.count("\n") == 1 and "Task ended: IdleTimeOut after 3 min 22 s" in result.out


def test_watch_follows_a_live_task(live_sim: Simulator) -> None:
    spec = live_sim.gateway.tasks[("demo", "room-1", "task-live")]
    spec.timeline = [type(step)(step.at / 10, step.changes) for step in spec.timeline]
    result = get(
        live_sim, "demo", "room-1", "task-live", "--watch", "--output", "tree", "--interval", "1"
    )
    assert result.code == 0
    lines = result.out.splitlines()
    assert [line.split()[1] for line in lines] == ["Not", "Running", "Ended"]


def test_debug_adds_detail_but_no_secret(live_sim: Simulator) -> None:
    env = {
        "VOLCENGINE_ACCESS_KEY": "AKLTsnaptuidemo",
        "VOLCENGINE_SECRET_KEY": "snaptui-demo-secret",
        "VOLCENGINE_SESSION_TOKEN": "token-SENTINEL",
    }
    result = get(live_sim, "demo", "room-1", "task-ended", "--debug", env=env)
    assert "debug:" in result.err and "GET http://127.0.0.1" in result.err
    assert "token-SENTINEL" not in result.err + result.out
    assert "AKLTsnaptuidemo" not in result.err and "****demo" in result.err
    assert_clean(result.err)


def test_usage_errors_exit_2() -> None:
    assert cli("get", "only-one").code == 2
    assert cli("get", "a", "b", "c", "--interval", "0.2").code == 2
    assert cli("get", "a", "b", "c", "--endpoint", "http://example.com").code == 2
    assert cli("frobnicate").code == 2


def test_help_documents_exit_codes() -> None:
    result = cli("get", "--help")
    assert result.code == 0
    for line in (
        "0  success",
        "2  usage error",
        "3  no usable credentials",
        "4  the API",
        "5  network error",
        "6  with --watch: the task failed",
    ):
        assert line in result.out


def test_one_shot_path_imports_neither_textual_nor_keyring(live_sim: Simulator) -> None:
    code = (
        "import sys\nfrom snaptui.cli import main\n"
        f"rc = main(['get', '--endpoint', '{live_sim.url}', 'demo', 'room-1', 'task-ended'])\n"
        "heavy = [m for m in ('textual', 'keyring', 'rich') if m in sys.modules]\n"
        "print('HEAVY', heavy, rc, file=sys.stderr)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**DEMO_ENV, "PATH": "/usr/bin:/bin"},
        timeout=30,
    )
    assert "HEAVY [] 0" in proc.stderr, proc.stderr


def test_one_shot_json_imports_nothing_it_does_not_use(live_sim: Simulator) -> None:
    """The one-shot path's speed is mostly what it imports: no async stack, no dataclasses,
    no typing, no logging, no display code for JSON output."""
    code = (
        "import sys\nfrom snaptui.cli import main\n"
        f"rc = main(['get', '--endpoint', '{live_sim.url}', '--output', 'json', "
        "'demo', 'room-1', 'task-ended'])\n"
        "avoided = ('httpx', 'asyncio', 'dataclasses', 'typing', 'logging', 'shutil',"
        " 'snaptui.present', 'textual', 'keyring')\n"
        "print('LOADED', [m for m in avoided if m in sys.modules], rc, file=sys.stderr)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**DEMO_ENV, "PATH": "/usr/bin:/bin"},
        timeout=30,
    )
    assert "LOADED [] 0" in proc.stderr, proc.stderr


def test_a_session_token_that_cannot_be_sent_is_a_clear_error(live_sim: Simulator) -> None:
    env = {
        "VOLCENGINE_ACCESS_KEY": "AKLTsnaptuidemo",
        "VOLCENGINE_SECRET_KEY": "snaptui-demo-secret",
        "VOLCENGINE_SESSION_TOKEN": "tök\u00e9n-SENTINEL",
    }
    result = get(live_sim, "demo", "room-1", "task-ended", env=env)
    assert result.code == 3, result.err
    assert "session token holds a character that is not printable ASCII" in result.err
    assert "Traceback" not in result.err and "UnicodeEncodeError" not in result.err
    assert "SENTINEL" not in result.err
    assert sum(live_sim.gateway.stats.answered.values()) == 0


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--interval", "nan"], "--interval must be"),
        (["--interval", "inf"], "--interval must be"),
        (["--interval", "1e308"], "--interval must be"),
        (["--timeout", "nan"], "--timeout must be"),
        (["--region", "\u00e9"], "invalid region"),
        (["--region", "cn\x1b]2;x\x07"], "invalid region"),
        (["--endpoint", "https://user:PASSWORD@rtc.example.com"], "user name or password"),
        (["--endpoint", "http://evil.localhost:8000"], "refusing plain http"),
        (["--endpoint", "https://ho\x1bst"], "invalid host name"),
    ],
)
def test_bad_options_are_usage_errors(args: list[str], words: str) -> None:
    result = cli("get", "demo", "room-1", "task-ended", *args, env=DEMO_ENV)
    assert result.code == 2, result.err
    assert words in result.err
    assert "PASSWORD" not in result.err and "internal error" not in result.err
    assert_clean(result.err)


def test_watch_into_a_closed_pipe_exits_quietly(live_sim: Simulator) -> None:
    spec = live_sim.gateway.tasks[("demo", "room-1", "task-live")]
    spec.timeline = [type(step)(step.at / 10, step.changes) for step in spec.timeline]
    command = (
        f"{sys.executable} -m snaptui get --endpoint {live_sim.url} --watch --interval 1 "
        "--output tree demo room-1 task-live | head -1"
    )
    proc = subprocess.run(
        ["bash", "-o", "pipefail", "-c", command],
        capture_output=True,
        text=True,
        env={**DEMO_ENV, "PATH": "/usr/bin:/bin"},
        timeout=60,
    )
    assert proc.stdout.count("\n") == 1
    assert proc.stderr == "", proc.stderr
    assert proc.returncode == 0


def test_a_number_too_big_for_a_float_is_printed_as_written(live_sim: Simulator) -> None:
    body = (
        '{"ResponseMetadata": {"RequestId": "r"}, "Result": {"SnapshotTask": '
        '{"Status": 3, "Extra": 1e400, "Neg": -2.5E+999}}}'
    )
    live_sim.gateway.faults.append(Fault("body", body=body))
    result = get(live_sim, "demo", "room-1", "task-ended", "--output", "json")
    assert result.code == 0, result.err
    assert '"Extra": 1e400' in result.out and '"Neg": -2.5E+999' in result.out
    assert "Infinity" not in result.out


@pytest.mark.parametrize("depth", [500, 990])
@pytest.mark.parametrize("watch", [False, True])
def test_json_nested_very_deep_is_a_malformed_answer(
    live_sim: Simulator, depth: int, watch: bool
) -> None:
    nested = "[" * depth + "]" * depth
    body = (
        '{"ResponseMetadata": {"RequestId": "r"}, '
        f'"Result": {{"SnapshotTask": {{"Status": 3, "X": {nested}}}}}}}'
    )
    if not watch:
        live_sim.gateway.faults.append(Fault("body", body=body))
        result = get(live_sim, "demo", "room-1", "task-ended", "--output", "json")
        assert result.code == 5, result.err
        assert "nested" in result.err and "RecursionError" not in result.err
        return
    # --watch says so and keeps watching: the next answer is the real one.
    live_sim.gateway.faults.append(Fault("body", body=body, times=1))
    result = get(
        live_sim, "demo", "room-1", "task-ended", "--output", "json", "--watch", "--interval", "1"
    )
    assert result.code == 0, result.err
    assert "warning:" in result.err and "nested" in result.err, result.err
    assert "RecursionError" not in result.err
    assert json.loads(result.out.splitlines()[-1])["Result"]["SnapshotTask"]["Status"] == 3


def test_times_too_big_for_any_clock_are_a_malformed_answer(live_sim: Simulator) -> None:
    body = json.dumps(
        {
            "ResponseMetadata": {"RequestId": "r"},
            "Result": {"SnapshotTask": {"Status": 3, "StartTime": 1, "EndTime": 10**400}},
        }
    )
    live_sim.gateway.faults.append(Fault("body", body=body))
    for output in ("tree", "json"):
        result = get(live_sim, "demo", "room-1", "task-ended", "--output", output)
        assert result.code == 5, result.err
        assert "SnapshotTask.EndTime should be an integer of a sane size" in result.err
        assert "internal error" not in result.err


def test_our_keys_echoed_by_a_server_are_redacted_however_spelled(live_sim: Simulator) -> None:
    """A server may echo our keys, even spelled with JSON escapes to dodge a text replace."""
    spelled = "".join(f"\\u{ord(c):04x}" for c in "snaptui-demo-secret")
    body = (
        '{"ResponseMetadata": {"RequestId": "r-AKLTsnaptuidemo"}, "Result": {"SnapshotTask": '
        f'{{"Status": 3, "StopReason": "{spelled}", '
        '"TargetStreams": {"StreamList": [{"Index": 0, "UserId": "sessiontok-SENTINEL"}]}}}}'
    )
    env = {
        "VOLCENGINE_ACCESS_KEY": "AKLTsnaptuidemo",
        "VOLCENGINE_SECRET_KEY": "snaptui-demo-secret",
        "VOLCENGINE_SESSION_TOKEN": "sessiontok-SENTINEL",
    }
    for output in ("tree", "json"):
        live_sim.gateway.faults.append(Fault("body", body=body, times=1))
        result = get(live_sim, "demo", "room-1", "task-ended", "--output", output, env=env)
        assert result.code == 0, result.err
        assert "snaptui-demo-secret" not in result.out
        assert "SENTINEL" not in result.out and "AKLTsnaptuidemo" not in result.out
        assert "****demo" in result.out


def test_get_help_says_where_keys_come_from() -> None:
    result = cli("get", "--help")
    assert "VOLCENGINE_ACCESS_KEY" in result.out and "OS keyring" in result.out


@pytest.mark.parametrize(
    "args",
    [
        ["whoami"],
        ["logout"],
        ["simulate", "--port", "99999"],
        ["simulate", "--scenario", "/nonexistent/x.toml"],
        ["login", "--access-key", "AKLTx", "--secret-stdin"],
    ],
)
def test_no_command_crashes_with_a_traceback(args: list[str], tmp_path: Path) -> None:
    settings = tmp_path / "settings.json"
    settings.write_text("[" * 100_000)
    env = {
        "SNAPTUI_CONFIG_DIR": str(tmp_path),
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
    }
    result = cli(*args, env=env, timeout=30)
    assert "Traceback" not in result.err, result.err
    assert len(result.err.strip().splitlines()) <= 3, result.err
    if args[0] != "whoami":
        assert result.code != 0


def test_whoami_shows_no_control_from_settings(tmp_path: Path) -> None:
    (tmp_path / "settings.json").write_text(
        json.dumps(
            {"profiles": {"default": {"region": "cn\x1b]2;x\x07\u202e", "endpoint": "x\x1b"}}}
        )
    )
    result = cli("whoami", env={"SNAPTUI_CONFIG_DIR": str(tmp_path), **DEMO_ENV})
    assert result.code == 2, result.err  # an unusable field is an error naming it
    assert "settings.json" in result.err
    assert_clean(result.out + result.err)
    assert "\u202e" not in result.out + result.err
