"""snaptui: a terminal client for Volcengine RTC GetSnapshotTask."""

__version__ = "0.1.0"
