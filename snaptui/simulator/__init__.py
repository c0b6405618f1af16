"""A local GetSnapshotTask endpoint: strict gateway checks, task lifecycles, faults.

The demo constants live here; everything else is imported on first use, so
naming the demo keys costs nothing at start-up.
"""

from __future__ import annotations

from typing import Any

DEMO_ACCESS_KEY = "AKLTsnaptuidemo"
DEMO_SECRET_KEY = "snaptui-demo-secret"
DEMO_APP = "demo"
DEMO_ROOM = "room-1"

_EXPORTS = {
    "Account": "snaptui.simulator.gateway",
    "Gateway": "snaptui.simulator.gateway",
    "Fault": "snaptui.simulator.faults",
    "parse_fault": "snaptui.simulator.faults",
    "Simulator": "snaptui.simulator.server",
    "Step": "snaptui.simulator.tasks",
    "TaskSpec": "snaptui.simulator.tasks",
    "demo_tasks": "snaptui.simulator.tasks",
}

__all__ = ["DEMO_ACCESS_KEY", "DEMO_APP", "DEMO_ROOM", "DEMO_SECRET_KEY", *_EXPORTS]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        import importlib

        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'snaptui.simulator' has no attribute {name!r}")
