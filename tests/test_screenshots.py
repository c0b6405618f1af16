"""screenshots/ must show what the app shows today."""

from __future__ import annotations

from tests.make_screenshots import OUT, render_all


def test_screenshots_are_current() -> None:
    images = render_all()
    on_disk = {p.name for p in OUT.glob("*.svg")}
    assert on_disk == set(images), "run: python -m tests.make_screenshots"
    stale = [n for n, svg in images.items() if (OUT / n).read_text(encoding="utf-8") != svg]
    assert not stale, f"stale screenshots {stale}; run: python -m tests.make_screenshots"
