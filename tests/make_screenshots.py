"""Write screenshots/*.svg of the main screens from the same fixtures as the snapshot tests.

python -m tests.make_screenshots          # rewrite screenshots/
python -m tests.make_screenshots --check  # exit 1 if any is stale
"""

from __future__ import annotations

import asyncio
import html
import os
import re
import sys
import tempfile
from pathlib import Path

from snaptui.tui.language import apply_language
from tests.helpers import FakeClock
from tests.tui_fixtures import SCENES, make_app, make_simulator

OUT = Path(__file__).parent.parent / "screenshots"
SIZE = (100, 30)


async def render(name: str) -> str:
    scene = SCENES[name]
    clock = FakeClock()
    sim = make_simulator(clock)
    # A fresh settings dir: no recent queries of whoever runs this.
    config = tempfile.TemporaryDirectory()
    os.environ["SNAPTUI_CONFIG_DIR"] = config.name
    try:
        app = make_app(sim, clock, scene.ids, scene.keys, scene.language)
        async with app.run_test(size=SIZE) as pilot:
            if scene.action is not None:
                await scene.action(pilot, sim)
            await pilot.pause(0.1)
            svg = app.export_screenshot(title=f"snaptui — {name}")
            # Rich names the SVG's classes by a hash that varies between runs.
            return re.sub(r"terminal-\d+", f"snaptui-{name}", svg)
    finally:
        sim.stop()
        config.cleanup()
        apply_language("en")


def screen_text(svg: str) -> list[str]:
    """The characters of an SVG screenshot, line by line, to say what differs."""
    rows: dict[int, list[tuple[float, str]]] = {}
    pattern = (
        r'<text class="[^"]*" x="([\d.]+)" y="[\d.]+" textLength="[\d.]+" '
        r'clip-path="url\(#[^)]*line-(\d+)\)">(.*?)</text>'
    )
    for x, line, text in re.findall(pattern, svg):
        rows.setdefault(int(line), []).append((float(x), html.unescape(text)))
    out = []
    for line in sorted(rows):
        text = ""
        for x, piece in sorted(rows[line]):
            text = text.ljust(round(x / 12.2)) + piece
        out.append(text)
    return out


def main_scenes() -> list[str]:
    return [name for name, scene in SCENES.items() if scene.main]


def render_all() -> dict[str, str]:
    return {f"{name}.svg": asyncio.run(render(name)) for name in main_scenes()}


def main(argv: list[str]) -> int:
    images = render_all()
    if "--check" in argv:
        stale = [
            n
            for n, svg in images.items()
            if not (OUT / n).exists() or (OUT / n).read_text(encoding="utf-8") != svg
        ]
        for name in stale:
            print(f"stale: screenshots/{name}")
        return 1 if stale else 0
    OUT.mkdir(exist_ok=True)
    for old in OUT.glob("*.svg"):
        if old.name not in images:
            old.unlink()
    for name, svg in images.items():
        (OUT / name).write_text(svg, encoding="utf-8")
        print(f"wrote screenshots/{name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
