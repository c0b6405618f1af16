"""`snaptui get` as a script would run it: real process, real HTTP to the simulator."""

from __future__ import annotations

import json
import subprocess
import sys

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
    assert "VOLCENGINE_ACCESS_KEY" in result.err and "VOLC_ACCESSKEY" in result.err


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
