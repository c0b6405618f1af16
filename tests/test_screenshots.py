"""screenshots/ must show what the app shows today."""

from __future__ import annotations

import difflib

from tests.make_screenshots import OUT, render_all, screen_text


def test_screenshots_are_current() -> None:
    images = render_all()
    on_disk = {p.name for p in OUT.glob("*.svg")}
    assert on_disk == set(images), "run: python -m tests.make_screenshots"
    problems = []
    for name, svg in images.items():
        old = (OUT / name).read_text(encoding="utf-8")
        if old != svg:
            diff = difflib.unified_diff(screen_text(old), screen_text(svg), lineterm="", n=0)
            problems.append(f"{name}:\n" + "\n".join(diff))
    assert not problems, "stale; run: python -m tests.make_screenshots\n" + "\n".join(problems)
