"""One-shot call: `snaptui get --output json` against the official volcengine SDK.

Both run as fresh processes from regular (non-editable) installs with bytecode, each in a
venv of its own that this script builds and caches (snaptui's is refreshed when its
source changes; the SDK's holds the SDK alone). They fetch the same simulator task, in
alternating pairs, first over loopback http, then over https against a local TLS server
whose throwaway CA both are told to trust (certificate checks stay on). Prints medians,
the spread of the per-pair ratios, and what TLS costs each. Goal: ratio <= 0.5.

    python -m tests.bench.oneshot [--smoke]

--smoke (what CI runs): two pairs, both from the current interpreter, no venvs built.
"""

from __future__ import annotations

import hashlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import venv
from pathlib import Path

from snaptui.simulator import DEMO_ACCESS_KEY, DEMO_SECRET_KEY, Gateway, Simulator
from tests.bench.common import machine, median, smoke
from tests.tls import ca_stores, throwaway_ca, tls_simulator

ROOT = Path(__file__).resolve().parent.parent.parent
CACHE = Path(os.environ.get("SNAPTUI_BENCH_CACHE", Path.home() / ".cache" / "snaptui-bench"))
SDK_REQUIREMENT = "volcengine==1.0.229"
IDS = ("demo", "room-1", "task-ended")
GOAL = 0.5


def _python(env_dir: Path) -> Path:
    return env_dir / ("Scripts" if os.name == "nt" else "bin") / "python"


def _pip(env_dir: Path, *args: str) -> None:
    command = [str(_python(env_dir)), "-m", "pip", "install", "-q", *args]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"pip failed: {done.stderr[-2000:]}")


def _source_hash() -> str:
    digest = hashlib.sha256()
    for path in sorted([*ROOT.glob("snaptui/**/*"), ROOT / "pyproject.toml"]):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(ROOT)).encode() + path.read_bytes())
    return digest.hexdigest()


def ours_python() -> Path:
    """A venv with snaptui installed the way users install it (not editable)."""
    env_dir = CACHE / "snaptui"
    stamp = env_dir / "source.sha256"
    if not _python(env_dir).exists():
        venv.create(env_dir, with_pip=True)
    if not stamp.exists() or stamp.read_text() != _source_hash():
        constraints = ROOT / "tests" / "constraints.txt"
        _pip(env_dir, "--force-reinstall", "-c", str(constraints), str(ROOT))
        stamp.write_text(_source_hash())
    return _python(env_dir)


def sdk_python() -> Path:
    """A clean venv holding the SDK alone (no test tools whose imports would slow it)."""
    env_dir = CACHE / "sdk"
    if not (env_dir / "ready").exists():
        venv.create(env_dir, with_pip=True)
        _pip(env_dir, SDK_REQUIREMENT)
        (env_dir / "ready").write_text(SDK_REQUIREMENT)
    return _python(env_dir)


def timed(argv: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    proc = subprocess.run(argv, env=env, capture_output=True, timeout=60)
    took = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(f"{argv[:3]} failed: {proc.stderr.decode()[-500:]}")
    body = json.loads(proc.stdout)
    assert body["Result"]["SnapshotTask"]["StopReason"] == "IdleTimeOut"
    return took


def pairs(ours: list[str], sdk: list[str], env: dict[str, str], count: int) -> dict[str, float]:
    timed(ours, env), timed(sdk, env)  # warm the file cache for both
    a, b = [], []
    for _ in range(count):
        a.append(timed(ours, env))
        b.append(timed(sdk, env))
    ratios = sorted(x / y for x, y in zip(a, b, strict=True))
    quartiles = statistics.quantiles(ratios, n=4) if len(ratios) >= 4 else [ratios[0]] * 3
    return {
        "ours": median(a),
        "sdk": median(b),
        "ratio": median(ratios),
        "q1": quartiles[0],
        "q3": quartiles[2],
        "min": ratios[0],
        "max": ratios[-1],
    }


def report(name: str, count: int, r: dict[str, float]) -> None:
    print(
        f"{name}: median of {count} alternating pairs: snaptui get {r['ours'] * 1000:.0f} ms, "
        f"volcengine SDK {r['sdk'] * 1000:.0f} ms; ratio {r['ratio']:.2f} "
        f"(quartiles {r['q1']:.2f}-{r['q3']:.2f}, range {r['min']:.2f}-{r['max']:.2f})"
    )


def main() -> int:
    count = 2 if smoke() else 31
    if smoke():
        ours_py = sdk_py = Path(sys.executable)
        how = "smoke: both from the current interpreter"
    else:
        ours_py, sdk_py = ours_python(), sdk_python()
        how = "regular installs with bytecode, each in its own venv"
    base = {k: v for k, v in os.environ.items() if not k.startswith(("VOLC", "SNAPTUI", "PYTHON"))}
    base.update(VOLC_ACCESSKEY=DEMO_ACCESS_KEY, VOLC_SECRETKEY=DEMO_SECRET_KEY)
    base["SNAPTUI_CONFIG_DIR"] = tempfile.mkdtemp(prefix="snaptui-bench-")
    # The reference script lives here; only it is put on the SDK's path.
    sdk_script = str(Path(__file__).with_name("sdk_get.py"))

    def argv(url: str) -> tuple[list[str], list[str]]:
        ours = [str(ours_py), "-m", "snaptui", "get", "--endpoint", url, "--output", "json"]
        return [*ours, *IDS], [str(sdk_py), sdk_script, url, *IDS]

    print(f"machine: {machine()}")
    print(f"method: fresh processes, {how}")
    with Simulator(Gateway()) as sim:
        plain = pairs(*argv(sim.url), base, count)
    report("http (loopback)", count, plain)
    with tempfile.TemporaryDirectory() as directory:
        context, ca_file = throwaway_ca(Path(directory))
        sim, url = tls_simulator(context)
        try:
            env = {**base, **ca_stores(Path(directory), ca_file)}
            tls = pairs(*argv(url), env, count)
        finally:
            sim.stop()
    report("https (throwaway CA, verified)", count, tls)
    print(
        f"https cost: snaptui +{(tls['ours'] - plain['ours']) * 1000:.0f} ms, "
        f"SDK +{(tls['sdk'] - plain['sdk']) * 1000:.0f} ms"
    )
    print(f"ratio {plain['ratio']:.2f} http, {tls['ratio']:.2f} https   (goal: <= {GOAL})")
    return 0 if max(plain["ratio"], tls["ratio"]) <= GOAL or smoke() else 1


if __name__ == "__main__":
    sys.exit(main())
