"""Bad input, from a server, a file or the user: each ends with a clear message and the
documented exit code (README: 0 ok, 2 usage, 3 credentials, 4 API error, 5 network or
malformed answer), in time, in bounded memory, with no traceback and no key shown."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.hostile_server import Answer, HostileServer, hostile_env
from tests.terminal import SNAPTUI, require_tmux, terminal

AK = "AKLTbadinputaccess77"
SK = "SENTINEL-bad-input-secret"
KEYS = {"VOLC_ACCESSKEY": AK, "VOLC_SECRETKEY": SK}
IDS = ("bad", "room-1", "task-1")
META = {"RequestId": "bad-1", "Action": "GetSnapshotTask", "Version": "2023-11-01"}


def task_json(task: dict[str, object] | str) -> bytes:
    inner = task if isinstance(task, str) else json.dumps(task)
    meta = json.dumps(META)
    return f'{{"ResponseMetadata": {meta}, "Result": {{"SnapshotTask": {inner}}}}}'.encode()


def deep(depth: int) -> str:
    return '{"Status": 2, "Deep": ' + "[" * depth + "]" * depth + "}"


def gzip_bomb(inflated: int) -> bytes:
    """`inflated` bytes of JSON-looking spaces in a gzip stream a few hundred KB long."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = b" " * 2**20
    parts = [packer.compress(b"{")]
    parts += [packer.compress(block) for _ in range(inflated // len(block))]
    return b"".join([*parts, packer.compress(b"}"), packer.flush()])


@dataclass(frozen=True)
class Case:
    args: tuple[str, ...]  # after `get`; "{url}" is the server's URL
    exit_codes: frozenset[int]  # what the README allows for it
    says: str = ""  # on stderr, when the exit code is not 0
    answer: Answer | None = None
    settings: str | None = None  # settings.json content
    seconds: float = 15.0
    check_out: Callable[[str], None] | None = None


def strict_json(out: str) -> None:
    def reject(name: str) -> None:
        raise AssertionError(f"{name} in the JSON output: not JSON")

    json.loads(out, parse_constant=reject)


GET = ("--endpoint", "{url}", "--timeout", "3")
CASES = {
    "json-600-deep": Case(
        (*GET, "--output", "json"), frozenset({0, 5}), "nested", Answer(body=task_json(deep(600)))
    ),
    "json-600-deep-tree": Case(
        (*GET, "--output", "tree"), frozenset({0, 5}), "nested", Answer(body=task_json(deep(600)))
    ),
    "1e400": Case(
        (*GET, "--output", "json"),
        frozenset({0, 5}),
        "",
        Answer(body=task_json('{"Status": 2, "Extra": 1e400, "More": [-1e400]}')),
        check_out=strict_json,
    ),
    "times-10**400": Case(
        (*GET, "--output", "tree"),
        frozenset({0, 5}),
        "",
        Answer(body=task_json({"Status": 2, "StartTime": 10**400})),
    ),
    "times-10**400-ended": Case(
        (*GET, "--output", "tree"),
        frozenset({0, 5}),
        "",
        Answer(body=task_json({"Status": 3, "StartTime": 1, "EndTime": 10**400})),
    ),
    "slow-headers": Case(
        ("--endpoint", "{url}", "--timeout", "2"),
        frozenset({5}),
        "2 s",
        Answer(body=task_json({"Status": 2}), header_byte_delay=1.0),
        seconds=8,
    ),
    "gzip-bomb": Case(GET, frozenset({5}), "MiB", seconds=20),  # the answer: see bomb()
    # Refused, not read as empty: that sent requests to the default endpoint.
    "corrupt-settings": Case(GET, frozenset({2}), "settings.json", settings="[" * 100_000),
    "settings-not-an-object": Case(
        GET, frozenset({2}), "settings.json", settings='"just a string"'
    ),
    "interval-nan": Case((*GET, "--watch", "--interval", "nan"), frozenset({2}), "interval"),
    "interval-inf": Case((*GET, "--watch", "--interval", "inf"), frozenset({2}), "interval"),
    "interval-1e308": Case((*GET, "--watch", "--interval", "1e308"), frozenset({2}), "interval"),
    "region-non-ascii": Case((*GET, "--region", "é"), frozenset({2}), "region"),
    "endpoint-with-password": Case(
        ("--endpoint", "https://user:PASSWORD@rtc.example"), frozenset({2}), "endpoint"
    ),
    "endpoint-localhost-by-name": Case(
        ("--endpoint", "http://foo.localhost:{port}"), frozenset({2}), "http"
    ),
}
BOMB = 256 * 2**20
# Over a small answer's peak: the 32 MiB cap on an answer, twice (the bytes and their
# decoding), and some slack. A bomb inflated without a cap costs far more.
ALLOWANCE_KIB = 80 * 1024
GZIP = [("Content-Type", b"application/json"), ("Content-Encoding", b"gzip")]


@pytest.fixture(scope="module")
def bomb() -> bytes:
    return gzip_bomb(BOMB)


def run_get(
    args: list[str], env: dict[str, str], timeout: float
) -> tuple[int, str, str, float, int]:
    """Runs `snaptui get` in a fresh interpreter that reports the child's peak RSS (KiB)."""
    measure = (
        "import resource, subprocess, sys\n"
        "r = subprocess.run(sys.argv[1:], capture_output=True, stdin=subprocess.DEVNULL)\n"
        "sys.stdout.buffer.write(r.stdout); sys.stderr.buffer.write(r.stderr)\n"
        "sys.stderr.write('\\n@rss %d' % resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
        "sys.exit(r.returncode)\n"
    )
    started = time.monotonic()
    try:
        proc = subprocess.run(
            [sys.executable, "-c", measure, *SNAPTUI, "get", *args],
            capture_output=True,
            text=True,
            env=env,
            timeout=timeout + 10,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"`get {' '.join(args)}` still running after {timeout + 10:g} s")
    took = time.monotonic() - started
    err, _, rss = proc.stderr.rpartition("\n@rss ")
    return proc.returncode, proc.stdout, err, took, int(rss)


@pytest.fixture
def server() -> Iterator[HostileServer]:
    with HostileServer() as running:
        yield running


def env_for(server: HostileServer, tmp_path: Path) -> dict[str, str]:
    env = hostile_env(server.url, str(tmp_path / "config"), KEYS)
    env["HOME"] = str(tmp_path)
    return env


@pytest.mark.parametrize("name", CASES)
def test_get(name: str, server: HostileServer, tmp_path: Path, bomb: bytes) -> None:
    case = CASES[name]
    if name == "gzip-bomb":
        server.answer = Answer(body=bomb, headers=GZIP)
    elif case.answer is not None:
        server.answer = case.answer
    else:
        server.answer = Answer(body=task_json({"Status": 2}))
    env = env_for(server, tmp_path)
    if case.settings is not None:
        (tmp_path / "config" / "settings.json").write_text(case.settings)
    args = [a.format(url=server.url, port=server.port) for a in case.args]
    code, out, err, took, _ = run_get([*args, *IDS], env, case.seconds)
    assert code in case.exit_codes, f"exit {code}; stderr: {err}"
    assert "Traceback" not in err and "internal error" not in err, err
    assert took < case.seconds, f"took {took:.1f} s"
    assert SK not in out + err and AK not in out + err
    assert "PASSWORD" not in err
    if code != 0:
        lines = [line for line in err.splitlines() if line.strip()]
        assert lines and len(lines) <= 5, err
        assert case.says.lower() in err.lower(), err
    elif case.check_out is not None:
        case.check_out(out)
    if name in ("endpoint-localhost-by-name",) or code == 2:
        assert server.requests == [], "a request was sent for a usage error"


def test_gzip_bomb_memory(server: HostileServer, tmp_path: Path, bomb: bytes) -> None:
    """Peak memory for a bomb that inflates to 256 MiB stays near that of a small answer."""
    env = env_for(server, tmp_path)
    server.answer = Answer(body=task_json({"Status": 2}))
    code, _, err, _, baseline = run_get([*get_args(server), *IDS], env, 15)
    assert code == 0, err
    server.answer = Answer(body=bomb, headers=GZIP)
    code, _, err, _, peak = run_get([*get_args(server), *IDS], env, 20)
    assert code == 5 and "Traceback" not in err, err
    assert peak - baseline < ALLOWANCE_KIB, f"peak {peak // 1024} MB against {baseline // 1024} MB"


def get_args(server: HostileServer) -> list[str]:
    return ["--endpoint", server.url, "--timeout", "5"]


def test_watch_deep_json(server: HostileServer, tmp_path: Path) -> None:
    """`get --watch --output json` on JSON nested 600 deep: printed, or a one-line warning
    and more attempts (a watch outlasts a bad answer); never an internal error."""
    server.answer = Answer(body=task_json(deep(600).replace('"Status": 2', '"Status": 3')))
    argv = [*SNAPTUI, "get", "--endpoint", server.url, "--watch", "--output", "json", *IDS]
    proc = subprocess.Popen(
        argv,
        env=env_for(server, tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _, err = proc.communicate(timeout=6)
    except subprocess.TimeoutExpired:
        proc.terminate()
        _, err = proc.communicate(timeout=10)
        assert "nested" in err, f"still watching, but without a word: {err!r}"
    else:
        assert proc.returncode in (0, 5), err
    assert "Traceback" not in err and "internal error" not in err, err


def test_watch_into_a_closed_pipe(server: HostileServer, tmp_path: Path) -> None:
    """`get --watch | head -1`: the reader goes away; snaptui exits quietly."""
    statuses = iter(range(10_000))

    def flapping(head: bytes) -> Answer:
        return Answer(body=task_json({"Status": 1 + next(statuses) % 2}))

    server.answer_for = flapping
    env = env_for(server, tmp_path)
    argv = " ".join([*SNAPTUI, "get", "--endpoint", server.url, "--watch", "--interval", "1"])
    started = time.monotonic()
    proc = subprocess.run(
        ["bash", "-c", f"set -o pipefail; {argv} {' '.join(IDS)} | head -1"],
        capture_output=True,
        text=True,
        env=env,
        timeout=30,
    )
    assert time.monotonic() - started < 10
    assert len(proc.stdout.splitlines()) == 1
    assert "Traceback" not in proc.stderr and "BrokenPipe" not in proc.stderr, proc.stderr
    assert "internal error" not in proc.stderr, proc.stderr


# --- the app --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, body",
    [
        ("json-600-deep", task_json(deep(600))),
        ("times-10**400", task_json({"Status": 2, "StartTime": 10**400})),
    ],
    ids=["json-600-deep", "times-10**400"],
)
def test_app_survives(name: str, body: bytes, server: HostileServer, tmp_path: Path) -> None:
    """The answer is shown or explained; then `j`, `C` and `e` do not crash the app."""
    require_tmux()
    server.answer = Answer(body=body)
    env = env_for(server, tmp_path)
    with terminal([*SNAPTUI, *IDS], tmp_path, size=(100, 30), env=env, cwd=tmp_path) as term:
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            screen = term.screen()
            if "Running" in screen or "Error" in screen:
                break
            time.sleep(0.2)
        else:
            pytest.fail(f"neither the task nor an error after 15 s:\n{term.screen()}")
        term.keys("j", "C", "e")
        time.sleep(0.5)
        term.keys("Escape", "C-q")
        status = term.exit_status(timeout=10)
        written = term.written()
    assert b"Traceback" not in written and b"crashed" not in written
    assert status == 0


@pytest.mark.parametrize(
    "args, settings",
    [
        (("a b", "room-1", "t"), None),
        ((), "[" * 100_000),
    ],
    ids=["invalid-id-on-the-command-line", "corrupt-settings"],
)
def test_app_start(
    args: tuple[str, ...], settings: str | None, server: HostileServer, tmp_path: Path
) -> None:
    require_tmux()
    env = env_for(server, tmp_path)
    if settings is not None:
        (tmp_path / "config" / "settings.json").write_text(settings)
    with terminal([*SNAPTUI, *args], tmp_path, env=env) as term:
        if args:
            # A usage error: one clear line, exit 2, nothing sent.
            assert term.exit_status(timeout=15) == 2, term.screen()
            assert "AppId" in term.screen() or "App ID" in term.screen(), term.screen()
            assert server.requests == []
        elif settings is not None:
            # Refused in one line naming the file, not started on default settings.
            assert term.exit_status(timeout=15) == 2, term.screen()
            assert "settings.json" in term.screen(), term.screen()
        else:
            term.wait_for("App ID", timeout=15)
            term.keys("C-q")
            assert term.exit_status(timeout=10) == 0
        assert b"Traceback" not in term.written()


def app_peak_rss(
    server: HostileServer, tmp_path: Path, answer: Answer, shows: str
) -> tuple[int, bytes]:
    """The app's peak memory once it shows `shows` (the answer read, or refused)."""
    server.answer = answer
    env = env_for(server, tmp_path)
    with terminal([*SNAPTUI, *IDS], tmp_path, size=(100, 30), env=env) as term:
        term.wait_for(shows, timeout=20)
        time.sleep(0.5)
        peak = term.peak_rss_kib()
        term.keys("C-q")
        term.exit_status(timeout=10)
        return peak, term.written()


def test_app_gzip_bomb_memory(server: HostileServer, tmp_path: Path, bomb: bytes) -> None:
    """The app's peak memory for a bomb that inflates to 256 MiB stays near that for a
    small answer, and the bomb is explained, not shown."""
    require_tmux()
    small = Answer(body=task_json({"Status": 2}))
    baseline, _ = app_peak_rss(server, tmp_path / "small", small, "Running")
    peak, written = app_peak_rss(server, tmp_path / "bomb", Answer(body=bomb, headers=GZIP), "MiB")
    assert baseline > 10_000, "no memory figure for the app"
    assert b"Traceback" not in written
    assert peak - baseline < ALLOWANCE_KIB, f"peak {peak // 1024} MB against {baseline // 1024} MB"


def test_app_f2_non_ascii_token(server: HostileServer, tmp_path: Path) -> None:
    """A session token with a non-ASCII character, tested on F2: a message, no crash."""
    require_tmux()
    env = env_for(server, tmp_path)
    with terminal(SNAPTUI, tmp_path, size=(100, 30), env=env) as term:
        term.wait_for("App ID", timeout=15)
        term.keys("F2")
        term.wait_for("AccessKey")
        time.sleep(0.5)
        term.type(AK)
        term.keys("Tab")
        term.type(SK)
        term.keys("Tab")
        term.type("tokén-ünïcode")
        term.keys("C-t")
        time.sleep(2.0)
        running = "AccessKey" in term.screen()
        term.keys("Escape", "C-q")
        status = term.exit_status(timeout=10)
        written = term.written()
    assert b"Traceback" not in written and b"crashed" not in written
    assert running, "the app did not survive the test of the keys"
    assert status == 0


HOSTILE_REGION = "cn-north-1\x1b]2;pwned-title\x07\u202e\u009b2J"


def test_whoami_shows_a_hostile_region_as_data(tmp_path: Path) -> None:
    """settings.json is outside text too: a region holding controls is shown escaped."""
    from tests.terminal import run_in_pty

    config = tmp_path / "config"
    env = {**hostile_env("http://127.0.0.1:9", str(config), KEYS), "HOME": str(tmp_path)}
    (config / "settings.json").write_text(  # hostile_env wrote its own: replace it
        json.dumps({"profiles": {"default": {"region": HOSTILE_REGION}}})
    )
    code, written = run_in_pty([*SNAPTUI, "whoami"], env=env)
    text = written.decode("utf-8", "surrogateescape")
    assert code in (0, 2, 3), text
    assert "Traceback" not in text
    for raw in ("\x1b]2;", "\u202e", "\u009b"):
        assert raw not in text, f"{raw!r} from settings.json reached the terminal raw"


@pytest.mark.parametrize("case", ["config-dir-under-a-file", "bad-id-in-recent"])
def test_app_starts_despite_broken_files(case: str, server: HostileServer, tmp_path: Path) -> None:
    require_tmux()
    env = env_for(server, tmp_path)
    if case == "config-dir-under-a-file":
        (tmp_path / "a-file").write_text("not a directory")
        env["SNAPTUI_CONFIG_DIR"] = str(tmp_path / "a-file" / "snaptui")
    else:
        (tmp_path / "config" / "recent.json").write_text(
            json.dumps({"default": [["a b", "room\x1b[2J", "t"], list(IDS)]})
        )
    with terminal(SNAPTUI, tmp_path, env=env) as term:
        term.wait_for("App ID", timeout=15)
        time.sleep(0.5)
        term.keys("C-q")
        status = term.exit_status(timeout=10)
        written = term.written()
    assert b"Traceback" not in written
    assert b"room\x1b[2J" not in written, "an id from recent.json reached the terminal raw"
    assert status == 0
