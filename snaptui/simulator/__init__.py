"""A local GetSnapshotTask endpoint: strict gateway checks, task lifecycles, faults."""

from snaptui.simulator.faults import Fault, parse_fault
from snaptui.simulator.gateway import DEMO_ACCESS_KEY, DEMO_SECRET_KEY, Account, Gateway
from snaptui.simulator.server import Simulator
from snaptui.simulator.tasks import DEMO_APP, DEMO_ROOM, Step, TaskSpec, demo_tasks

__all__ = [
    "DEMO_ACCESS_KEY",
    "DEMO_APP",
    "DEMO_ROOM",
    "DEMO_SECRET_KEY",
    "Account",
    "Fault",
    "Gateway",
    "Simulator",
    "Step",
    "TaskSpec",
    "demo_tasks",
    "parse_fault",
]
