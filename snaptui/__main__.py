from snaptui.cli import run

raise SystemExit(run())
